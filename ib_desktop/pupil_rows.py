"""The pupil list's rows and what filters and sorts them: plain Python, no SQLAlchemy.

Two readers fill these rows: ``services.pupil.listing.load_pupil_list`` (SQLAlchemy, every engine)
and, for the first paint of a SQLite file, ``ib_desktop.quick_list`` (the standard library's
``sqlite3``, before SQLAlchemy is loaded). Both hand their raw query results to
:func:`make_groups` and :func:`assemble`, so a row is built one way only; a test compares the
two readers field by field.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from ib_desktop.domain_types import DocumentKind, PupilStatus, required_missing
from ib_desktop.names import dutch_name

#: Filter value for "pupils without a group" / "pupils without a level".
NONE_ID = -1

#: Document kinds in the order the list names them.
DOCUMENT_ORDER = (DocumentKind.OPP, DocumentKind.GROEIDOCUMENT, DocumentKind.KORTE_INTERVENTIE)
DOCUMENT_KEYS = tuple(k.value for k in DOCUMENT_ORDER)


@dataclass(frozen=True, slots=True)
class LevelInfo:
    """A level of the school's staircase as the list shows it."""

    id: int
    position: int
    name: str
    color: str
    retired: bool = False
    required_documents: tuple[str, ...] = ()
    requires_any: bool = False

    @property
    def label(self) -> str:
        """ "3 - Specialistische ondersteuning"."""
        return f"{self.position} - {self.name}"


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """A group a pupil of the list is in, with its teachers."""

    id: int
    name: str
    grade_low: int
    teachers: tuple[tuple[int, str, str], ...] = ()  # (staff id, full name, sort key)
    sort_key: tuple[Any, ...] = ()  # grade, then the name as people count ("5A" < "10A")

    @property
    def teacher_ids(self) -> tuple[int, ...]:
        """Ids of the group's teachers."""
        return tuple(t[0] for t in self.teachers)

    @property
    def teacher_names(self) -> str:
        """ "Anna Jansen, Piet de Vries"."""
        return ", ".join(t[1] for t in self.teachers)


class PupilRow(NamedTuple):
    """Everything one line of the pupil list shows, detached from the database.

    A named tuple rather than a frozen dataclass: 50,000 of them are made on every reload, and
    a tuple is built several times faster.
    """

    id: int
    sort_name: str
    full_name: str
    status: PupilStatus
    left_on: date | None
    group: GroupInfo | None
    level: LevelInfo | None
    level_area: str  # "" for the pupil as a whole, else the development area of the level
    since: date | None
    open_documents: tuple[tuple[str, int], ...]  # (DocumentKind value, count), OPP first
    has_opp: bool
    missing: tuple[str, ...]  # DocumentKind values the current level requires but lacks
    next_due: date | None
    next_title: str
    overdue: bool
    search_key: str

    @property
    def group_name(self) -> str:
        """The group's name, or "" for a pupil without a group."""
        return self.group.name if self.group else ""

    @property
    def teacher_names(self) -> str:
        """ "Anna Jansen, Piet de Vries": the teachers of the pupil's group."""
        return self.group.teacher_names if self.group else ""

    @property
    def open_document_count(self) -> int:
        """How many documents are open in total."""
        return sum(n for _k, n in self.open_documents)

    @property
    def is_active(self) -> bool:
        """Still at school (enrolled)."""
        return self.status == PupilStatus.ACTIEF


@dataclass
class PupilListData:
    """The rows plus what the filters offer: groups, levels and teachers."""

    rows: list[PupilRow]
    groups: list[GroupInfo]
    levels: list[LevelInfo]
    teachers: list[tuple[int, str]]  # (staff id, full name) sorted by last name


def fold(text: str) -> str:
    """Lower case without accents, so "zoe" finds "Zoë" and "celik" finds "Çelik"."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ĳ", "ij")



_STATUS = {s.value: s for s in PupilStatus}


def _as_date(value: Any) -> date | None:
    """A date read as text (SQLite) or as a date (other engines), without per-row machinery."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)



