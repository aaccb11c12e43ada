"""The 13 parts of an OPP, in order, with the titles the editor and the printed OPP use.

Numbers and keys are fixed; ``LEGAL_MINIMUM`` are the parts the law itself requires (the
uitstroomperspectief with its onderbouwing, the support to be given, deviations from the
curriculum); the other parts are what samenwerkingsverbanden ask for.
"""

from __future__ import annotations

from typing import NamedTuple


class OppPart(NamedTuple):
    """One part of the OPP."""

    number: int
    key: str
    title: str


PARTS: tuple[OppPart, ...] = (
    OppPart(1, "algemeen", "Algemene gegevens"),
    OppPart(2, "schoolloopbaan", "Verloop van de schoolloopbaan"),
    OppPart(3, "onderzoek", "Onderzoek en diagnostiek"),
    OppPart(4, "inzet", "Inzet van extra ondersteuning (arrangement of TLV)"),
    OppPart(5, "factoren", "Bevorderende en belemmerende factoren"),
    OppPart(6, "behoeften", "Ondersteunings- en onderwijsbehoeften"),
    OppPart(7, "zorg", "Jeugdhulp, Wlz en zorgverzekering; samenwerking en regie"),
    OppPart(8, "uitstroom", "Uitstroomperspectief en onderbouwing"),
    OppPart(9, "handelingsdeel", "Handelingsdeel: doelen"),
    OppPart(10, "aanpassingen", "Aanpassingen van het reguliere programma"),
    OppPart(11, "zienswijze", "Zienswijze van ouders en leerling"),
    OppPart(12, "evaluatie", "Evaluatie"),
    OppPart(13, "handtekeningen", "Handtekeningen"),
)

PART_TITLES: tuple[str, ...] = tuple(p.title for p in PARTS)
LEGAL_MINIMUM: frozenset[str] = frozenset({"factoren", "uitstroom", "handelingsdeel", "aanpassingen"})

# The five aspects of part 6 (column of OppVersion -> label).
NEED_ASPECTS: tuple[tuple[str, str], ...] = (
    ("need_attention", "Aandacht en tijd"),
    ("need_materials", "Onderwijsmaterialen"),
    ("need_space", "Ruimtelijke omgeving"),
    ("need_expertise", "Expertise"),
    ("need_cooperation", "Samenwerking met externe organisaties"),
)

# The areas part 9 must at least cover.
REQUIRED_GOAL_AREAS: tuple[str, ...] = (
    "Cognitieve ontwikkeling",
    "Sociaal-emotionele ontwikkeling",
    "Leren leren",
)

# ---------------------------------------------------------------------------------------------
# Added for the editor, the life cycle and the comparison of versions. Plain data, no Qt, so the
# reports can use the same labels as the editor.

# The labelled columns of OppVersion per part, in the order the editor and the comparison show
# them. Parts 1-3 also show the pupil file (see services.snapshot); part 8 adds the levels per
# subject, part 9 the goals, part 11 the conversations, part 13 the consents and signatures.
PART_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "algemeen": (("general_notes", "Aanvullingen"),),
    "schoolloopbaan": (("school_career_notes", "Verloop van de schoolloopbaan"),),
    "onderzoek": (("assessment_notes", "Toelichting"),),
    "inzet": (
        ("arrangement_kind", "Soort inzet"),
        ("arrangement_granted_on", "Toegekend op"),
        ("arrangement_start", "Looptijd vanaf"),
        ("arrangement_end", "Looptijd tot en met"),
        ("funding_category", "Bekostigingscategorie"),
        ("funder", "Bekostigd door"),
        ("arrangement_notes", "Toelichting"),
    ),
    "factoren": (
        ("promoting_factors", "Bevorderende factoren"),
        ("hindering_factors", "Belemmerende factoren"),
    ),
    "behoeften": NEED_ASPECTS,
    "zorg": (
        ("youth_act", "Jeugdwet (jeugdhulp)"),
        ("long_term_care_act", "Wet langdurige zorg (Wlz)"),
        ("health_insurance", "Zorgverzekeringswet"),
        ("coordination", "Afspraken over samenwerking en afstemming"),
        ("lead_by", "Regie ligt bij"),
    ),
    "uitstroom": (("outflow", "Uitstroomperspectief"), ("outflow_rationale", "Onderbouwing")),
    "handelingsdeel": (),
    "aanpassingen": (("adjustments", "Aanpassingen van het reguliere programma"),),
    "zienswijze": (
        ("parents_view", "Zienswijze van de ouders/verzorgers"),
        ("pupil_view", "Zienswijze van de leerling"),
    ),
    "evaluatie": (("evaluation", "Evaluatie ten opzichte van de vorige versie"),),
    "handtekeningen": (),
}

# A part that may be "niet van toepassing" keeps the reason in one of its own text columns, as
# "Niet van toepassing: <reden>", so the printed OPP shows the reason where the part would be.
NOT_APPLICABLE_PREFIX = "Niet van toepassing: "
NOT_APPLICABLE_FIELDS: dict[str, str] = {
    "onderzoek": "assessment_notes",
    "inzet": "arrangement_notes",
    "zorg": "coordination",
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

STATUS_LABELS: dict[str, str] = {
    "concept": "Concept",
    "besproken": "Besproken met ouders",
    "vastgesteld": "Vastgesteld",
    "geevalueerd": "Geëvalueerd",
}

SIGNATURE_ROLE_LABELS: dict[str, str] = {
    "ouder": "Ouder/verzorger",
    "leerling": "Leerling",
    "leerkracht": "Leerkracht",
    "ib": "Intern begeleider",
    "directie": "Directie",
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


OUTCOME_LABELS: dict[str, str] = {
    "behaald": "Behaald",
    "deels_behaald": "Deels behaald",
    "niet_behaald": "Niet behaald",
}

# Suggestions for the editor's fields; the user may type anything else.
DEFAULT_SUBJECTS: tuple[str, ...] = (
    "Rekenen",
    "Technisch lezen",
    "Begrijpend lezen",
    "Spelling",
    "Taal",
)
SUBJECT_LEVEL_SUGGESTIONS: tuple[str, ...] = (
    "1F", "2F", "1S", "onder 1F",
    "E3", "M4", "E4", "M5", "E5", "M6", "E6", "M7", "E7", "M8",
)  # fmt: skip
ARRANGEMENT_KINDS: tuple[str, ...] = (
    "Arrangement op de eigen school",
    "Arrangement op een andere school",
    "TLV speciaal basisonderwijs (SBO)",
    "TLV speciaal onderwijs (SO)",
)
FUNDING_CATEGORIES: tuple[str, ...] = ("laag", "midden", "hoog")
