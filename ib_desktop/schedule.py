"""The schedule engine: every evaluation, meeting and deadline that is due, derived from the data.

Nothing is stored about a moment until something happens to it: the engine derives the moments
from the documents and the school's rhythms each time it is asked, so a changed end date or
support level is reflected at once and there is no second copy to drift out of step. What the
engine derives:

- the end of each running korte interventie (done when its evaluation is written);
- the end of each open period of a running groeidocument (done when the period is closed or all
  its goals are evaluated);
- the OPP evaluations with the parents: ``School.opp_evaluations_per_year`` a year (or the date the
  current version names), and never more than a year after the previous one;
- the evaluation dates of the goals of the current OPP version;
- parent meetings at the interval of the pupil's support level, counted from the level's start or
  the last talk with the parents;
- the group reviews, MDO moments and parent meetings that the school planned (``Meeting`` rows);
- the zorgplicht deadline after a written registration (plus the extension when it was used).

A moment that falls in a weekend or a school holiday of the school's region moves to the next
school day; a legal limit (the zorgplicht deadline, a year since the last OPP evaluation) is
never passed: then the last school day before it is taken. ``EvaluationMoment`` rows (same
stable key) record what happened to a moment: done, moved, outcome; rows with a key the engine
does not derive are moments planned by hand.

The engine only reads (a handful of set-based queries selecting plain columns), gives the same
list for the same data, and handles a samenwerkingsverband's 50,000 pupils in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from ib_desktop.bulk import gc_paused
from ib_desktop.dates import school_year_label
from ib_desktop.models import (
    DocumentStatus,
    EvaluationMoment,
    Group,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    LevelAssignment,
    Meeting,
    MeetingKind,
    MomentKind,
    Opp,
    OppConversation,
    OppGoal,
    OppVersion,
    Pupil,
    PupilStatus,
    Registration,
    School,
    ShortIntervention,
    Staff,
    StaffRole,
    SupportLevel,
    group_teachers,
    meeting_pupils,
)
from ib_desktop.models.pupil import dutch_name, sort_name

#: Dutch names of the kinds of moment, for lists, filters, calendars and the command line.
KIND_LABELS: dict[MomentKind, str] = {
    MomentKind.INTERVENTIE: "Korte interventie",
    MomentKind.GROEIDOCUMENT: "Groeidocument",
    MomentKind.OPP_EVALUATIE: "OPP-evaluatie",
    MomentKind.OPP_DOEL: "OPP-doel",
    MomentKind.OUDERGESPREK: "Oudergesprek",
    MomentKind.GROEPSBESPREKING: "Groepsbespreking",
    MomentKind.MDO: "MDO",
    MomentKind.ZORGPLICHT: "Zorgplicht",
}
#: Order of kinds on the same day: deadlines first, then evaluations, then meetings.
KIND_ORDER = {
    kind: i
    for i, kind in enumerate(
        [
            MomentKind.ZORGPLICHT,
            MomentKind.OPP_EVALUATIE,
            MomentKind.OPP_DOEL,
            MomentKind.GROEIDOCUMENT,
            MomentKind.INTERVENTIE,
            MomentKind.OUDERGESPREK,
            MomentKind.MDO,
            MomentKind.GROEPSBESPREKING,
        ]
    )
}
#: source_kind values: which record a moment comes from (and which editor opens it).
SOURCE_INTERVENTION = "korte_interventie"
SOURCE_GROWTH = "groeidocument"
SOURCE_OPP = "opp"
SOURCE_MEETING = "meeting"
SOURCE_REGISTRATION = "registration"
SOURCE_LEVEL = "level"
SOURCE_PLANNED = "gepland"  # an EvaluationMoment row planned by hand (source_id is its id)

#: Key prefixes of the moments the engine derives (anything else is planned by hand).
DERIVED_PREFIXES = {
    "interventie": SOURCE_INTERVENTION,
    "groeiperiode": SOURCE_GROWTH,
    "opp": SOURCE_OPP,
    "oudergesprek": SOURCE_LEVEL,
    "meeting": SOURCE_MEETING,
    "zorgplicht": SOURCE_REGISTRATION,
}
MEETING_KINDS = {
    MeetingKind.GROEPSBESPREKING: MomentKind.GROEPSBESPREKING,
    MeetingKind.MDO: MomentKind.MDO,
    MeetingKind.OUDERGESPREK: MomentKind.OUDERGESPREK,
}
MEETING_TITLES = {
    MeetingKind.GROEPSBESPREKING: "Groepsbespreking",
    MeetingKind.MDO: "MDO",
    MeetingKind.OUDERGESPREK: "Oudergesprek",
}
ONE_DAY = timedelta(days=1)
MAX_CHAIN = 60  # safety net for repeating moments; a year of weekly meetings fits


class Moment(NamedTuple):
    """One thing that is due: an evaluation, a meeting or a deadline.

    A named tuple rather than a dataclass: the engine makes 80,000 of them for a
    samenwerkingsverband, and a tuple is made in a fraction of the time.
    """

    key: str  # stable id, e.g. "interventie:12", "opp:5:evaluatie:1", "meeting:88"
    kind: MomentKind
    due: date  # moved to the next school day when it falls in a holiday or weekend
    title: str  # Dutch, e.g. "Evaluatie korte interventie"
    pupil_id: int | None
    group_id: int | None
    responsible_id: int | None  # the staff member who evaluates or is responsible
    source_kind: str  # "korte_interventie" | "groeidocument" | "opp" | "meeting" | ...
    source_id: int | None  # the record (a groeidocument period moment: the document)
    done_on: date | None  # when it was done; None while open

    def is_overdue(self, today: date) -> bool:
        """Not done and its day has passed."""
        return self.done_on is None and self.due < today

    @property
    def is_done(self) -> bool:
        """True when the evaluation was written or the meeting held."""
        return self.done_on is not None

    @property
    def kind_label(self) -> str:
        """The kind in Dutch ("OPP-evaluatie")."""
        return KIND_LABELS[self.kind]

    def sort_key(self) -> tuple[date, int, int, str]:
        """The engine's order: by day, then kind, then pupil, then key."""
        return (self.due, KIND_ORDER[self.kind], self.pupil_id or 0, self.key)


