"""Name look-ups the command line shares: a pupil by id or by (part of) a name, a group by name,
a teacher by id or name.

A name that fits several people is never guessed: the candidates are listed with their ids and
the command stops with exit code 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ib_desktop.commands.common import LookupFailed, fold

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ib_desktop.models import Group, Staff


MAX_CANDIDATES = 15


@dataclass(frozen=True)
class PupilRow:
    """A pupil as the list shows it."""

    id: int
    name: str
    sort_name: str
    group: str
    level: int | None
    level_name: str
    has_opp: bool
    left_on: date | None
    birth_date: date


def pupil_rows(session: Session, school_id: int, *, include_left: bool = False) -> list[PupilRow]:
    """Every pupil of the school with group, current level and whether an OPP runs."""
    import sqlalchemy as sa

    from ib_desktop.models import (
        Group,
        LevelAssignment,
        Opp,
        Pupil,
        PupilStatus,
        SupportLevel,
        dutch_name,
        sort_name,
    )

    query = (
        sa.select(
            Pupil.id,
            Pupil.first_name,
            Pupil.tussenvoegsel,
            Pupil.last_name,
            Pupil.left_on,
            Pupil.birth_date,
            Group.name,
            SupportLevel.position,
            SupportLevel.name,
        )
        .outerjoin(Group, Group.id == Pupil.group_id)
        .outerjoin(
            LevelAssignment,
            sa.and_(
                LevelAssignment.pupil_id == Pupil.id,
                LevelAssignment.end_date.is_(None),
                LevelAssignment.area == "",
            ),
        )
        .outerjoin(SupportLevel, SupportLevel.id == LevelAssignment.level_id)
        .where(Pupil.school_id == school_id)
    )
    if not include_left:
        query = query.where(Pupil.status != PupilStatus.VERTROKKEN)
    with_opp = set(
        session.scalars(
            sa.select(Opp.pupil_id).where(
                sa.or_(Opp.end_date.is_(None), Opp.end_date >= date.today())
            )
        )
    )
    rows = [
        PupilRow(
            pid,
            dutch_name(f, tv, ln),
            sort_name(f, tv, ln),
            group or "",
            pos,
            lname or "",
            pid in with_opp,
            left,
            birth,
        )
        for pid, f, tv, ln, left, birth, group, pos, lname in session.execute(query)
    ]
    return rows


def find_pupils(session: Session, school_id: int, text: str) -> list[PupilRow]:
    """The pupils ``text`` names: an id, a full name, a last name or a part of the name.

    An exact name (full, "Vries, Sanne de", last name with or without tussenvoegsel, first
    name) wins over a partial one, so "Sanne de Vries" is not ambiguous with "Sanne de Vries-Bos".
    """
    rows = pupil_rows(session, school_id, include_left=True)
    text = text.strip()
    if text.isdigit():
        return [r for r in rows if r.id == int(text)]
    q = fold(text)
    if not q:
        return []
    exact = []
    for r in rows:
        last_part = r.sort_name.split(",")[0]
        tail = r.sort_name.split(",", 1)[1].strip() if "," in r.sort_name else ""
        tv = tail.split(" ", 1)[1] if " " in tail else ""
        first = tail.split(" ", 1)[0] if tail else ""
        forms = {
            fold(r.name),
            fold(r.sort_name),
            fold(last_part),
            fold(f"{tv} {last_part}"),
            fold(first),
        }
        if q in forms:
            exact.append(r)
    if exact:
        return exact
    words = q.split()
    return [r for r in rows if _words_match(words, fold(r.name))]


def _words_match(query: list[str], name: str) -> bool:
    """Every word of the query starts a word of the name ("jan berg" finds "Jan van den Berg")."""
    parts = re.split(r"[\s,\-']+", name)
    return all(any(p.startswith(w) for p in parts) for w in query)


def resolve_pupil(session: Session, school_id: int, text: str) -> PupilRow:
    """Exactly one pupil, or :class:`LookupFailed` with the candidates listed."""
    found = find_pupils(session, school_id, text)
    if not found:
        raise LookupFailed(f"Geen leerling gevonden voor '{text}'. Zoek met 'ib-desktop pupils'.")
    if len(found) > 1:
        lines = [f"'{text}' past bij {len(found)} leerlingen; kies er een met --pupil ID:"]
        ordered = sorted(found, key=lambda r: (fold(r.sort_name), r.id))
        lines += ["  " + _candidate(r) for r in ordered[:MAX_CANDIDATES]]
        if len(found) > MAX_CANDIDATES:
            lines.append(f"  ... en nog {len(found) - MAX_CANDIDATES}; maak de naam preciezer.")
        raise LookupFailed("\n".join(lines))
    return found[0]


def _candidate(r: PupilRow) -> str:
    from ib_desktop.dates import short_date

    where = f"groep {r.group}" if r.group else "geen groep"
    if r.left_on:
        where = f"vertrokken {short_date(r.left_on)}"
    return f"{r.id:>6}  {r.name}  ({where}, geboren {short_date(r.birth_date)})"


def current_groups(session: Session, school_id: int) -> list[Group]:
    """The groups of the school year that is running (or of the newest year there is)."""
    import sqlalchemy as sa

    from ib_desktop.models import Group, SchoolYear

    today = date.today()
    year = session.scalars(
        sa.select(SchoolYear)
        .where(SchoolYear.start_date <= today)
        .order_by(SchoolYear.start_date.desc())
        .limit(1)
    ).first()
    query = sa.select(Group).where(Group.school_id == school_id)
    if year is not None:
        query = query.where(Group.school_year_id == year.id)
    groups = list(session.scalars(query))
    groups.sort(key=lambda g: (g.grade_low, g.grade_high, g.name))
    return groups


def resolve_group(session: Session, school_id: int, text: str) -> Group:
    """The current group called ``text`` ("5B", "groep 5b"), or :class:`LookupFailed`."""
    groups = current_groups(session, school_id)
    q = fold(text)
    if q.startswith("groep "):
        q = q[6:].strip()
    for g in groups:
        if fold(g.name) == q:
            return g
    names = ", ".join(g.name for g in groups) or "geen"
    raise LookupFailed(f"Geen groep '{text}' in dit schooljaar. Groepen: {names}.")


def resolve_staff(session: Session, school_id: int, text: str) -> Staff:
    """A staff member by id or name (full or last name), or :class:`LookupFailed`."""
    import sqlalchemy as sa

    from ib_desktop.models import Staff

    staff = list(session.scalars(sa.select(Staff).where(Staff.school_id == school_id)))
    if text.strip().isdigit():
        found = [s for s in staff if s.id == int(text)]
    else:
        q = fold(text)
        found = [
            s
            for s in staff
            if q in (fold(s.full_name), fold(s.last_name), fold(f"{s.tussenvoegsel} {s.last_name}"))
        ]
        if not found:
            found = [s for s in staff if q in fold(s.full_name)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise LookupFailed(f"Geen medewerker gevonden voor '{text}'.")
    lines = [f"'{text}' past bij {len(found)} medewerkers; kies er een met --teacher ID:"]
    lines += [f"  {s.id:>6}  {s.full_name} ({s.role.value})" for s in found]
    raise LookupFailed("\n".join(lines))
