"""Moments of the short plans: the end of each korte interventie and each groeidocument period."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import (
    DocumentStatus,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    MomentKind,
    ShortIntervention,
)
from ib_desktop.schedule.moments import SOURCE_GROWTH, SOURCE_INTERVENTION
from ib_desktop.schedule.rows import PupilGroups, Row, Run, fetch_rows

CLOSED = DocumentStatus.AFGESLOTEN.value


def document_statuses(run: Run) -> list[DocumentStatus]:
    """Running documents; closed ones too when done moments are wanted."""
    statuses = [DocumentStatus.ACTIEF]
    if run.include_done:
        statuses.append(DocumentStatus.AFGESLOTEN)
    return statuses


def intervention_moments(
    session: Session, run: Run, pupil_group: PupilGroups, group_teacher: dict[int, int]
) -> None:
    """Korte interventies: evaluated at their end date (done when evaluated or closed)."""
    rows: list[Row] = []
    title = "Evaluatie korte interventie"
    for iid, pid, teacher_id, i_start, i_end, evaluated_on, status in fetch_rows(
        session,
        sa.select(
            ShortIntervention.id,
            ShortIntervention.pupil_id,
            ShortIntervention.teacher_id,
            ShortIntervention.start_date,
            ShortIntervention.end_date,
            ShortIntervention.evaluated_on,
            ShortIntervention.status,
        ).where(ShortIntervention.status.in_(document_statuses(run))),
        dates=(3, 4, 5),
    ):
        if pid not in pupil_group:
            continue  # the pupil left (or is of another school)
        gid = pupil_group[pid]
        rows.append(
            (
                f"interventie:{iid}",
                i_end,
                i_start,
                title,
                pid,
                gid,
                teacher_id if teacher_id is not None else group_teacher.get(gid),  # type: ignore[arg-type]
                iid,
                evaluated_on if evaluated_on is not None or status != CLOSED else i_end,
            )
        )
    run.emit_all(MomentKind.INTERVENTIE, SOURCE_INTERVENTION, rows)


def _evaluated_periods(session: Session) -> dict[int, tuple[bool, date | None]]:
    """Per period with an evaluated goal: whether all its goals are evaluated, and the last date.

    The goals' evaluations are counted apart (cheaper than a join on an aggregate).
    """
    return {
        period_id: (all_done, last)
        for period_id, all_done, last in fetch_rows(
            session,
            sa.select(
                GrowthGoal.period_id,
                sa.func.count() == sa.func.count(GrowthGoal.evaluated_on),
                sa.func.max(GrowthGoal.evaluated_on),
            )
            .group_by(GrowthGoal.period_id)
            .having(sa.func.count(GrowthGoal.evaluated_on) > 0),
            dates=(2,),
        )
    }


def growth_period_moments(
    session: Session, run: Run, pupil_group: PupilGroups, group_teacher: dict[int, int]
) -> None:
    """Groeidocument periods: evaluated at the end of each period.

    Done when the period or the document was closed, or when every goal is evaluated.
    """
    evaluated = _evaluated_periods(session)
    nothing_evaluated = (False, None)
    rows: list[Row] = []
    for per_id, doc_id, number, p_start, p_end, closed, pid, teacher_id, status in fetch_rows(
        session,
        sa.select(
            GrowthPeriod.id,
            GrowthPeriod.document_id,
            GrowthPeriod.number,
            GrowthPeriod.start_date,
            GrowthPeriod.end_date,
            GrowthPeriod.closed,
            GrowthDocument.pupil_id,
            GrowthDocument.teacher_id,
            GrowthDocument.status,
        )
        .join(GrowthDocument, GrowthDocument.id == GrowthPeriod.document_id)
        .where(
            GrowthDocument.status.in_(document_statuses(run)),
            sa.true() if run.include_done else GrowthPeriod.closed.is_(False),
        ),
        dates=(3, 4),
    ):
        if pid not in pupil_group:
            continue  # the pupil left (or is of another school)
        gid = pupil_group[pid]
        all_done, last = evaluated.get(per_id, nothing_evaluated)
        done = None
        if closed or status == CLOSED:
            done = last or p_end
        elif all_done:
            done = last
        rows.append(
            (
                f"groeiperiode:{per_id}",
                p_end,
                p_start,
                f"Evaluatie groeidocument, periode {number}",
                pid,
                gid,
                teacher_id if teacher_id is not None else group_teacher.get(gid),  # type: ignore[arg-type]
                doc_id,
                done,
            )
        )
    run.emit_all(MomentKind.GROEIDOCUMENT, SOURCE_GROWTH, rows)
