"""The OPP: starting one, saving versions, its life cycle, completeness per part, comparison.

The life cycle of a version is concept -> besproken (met ouders) -> vastgesteld -> geëvalueerd.
Evaluating a fixed version starts the next version as a concept with all its content, so part 12
can compare with what was agreed before; the evaluated version is never changed again.

What "complete" means per part (the editor's marks and :func:`fix_version` use the same rules):

1. Algemene gegevens (from the pupil file): at least one guardian with gezag and the family
   composition described. Care providers are listed when there are any; none is a valid answer.
2. Schoolloopbaan (pupil file + notes): the first school day is known, every school or pre-school
   in the history has a start date, and the course of the school career is described in the notes.
3. Onderzoek (pupil file + notes): at least one assessment, each with what, when, by whom and a
   short conclusion; or the part is marked "niet van toepassing" with a reason.
4. Inzet (arrangement/TLV): kind, date granted, term from-to and funder; a TLV also needs its
   bekostigingscategorie. May be "niet van toepassing" with a reason (support from the school's
   own means).
5. Factoren: both the promoting and the hindering factors are written.
6. Behoeften: all five aspects are written (an aspect without a special need says so).
7. Jeugdwet/Wlz/zorgverzekering: at least one of the three is described, plus the agreements on
   cooperation and who leads; or "niet van toepassing" with a reason (no care outside school).
8. Uitstroomperspectief: chosen, with its onderbouwing, and an expected level for at least one
   subject (every listed subject has a level).
9. Handelingsdeel: at least one goal for each of the areas in ``REQUIRED_GOAL_AREAS``; every goal
   has its text, tussendoelen and an evaluation date.
10. Aanpassingen: the adjustments to the regular programme are written.
11. Zienswijze: the parents' view is written and at least one conversation is logged (date and
    relevant points). The pupil's view is welcome but not required.
12. Evaluatie: from version 2 on the evaluation compared with the previous version is written;
    version 1 has nothing to compare with, so the part does not apply.
13. Handtekeningen: consent to the handelingsdeel from every guardian with gezag, and the
    signatures of the IB-er and the directie. Parents may sign on paper (the printed signature
    page); their recorded consent with its date is what the app checks.

With the law's shorter form (``OppForm.WETTELIJK``) only the parts in ``LEGAL_MINIMUM`` plus part
13 (consent and signatures) and, from version 2, part 12 are required; the others are still shown
with their marks. A part that may be "niet van toepassing" stores the reason in its own text
column as "Niet van toepassing: <reden>" (see ``opp_parts.NOT_APPLICABLE_FIELDS``), so the printed
OPP shows it in place.
"""

from __future__ import annotations

import base64
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ib_desktop.dates import short_date
from ib_desktop.models import (
    ChangeLog,
    Guardian,
    Opp,
    OppConsent,
    OppConversation,
    OppForm,
    OppGoal,
    OppSignature,
    OppStatus,
    OppVersion,
    Outcome,
    OutflowPerspective,
    Pupil,
    PupilStatus,
    School,
    SignatureRole,
    Staff,
    StaffRole,
)
from ib_desktop.models.base import now
from ib_desktop.opp_parts import (
    LEGAL_MINIMUM,
    NEED_ASPECTS,
    NOT_APPLICABLE_FIELDS,
    NOT_APPLICABLE_PREFIX,
    OUTCOME_LABELS,
    OUTFLOW_LABELS,
    PART_FIELDS,
    PARTS,
    REQUIRED_GOAL_AREAS,
    SIGNATURE_ROLE_LABELS,
    care_scope_phrase,
)
from ib_desktop.services import audit, versioned
from ib_desktop.services.snapshot import pupil_snapshot
from ib_desktop.validation import (
    ConcurrentEditError,
    ReadOnlyError,
    ValidationError,
    ValidationErrors,
)

ENTITY = "opp_version"
# The OPP as a whole (its start and end, which go to the national registry) is logged apart
# from its versions, the way the pupil file logs the end of an OPP when a pupil leaves.
OPP_ENTITY = "opp"
ENDED_ACTION = "beëindigd"
REOPENED_ACTION = "weer lopend"
_ENDED_SUMMARY = re.compile(r"^OPP beëindigd op [0-9-]+:\s*(.*)$", re.DOTALL)

# Content columns of OppVersion that a new version copies and the comparison looks at.
TEXT_FIELDS: tuple[str, ...] = (
    "general_notes",
    "school_career_notes",
    "assessment_notes",
    "arrangement_kind",
    "funding_category",
    "funder",
    "arrangement_notes",
    "promoting_factors",
    "hindering_factors",
    "need_attention",
    "need_materials",
    "need_space",
    "need_expertise",
    "need_cooperation",
    "youth_act",
    "long_term_care_act",
    "health_insurance",
    "coordination",
    "lead_by",
    "outflow_rationale",
    "adjustments",
    "parents_view",
    "pupil_view",
    "evaluation",
)
DATE_FIELDS: tuple[str, ...] = ("arrangement_granted_on", "arrangement_start", "arrangement_end")
SCHOOL_SIGNERS: tuple[SignatureRole, ...] = (SignatureRole.IB, SignatureRole.DIRECTIE)


# ------------------------------------------------------------------------------- plain data


@dataclass
class GoalData:
    """A goal of part 9 as the editor holds it."""

    area: str
    goal: str = ""
    intermediate_goals: str = ""
    evaluation_date: date | None = None
    result: str = ""
    outcome: Outcome | None = None
    id: int | None = None


@dataclass
class ConversationData:
    """A conversation of part 11."""

    date: date
    participants: str = ""
    summary: str = ""
    id: int | None = None


@dataclass
class ConsentData:
    """A guardian's answer to the handelingsdeel: consent or not, when, and their view."""

    guardian_id: int | None
    guardian_name: str
    consent: bool
    date: date
    view: str = ""
    id: int | None = None


@dataclass
class SignatureData:
    """A signature of part 13; ``image_png`` holds a signature drawn on screen."""

    role: SignatureRole
    name: str
    signed_on: date
    guardian_id: int | None = None
    staff_id: int | None = None
    image_png: bytes | None = None
    captured_at: datetime | None = None
    id: int | None = None


@dataclass
class OppVersionData:
    """One OPP version as plain data, detached from any session (what the editor works on)."""

    id: int
    opp_id: int
    pupil_id: int
    pupil_name: str
    number: int
    status: OppStatus
    form: OppForm
    lock_version: int
    previous_version_id: int | None = None
    discussed_on: date | None = None
    fixed_on: date | None = None
    evaluated_on: date | None = None
    next_evaluation_on: date | None = None
    frozen_pupil: dict[str, Any] | None = None
    general_notes: str = ""
    school_career_notes: str = ""
    assessment_notes: str = ""
    arrangement_kind: str = ""
    arrangement_granted_on: date | None = None
    arrangement_start: date | None = None
    arrangement_end: date | None = None
    funding_category: str = ""
    funder: str = ""
    arrangement_notes: str = ""
    promoting_factors: str = ""
    hindering_factors: str = ""
    need_attention: str = ""
    need_materials: str = ""
    need_space: str = ""
    need_expertise: str = ""
    need_cooperation: str = ""
    youth_act: str = ""
    long_term_care_act: str = ""
    health_insurance: str = ""
    coordination: str = ""
    lead_by: str = ""
    outflow: OutflowPerspective | None = None
    outflow_rationale: str = ""
    subject_levels: dict[str, str] = field(default_factory=dict)
    adjustments: str = ""
    parents_view: str = ""
    pupil_view: str = ""
    evaluation: str = ""
    goals: list[GoalData] = field(default_factory=list)
    conversations: list[ConversationData] = field(default_factory=list)
    consents: list[ConsentData] = field(default_factory=list)
    signatures: list[SignatureData] = field(default_factory=list)
    # Part 12 shows the previous version's goals with their results beside the evaluation.
    previous_goals: list[GoalData] = field(default_factory=list)
    # The OPP as a whole: when it started and, once ended, when and why (from the change log).
    opp_start_date: date | None = None
    opp_end_date: date | None = None
    opp_end_reason: str = ""

    @property
    def is_frozen(self) -> bool:
        """A fixed or evaluated version is never edited again."""
        return self.status in (OppStatus.VASTGESTELD, OppStatus.GEEVALUEERD)

    @property
    def is_ended(self) -> bool:
        """The OPP has an end date: none of its versions is edited until the end is undone."""
        return self.opp_end_date is not None


