"""Moments of meetings: a talk with the parents at the rhythm of the pupil's support level, and
the group reviews, MDO moments and parent meetings the school planned (``Meeting`` rows).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_start
from ib_desktop.models import (
    LevelAssignment,
    Meeting,
    MeetingKind,
    MomentKind,
    Opp,
    OppConversation,
    OppVersion,
    Pupil,
    StaffRole,
    SupportLevel,
    meeting_pupils,
)
from ib_desktop.schedule.moments import (
    MAX_CHAIN,
    MEETING_KINDS,
    MEETING_TITLES,
    SOURCE_LEVEL,
    SOURCE_MEETING,
)
from ib_desktop.schedule.rows import PupilGroups, Row, Run, fetch_rows


def parent_meeting_moments(
    session: Session,
    run: Run,
    school_id: int,
    pupil_group: PupilGroups,
    group_teacher: dict[int, int],
    by_role: dict[StaffRole, int],
    meetings: Meetings,
) -> None:
    """A talk with the parents every N weeks, as the pupil's current level asks.

    Counted from the latest of: the start of the level, the last parent meeting held, the last
    conversation recorded in the OPP, the last parent-meeting moment marked done, and a parent
    meeting already planned (which then is the next one, shown as a meeting). Counting never
    starts before the current school year: a gap in an earlier year is history, not work, and
    one overdue talk per pupil is what the IB-er can act on.
    """
    chosen = _most_demanding_levels(session, pupil_group)
    if not chosen:
        return
    last_talk = _last_talks(session, run, school_id, meetings)
    year_start = school_year_start(run.today)
    ib_id = by_role.get(StaffRole.IB)
    # three or four rhythms at most: their step and title made once
    rhythm = {
        w: (timedelta(weeks=int(w)), f"Oudergesprek (elke {w} weken)")
        for w in {row[3] for row in chosen.values()}
    }
    for pid, (_pid, aid, a_start, weeks, role, _position) in chosen.items():
        step, title = rhythm[weeks]
        anchor = last_talk.get(pid, a_start)
        if anchor < a_start:
            anchor = a_start
        if anchor < year_start:
            anchor = year_start
        gid = pupil_group.get(pid)
        if role == StaffRole.LEERKRACHT:
            responsible = group_teacher.get(gid) if gid is not None else None
        else:
            responsible = by_role.get(role)
        _talk_chain(run, pid, gid, responsible or ib_id, aid, a_start, anchor + step, step, title)


def _most_demanding_levels(session: Session, pupil_group: PupilGroups) -> dict[int, tuple]:
    """Per pupil still at school the current level with a rhythm of parent meetings.

    The most demanding one: the shortest interval, the higher step on a tie. Each a row of
    pupil, assignment, its start, weeks, responsible role, the level's position.
    """
    rows = fetch_rows(
        session,
        sa.select(
            LevelAssignment.pupil_id,
            LevelAssignment.id,
            LevelAssignment.start_date,
            SupportLevel.parent_meeting_weeks,
            SupportLevel.responsible_role,
            SupportLevel.position,
        )
        .join(SupportLevel, SupportLevel.id == LevelAssignment.level_id)
        .where(LevelAssignment.end_date.is_(None), SupportLevel.parent_meeting_weeks.is_not(None)),
        dates=(2,),
    )
    chosen: dict[int, tuple] = {}
    for row in rows:
        pid, _aid, _start, weeks, _role, position = row
        if pid not in pupil_group:
            continue  # the pupil left (or is of another school)
        best = chosen.get(pid)
        if best is None or (weeks, -position, row[1]) < (best[3], -best[5], best[1]):
            chosen[pid] = tuple(row)
    return chosen


def _last_talks(session: Session, run: Run, school_id: int, meetings: Meetings) -> dict[int, date]:
    """Per pupil the last talk with the parents: held or planned, in the OPP, or marked done."""
    last_talk: dict[int, date] = {}

    def later(pid: int, day: date | None) -> None:
        if day is not None and (pid not in last_talk or day > last_talk[pid]):
            last_talk[pid] = day

    for mid, mkind, day, _title, _group, _held in meetings.rows:
        if mkind == MeetingKind.OUDERGESPREK:
            # A held talk restarts the count; a planned one is the next talk itself.
            for pid in meetings.pupils_of.get(mid, []):
                later(pid, day)
    for pid, day in fetch_rows(
        session,
        sa.select(Opp.pupil_id, sa.func.max(OppConversation.date))
        .join(OppVersion, OppVersion.id == OppConversation.opp_version_id)
        .join(Opp, Opp.id == OppVersion.opp_id)
        .join(Pupil, sa.and_(Pupil.id == Opp.pupil_id, Pupil.school_id == school_id))
        .group_by(Opp.pupil_id),
        dates=(1,),
    ):
        later(pid, day)
    for ov in run.overrides.values():
        if ov.kind == MomentKind.OUDERGESPREK and ov.pupil_id is not None and ov.done_on:
            later(ov.pupil_id, ov.done_on)
    return last_talk


def _talk_chain(
    run: Run,
    pid: int,
    gid: int | None,
    responsible: int | None,
    assignment_id: int,
    level_start: date,
    nominal: date,
    step: timedelta,
    title: str,
) -> None:
    """The parent meetings of one pupil from ``nominal`` on: done ones, then one open one."""
    horizon, today = run.horizon, run.today
    open_seen = False
    for _ in range(MAX_CHAIN):
        if open_seen:
            if nominal > horizon:
                break
            if nominal < today:
                nominal += step  # one overdue talk is enough to show
                continue
        due, done = run.emit(
            f"oudergesprek:{pid}:{nominal.isoformat()}",
            MomentKind.OUDERGESPREK,
            nominal,
            title,
            pid,
            gid,
            responsible,
            SOURCE_LEVEL,
            assignment_id,
            None,
            earliest=level_start,
        )
        if done is not None:
            nominal = max(done, nominal) + step
        else:
            open_seen = True
            nominal = nominal + step


@dataclass
class Meetings:
    """The meetings the engine needs, read once: planned ones and every parent meeting."""

    rows: list[Any]  # id, kind, date, title, group_id, held
    pupils_of: dict[int, list[int]]


def load_meetings(session: Session, run: Run, school_id: int) -> Meetings:
    """The school's other meetings (open ones, or all with ``include_done``) and all parent
    meetings.

    Parent meetings held or planned restart the count of the level's rhythm, so they are read
    whatever the window; the others only when they can fall in it.
    """
    others = sa.and_(
        Meeting.kind != MeetingKind.OUDERGESPREK,
        sa.true() if run.include_done else Meeting.held.is_(False),
        # a meeting never moves more than a few weeks (summer holiday) from its date
        sa.true() if run.start is None else Meeting.date >= run.start - timedelta(days=70),
        sa.true() if run.end is None else Meeting.date <= run.end,
    )
    wanted = sa.and_(
        Meeting.school_id == school_id,
        sa.or_(Meeting.kind == MeetingKind.OUDERGESPREK, others),
    )
    query = sa.select(
        Meeting.id, Meeting.kind, Meeting.date, Meeting.title, Meeting.group_id, Meeting.held
    ).where(wanted)
    rows = fetch_rows(session, query, dates=(2,))
    pupils_of: dict[int, list[int]] = defaultdict(list)
    if rows:
        ids = [r[0] for r in rows]
        pupil_query = sa.select(meeting_pupils.c.meeting_id, meeting_pupils.c.pupil_id)
        if len(ids) <= 900:
            pupil_query = pupil_query.where(meeting_pupils.c.meeting_id.in_(ids))
        else:
            pupil_query = pupil_query.where(
                meeting_pupils.c.meeting_id.in_(sa.select(Meeting.id).where(wanted))
            )
        for mid, pid in fetch_rows(session, pupil_query):
            pupils_of[mid].append(pid)
        for pids in pupils_of.values():
            pids.sort()
    return Meetings(rows, pupils_of)


def planned_meeting_moments(
    run: Run,
    meetings: Meetings,
    pupil_group: PupilGroups,
    ib_id: int | None,
) -> None:
    """Group reviews, MDO moments and parent meetings planned as Meeting rows."""
    rows = [
        r
        for r in meetings.rows
        if run.include_done
        or (
            not r[5]
            and (run.start is None or r[2] >= run.start - timedelta(days=70))
            and (run.end is None or r[2] <= run.end)
        )
    ]
    pupils_of = meetings.pupils_of
    if not pupil_group.complete:
        pupil_group.load([p for r in rows for p in pupils_of.get(r[0], [])])
    by_kind: dict[MeetingKind, list[Row]] = defaultdict(list)
    no_pupils: list[int] = []
    for mid, mkind, day, title, group_id, held in rows:
        pids = pupils_of.get(mid, no_pupils)
        if pids and pupil_group.keys().isdisjoint(pids):
            continue  # about pupils who all left
        pid = pids[0] if len(pids) == 1 else None
        gid = group_id if group_id is not None else (pupil_group.get(pid) if pid else None)
        # the column's plain string is a key of these tables (MeetingKind is a StrEnum)
        by_kind[mkind].append(
            (
                f"meeting:{mid}",
                day,
                None,
                title or MEETING_TITLES[mkind],
                pid,
                gid,
                ib_id,
                mid,
                day if held else None,
            )
        )
    for mkind, kind_rows in by_kind.items():
        run.emit_all(MEETING_KINDS[mkind], SOURCE_MEETING, kind_rows)
