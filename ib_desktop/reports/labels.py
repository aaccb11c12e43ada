"""Dutch words for the domain's enumerations as they appear on paper."""

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