@dataclass(frozen=True, slots=True)
class PartStatus:
    """Whether one part is complete, and what is missing (Dutch, fit to show to the user)."""

    number: int
    key: str
    title: str
    complete: bool
    missing: list[str]
    required: bool = True
    not_applicable: str = ""


@dataclass(frozen=True, slots=True)
class VersionSummary:
    """A line of the version history."""

    id: int
    number: int
    status: OppStatus
    created_at: datetime
    discussed_on: date | None
    fixed_on: date | None
    evaluated_on: date | None
    next_evaluation_on: date | None
    previous_version_id: int | None


@dataclass(frozen=True, slots=True)
class ConsentIssue:
    """An OPP whose current version has a guardian who did not consent (for the dashboard)."""

    opp_id: int
    version_id: int
    version_number: int
    pupil_id: int
    pupil_name: str
    guardian_id: int | None
    guardian_name: str
    date: date
    view: str


@dataclass(frozen=True, slots=True)
class OppPeriod:
    """An OPP's start and end as the national registry gets them, and why it ended."""

    opp_id: int
    pupil_id: int
    pupil_name: str
    start_date: date
    end_date: date | None
    end_reason: str = ""

    @property
    def is_ended(self) -> bool:
        """Ended OPPs are read-only; the schedule stops planning them after the end date."""
        return self.end_date is not None


@dataclass(frozen=True, slots=True)
class SignerChoice:
    """Someone who can sign part 13: a guardian with gezag or a member of staff."""

    role: SignatureRole
    name: str
    guardian_id: int | None = None
    staff_id: int | None = None


class OppNotReady(ValidationErrors):
    """Fixing was refused; ``errors`` says what is missing, ``parts`` which parts to complete."""

    def __init__(self, errors: dict[str, str], parts: list[int]) -> None:
        super().__init__(errors)
        self.parts = parts


# ------------------------------------------------------------------------------- helpers


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


def default_next_evaluation(fixed_on: date, evaluations_per_year: int) -> date:
    """When to evaluate next: the school's rhythm (2 a year: half a year), never over a year."""
    per_year = max(1, int(evaluations_per_year or 1))
    months = max(1, round(12 / per_year))
    return min(fixed_on + relativedelta(months=months), fixed_on + relativedelta(years=1))


def carried_goal_date(
    goal_date: date | None, evaluated_on: date, evaluations_per_year: int
) -> date:
    """A goal's evaluation date in the version that follows an evaluation.

    Each goal keeps its own date: one still ahead stays as it is, one that has passed moves on
    at the school's rhythm from that date, so goals the IB-er dated apart stay apart. A goal
    without a date gets the next evaluation moment.
    """
    if goal_date is None:
        return default_next_evaluation(evaluated_on, evaluations_per_year)
    for _ in range(50):
        if goal_date > evaluated_on:
            return goal_date
        goal_date = default_next_evaluation(goal_date, evaluations_per_year)
    return default_next_evaluation(evaluated_on, evaluations_per_year)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _load(session: Session, version_id: int) -> OppVersion:
    version = session.scalars(
        sa.select(OppVersion)
        .where(OppVersion.id == version_id)
        .options(
            selectinload(OppVersion.goals),
            selectinload(OppVersion.conversations),
            selectinload(OppVersion.consents),
            selectinload(OppVersion.signatures),
        )
    ).first()
    if version is None:
        raise LookupError(f"OPP-versie {version_id} bestaat niet (meer).")
    return version


def _goal_data(g: OppGoal) -> GoalData:
    return GoalData(
        id=g.id,
        area=g.area,
        goal=g.goal,
        intermediate_goals=g.intermediate_goals,
        evaluation_date=g.evaluation_date,
        result=g.result,
        outcome=Outcome(g.outcome) if g.outcome else None,
    )


def _to_data(session: Session, version: OppVersion) -> OppVersionData:
    opp = version.opp
    pupil = session.get(Pupil, opp.pupil_id)
    data = OppVersionData(
        id=version.id,
        opp_id=opp.id,
        pupil_id=opp.pupil_id,
        pupil_name=pupil.full_name if pupil else "",
        number=version.number,
        status=OppStatus(version.status),
        form=OppForm(version.form),
        lock_version=version.version,
        previous_version_id=version.previous_version_id,
        discussed_on=version.discussed_on,
        fixed_on=version.fixed_on,
        evaluated_on=version.evaluated_on,
        next_evaluation_on=version.next_evaluation_on,
        frozen_pupil=version.frozen_pupil,
        outflow=OutflowPerspective(version.outflow) if version.outflow else None,
        subject_levels={str(k): str(v) for k, v in (version.subject_levels or {}).items()},
        goals=[_goal_data(g) for g in version.goals],
        conversations=[
            ConversationData(id=c.id, date=c.date, participants=c.participants, summary=c.summary)
            for c in version.conversations
        ],
        consents=[
            ConsentData(
                id=c.id,
                guardian_id=c.guardian_id,
                guardian_name=c.guardian_name,
                consent=bool(c.consent),
                date=c.date,
                view=c.view,
            )
            for c in version.consents
        ],
        signatures=[
            SignatureData(
                id=s.id,
                role=SignatureRole(s.role),
                name=s.name,
                signed_on=s.signed_on,
                guardian_id=s.guardian_id,
                staff_id=s.staff_id,
                image_png=s.image_png,
                captured_at=s.captured_at,
            )
            for s in version.signatures
        ],
    )
    for name in TEXT_FIELDS + DATE_FIELDS:
        setattr(
            data,
            name,
            getattr(version, name) if name in DATE_FIELDS else (getattr(version, name) or ""),
        )
    if version.previous_version_id:
        previous = _load(session, version.previous_version_id)
        data.previous_goals = [_goal_data(g) for g in previous.goals]
    data.opp_start_date = opp.start_date
    data.opp_end_date = opp.end_date
    if opp.end_date is not None:
        data.opp_end_reason = _end_reason(session, opp.id)
    return data


def _end_reason(session: Session, opp_id: int) -> str:
    """Why the OPP ended: the reason of its newest end in the change log ("" when unknown)."""
    summary = session.scalar(
        sa.select(ChangeLog.summary)
        .where(
            ChangeLog.entity == OPP_ENTITY,
            ChangeLog.entity_id == opp_id,
            ChangeLog.action == ENDED_ACTION,
        )
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
        .limit(1)
    )
    if not summary:
        return ""
    match = _ENDED_SUMMARY.match(summary)
    return (match.group(1) if match else summary).strip()


def _live_snapshot(session: Session, pupil_id: int) -> dict[str, Any]:
    pupil = session.scalars(
        sa.select(Pupil)
        .where(Pupil.id == pupil_id)
        .options(
            selectinload(Pupil.guardians),
            selectinload(Pupil.care_providers),
            selectinload(Pupil.school_history),
            selectinload(Pupil.assessments),
        )
    ).one()
    return pupil_snapshot(pupil)


# ------------------------------------------------------------------------------- queries


def load_version(session: Session, version_id: int) -> OppVersionData:
    """A version as plain data (with the previous version's goals for part 12)."""
    return _to_data(session, _load(session, version_id))


