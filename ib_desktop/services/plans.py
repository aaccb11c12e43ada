"""Korte interventies and groeidocumenten: writing, evaluating, closing, and their history.

The editors and the teachers' evaluation screen never hold a session: they load a plain
dataclass here, edit it, and hand it back. Every save carries the ``version`` the data was loaded
at, so a save that would overwrite somebody else's newer save is refused with a
:class:`~ib_desktop.validation.ConcurrentEditError` and nothing is written (the caller keeps the
unsaved text). Closed documents are read-only until they are explicitly reopened, and every change
is written to the change log field by field, so the school can show who changed what, when.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ib_desktop.dates import short_date
from ib_desktop.models import (
    ChangeLog,
    DocumentStatus,
    Group,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    MomentKind,
    OppGoal,
    OppStatus,
    OppVersion,
    Outcome,
    Pupil,
    PupilStatus,
    ShortIntervention,
    Staff,
    StaffRole,
)
from ib_desktop.services import audit, versioned
from ib_desktop.services.school import development_areas
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors

#: Entity names in the change log (the same words as :class:`DocumentKind`).
INTERVENTION_ENTITY = "korte_interventie"
GROWTH_ENTITY = "groeidocument"
OPP_VERSION_ENTITY = "opp_version"

#: A korte interventie typically runs 4 to 8 weeks; outside that the editor warns (never refuses).
TYPICAL_WEEKS = (4, 8)
DEFAULT_INTERVENTION_WEEKS = 6
DEFAULT_PERIOD_WEEKS = 10
#: The teachers' screen shows evaluations due within this many days (and every overdue one).
DEFAULT_HORIZON_DAYS = 14

OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.BEHAALD: "behaald",
    Outcome.DEELS_BEHAALD: "deels behaald",
    Outcome.NIET_BEHAALD: "niet behaald",
}
STATUS_LABELS: dict[DocumentStatus, str] = {
    DocumentStatus.CONCEPT: "concept",
    DocumentStatus.ACTIEF: "actief",
    DocumentStatus.AFGESLOTEN: "afgesloten",
}

#: Dutch names of the fields, as they appear in the history.
INTERVENTION_FIELD_LABELS = {
    "group_name": "groep",
    "teacher": "leerkracht",
    "start_date": "startdatum",
    "end_date": "einddatum",
    "goal": "doel",
    "support_need": "ondersteuningsbehoefte",
    "execution": "uitvoering",
    "evaluation": "evaluatie",
    "outcome": "uitkomst",
    "evaluated_by": "geëvalueerd door",
    "evaluated_on": "geëvalueerd op",
}
GOAL_FIELD_LABELS = {
    "goal": "doel",
    "support_need": "ondersteuningsbehoefte",
    "execution": "uitvoering",
    "evaluation": "evaluatie",
    "outcome": "uitkomst",
    "evaluated_by": "geëvalueerd door",
    "evaluated_on": "geëvalueerd op",
}
GROWTH_FIELD_LABELS = {
    "title": "titel",
    "group_name": "groep",
    "teacher": "leerkracht",
    "areas": "ontwikkelingsgebieden",
}
EVALUATION_FIELDS = ("evaluation", "outcome", "evaluated_by_id", "evaluated_on")


def outcome_label(outcome: Outcome | str | None) -> str:
    """ "deels behaald" for the stored value, empty for none."""
    return OUTCOME_LABELS[Outcome(outcome)] if outcome else ""


def status_label(status: DocumentStatus | str) -> str:
    """ "actief" for the stored value."""
    return STATUS_LABELS[DocumentStatus(status)]


# ============================================================================ plain data


@dataclass
class StaffChoice:
    """A member of staff as a choice in a combo box."""

    id: int
    name: str
    role: StaffRole
    groups: str = ""

    @property
    def label(self) -> str:
        """ "Anna Jansen (groep 5A)" so a teacher finds themself quickly."""
        return f"{self.name} (groep {self.groups})" if self.groups else self.name


@dataclass
class InterventionData:
    """A korte interventie as the editor shows it; ``version`` is the one it was loaded at."""

    id: int | None
    pupil_id: int
    pupil_name: str
    status: DocumentStatus = DocumentStatus.CONCEPT
    group_name: str = ""
    teacher_id: int | None = None
    teacher_name: str = ""
    start_date: date = field(default_factory=date.today)
    end_date: date = field(default_factory=date.today)
    goal: str = ""
    support_need: str = ""
    execution: str = ""
    evaluation: str = ""
    outcome: Outcome | None = None
    evaluated_by_id: int | None = None
    evaluated_on: date | None = None
    version: int = 0
    pupil_left: bool = False

    @property
    def read_only(self) -> bool:
        """Closed documents and the files of pupils who left are not edited."""
        return self.status == DocumentStatus.AFGESLOTEN or self.pupil_left

    @property
    def is_new(self) -> bool:
        """Not saved yet."""
        return self.id is None

    def editable_fields(self) -> dict[str, Any]:
        """The values a save compares (what the user can change)."""
        return {
            "group_name": self.group_name,
            "teacher_id": self.teacher_id,
            "teacher_name": self.teacher_name,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "goal": self.goal,
            "support_need": self.support_need,
            "execution": self.execution,
            "evaluation": self.evaluation,
            "outcome": self.outcome,
            "evaluated_by_id": self.evaluated_by_id,
            "evaluated_on": self.evaluated_on,
        }


@dataclass
class GoalData:
    """One cell of a groeidocument's grid: the plan for one area in one period."""

    id: int | None
    area: str
    goal: str = ""
    support_need: str = ""
    execution: str = ""
    evaluation: str = ""
    outcome: Outcome | None = None
    evaluated_by_id: int | None = None
    evaluated_on: date | None = None
    carried_over_from_id: int | None = None
    #: For a carried-over goal: the previous period's number and outcome, to show beside it.
    carried_over_note: str = ""

    @property
    def has_goal(self) -> bool:
        """A cell counts as a goal once its doel is written; empty cells need no evaluation."""
        return bool(self.goal.strip())

    @property
    def is_evaluated(self) -> bool:
        """Evaluation text and outcome are both there."""
        return bool(self.evaluation.strip()) and self.outcome is not None

    @property
    def is_empty(self) -> bool:
        """Nothing written in this cell."""
        return (
            not any(
                v.strip() for v in (self.goal, self.support_need, self.execution, self.evaluation)
            )
            and self.outcome is None
        )

    def values(self) -> dict[str, Any]:
        """The values a save compares."""
        return {
            "goal": self.goal,
            "support_need": self.support_need,
            "execution": self.execution,
            "evaluation": self.evaluation,
            "outcome": self.outcome,
            "evaluated_by_id": self.evaluated_by_id,
            "evaluated_on": self.evaluated_on,
        }


@dataclass
class PeriodData:
    """One period of a groeidocument with a cell per area the document uses."""

    id: int | None
    number: int
    start_date: date
    end_date: date
    closed: bool = False
    goals: list[GoalData] = field(default_factory=list)

    def goal_for(self, area: str) -> GoalData | None:
        """The cell of ``area`` (None when the document does not use it)."""
        return next((g for g in self.goals if g.area == area), None)

    @property
    def title(self) -> str:
        """ "Periode 2"."""
        return f"Periode {self.number}"


@dataclass
class GrowthData:
    """A groeidocument as the editor shows it; ``version`` is the one it was loaded at."""

    id: int | None
    pupil_id: int
    pupil_name: str
    title: str = "Groeidocument"
    status: DocumentStatus = DocumentStatus.CONCEPT
    group_name: str = ""
    teacher_id: int | None = None
    teacher_name: str = ""
    areas: list[str] = field(default_factory=list)
    periods: list[PeriodData] = field(default_factory=list)
    version: int = 0
    pupil_left: bool = False

    @property
    def read_only(self) -> bool:
        """Closed documents and the files of pupils who left are not edited."""
        return self.status == DocumentStatus.AFGESLOTEN or self.pupil_left

    @property
    def is_new(self) -> bool:
        """Not saved yet."""
        return self.id is None

    def period(self, number: int) -> PeriodData:
        """The period with this number."""
        return next(p for p in self.periods if p.number == number)

    @property
    def last_period(self) -> PeriodData | None:
        """The newest period."""
        return self.periods[-1] if self.periods else None

    def visible_goals(self, period: PeriodData) -> list[GoalData]:
        """The cells of a period for the areas this document uses, in the document's order."""
        by_area = {g.area: g for g in period.goals}
        return [by_area.get(a) or GoalData(id=None, area=a) for a in self.areas]


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a document's history."""

    at: datetime
    actor: str
    action: str
    field: str
    old_value: str
    new_value: str
    summary: str