class _Dates(dict[Any, "date | None"]):
    """Dates by their stored value (ISO text or a date), each parsed once."""

    def __missing__(self, value: Any) -> date | None:
        parsed = self[value] = _as_date(value)
        return parsed


def make_groups(
    teacher_rows: Iterable[tuple[int, int, str, str, str]],
    group_rows: Iterable[tuple[int, str, int, int]],
    *,
    year_id: int | None,
    used: set[int] | None,
) -> dict[int, GroupInfo]:
    """The list's groups from raw rows: (group, staff, first, tussenvoegsel, last) per teacher
    and (group, name, lowest grade, school year) per group.

    With ``used`` (the pupils' group ids) a group is kept when a pupil is in it or it belongs
    to the current school year; without it every group given is kept.
    """
    teachers: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for group_id, staff_id, first, tv, last in teacher_rows:
        teachers[group_id].append((staff_id, dutch_name(first, tv, last), fold(f"{last} {first}")))
    out = {}
    for gid, name, low, gyear in group_rows:
        if used is not None and gid not in used and gyear != year_id:
            continue
        ts = tuple(sorted(teachers.get(gid, []), key=lambda t: t[2]))
        out[gid] = GroupInfo(
            id=gid, name=name, grade_low=low, teachers=ts, sort_key=(low, natural_key(name))
        )
    return out


def assemble(
    levels: list[LevelInfo],
    pupils: Iterable[Sequence[Any]],
    groups: dict[int, GroupInfo],
    area_assignments: Iterable[tuple[int, int, str, Any, int]],
    documents: dict[int, dict[str, int]],
    due: dict[int, Any],
    *,
    today: date,
    group_id: int | None = None,
) -> PupilListData:
    """The list's rows from raw query results (the one place a row is built).

    ``pupils``: (id, first, tussenvoegsel, last, status text, left on, group id, whole-pupil
    level id, since) with dates as ISO text or dates; ``area_assignments``: the open per-area
    assignments (pupil, level, area, since, position); ``documents``: per pupil the open
    documents per kind; ``due``: the schedule engine's next moment per pupil (may be empty).
    """
    level_by_id = {lvl.id: lvl for lvl in levels}
    # A few hundred distinct days cover 50,000 pupils: parse each text once (a server's dates
    # are dates already, and come back as they are).
    dates = _Dates()
    by_area: dict[int, list[tuple[int, str, date | None]]] = defaultdict(list)
    for pid, level_id, area, start, _pos in area_assignments:
        by_area[pid].append((level_id, area, dates[start]))

    rows: list[PupilRow] = []
    append = rows.append
    new_row = tuple.__new__  # PupilRow's own __new__ is a Python call per row
    row_class = PupilRow
    opp = DocumentKind.OPP.value
    active = PupilStatus.ACTIEF
    no_docs: tuple[tuple[str, int], ...] = ()
    # A handful of document combinations and (level, documents) pairs cover 50,000 pupils:
    # each is worked out once. Keyed on plain tuples: hashing a LevelInfo is a Python call.
    shown: dict[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]] = {}
    lacking: dict[tuple[int, tuple[str, ...]], tuple[str, ...]] = {}

    def lacks(level: LevelInfo, kinds: tuple[str, ...]) -> tuple[str, ...]:
        key = (level.id, kinds)
        found = lacking.get(key)
        if found is None:
            found = lacking[key] = _lacking(level, dict.fromkeys(kinds, 1))
        return found

    for pid, first, tv, last, status_text, left_text, gid, level_id, since_text in pupils:
        if tv:
            full = f"{first} {tv} {last}"
            sorted_name = f"{last}, {first} {tv}"
        else:
            full = f"{first} {last}"
            sorted_name = f"{last}, {first}"
        status = _STATUS[status_text]
        level = level_by_id.get(level_id)
        area = ""
        since = dates[since_text]
        docs = documents.get(pid)
        if docs:
            items = tuple(docs.items())
            open_docs = shown.get(items)
            if open_docs is None:
                open_docs = shown[items] = tuple((k, docs[k]) for k in DOCUMENT_KEYS if k in docs)
            kinds = tuple(docs)
        else:
            open_docs, kinds = no_docs, ()
        missing: tuple[str, ...] = ()
        is_active = status is active
        if level is not None and is_active and level.required_documents:
            missing = lacks(level, kinds)
        extra = by_area.get(pid)
        if extra is not None:
            # Per-area levels: show the highest; every open level counts for what is missing.
            for a_level_id, a_area, a_start in extra:
                a_level = level_by_id.get(a_level_id)
                if a_level is None:
                    continue
                if is_active and a_level.required_documents:
                    missing = _merge(missing, lacks(a_level, kinds))
                if level is None or a_level.position > level.position:
                    level, area, since = a_level, a_area, a_start
        moment = due.get(pid)
        key = f"{full}|{sorted_name}".casefold()
        append(
            new_row(
                row_class,
                (
                    pid,
                    sorted_name,
                    full,
                    status,
                    dates[left_text],
                    groups.get(gid),
                    level,
                    area,
                    since,
                    open_docs,
                    opp in kinds,
                    missing,
                    moment.due if moment is not None else None,
                    moment.title if moment is not None else "",
                    bool(moment is not None and moment.is_overdue(today)),
                    key if key.isascii() else fold(key),
                ),
            )
        )
    group_list = sorted(
        (g for g in groups.values() if group_id is None or g.id == group_id),
        key=lambda g: g.sort_key,
    )
    unique = {t[0]: t for g in group_list for t in g.teachers}
    teachers = [(sid, name) for sid, name, _key in sorted(unique.values(), key=lambda t: t[2])]
    return PupilListData(rows=rows, groups=group_list, levels=levels, teachers=teachers)


