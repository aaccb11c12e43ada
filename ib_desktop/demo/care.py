"""The demo's care: per pupil its support levels over the years, talks with the parents, short
interventions, a groeidocument, and for the pupils on the OPP levels assessments, care providers
and earlier schools; then the school's group reviews and MDO moments, and the rows written.

The draws follow the pupils in order, each step in the order below: see ``school.py``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from ib_desktop.dates import school_year_bounds
from ib_desktop.demo.common import school_day
from ib_desktop.demo.school import DemoSchool
from ib_desktop.demo.texts import (
    ASSESSMENTS,
    CARE_ORGS,
    EVALUATIONS,
    EXECUTION,
    GOALS,
    NEEDS,
    OTHER_SCHOOLS,
    REASONS_DOWN,
    REASONS_UP,
)
from ib_desktop.models import (
    Assessment,
    CareProvider,
    Group,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    LevelAssignment,
    Meeting,
    MeetingParticipant,
    Pupil,
    SchoolHistoryEntry,
    ShortIntervention,
    meeting_pupils,
)

OUTCOMES = ["behaald", "deels_behaald", "niet_behaald"]


def make_care(demo: DemoSchool) -> list[tuple[int, int]]:
    """Levels, talks and plans for every pupil; returns the OPP pupils (pupil, level)."""
    opp_pupils: list[tuple[int, int]] = []
    for row in demo.rows[Pupil]:
        _care_for(demo, row, opp_pupils)
    return opp_pupils


def _care_for(demo: DemoSchool, row: dict[str, Any], opp_pupils: list[tuple[int, int]]) -> None:
    pid = row["id"]
    info = demo.pupil_info[pid]
    target = _target_level(demo)
    path, dates = _level_history(demo, row, target)
    if info["left"]:
        return
    teacher = demo.group_teacher[info["group"]]
    gname = demo.group_name[info["group"]]
    _parent_talks(demo, pid, path, dates)
    rng = demo.rng
    if target >= 2 or rng.random() < 0.05:
        _interventions(demo, pid, teacher, gname)
    if target >= 2 and rng.random() < 0.6:
        _growth_document(demo, pid, teacher, gname)
    if target >= demo.opp_from:
        opp_pupils.append((pid, target))
        _opp_pupil_file(demo, pid, row["first_school_day"])
    elif info["grade"] >= 4 and rng.random() < 0.04:
        demo.rows[Assessment].append(
            dict(
                id=demo.ids(Assessment),
                pupil_id=pid,
                date=school_day(demo.today - timedelta(days=rng.randrange(60, 700))),
                kind="Dyslexieonderzoek",
                performed_by="Regionaal instituut voor dyslexie",
                conclusion="Dyslexie vastgesteld.",
                declaration="dyslexie",
                sensitive=False,
                share_with_swv=False,
            )
        )
    elif info["grade"] >= 5 and rng.random() < 0.01:
        demo.rows[Assessment].append(
            dict(
                id=demo.ids(Assessment),
                pupil_id=pid,
                date=school_day(demo.today - timedelta(days=rng.randrange(60, 700))),
                kind="Dyscalculieonderzoek",
                performed_by="Praktijk voor leerproblemen",
                conclusion="Dyscalculie vastgesteld.",
                declaration="dyscalculie",
                sensitive=False,
                share_with_swv=False,
            )
        )


def _target_level(demo: DemoSchool) -> int:
    """The pupil's level now: most pupils at 1, a few percent on the OPP levels."""
    rng, top = demo.rng, len(demo.levels)
    r = rng.random()
    if r < 0.80:
        return 1
    if r < 0.94:
        return 2
    if r < 0.98:
        return min(3, top)
    return min(4, top) if top < 5 else rng.choice([4, 5])


def _level_history(
    demo: DemoSchool, row: dict[str, Any], target: int
) -> tuple[list[int], list[date]]:
    """The levels from the first school day up to ``target``, each decided in a meeting.

    Returns the path of level positions and the day each started.
    """
    rng = demo.rng
    pid = row["id"]
    start = row["first_school_day"]
    end_of_file = row["left_on"] or demo.today
    path = [1]
    if rng.random() < 0.12 and target == 1:
        path += [2, 1]  # was helped earlier and came back down
    for lvl in range(2, target + 1):
        path.append(lvl)
    span = max((end_of_file - start).days, len(path) * 30)
    points = (
        sorted(rng.sample(range(1, span), len(path) - 1))
        if len(path) > 1 and span > len(path)
        else []
    )
    dates = [start] + [school_day(start + timedelta(days=d)) for d in points]
    dates = [min(d, end_of_file) for d in dates]
    for k, (lvl_pos, d0) in enumerate(zip(path, dates, strict=False)):
        d1 = dates[k + 1] if k + 1 < len(dates) else row["left_on"]  # closed on leaving
        if d1 is not None and d1 < d0:
            d1 = d0
        lvl = demo.levels[lvl_pos - 1]
        mid = None
        if k > 0:
            up = lvl_pos > path[k - 1]
            low = lvl_pos <= 2
            mid = demo.meeting(
                "kindbespreking" if low else "mdo",
                d0,
                [pid],
                "Leerlingbespreking" if low else "MDO",
                True,
            )
            reason = rng.choice(REASONS_UP if up else REASONS_DOWN)
        else:
            reason = "Start op school: basisondersteuning."
        demo.rows[LevelAssignment].append(
            dict(
                id=demo.ids(LevelAssignment),
                pupil_id=pid,
                level_id=lvl.id,
                area="",
                start_date=d0,
                end_date=d1,
                reason=reason,
                decided_by_id=demo.ib_id if k else None,
                decided_by_name="",
                meeting_id=mid,
            )
        )
    return path, dates