def pupil_part_data(session: Session, data: OppVersionData) -> dict[str, Any]:
    """What parts 1-3 show: the frozen snapshot of a fixed version, else the live pupil file."""
    if data.is_frozen and data.frozen_pupil is not None:
        return data.frozen_pupil
    return _live_snapshot(session, data.pupil_id)


def newest_version_id(session: Session, opp_id: int) -> int:
    """The version being worked on or in force."""
    vid = session.scalar(
        sa.select(OppVersion.id)
        .where(OppVersion.opp_id == opp_id)
        .order_by(OppVersion.number.desc())
        .limit(1)
    )
    if vid is None:
        raise LookupError(f"OPP {opp_id} heeft geen versies.")
    return vid


def opp_for_pupil(session: Session, pupil_id: int) -> int | None:
    """The pupil's running OPP (not ended), or their latest one, or None."""
    rows = session.execute(
        sa.select(Opp.id, Opp.end_date).where(Opp.pupil_id == pupil_id).order_by(Opp.start_date)
    ).all()
    if not rows:
        return None
    running = [r.id for r in rows if r.end_date is None]
    return running[-1] if running else rows[-1].id


def list_versions(session: Session, opp_id: int) -> list[VersionSummary]:
    """All versions of an OPP, oldest first."""
    return [
        VersionSummary(
            id=v.id,
            number=v.number,
            status=OppStatus(v.status),
            created_at=v.created_at,
            discussed_on=v.discussed_on,
            fixed_on=v.fixed_on,
            evaluated_on=v.evaluated_on,
            next_evaluation_on=v.next_evaluation_on,
            previous_version_id=v.previous_version_id,
        )
        for v in session.scalars(
            sa.select(OppVersion).where(OppVersion.opp_id == opp_id).order_by(OppVersion.number)
        )
    ]


def signer_choices(
    session: Session, data: OppVersionData, pupil: dict[str, Any]
) -> list[SignerChoice]:
    """Who can sign: guardians with gezag, the IB-ers and directie, the group's teachers."""
    choices = [
        SignerChoice(SignatureRole.OUDER, g["name"], guardian_id=g["id"])
        for g in pupil.get("guardians", [])
        if g.get("has_custody")
    ]
    school_id = session.scalar(sa.select(Pupil.school_id).where(Pupil.id == data.pupil_id))
    staff = session.scalars(
        sa.select(Staff)
        .where(Staff.school_id == school_id, Staff.active.is_(True))
        .order_by(Staff.last_name, Staff.first_name)
    ).all()
    roles = {StaffRole.IB: SignatureRole.IB, StaffRole.DIRECTIE: SignatureRole.DIRECTIE}
    for member in staff:
        role = roles.get(StaffRole(member.role))
        if role:
            choices.append(SignerChoice(role, member.full_name, staff_id=member.id))
    pupil_row = session.get(Pupil, data.pupil_id)
    if pupil_row is not None and pupil_row.group is not None:
        for teacher in pupil_row.group.teachers:
            choices.append(
                SignerChoice(SignatureRole.LEERKRACHT, teacher.full_name, staff_id=teacher.id)
            )
        choices.append(SignerChoice(SignatureRole.LEERLING, pupil_row.full_name))
    return choices


