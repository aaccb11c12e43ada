"""Dutch words for the domain's enumerations: the one place the app's labels are written.

The dictionaries keyed by enum member (``OPP_STATUS``, ``OUTCOME``, ...) are what the printed
documents use through :func:`label`; the ones keyed by the stored string (``STATUS_LABELS``,
``OUTCOME_LABELS``, ...) are the same words for the OPP editor, which holds plain values.
A services module, so both the services and the reports (and the screens) can use it.
"""

from __future__ import annotations

from ib_desktop.models import (
    CareScope,
    DocumentStatus,
    HistoryKind,
    MomentKind,
    OppStatus,
    Outcome,
    SignatureRole,
)

OPP_STATUS = {
    OppStatus.CONCEPT: "Concept",
    OppStatus.BESPROKEN: "Besproken met ouders",
    OppStatus.VASTGESTELD: "Vastgesteld",
    OppStatus.GEEVALUEERD: "Geëvalueerd",
}

DOCUMENT_STATUS = {
    DocumentStatus.CONCEPT: "Concept",
    DocumentStatus.ACTIEF: "Lopend",
    DocumentStatus.AFGESLOTEN: "Afgesloten",
}

OUTCOME = {
    Outcome.BEHAALD: "Behaald",
    Outcome.DEELS_BEHAALD: "Deels behaald",
    Outcome.NIET_BEHAALD: "Niet behaald",
}

HISTORY_KIND = {
    HistoryKind.VOORSCHOOLS: "Voorschoolse periode",
    HistoryKind.BASISSCHOOL: "Basisschool",
    HistoryKind.SBO: "Speciaal basisonderwijs",
    HistoryKind.SO: "Speciaal onderwijs",
    HistoryKind.OVERIG: "Overig",
}

CARE_SCOPE = {
    CareScope.LEERLING: "Bij de leerling",
    CareScope.SCHOOL: "Bij de school",
    CareScope.GEZIN: "Bij het gezin",
}

SIGNATURE_ROLE = {
    SignatureRole.OUDER: "Ouder/verzorger",
    SignatureRole.LEERLING: "Leerling",
    SignatureRole.LEERKRACHT: "Leerkracht",
    SignatureRole.IB: "Intern begeleider",
    SignatureRole.DIRECTIE: "Directeur",
}

MOMENT_KIND = {
    MomentKind.INTERVENTIE: "Korte interventie",
    MomentKind.GROEIDOCUMENT: "Groeidocument",
    MomentKind.OPP_EVALUATIE: "OPP-evaluatie",
    MomentKind.OPP_DOEL: "OPP-doel",
    MomentKind.OUDERGESPREK: "Oudergesprek",
    MomentKind.GROEPSBESPREKING: "Groepsbespreking",
    MomentKind.MDO: "MDO",
    MomentKind.ZORGPLICHT: "Zorgplicht",
}


def label(mapping: dict, value: object, default: str = "") -> str:
    """The Dutch label of an enum value (or of its string), falling back to the value itself."""
    if value is None or value == "":
        return default
    for key, text in mapping.items():
        if key == value or str(key) == str(value):
            return text
    return str(value)


# ---------------------------------------------------------------------------------------------
# The OPP's words as the editor and the comparison of versions show them (keyed by the stored
# value). Statuses and outcomes are the same words as on paper; the signing roles differ in one
# word: the editor says "Directie" where the signature page names the "Directeur".

STATUS_LABELS: dict[str, str] = {status.value: text for status, text in OPP_STATUS.items()}

OUTCOME_LABELS: dict[str, str] = {outcome.value: text for outcome, text in OUTCOME.items()}

SIGNATURE_ROLE_LABELS: dict[str, str] = {
    "ouder": "Ouder/verzorger",
    "leerling": "Leerling",
    "leerkracht": "Leerkracht",
    "ib": "Intern begeleider",
    "directie": "Directie",
}

OUTFLOW_LABELS: dict[str, str] = {
    "praktijkonderwijs": "Praktijkonderwijs",
    "vmbo-bb": "Vmbo basisberoepsgerichte leerweg (bb)",
    "vmbo-kb": "Vmbo kaderberoepsgerichte leerweg (kb)",
    "vmbo-gt": "Vmbo gemengde/theoretische leerweg (gt)",
    "havo": "Havo",
    "vwo": "Vwo",
    "so": "Speciaal onderwijs (SO)",
    "vso": "Voortgezet speciaal onderwijs (VSO)",
}

#: Where a care provider works, as a phrase in a sentence (OPP part 1: "bij het gezin").
CARE_SCOPE_PHRASES: dict[str, str] = {
    "leerling": "bij de leerling",
    "school": "bij de school",
    "gezin": "bij het gezin",
}


def care_scope_phrase(scope: object) -> str:
    """ "bij het gezin" for the scope "gezin" (Dutch needs the right article per word)."""
    key = str(scope or "")
    return CARE_SCOPE_PHRASES.get(key, f"bij {key}" if key else "")
