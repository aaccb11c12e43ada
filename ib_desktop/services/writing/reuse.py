"""Reuse what was written: a groeidocument's goals into OPP part 9, a korte interventie copied."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import DocumentStatus, GrowthDocument
from ib_desktop.services import plans
from ib_desktop.services.opp.data import GoalData as OppGoalData


@dataclass
class GrowthGoals:
    """The goals of a pupil's running groeidocument, as OPP part 9 goals."""

    title: str = ""
    period_number: int = 0
    goals: list[OppGoalData] = field(default_factory=list)


def running_growth_goals(session: Session, pupil_id: int) -> GrowthGoals:
    """The goals (with a doel) of the newest period of the pupil's running groeidocument.

    "Running" is the newest active groeidocument, else the newest concept; a closed one is
    not offered. Each goal keeps its area and text, with the period's end as evaluation date.
    """
    docs = session.scalars(
        sa.select(GrowthDocument)
        .where(
            GrowthDocument.pupil_id == pupil_id,
            GrowthDocument.status != DocumentStatus.AFGESLOTEN,
        )
        .order_by(GrowthDocument.id.desc())
    ).all()
    docs = sorted(docs, key=lambda d: d.status != DocumentStatus.ACTIEF)
    for doc in docs:
        if not doc.periods:
            continue
        period = doc.periods[-1]
        order = {a: i for i, a in enumerate(doc.areas or [])}
        goals = sorted(
            (g for g in period.goals if g.goal.strip()),
            key=lambda g: (order.get(g.area, len(order)), g.position),
        )
        if goals:
            return GrowthGoals(
                doc.title,
                period.number,
                [
                    OppGoalData(area=g.area, goal=g.goal, evaluation_date=period.end_date)
                    for g in goals
                ],
            )
    return GrowthGoals()


def copy_intervention(
    session: Session, intervention_id: int, *, today: date
) -> plans.InterventionData:
    """A new, unsaved korte interventie with the goal, need and execution of an existing one.

    The new one starts today and lasts as long as the original; it is a concept without
    evaluation, for the same pupil with the pupil's current group and teacher.
    """
    original = plans.load_intervention(session, intervention_id)
    new = plans.new_intervention(session, original.pupil_id, today=today)
    length = original.end_date - original.start_date
    new.end_date = today + length if length.days > 0 else new.end_date
    new.goal = original.goal
    new.support_need = original.support_need
    new.execution = original.execution
    return new