def opps_without_consent(session: Session, school_id: int) -> list[ConsentIssue]:
    """OPPs whose current version is not fixed because a guardian refused consent.

    Only the newest version of each OPP counts: a refusal on an older version that was later
    resolved is history, not a task.
    """
    newest = (
        sa.select(OppVersion.opp_id, sa.func.max(OppVersion.number).label("number"))
        .group_by(OppVersion.opp_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(OppVersion, OppConsent, Pupil)
        .join(
            newest,
            sa.and_(newest.c.opp_id == OppVersion.opp_id, newest.c.number == OppVersion.number),
        )
        .join(Opp, Opp.id == OppVersion.opp_id)
        .join(Pupil, Pupil.id == Opp.pupil_id)
        .join(OppConsent, OppConsent.opp_version_id == OppVersion.id)
        .where(
            Pupil.school_id == school_id,
            OppConsent.consent.is_(False),
            OppVersion.status.in_([OppStatus.CONCEPT, OppStatus.BESPROKEN]),
            Opp.end_date.is_(None),
        )
        .order_by(Pupil.last_name, Pupil.first_name, OppConsent.date)
    ).all()
    return [
        ConsentIssue(
            opp_id=version.opp_id,
            version_id=version.id,
            version_number=version.number,
            pupil_id=pupil.id,
            pupil_name=pupil.full_name,
            guardian_id=consent.guardian_id,
            guardian_name=consent.guardian_name,
            date=consent.date,
            view=consent.view,
        )
        for version, consent, pupil in rows
    ]


# ------------------------------------------------------------------------------- completeness


def required_parts(form: OppForm, number: int) -> frozenset[str]:
    """The part keys that must be complete before a version of this form can be fixed."""
    if OppForm(form) == OppForm.WETTELIJK:
        keys = set(LEGAL_MINIMUM) | {"handtekeningen"}
    else:
        keys = {p.key for p in PARTS}
    if number < 2:
        keys.discard("evaluatie")
    else:
        keys.add("evaluatie")
    return frozenset(keys)


def custody_guardians(pupil: dict[str, Any]) -> list[dict[str, Any]]:
    """The guardians with gezag in a pupil snapshot: they give consent and sign."""
    return [g for g in pupil.get("guardians", []) if g.get("has_custody")]


def consent_problems(data: OppVersionData, pupil: dict[str, Any]) -> dict[str, str]:
    """Per guardian with gezag what is wrong with their consent (empty when all consented)."""
    by_guardian = {c.guardian_id: c for c in data.consents}
    problems: dict[str, str] = {}
    for g in custody_guardians(pupil):
        consent = by_guardian.get(g["id"])
        who = f"{g['name']} ({g.get('relation') or 'ouder'})"
        if consent is None:
            problems[f"toestemming_{g['id']}"] = (
                f"De toestemming van {who} voor het handelingsdeel is nog niet vastgelegd."
            )
        elif not consent.consent:
            problems[f"toestemming_{g['id']}"] = (
                f"{who} heeft op {short_date(consent.date)} geen toestemming gegeven voor het "
                "handelingsdeel."
            )
    return problems


def signature_problems(data: OppVersionData) -> dict[str, str]:
    """Which of the school's signatures (IB-er, directie) are missing."""
    present = {s.role for s in data.signatures}
    return {
        f"handtekening_{role.value}": (
            f"De handtekening van de {SIGNATURE_ROLE_LABELS[role.value].lower()} ontbreekt."
        )
        for role in SCHOOL_SIGNERS
        if role not in present
    }


def _missing_part(key: str, data: OppVersionData, pupil: dict[str, Any]) -> tuple[list[str], str]:
    """What part ``key`` lacks, and its "niet van toepassing" reason when it has one."""
    missing: list[str] = []
    na_field = NOT_APPLICABLE_FIELDS.get(key)
    if na_field is not None:
        reason = not_applicable_reason(getattr(data, na_field))
        if reason is not None:
            if not reason:
                return ["Geef aan waarom dit deel niet van toepassing is."], ""
            return [], reason
    if key == "algemeen":
        if not pupil.get("guardians"):
            missing.append("Er zijn geen ouders/verzorgers vastgelegd in het leerlingdossier.")
        elif not custody_guardians(pupil):
            missing.append("Leg vast welke ouder/verzorger (of instantie) het gezag heeft.")
        if _blank(pupil.get("pupil", {}).get("family_composition")):
            missing.append("Beschrijf de gezinssamenstelling in het leerlingdossier.")
    elif key == "schoolloopbaan":
        if not pupil.get("pupil", {}).get("first_school_day"):
            missing.append("Vul de eerste schooldag in (leerlingdossier).")
        for entry in pupil.get("school_history", []):
            if not entry.get("start_date"):
                missing.append(f"Vul de begindatum in bij '{entry.get('institution')}'.")
        if _blank(data.school_career_notes):
            missing.append("Beschrijf het verloop van de schoolloopbaan.")
    elif key == "onderzoek":
        assessments = pupil.get("assessments", [])
        if not assessments:
            missing.append(
                "Leg een onderzoek vast in het leerlingdossier, of markeer dit deel als niet van "
                "toepassing met een reden."
            )
        for a in assessments:
            label = a.get("kind") or "onderzoek"
            if _blank(a.get("conclusion")):
                missing.append(f"Vul de conclusie in van '{label}'.")
            if _blank(a.get("performed_by")):
                missing.append(f"Vul in wie '{label}' heeft uitgevoerd.")
    elif key == "inzet":
        if _blank(data.arrangement_kind):
            missing.append("Vul de soort inzet in (arrangement of TLV).")
        if data.arrangement_granted_on is None:
            missing.append("Vul de datum van toekenning in.")
        if data.arrangement_start is None or data.arrangement_end is None:
            missing.append("Vul de looptijd in (van en tot en met).")
        if _blank(data.funder):
            missing.append("Vul in wie de inzet bekostigt.")
        if "tlv" in data.arrangement_kind.lower() and _blank(data.funding_category):
            missing.append("Vul de bekostigingscategorie van de TLV in.")
    elif key == "factoren":
        if _blank(data.promoting_factors):
            missing.append("Beschrijf de bevorderende factoren.")
        if _blank(data.hindering_factors):
            missing.append("Beschrijf de belemmerende factoren.")
    elif key == "behoeften":
        for name, label in NEED_ASPECTS:
            if _blank(getattr(data, name)):
                missing.append(f"Beschrijf de behoefte bij '{label}'.")
    elif key == "zorg":
        if all(_blank(t) for t in (data.youth_act, data.long_term_care_act, data.health_insurance)):
            missing.append(
                "Beschrijf de inzet vanuit jeugdwet, Wlz of zorgverzekering, of markeer dit deel "
                "als niet van toepassing met een reden."
            )
        if _blank(data.coordination):
            missing.append("Beschrijf de afspraken over samenwerking en afstemming.")
        if _blank(data.lead_by):
            missing.append("Vul in bij wie de regie ligt.")
    elif key == "uitstroom":
        if data.outflow is None:
            missing.append("Kies het uitstroomperspectief.")
        if _blank(data.outflow_rationale):
            missing.append("Onderbouw het uitstroomperspectief.")
        levels = {k: v for k, v in data.subject_levels.items() if k.strip()}
        if not levels:
            missing.append("Vul voor ten minste één vak het verwachte niveau in.")
        for subject, level in levels.items():
            if _blank(level):
                missing.append(f"Vul het verwachte niveau voor {subject} in.")
    elif key == "handelingsdeel":
        areas = {g.area.strip().lower() for g in data.goals if not _blank(g.goal)}
        lacking = [a for a in REQUIRED_GOAL_AREAS if a.lower() not in areas]
        for area in lacking:
            missing.append(f"Formuleer een doel voor {area.lower()}.")
        lacking_lower = {a.lower() for a in lacking}
        for index, g in enumerate(data.goals, start=1):
            name = f"doel {index} ({g.area or 'zonder gebied'})"
            if _blank(g.area):
                missing.append(f"Kies het ontwikkelingsgebied van doel {index}.")
            if _blank(g.goal):
                # An empty goal of an area that lacks one is already named above.
                if g.area.strip().lower() not in lacking_lower:
                    missing.append(f"Vul de tekst van {name} in.")
                continue
            if _blank(g.intermediate_goals):
                missing.append(f"Vul de tussendoelen van {name} in.")
            if g.evaluation_date is None:
                missing.append(f"Vul de evaluatiedatum van {name} in.")
    elif key == "aanpassingen":
        if _blank(data.adjustments):
            missing.append("Beschrijf de aanpassingen van het reguliere programma.")
    elif key == "zienswijze":
        if _blank(data.parents_view):
            missing.append("Noteer de zienswijze van de ouders/verzorgers.")
        if not any(not _blank(c.summary) for c in data.conversations):
            missing.append("Leg ten minste één gesprek met de ouders vast.")
    elif key == "evaluatie":
        if data.number < 2:
            return (
                [],
                "Dit is de eerste versie: er is nog geen vorige versie om mee te vergelijken.",
            )
        if _blank(data.evaluation):
            missing.append("Beschrijf de evaluatie ten opzichte van de vorige versie.")
    elif key == "handtekeningen":
        missing.extend(consent_problems(data, pupil).values())
        missing.extend(signature_problems(data).values())
    return missing, ""


def part_statuses(data: OppVersionData, pupil: dict[str, Any]) -> list[PartStatus]:
    """The 13 parts with their completeness, for the editor's side list and for fixing."""
    required = required_parts(data.form, data.number)
    result = []
    for part in PARTS:
        missing, reason = _missing_part(part.key, data, pupil)
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


def fix_problems(data: OppVersionData, pupil: dict[str, Any]) -> tuple[dict[str, str], list[int]]:
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
        if status.key == "handtekeningen":
            errors.update(consent_problems(data, pupil))
            errors.update(signature_problems(data))
        else:
            errors[f"deel_{status.number}"] = (
                f"Deel {status.number} ({status.title}) is niet compleet: "
                + " ".join(status.missing)
            )
    return errors, parts


# ------------------------------------------------------------------------------- writing


def start_opp(
    session: Session,
    pupil_id: int,
    *,
    on: date,
    form: OppForm = OppForm.DERTIEN_DELEN,
    actor: str | None = None,
) -> OppVersionData:
    """A new OPP with version 1 as a concept; part 9 starts with a goal per required area."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise LookupError(f"Leerling {pupil_id} bestaat niet (meer).")
    if pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(f"{pupil.full_name} heeft de school verlaten; start geen nieuw OPP.")
    # An ended OPP still runs up to and including its end date; a new one starts after it.
    overlapping = session.execute(
        sa.select(Opp.id, Opp.end_date).where(
            Opp.pupil_id == pupil_id, sa.or_(Opp.end_date.is_(None), Opp.end_date >= on)
        )
    ).all()
    if any(row.end_date is None for row in overlapping):
        raise ValidationError(
            "pupil_id",
            f"{pupil.full_name} heeft al een lopend OPP; open dat OPP om verder te werken.",
        )
    if overlapping:
        last_end = max(row.end_date for row in overlapping)
        raise ValidationError(
            "pupil_id",
            f"Het vorige OPP van {pupil.full_name} loopt tot en met {short_date(last_end)}; "
            f"een nieuw OPP kan pas op {short_date(last_end + relativedelta(days=1))} starten.",
        )
    school = session.get(School, pupil.school_id)
    opp = Opp(pupil_id=pupil_id, start_date=on)
    version = OppVersion(
        number=1,
        status=OppStatus.CONCEPT,
        form=OppForm(form),
        funder=(school.swv_name if school else "") or "",
    )
    for position, area in enumerate(REQUIRED_GOAL_AREAS):
        version.goals.append(OppGoal(area=area, position=position, goal=""))
    opp.versions.append(version)
    session.add(opp)
    session.flush()
    audit.record(
        session,
        "opp",
        opp.id,
        "aangemaakt",
        summary=f"OPP gestart voor {pupil.full_name}",
        actor=actor,
    )
    return load_version(session, version.id)


def _validate(data: OppVersionData, pupil: dict[str, Any] | None = None) -> None:
    errors: dict[str, str] = {}
    if (
        data.arrangement_start
        and data.arrangement_end
        and data.arrangement_end < data.arrangement_start
    ):
        errors["arrangement_end"] = "De looptijd eindigt vóór de begindatum."
    ValidationErrors.collect(errors)


def _goals_text(goals: Iterable[Any]) -> str:
    """The goals of part 9 in one line each, to show beside the other person's."""
    lines = []
    for g in goals:
        text = " ".join((g.goal or "").split())
        lines.append(f"{g.area}: {text}" if text else str(g.area))
    return "\n".join(lines)


#: Each editable field of a version with the Dutch name the editor gives it.
CONFLICT_LABELS: dict[str, str] = {
    name: label for fields_ in PART_FIELDS.values() for name, label in fields_
}
CONFLICT_LABELS["goals"] = "Doelen (deel 9)"


def _conflict_values(data: OppVersionData) -> dict[str, Any]:
    """What the editor wanted, field by field, as a conflict compares it."""
    values: dict[str, Any] = {name: getattr(data, name) or "" for name in TEXT_FIELDS}
    values.update({name: getattr(data, name) for name in DATE_FIELDS})
    values["outflow"] = data.outflow
    values["goals"] = _goals_text(data.goals)
    return values


def _opp_spec(version_id: int) -> versioned.Versioned:
    """How a conflict on an OPP version is told: per part's field, its Dutch name."""

    def value_of(row: OppVersion, name: str) -> Any:
        if name == "goals":
            return _goals_text(row.goals)
        value = getattr(row, name)
        return "" if value is None and name in TEXT_FIELDS else value

    return versioned.Versioned(
        "deze OPP-versie",
        labels=CONFLICT_LABELS,
        history=versioned.History(ENTITY, version_id),
        value_of=value_of,
    )


def _check_lock(row: OppVersion, lock_version: int | None) -> None:
    if lock_version is not None and row.version != lock_version:
        raise ConcurrentEditError("deze OPP-versie")


def _check_editable(row: OppVersion) -> None:
    _check_running(row.opp)
    if row.is_frozen:
        state = "vastgesteld" if row.status == OppStatus.VASTGESTELD else "geëvalueerd"
        raise ReadOnlyError(
            f"Versie {row.number} van dit OPP is {state} "
            "en kan niet meer worden gewijzigd. Evalueer het OPP om een nieuwe versie te maken."
        )


def _check_running(opp: Opp) -> None:
    """Refuse changes to the OPP of a pupil who left, and to an ended OPP."""
    pupil = opp.pupil
    if pupil is not None and pupil.status == PupilStatus.VERTROKKEN:
        # The file of a pupil who left is kept as it was, for the parents and the retention.
        raise ReadOnlyError(
            f"{pupil.full_name} heeft de school verlaten; het OPP kan alleen nog worden ingezien."
        )
    if opp.end_date is not None:
        raise ReadOnlyError(
            f"Dit OPP is beëindigd op {short_date(opp.end_date)} en kan alleen nog worden "
            "ingezien. Maak de beëindiging eerst ongedaan om het te wijzigen."
        )


def _touch(row: OppVersion) -> None:
    """Make the row itself UPDATE, so its version number moves even when only children changed."""
    row.updated_at = now()
    flag_modified(row, "updated_at")


def _flush_locked(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConcurrentEditError("deze OPP-versie") from exc


def _changed_parts(row: OppVersion, data: OppVersionData) -> list[int]:
    changed = []
    for part in PARTS:
        names = [n for n, _l in PART_FIELDS[part.key]]
        if (
            any(
                (getattr(row, n) or "") != (getattr(data, n) or "") for n in names if n != "outflow"
            )
            or part.key == "uitstroom"
            and (row.outflow != data.outflow or (row.subject_levels or {}) != data.subject_levels)
        ):
            changed.append(part.number)
    return changed


def save_version(
    session: Session, data: OppVersionData, *, actor: str | None = None
) -> OppVersionData:
    """Store the editor's content of a concept version (not its consents and signatures).

    Raises ReadOnlyError for a fixed version, :class:`~ib_desktop.services.versioned.EditConflict`
    when someone else saved the version after ``data`` was loaded (nothing is overwritten; saving
    again with its ``current_version`` as ``lock_version`` overwrites on purpose),
    ValidationErrors for bad input.
    """
    row = _load(session, data.id)
    _check_editable(row)
    mine, spec = _conflict_values(data), _opp_spec(row.id)
    # Someone else saved after the editor loaded: both versions per field, nothing written.
    versioned.check_version(session, row, data.lock_version, mine, spec)
    _validate(data)
    changed = _changed_parts(row, data)
    for name in TEXT_FIELDS:
        setattr(row, name, getattr(data, name) or "")
    for name in DATE_FIELDS:
        setattr(row, name, getattr(data, name))
    row.outflow = data.outflow
    row.subject_levels = {k.strip(): v.strip() for k, v in data.subject_levels.items() if k.strip()}
    _sync_goals(row, data.goals)
    _sync_children(
        row.conversations,
        data.conversations,
        OppConversation,
        ("date", "participants", "summary"),
    )
    # Consents and signatures are not part of the draft: each is stored the moment it is
    # given (record_consent, add_signature), so a stale editor can never drop one.
    _touch(row)
    versioned.flush(session, row, mine, spec)
    summary = "Gewijzigd: " + ", ".join(f"deel {n}" for n in changed) if changed else "Opgeslagen"
    audit.record(session, ENTITY, row.id, "gewijzigd", summary=summary, actor=actor)
    return load_version(session, row.id)


def _sync_goals(row: OppVersion, goals: list[GoalData]) -> None:
    existing = {g.id: g for g in row.goals}
    keep: list[OppGoal] = []
    for position, g in enumerate(goals):
        target = existing.get(g.id) if g.id is not None else None
        if target is None:
            target = OppGoal(area=g.area)
        target.area = g.area.strip()
        target.position = position
        target.goal = g.goal or ""
        target.intermediate_goals = g.intermediate_goals or ""
        target.evaluation_date = g.evaluation_date
        target.result = g.result or ""
        target.outcome = g.outcome
        keep.append(target)
    row.goals[:] = keep


def _sync_children(
    rows: list[Any], items: Iterable[Any], cls: type, names: tuple[str, ...]
) -> None:
    existing = {r.id: r for r in rows}
    keep = []
    for item in items:
        target = existing.get(item.id) if item.id is not None else None
        if target is None:
            target = cls(**{n: getattr(item, n) for n in names})
        else:
            for n in names:
                setattr(target, n, getattr(item, n))
        keep.append(target)
    rows[:] = keep


def _check_legal_act(row: OppVersion) -> None:
    """Consent and signatures belong to a concept version of a running OPP."""
    _check_editable(row)


def _legal_act_stored(session: Session) -> None:
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        # Two people recorded the same guardian's answer at once: the first one stands.
        raise ConcurrentEditError("de toestemming bij deze OPP-versie") from exc


def record_consent(
    session: Session,
    version_id: int,
    guardian_id: int,
    *,
    consent: bool,
    on: date,
    view: str = "",
    today: date | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Record a guardian's consent (or refusal, with their view) to the handelingsdeel.

    A legal act: it is stored at once, on its own, with a line in the change log. The rest of
    the version (the draft in the editor) is not touched, and neither is the version's lock, so
    the editor's own later save is no conflict. Returns the version as stored.
    """
    row = _load(session, version_id)
    _check_legal_act(row)
    guardian = session.get(Guardian, guardian_id)
    if guardian is None or guardian.pupil_id != row.opp.pupil_id:
        raise ValidationError("guardian_id", "Deze ouder/verzorger hoort niet bij deze leerling.")
    if not guardian.has_custody:
        raise ValidationError(
            "guardian_id",
            f"{guardian.name} heeft geen gezag; alleen ouders met gezag geven toestemming.",
        )
    errors: dict[str, str] = {}
    if not consent and _blank(view):
        errors[f"toestemming_{guardian_id}"] = (
            f"Noteer de zienswijze van {guardian.name}: waarom geeft "
            "de ouder/verzorger geen toestemming?"
        )
    if today is not None and on > today:
        errors["date"] = "De datum van de toestemming ligt in de toekomst."
    ValidationErrors.collect(errors)
    target = next((c for c in row.consents if c.guardian_id == guardian_id), None)
    if target is None:
        target = OppConsent(
            guardian_id=guardian_id, guardian_name=guardian.name, consent=consent, date=on
        )
        row.consents.append(target)
    target.guardian_name = guardian.name
    target.consent = consent
    target.date = on
    target.view = (view or "").strip()
    _legal_act_stored(session)
    audit.record(
        session,
        ENTITY,
        version_id,
        "toestemming" if consent else "geen toestemming",
        summary=f"{guardian.name}: {'' if consent else 'geen '}toestemming op {short_date(on)}",
        actor=actor,
    )
    return load_version(session, version_id)


def add_signature(
    session: Session,
    version_id: int,
    signature: SignatureData,
    *,
    today: date | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Add a signature to part 13 (replacing an earlier one of the same person and role).

    Stored at once, on its own, like consent: the draft and the version's lock stay as they are.
    """
    row = _load(session, version_id)
    _check_legal_act(row)
    errors: dict[str, str] = {}
    if _blank(signature.name):
        errors["handtekening_naam"] = "Vul de naam in van wie tekent."
    if today is not None and signature.signed_on > today:
        errors["handtekening_datum"] = "De datum van de handtekening ligt in de toekomst."
    ValidationErrors.collect(errors)

    def same(s: OppSignature) -> bool:
        if s.role != signature.role:
            return False
        if signature.guardian_id is not None:
            return s.guardian_id == signature.guardian_id
        if signature.staff_id is not None:
            return s.staff_id == signature.staff_id
        return s.name == signature.name.strip()

    replaced = [s for s in row.signatures if same(s)]
    for old in replaced:
        row.signatures.remove(old)
    row.signatures.append(
        OppSignature(
            role=signature.role,
            name=signature.name.strip(),
            signed_on=signature.signed_on,
            guardian_id=signature.guardian_id,
            staff_id=signature.staff_id,
            image_png=signature.image_png,
            captured_at=signature.captured_at,
        )
    )
    _legal_act_stored(session)
    role = SIGNATURE_ROLE_LABELS.get(SignatureRole(signature.role).value, str(signature.role))
    audit.record(
        session,
        ENTITY,
        version_id,
        "ondertekend",
        summary=(
            f"Handtekening {role}: {signature.name.strip()} op {short_date(signature.signed_on)}"
            + (" (op het scherm getekend)" if signature.image_png else "")
        ),
        actor=actor,
    )
    return load_version(session, version_id)


def remove_signature(
    session: Session, version_id: int, signature_id: int, *, actor: str | None = None
) -> OppVersionData:
    """Take a signature off a concept version (stored at once, with a change-log line)."""
    row = _load(session, version_id)
    _check_legal_act(row)
    target = next((s for s in row.signatures if s.id == signature_id), None)
    if target is None:
        raise ConcurrentEditError("deze handtekening")
    row.signatures.remove(target)
    session.flush()
    audit.record(
        session,
        ENTITY,
        version_id,
        "handtekening verwijderd",
        summary=f"Handtekening van {target.name} ({short_date(target.signed_on)}) verwijderd",
        actor=actor,
    )
    return load_version(session, version_id)


def mark_discussed(
    session: Session,
    version_id: int,
    *,
    on: date,
    participants: str = "",
    summary: str = "",
    lock_version: int | None = None,
    today: date | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Record that the version was discussed with the parents; logs the conversation in part 11."""
    row = _load(session, version_id)
    _check_editable(row)
    _check_lock(row, lock_version)
    if today is not None and on > today:
        raise ValidationError(
            "discussed_on",
            "Een gesprek dat nog moet plaatsvinden kan niet als gevoerd worden vastgelegd.",
        )
    row.discussed_on = on
    row.status = OppStatus.BESPROKEN
    if participants.strip() or summary.strip():
        row.conversations.append(
            OppConversation(date=on, participants=participants.strip(), summary=summary.strip())
        )
    _touch(row)
    _flush_locked(session)
    audit.record(
        session,
        ENTITY,
        row.id,
        "besproken",
        summary=f"Besproken met ouders op {short_date(on)}",
        actor=actor,
    )
    return load_version(session, row.id)


def fix_version(
    session: Session,
    version_id: int,
    *,
    on: date,
    next_evaluation_on: date | None = None,
    lock_version: int | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Fix (vaststellen) a version and freeze it together with the pupil data of parts 1-3.

    Refused with :class:`OppNotReady` naming every incomplete part, every guardian with gezag
    whose consent is missing or refused, and every missing school signature.
    """
    row = _load(session, version_id)
    _check_editable(row)
    _check_lock(row, lock_version)
    data = _to_data(session, row)
    pupil = session.get(Pupil, data.pupil_id)
    snapshot = _live_snapshot(session, data.pupil_id)
    errors, parts = fix_problems(data, snapshot)
    if data.discussed_on is not None and on < data.discussed_on:
        errors["fixed_on"] = "De datum van vaststellen ligt vóór het gesprek met de ouders."
    school = session.get(School, pupil.school_id) if pupil else None
    per_year = school.opp_evaluations_per_year if school else 2
    next_on = next_evaluation_on or default_next_evaluation(on, per_year)
    if next_on <= on:
        errors["next_evaluation_on"] = (
            "De volgende evaluatie moet na de datum van vaststellen liggen."
        )
    elif next_on > on + relativedelta(years=1):
        errors["next_evaluation_on"] = (
            "Een OPP wordt ten minste eens per jaar geëvalueerd: kies een datum uiterlijk "
            f"{short_date(on + relativedelta(years=1))}."
        )
    if errors:
        raise OppNotReady(errors, parts)
    row.frozen_pupil = snapshot
    row.status = OppStatus.VASTGESTELD
    row.fixed_on = on
    row.next_evaluation_on = next_on
    _touch(row)
    _flush_locked(session)
    audit.record(
        session,
        ENTITY,
        row.id,
        "vastgesteld",
        summary=(
            f"Versie {row.number} vastgesteld op {short_date(on)}; "
            f"volgende evaluatie {short_date(next_on)}"
        ),
        actor=actor,
    )
    return load_version(session, row.id)


def evaluate_version(
    session: Session,
    version_id: int,
    *,
    on: date,
    results: dict[int, tuple[Outcome, str]],
    lock_version: int | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Evaluate a fixed version: record its goals' results and start the next version.

    The evaluated version keeps everything it had (and gets only the results and the
    evaluation date); the new concept copies all content and goals, each goal with its own
    evaluation date carried over (see :func:`carried_goal_date`). Returns the new version.
    """
    row = _load(session, version_id)
    _check_running(row.opp)
    _check_lock(row, lock_version)
    if row.status != OppStatus.VASTGESTELD:
        raise ValidationError(
            "status",
            "Alleen een vastgestelde versie kan worden geëvalueerd."
            if row.status != OppStatus.GEEVALUEERD
            else "Deze versie is al geëvalueerd.",
        )
    errors: dict[str, str] = {}
    if row.fixed_on and on < row.fixed_on:
        errors["evaluated_on"] = "De evaluatie ligt vóór de datum van vaststellen."
    for goal in row.goals:
        if goal.id not in results or results[goal.id][0] is None:
            text = (
                (goal.goal or "").strip().splitlines()[0][:50]
                if (goal.goal or "").strip()
                else goal.area
            )
            errors[f"doel_{goal.id}"] = (
                f"Geef aan of het doel '{text}' ({goal.area.lower()}) is behaald."
            )
    ValidationErrors.collect(errors)
    for goal in row.goals:
        outcome, result = results[goal.id]
        goal.outcome = Outcome(outcome)
        goal.result = (result or "").strip()
    row.status = OppStatus.GEEVALUEERD
    row.evaluated_on = on
    _touch(row)

    pupil = session.get(Pupil, row.opp.pupil_id)
    school = session.get(School, pupil.school_id) if pupil else None
    per_year = school.opp_evaluations_per_year if school else 2
    new = OppVersion(
        opp_id=row.opp_id,
        number=row.number + 1,
        status=OppStatus.CONCEPT,
        form=row.form,
        previous_version_id=row.id,
        outflow=row.outflow,
        subject_levels=dict(row.subject_levels or {}),
    )
    for name in TEXT_FIELDS + DATE_FIELDS:
        setattr(new, name, getattr(row, name))
    new.evaluation = ""
    for position, goal in enumerate(row.goals):
        new.goals.append(
            OppGoal(
                area=goal.area,
                position=position,
                goal=goal.goal,
                intermediate_goals=goal.intermediate_goals,
                evaluation_date=carried_goal_date(goal.evaluation_date, on, per_year),
            )
        )
    session.add(new)
    _flush_locked(session)
    audit.record(
        session,
        ENTITY,
        row.id,
        "geevalueerd",
        summary=f"Versie {row.number} geëvalueerd op {short_date(on)}",
        actor=actor,
    )
    audit.record(
        session,
        ENTITY,
        new.id,
        "aangemaakt",
        summary=f"Versie {new.number} gestart na evaluatie",
        actor=actor,
    )
    return load_version(session, new.id)


# ------------------------------------------------------------------------------- ending


def _load_opp(session: Session, opp_id: int) -> Opp:
    opp = session.get(Opp, opp_id)
    if opp is None:
        raise LookupError(f"OPP {opp_id} bestaat niet (meer).")
    return opp


def opp_period(session: Session, opp_id: int) -> OppPeriod:
    """The OPP's start and end (with the reason it ended, from the change log)."""
    opp = _load_opp(session, opp_id)
    pupil = session.get(Pupil, opp.pupil_id)
    return OppPeriod(
        opp_id=opp.id,
        pupil_id=opp.pupil_id,
        pupil_name=pupil.full_name if pupil else "",
        start_date=opp.start_date,
        end_date=opp.end_date,
        end_reason=_end_reason(session, opp.id) if opp.end_date is not None else "",
    )


def end_problems(
    session: Session, opp_id: int, end_date: date | None, reason: str, *, today: date | None = None
) -> dict[str, str]:
    """What stands in the way of ending the OPP on ``end_date`` (field -> Dutch message).

    The end may not lie before the start, nor before the newest version was fixed or
    evaluated (what was agreed with the parents on that day was in force), nor after today:
    an ended OPP is read-only at once, so it ends when the support has ended.
    """
    opp = _load_opp(session, opp_id)
    errors: dict[str, str] = {}
    if _blank(reason):
        errors["reason"] = "Vul de reden in waarom het OPP wordt beëindigd."
    if end_date is None:
        errors["end_date"] = "Vul de einddatum van het OPP in."
        return errors
    if end_date < opp.start_date:
        errors["end_date"] = (
            f"Het OPP is gestart op {short_date(opp.start_date)}; de einddatum kan niet "
            "daarvoor liggen."
        )
    elif today is not None and end_date > today:
        errors["end_date"] = (
            "Een OPP kan niet in de toekomst worden beëindigd; kies vandaag of een eerdere datum."
        )
    else:
        latest: tuple[date, int, str] | None = None
        for version in session.scalars(sa.select(OppVersion).where(OppVersion.opp_id == opp.id)):
            for on, what in (
                (version.fixed_on, "vastgesteld"),
                (version.evaluated_on, "geëvalueerd"),
            ):
                if on is not None and (latest is None or on > latest[0]):
                    latest = (on, version.number, what)
        if latest is not None and end_date < latest[0]:
            on, number, what = latest
            errors["end_date"] = (
                f"Versie {number} is op {short_date(on)} {what}; de einddatum kan niet "
                "daarvoor liggen."
            )
    return errors


def end_opp(
    session: Session,
    opp_id: int,
    *,
    end_date: date,
    reason: str,
    today: date | None = None,
    actor: str | None = None,
) -> OppPeriod:
    """End an OPP: it is planned up to and including ``end_date`` and read-only from now on.

    The end date goes to the national registry; the reason is kept in the change log. Refused
    with ReadOnlyError for a pupil who left, ValidationError when the OPP has already ended and
    ValidationErrors (``reason``, ``end_date``) for bad input. ``today``, when given, refuses an
    end in the future. Undo with :func:`reopen_opp`.
    """
    opp = _load_opp(session, opp_id)
    pupil = opp.pupil
    if pupil is not None and pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(
            f"{pupil.full_name} heeft de school verlaten; het OPP kan alleen nog worden ingezien."
        )
    if opp.end_date is not None:
        raise ValidationError("status", f"Dit OPP is al beëindigd op {short_date(opp.end_date)}.")
    ValidationErrors.collect(end_problems(session, opp_id, end_date, reason, today=today))
    opp.end_date = end_date
    session.flush()
    audit.record(
        session,
        OPP_ENTITY,
        opp.id,
        ENDED_ACTION,
        field="end_date",
        old="",
        new=end_date.isoformat(),
        summary=f"OPP beëindigd op {short_date(end_date)}: {reason.strip()}",
        actor=actor,
    )
    return opp_period(session, opp.id)


def reopen_opp(session: Session, opp_id: int, *, actor: str | None = None) -> OppPeriod:
    """Undo the end of an OPP: it runs (and is planned and editable) again.

    Refused for a pupil who left, for an OPP that is running, and when a newer OPP of the pupil
    has started since (a pupil has one running OPP).
    """
    opp = _load_opp(session, opp_id)
    pupil = opp.pupil
    if pupil is not None and pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(
            f"{pupil.full_name} heeft de school verlaten; het OPP blijft beëindigd. Registreer "
            "eerst de terugkeer van de leerling."
        )
    if opp.end_date is None:
        raise ValidationError(
            "status", "Dit OPP loopt nog; er is geen beëindiging om ongedaan te maken."
        )
    newer = session.scalar(
        sa.select(Opp.start_date)
        .where(
            Opp.pupil_id == opp.pupil_id,
            Opp.id != opp.id,
            sa.or_(Opp.start_date >= opp.start_date, Opp.end_date.is_(None)),
        )
        .order_by(Opp.start_date.desc())
        .limit(1)
    )
    if newer is not None:
        name = pupil.full_name if pupil else "deze leerling"
        raise ValidationError(
            "status",
            f"Na dit OPP is op {short_date(newer)} een nieuw OPP voor {name} gestart; "
            "alleen dat OPP kan lopen. Dit OPP blijft beëindigd.",
        )
    ended_on = opp.end_date
    reason = _end_reason(session, opp.id)
    opp.end_date = None
    session.flush()
    audit.record(
        session,
        OPP_ENTITY,
        opp.id,
        REOPENED_ACTION,
        field="end_date",
        old=ended_on.isoformat(),
        new="",
        summary=(
            f"Beëindiging van {short_date(ended_on)} ongedaan gemaakt"
            + (f" (reden was: {reason})" if reason else "")
            + "; het OPP loopt weer."
        ),
        actor=actor,
    )
    return opp_period(session, opp.id)


# ------------------------------------------------------------------------------- comparison


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a word diff: "equal", "insert" (only in the new text) or "delete"."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """One changed field of a part with both texts and the word diff between them."""

    label: str
    old: str
    new: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class PartDiff:
    """One part of the OPP and the fields that changed in it (empty when unchanged)."""

    number: int
    key: str
    title: str
    changes: tuple[FieldDiff, ...]

    @property
    def changed(self) -> bool:
        """Whether anything in this part differs between the two versions."""
        return bool(self.changes)


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The difference of two texts word by word (difflib), as equal/insert/delete pieces."""
    a = _TOKENS.findall(old or "")
    b = _TOKENS.findall(new or "")
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(s for s in segments if s.text)


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, OutflowPerspective):
        return OUTFLOW_LABELS.get(value.value, value.value)
    return str(value).strip()


def _iso(value: str | None) -> str:
    return short_date(date.fromisoformat(value)) if value else ""


def first_goal_line(text: str) -> str:
    """The first line of a goal, without a bullet."""
    stripped = (text or "").strip()
    return stripped.splitlines()[0].lstrip("-*• ").strip() if stripped else ""


def part_texts(data: OppVersionData, pupil: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Every part as (label, text) pairs: what the comparison of two versions looks at."""
    texts: dict[str, list[tuple[str, str]]] = {}
    p = pupil.get("pupil", {})
    guardians = "\n".join(
        f"{g['name']} ({g.get('relation', '')}), gezag: {'ja' if g.get('has_custody') else 'nee'}"
        + (f", {g['phone']}" if g.get("phone") else "")
        for g in pupil.get("guardians", [])
    )
    care = "\n".join(
        f"{c.get('organisation', '')} ({c.get('kind', '')}, {care_scope_phrase(c.get('scope'))})"
        + (f", {c['contact_name']}" if c.get("contact_name") else "")
        for c in pupil.get("care_providers", [])
    )
    texts["algemeen"] = [
        (
            "Leerling",
            f"{p.get('full_name', '')}, geboren {_iso(p.get('birth_date'))}, "
            f"groep {p.get('group', '')}",
        ),
        ("Ouders/verzorgers", guardians),
        ("Gezinssamenstelling", p.get("family_composition", "") or ""),
        ("Hulpverlening", care),
    ]
    history = "\n".join(
        f"{h.get('institution', '')} ({h.get('kind', '')}): "
        f"{_iso(h.get('start_date'))} - {_iso(h.get('end_date'))}"
        for h in pupil.get("school_history", [])
    )
    texts["schoolloopbaan"] = [
        ("Eerste schooldag", _iso(p.get("first_school_day"))),
        ("Scholen en voorschoolse periode", history),
    ]
    assessments = "\n".join(
        f"{_iso(a.get('date'))} {a.get('kind', '')} door {a.get('performed_by', '')}: "
        f"{a.get('conclusion', '')}"
        for a in pupil.get("assessments", [])
    )
    texts["onderzoek"] = [("Onderzoeken", assessments)]
    for part in PARTS:
        texts.setdefault(part.key, [])
        texts[part.key].extend(
            (label, _fmt(getattr(data, name))) for name, label in PART_FIELDS[part.key]
        )
    texts["uitstroom"].append(
        ("Verwacht niveau per vak", "\n".join(f"{k}: {v}" for k, v in data.subject_levels.items()))
    )
    counters: dict[str, int] = {}
    for g in data.goals:
        counters[g.area] = counters.get(g.area, 0) + 1
        body = g.goal.strip()
        if g.intermediate_goals.strip():
            body += "\nTussendoelen: " + g.intermediate_goals.strip()
        if g.evaluation_date:
            body += "\nEvaluatiedatum: " + short_date(g.evaluation_date)
        texts["handelingsdeel"].append((f"{g.area}, doel {counters[g.area]}", body))
    # The results of the previous version's goals belong to part 12 (the evaluation), where the
    # new version shows them; in part 9 they would only look like deleted text.
    texts["evaluatie"].append(
        (
            "Resultaten van de vorige versie",
            "\n".join(
                f"{g.area}: {first_goal_line(g.goal)} – "
                + (OUTCOME_LABELS[g.outcome.value] if g.outcome else "niet geëvalueerd")
                + (f" ({g.result})" if g.result else "")
                for g in data.previous_goals
            ),
        )
    )
    texts["zienswijze"].append(
        (
            "Gesprekken",
            "\n".join(
                f"{short_date(c.date)} ({c.participants}): {c.summary}" for c in data.conversations
            ),
        )
    )
    texts["handtekeningen"] = [
        (
            "Toestemming handelingsdeel",
            "\n".join(
                f"{c.guardian_name}: {'ja' if c.consent else 'nee'} ({short_date(c.date)})"
                + (f", zienswijze: {c.view}" if c.view else "")
                for c in data.consents
            ),
        ),
        (
            "Handtekeningen",
            "\n".join(
                f"{SIGNATURE_ROLE_LABELS[s.role.value]}: {s.name} ({short_date(s.signed_on)})"
                for s in data.signatures
            ),
        ),
    ]
    return texts


def diff_data(
    old: OppVersionData, new: OppVersionData, old_pupil: dict[str, Any], new_pupil: dict[str, Any]
) -> list[PartDiff]:
    """Per part the fields that differ between two versions (all 13 parts, in order)."""
    old_texts = part_texts(old, old_pupil)
    new_texts = part_texts(new, new_pupil)
    result = []
    for part in PARTS:
        before = dict(old_texts[part.key])
        after = dict(new_texts[part.key])
        labels = list(before) + [label for label in after if label not in before]
        changes = []
        for label in labels:
            a, b = before.get(label, ""), after.get(label, "")
            if a.strip() != b.strip():
                changes.append(FieldDiff(label=label, old=a, new=b, segments=word_diff(a, b)))
        result.append(PartDiff(part.number, part.key, part.title, tuple(changes)))
    return result


def diff_versions(session: Session, old_id: int, new_id: int) -> list[PartDiff]:
    """Compare two stored versions per part (parts 1-3 as each version shows them)."""
    old = load_version(session, old_id)
    new = load_version(session, new_id)
    return diff_data(old, new, pupil_part_data(session, old), pupil_part_data(session, new))


# ------------------------------------------------------------------------------- recovery


def data_to_dict(data: OppVersionData) -> dict[str, Any]:
    """The editor's content as JSON-friendly data (for the recovery store)."""

    def enc(value: Any) -> Any:
        if isinstance(value, bytes):
            return {"__b64__": base64.b64encode(value).decode("ascii")}
        if isinstance(value, datetime):
            return {"__dt__": value.isoformat()}
        if isinstance(value, date):
            return {"__d__": value.isoformat()}
        if isinstance(value, list):
            return [enc(v) for v in value]
        if isinstance(value, dict):
            return {k: enc(v) for k, v in value.items()}
        if hasattr(value, "__dataclass_fields__"):
            return {f.name: enc(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, OppStatus | OppForm | Outcome | OutflowPerspective | SignatureRole):
            return value.value
        return value

    return enc(data)


def data_from_dict(payload: dict[str, Any]) -> OppVersionData:
    """The inverse of :func:`data_to_dict`."""

    def dec(value: Any) -> Any:
        if isinstance(value, dict):
            if "__b64__" in value:
                return base64.b64decode(value["__b64__"])
            if "__dt__" in value:
                return datetime.fromisoformat(value["__dt__"])
            if "__d__" in value:
                return date.fromisoformat(value["__d__"])
            return {k: dec(v) for k, v in value.items()}
        if isinstance(value, list):
            return [dec(v) for v in value]
        return value

    raw = {k: dec(v) for k, v in payload.items()}
    raw["status"] = OppStatus(raw["status"])
    raw["form"] = OppForm(raw["form"])
    raw["outflow"] = OutflowPerspective(raw["outflow"]) if raw.get("outflow") else None
    raw["goals"] = [
        GoalData(**{**g, "outcome": Outcome(g["outcome"]) if g.get("outcome") else None})
        for g in raw.get("goals", [])
    ]
    raw["previous_goals"] = [
        GoalData(**{**g, "outcome": Outcome(g["outcome"]) if g.get("outcome") else None})
        for g in raw.get("previous_goals", [])
    ]
    raw["conversations"] = [ConversationData(**c) for c in raw.get("conversations", [])]
    raw["consents"] = [ConsentData(**c) for c in raw.get("consents", [])]
    raw["signatures"] = [
        SignatureData(**{**s, "role": SignatureRole(s["role"])}) for s in raw.get("signatures", [])
    ]
    known = {f.name for f in fields(OppVersionData)}
    return OppVersionData(**{k: v for k, v in raw.items() if k in known})
