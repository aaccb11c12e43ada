"""The periods of a groeidocument: starting the next one, closing one, reopening the last.

Each step is recorded in the history and written through the one versioned save of the
document (:func:`.common.save_step`): a step on a document somebody else saved meanwhile is
refused. Closing a period needs the evaluation and outcome of every goal in it; the next period
takes over, linked, every goal that was not reached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import DocumentStatus, GrowthDocument, GrowthGoal, GrowthPeriod, Outcome
from ib_desktop.services import audit
from ib_desktop.validation import ReadOnlyError, ValidationErrors

from .common import (
    DEFAULT_PERIOD_WEEKS,
    GOAL_FIELD_LABELS,
    GROWTH_ENTITY,
    check_pupil_writable,
    clean,
    display,
    save_step,
    touch,
)
from .growth import (
    WHAT,
    GrowthData,
    diff,
    growth_data,
    load_growth_document,
    load_growth_row,
)

# ============================================================================ the next period


def add_period(
    session: Session,
    document_id: int,
    *,
    version: int,
    today: date,
    start_date: date | None = None,
    end_date: date | None = None,
    actor: str | None = None,
    carry_open: bool = True,
) -> GrowthData:
    """Start the next period from the previous one: unreached goals are carried over.

    With ``carry_open`` False the new period starts empty (the user writes new goals, or picks
    them from the goal bank); the previous period's goals stay as they were.

    The previous period must be closed (its goals evaluated) first, so that "unreached" means
    something. A goal counts as reached only with the outcome "behaald"; every other goal with
    a doel continues in the new period, linked by ``carried_over_from_id``.
    """
    doc = load_growth_row(session, document_id)
    check_pupil_writable(doc.pupil)
    previous = doc.periods[-1] if doc.periods else None
    start, end = _next_dates(previous, start_date, end_date, today)
    number = previous.number + 1 if previous else 1
    carried: list[str] = []

    def start_period() -> None:
        carried.extend(_start_period(doc, previous if carry_open else None, number, start, end))
        touch(doc)

    save_step(
        session,
        doc,
        version,
        WHAT,
        before=lambda: _check_next_period(doc, previous, start, end),
        apply=start_period,
    )
    audit.record(
        session,
        GROWTH_ENTITY,
        doc.id,
        "periode toegevoegd",
        field=f"periode {number}",
        new=f"{short_date(start)} t/m {short_date(end)}",
        summary=(
            "Voortgezet (niet behaald): " + ", ".join(carried)
            if carried
            else "Geen doelen voortgezet."
        ),
        actor=actor,
    )
    session.expire_all()
    return load_growth_document(session, doc.id)


def _next_dates(
    previous: GrowthPeriod | None, start: date | None, end: date | None, today: date
) -> tuple[date, date]:
    """The new period's dates: after the previous one and as long, unless given."""
    if start is None:
        start = previous.end_date + timedelta(days=1) if previous else today
    if end is None:
        length = (
            previous.end_date - previous.start_date
            if previous
            else timedelta(weeks=DEFAULT_PERIOD_WEEKS)
        )
        end = start + length
    return start, end


def _check_next_period(
    doc: GrowthDocument, previous: GrowthPeriod | None, start: date, end: date
) -> None:
    if doc.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError("Dit groeidocument is afgesloten; heropen het eerst.")
    if previous is not None and not previous.closed:
        raise ValidationErrors(
            {
                "period": f"Sluit eerst periode {previous.number} af: evalueer de doelen, "
                "dan weet u welke doelen doorlopen."
            }
        )
    if end < start:
        raise ValidationErrors({"end_date": "De einddatum ligt vóór de startdatum."})


def _start_period(
    doc: GrowthDocument, previous: GrowthPeriod | None, number: int, start: date, end: date
) -> list[str]:
    """Add the period with the unreached goals of the previous one; returns their areas."""
    period = GrowthPeriod(number=number, start_date=start, end_date=end, closed=False)
    doc.periods.append(period)
    carried = []
    prev_goals = {g.area: g for g in previous.goals} if previous else {}
    for pos, area in enumerate(doc.areas or []):
        prev = prev_goals.get(area)
        if prev is None or not clean(prev.goal) or prev.outcome == Outcome.BEHAALD:
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
    return carried


# ============================================================================ closing


