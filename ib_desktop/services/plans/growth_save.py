"""Saving a groeidocument: its header, periods and goals in one versioned save, and its status.

A save carries the version the editor loaded; :func:`~ib_desktop.services.versioned.save_versioned`
refuses it when somebody else saved in between (showing per period both people's goals), then
the header fields, the period dates and the goal cells are applied and written at once, and
every change goes to the history. A closed period keeps its content; a closed document is not
changed at all until it is reopened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import DocumentStatus, GrowthDocument, GrowthGoal, GrowthPeriod, Pupil
from ib_desktop.services import audit, versioned
from ib_desktop.validation import ReadOnlyError, ValidationErrors

from .common import (
    GOAL_FIELD_LABELS,
    GROWTH_ENTITY,
    GROWTH_FIELD_LABELS,
    check_pupil_writable,
    check_transition,
    clean,
    display,
    flush_new,
    load_pupil,
    plan_spec,
    save_step,
    staff_name,
    status_action,
    status_label,
    touch,
    validate_evaluation,
)
from .growth import (
    WHAT,
    GoalData,
    GrowthData,
    PeriodData,
    diff,
    goal_values,
    growth_data,
    load_growth_document,
    load_growth_row,
    periods_text,
)


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
        _validate_period(errors, p, previous, today)
        previous = p
    ValidationErrors.collect(errors)


def _validate_period(
    errors: dict[str, str], p: PeriodData, previous: PeriodData | None, today: date
) -> None:
    """A period's dates in order, and its goals' evaluations (see ``validate_evaluation``)."""
    key = f"period:{p.number}:"
    if p.end_date < p.start_date:
        errors[key + "end_date"] = f"De einddatum van periode {p.number} ligt vóór de startdatum."
    elif previous is not None and p.start_date < previous.start_date:
        errors[key + "start_date"] = f"Periode {p.number} begint vóór periode {previous.number}."
    for g in p.goals:
        validate_evaluation(
            errors,
            f"goal:{p.number}:{g.area}:",
            g.evaluation,
            g.outcome,
            g.evaluated_on,
            today,
            what=f"{g.area}, periode {p.number}",
        )


def save_growth_document(
    session: Session, data: GrowthData, *, today: date, actor: str | None = None
) -> GrowthData:
    """Create or update a groeidocument with its periods and goals; returns the saved data.

    Closed periods keep their content: a change there raises ReadOnlyError, as does any change
    to a closed document. A save based on an older version raises ConcurrentEditError.
    """
    pupil = load_pupil(session, data.pupil_id)
    check_pupil_writable(pupil)
    teacher_name = staff_name(session, data.teacher_id) or data.teacher_name.strip()
    header = {
        "title": data.title.strip(),
        "group_name": data.group_name.strip(),
        "teacher_id": data.teacher_id,
        "teacher_name": teacher_name,
        "areas": list(data.areas),
    }
    if data.id is None:
        return _create_growth(session, pupil, data, header, today=today, actor=actor)

    doc = load_growth_row(session, data.id)
    spec = plan_spec(session, WHAT, GROWTH_ENTITY, doc.id, GROWTH_FIELD_LABELS)
    spec.value_of = lambda row, name: (
        periods_text(row.periods).get(name, "") if name.startswith("periode ")
        else getattr(row, name)
    )  # fmt: skip

    def refuse() -> None:
        if doc.status == DocumentStatus.AFGESLOTEN:
            raise ReadOnlyError(
                "Dit groeidocument is afgesloten en kan niet meer worden gewijzigd. "
                "Heropen het eerst."
            )
        _validate_growth(data, today)

    changes = _GrowthChanges(session, doc, data, teacher_name)
    # Someone else saved after the editor loaded: both values per field, nothing written.
    versioned.save_versioned(
        session,
        doc,
        data.version,
        header,
        spec,
        mine={**header, **periods_text(data.periods)},
        before=refuse,
        log=changes.header,
        apply=changes.periods,
    )
    changes.record(actor)
    session.refresh(doc)
    return growth_data(load_growth_row(session, doc.id))


def _create_growth(
    session: Session,
    pupil: Pupil,
    data: GrowthData,
    header: dict[str, Any],
    *,
    today: date,
    actor: str | None,
) -> GrowthData:
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
                period.goals.append(GrowthGoal(area=g.area, position=pos, **goal_values(g)))
    flush_new(session, WHAT)
    audit.record(
        session,
        GROWTH_ENTITY,
        doc.id,
        "aangemaakt",
        summary=f"Groeidocument voor {pupil.full_name} aangemaakt.",
        actor=actor,
    )
    return growth_data(doc)


class _GrowthChanges:
    """One save of a stored groeidocument: applies the editor's periods and goals and
    collects each change, as (prefix, field, old, new), for the history."""

    def __init__(
        self, session: Session, doc: GrowthDocument, data: GrowthData, teacher_name: str
    ) -> None:
        self.session = session
        self.doc = doc
        self.data = data
        self.teacher_name = teacher_name
        self.lines: list[tuple[str, str, str, str]] = []

    def header(self, key: str, old: Any, new: Any) -> None:
        """The change logger of the header fields (called by the save for each change)."""
        if key == "teacher_name":
            if self.data.teacher_id is None and self.doc.teacher_id is None:
                self.lines.append(("", "teacher", old or "", new or ""))
            return  # otherwise shown with teacher_id as "leerkracht"
        if key == "teacher_id":
            old_shown = staff_name(self.session, old) or self.doc.teacher_name
            self.lines.append(("", "teacher", old_shown, self.teacher_name))
            return
        shown = display(self.session, key, old), display(self.session, key, new)
        self.lines.append(("", key, *shown))

    def periods(self) -> None:
        """Apply the periods and goals; the document's version moves when anything changed."""
        stored_periods = {p.id: p for p in self.doc.periods}
        for p in self.data.periods:
            period = stored_periods.get(p.id) if p.id is not None else None
            if period is None:
                raise ValidationErrors(
                    {"periods": f"Periode {p.number} is niet gevonden; open het document opnieuw."}
                )
            self._period(period, p)
        if self.lines:
            touch(self.doc)

    def _period(self, period: GrowthPeriod, p: PeriodData) -> None:
        prefix = f"periode {period.number} · "
        if period.closed:
            if _period_changed(period, p, self.data.areas):
                raise ReadOnlyError(
                    f"Periode {period.number} is afgesloten; de inhoud kan niet meer worden "
                    "gewijzigd. Heropen de periode eerst."
                )
            return
        for key, label in (("start_date", "startdatum"), ("end_date", "einddatum")):
            old, new = getattr(period, key), getattr(p, key)
            if old != new:
                setattr(period, key, new)
                self.lines.append((prefix, label, short_date(old), short_date(new)))
        stored = {g.area: g for g in period.goals}
        for g in p.goals:
            self._goal(period, stored.get(g.area), g, prefix)

    def _goal(
        self, period: GrowthPeriod, goal: GrowthGoal | None, g: GoalData, prefix: str
    ) -> None:
        areas = self.data.areas
        if goal is None:
            if g.is_empty:
                return
            goal = GrowthGoal(area=g.area, position=areas.index(g.area) if g.area in areas else 0)
            goal.goal = goal.support_need = goal.execution = goal.evaluation = ""
            goal.outcome = None
            period.goals.append(goal)
        if g.area in areas:
            goal.position = areas.index(g.area)
        for key, (old, new) in diff(goal, goal_values(g)).items():
            setattr(goal, key, new)
            label_key = "evaluated_by" if key == "evaluated_by_id" else key
            shown = display(self.session, key, old), display(self.session, key, new)
            self.lines.append((f"{prefix}{g.area} · ", label_key, *shown))

    def record(self, actor: str | None) -> None:
        """Write the collected changes to the history."""
        for prefix, key, old, new in self.lines:
            labels = GROWTH_FIELD_LABELS if not prefix else GOAL_FIELD_LABELS
            audit.record(
                self.session,
                GROWTH_ENTITY,
                self.doc.id,
                "gewijzigd",
                field=prefix + labels.get(key, key),
                old=old,
                new=new,
                actor=actor,
            )


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
        if diff(goal, goal_values(g)):
            return True
    return False


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
    doc = load_growth_row(session, document_id)
    check_pupil_writable(doc.pupil)
    current = DocumentStatus(doc.status)
    status = DocumentStatus(status)
    save_step(
        session,
        doc,
        version,
        WHAT,
        {"status": status},
        before=lambda: _check_status_step(doc, current, status),
    )
    audit.record(
        session,
        GROWTH_ENTITY,
        doc.id,
        status_action(current, status),
        field="status",
        old=status_label(current),
        new=status_label(status),
        summary=reason.strip(),
        actor=actor,
    )
    session.expire_all()
    return load_growth_document(session, doc.id)


def _check_status_step(
    doc: GrowthDocument, current: DocumentStatus, status: DocumentStatus
) -> None:
    """Activating needs a doel; closing needs every period closed."""
    check_transition(current, status, WHAT)
    errors: dict[str, str] = {}
    if status == DocumentStatus.ACTIEF and current == DocumentStatus.CONCEPT:
        has_goal = any(
            clean(g.goal) for p in doc.periods for g in p.goals if g.area in (doc.areas or [])
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