# ============================================================================ helpers


def _clean(text: str | None) -> str:
    """Rich text as stored: no trailing blank lines, so an untouched field compares equal."""
    return (text or "").strip()


def _staff_name(session: Session, staff_id: int | None) -> str:
    if staff_id is None:
        return ""
    staff = session.get(Staff, staff_id)
    return staff.full_name if staff else ""


def _display(session: Session, key: str, value: Any) -> str:
    """A value as the history shows it: dates as 12-03-2026, outcomes and people by name."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, Outcome) or key == "outcome":
        return outcome_label(value)
    if key.endswith("_by_id"):
        return _staff_name(session, value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _flush(session: Session, what: str) -> None:
    """Write now; a row that changed under us (the version check) becomes our Dutch error."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConcurrentEditError(what) from exc


def _plan_spec(
    session: Session, what: str, entity: str, record_id: int, labels: dict[str, str]
) -> versioned.Versioned:
    """How a conflict on a plan is told: its fields with their Dutch names, people by name."""
    return versioned.Versioned(
        what,
        labels={**labels, "teacher_id": labels.get("teacher", "leerkracht"),
                "teacher_name": labels.get("teacher", "leerkracht"),
                "evaluated_by_id": labels.get("evaluated_by", "geëvalueerd door")},
        show=lambda key, value: _display(session, key, value),
        history=versioned.History(entity, record_id),
    )  # fmt: skip


def _periods_text(periods: Iterable[Any]) -> dict[str, str]:
    """Per period its goals in one line each ("Rekenen: tafels"), beside the other person's."""
    out = {}
    for p in periods:
        lines = []
        for g in sorted(p.goals, key=lambda g: str(g.area)):
            texts = [" ".join((getattr(g, k) or "").split()) for k in ("goal", "evaluation")]
            if any(texts):
                lines.append(f"{g.area}: " + " / ".join(t for t in texts if t))
        out[f"periode {p.number}"] = "\n".join(lines)
    return out


def _check_version(current: int, loaded: int, what: str) -> None:
    if current != loaded:
        raise ConcurrentEditError(what)


def _touch(record: Any) -> None:
    """Mark a document as changed so its version goes up even when only its children changed.

    The version column makes the UPDATE carry ``WHERE version = <loaded>``, so a concurrent
    save that slipped in after our check still fails with StaleDataError.
    """
    record.updated_at = datetime.now().replace(microsecond=0)
    flag_modified(record, "updated_at")