# ---------------------------------------------------------------------------- the calendar


class SchoolCalendar:
    """Which days the school is open: not in a weekend, not in a holiday of its region.

    Holidays come from the ``holidays`` table; for a school year without any row there (beyond
    the shipped years) the national days off are computed, so Easter Monday is never a
    deadline in 2031 either.
    """

    def __init__(self, closed_periods: Iterable[tuple[date, date]], *, good_friday: bool = True):
        self._closed: set[date] = set()
        self._years: set[str] = set()
        self._good_friday = good_friday
        for start, end in closed_periods:
            self._years.add(school_year_label(start))
            day = start
            while day <= end:
                self._closed.add(day)
                day += timedelta(days=1)
        self._filled: set[int] = set()
        self._next: dict[date, date] = {}

    def _fill(self, day: date) -> None:
        first_year = day.year if day.month >= 8 else day.year - 1
        if first_year in self._filled:
            return
        self._filled.add(first_year)
        label = f"{first_year}-{first_year + 1}"
        if label in self._years:
            return
        from ib_desktop.services.holidays import national_days_off

        for h in national_days_off(label, good_friday=self._good_friday):
            self._closed.add(h.start)

    def is_school_day(self, day: date) -> bool:
        """True on a weekday outside the holidays."""
        if day.weekday() >= 5:
            return False
        self._fill(day)
        return day not in self._closed

    def next_school_day(self, day: date) -> date:
        """``day`` itself when school is open, else the first school day after it."""
        try:
            return self._next[day]
        except KeyError:
            pass
        d = day
        for _ in range(400):
            if self.is_school_day(d):
                break
            d += timedelta(days=1)
        self._next[day] = d
        return d

    def previous_school_day(self, day: date) -> date:
        """``day`` itself when school is open, else the last school day before it."""
        d = day
        for _ in range(400):
            if self.is_school_day(d):
                return d
            d -= timedelta(days=1)
        return day

    def within(self, day: date, latest: date, earliest: date) -> date:
        """The next school day from ``day``, but never after ``latest`` (a legal limit).

        When the next school day would pass the limit, the last school day before it is taken
        instead; it stays after ``earliest``.
        """
        d = self.next_school_day(day)
        if d > latest:
            d = self.previous_school_day(latest)
            if d <= earliest:
                d = latest
        return d


def school_calendar(session: Session, school_id: int) -> SchoolCalendar:
    """The calendar of the school's region (read-only; shipped defaults when none stored)."""
    from ib_desktop.services.holidays import default_holidays

    row = (
        session.connection()
        .execute(sa.select(School.region, School.settings).where(School.id == school_id))
        .first()
    )
    if row is None:
        return SchoolCalendar([])
    region, settings = row
    good_friday = bool((settings or {}).get("good_friday_off", True))
    from ib_desktop.models import Holiday

    periods = [
        (s, e)
        for s, e in _q(
            session,
            sa.select(Holiday.start_date, Holiday.end_date).where(Holiday.region == region),
            dates=(0, 1),
        )
    ]
    if not periods:
        periods = [(h.start, h.end) for h in default_holidays(region, good_friday=good_friday)]
    return SchoolCalendar(periods, good_friday=good_friday)


