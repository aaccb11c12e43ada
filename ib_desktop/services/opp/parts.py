"""The 13 parts of an OPP: one enum, one rule record per part, and their completeness.

Numbers and keys are fixed. Each :class:`OppPart` carries a :class:`PartRule`: its title, the
labelled columns of ``OppVersion`` it shows (the editor and the comparison use them), what the
part requires to be complete (in words, ``requires``, and as the check the editor's marks and
fixing a version use), whether it may be "niet van toepassing", whether the law itself requires
it, and whether the printed OPP keeps it on one page.

``legal_minimum`` parts are what the law requires (the uitstroomperspectief with its
onderbouwing, the support to be given, deviations from the curriculum); the other parts are what
samenwerkingsverbanden ask for. With the law's shorter form (``OppForm.WETTELIJK``) only those
plus part 13 (consent and signatures) and, from version 2, part 12 are required; the others are
still shown with their marks. A part that may be "niet van toepassing" stores the reason in its
own text column as "Niet van toepassing: <reden>", so the printed OPP shows it in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.models import OppForm
from ib_desktop.services.opp.consent import (
    consent_problems,
    custody_guardians,
    signature_problems,
)
from ib_desktop.services.opp.data import OppVersionData, PartStatus
from ib_desktop.services.opp.store import blank, load_version, pupil_part_data

Snapshot = dict[str, Any]  # the pupil file as services.snapshot gives it
Check = Callable[[OppVersionData, Snapshot], list[str]]
Fields = tuple[tuple[str, str], ...]

# The five aspects of part 6 (column of OppVersion -> label).
NEED_ASPECTS: Fields = (
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

NOT_APPLICABLE_PREFIX = "Niet van toepassing: "
NOT_APPLICABLE_WITHOUT_REASON = "Geef aan waarom dit deel niet van toepassing is."
FIRST_VERSION = "Dit is de eerste versie: er is nog geen vorige versie om mee te vergelijken."

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


def not_applicable_reason(text: str) -> str | None:
    """The reason when ``text`` marks its part as "niet van toepassing", else None."""
    stripped = (text or "").strip()
    prefix = NOT_APPLICABLE_PREFIX.rstrip(": ").lower()
    if not stripped.lower().startswith(prefix):
        return None
    return stripped[len(prefix) :].lstrip(" :.-").strip()


def mark_not_applicable(reason: str) -> str:
    """The text that marks a part as "niet van toepassing" with this reason."""
    return NOT_APPLICABLE_PREFIX + reason.strip()


# ------------------------------------------------------------------------------- the checks
# One per part: what the part lacks, in Dutch, in the order the editor lists it.


def _texts(data: OppVersionData, required: tuple[tuple[str, str], ...]) -> list[str]:
    """The message of every text column in ``required`` (column, message) that is blank."""
    return [message for name, message in required if blank(getattr(data, name))]


def _check_general(_data: OppVersionData, pupil: Snapshot) -> list[str]:
    missing = []
    if not pupil.get("guardians"):
        missing.append("Er zijn geen ouders/verzorgers vastgelegd in het leerlingdossier.")
    elif not custody_guardians(pupil):
        missing.append("Leg vast welke ouder/verzorger (of instantie) het gezag heeft.")
    if blank(pupil.get("pupil", {}).get("family_composition")):
        missing.append("Beschrijf de gezinssamenstelling in het leerlingdossier.")
    return missing


def _check_school_career(data: OppVersionData, pupil: Snapshot) -> list[str]:
    missing = []
    if not pupil.get("pupil", {}).get("first_school_day"):
        missing.append("Vul de eerste schooldag in (leerlingdossier).")
    missing += [
        f"Vul de begindatum in bij '{entry.get('institution')}'."
        for entry in pupil.get("school_history", [])
        if not entry.get("start_date")
    ]
    if blank(data.school_career_notes):
        missing.append("Beschrijf het verloop van de schoolloopbaan.")
    return missing


def _check_assessments(_data: OppVersionData, pupil: Snapshot) -> list[str]:
    assessments = pupil.get("assessments", [])
    if not assessments:
        return [
            "Leg een onderzoek vast in het leerlingdossier, of markeer dit deel als niet van "
            "toepassing met een reden."
        ]
    missing = []
    for a in assessments:
        label = a.get("kind") or "onderzoek"
        if blank(a.get("conclusion")):
            missing.append(f"Vul de conclusie in van '{label}'.")
        if blank(a.get("performed_by")):
            missing.append(f"Vul in wie '{label}' heeft uitgevoerd.")
    return missing


def _check_arrangement(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    missing = _texts(data, (("arrangement_kind", "Vul de soort inzet in (arrangement of TLV)."),))
    if data.arrangement_granted_on is None:
        missing.append("Vul de datum van toekenning in.")
    if data.arrangement_start is None or data.arrangement_end is None:
        missing.append("Vul de looptijd in (van en tot en met).")
    missing += _texts(data, (("funder", "Vul in wie de inzet bekostigt."),))
    if "tlv" in data.arrangement_kind.lower() and blank(data.funding_category):
        missing.append("Vul de bekostigingscategorie van de TLV in.")
    return missing


def _check_factors(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    return _texts(
        data,
        (
            ("promoting_factors", "Beschrijf de bevorderende factoren."),
            ("hindering_factors", "Beschrijf de belemmerende factoren."),
        ),
    )


def _check_needs(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    return _texts(
        data, tuple((name, f"Beschrijf de behoefte bij '{label}'.") for name, label in NEED_ASPECTS)
    )


def _check_care(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    missing = []
    if all(blank(t) for t in (data.youth_act, data.long_term_care_act, data.health_insurance)):
        missing.append(
            "Beschrijf de inzet vanuit jeugdwet, Wlz of zorgverzekering, of markeer dit deel "
            "als niet van toepassing met een reden."
        )
    return missing + _texts(
        data,
        (
            ("coordination", "Beschrijf de afspraken over samenwerking en afstemming."),
            ("lead_by", "Vul in bij wie de regie ligt."),
        ),
    )


def _check_outflow(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    missing = []
    if data.outflow is None:
        missing.append("Kies het uitstroomperspectief.")
    missing += _texts(data, (("outflow_rationale", "Onderbouw het uitstroomperspectief."),))
    levels = {k: v for k, v in data.subject_levels.items() if k.strip()}
    if not levels:
        missing.append("Vul voor ten minste één vak het verwachte niveau in.")
    missing += [
        f"Vul het verwachte niveau voor {subject} in."
        for subject, level in levels.items()
        if blank(level)
    ]
    return missing


def _check_goals(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    areas = {g.area.strip().lower() for g in data.goals if not blank(g.goal)}
    lacking = [a for a in REQUIRED_GOAL_AREAS if a.lower() not in areas]
    missing = [f"Formuleer een doel voor {area.lower()}." for area in lacking]
    lacking_lower = {a.lower() for a in lacking}
    for index, g in enumerate(data.goals, start=1):
        name = f"doel {index} ({g.area or 'zonder gebied'})"
        if blank(g.area):
            missing.append(f"Kies het ontwikkelingsgebied van doel {index}.")
        if blank(g.goal):
            # An empty goal of an area that lacks one is already named above.
            if g.area.strip().lower() not in lacking_lower:
                missing.append(f"Vul de tekst van {name} in.")
            continue
        if blank(g.intermediate_goals):
            missing.append(f"Vul de tussendoelen van {name} in.")
        if g.evaluation_date is None:
            missing.append(f"Vul de evaluatiedatum van {name} in.")
    return missing


def _check_adjustments(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    return _texts(
        data, (("adjustments", "Beschrijf de aanpassingen van het reguliere programma."),)
    )


def _check_views(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    missing = _texts(data, (("parents_view", "Noteer de zienswijze van de ouders/verzorgers."),))
    if not any(not blank(c.summary) for c in data.conversations):
        missing.append("Leg ten minste één gesprek met de ouders vast.")
    return missing


def _check_evaluation(data: OppVersionData, _pupil: Snapshot) -> list[str]:
    return _texts(
        data, (("evaluation", "Beschrijf de evaluatie ten opzichte van de vorige versie."),)
    )


def _check_signatures(data: OppVersionData, pupil: Snapshot) -> list[str]:
    return [*consent_problems(data, pupil).values(), *signature_problems(data).values()]


def _first_version(data: OppVersionData) -> str:
    """Part 12 does not apply to version 1: there is nothing to compare with yet."""
    return FIRST_VERSION if data.number < 2 else ""


# ------------------------------------------------------------------------------- the parts


@dataclass(frozen=True)
class PartRule:
    """Everything the app knows about one part, besides its content."""

    number: int
    key: str
    title: str
    #: What "complete" means, in words (the check below enforces it).
    requires: str
    check: Check
    #: The labelled columns of OppVersion, in the order the editor and the comparison show
    #: them. Parts 1-3 also show the pupil file (see services.snapshot); part 8 adds the levels
    #: per subject, part 9 the goals, part 11 the conversations, part 13 consents and signatures.
    fields: Fields = ()
    #: The text column that holds "Niet van toepassing: <reden>" when the part may not apply.
    not_applicable_field: str | None = None
    #: When the part does not apply by its nature, the reason shown instead (else "").
    applies_not: Callable[[OppVersionData], str] | None = None
    #: Required by the law itself (the shorter form ``OppForm.WETTELIJK`` keeps these).
    legal_minimum: bool = False
    #: The printed OPP keeps the heading and the content of this short part on one page.
    kept_together: bool = False


class OppPart(Enum):
    """The 13 parts of the OPP, in order; each member's value is the part's rule record."""

    _value_: PartRule

    ALGEMEEN = PartRule(
        1,
        "algemeen",
        "Algemene gegevens",
        "From the pupil file: at least one guardian with gezag and the family composition. "
        "Care providers are listed when there are any; none is a valid answer.",
        _check_general,
        fields=(("general_notes", "Aanvullingen"),),
    )
    SCHOOLLOOPBAAN = PartRule(
        2,
        "schoolloopbaan",
        "Verloop van de schoolloopbaan",
        "The first school day is known, every school or pre-school in the history has a start "
        "date, and the course of the school career is described in the notes.",
        _check_school_career,
        fields=(("school_career_notes", "Verloop van de schoolloopbaan"),),
    )
    ONDERZOEK = PartRule(
        3,
        "onderzoek",
        "Onderzoek en diagnostiek",
        "At least one assessment, each with what, when, by whom and a short conclusion; or "
        "'niet van toepassing' with a reason.",
        _check_assessments,
        fields=(("assessment_notes", "Toelichting"),),
        not_applicable_field="assessment_notes",
    )
    INZET = PartRule(
        4,
        "inzet",
        "Inzet van extra ondersteuning (arrangement of TLV)",
        "Kind, date granted, term from-to and funder; a TLV also its bekostigingscategorie. "
        "May be 'niet van toepassing' with a reason (support from the school's own means).",
        _check_arrangement,
        fields=(
            ("arrangement_kind", "Soort inzet"),
            ("arrangement_granted_on", "Toegekend op"),
            ("arrangement_start", "Looptijd vanaf"),
            ("arrangement_end", "Looptijd tot en met"),
            ("funding_category", "Bekostigingscategorie"),
            ("funder", "Bekostigd door"),
            ("arrangement_notes", "Toelichting"),
        ),
        not_applicable_field="arrangement_notes",
        kept_together=True,
    )
    FACTOREN = PartRule(
        5,
        "factoren",
        "Bevorderende en belemmerende factoren",
        "Both the promoting and the hindering factors are written.",
        _check_factors,
        fields=(
            ("promoting_factors", "Bevorderende factoren"),
            ("hindering_factors", "Belemmerende factoren"),
        ),
        legal_minimum=True,
        kept_together=True,
    )
    BEHOEFTEN = PartRule(
        6,
        "behoeften",
        "Ondersteunings- en onderwijsbehoeften",
        "All five aspects are written (an aspect without a special need says so).",
        _check_needs,
        fields=NEED_ASPECTS,
        kept_together=True,
    )
    ZORG = PartRule(
        7,
        "zorg",
        "Jeugdhulp, Wlz en zorgverzekering; samenwerking en regie",
        "At least one of jeugdwet, Wlz and zorgverzekering is described, plus the agreements on "
        "cooperation and who leads; or 'niet van toepassing' with a reason.",
        _check_care,
        fields=(
            ("youth_act", "Jeugdwet (jeugdhulp)"),
            ("long_term_care_act", "Wet langdurige zorg (Wlz)"),
            ("health_insurance", "Zorgverzekeringswet"),
            ("coordination", "Afspraken over samenwerking en afstemming"),
            ("lead_by", "Regie ligt bij"),
        ),
        not_applicable_field="coordination",
        kept_together=True,
    )
    UITSTROOM = PartRule(
        8,
        "uitstroom",
        "Uitstroomperspectief en onderbouwing",
        "Chosen, with its onderbouwing, and an expected level for at least one subject (every "
        "listed subject has a level).",
        _check_outflow,
        fields=(("outflow", "Uitstroomperspectief"), ("outflow_rationale", "Onderbouwing")),
        legal_minimum=True,
        kept_together=True,
    )
    HANDELINGSDEEL = PartRule(
        9,
        "handelingsdeel",
        "Handelingsdeel: doelen",
        "At least one goal for each of the REQUIRED_GOAL_AREAS; every goal has its text, "
        "tussendoelen and an evaluation date.",
        _check_goals,
        legal_minimum=True,
    )
    AANPASSINGEN = PartRule(
        10,
        "aanpassingen",
        "Aanpassingen van het reguliere programma",
        "The adjustments to the regular programme are written.",
        _check_adjustments,
        fields=(("adjustments", "Aanpassingen van het reguliere programma"),),
        legal_minimum=True,
    )
    ZIENSWIJZE = PartRule(
        11,
        "zienswijze",
        "Zienswijze van ouders en leerling",
        "The parents' view is written and at least one conversation is logged. The pupil's "
        "view is welcome but not required.",
        _check_views,
        fields=(
            ("parents_view", "Zienswijze van de ouders/verzorgers"),
            ("pupil_view", "Zienswijze van de leerling"),
        ),
    )
    EVALUATIE = PartRule(
        12,
        "evaluatie",
        "Evaluatie",
        "From version 2 on the evaluation compared with the previous version is written; "
        "version 1 has nothing to compare with, so the part does not apply.",
        _check_evaluation,
        fields=(("evaluation", "Evaluatie ten opzichte van de vorige versie"),),
        applies_not=_first_version,
    )
    HANDTEKENINGEN = PartRule(
        13,
        "handtekeningen",
        "Handtekeningen",
        "Consent to the handelingsdeel from every guardian with gezag, and the signatures of "
        "the IB-er and the directie. Parents may sign on paper; their recorded consent with its "
        "date is what the app checks.",
        _check_signatures,
    )

    @property
    def rule(self) -> PartRule:
        """The part's rule record."""
        return self._value_

    @property
    def number(self) -> int:
        """1 to 13."""
        return self._value_.number

    @property
    def key(self) -> str:
        """The fixed key ("algemeen", ...) that stored data and the screens use."""
        return self._value_.key

    @property
    def title(self) -> str:
        """The title the editor and the printed OPP show."""
        return self._value_.title

    @property
    def fields(self) -> Fields:
        """The part's labelled columns of OppVersion."""
        return self._value_.fields

    @classmethod
    def of(cls, key: str) -> OppPart:
        """The part with this key; KeyError for an unknown key."""
        return _BY_KEY[key]