def _pupil(session: Session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationErrors({"pupil": "Deze leerling bestaat niet (meer)."})
    return pupil


def _check_pupil_writable(pupil: Pupil) -> None:
    if pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(
            f"{pupil.full_name} heeft de school verlaten; het dossier is alleen-lezen."
        )


def _first_teacher(pupil: Pupil) -> Staff | None:
    if pupil.group is None:
        return None
    teachers = [t for t in pupil.group.teachers if t.active]
    teachers.sort(key=lambda t: (t.role != StaffRole.LEERKRACHT, t.id))
    return teachers[0] if teachers else None


def staff_choices(session: Session, school_id: int) -> list[StaffChoice]:
    """Active staff for the leerkracht and evaluated-by combos: teachers first, by name."""
    staff = session.scalars(
        sa.select(Staff)
        .where(Staff.school_id == school_id, Staff.active.is_(True))
        .options(selectinload(Staff.groups).selectinload(Group.school_year))
    ).all()
    out = []
    for s in staff:
        groups: list[str] = []
        if s.groups:
            # Only the newest school year's groups say where the teacher is now.
            newest = max(g.school_year.start_date for g in s.groups)
            groups = sorted(g.name for g in s.groups if g.school_year.start_date == newest)
        out.append(StaffChoice(s.id, s.full_name, s.role, ", ".join(groups)))
    out.sort(key=lambda c: (c.role != StaffRole.LEERKRACHT, c.name.lower()))
    return out


def teachers(session: Session, school_id: int) -> list[StaffChoice]:
    """Active teachers (leerkrachten), for the teachers' evaluation screen."""
    return [c for c in staff_choices(session, school_id) if c.role == StaffRole.LEERKRACHT]


def history(session: Session, entity: str, entity_id: int) -> list[HistoryEntry]:
    """The change history of a document, oldest first."""
    rows = session.scalars(
        sa.select(ChangeLog)
        .where(ChangeLog.entity == entity, ChangeLog.entity_id == entity_id)
        .order_by(ChangeLog.at, ChangeLog.id)
    ).all()
    return [
        HistoryEntry(r.at, r.actor, r.action, r.field, r.old_value, r.new_value, r.summary)
        for r in rows
    ]


def period_warning(start: date | None, end: date | None) -> str:
    """A Dutch warning when a korte interventie is shorter or longer than usual (never an error)."""
    if start is None or end is None or end < start:
        return ""
    days = (end - start).days
    low, high = TYPICAL_WEEKS
    weeks = days / 7
    if low <= round(weeks, 1) <= high:
        return ""
    shown = f"{weeks:.0f}" if abs(weeks - round(weeks)) < 0.05 else f"{weeks:.1f}".replace(".", ",")
    unit = "week" if shown == "1" else "weken"
    return f"Een korte interventie duurt meestal {low} tot {high} weken; deze duurt {shown} {unit}."


# ============================================================================ korte interventie


def _intervention_data(session: Session, iv: ShortIntervention) -> InterventionData:
    pupil = iv.pupil
    teacher_name = iv.teacher.full_name if iv.teacher else iv.teacher_name
    return InterventionData(
        id=iv.id,
        pupil_id=iv.pupil_id,
        pupil_name=pupil.full_name,
        status=DocumentStatus(iv.status),
        group_name=iv.group_name,
        teacher_id=iv.teacher_id,
        teacher_name=teacher_name,
        start_date=iv.start_date,
        end_date=iv.end_date,
        goal=iv.goal,
        support_need=iv.support_need,
        execution=iv.execution,
        evaluation=iv.evaluation,
        outcome=Outcome(iv.outcome) if iv.outcome else None,
        evaluated_by_id=iv.evaluated_by_id,
        evaluated_on=iv.evaluated_on,
        version=iv.version,
        pupil_left=pupil.status == PupilStatus.VERTROKKEN,
    )


def new_intervention(session: Session, pupil_id: int, *, today: date) -> InterventionData:
    """A korte interventie for a pupil, not yet saved, with groep and leerkracht from the pupil."""
    pupil = _pupil(session, pupil_id)
    _check_pupil_writable(pupil)
    teacher = _first_teacher(pupil)
    return InterventionData(
        id=None,
        pupil_id=pupil.id,
        pupil_name=pupil.full_name,
        group_name=pupil.group.name if pupil.group else "",
        teacher_id=teacher.id if teacher else None,
        teacher_name=teacher.full_name if teacher else "",
        start_date=today,
        end_date=today + timedelta(weeks=DEFAULT_INTERVENTION_WEEKS),
    )


def load_intervention(session: Session, intervention_id: int) -> InterventionData:
    """The korte interventie as plain data (raises LookupError when it is gone)."""
    iv = session.get(ShortIntervention, intervention_id)
    if iv is None:
        raise LookupError("Deze korte interventie bestaat niet (meer).")
    return _intervention_data(session, iv)


def _validate_intervention(data: InterventionData, today: date) -> None:
    errors: dict[str, str] = {}
    if data.start_date is None:
        errors["start_date"] = "Vul de startdatum van de periode in."
    if data.end_date is None:
        errors["end_date"] = "Vul de einddatum van de periode in."
    elif data.start_date and data.end_date < data.start_date:
        errors["end_date"] = "De einddatum ligt vóór de startdatum."
    _validate_evaluation(errors, "", data.evaluation, data.outcome, data.evaluated_on, today)
    if data.evaluated_on and data.start_date and data.evaluated_on < data.start_date:
        errors["evaluated_on"] = "De evaluatiedatum ligt vóór de start van de interventie."
    ValidationErrors.collect(errors)


def _validate_evaluation(
    errors: dict[str, str],
    prefix: str,
    evaluation: str,
    outcome: Outcome | None,
    evaluated_on: date | None,
    today: date,
    *,
    what: str = "",
) -> None:
    """An outcome needs its evaluation text, and an evaluation is not dated in the future."""
    suffix = f" ({what})" if what else ""
    if outcome is not None and not _clean(evaluation):
        errors[prefix + "evaluation"] = f"Schrijf de evaluatie bij de uitkomst{suffix}."
    if evaluated_on and evaluated_on > today:
        errors[prefix + "evaluated_on"] = f"De evaluatiedatum ligt in de toekomst{suffix}."


def save_intervention(
    session: Session, data: InterventionData, *, today: date, actor: str | None = None
) -> InterventionData:
    """Create or update a korte interventie; returns the saved data with its new version.

    Raises ValidationErrors (per field), ReadOnlyError (closed, or the pupil left) or
    ConcurrentEditError (someone saved after ``data.version``); nothing is written then.
    """
    what = "deze korte interventie"
    pupil = _pupil(session, data.pupil_id)
    _check_pupil_writable(pupil)
    values = data.editable_fields()
    for key in ("group_name", "teacher_name"):
        values[key] = (values[key] or "").strip()
    for key in ("goal", "support_need", "execution", "evaluation"):
        values[key] = _clean(values[key])
    if values["teacher_id"] is not None:
        values["teacher_name"] = (
            _staff_name(session, values["teacher_id"]) or values["teacher_name"]
        )

    if data.id is None:
        _validate_intervention(data, today)
        iv = ShortIntervention(pupil_id=pupil.id, status=DocumentStatus.CONCEPT, **values)
        session.add(iv)
        _flush(session, what)
        audit.record(
            session,
            INTERVENTION_ENTITY,
            iv.id,
            "aangemaakt",
            summary=f"Korte interventie voor {pupil.full_name} aangemaakt.",
            actor=actor,
        )
        return _intervention_data(session, iv)

    iv = session.get(ShortIntervention, data.id)
    if iv is None:
        raise LookupError("Deze korte interventie bestaat niet (meer).")
    spec = _plan_spec(session, what, INTERVENTION_ENTITY, iv.id, INTERVENTION_FIELD_LABELS)
    # Someone else saved after the editor loaded: both values per field, nothing written.
    versioned.check_version(session, iv, data.version, values, spec)
    if iv.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError(
            "Deze korte interventie is afgesloten en kan niet meer worden gewijzigd. "
            "Heropen haar eerst."
        )
    _validate_intervention(data, today)
    with session.no_autoflush:  # one write at the end, where a missed version is caught
        changes = _apply_changes(session, iv, values)
    if changes:
        versioned.flush(session, iv, values, spec)
        _record_changes(
            session, INTERVENTION_ENTITY, iv.id, changes, INTERVENTION_FIELD_LABELS, actor
        )
    return _intervention_data(session, iv)


def _apply_changes(
    session: Session, record: Any, values: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """Set changed attributes; returns (field, old, new) display triples for the history."""
    changes: list[tuple[str, str, str]] = []
    teacher_changed = (
        "teacher_id" in values and getattr(record, "teacher_id", None) != values["teacher_id"]
    )
    for key, new in values.items():
        old = getattr(record, key)
        if isinstance(old, str) and new is None:
            new = ""
        if key == "outcome" and old is not None:
            old = Outcome(old)
        if old == new:
            continue
        setattr(record, key, new)
        if key == "teacher_name":
            if not teacher_changed and values.get("teacher_id") is None:
                # A typed name without a staff record: the name is the leerkracht.
                changes.append(("teacher", old or "", new or ""))
            continue  # otherwise shown with teacher_id as "leerkracht"
        label_key = {"teacher_id": "teacher", "evaluated_by_id": "evaluated_by"}.get(key, key)
        old_shown = _display(session, key, old)
        new_shown = _display(session, key, new)
        if key == "teacher_id":
            old_shown = old_shown or getattr(record, "teacher_name", "")
            new_shown = new_shown or values.get("teacher_name", "")
        changes.append((label_key, old_shown, new_shown))
    return changes


def _record_changes(
    session: Session,
    entity: str,
    entity_id: int,
    changes: Iterable[tuple[str, str, str]],
    labels: dict[str, str],
    actor: str | None,
    *,
    prefix: str = "",
    action: str = "gewijzigd",
) -> None:
    for key, old, new in changes:
        audit.record(
            session,
            entity,
            entity_id,
            action,
            field=prefix + labels.get(key, key),
            old=old,
            new=new,
            actor=actor,
        )


def set_intervention_status(
    session: Session,
    intervention_id: int,
    status: DocumentStatus,
    *,
    version: int,
    actor: str | None = None,
    reason: str = "",
) -> InterventionData:
    """Move a korte interventie along concept → actief → afgesloten, or reopen it.

    Activating needs a doel; closing needs the evaluation and its outcome. Reopening is an
    explicit step recorded in the history (with the reason when one is given).
    """
    what = "deze korte interventie"
    iv = session.get(ShortIntervention, intervention_id)
    if iv is None:
        raise LookupError("Deze korte interventie bestaat niet (meer).")
    _check_pupil_writable(iv.pupil)
    _check_version(iv.version, version, what)
    current = DocumentStatus(iv.status)
    status = DocumentStatus(status)
    _check_transition(current, status, "deze korte interventie")
    errors: dict[str, str] = {}
    if (
        status == DocumentStatus.ACTIEF
        and current == DocumentStatus.CONCEPT
        and not _clean(iv.goal)
    ):
        errors["goal"] = "Vul het doel in voordat u de interventie activeert."
    if status == DocumentStatus.AFGESLOTEN:
        if not _clean(iv.evaluation):
            errors["evaluation"] = "Schrijf de evaluatie voordat u de interventie afsluit."
        if iv.outcome is None:
            errors["outcome"] = "Kies de uitkomst voordat u de interventie afsluit."
    ValidationErrors.collect(errors)
    iv.status = status
    _flush(session, what)
    action = _status_action(current, status)
    audit.record(
        session,
        INTERVENTION_ENTITY,
        iv.id,
        action,
        field="status",
        old=status_label(current),
        new=status_label(status),
        summary=reason.strip(),
        actor=actor,
    )
    return _intervention_data(session, iv)


_TRANSITIONS = {
    (DocumentStatus.CONCEPT, DocumentStatus.ACTIEF),
    (DocumentStatus.ACTIEF, DocumentStatus.AFGESLOTEN),
    (DocumentStatus.AFGESLOTEN, DocumentStatus.ACTIEF),
}


def _check_transition(current: DocumentStatus, new: DocumentStatus, what: str) -> None:
    if (current, new) not in _TRANSITIONS:
        raise ValidationErrors(
            {
                "status": f"De status van {what} kan niet van {status_label(current)} naar "
                f"{status_label(new)} gaan."
            }
        )


def _status_action(current: DocumentStatus, new: DocumentStatus) -> str:
    if current == DocumentStatus.AFGESLOTEN:
        return "heropend"
    return {DocumentStatus.ACTIEF: "geactiveerd", DocumentStatus.AFGESLOTEN: "afgesloten"}.get(
        new, "status gewijzigd"
    )


# ============================================================================ groeidocument


def _growth_query(document_id: int) -> Any:
    return (
        sa.select(GrowthDocument)
        .where(GrowthDocument.id == document_id)
        .options(
            selectinload(GrowthDocument.periods).selectinload(GrowthPeriod.goals),
            selectinload(GrowthDocument.pupil),
            selectinload(GrowthDocument.teacher),
        )
    )


def _load_growth(session: Session, document_id: int) -> GrowthDocument:
    doc = session.scalars(_growth_query(document_id)).first()
    if doc is None:
        raise LookupError("Dit groeidocument bestaat niet (meer).")
    return doc


def _goal_data(goal: GrowthGoal, previous: dict[int, tuple[int, GrowthGoal]]) -> GoalData:
    note = ""
    if goal.carried_over_from_id is not None:
        number, prev = previous.get(goal.carried_over_from_id, (0, None))
        if prev is not None:
            result = outcome_label(prev.outcome) or "nog niet geëvalueerd"
            note = f"Voortgezet uit periode {number} ({result})"
        else:
            note = "Voortgezet uit de vorige periode"
    return GoalData(
        id=goal.id,
        area=goal.area,
        goal=goal.goal,
        support_need=goal.support_need,
        execution=goal.execution,
        evaluation=goal.evaluation,
        outcome=Outcome(goal.outcome) if goal.outcome else None,
        evaluated_by_id=goal.evaluated_by_id,
        evaluated_on=goal.evaluated_on,
        carried_over_from_id=goal.carried_over_from_id,
        carried_over_note=note,
    )


def _growth_data(doc: GrowthDocument) -> GrowthData:
    areas = list(doc.areas or [])
    by_id: dict[int, tuple[int, GrowthGoal]] = {}
    for period in doc.periods:
        for goal in period.goals:
            by_id[goal.id] = (period.number, goal)
    periods = []
    for period in doc.periods:
        stored = {g.area: g for g in period.goals}
        cells = [
            _goal_data(stored[a], by_id) if a in stored else GoalData(id=None, area=a)
            for a in areas
        ]
        # Goals of areas the document left out stay (after the visible ones), so adding the
        # area back shows them again and a save never overwrites them with an empty cell.
        cells += [_goal_data(g, by_id) for g in period.goals if g.area not in areas]
        periods.append(
            PeriodData(
                id=period.id,
                number=period.number,
                start_date=period.start_date,
                end_date=period.end_date,
                closed=period.closed,
                goals=cells,
            )
        )
    pupil = doc.pupil
    return GrowthData(
        id=doc.id,
        pupil_id=doc.pupil_id,
        pupil_name=pupil.full_name,
        title=doc.title,
        status=DocumentStatus(doc.status),
        group_name=doc.group_name,
        teacher_id=doc.teacher_id,
        teacher_name=doc.teacher.full_name if doc.teacher else doc.teacher_name,
        areas=areas,
        periods=periods,
        version=doc.version,
        pupil_left=pupil.status == PupilStatus.VERTROKKEN,
    )


def new_growth_document(session: Session, pupil_id: int, *, today: date) -> GrowthData:
    """A groeidocument for a pupil, not yet saved: the school's areas and a first period."""
    pupil = _pupil(session, pupil_id)
    _check_pupil_writable(pupil)
    teacher = _first_teacher(pupil)
    areas = development_areas(session, pupil.school_id)
    from ib_desktop.dates import school_year_label

    return GrowthData(
        id=None,
        pupil_id=pupil.id,
        pupil_name=pupil.full_name,
        title=f"Groeidocument {school_year_label(today)}",
        group_name=pupil.group.name if pupil.group else "",
        teacher_id=teacher.id if teacher else None,
        teacher_name=teacher.full_name if teacher else "",
        areas=areas,
        periods=[
            PeriodData(
                id=None,
                number=1,
                start_date=today,
                end_date=today + timedelta(weeks=DEFAULT_PERIOD_WEEKS),
                goals=[GoalData(id=None, area=a) for a in areas],
            )
        ],
    )


def load_growth_document(session: Session, document_id: int) -> GrowthData:
    """The groeidocument as plain data (raises LookupError when it is gone)."""
    return _growth_data(_load_growth(session, document_id))


def available_areas(session: Session, school_id: int, data: GrowthData | None = None) -> list[str]:
    """The areas a document can use: the school's list plus any the document already has."""
    areas = development_areas(session, school_id)
    for a in data.areas if data else []:
        if a not in areas:
            areas.append(a)
    return areas


def _validate_growth(data: GrowthData, today: date) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "Geef het groeidocument een titel."
    if not data.areas:
        errors["areas"] = "Kies ten minste één ontwikkelingsgebied."
    if len(set(data.areas)) != len(data.areas):
        errors["areas"] = "Een ontwikkelingsgebied staat er twee keer in."
    if not data.periods:
        errors["periods"] = "Een groeidocument heeft ten minste één periode."
    previous: PeriodData | None = None
    for p in data.periods:
        key = f"period:{p.number}:"
        if p.end_date < p.start_date:
            errors[key + "end_date"] = (
                f"De einddatum van periode {p.number} ligt vóór de startdatum."
            )
        elif previous is not None and p.start_date < previous.start_date:
            errors[key + "start_date"] = (
                f"Periode {p.number} begint vóór periode {previous.number}."
            )
        for g in p.goals:
            _validate_evaluation(
                errors,
                f"goal:{p.number}:{g.area}:",
                g.evaluation,
                g.outcome,
                g.evaluated_on,
                today,
                what=f"{g.area}, periode {p.number}",
            )
        previous = p
    ValidationErrors.collect(errors)


def _goal_values(g: GoalData) -> dict[str, Any]:
    values = g.values()
    for key in ("goal", "support_need", "execution", "evaluation"):
        values[key] = _clean(values[key])
    return values


def save_growth_document(
    session: Session, data: GrowthData, *, today: date, actor: str | None = None
) -> GrowthData:
    """Create or update a groeidocument with its periods and goals; returns the saved data.

    Closed periods keep their content: a change there raises ReadOnlyError, as does any change
    to a closed document. A save based on an older version raises ConcurrentEditError.
    """
    what = "dit groeidocument"
    pupil = _pupil(session, data.pupil_id)
    _check_pupil_writable(pupil)
    teacher_name = _staff_name(session, data.teacher_id) or data.teacher_name.strip()
    header = {
        "title": data.title.strip(),
        "group_name": data.group_name.strip(),
        "teacher_id": data.teacher_id,
        "teacher_name": teacher_name,
        "areas": list(data.areas),
    }
    if data.id is None:
        _validate_growth(data, today)
        doc = GrowthDocument(pupil_id=pupil.id, status=DocumentStatus.CONCEPT, **header)
        session.add(doc)
        for p in data.periods:
            period = GrowthPeriod(
                number=p.number, start_date=p.start_date, end_date=p.end_date, closed=False
            )
            doc.periods.append(period)
            for pos, g in enumerate(p.goals):
                if not g.is_empty:
                    period.goals.append(GrowthGoal(area=g.area, position=pos, **_goal_values(g)))
        _flush(session, what)
        audit.record(
            session,
            GROWTH_ENTITY,
            doc.id,
            "aangemaakt",
            summary=f"Groeidocument voor {pupil.full_name} aangemaakt.",
            actor=actor,
        )
        return _growth_data(doc)

    doc = _load_growth(session, data.id)
    mine: dict[str, Any] = {**header, **_periods_text(data.periods)}
    spec = _plan_spec(session, what, GROWTH_ENTITY, doc.id, GROWTH_FIELD_LABELS)
    spec.value_of = lambda row, name: (
        _periods_text(row.periods).get(name, "") if name.startswith("periode ")
        else getattr(row, name)
    )  # fmt: skip
    # Someone else saved after the editor loaded: both values per field, nothing written.
    versioned.check_version(session, doc, data.version, mine, spec)
    if doc.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError(
            "Dit groeidocument is afgesloten en kan niet meer worden gewijzigd. Heropen het eerst."
        )
    _validate_growth(data, today)
    changes: list[tuple[str, str, str, str]] = []  # (prefix, key, old, new)
    for key, new in header.items():
        old = getattr(doc, key)
        if key == "areas":
            old = list(old or [])
        if old == new:
            continue
        setattr(doc, key, new)
        if key == "teacher_name":
            if data.teacher_id is None and doc.teacher_id is None:
                changes.append(("", "teacher", old or "", new or ""))
            continue
        label_key = "teacher" if key == "teacher_id" else key
        old_shown = _display(session, key, old)
        new_shown = _display(session, key, new)
        if key == "teacher_id":
            old_shown = _staff_name(session, old) or doc.teacher_name
            new_shown = teacher_name
        changes.append(("", label_key, old_shown, new_shown))

    stored_periods = {p.id: p for p in doc.periods}
    for p in data.periods:
        period = stored_periods.get(p.id) if p.id is not None else None
        if period is None:
            raise ValidationErrors(
                {"periods": f"Periode {p.number} is niet gevonden; open het document opnieuw."}
            )
        prefix = f"periode {period.number} · "
        if period.closed:
            if _period_changed(period, p, data.areas):
                raise ReadOnlyError(
                    f"Periode {period.number} is afgesloten; de inhoud kan niet meer worden "
                    "gewijzigd. Heropen de periode eerst."
                )
            continue
        for key, label in (("start_date", "startdatum"), ("end_date", "einddatum")):
            old, new = getattr(period, key), getattr(p, key)
            if old != new:
                setattr(period, key, new)
                changes.append((prefix, label, short_date(old), short_date(new)))
        stored = {g.area: g for g in period.goals}
        for g in p.goals:
            goal = stored.get(g.area)
            values = _goal_values(g)
            if goal is None:
                if g.is_empty:
                    continue
                goal = GrowthGoal(
                    area=g.area, position=data.areas.index(g.area) if g.area in data.areas else 0
                )
                goal.goal = goal.support_need = goal.execution = goal.evaluation = ""
                goal.outcome = None
                period.goals.append(goal)
            if g.area in data.areas:
                goal.position = data.areas.index(g.area)
            for key, old_new in _diff(goal, values).items():
                old, new = old_new
                setattr(goal, key, new)
                label_key = "evaluated_by" if key == "evaluated_by_id" else key
                changes.append(
                    (
                        f"{prefix}{g.area} · ",
                        label_key,
                        _display(session, key, old),
                        _display(session, key, new),
                    )
                )
    if changes:
        _touch(doc)
        versioned.flush(session, doc, mine, spec)
        for prefix, key, old, new in changes:
            labels = GROWTH_FIELD_LABELS if not prefix else {**GOAL_FIELD_LABELS}
            audit.record(
                session,
                GROWTH_ENTITY,
                doc.id,
                "gewijzigd",
                field=prefix + labels.get(key, key),
                old=old,
                new=new,
                actor=actor,
            )
    session.refresh(doc)
    return _growth_data(_load_growth(session, doc.id))


def _diff(goal: GrowthGoal, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    out = {}
    for key, new in values.items():
        old = getattr(goal, key)
        if key == "outcome" and old is not None:
            old = Outcome(old)
        if isinstance(old, str) and new is None:
            new = ""
        if old != new:
            out[key] = (old, new)
    return out


def _period_changed(period: GrowthPeriod, p: PeriodData, areas: Sequence[str]) -> bool:
    if (period.start_date, period.end_date) != (p.start_date, p.end_date):
        return True
    stored = {g.area: g for g in period.goals}
    for g in p.goals:
        goal = stored.get(g.area)
        if goal is None:
            if not g.is_empty:
                return True
            continue
        if _diff(goal, _goal_values(g)):
            return True
    return False


def add_period(
    session: Session,
    document_id: int,
    *,
    version: int,
    today: date,
    start_date: date | None = None,
    end_date: date | None = None,
    actor: str | None = None,
) -> GrowthData:
    """Start the next period from the previous one: unreached goals are carried over.

    The previous period must be closed (its goals evaluated) first, so that "unreached" means
    something. A goal counts as reached only with the outcome "behaald"; every other goal with
    a doel continues in the new period, linked by ``carried_over_from_id``.
    """
    what = "dit groeidocument"
    doc = _load_growth(session, document_id)
    _check_pupil_writable(doc.pupil)
    _check_version(doc.version, version, what)
    if doc.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError("Dit groeidocument is afgesloten; heropen het eerst.")
    previous = doc.periods[-1] if doc.periods else None
    if previous is not None and not previous.closed:
        raise ValidationErrors(
            {
                "period": f"Sluit eerst periode {previous.number} af: evalueer de doelen, "
                "dan weet u welke doelen doorlopen."
            }
        )
    if start_date is None:
        start_date = previous.end_date + timedelta(days=1) if previous else today
    if end_date is None:
        length = (
            previous.end_date - previous.start_date
            if previous
            else timedelta(weeks=DEFAULT_PERIOD_WEEKS)
        )
        end_date = start_date + length
    if end_date < start_date:
        raise ValidationErrors({"end_date": "De einddatum ligt vóór de startdatum."})
    number = previous.number + 1 if previous else 1
    period = GrowthPeriod(number=number, start_date=start_date, end_date=end_date, closed=False)
    doc.periods.append(period)
    carried = []
    prev_goals = {g.area: g for g in previous.goals} if previous else {}
    for pos, area in enumerate(doc.areas or []):
        prev = prev_goals.get(area)
        if prev is None or not _clean(prev.goal) or prev.outcome == Outcome.BEHAALD:
            continue
        period.goals.append(
            GrowthGoal(
                area=area,
                position=pos,
                goal=prev.goal,
                support_need=prev.support_need,
                execution=prev.execution,
                evaluation="",
                carried_over_from=prev,
            )
        )
        carried.append(area)
    _touch(doc)
    _flush(session, what)
    audit.record(
        session,
        GROWTH_ENTITY,
        doc.id,
        "periode toegevoegd",
        field=f"periode {number}",
        new=f"{short_date(start_date)} t/m {short_date(end_date)}",
        summary=(
            "Voortgezet (niet behaald): " + ", ".join(carried)
            if carried
            else "Geen doelen voortgezet."
        ),
        actor=actor,
    )
    session.expire_all()
    return load_growth_document(session, doc.id)


def period_goals_missing_evaluation(data: GrowthData, number: int) -> dict[str, str]:
    """Per goal of a period that lacks its evaluation or outcome, a Dutch message naming it."""
    period = data.period(number)
    missing: dict[str, str] = {}
    for g in period.goals:
        if g.area not in data.areas or not g.has_goal:
            continue
        lacking = []
        if not _clean(g.evaluation):
            lacking.append("de evaluatie")
        if g.outcome is None:
            lacking.append("de uitkomst")
        if lacking:
            missing[f"goal:{number}:{g.area}"] = (
                f"{g.area}: vul {' en '.join(lacking)} in van het doel "
                f"\u201c{_first_line(g.goal)}\u201d."
            )
    return missing


def _first_line(text: str, limit: int = 60) -> str:
    line = next((ln for ln in text.strip().splitlines() if ln.strip()), "")
    line = re.sub(r"^[-*]\s+", "", line.strip())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def close_period(
    session: Session,
    document_id: int,
    number: int,
    *,
    version: int,
    today: date,
    evaluations: dict[str, tuple[str, Outcome | None]] | None = None,
    evaluated_by_id: int | None = None,
    evaluated_on: date | None = None,
    actor: str | None = None,
) -> GrowthData:
    """Close a period; every goal needs its evaluation and outcome (given here or stored).

    ``evaluations`` maps an area to (evaluation, outcome) entered in the closing dialog. Raises
    ValidationErrors naming each goal that still lacks them; nothing is written then.
    """
    what = "dit groeidocument"
    doc = _load_growth(session, document_id)
    _check_pupil_writable(doc.pupil)
    _check_version(doc.version, version, what)
    if doc.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError("Dit groeidocument is afgesloten; heropen het eerst.")
    period = next((p for p in doc.periods if p.number == number), None)
    if period is None:
        raise LookupError(f"Periode {number} bestaat niet.")
    if period.closed:
        raise ValidationErrors({"period": f"Periode {number} is al afgesloten."})
    data = _growth_data(doc)
    pdata = data.period(number)
    evaluations = evaluations or {}
    for g in pdata.goals:
        if g.area in evaluations:
            text, outcome = evaluations[g.area]
            g.evaluation = _clean(text)
            g.outcome = Outcome(outcome) if outcome else None
    missing = period_goals_missing_evaluation(data, number)
    errors = dict(missing)
    if evaluated_on and evaluated_on > today:
        errors["evaluated_on"] = "De evaluatiedatum ligt in de toekomst."
    if not any(g.has_goal for g in pdata.goals if g.area in data.areas):
        errors["period"] = f"Periode {number} heeft nog geen doelen om te evalueren."
    ValidationErrors.collect(errors)

    stored = {g.area: g for g in period.goals}
    when = evaluated_on or today
    changes = []
    for g in pdata.goals:
        goal = stored.get(g.area)
        if goal is None or g.area not in evaluations:
            continue
        values: dict[str, Any] = {"evaluation": g.evaluation, "outcome": g.outcome}
        if goal.evaluated_on is None or _diff(goal, values):
            values["evaluated_on"] = when
            if evaluated_by_id is not None:
                values["evaluated_by_id"] = evaluated_by_id
        for key, (old, new) in _diff(goal, values).items():
            setattr(goal, key, new)
            label_key = "evaluated_by" if key == "evaluated_by_id" else key
            changes.append(
                (
                    f"periode {number} · {g.area} · {GOAL_FIELD_LABELS[label_key]}",
                    _display(session, key, old),
                    _display(session, key, new),
                )
            )
    for goal in period.goals:
        if goal.area in data.areas and _clean(goal.goal) and goal.evaluated_on is None:
            goal.evaluated_on = when
            goal.evaluated_by_id = goal.evaluated_by_id or evaluated_by_id
    period.closed = True
    _touch(doc)
    _flush(session, what)
    for fld, old, new in changes:
        audit.record(
            session, GROWTH_ENTITY, doc.id, "geëvalueerd", field=fld, old=old, new=new, actor=actor
        )
    audit.record(
        session,
        GROWTH_ENTITY,
        doc.id,
        "periode afgesloten",
        field=f"periode {number}",
        summary=f"Periode {number} geëvalueerd en afgesloten.",
        actor=actor,
    )
    session.expire_all()
    return load_growth_document(session, doc.id)


def reopen_period(
    session: Session,
    document_id: int,
    number: int,
    *,
    version: int,
    actor: str | None = None,
    reason: str = "",
) -> GrowthData:
    """Reopen a closed period (only the newest one), explicitly and recorded."""
    what = "dit groeidocument"
    doc = _load_growth(session, document_id)
    _check_pupil_writable(doc.pupil)
    _check_version(doc.version, version, what)
    if doc.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError("Dit groeidocument is afgesloten; heropen eerst het document.")
    period = next((p for p in doc.periods if p.number == number), None)
    if period is None:
        raise LookupError(f"Periode {number} bestaat niet.")
    if not period.closed:
        raise ValidationErrors({"period": f"Periode {number} is niet afgesloten."})
    if doc.periods[-1] is not period:
        raise ValidationErrors(
            {
                "period": f"Alleen de laatste periode kan worden heropend; na periode {number} "
                "komen nog perioden."
            }
        )
    period.closed = False
    _touch(doc)
    _flush(session, what)
    audit.record(
        session,
        GROWTH_ENTITY,
        doc.id,
        "periode heropend",
        field=f"periode {number}",
        summary=reason.strip(),
        actor=actor,
    )
    session.expire_all()
    return load_growth_document(session, doc.id)


def set_growth_status(
    session: Session,
    document_id: int,
    status: DocumentStatus,
    *,
    version: int,
    actor: str | None = None,
    reason: str = "",
) -> GrowthData:
    """Move a groeidocument along concept → actief → afgesloten, or reopen it (recorded).

    Closing needs every period closed, so that no goal is left without its evaluation.
    """
    what = "dit groeidocument"
    doc = _load_growth(session, document_id)
    _check_pupil_writable(doc.pupil)
    _check_version(doc.version, version, what)
    current = DocumentStatus(doc.status)
    status = DocumentStatus(status)
    _check_transition(current, status, "dit groeidocument")
    errors: dict[str, str] = {}
    if status == DocumentStatus.ACTIEF and current == DocumentStatus.CONCEPT:
        has_goal = any(
            _clean(g.goal) for p in doc.periods for g in p.goals if g.area in (doc.areas or [])
        )
        if not has_goal:
            errors["goals"] = "Schrijf ten minste één doel voordat u het groeidocument activeert."
    if status == DocumentStatus.AFGESLOTEN:
        open_periods = [p.number for p in doc.periods if not p.closed]
        if open_periods:
            names = ", ".join(str(n) for n in open_periods)
            errors["period"] = (
                f"Sluit eerst periode {names} af: elk doel heeft een evaluatie nodig."
            )
    ValidationErrors.collect(errors)
    doc.status = status
    _flush(session, what)
    audit.record(
        session,
        GROWTH_ENTITY,
        doc.id,
        _status_action(current, status),
        field="status",
        old=status_label(current),
        new=status_label(status),
        summary=reason.strip(),
        actor=actor,
    )
    session.expire_all()
    return load_growth_document(session, doc.id)


# ============================================================================ evaluations


@dataclass
class EvaluationTarget:
    """One thing a teacher evaluates: a korte interventie, a groeidocument goal or an OPP goal."""

    kind: str  # "korte_interventie" | "groeidoel" | "oppdoel"
    id: int
    label: str
    goal: str
    support_need: str = ""
    execution: str = ""
    evaluation: str = ""
    outcome: Outcome | None = None
    evaluated_by_id: int | None = None
    evaluated_on: date | None = None
    carried_over_note: str = ""
    #: The version of the evaluated record itself (the goal, or the korte interventie) as loaded:
    #: the unit a teacher writes, and so the unit a save checks (see ``save_evaluation_task``).
    version: int | None = None

    @property
    def key(self) -> str:
        """Stable key of the target within a task ("groeidoel:12")."""
        return f"{self.kind}:{self.id}"

    @property
    def is_evaluated(self) -> bool:
        """Evaluation text and outcome are both there."""
        return bool(self.evaluation.strip()) and self.outcome is not None


@dataclass
class EvaluationTask:
    """The evaluations behind one schedule moment, with the context a teacher needs."""

    moment_key: str
    kind: MomentKind
    due: date
    title: str
    pupil_id: int | None
    pupil_name: str
    group_name: str
    source_kind: str
    source_id: int | None
    version: int
    targets: list[EvaluationTarget]
    document_title: str = ""
    read_only_reason: str = ""
    done_on: date | None = None
    responsible_id: int | None = None
    #: The schedule moment the task was made from (to reload it after a save).
    moment: Any = None

    @property
    def read_only(self) -> bool:
        """Closed documents and fixed evaluations are not written from the teachers' screen."""
        return bool(self.read_only_reason)

    @property
    def complete(self) -> bool:
        """Every target has its evaluation and outcome."""
        return bool(self.targets) and all(t.is_evaluated for t in self.targets)

    def is_overdue(self, today: date) -> bool:
        """Not yet evaluated and the due date has passed."""
        return not self.complete and self.done_on is None and self.due < today

    @property
    def kind_label(self) -> str:
        """ "Korte interventie", "Groeidocument, periode 2", "OPP-doel"."""
        return {
            MomentKind.INTERVENTIE: "Korte interventie",
            MomentKind.GROEIDOCUMENT: "Groeidocument",
            MomentKind.OPP_DOEL: "OPP-doel",
        }.get(self.kind, self.title)


#: The moment kinds a teacher evaluates on the teachers' screen.
TEACHER_KINDS = (MomentKind.INTERVENTIE, MomentKind.GROEIDOCUMENT, MomentKind.OPP_DOEL)


def _ints(key: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", key.split(":", 1)[1] if ":" in key else key)]


def _intervention_task(session: Session, moment: Any) -> EvaluationTask | None:
    iv = session.get(ShortIntervention, moment.source_id)
    if iv is None:
        return None
    reason = ""
    if iv.status == DocumentStatus.AFGESLOTEN:
        reason = "Deze korte interventie is afgesloten."
    elif iv.pupil.status == PupilStatus.VERTROKKEN:
        reason = "Deze leerling heeft de school verlaten."
    target = EvaluationTarget(
        kind="korte_interventie",
        id=iv.id,
        label="Doel",
        goal=iv.goal,
        support_need=iv.support_need,
        execution=iv.execution,
        evaluation=iv.evaluation,
        outcome=Outcome(iv.outcome) if iv.outcome else None,
        evaluated_by_id=iv.evaluated_by_id,
        evaluated_on=iv.evaluated_on,
        version=iv.version,
    )
    return EvaluationTask(
        moment_key=moment.key,
        kind=MomentKind(moment.kind),
        due=moment.due,
        title=moment.title,
        pupil_id=iv.pupil_id,
        pupil_name=iv.pupil.full_name,
        group_name=iv.group_name or (iv.pupil.group.name if iv.pupil.group else ""),
        source_kind=INTERVENTION_ENTITY,
        source_id=iv.id,
        version=iv.version,
        targets=[target],
        document_title=(
            f"Korte interventie {short_date(iv.start_date)} t/m {short_date(iv.end_date)}"
        ),
        read_only_reason=reason,
        done_on=moment.done_on,
        responsible_id=moment.responsible_id,
        moment=moment,
    )


def _growth_period_from_moment(doc: GrowthDocument, moment: Any) -> GrowthPeriod | None:
    numbers = _ints(moment.key)
    by_id = {p.id: p for p in doc.periods}
    for n in numbers:
        if n in by_id:
            return by_id[n]
    # Fall back to the period that ends on the due date, then the newest open one.
    for p in doc.periods:
        if p.end_date == moment.due:
            return p
    open_periods = [p for p in doc.periods if not p.closed]
    return open_periods[0] if open_periods else (doc.periods[-1] if doc.periods else None)


def _growth_task(session: Session, moment: Any) -> EvaluationTask | None:
    doc = session.scalars(_growth_query(moment.source_id)).first()
    if doc is None:
        return None
    period = _growth_period_from_moment(doc, moment)
    if period is None:
        return None
    data = _growth_data(doc)
    pdata = next(p for p in data.periods if p.id == period.id)
    reason = ""
    if doc.status == DocumentStatus.AFGESLOTEN:
        reason = "Dit groeidocument is afgesloten."
    elif period.closed:
        reason = f"Periode {period.number} is afgesloten."
    elif doc.pupil.status == PupilStatus.VERTROKKEN:
        reason = "Deze leerling heeft de school verlaten."
    goal_versions = {g.id: g.version for p in doc.periods for g in p.goals}
    targets = []
    for g in data.visible_goals(pdata):
        if not g.has_goal or g.id is None:
            continue
        targets.append(
            EvaluationTarget(
                kind="groeidoel",
                id=g.id,
                label=g.area,
                goal=g.goal,
                support_need=g.support_need,
                execution=g.execution,
                evaluation=g.evaluation,
                outcome=g.outcome,
                evaluated_by_id=g.evaluated_by_id,
                evaluated_on=g.evaluated_on,
                carried_over_note=g.carried_over_note,
                version=goal_versions.get(g.id),
            )
        )
    return EvaluationTask(
        moment_key=moment.key,
        kind=MomentKind(moment.kind),
        due=moment.due,
        title=moment.title,
        pupil_id=doc.pupil_id,
        pupil_name=doc.pupil.full_name,
        group_name=doc.group_name or (doc.pupil.group.name if doc.pupil.group else ""),
        source_kind=GROWTH_ENTITY,
        source_id=doc.id,
        version=doc.version,
        targets=targets,
        document_title=f"{doc.title}, periode {period.number}",
        read_only_reason=reason,
        done_on=moment.done_on,
        responsible_id=moment.responsible_id,
        moment=moment,
    )


_OPP_GOAL_KEY = re.compile(r":doel:(\d+)")


def _opp_goals_for_moment(session: Session, moment: Any) -> tuple[OppVersion | None, list[OppGoal]]:
    """The OPP goal behind an "OPP-doel" moment: the engine puts its id in the key."""
    m = _OPP_GOAL_KEY.search(moment.key)
    if m is None:
        return None, []
    goal = session.get(OppGoal, int(m.group(1)))
    if goal is None:
        return None, []
    return goal.opp_version, [goal]


def _opp_task(session: Session, moment: Any) -> EvaluationTask | None:
    version, goals = _opp_goals_for_moment(session, moment)
    if version is None or not goals:
        return None
    reason = ""
    if version.status == OppStatus.GEEVALUEERD:
        reason = "Deze OPP-versie is al geëvalueerd."
    pupil = version.opp.pupil
    if pupil.status == PupilStatus.VERTROKKEN:
        reason = "Deze leerling heeft de school verlaten."
    targets = [
        EvaluationTarget(
            kind="oppdoel",
            id=g.id,
            label=g.area,
            goal=g.goal,
            execution=g.intermediate_goals,
            evaluation=g.result,
            outcome=Outcome(g.outcome) if g.outcome else None,
            version=g.version,
        )
        for g in goals
    ]
    return EvaluationTask(
        moment_key=moment.key,
        kind=MomentKind(moment.kind),
        due=moment.due,
        title=moment.title,
        pupil_id=pupil.id,
        pupil_name=pupil.full_name,
        group_name=pupil.group.name if pupil.group else "",
        source_kind=OPP_VERSION_ENTITY,
        source_id=version.id,
        version=version.version,
        targets=targets,
        document_title=f"OPP, versie {version.number}",
        read_only_reason=reason,
        done_on=moment.done_on,
        responsible_id=moment.responsible_id,
        moment=moment,
    )


def load_evaluation_task(session: Session, moment: Any) -> EvaluationTask | None:
    """The evaluations behind a schedule moment (None when its document is gone)."""
    kind = MomentKind(moment.kind)
    source = getattr(moment, "source_kind", "")
    if kind == MomentKind.INTERVENTIE or source == "korte_interventie":
        return _intervention_task(session, moment)
    if kind == MomentKind.GROEIDOCUMENT or source == "groeidocument":
        return _growth_task(session, moment)
    if kind == MomentKind.OPP_DOEL:
        return _opp_task(session, moment)
    return None  # an OPP evaluation with the parents is written in the OPP editor


def evaluation_tasks(
    session: Session,
    school_id: int,
    teacher_id: int,
    *,
    today: date,
    within_days: int = DEFAULT_HORIZON_DAYS,
    compute: Callable[..., list[Any]] | None = None,
) -> list[EvaluationTask]:
    """The evaluations of a teacher's pupils that are overdue or due within ``within_days``.

    The schedule engine decides what is due; this keeps the moments the teacher is responsible
    for, of the kinds a teacher evaluates, sorted by due date (overdue first).
    """
    if compute is None:
        from ib_desktop.schedule import compute_moments as compute
    moments = compute(session, school_id, today=today, end=today + timedelta(days=within_days))
    tasks = []
    for m in moments:
        if m.responsible_id != teacher_id or MomentKind(m.kind) not in TEACHER_KINDS:
            continue
        if m.done_on is not None or m.due > today + timedelta(days=within_days):
            continue
        task = load_evaluation_task(session, m)
        if task is not None and task.targets:
            tasks.append(task)
    tasks.sort(key=lambda t: (t.due, t.pupil_name.lower(), t.moment_key))
    return tasks


def save_evaluation_task(
    session: Session,
    task: EvaluationTask,
    values: dict[str, tuple[str, Outcome | None]],
    *,
    evaluated_by_id: int | None,
    evaluated_on: date,
    today: date,
    actor: str | None = None,
) -> EvaluationTask:
    """Write the evaluations of a task: only evaluation, outcome, evaluated by and on.

    ``values`` maps a target's key to (evaluation, outcome). Every target that gets anything
    needs both; at least one target must be filled. Each evaluated goal (or korte interventie)
    must still be at the version it was loaded at; a goal saved by someone else in between is
    refused with a :class:`~ib_desktop.services.versioned.EditConflict`. The document's own
    version is not checked here: a teacher's earlier save of another goal of the same OPP or
    groeidocument raised it, and that is no conflict.
    """
    errors: dict[str, str] = {}
    filled: dict[str, tuple[str, Outcome | None]] = {}
    labels = {t.key: t.label for t in task.targets}
    for t in task.targets:
        text, outcome = values.get(t.key, (t.evaluation, t.outcome))
        text = _clean(text)
        outcome = Outcome(outcome) if outcome else None
        if not text and outcome is None:
            continue
        what = "" if len(task.targets) == 1 else f" ({labels[t.key]})"
        if not text:
            errors[f"{t.key}:evaluation"] = f"Schrijf de evaluatie{what}."
        if outcome is None:
            errors[f"{t.key}:outcome"] = f"Kies de uitkomst{what}."
        filled[t.key] = (text, outcome)
    if not filled and not errors:
        errors["evaluation"] = "Schrijf de evaluatie en kies de uitkomst."
    if evaluated_on > today:
        errors["evaluated_on"] = "De evaluatiedatum ligt in de toekomst."
    ValidationErrors.collect(errors)
    if task.read_only:
        raise ReadOnlyError(task.read_only_reason)
    # Only what the user changed is written: a goal shown as it was loaded is left alone, so
    # its evaluation saved meanwhile elsewhere (another window, a colleague) is not undone.
    filled = {
        key: value
        for key, value in filled.items()
        if _changed_by_user(task, key, value, evaluated_by_id, evaluated_on)
    }
    if not filled:
        pass  # nothing changed: nothing to write, the task is read again below
    elif task.source_kind == INTERVENTION_ENTITY:
        _save_intervention_evaluation(session, task, filled, evaluated_by_id, evaluated_on, actor)
    elif task.source_kind == GROWTH_ENTITY:
        _save_growth_evaluation(session, task, filled, evaluated_by_id, evaluated_on, actor)
    elif task.source_kind == OPP_VERSION_ENTITY:
        _save_opp_evaluation(session, task, filled, actor)
    else:  # pragma: no cover - guarded by load_evaluation_task
        raise ValueError(task.source_kind)
    session.expire_all()
    fresh = load_evaluation_task(session, task.moment) if task.moment is not None else None
    return fresh if fresh is not None else task


def _changed_by_user(
    task: EvaluationTask,
    key: str,
    value: tuple[str, Outcome | None],
    evaluated_by_id: int | None,
    evaluated_on: date,
) -> bool:
    """True when the values for a target differ from what the task was loaded with."""
    target = next((t for t in task.targets if t.key == key), None)
    if target is None:
        return True
    if (_clean(target.evaluation), target.outcome) != value:
        return True
    if task.source_kind == OPP_VERSION_ENTITY:
        return False  # an OPP goal keeps no evaluator or date of its own
    return (target.evaluated_by_id, target.evaluated_on) != (evaluated_by_id, evaluated_on)


def _evaluation_changes(
    session: Session, record: Any, values: dict[str, Any], fields: dict[str, str]
) -> list[tuple[str, str, str]]:
    out = []
    for key, new in values.items():
        old = getattr(record, key)
        if key == "outcome" and old is not None:
            old = Outcome(old)
        if old == new:
            continue
        setattr(record, key, new)
        out.append((fields[key], _display(session, key, old), _display(session, key, new)))
    return out


def _evaluation_versioned(
    session: Session, what: str, entity: str, entity_id: int, field_prefix: str
) -> versioned.Versioned:
    """How the evaluation of one goal checks its version and tells who changed it."""
    return versioned.Versioned(
        what=what,
        labels={"evaluation": "evaluatie", "result": "evaluatie", "outcome": "uitkomst"},
        show=lambda key, value: _display(session, key, value),
        history=versioned.History(entity, entity_id, (field_prefix,) if field_prefix else ()),
    )


def _save_intervention_evaluation(
    session: Session,
    task: EvaluationTask,
    filled: dict[str, tuple[str, Outcome | None]],
    evaluated_by_id: int | None,
    evaluated_on: date,
    actor: str | None,
) -> None:
    what = "deze korte interventie"
    iv = session.get(ShortIntervention, task.source_id)
    if iv is None:
        raise LookupError("Deze korte interventie bestaat niet (meer).")
    if iv.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError("Deze korte interventie is afgesloten.")
    _check_pupil_writable(iv.pupil)
    key = f"korte_interventie:{iv.id}"
    text, outcome = filled[key]
    target = next((t for t in task.targets if t.key == key), None)
    loaded = target.version if target is not None and target.version is not None else task.version
    spec = _evaluation_versioned(session, what, INTERVENTION_ENTITY, iv.id, "")
    mine = {"evaluation": text, "outcome": outcome}
    versioned.check_version(session, iv, loaded, mine, spec)
    if evaluated_on < iv.start_date:
        raise ValidationErrors(
            {"evaluated_on": "De evaluatiedatum ligt vóór de start van de interventie."}
        )
    labels = {k: INTERVENTION_FIELD_LABELS[k.removesuffix("_id")] for k in EVALUATION_FIELDS}
    with session.no_autoflush:
        changes = _evaluation_changes(
            session,
            iv,
            {
                "evaluation": text,
                "outcome": outcome,
                "evaluated_by_id": evaluated_by_id,
                "evaluated_on": evaluated_on,
            },
            labels,
        )
    if changes:
        versioned.flush(session, iv, mine, spec)
        for fld, old, new in changes:
            audit.record(
                session,
                INTERVENTION_ENTITY,
                iv.id,
                "geëvalueerd",
                field=fld,
                old=old,
                new=new,
                actor=actor,
            )


def _check_goal_versions(
    session: Session,
    task: EvaluationTask,
    filled: dict[str, tuple[str, Outcome | None]],
    goals: dict[int, Any],
    specs: dict[int, versioned.Versioned],
    result_field: str,
    what: str,
) -> list[tuple[Any, int | None, dict[str, Any], versioned.Versioned]]:
    """Check each evaluated goal against the version it was loaded at (not the document's).

    The goal is what a teacher writes; evaluating goal 1 raises its own version and the
    document's, so checking the document would refuse the teacher's next goal as if somebody
    else had saved. Another person's evaluation of the same goal is still refused.
    """
    targets = {t.key: t for t in task.targets}
    checks = []
    for key, (text, outcome) in filled.items():
        goal = goals.get(int(key.split(":")[1]))
        if goal is None:  # removed in the editor after the task was loaded
            raise versioned.EditConflict(what, gone=True)
        target = targets.get(key)
        loaded = target.version if target is not None else None
        mine = {result_field: text, "outcome": outcome}
        versioned.check_version(session, goal, loaded, mine, specs[goal.id])
        checks.append((goal, loaded, mine, specs[goal.id]))
    return checks


def _save_growth_evaluation(
    session: Session,
    task: EvaluationTask,
    filled: dict[str, tuple[str, Outcome | None]],
    evaluated_by_id: int | None,
    evaluated_on: date,
    actor: str | None,
) -> None:
    what = "dit groeidocument"
    doc = _load_growth(session, task.source_id)  # type: ignore[arg-type]
    if doc.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError("Dit groeidocument is afgesloten.")
    _check_pupil_writable(doc.pupil)
    goals = {g.id: (p, g) for p in doc.periods for g in p.goals}
    for key in filled:
        period_goal = goals.get(int(key.split(":")[1]))
        if period_goal is not None and period_goal[0].closed:
            raise ReadOnlyError(f"Periode {period_goal[0].number} is afgesloten.")
    specs = {
        g.id: _evaluation_versioned(
            session,
            f"de evaluatie van {g.area} (periode {p.number})",
            GROWTH_ENTITY,
            doc.id,
            f"periode {p.number} · {g.area} · ",
        )
        for p, g in goals.values()
    }
    checks = _check_goal_versions(
        session, task, filled, {i: g for i, (_p, g) in goals.items()}, specs, "evaluation", what
    )
    labels = {k: GOAL_FIELD_LABELS[k.removesuffix("_id")] for k in EVALUATION_FIELDS}
    changes = []
    with session.no_autoflush:
        for key, (text, outcome) in filled.items():
            period, goal = goals[int(key.split(":")[1])]
            for fld, old, new in _evaluation_changes(
                session,
                goal,
                {
                    "evaluation": text,
                    "outcome": outcome,
                    "evaluated_by_id": evaluated_by_id,
                    "evaluated_on": evaluated_on,
                },
                labels,
            ):
                changes.append((f"periode {period.number} · {goal.area} · {fld}", old, new))
    if changes:
        # The document's version moves too, so an editor open on it cannot overwrite this.
        _touch(doc)
        versioned.flush_many(session, checks, what)
        for fld, old, new in changes:
            audit.record(
                session,
                GROWTH_ENTITY,
                doc.id,
                "geëvalueerd",
                field=fld,
                old=old,
                new=new,
                actor=actor,
            )


def _save_opp_evaluation(
    session: Session,
    task: EvaluationTask,
    filled: dict[str, tuple[str, Outcome | None]],
    actor: str | None,
) -> None:
    """OPP goals keep their evaluation in ``result`` and ``outcome``; each goal is its own lock."""
    what = "dit OPP"
    version = session.get(OppVersion, task.source_id)
    if version is None:
        raise LookupError("Dit OPP bestaat niet (meer).")
    if version.status == OppStatus.GEEVALUEERD:
        raise ReadOnlyError("Deze OPP-versie is al geëvalueerd en wordt niet meer gewijzigd.")
    _check_pupil_writable(version.opp.pupil)
    goals = {g.id: g for g in version.goals}
    specs = {
        g.id: _evaluation_versioned(
            session,
            f"de evaluatie van het doel {g.area}",
            OPP_VERSION_ENTITY,
            version.id,
            f"doel {g.area} · ",
        )
        for g in goals.values()
    }
    checks = _check_goal_versions(session, task, filled, goals, specs, "result", what)
    changes = []
    with session.no_autoflush:
        for key, (text, outcome) in filled.items():
            goal = goals[int(key.split(":")[1])]
            for fld, old, new in _evaluation_changes(
                session,
                goal,
                {"result": text, "outcome": outcome},
                {"result": "evaluatie", "outcome": "uitkomst"},
            ):
                changes.append((f"doel {goal.area} · {fld}", old, new))
    if changes:
        # The OPP version's own number moves too, so the OPP editor cannot overwrite this.
        _touch(version)
        versioned.flush_many(session, checks, what)
        for fld, old, new in changes:
            audit.record(
                session,
                OPP_VERSION_ENTITY,
                version.id,
                "geëvalueerd",
                field=fld,
                old=old,
                new=new,
                actor=actor,
            )


def with_evaluation(
    task: EvaluationTask, key: str, evaluation: str, outcome: Outcome | None
) -> EvaluationTask:
    """A copy of ``task`` with one target's evaluation replaced (handy for the UI's state)."""
    targets = [
        replace(t, evaluation=evaluation, outcome=outcome) if t.key == key else t
        for t in task.targets
    ]
    return replace(task, targets=targets)