@dataclass(frozen=True, slots=True)
class Interval:
    """A step of whole months or of days; adding months keeps the day (31 Jan + 1 = 28 Feb)."""

    months: int = 0
    days: int = 0

    def after(self, day: date) -> date:
        """The date one step after ``day``."""
        if self.months:
            return add_months(day, self.months)
        return day + timedelta(days=self.days)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the end of a shorter month (as relativedelta)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    try:
        return day.replace(year=year, month=month)
    except ValueError:
        return (date(year, month, 1) + relativedelta(day=31)) if month else day


def one_year_after(day: date) -> date:
    """The same date a year later (29 February -> 28 February)."""
    return add_months(day, 12)


def interval_for(per_year: int) -> Interval:
    """The time between two OPP evaluations when the school does ``per_year`` a year."""
    per_year = max(1, int(per_year or 1))
    if per_year <= 12 and 12 % per_year == 0:
        return Interval(months=12 // per_year)
    return Interval(days=max(7, 365 // per_year))


# ---------------------------------------------------------------------------- the engine


class _PupilGroups(dict[int, "int | None"]):
    """Pupil id -> group id of the pupils still at school, filled as the queries meet them."""

    def __init__(self, session: Session, school_id: int) -> None:
        super().__init__()
        self._session = session
        self._school_id = school_id
        self._asked: set[int] = set()
        self._complete = False

    def load_all(self) -> None:
        """Read every pupil still at school at once (one narrow scan beats a join per query)."""
        self.update(
            _q(
                self._session,
                sa.select(Pupil.id, Pupil.group_id).where(
                    Pupil.school_id == self._school_id,
                    Pupil.status != PupilStatus.VERTROKKEN,
                ),
            )
        )
        self._complete = True

    @property
    def complete(self) -> bool:
        """True when every pupil still at school is in (so :meth:`load` has nothing to do)."""
        return self._complete

    def load(self, pupil_ids: Iterable[int]) -> None:
        """Look up pupils not met yet; those who left stay absent."""
        if self._complete:
            return
        missing = sorted({p for p in pupil_ids if p not in self and p not in self._asked})
        self._asked.update(missing)
        for i in range(0, len(missing), 500):
            part = missing[i : i + 500]
            for pid, gid in _q(
                self._session,
                sa.select(Pupil.id, Pupil.group_id).where(
                    Pupil.id.in_(part),
                    Pupil.school_id == self._school_id,
                    Pupil.status != PupilStatus.VERTROKKEN,
                ),
            ):
                self[pid] = gid


@dataclass(slots=True)
class _Override:
    id: int
    kind: MomentKind
    title: str
    pupil_id: int | None
    group_id: int | None
    due: date
    responsible_id: int | None
    done_on: date | None


@dataclass
class _Run:
    """State of one computation: inputs, the calendar, the overrides and the output."""

    calendar: SchoolCalendar
    today: date
    start: date | None
    end: date | None
    horizon: date
    include_done: bool
    overrides: dict[str, _Override]
    used: set[str] = field(default_factory=set)
    #: (due, kind order, pupil, key, sequence, moment): the engine's order, then the moment
    out: list[tuple[date, int, int, str, int, Moment]] = field(default_factory=list)
    first: date = field(init=False)
    last: date = field(init=False)
    next_day: dict[date, date] = field(init=False)

    def __post_init__(self) -> None:
        self.first = self.start if self.start is not None else date.min
        self.last = self.end if self.end is not None else date.max
        self.next_day = self.calendar._next  # the calendar's memo, read without a call

    def moments(self) -> list[Moment]:
        """The moments emitted so far in the engine's order (see ``Moment.sort_key``)."""
        self.out.sort()
        return [row[5] for row in self.out]

    def emit(
        self,
        key: str,
        kind: MomentKind,
        nominal: date,
        title: str,
        pupil_id: int | None,
        group_id: int | None,
        responsible_id: int | None,
        source_kind: str,
        source_id: int | None,
        done_on: date | None,
        *,
        earliest: date | None = None,
        latest: date | None = None,
    ) -> tuple[date, date | None]:
        """Add a moment (when it is in the window) and return its real due date and done date.

        ``earliest`` is the day the document starts (a moment never comes before it) and
        ``latest`` a legal limit it may not move past.
        """
        if self.overrides:
            ov = self.overrides.get(key)
            if ov is not None:
                self.used.add(key)
                nominal = ov.due
                done_on = ov.done_on or done_on
                responsible_id = ov.responsible_id or responsible_id
        if earliest is not None and nominal < earliest:
            nominal = earliest
        if latest is not None:
            due = self.calendar.within(nominal, latest, earliest or nominal - ONE_DAY)
        else:
            due = self.next_day.get(nominal) or self.calendar.next_school_day(nominal)
        if (done_on is None or self.include_done) and self.first <= due <= self.last:
            out = self.out
            # the sort key travels with the moment: sorting plain tuples needs no key function
            out.append(
                (
                    due,
                    KIND_ORDER[kind],
                    pupil_id or 0,
                    key,
                    len(out),
                    Moment(
                        key,
                        kind,
                        due,
                        title,
                        pupil_id,
                        group_id,
                        responsible_id,
                        source_kind,
                        source_id,
                        done_on,
                    ),
                )
            )
        return due, done_on

    def emit_all(self, kind: MomentKind, source_kind: str, rows: Iterable[_Row]) -> None:
        """:meth:`emit` for many moments of one kind, without a legal limit.

        The same moments as one ``emit`` per row, in a single loop: at 50,000 pupils most
        moments come this way, and a call per moment was a third of the engine's time.
        """
        overrides = self.overrides
        next_day = self.next_day
        next_school_day = self.calendar.next_school_day
        first, last, include_done = self.first, self.last, self.include_done
        order = KIND_ORDER[kind]
        out = self.out
        append = out.append
        new = tuple.__new__  # what Moment(...) does, without its Python-level __new__
        for key, nominal, earliest, title, pid, gid, responsible, source_id, done in rows:
            if overrides and key in overrides:
                self.emit(
                    key,
                    kind,
                    nominal,
                    title,
                    pid,
                    gid,
                    responsible,
                    source_kind,
                    source_id,
                    done,
                    earliest=earliest,
                )
                continue
            if earliest is not None and nominal < earliest:
                nominal = earliest
            due = next_day.get(nominal) or next_school_day(nominal)
            if (done is None or include_done) and first <= due <= last:
                append(
                    (
                        due,
                        order,
                        pid or 0,
                        key,
                        len(out),
                        new(
                            Moment,
                            (key, kind, due, title, pid, gid, responsible, source_kind, source_id, done),
                        ),
                    )
                )


#: A row for :meth:`_Run.emit_all`: key, nominal date, earliest date, title, pupil, group,
#: responsible, source id, done date.
_Row = tuple[
    str, date, "date | None", str, "int | None", "int | None", "int | None", "int | None", "date | None"
]


@gc_paused()  # hundreds of thousands of row tuples and moments, none in a cycle
def compute_moments(
    session: Session,
    school_id: int,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
    include_done: bool = False,
) -> list[Moment]:
    """All moments of a school whose due date lies in [start, end], in a stable order.

    Open moments only, unless ``include_done``. Repeating moments (OPP evaluations, parent
    meetings) are projected up to ``end``; without an end only their next one is given (the
    first that is open). Reads only; never writes.
    """
    school = (
        session.connection()
        .execute(
            sa.select(
                School.opp_evaluations_per_year,
                School.zorgplicht_weeks,
                School.zorgplicht_extension_weeks,
            ).where(School.id == school_id)
        )
        .first()
    )
    if school is None:
        return []
    per_year, zp_weeks, zp_ext_weeks = school
    run = _Run(
        calendar=school_calendar(session, school_id),
        today=today,
        start=start,
        end=end,
        horizon=end or today,
        include_done=include_done,
        overrides=_load_overrides(session, school_id),
    )

    # Pupils still at school (leavers' documents are history, not work) and their groups, read
    # once: the queries below scan their tables and skip rows of other pupils here, which at
    # 50,000 pupils is much cheaper than joining the pupils in every query.
    pupil_group = _PupilGroups(session, school_id)
    pupil_group.load_all()
    staff = _q(
        session,
        sa.select(Staff.id, Staff.role)
        .where(Staff.school_id == school_id, Staff.active.is_(True))
        .order_by(Staff.id),
    )
    by_role: dict[StaffRole, int] = {}
    for sid, role in staff:
        by_role.setdefault(StaffRole(role), sid)
    ib_id = by_role.get(StaffRole.IB)
    group_teacher: dict[int, int] = {}
    for gid, sid in _q(
        session,
        sa.select(group_teachers.c.group_id, group_teachers.c.staff_id)
        .join(Staff, Staff.id == group_teachers.c.staff_id)
        .where(Staff.school_id == school_id, Staff.active.is_(True))
        .order_by(group_teachers.c.group_id, group_teachers.c.staff_id),
    ):
        group_teacher.setdefault(gid, sid)

    doc_statuses = [DocumentStatus.ACTIEF]
    if include_done:
        doc_statuses.append(DocumentStatus.AFGESLOTEN)
    closed_status = DocumentStatus.AFGESLOTEN.value

    # -- korte interventies: evaluated at their end date (done when evaluated or closed)
    rows: list[_Row] = []
    title = "Evaluatie korte interventie"
    for iid, pid, teacher_id, i_start, i_end, evaluated_on, status in _q(
        session,
        sa.select(
            ShortIntervention.id,
            ShortIntervention.pupil_id,
            ShortIntervention.teacher_id,
            ShortIntervention.start_date,
            ShortIntervention.end_date,
            ShortIntervention.evaluated_on,
            ShortIntervention.status,
        ).where(ShortIntervention.status.in_(doc_statuses)),
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
                evaluated_on
                if evaluated_on is not None or status != closed_status
                else i_end,
            )
        )
    run.emit_all(MomentKind.INTERVENTIE, SOURCE_INTERVENTION, rows)

    # -- groeidocument periods: evaluated at the end of each period
    # the goals' evaluations per period, counted apart (cheaper than a join on an aggregate)
    # per period with an evaluated goal: whether all its goals are evaluated, and the last date
    evaluated = {
        period_id: (all_done, last)
        for period_id, all_done, last in _q(
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
    nothing_evaluated = (False, None)
    rows = []
    for per_id, doc_id, number, p_start, p_end, closed, pid, teacher_id, status in _q(
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
            GrowthDocument.status.in_(doc_statuses),
            sa.true() if include_done else GrowthPeriod.closed.is_(False),
        ),
        dates=(3, 4),
    ):
        if pid not in pupil_group:
            continue  # the pupil left (or is of another school)
        gid = pupil_group[pid]
        # done when the period or the document was closed, or when every goal is evaluated
        all_done, last = evaluated.get(per_id, nothing_evaluated)
        done = None
        if closed or status == closed_status:
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

    # -- OPPs: evaluations with the parents and the goals' evaluation dates
    _opp_moments(session, run, school_id, pupil_group, ib_id, interval_for(per_year))

    # -- parent meetings at the interval of the pupil's level
    meetings = _load_meetings(session, run, school_id)
    _parent_meetings(session, run, school_id, pupil_group, group_teacher, by_role, meetings)

    # -- meetings the school planned
    _planned_meetings(run, meetings, pupil_group, ib_id)

    # -- zorgplicht after a written registration
    reg_query = sa.select(
        Registration.id,
        Registration.pupil_id,
        Registration.child_name,
        Registration.received_on,
        Registration.extended_on,
        Registration.decided_on,
        Registration.handled_by_id,
    ).where(Registration.school_id == school_id)
    if not include_done:
        reg_query = reg_query.where(Registration.decided_on.is_(None))
    registrations = _q(session, reg_query, dates=(3, 4, 5))
    pupil_group.load([r[1] for r in registrations if r[1] is not None])
    for rid, pid, child, received, extended, decided, handler in registrations:
        if pid is not None and pid not in pupil_group:
            continue  # the pupil left
        weeks = zp_weeks + (zp_ext_weeks if extended is not None else 0)
        deadline = received + timedelta(weeks=weeks)
        # A legal deadline does not wait for the holiday to end: when it falls on a day the
        # school is closed, the last school day before it is shown instead.
        run.emit(
            f"zorgplicht:{rid}",
            MomentKind.ZORGPLICHT,
            deadline,
            f"Zorgplicht: besluit over de aanmelding van {child}",
            pid,
            pupil_group.get(pid) if pid is not None else None,
            handler or ib_id,
            SOURCE_REGISTRATION,
            rid,
            decided,
            earliest=received,
            latest=deadline,
        )

    # -- moments planned by hand, and done moments the engine no longer derives
    pupil_group.load(
        [ov.pupil_id for k, ov in run.overrides.items() if k not in run.used and ov.pupil_id]
    )
    for key, ov in run.overrides.items():
        if key in run.used:
            continue
        if ov.pupil_id is not None and ov.pupil_id not in pupil_group:
            continue
        prefix, _, rest = key.partition(":")
        if prefix in DERIVED_PREFIXES:
            if ov.done_on is None:
                continue  # its document was closed or removed: nothing left to do
            source = DERIVED_PREFIXES[prefix]
            head = rest.split(":", 1)[0]
            source_id = int(head) if head.isdigit() and source != SOURCE_LEVEL else None
        else:
            source, source_id = SOURCE_PLANNED, ov.id
        run.emit(
            key,
            ov.kind,
            ov.due,
            ov.title or KIND_LABELS[ov.kind],
            ov.pupil_id,
            ov.group_id if ov.group_id is not None else pupil_group.get(ov.pupil_id or 0),
            ov.responsible_id,
            source,
            source_id,
            ov.done_on,
        )
    return run.moments()


def _load_overrides(session: Session, school_id: int) -> dict[str, _Override]:
    rows = _q(
        session,
        sa.select(
            EvaluationMoment.key,
            EvaluationMoment.id,
            EvaluationMoment.kind,
            EvaluationMoment.title,
            EvaluationMoment.pupil_id,
            EvaluationMoment.group_id,
            EvaluationMoment.due_date,
            EvaluationMoment.responsible_id,
            EvaluationMoment.done_on,
        )
        .where(EvaluationMoment.school_id == school_id)
        .order_by(EvaluationMoment.key),
        dates=(6, 8),
    )
    return {
        key: _Override(mid, MomentKind(kind), title or "", pid, gid, due, resp, done)
        for key, mid, kind, title, pid, gid, due, resp, done in rows
    }


def _opp_moments(
    session: Session,
    run: _Run,
    school_id: int,
    pupil_group: _PupilGroups,
    ib_id: int | None,
    interval: Interval,
) -> None:
    """OPP evaluations (a chain per OPP) and the goals' evaluation dates of the current version.

    Evaluation *k* is the evaluation of version *k*: done when version *k* was evaluated (or a
    newer version exists). The open one is due on the date the current version names, or one
    interval after the version was agreed; the ones after it are projected at the school's
    rhythm. Every evaluation lies at most a year after the previous one (or the OPP's start).
    """
    opp_filter = sa.or_(Opp.end_date.is_(None), Opp.end_date >= run.today)
    opps = [
        row
        for row in _q(
            session,
            sa.select(Opp.id, Opp.pupil_id, Opp.start_date, Opp.end_date).where(opp_filter),
            dates=(2, 3),
        )
        if row[1] in pupil_group  # leavers' OPPs (and other schools') are not work
    ]
    if not opps:
        return
    versions: dict[int, list[tuple]] = defaultdict(list)
    for row in _q(
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
    goals_by_version: dict[int, list[tuple]] = defaultdict(list)
    newer = sa.orm.aliased(OppVersion)
    newest = sa.select(sa.func.max(newer.number)).where(newer.opp_id == OppVersion.opp_id)
    current_ids = {vs[-1][1] for vs in versions.values()}
    for gid, vid, area, eval_date, outcome in _q(
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

    title = "Evaluatie OPP met ouders"
    kind = MomentKind.OPP_EVALUATIE
    goal_rows: list[_Row] = []  # the goals' dates, added after the evaluations
    for opp_id, pid, o_start, o_end in opps:
        group_id = pupil_group[pid]
        vs = versions.get(opp_id, [])
        anchor = o_start  # the previous evaluation (or the start)
        k = 0
        open_seen = False
        # The day(s) of the current version's open evaluation with the parents: its goals
        # are evaluated there, so a goal dated that day is no moment of its own.
        evaluation_days: set[date] = set()

        def step(
            k: int,
            nominal: date,
            done: date | None,
            anchor: date,
            opp_id: int = opp_id,
            pid: int = pid,
            group_id: int | None = group_id,
        ) -> tuple[date, date | None]:
            return run.emit(
                f"opp:{opp_id}:evaluatie:{k}",
                kind,
                nominal,
                title,
                pid,
                group_id,
                ib_id,
                SOURCE_OPP,
                opp_id,
                done,
                earliest=anchor + ONE_DAY,
                latest=one_year_after(anchor),
            )

        for index, (number, _vid, discussed, fixed, evaluated, next_eval) in enumerate(vs):
            k = number
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
            due, done = step(k, nominal, done, anchor)
            if done is None:
                open_seen = True
                anchor = due
                if index + 1 == len(vs):
                    evaluation_days = {nominal, due}
            else:
                anchor = max(anchor + ONE_DAY, done)
        # projections at the school's rhythm
        for _ in range(MAX_CHAIN):
            k += 1
            nominal = interval.after(anchor)
            if open_seen and nominal > run.horizon:
                break
            if o_end is not None and nominal > o_end:
                break
            due, done = step(k, nominal, None, anchor)
            if done is None:
                open_seen = True
                anchor = due
            else:
                anchor = max(anchor + ONE_DAY, done)

        if vs:
            number, vid, _discussed, _fixed, evaluated, _next = vs[-1]
            goal_rows.extend(
                (
                    f"opp:{opp_id}:doel:{gid}",
                    eval_date,
                    o_start,
                    f"Evaluatie OPP-doel: {area}",
                    pid,
                    group_id,
                    ib_id,
                    opp_id,
                    (evaluated or eval_date) if outcome is not None else None,
                )
                for gid, area, eval_date, outcome in goals_by_version.get(vid, ())
                if eval_date not in evaluation_days
            )
    run.emit_all(MomentKind.OPP_DOEL, SOURCE_OPP, goal_rows)


def _parent_meetings(
    session: Session,
    run: _Run,
    school_id: int,
    pupil_group: _PupilGroups,
    group_teacher: dict[int, int],
    by_role: dict[StaffRole, int],
    meetings: _Meetings,
) -> None:
    """A talk with the parents every N weeks, as the pupil's current level asks.

    Counted from the latest of: the start of the level, the last parent meeting held, the last
    conversation recorded in the OPP, the last parent-meeting moment marked done, and a parent
    meeting already planned (which then is the next one, shown as a meeting). Counting never
    starts before the current school year: a gap in an earlier year is history, not work, and
    one overdue talk per pupil is what the IB-er can act on.
    """
    from ib_desktop.dates import school_year_start

    year_start = school_year_start(run.today)
    rows = _q(
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
    if not rows:
        return
    # the most demanding level per pupil (shortest interval; higher step on a tie)
    chosen: dict[int, tuple] = {}
    for row in rows:
        pid, _aid, _start, weeks, _role, position = row
        if pid not in pupil_group:
            continue  # the pupil left (or is of another school)
        best = chosen.get(pid)
        if best is None or (weeks, -position, row[1]) < (best[3], -best[5], best[1]):
            chosen[pid] = tuple(row)

    last_talk: dict[int, date] = {}

    def later(pid: int, day: date | None) -> None:
        if day is not None and (pid not in last_talk or day > last_talk[pid]):
            last_talk[pid] = day

    for mid, mkind, day, _title, _group, _held in meetings.rows:
        if mkind == MeetingKind.OUDERGESPREK:
            # A held talk restarts the count; a planned one is the next talk itself.
            for pid in meetings.pupils_of.get(mid, []):
                later(pid, day)
    for pid, day in _q(
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

    ib_id = by_role.get(StaffRole.IB)
    horizon, today = run.horizon, run.today
    emit = run.emit
    kind = MomentKind.OUDERGESPREK
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
        responsible = responsible or ib_id
        nominal = anchor + step
        open_seen = False
        for _ in range(MAX_CHAIN):
            if open_seen:
                if nominal > horizon:
                    break
                if nominal < today:
                    nominal += step  # one overdue talk is enough to show
                    continue
            due, done = emit(
                f"oudergesprek:{pid}:{nominal.isoformat()}",
                kind,
                nominal,
                title,
                pid,
                gid,
                responsible,
                SOURCE_LEVEL,
                aid,
                None,
                earliest=a_start,
            )
            if done is not None:
                nominal = max(done, nominal) + step
            else:
                open_seen = True
                nominal = nominal + step


@dataclass
class _Meetings:
    """The meetings the engine needs, read once: planned ones and every parent meeting."""

    rows: list[Any]  # id, kind, date, title, group_id, held
    pupils_of: dict[int, list[int]]


def _load_meetings(session: Session, run: _Run, school_id: int) -> _Meetings:
    """Group reviews and MDOs (open ones, or all with ``include_done``) and all parent meetings.

    Parent meetings held or planned restart the count of the level's rhythm, so they are read
    whatever the window; the others only when they can fall in it.
    """
    others = sa.and_(
        Meeting.kind.in_([MeetingKind.GROEPSBESPREKING, MeetingKind.MDO]),
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
    rows = _q(session, query, dates=(2,))
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
        for mid, pid in _q(session, pupil_query):
            pupils_of[mid].append(pid)
        for pids in pupils_of.values():
            pids.sort()
    return _Meetings(rows, pupils_of)


def _planned_meetings(
    run: _Run,
    meetings: _Meetings,
    pupil_group: _PupilGroups,
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
    by_kind: dict[str, list[_Row]] = defaultdict(list)
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


def _q(session: Session, statement: sa.Executable, *, dates: tuple[int, ...] = ()) -> list[Any]:
    """All rows of a Core statement as the database driver gives them, fetched in one go.

    SQLAlchemy binds the parameters, but the rows skip its result processing: at 50,000 pupils
    building its Row objects costs more than the query. The columns at the positions in
    ``dates`` are turned into dates here (drivers that store dates as text return strings);
    enum columns stay plain strings, which compare equal to the StrEnum members.
    """
    result = session.connection().execute(statement)
    cursor = getattr(result, "cursor", None)
    if cursor is None:  # pragma: no cover - a driver without a cursor: the ordinary way
        return [tuple(r) for r in result.all()]
    try:
        rows = cursor.fetchall()
    finally:
        result.close()
    if not dates or not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    fromiso = date.fromisoformat
    changed = False
    for i in dates:
        distinct = set(columns[i])
        if not any(v.__class__ is str for v in distinct):
            continue  # the driver gives dates already (or the column is empty)
        # few distinct days in many rows: convert each text once, then map the column
        memo = {
            v: ((fromiso(v) if len(v) == 10 else fromiso(v[:10])) if v.__class__ is str else v)
            for v in distinct
        }
        columns[i] = map(memo.__getitem__, columns[i])
        changed = True
    return list(zip(*columns, strict=True)) if changed else rows


def _as_date(value: object) -> date | None:
    if value is None or value.__class__ is date:
        return value  # type: ignore[return-value]
    if isinstance(value, date):  # a datetime
        return value.date() if hasattr(value, "date") else value  # type: ignore[union-attr]
    return date.fromisoformat(str(value)[:10])


def next_due_by_pupil(session: Session, school_id: int, *, today: date) -> dict[int, Moment]:
    """Per pupil the earliest open moment: an overdue one when there is one."""
    out: dict[int, Moment] = {}
    for m in compute_moments(session, school_id, today=today):
        if m.pupil_id is not None and m.pupil_id not in out:
            out[m.pupil_id] = m  # the list is sorted by due date, so the first is the earliest
    return out


# ---------------------------------------------------------------------------- names for lists


@dataclass(frozen=True)
class Directory:
    """Names to show beside moments: pupils, groups, staff (read in one go)."""

    pupils: dict[int, str]
    pupil_sort: dict[int, str]
    groups: dict[int, str]
    staff: dict[int, str]
    group_teachers: dict[int, list[int]]

    def pupil(self, pupil_id: int | None) -> str:
        """ "Sanne de Vries" (empty when the moment is not about one pupil)."""
        return self.pupils.get(pupil_id, "") if pupil_id is not None else ""

    def group(self, group_id: int | None) -> str:
        """ "5B" (empty when none)."""
        return self.groups.get(group_id, "") if group_id is not None else ""

    def person(self, staff_id: int | None) -> str:
        """A staff member's name (empty when none)."""
        return self.staff.get(staff_id, "") if staff_id is not None else ""

    def involves(self, moment: Moment, staff_id: int) -> bool:
        """True when the staff member is responsible or teaches the moment's group."""
        if moment.responsible_id == staff_id:
            return True
        return moment.group_id is not None and staff_id in self.group_teachers.get(
            moment.group_id, []
        )


def directory(
    session: Session, school_id: int, pupil_ids: Iterable[int] | None = None
) -> Directory:
    """The names the agenda, the calendar export and the command line show."""
    pquery = sa.select(Pupil.id, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name).where(
        Pupil.school_id == school_id
    )
    ids = None if pupil_ids is None else sorted(set(pupil_ids))
    if ids is not None and len(ids) <= 900:
        pquery = pquery.where(Pupil.id.in_(ids))
    pupils, sorting = {}, {}
    for pid, first, tv, last in _q(session, pquery):
        pupils[pid] = dutch_name(first, tv, last)
        sorting[pid] = sort_name(first, tv, last)
    groups = dict(_q(session, sa.select(Group.id, Group.name).where(Group.school_id == school_id)))
    staff = {
        sid: dutch_name(first, tv, last)
        for sid, first, tv, last in _q(
            session,
            sa.select(Staff.id, Staff.first_name, Staff.tussenvoegsel, Staff.last_name).where(
                Staff.school_id == school_id
            ),
        )
    }
    teachers: dict[int, list[int]] = defaultdict(list)
    for gid, sid in _q(
        session,
        sa.select(group_teachers.c.group_id, group_teachers.c.staff_id)
        .join(Group, Group.id == group_teachers.c.group_id)
        .where(Group.school_id == school_id)
        .order_by(group_teachers.c.group_id, group_teachers.c.staff_id),
    ):
        teachers[gid].append(sid)
    return Directory(pupils, sorting, groups, staff, dict(teachers))
