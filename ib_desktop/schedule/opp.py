"""Moments of the OPPs: the evaluations with the parents (a chain per OPP) and the goals' dates.

Evaluation *k* is the evaluation of version *k*: done when version *k* was evaluated (or a newer
version exists). The open one is due on the date the current version names, or one interval
after the version was agreed; the ones after it are projected at the school's rhythm. Every
evaluation lies at most a year after the previous one (or the OPP's start).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import MomentKind, Opp, OppGoal, OppVersion
from ib_desktop.schedule.moments import MAX_CHAIN, ONE_DAY, SOURCE_OPP
from ib_desktop.schedule.rows import PupilGroups, Row, Run, fetch_rows
from ib_desktop.schedule.school_days import Interval, one_year_after

EVALUATION_TITLE = "Evaluatie OPP met ouders"

#: A version as the chain reads it: number, id, discussed, fixed, evaluated, next evaluation.
Version = tuple[Any, ...]


def opp_moments(
    session: Session,
    run: Run,
    pupil_group: PupilGroups,
    ib_id: int | None,
    interval: Interval,
) -> None:
    """OPP evaluations (a chain per OPP) and the goals' evaluation dates of the current version."""
    opp_filter = sa.or_(Opp.end_date.is_(None), Opp.end_date >= run.today)
    opps = _running_opps(session, opp_filter, pupil_group)
    if not opps:
        return
    versions = _versions_by_opp(session, opp_filter)
    goals_by_version = _current_goals(session, opp_filter, versions)
    goal_rows: list[Row] = []  # the goals' dates, added after the evaluations
    for opp_id, pid, o_start, o_end in opps:
        group_id = pupil_group[pid]
        vs = versions.get(opp_id, [])
        chain = _Chain(run, opp_id, pid, group_id, ib_id, anchor=o_start)
        k, evaluation_days = _agreed_evaluations(chain, vs, interval)
        _projected_evaluations(chain, k, interval, o_end)
        if vs:
            goal_rows.extend(
                _goal_rows(
                    chain, o_start, vs[-1], goals_by_version.get(vs[-1][1], ()), evaluation_days
                )
            )
    run.emit_all(MomentKind.OPP_DOEL, SOURCE_OPP, goal_rows)


def _running_opps(session: Session, opp_filter: Any, pupil_group: PupilGroups) -> list[Any]:
    """Id, pupil, start and end of the OPPs not ended before today, of pupils still at school."""
    return [
        row
        for row in fetch_rows(
            session,
            sa.select(Opp.id, Opp.pupil_id, Opp.start_date, Opp.end_date).where(opp_filter),
            dates=(2, 3),
        )
        if row[1] in pupil_group  # leavers' OPPs (and other schools') are not work
    ]


def _versions_by_opp(session: Session, opp_filter: Any) -> dict[int, list[Version]]:
    """Per OPP its versions (see ``Version``), by version number."""
    versions: dict[int, list[Version]] = defaultdict(list)
    for row in fetch_rows(
        session,
        sa.select(
            OppVersion.opp_id,
            OppVersion.number,
            OppVersion.id,
            OppVersion.discussed_on,
            OppVersion.fixed_on,
            OppVersion.evaluated_on,
            OppVersion.next_evaluation_on,
        )
        .join(Opp, Opp.id == OppVersion.opp_id)
        .where(opp_filter),
        dates=(3, 4, 5, 6),
    ):
        versions[row[0]].append(tuple(row[1:]))
    for vs in versions.values():
        vs.sort()  # by version number
    return versions


