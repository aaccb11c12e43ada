"""Groeidocumenten as plain data: the editor's grid of goals per development area and period.

:class:`GrowthData` holds a document with its :class:`PeriodData` and their :class:`GoalData`
cells; this module loads it from the database and makes a new one. Saving the document lives in
:mod:`.growth_save`, the period steps (add, close, reopen) in :mod:`.growth_periods`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from ib_desktop.dates import school_year_label
from ib_desktop.models import (
    DocumentStatus,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    Outcome,
    PupilStatus,
)
from ib_desktop.services.school import development_areas

from .common import (
    DEFAULT_PERIOD_WEEKS,
    check_pupil_writable,
    clean,
    first_teacher,
    load_pupil,
    outcome_label,
)

WHAT = "dit groeidocument"


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


def periods_text(periods: Iterable[Any]) -> dict[str, str]:
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


def growth_query(document_id: int) -> Any:
    """The document with its periods, goals, pupil and teacher in one go.

    The pupil and the teacher (one each) come in the document's own row; the periods and
    their goals in one query each: three round trips, on every evaluation save twice.
    """
    return (
        sa.select(GrowthDocument)
        .where(GrowthDocument.id == document_id)
        .options(
            selectinload(GrowthDocument.periods).selectinload(GrowthPeriod.goals),
            joinedload(GrowthDocument.pupil),
            joinedload(GrowthDocument.teacher),
        )
    )


def load_growth_row(session: Session, document_id: int) -> GrowthDocument:
    """The stored groeidocument (raises LookupError when it is gone)."""
    doc = session.scalars(growth_query(document_id)).first()
    if doc is None:
        raise LookupError("Dit groeidocument bestaat niet (meer).")
    return doc


def _goal_data(goal: GrowthGoal, previous: dict[int, tuple[int, GrowthGoal]]) -> GoalData:
    """A stored goal as a cell, with where it was carried over from."""
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


def growth_data(doc: GrowthDocument) -> GrowthData:
    """The stored document as the editor shows it."""
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
    pupil = load_pupil(session, pupil_id)
    check_pupil_writable(pupil)
    teacher = first_teacher(pupil)
    areas = development_areas(session, pupil.school_id)

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
    return growth_data(load_growth_row(session, document_id))


def available_areas(session: Session, school_id: int, data: GrowthData | None = None) -> list[str]:
    """The areas a document can use: the school's list plus any the document already has."""
    areas = development_areas(session, school_id)
    for a in data.areas if data else []:
        if a not in areas:
            areas.append(a)
    return areas


def goal_values(g: GoalData) -> dict[str, Any]:
    """A cell's values as they are stored (texts trimmed)."""
    values = g.values()
    for key in ("goal", "support_need", "execution", "evaluation"):
        values[key] = clean(values[key])
    return values


def diff(goal: GrowthGoal, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Per field of a stored goal that ``values`` changes: (old, new)."""
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