def period_goals_missing_evaluation(data: GrowthData, number: int) -> dict[str, str]:
    """Per goal of a period that lacks its evaluation or outcome, a Dutch message naming it."""
    period = data.period(number)
    missing: dict[str, str] = {}
    for g in period.goals:
        if g.area not in data.areas or not g.has_goal:
            continue
        lacking = []
        if not clean(g.evaluation):
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


@dataclass
class _Closing:
    """Closing period ``number``: checked after the version check, then written."""

    session: Session
    doc: GrowthDocument
    number: int
    today: date
    evaluations: dict[str, tuple[str, Outcome | None]]
    evaluated_by_id: int | None
    evaluated_on: date | None
    #: Found by :meth:`check`, written by :meth:`apply`.
    period: GrowthPeriod = field(init=False)
    data: GrowthData = field(init=False)
    #: (field, old, new) of each evaluation entered in the closing dialog, for the history.
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    def check(self) -> None:
        """Refuse a closed document, an unknown or closed period, and missing evaluations."""
        if self.doc.status == DocumentStatus.AFGESLOTEN:
            raise ReadOnlyError("Dit groeidocument is afgesloten; heropen het eerst.")
        number = self.number
        period = next((p for p in self.doc.periods if p.number == number), None)
        if period is None:
            raise LookupError(f"Periode {number} bestaat niet.")
        if period.closed:
            raise ValidationErrors({"period": f"Periode {number} is al afgesloten."})
        self.period = period
        self.data = growth_data(self.doc)
        pdata = self.data.period(number)
        for g in pdata.goals:
            if g.area in self.evaluations:
                text, outcome = self.evaluations[g.area]
                g.evaluation = clean(text)
                g.outcome = Outcome(outcome) if outcome else None
        errors = period_goals_missing_evaluation(self.data, number)
        if self.evaluated_on and self.evaluated_on > self.today:
            errors["evaluated_on"] = "De evaluatiedatum ligt in de toekomst."
        if not any(g.has_goal for g in pdata.goals if g.area in self.data.areas):
            errors["period"] = f"Periode {number} heeft nog geen doelen om te evalueren."
        ValidationErrors.collect(errors)

    def apply(self) -> None:
        """Write the entered evaluations, date the goals evaluated, and close the period."""
        when = self.evaluated_on or self.today
        stored = {g.area: g for g in self.period.goals}
        for g in self.data.period(self.number).goals:
            goal = stored.get(g.area)
            if goal is not None and g.area in self.evaluations:
                values: dict[str, Any] = {"evaluation": g.evaluation, "outcome": g.outcome}
                self._evaluate(goal, values, when)
        for goal in self.period.goals:
            if goal.area in self.data.areas and clean(goal.goal) and goal.evaluated_on is None:
                goal.evaluated_on = when
                goal.evaluated_by_id = goal.evaluated_by_id or self.evaluated_by_id
        self.period.closed = True
        touch(self.doc)

    def _evaluate(self, goal: GrowthGoal, values: dict[str, Any], when: date) -> None:
        """One goal's evaluation from the dialog; dated (and signed) when it is new or changed."""
        if goal.evaluated_on is None or diff(goal, values):
            values["evaluated_on"] = when
            if self.evaluated_by_id is not None:
                values["evaluated_by_id"] = self.evaluated_by_id
        for key, (old, new) in diff(goal, values).items():
            setattr(goal, key, new)
            label_key = "evaluated_by" if key == "evaluated_by_id" else key
            self.changes.append(
                (
                    f"periode {self.number} · {goal.area} · {GOAL_FIELD_LABELS[label_key]}",
                    display(self.session, key, old),
                    display(self.session, key, new),
                )
            )


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
    doc = load_growth_row(session, document_id)
    check_pupil_writable(doc.pupil)
    closing = _Closing(
        session, doc, number, today, evaluations or {}, evaluated_by_id, evaluated_on
    )
    save_step(session, doc, version, WHAT, before=closing.check, apply=closing.apply)
    for fld, old, new in closing.changes:
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


# ============================================================================ reopening


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
    doc = load_growth_row(session, document_id)
    check_pupil_writable(doc.pupil)
    found: list[GrowthPeriod] = []

    def reopen() -> None:
        found[0].closed = False
        touch(doc)

    save_step(
        session,
        doc,
        version,
        WHAT,
        before=lambda: found.append(_period_to_reopen(doc, number)),
        apply=reopen,
    )
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


def _period_to_reopen(doc: GrowthDocument, number: int) -> GrowthPeriod:
    """Period ``number``, when it is closed and the newest; a Dutch refusal otherwise."""
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
    return period
