"""Korte interventies: one goal for 4 to 8 weeks, written, saved, activated, closed, reopened.

The editor holds an :class:`InterventionData`; every save carries the version it was loaded at
and goes through :func:`~ib_desktop.services.versioned.save_versioned`, which refuses a save
over somebody else's newer one and writes each changed field to the change log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.models import DocumentStatus, Outcome, Pupil, PupilStatus, ShortIntervention
from ib_desktop.services import audit, versioned
from ib_desktop.validation import ReadOnlyError, ValidationErrors

from .common import (
    DEFAULT_INTERVENTION_WEEKS,
    INTERVENTION_ENTITY,
    INTERVENTION_FIELD_LABELS,
    TYPICAL_WEEKS,
    check_pupil_writable,
    check_transition,
    clean,
    display,
    first_teacher,
    flush_new,
    load_pupil,
    plan_spec,
    record_changes,
    save_step,
    staff_name,
    status_action,
    status_label,
    validate_evaluation,
)

WHAT = "deze korte interventie"


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
    pupil = load_pupil(session, pupil_id)
    check_pupil_writable(pupil)
    teacher = first_teacher(pupil)
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
    validate_evaluation(errors, "", data.evaluation, data.outcome, data.evaluated_on, today)
    if data.evaluated_on and data.start_date and data.evaluated_on < data.start_date:
        errors["evaluated_on"] = "De evaluatiedatum ligt vóór de start van de interventie."
    ValidationErrors.collect(errors)


def _stored_values(session: Session, data: InterventionData) -> dict[str, Any]:
    """The editor's fields as they are stored: trimmed, and a chosen teacher by name."""
    values = data.editable_fields()
    for key in ("group_name", "teacher_name"):
        values[key] = (values[key] or "").strip()
    for key in ("goal", "support_need", "execution", "evaluation"):
        values[key] = clean(values[key])
    if values["teacher_id"] is not None:
        values["teacher_name"] = staff_name(session, values["teacher_id"]) or values["teacher_name"]
    return values


def save_intervention(
    session: Session, data: InterventionData, *, today: date, actor: str | None = None
) -> InterventionData:
    """Create or update a korte interventie; returns the saved data with its new version.

    Raises ValidationErrors (per field), ReadOnlyError (closed, or the pupil left) or
    ConcurrentEditError (someone saved after ``data.version``); nothing is written then.
    """
    pupil = load_pupil(session, data.pupil_id)
    check_pupil_writable(pupil)
    values = _stored_values(session, data)
    if data.id is None:
        return _create_intervention(session, pupil, data, values, today=today, actor=actor)
    iv = session.get(ShortIntervention, data.id)
    if iv is None:
        raise LookupError("Deze korte interventie bestaat niet (meer).")

    def refuse() -> None:
        if iv.status == DocumentStatus.AFGESLOTEN:
            raise ReadOnlyError(
                "Deze korte interventie is afgesloten en kan niet meer worden gewijzigd. "
                "Heropen haar eerst."
            )
        _validate_intervention(data, today)

    changes: list[tuple[str, str, str]] = []
    # Someone else saved after the editor loaded: both values per field, nothing written.
    versioned.save_versioned(
        session,
        iv,
        data.version,
        values,
        plan_spec(session, WHAT, INTERVENTION_ENTITY, iv.id, INTERVENTION_FIELD_LABELS),
        before=refuse,
        log=_history_line(session, iv, values, changes),
    )
    record_changes(session, INTERVENTION_ENTITY, iv.id, changes, INTERVENTION_FIELD_LABELS, actor)
    return _intervention_data(session, iv)


def _create_intervention(
    session: Session,
    pupil: Pupil,
    data: InterventionData,
    values: dict[str, Any],
    *,
    today: date,
    actor: str | None,
) -> InterventionData:
    _validate_intervention(data, today)
    iv = ShortIntervention(pupil_id=pupil.id, status=DocumentStatus.CONCEPT, **values)
    session.add(iv)
    flush_new(session, WHAT)
    audit.record(
        session,
        INTERVENTION_ENTITY,
        iv.id,
        "aangemaakt",
        summary=f"Korte interventie voor {pupil.full_name} aangemaakt.",
        actor=actor,
    )
    return _intervention_data(session, iv)


def _history_line(
    session: Session,
    record: ShortIntervention,
    values: dict[str, Any],
    changes: list[tuple[str, str, str]],
) -> Callable[[str, Any, Any], None]:
    """The save's change logger: (field, old, new) as the history shows them, into ``changes``.

    A chosen teacher is one line "leerkracht" (by name); a typed name without a staff record
    is the leerkracht itself.
    """
    teacher_changed = record.teacher_id != values["teacher_id"]

    def log(key: str, old: Any, new: Any) -> None:
        if key == "teacher_name":
            if not teacher_changed and values.get("teacher_id") is None:
                changes.append(("teacher", old or "", new or ""))
            return  # otherwise shown with teacher_id as "leerkracht"
        label_key = {"teacher_id": "teacher", "evaluated_by_id": "evaluated_by"}.get(key, key)
        old_shown = display(session, key, old)
        new_shown = display(session, key, new)
        if key == "teacher_id":
            old_shown = old_shown or record.teacher_name
            new_shown = new_shown or values.get("teacher_name", "")
        changes.append((label_key, old_shown, new_shown))

    return log


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
    iv = session.get(ShortIntervention, intervention_id)
    if iv is None:
        raise LookupError("Deze korte interventie bestaat niet (meer).")
    check_pupil_writable(iv.pupil)
    current = DocumentStatus(iv.status)
    status = DocumentStatus(status)
    save_step(
        session,
        iv,
        version,
        WHAT,
        {"status": status},
        before=lambda: _check_status_step(iv, current, status),
    )
    audit.record(
        session,
        INTERVENTION_ENTITY,
        iv.id,
        status_action(current, status),
        field="status",
        old=status_label(current),
        new=status_label(status),
        summary=reason.strip(),
        actor=actor,
    )
    return _intervention_data(session, iv)


def _check_status_step(
    iv: ShortIntervention, current: DocumentStatus, status: DocumentStatus
) -> None:
    """Activating needs a doel; closing needs the evaluation and the outcome."""
    check_transition(current, status, WHAT)
    errors: dict[str, str] = {}
    if status == DocumentStatus.ACTIEF and current == DocumentStatus.CONCEPT and not clean(iv.goal):
        errors["goal"] = "Vul het doel in voordat u de interventie activeert."
    if status == DocumentStatus.AFGESLOTEN:
        if not clean(iv.evaluation):
            errors["evaluation"] = "Schrijf de evaluatie voordat u de interventie afsluit."
        if iv.outcome is None:
            errors["outcome"] = "Kies de uitkomst voordat u de interventie afsluit."
    ValidationErrors.collect(errors)
