"""What korte interventies, groeidocumenten and evaluations share.

The entity names the change log uses, the Dutch labels of outcomes, statuses and fields, the
staff choices for the editors' combo boxes, a document's history, and the small steps every
save takes: clean the text, refuse the file of a pupil who left, show a value as the history
shows it, and write a status or period step through the one versioned-save helper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
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
    Outcome,
    Pupil,
    PupilStatus,
    Staff,
    StaffRole,
)
from ib_desktop.services import audit, versioned
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


def clean(text: str | None) -> str:
    """Rich text as stored: no trailing blank lines, so an untouched field compares equal."""
    return (text or "").strip()


def staff_name(session: Session, staff_id: int | None) -> str:
    """The full name of a member of staff (empty for none, or one who is gone)."""
    if staff_id is None:
        return ""
    staff = session.get(Staff, staff_id)
    return staff.full_name if staff else ""


def display(session: Session, key: str, value: Any) -> str:
    """A value as the history shows it: dates as 12-03-2026, outcomes and people by name."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, Outcome) or key == "outcome":
        return outcome_label(value)
    if key.endswith("_by_id"):
        return staff_name(session, value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def flush_new(session: Session, what: str) -> None:
    """Write a new record now; a row that changed under us becomes our Dutch error."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConcurrentEditError(what) from exc


def plan_spec(
    session: Session, what: str, entity: str, record_id: int, labels: dict[str, str]
) -> versioned.Versioned:
    """How a conflict on a plan is told: its fields with their Dutch names, people by name."""
    return versioned.Versioned(
        what,
        labels={**labels, "teacher_id": labels.get("teacher", "leerkracht"),
                "teacher_name": labels.get("teacher", "leerkracht"),
                "evaluated_by_id": labels.get("evaluated_by", "geëvalueerd door")},
        show=lambda key, value: display(session, key, value),
        history=versioned.History(entity, record_id),
    )  # fmt: skip


def touch(record: Any) -> None:
    """Mark a document as changed so its version goes up even when only its children changed.

    The version column makes the UPDATE carry ``WHERE version = <loaded>``, so a concurrent
    save that slipped in after our check still fails with StaleDataError.
    """
    record.updated_at = datetime.now().replace(microsecond=0)
    flag_modified(record, "updated_at")


def bump_version(session: Session, record: Any) -> None:
    """Raise a document's version by one on the server, whatever version this session read.

    For a save that checks its own records (the goals a teacher evaluates) but not the document
    around them: the document's number must move so an editor open on it cannot overwrite the
    evaluation, yet two teachers evaluating two goals of one document at the same moment are no
    conflict. ``version = version + 1`` is computed by the database under the row lock, so two
    such saves both count; a ``WHERE version = <read>`` would refuse the second.
    """
    model = type(record)
    session.flush()
    session.execute(
        sa.update(model)
        .where(model.id == record.id)
        .values(version=model.version + 1, updated_at=datetime.now().replace(microsecond=0))
        .execution_options(synchronize_session=False)
    )
    session.expire(record, ["version", "updated_at"])


def save_step(
    session: Session,
    record: Any,
    version: int,
    what: str,
    values: Mapping[str, Any] | None = None,
    *,
    before: Callable[[], None] | None = None,
    apply: Callable[[], None] | None = None,
) -> None:
    """A status or period step, written through the one versioned save.

    Such a step has no typed fields to set beside the other person's, so a conflict is told
    as these steps always told it: plainly (:class:`ConcurrentEditError`), not field by field.
    """
    spec = versioned.Versioned(what)
    try:
        versioned.save_versioned(
            session, record, version, dict(values or {}), spec, before=before, apply=apply
        )
    except versioned.EditConflict as exc:
        raise ConcurrentEditError(what) from exc


def load_pupil(session: Session, pupil_id: int) -> Pupil:
    """The pupil a new document is for (a Dutch refusal when the pupil is gone)."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationErrors({"pupil": "Deze leerling bestaat niet (meer)."})
    return pupil


def check_pupil_writable(pupil: Pupil) -> None:
    """The file of a pupil who left is read-only."""
    if pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(
            f"{pupil.full_name} heeft de school verlaten; het dossier is alleen-lezen."
        )


def first_teacher(pupil: Pupil) -> Staff | None:
    """The pupil's group's leerkracht (the first active one), to fill in a new document."""
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


def validate_evaluation(
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
    if outcome is not None and not clean(evaluation):
        errors[prefix + "evaluation"] = f"Schrijf de evaluatie bij de uitkomst{suffix}."
    if evaluated_on and evaluated_on > today:
        errors[prefix + "evaluated_on"] = f"De evaluatiedatum ligt in de toekomst{suffix}."


def record_changes(
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
    """Write (field, old, new) lines to the history, each field by its Dutch label."""
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


#: The status steps a document may take.
TRANSITIONS = {
    (DocumentStatus.CONCEPT, DocumentStatus.ACTIEF),
    (DocumentStatus.ACTIEF, DocumentStatus.AFGESLOTEN),
    (DocumentStatus.AFGESLOTEN, DocumentStatus.ACTIEF),
}


def check_transition(current: DocumentStatus, new: DocumentStatus, what: str) -> None:
    """Refuse a status step that is not concept → actief → afgesloten (or reopening)."""
    if (current, new) not in TRANSITIONS:
        raise ValidationErrors(
            {
                "status": f"De status van {what} kan niet van {status_label(current)} naar "
                f"{status_label(new)} gaan."
            }
        )


def status_action(current: DocumentStatus, new: DocumentStatus) -> str:
    """The history's word for a status step: "geactiveerd", "afgesloten" or "heropend"."""
    if current == DocumentStatus.AFGESLOTEN:
        return "heropend"
    return {DocumentStatus.ACTIEF: "geactiveerd", DocumentStatus.AFGESLOTEN: "afgesloten"}.get(
        new, "status gewijzigd"
    )
