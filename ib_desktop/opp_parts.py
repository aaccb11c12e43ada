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