def _lacking(level: LevelInfo, docs: dict[str, int] | None) -> tuple[str, ...]:
    """What ``level`` requires that is not among ``docs`` (the rule of services.levels)."""
    if not level.required_documents:
        return ()
    return _lacking_kinds(level, frozenset(docs) if docs else frozenset())


@lru_cache(maxsize=512)
def _lacking_kinds(level: LevelInfo, present: frozenset[str]) -> tuple[str, ...]:
    # A handful of (level, documents) combinations cover 50,000 pupils: ask the rule once each.
    return tuple(required_missing(level, present))  # type: ignore[arg-type]


def _merge(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    if not second:
        return first
    return first + tuple(k for k in second if k not in first)


def with_next_evaluations(
    data: PupilListData, due: dict[int, Any], *, today: date
) -> PupilListData:
    """The same rows with the next evaluation filled in from the schedule engine's answer."""
    rows = [
        row._replace(next_due=m.due, next_title=m.title, overdue=bool(m.is_overdue(today)))
        if (m := due.get(row.id)) is not None
        else row
        for row in data.rows
    ]
    return PupilListData(rows=rows, groups=data.groups, levels=data.levels, teachers=data.teachers)



def natural_key(text: str) -> tuple[Any, ...]:
    """Sort "2", "10", "5A", "5B" the way people count."""
    parts: list[Any] = []
    number = ""
    for ch in text:
        if "0" <= ch <= "9":
            number += ch
            continue
        if number:
            parts.append((0, int(number), ""))
            number = ""
        parts.append((1, 0, ch.casefold()))
    if number:
        parts.append((0, int(number), ""))
    return tuple(parts)


# ---------------------------------------------------------------------------- filtering, sorting


@dataclass(frozen=True)
class PupilFilter:
    """What the user chose in the filter bar; ``None`` means "all"."""

    text: str = ""
    group_id: int | None = None  # NONE_ID: pupils without a group
    level_id: int | None = None  # NONE_ID: pupils without a level
    teacher_id: int | None = None
    has_opp: bool = False
    overdue: bool = False
    missing: bool = False
    status: PupilStatus | None = PupilStatus.ACTIEF

    def without_text(self) -> PupilFilter:
        """The same filter with an empty search text."""
        return PupilFilter(
            "", self.group_id, self.level_id, self.teacher_id, self.has_opp, self.overdue,
            self.missing, self.status,
        )  # fmt: skip


class Column:
    """Sortable columns of the list, by key (the UI maps its column numbers onto these)."""

    NAME = "name"
    GROUP = "group"
    TEACHER = "teacher"
    LEVEL = "level"
    SINCE = "since"
    DOCUMENTS = "documents"
    NEXT = "next"
    SIGNALS = "signals"


def sort_value(row: PupilRow, column: str) -> Any:
    """The native value a column sorts on (None sorts last, both ways)."""
    if column == Column.NAME:
        return fold(row.sort_name)
    if column == Column.GROUP:
        return row.group.sort_key if row.group else None
    if column == Column.TEACHER:
        return fold(row.teacher_names) or None
    if column == Column.LEVEL:
        return row.level.position if row.level else None
    if column == Column.SINCE:
        return row.since
    if column == Column.DOCUMENTS:
        return row.open_document_count
    if column == Column.NEXT:
        return row.next_due
    if column == Column.SIGNALS:
        return (len(row.missing), row.overdue)
    raise KeyError(column)


class PupilIndex:
    """Precomputed keys over a list of rows, so that a filter or a sort costs milliseconds.

    Results are lists of positions in ``rows``. For each combination of the structured filters
    (group, level, status, ...) and a sort column, the passing rows are computed once in sorted
    order; the search text then only scans that list, so its result is sorted already. Typing
    one more letter scans only the previous result.
    """

    def __init__(self, rows: Sequence[PupilRow]) -> None:
        self.rows = rows
        self._keys = [r.search_key for r in rows]
        self._names: list[int] | None = None
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._bases: dict[tuple[PupilFilter, str, bool], list[int]] = {}
        self._structured_cache: dict[PupilFilter, list[int]] = {}
        self._last: tuple[PupilFilter, str, bool, list[int]] | None = None
        self._text_cache: dict[tuple[Any, ...], list[int]] = {}

    def updated(self, rows: Sequence[PupilRow], changed: Iterable[str]) -> PupilIndex:
        """An index over ``rows`` (same pupils, same order) keeping what ``changed`` left valid.

        Used when the schedule's answer arrives: names, groups and levels did not change, so
        their sorted orders need not be computed again.
        """
        changed = set(changed)
        new = PupilIndex(rows)
        new._names = self._names
        new._orders = {k: v for k, v in self._orders.items() if k[0] not in changed}
        if not changed & {Column.NEXT, Column.SIGNALS}:
            new._structured_cache = dict(self._structured_cache)
            new._bases = {k: v for k, v in self._bases.items() if k[1] not in changed}
        return new

    # ------------------------------------------------------------------ filtering
    def view(
        self, f: PupilFilter, column: str = Column.NAME, descending: bool = False
    ) -> list[int]:
        """The rows that pass ``f``, in the order of ``column``."""
        words = fold(f.text).split()
        structured = f.without_text()
        cache_key = (structured, column, descending, tuple(words))
        cached = self._text_cache.get(cache_key)
        if cached is not None:  # e.g. Backspace back to what was typed a moment ago
            self._last = (f, column, descending, cached)
            return list(cached)
        base: list[int] | None = None
        if self._last is not None:
            last_filter, last_column, last_desc, last_result = self._last
            last_words = fold(last_filter.text).split()
            if (
                last_words
                and (last_column, last_desc) == (column, descending)
                and last_filter.without_text() == structured
                and len(words) >= len(last_words)
                and all(lw in w for w, lw in zip(words, last_words, strict=False))
            ):
                base = last_result  # narrowing: only rows that matched before can match now
        if base is None:
            base = self._base(structured, column, descending)
        keys = self._keys
        if len(words) == 1:
            w = words[0]
            result = [i for i in base if w in keys[i]]
        elif words:
            result = [i for i in base if all(w in keys[i] for w in words)]
        else:
            result = base
        self._last = (f, column, descending, result)
        if words:
            if len(self._text_cache) >= 64:
                self._text_cache.pop(next(iter(self._text_cache)))
            self._text_cache[cache_key] = result
        return list(result)

    def filter(self, f: PupilFilter) -> list[int]:
        """Positions of the rows that pass the filter, in row order."""
        return sorted(self.view(f))

    def count(self, f: PupilFilter) -> int:
        """How many rows pass the structured part of ``f`` (for "123 van 400")."""
        return len(self._structured(f.without_text()))

    def _base(self, structured: PupilFilter, column: str, descending: bool) -> list[int]:
        key = (structured, column, descending)
        if key not in self._bases:
            passing = self._structured(structured)
            order = self.order(column, descending)
            if len(passing) == len(self.rows):
                self._bases[key] = order
            else:
                flags = bytearray(len(self.rows))
                for i in passing:
                    flags[i] = 1
                self._bases[key] = [i for i in order if flags[i]]
        return self._bases[key]

    def _structured(self, f: PupilFilter) -> list[int]:
        """The rows (in row order) that pass every filter except the search text."""
        if f in self._structured_cache:
            return self._structured_cache[f]
        rows = self.rows
        tests: list[Callable[[PupilRow], bool]] = []
        if f.status is not None:
            status = f.status
            tests.append(lambda r: r.status == status)
        if f.group_id is not None:
            gid = f.group_id
            if gid == NONE_ID:
                tests.append(lambda r: r.group is None)
            else:
                tests.append(lambda r: r.group is not None and r.group.id == gid)
        if f.level_id is not None:
            lid = f.level_id
            if lid == NONE_ID:
                tests.append(lambda r: r.level is None)
            else:
                tests.append(lambda r: r.level is not None and r.level.id == lid)
        if f.teacher_id is not None:
            tid = f.teacher_id
            tests.append(lambda r: r.group is not None and tid in r.group.teacher_ids)
        if f.has_opp:
            tests.append(lambda r: r.has_opp)
        if f.overdue:
            tests.append(lambda r: r.overdue)
        if f.missing:
            tests.append(lambda r: bool(r.missing))
        if not tests:
            result = list(range(len(rows)))
        elif len(tests) == 1:
            test = tests[0]
            result = [i for i, r in enumerate(rows) if test(r)]
        else:
            result = [i for i, r in enumerate(rows) if all(t(r) for t in tests)]
        self._structured_cache[f] = result
        return result

    # ------------------------------------------------------------------ sorting
    def order(self, column: str, descending: bool = False) -> list[int]:
        """All row positions sorted on ``column`` (then name); empty values last both ways."""
        key = (column, descending)
        if key in self._orders:
            return self._orders[key]
        names = self._name_ranks()
        if column == Column.NAME:
            result = list(self._orders[(Column.NAME, False)])
            if descending:
                result.reverse()
        else:
            filled: list[tuple[Any, int, int]] = []
            empty: list[int] = []
            for i, row in enumerate(self.rows):
                value = sort_value(row, column)
                if value is None:
                    empty.append(i)
                else:
                    filled.append((value, names[i], i))
            filled.sort(reverse=descending)
            empty.sort(key=names.__getitem__)
            result = [t[2] for t in filled] + empty
        self._orders[key] = result
        return result

    def _name_ranks(self) -> list[int]:
        """The rank of each row in name order (a cheap secondary key for every column)."""
        if self._names is None:
            rows = self.rows
            # The search key is "<full name>|<sort name>" folded, and folding works letter by
            # letter, so its tail is fold(sort_name): no need to fold 50,000 names again.
            # (A name with a "|" in it is folded the slow way.)
            decorated = [
                (
                    k.rpartition("|")[2]
                    if (k := r.search_key).count("|") == 1
                    else fold(r.sort_name),
                    r.id,
                    i,
                )
                for i, r in enumerate(rows)
            ]
            decorated.sort()
            keyed = [t[2] for t in decorated]
            del decorated
            self._orders[(Column.NAME, False)] = keyed
            ranks = [0] * len(rows)
            for rank, i in enumerate(keyed):
                ranks[i] = rank
            self._names = ranks
        elif (Column.NAME, False) not in self._orders:
            ranks = self._names
            keyed = [0] * len(ranks)
            for i, rank in enumerate(ranks):
                keyed[rank] = i
            self._orders[(Column.NAME, False)] = keyed
        return self._names