def _parent_talks(demo: DemoSchool, pid: int, path: list[int], dates: list[date]) -> None:
    """Parent meetings at the interval the current level asks; now and then one is missed."""
    weeks = demo.levels[path[-1] - 1].parent_meeting_weeks
    if not weeks:
        return
    talk = max(dates[-1], demo.current_year.start_date) + timedelta(weeks=weeks)
    while talk < demo.today:
        if demo.talk_rng.random() < 0.85:
            demo.meeting("oudergesprek", school_day(talk), [pid], "Oudergesprek", True)
        talk += timedelta(weeks=weeks)


def _interventions(demo: DemoSchool, pid: int, teacher: int, gname: str) -> None:
    """A closed intervention in the past (evaluated) and a running one, some of them overdue."""
    rng, today, rows = demo.rng, demo.today, demo.rows[ShortIntervention]
    area = rng.choice(list(GOALS))
    s0 = school_day(today - timedelta(days=rng.randrange(120, 300)))
    rows.append(
        dict(
            id=demo.ids(ShortIntervention),
            pupil_id=pid,
            status="afgesloten",
            group_name=gname,
            teacher_id=teacher,
            teacher_name="",
            start_date=s0,
            end_date=school_day(s0 + timedelta(weeks=6)),
            goal=rng.choice(GOALS[area]),
            support_need=rng.choice(NEEDS),
            execution=rng.choice(EXECUTION),
            evaluation=rng.choice(EVALUATIONS),
            outcome=rng.choice(OUTCOMES),
            evaluated_by_id=teacher,
            evaluated_on=school_day(s0 + timedelta(weeks=6)),
            version=1,
        )
    )
    # the running one: most due in the coming weeks
    s1 = school_day(today - timedelta(days=rng.randrange(7, 40)))
    e1 = school_day(s1 + timedelta(weeks=rng.choice([4, 6, 8])))
    rows.append(
        dict(
            id=demo.ids(ShortIntervention),
            pupil_id=pid,
            status="actief",
            group_name=gname,
            teacher_id=teacher,
            teacher_name="",
            start_date=s1,
            end_date=e1,
            goal=rng.choice(GOALS[area]),
            support_need=rng.choice(NEEDS),
            execution=rng.choice(EXECUTION),
            evaluation="",
            outcome=None,
            evaluated_by_id=None,
            evaluated_on=None,
            version=1,
        )
    )


def _growth_document(demo: DemoSchool, pid: int, teacher: int, gname: str) -> None:
    """A groeidocument of this year: two periods, the first closed when it is over."""
    rng, today, year = demo.rng, demo.today, demo.current_year
    gdid = demo.ids(GrowthDocument)
    chosen = [a for a in demo.areas if a in GOALS]
    chosen = sorted(
        rng.sample(chosen, k=min(len(chosen), rng.randrange(2, 4))), key=demo.areas.index
    )
    demo.rows[GrowthDocument].append(
        dict(
            id=gdid,
            pupil_id=pid,
            title=f"Groeidocument {year.label}",
            status="actief",
            group_name=gname,
            teacher_id=teacher,
            teacher_name="",
            areas=chosen,
            version=1,
        )
    )
    p1s = year.start_date + timedelta(days=31)
    p1e = school_day(p1s + timedelta(weeks=10))
    p2e = school_day(p1e + timedelta(weeks=12))
    per1, per2 = demo.ids(GrowthPeriod), demo.ids(GrowthPeriod)
    closed1 = p1e < today and rng.random() < 0.7
    periods = demo.rows[GrowthPeriod]
    periods.append(
        dict(id=per1, document_id=gdid, number=1, start_date=p1s, end_date=p1e, closed=closed1)
    )
    periods.append(
        dict(
            id=per2,
            document_id=gdid,
            number=2,
            start_date=p1e + timedelta(days=1),
            end_date=p2e,
            closed=False,
        )
    )
    for pos, area_name in enumerate(chosen):
        _growth_goals(demo, per1, per2, pos, area_name, teacher, p1e, evaluated=closed1)