_BY_KEY: dict[str, OppPart] = {p.key: p for p in OppPart}

# Views of the enum under the names the screens and the reports have always used.
PARTS: tuple[OppPart, ...] = tuple(OppPart)
PART_TITLES: tuple[str, ...] = tuple(p.title for p in PARTS)
PART_FIELDS: dict[str, Fields] = {p.key: p.fields for p in PARTS}
NOT_APPLICABLE_FIELDS: dict[str, str] = {
    p.key: p.rule.not_applicable_field for p in PARTS if p.rule.not_applicable_field
}
LEGAL_MINIMUM: frozenset[str] = frozenset(p.key for p in PARTS if p.rule.legal_minimum)


# ------------------------------------------------------------------------------- completeness


def required_parts(form: OppForm, number: int) -> frozenset[str]:
    """The part keys that must be complete before a version of this form can be fixed."""
    if OppForm(form) == OppForm.WETTELIJK:
        keys = set(LEGAL_MINIMUM) | {OppPart.HANDTEKENINGEN.key}
    else:
        keys = {p.key for p in PARTS}
    if number < 2:
        keys.discard(OppPart.EVALUATIE.key)
    else:
        keys.add(OppPart.EVALUATIE.key)
    return frozenset(keys)


def missing_in_part(part: OppPart, data: OppVersionData, pupil: Snapshot) -> tuple[list[str], str]:
    """What ``part`` lacks, and its "niet van toepassing" reason when it has one."""
    rule = part.rule
    if rule.not_applicable_field is not None:
        reason = not_applicable_reason(getattr(data, rule.not_applicable_field))
        if reason is not None:
            return ([NOT_APPLICABLE_WITHOUT_REASON], "") if not reason else ([], reason)
    if rule.applies_not is not None:
        reason = rule.applies_not(data)
        if reason:
            return [], reason
    return rule.check(data, pupil), ""


