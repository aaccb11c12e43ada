"""Groups per school year, entered by hand: name, jaargroepen and one or more teachers.

The importer fills the same ``groups`` and ``group_teachers`` tables from an LVS export. A group
that pupils are in, or that is part of a pupil's history, is never deleted: the service refuses
and says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from ib_desktop.dates import school_year_bounds, school_year_label
from ib_desktop.models import (
    Group,
    GroupMembership,
    Pupil,
    PupilStatus,
    SchoolYear,
    Staff,
    group_teachers,
)
from ib_desktop.services import audit, versioned
from ib_desktop.services.staff import fold
from ib_desktop.validation import ValidationErrors

GROUP_NAME_MAX = 20
_GRADES = re.compile(r"^\s*(\d{1,2})(?:\s*[/\-&+,]\s*(\d{1,2}))*\s*$")


@dataclass(frozen=True)
class YearRow:
    """A school year that can be chosen."""

    id: int
    label: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class GroupRow:
    """A group as the list shows it."""

    id: int
    name: str
    grade_low: int
    grade_high: int
    teacher_ids: tuple[int, ...]
    teacher_names: str
    pupils: int
    version: int = 1  # the stored version, handed back with a save (optimistic locking)

    @property
    def grades(self) -> str:
        """ "5" or "1/2"; "4/5/6" for three grades."""
        return grades_text(self.grade_low, self.grade_high)


@dataclass
class GroupData:
    """What the group form edits."""

    name: str = ""
    grades: str = ""  # "5", "1/2"
    teacher_ids: list[int] = field(default_factory=list)
    #: The version the form loaded; None for a new group (or a script that did not load).
    version: int | None = None


def grades_text(low: int, high: int) -> str:
    """The jaargroepen as written in schools: "5", "1/2", "4/5/6"."""
    return "/".join(str(g) for g in range(low, high + 1))


def parse_grades(text: str) -> tuple[int, int]:
    """(lowest, highest) jaargroep of "5", "1/2", "1-2", "4/5/6"; ValueError in Dutch."""
    m = _GRADES.match(text or "")
    if not m:
        raise ValueError("Schrijf de jaargroep(en) als een getal of bijvoorbeeld 1/2.")
    numbers = sorted({int(n) for n in re.findall(r"\d+", text)})
    if any(not 1 <= n <= 8 for n in numbers):
        raise ValueError("Jaargroepen lopen van 1 tot en met 8.")
    if "-" in text and len(numbers) == 2:
        numbers = list(range(numbers[0], numbers[1] + 1))
    if numbers[-1] - numbers[0] + 1 != len(numbers):
        raise ValueError("Een combinatiegroep heeft opeenvolgende jaargroepen, bijvoorbeeld 4/5.")
    return numbers[0], numbers[-1]


def grades_from_name(name: str) -> str:
    """The jaargroepen a group's name suggests ("5A" -> "5", "1/2b" -> "1/2"); "" if none."""
    m = re.match(r"^\s*(\d{1,2}(?:\s*[/\-&+,]\s*\d{1,2})*)", name or "")
    if not m:
        return ""
    try:
        low, high = parse_grades(m.group(1))
    except ValueError:
        return ""
    return grades_text(low, high)


def ensure_year(session: Session, label: str) -> SchoolYear:
    """The school year with this label ("2026-2027"), created when it is not there yet."""
    year = session.scalars(sa.select(SchoolYear).where(SchoolYear.label == label)).first()
    if year is None:
        start, end = school_year_bounds(label)
        year = SchoolYear(
            label=label, start_date=start, end_date=end, counting_date=date(start.year, 10, 1)
        )
        session.add(year)
        session.flush()
    return year


def school_years(session: Session, today: date) -> list[YearRow]:
    """The school years in the database, with the current one always among them."""
    ensure_year(session, school_year_label(today))
    return [
        YearRow(y.id, y.label, y.start_date, y.end_date)
        for y in session.scalars(sa.select(SchoolYear).order_by(SchoolYear.start_date))
    ]


def list_groups(session: Session, school_id: int, year_id: int) -> list[GroupRow]:
    """The groups of one school year, in grade order, with teachers and pupil counts."""
    groups = session.scalars(
        sa.select(Group)
        .where(Group.school_id == school_id, Group.school_year_id == year_id)
        .order_by(Group.grade_low, Group.grade_high, Group.name)
    ).all()
    counts = dict(
        session.execute(
            sa.select(Pupil.group_id, sa.func.count())
            .where(
                Pupil.group_id.in_([g.id for g in groups]),
                Pupil.status != PupilStatus.VERTROKKEN,
            )
            .group_by(Pupil.group_id)
        ).all()
    )
    return [
        GroupRow(
            g.id,
            g.name,
            g.grade_low,
            g.grade_high,
            tuple(t.id for t in g.teachers),
            ", ".join(t.full_name for t in g.teachers),
            int(counts.get(g.id, 0)),
            g.version,
        )
        for g in groups
    ]


def _spec(session: Session, group_id: int) -> versioned.Versioned:
    """How a conflict on a group is told: name, jaargroepen and teachers by name."""

    def value_of(group: Group, name: str) -> object:
        if name == "grades":
            return grades_text(group.grade_low, group.grade_high)
        if name == "teacher_ids":
            return [t.id for t in group.teachers]
        return getattr(group, name)

    def show(name: str, value: object) -> str:
        if name == "grades":
            try:
                return grades_text(*parse_grades(str(value)))
            except ValueError:
                return str(value)
        if name == "teacher_ids":
            ids = list(value or [])  # type: ignore[call-overload]
            found = session.scalars(sa.select(Staff).where(Staff.id.in_(ids)))
            people = {p.id: p.full_name for p in found}
            return ", ".join(sorted(people.get(i, "?") for i in ids))
        return versioned.display(value)

    return versioned.Versioned(
        "deze groep",
        labels={"name": "naam", "grades": "jaargroep(en)", "teacher_ids": "leerkrachten"},
        show=show,
        history=versioned.History("group", group_id),
        value_of=value_of,
    )