def _current_goals(
    session: Session, opp_filter: Any, versions: dict[int, list[Version]]
) -> dict[int, list[tuple[Any, ...]]]:
    """Per current version its goals with an evaluation date: id, area, date, outcome."""
    goals_by_version: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    newer = sa.orm.aliased(OppVersion)
    newest = sa.select(sa.func.max(newer.number)).where(newer.opp_id == OppVersion.opp_id)
    current_ids = {vs[-1][1] for vs in versions.values()}
    for gid, vid, area, eval_date, outcome in fetch_rows(
        session,
        sa.select(
            OppGoal.id,
            OppGoal.opp_version_id,
            OppGoal.area,
            OppGoal.evaluation_date,
            OppGoal.outcome,
        )
        .join(OppVersion, OppVersion.id == OppGoal.opp_version_id)
        .join(Opp, Opp.id == OppVersion.opp_id)
        .where(
            opp_filter,
            OppGoal.evaluation_date.is_not(None),
            OppVersion.number == newest.scalar_subquery(),
        ),
        dates=(3,),
    ):
        if vid in current_ids:
            goals_by_version[vid].append((gid, area, eval_date, outcome))
    return goals_by_version


@dataclass
class _Chain:
    """The evaluations of one OPP so far: the previous (or the start), and whether one is open."""

    run: Run
    opp_id: int
    pupil_id: int
    group_id: int | None
    ib_id: int | None
    anchor: date  # the previous evaluation (or the start)
    open_seen: bool = False

    def step(self, k: int, nominal: date, done: date | None) -> tuple[date, date | None]:
        """Emit evaluation ``k`` and move the anchor to it."""
        due, done = self.run.emit(
            f"opp:{self.opp_id}:evaluatie:{k}",
            MomentKind.OPP_EVALUATIE,
            nominal,
            EVALUATION_TITLE,
            self.pupil_id,
            self.group_id,
            self.ib_id,
            SOURCE_OPP,
            self.opp_id,
            done,
            earliest=self.anchor + ONE_DAY,
            latest=one_year_after(self.anchor),
        )
        if done is None:
            self.open_seen = True
            self.anchor = due
        else:
            self.anchor = max(self.anchor + ONE_DAY, done)
        return due, done


def _agreed_evaluations(
    chain: _Chain, vs: list[Version], interval: Interval
) -> tuple[int, set[date]]:
    """One evaluation per version; the last number and the day(s) of the current open one.

    The current version's goals are evaluated at its open evaluation with the parents, so a
    goal dated that day is no moment of its own.
    """
    k = 0
    evaluation_days: set[date] = set()
    for index, (number, _vid, discussed, fixed, evaluated, next_eval) in enumerate(vs):
        k = number
        anchor = chain.anchor
        base = fixed or discussed or anchor
        if base < anchor:
            base = anchor
        nominal = (
            next_eval if next_eval is not None and next_eval > anchor else interval.after(base)
        )
        done = evaluated
        if done is None and index + 1 < len(vs):
            following = vs[index + 1]
            done = following[3] or following[2] or nominal  # the newer version's agreed date
        due, done = chain.step(k, nominal, done)
        if done is None and index + 1 == len(vs):
            evaluation_days = {nominal, due}
    return k, evaluation_days


def _projected_evaluations(chain: _Chain, k: int, interval: Interval, o_end: date | None) -> None:
    """The evaluations after the agreed ones, at the school's rhythm, up to the horizon."""
    for _ in range(MAX_CHAIN):
        k += 1
        nominal = interval.after(chain.anchor)
        if chain.open_seen and nominal > chain.run.horizon:
            break
        if o_end is not None and nominal > o_end:
            break
        chain.step(k, nominal, None)


def _goal_rows(
    chain: _Chain,
    o_start: date,
    current: Version,
    goals: Iterable[tuple[Any, ...]],
    evaluation_days: set[date],
) -> Iterator[Row]:
    """The evaluation dates of the current version's goals, apart from its evaluation day."""
    evaluated = current[4]
    for gid, area, eval_date, outcome in goals:
        if eval_date not in evaluation_days:
            yield (
                f"opp:{chain.opp_id}:doel:{gid}",
                eval_date,
                o_start,
                f"Evaluatie OPP-doel: {area}",
                chain.pupil_id,
                chain.group_id,
                chain.ib_id,
                chain.opp_id,
                (evaluated or eval_date) if outcome is not None else None,
            )