def _growth_goals(
    demo: DemoSchool,
    per1: int,
    per2: int,
    pos: int,
    area_name: str,
    teacher: int,
    p1e: date,
    *,
    evaluated: bool,
) -> None:
    """A goal in each period; the second carries the first over when it was not reached."""
    rng, goals = demo.rng, demo.rows[GrowthGoal]
    g1 = demo.ids(GrowthGoal)
    outcome = rng.choice(OUTCOMES) if evaluated else None
    goal_text = rng.choice(GOALS[area_name])
    goals.append(
        dict(
            id=g1,
            period_id=per1,
            area=area_name,
            position=pos,
            goal=goal_text,
            support_need=rng.choice(NEEDS),
            execution=rng.choice(EXECUTION),
            evaluation=rng.choice(EVALUATIONS) if evaluated else "",
            outcome=outcome,
            evaluated_by_id=teacher if evaluated else None,
            evaluated_on=p1e if evaluated else None,
            carried_over_from_id=None,
        )
    )
    carried = evaluated and outcome != "behaald"
    goals.append(
        dict(
            id=demo.ids(GrowthGoal),
            period_id=per2,
            area=area_name,
            position=pos,
            goal=goal_text if carried else rng.choice(GOALS[area_name]),
            support_need=rng.choice(NEEDS),
            execution=rng.choice(EXECUTION),
            evaluation="",
            outcome=None,
            evaluated_by_id=None,
            evaluated_on=None,
            carried_over_from_id=g1 if carried else None,
        )
    )


def _opp_pupil_file(demo: DemoSchool, pid: int, start: date) -> None:
    """Assessments, a care provider and now and then an earlier school for an OPP pupil."""
    rng, today, names = demo.rng, demo.today, demo.names
    for k in range(rng.randrange(1, 3)):
        kind, by, concl = ASSESSMENTS[(pid + k) % len(ASSESSMENTS)]
        demo.rows[Assessment].append(
            dict(
                id=demo.ids(Assessment),
                pupil_id=pid,
                date=school_day(today - timedelta(days=rng.randrange(60, 900))),
                kind=kind,
                performed_by=by,
                conclusion=concl,
                declaration="dyslexie" if "Dyslexie" in kind else None,
                sensitive=kind.startswith("Intelligentie"),
                share_with_swv=True,
            )
        )
    scope, org, kind = rng.choice(CARE_ORGS)
    demo.rows[CareProvider].append(
        dict(
            id=demo.ids(CareProvider),
            pupil_id=pid,
            scope=scope,
            organisation=org,
            contact_name=f"{rng.choice(names.female)} {rng.choice(names.last_names)}",
            kind=kind,
            phone="",
            email="",
            start_date=today - timedelta(days=rng.randrange(100, 500)),
            end_date=None,
            notes="",
        )
    )
    if rng.random() < 0.4:
        demo.rows[SchoolHistoryEntry].append(
            dict(
                id=demo.ids(SchoolHistoryEntry),
                pupil_id=pid,
                kind="basisschool",
                institution=rng.choice(OTHER_SCHOOLS),
                start_date=start,
                end_date=start + timedelta(days=400),
                notes="Overgestapt na verhuizing.",
            )
        )


def make_school_meetings(demo: DemoSchool, opp_pupils: list[tuple[int, int]]) -> int:
    """Group reviews (3 a year) and MDO moments (6 a year) this year; returns the group count."""
    year = demo.current_year
    cur_groups = [g for g in demo.rows[Group] if g["school_year_id"] == year.id]
    y0, y1 = school_year_bounds(year.label)
    today = demo.today
    for month in (10, 2, 6):
        when = school_day(date(y0.year if month >= 8 else y1.year, month, 12))
        for g in cur_groups:
            title = f"Groepsbespreking groep {g['name']}"
            demo.meeting("groepsbespreking", when, [], title, when < today, g["id"])
    for month in (9, 11, 1, 3, 5, 7):
        when = school_day(date(y0.year if month >= 8 else y1.year, month, 5))
        demo.meeting("mdo", when, [p for p, _ in opp_pupils[:6]], "MDO-moment", when < today)
    return len(cur_groups)


def write_care(demo: DemoSchool) -> None:
    """The documents, meetings, levels and pupil file rows, in bulk (carried goals last)."""
    s, rows = demo.s, demo.rows
    if rows[ShortIntervention]:
        s.execute(sa.insert(ShortIntervention), rows[ShortIntervention])
    if rows[GrowthDocument]:
        goals = rows[GrowthGoal]
        s.execute(sa.insert(GrowthDocument), rows[GrowthDocument])
        s.execute(sa.insert(GrowthPeriod), rows[GrowthPeriod])
        s.execute(sa.insert(GrowthGoal), [g for g in goals if g["carried_over_from_id"] is None])
        carried = [g for g in goals if g["carried_over_from_id"] is not None]
        if carried:
            s.execute(sa.insert(GrowthGoal), carried)
    s.execute(sa.insert(Meeting), rows[Meeting])
    if rows[meeting_pupils]:
        s.execute(sa.insert(meeting_pupils), rows[meeting_pupils])
    s.execute(sa.insert(MeetingParticipant), rows[MeetingParticipant])
    s.execute(sa.insert(LevelAssignment), rows[LevelAssignment])
    for model in (Assessment, CareProvider, SchoolHistoryEntry):
        if rows[model]:
            s.execute(sa.insert(model), rows[model])