def check_group(
    session: Session,
    school_id: int,
    year_id: int,
    data: GroupData,
    *,
    group_id: int | None = None,
) -> dict[str, str]:
    """What is wrong with the input, keyed by field ("name", "grades", "teachers")."""
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = "Vul de naam van de groep in, bijvoorbeeld 5 of 1/2."
    elif len(name) > GROUP_NAME_MAX:
        errors["name"] = f"De naam is te lang (hoogstens {GROUP_NAME_MAX} tekens)."
    else:
        year = session.get(SchoolYear, year_id)
        for gid, other in session.execute(
            sa.select(Group.id, Group.name).where(
                Group.school_id == school_id, Group.school_year_id == year_id
            )
        ):
            if gid != group_id and fold(other) == fold(name):
                label = year.label if year else ""
                errors["name"] = f"Er is in {label} al een groep '{other}'."
                break
    try:
        parse_grades(data.grades)
    except ValueError as exc:
        errors["grades"] = str(exc)
    if data.teacher_ids:
        known = set(
            session.scalars(
                sa.select(Staff.id).where(
                    Staff.school_id == school_id, Staff.id.in_(data.teacher_ids)
                )
            )
        )
        if known != set(data.teacher_ids):
            errors["teachers"] = "Een van de gekozen leerkrachten bestaat niet meer."
    return errors


def save_group(
    session: Session,
    school_id: int,
    year_id: int,
    data: GroupData,
    *,
    group_id: int | None = None,
    actor: str | None = None,
) -> GroupRow:
    """Add a group to a school year (``group_id`` None) or change one.

    A change is checked against ``data.version``: when someone else saved the group after the
    form loaded it, :class:`~ib_desktop.services.versioned.EditConflict` is raised with both
    values per field and nothing is written.
    """
    mine = {
        "name": " ".join(data.name.split()),
        "grades": data.grades,
        "teacher_ids": list(data.teacher_ids),
    }
    if group_id is not None:
        found = session.get(Group, group_id)
        if found is None or found.school_id != school_id:
            raise ValidationErrors({"name": "Deze groep bestaat niet meer."})
        versioned.check_version(session, found, data.version, mine, _spec(session, group_id))
    ValidationErrors.collect(check_group(session, school_id, year_id, data, group_id=group_id))
    low, high = parse_grades(data.grades)
    teachers = (
        list(session.scalars(sa.select(Staff).where(Staff.id.in_(data.teacher_ids))))
        if data.teacher_ids
        else []
    )
    order = {sid: i for i, sid in enumerate(data.teacher_ids)}
    if group_id is None:
        group = Group(school_id=school_id, school_year_id=year_id)
        session.add(group)
        action, old = "aangemaakt", ""
    else:
        found = session.get(Group, group_id)
        if found is None or found.school_id != school_id:
            raise ValidationErrors({"name": "Deze groep bestaat niet meer."})
        group = found
        action = "gewijzigd"
        old = f"{group.name} ({grades_text(group.grade_low, group.grade_high)})"
    with session.no_autoflush:  # one write at the end, where a missed version is caught
        before = {t.id for t in group.teachers}
        group.name = " ".join(data.name.split())
        group.grade_low, group.grade_high = low, high
        group.teachers = sorted(teachers, key=lambda t: order[t.id])
        if group_id is not None and before != {t.id for t in teachers}:
            # The teachers live in another table: make the group's own row UPDATE too, so its
            # version moves and a colleague's stale form cannot undo the new teachers.
            flag_modified(group, "name")
    if group_id is None:
        session.flush()
    else:
        versioned.flush(session, group, mine, _spec(session, group_id))
    audit.record(
        session,
        "group",
        group.id,
        action,
        old=old,
        new=f"{group.name} ({grades_text(low, high)})",
        summary=f"Groep {group.name} {action}; leerkracht(en): "
        + (", ".join(t.full_name for t in group.teachers) or "geen"),
        actor=actor,
    )
    rows = list_groups(session, school_id, year_id)
    return next(r for r in rows if r.id == group.id)


def delete_problem(session: Session, group_id: int) -> str:
    """Why a group cannot be deleted (empty when it can)."""
    group = session.get(Group, group_id)
    if group is None:
        return ""
    pupils = session.scalar(
        sa.select(sa.func.count()).select_from(Pupil).where(Pupil.group_id == group_id)
    )
    if pupils:
        return (
            f"In groep {group.name} zitten {pupils} leerling(en). Zet ze eerst in een andere "
            "groep; een groep met leerlingen wordt niet verwijderd."
        )
    history = session.scalar(
        sa.select(sa.func.count())
        .select_from(GroupMembership)
        .where(GroupMembership.group_id == group_id)
    )
    if history:
        return (
            f"Groep {group.name} staat in de schoolloopbaan van {history} leerling(en) en "
            "blijft daarom bewaard."
        )
    return ""


def delete_group(
    session: Session, group_id: int, *, actor: str | None = None
) -> None:
    """Delete a group without pupils and without history; raises ValidationErrors otherwise."""
    problem = delete_problem(session, group_id)
    if problem:
        raise ValidationErrors({"group": problem})
    group = session.get(Group, group_id)
    if group is None:
        return
    session.execute(sa.delete(group_teachers).where(group_teachers.c.group_id == group_id))
    name = group.name
    session.delete(group)
    audit.record(
        session, "group", group_id, "verwijderd", old=name, summary=f"Groep {name} verwijderd.",
        actor=actor,
    )
    session.flush()