def part_statuses(data: OppVersionData, pupil: Snapshot) -> list[PartStatus]:
    """The 13 parts with their completeness, for the editor's side list and for fixing."""
    required = required_parts(data.form, data.number)
    result = []
    for part in PARTS:
        missing, reason = missing_in_part(part, data, pupil)
        result.append(
            PartStatus(
                number=part.number,
                key=part.key,
                title=part.title,
                complete=not missing,
                missing=missing,
                required=part.key in required,
                not_applicable=reason,
            )
        )
    return result


def completeness(session: Session, version_id: int) -> list[PartStatus]:
    """The completeness of a stored version (parts 1-3 from the pupil file or the snapshot)."""
    data = load_version(session, version_id)
    return part_statuses(data, pupil_part_data(session, data))


def fix_problems(data: OppVersionData, pupil: Snapshot) -> tuple[dict[str, str], list[int]]:
    """Everything that stands in the way of fixing: messages keyed by field, and part numbers."""
    errors: dict[str, str] = {}
    parts: list[int] = []
    if data.discussed_on is None:
        errors["besproken"] = (
            "Het OPP is nog niet met de ouders besproken: leg eerst het gesprek vast "
            "(Besproken met ouders…)."
        )
    for status in part_statuses(data, pupil):
        if not status.required or status.complete:
            continue
        parts.append(status.number)
        if status.key == OppPart.HANDTEKENINGEN.key:
            errors.update(consent_problems(data, pupil))
            errors.update(signature_problems(data))
        else:
            errors[f"deel_{status.number}"] = (
                f"Deel {status.number} ({status.title}) is niet compleet: "
                + " ".join(status.missing)
            )
    return errors, parts
