"""The engine's working parts: reading plain rows, the pupils still at school, the moments
recorded by hand (overrides), and one run of the engine that collects the moments in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import EvaluationMoment, MomentKind, Pupil, PupilStatus
from ib_desktop.schedule.moments import KIND_ORDER, ONE_DAY, Moment

if TYPE_CHECKING:
    from ib_desktop.schedule.school_days import SchoolCalendar


def fetch_rows(
    session: Session, statement: sa.Executable, *, dates: tuple[int, ...] = ()
) -> list[Any]:
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
    columns: list[Any] = list(zip(*rows, strict=True))
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


class PupilGroups(dict[int, "int | None"]):
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
            fetch_rows(
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
            for pid, gid in fetch_rows(
                self._session,
                sa.select(Pupil.id, Pupil.group_id).where(
                    Pupil.id.in_(part),
                    Pupil.school_id == self._school_id,
                    Pupil.status != PupilStatus.VERTROKKEN,
                ),
            ):
                self[pid] = gid


@dataclass(slots=True)
class Override:
    """An ``EvaluationMoment`` row: what happened to a moment, or a moment planned by hand."""

    id: int
    kind: MomentKind
    title: str
    pupil_id: int | None
    group_id: int | None
    due: date
    responsible_id: int | None
    done_on: date | None


@dataclass
class Run:
    """State of one computation: inputs, the calendar, the overrides and the output."""

    calendar: SchoolCalendar
    today: date
    start: date | None
    end: date | None
    horizon: date
    include_done: bool
    overrides: dict[str, Override]
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

    def emit_all(self, kind: MomentKind, source_kind: str, rows: Iterable[Row]) -> None:
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
                            (
                                key,
                                kind,
                                due,
                                title,
                                pid,
                                gid,
                                responsible,
                                source_kind,
                                source_id,
                                done,
                            ),
                        ),
                    )
                )


#: A row for :meth:`Run.emit_all`: key, nominal date, earliest date, title, pupil, group,
#: responsible, source id, done date.
Row = tuple[
    str,
    date,
    "date | None",
    str,
    "int | None",
    "int | None",
    "int | None",
    "int | None",
    "date | None",
]


def load_overrides(session: Session, school_id: int) -> dict[str, Override]:
    """The school's ``EvaluationMoment`` rows by key."""
    rows = fetch_rows(
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
        key: Override(mid, MomentKind(kind), title or "", pid, gid, due, resp, done)
        for key, mid, kind, title, pid, gid, due, resp, done in rows
    }
