"""The move to a new school year: copy the groups, move every pupil up a year, group 8 leaves.

It is a preview first (:func:`plan_move`): per pupil the group now, the jaargroep, and the group
next year, which the user may change before confirming. :func:`apply_move` carries it out in one
transaction and keeps what it did, so :func:`undo_move` can take it back.

A pupil in a combination group ("1/2") is in one of its grades. The grade is kept per school
year in ``GroupMembership.grade``; where it was never recorded (older data, an import) it is
estimated from the pupil's age on 1 October, marked as estimated in the preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ib_desktop.dates import short_date
from ib_desktop.models import (
    Group,
    GroupMembership,
    Pupil,
    PupilStatus,
    SchoolYear,
    Setting,
    group_teachers,
)
from ib_desktop.services import audit
from ib_desktop.services.groups import ensure_year
from ib_desktop.services.pupil import LeaveKind, age_on, leave_school, reactivate
from ib_desktop.services.staff import fold
from ib_desktop.validation import ValidationErrors

UNDO_KEY = "schooljaarovergang/"
LEAVER_DESTINATION = "voortgezet onderwijs (einde groep 8)"


class StaleMoveError(RuntimeError):
    """The pupils or groups changed after the preview was made; nothing was changed."""


@dataclass(frozen=True)
class GroupCopy:
    """A group of this year that is made again for next year."""

    name: str
    grade_low: int
    grade_high: int
    teacher_ids: tuple[int, ...]
    teacher_names: str


@dataclass(frozen=True)
class PupilMove:
    """One pupil in the preview."""

    pupil_id: int
    version: int
    name: str
    sort_name: str
    from_group: str
    grade: int
    grade_estimated: bool
    to_group: str | None  # the group next year (None: leaves, or no group found)

    @property
    def leaves(self) -> bool:
        """Group 8 leaves the school at the end of the year."""
        return self.grade >= 8


@dataclass
class MovePlan:
    """What the move will do; ``moves`` may be changed (``to_group``) before applying."""

    school_id: int
    source_year_id: int
    source_label: str
    target_label: str
    leave_date: date
    group_copies: list[GroupCopy] = field(default_factory=list)
    target_groups: list[tuple[str, int, int]] = field(default_factory=list)  # name, low, high
    moves: list[PupilMove] = field(default_factory=list)

    @property
    def leavers(self) -> list[PupilMove]:
        """The pupils of group 8."""
        return [m for m in self.moves if m.leaves]

    @property
    def without_group(self) -> list[PupilMove]:
        """Pupils who move up but for whom no group next year was found."""
        return [m for m in self.moves if not m.leaves and not m.to_group]


@dataclass(frozen=True)
class MoveResult:
    """What the move did."""

    target_label: str
    groups_copied: int
    moved: int
    left: int


def next_label(label: str) -> str:
    """ "2026-2027" -> "2027-2028"."""
    start = int(label[:4]) + 1
    return f"{start}-{start + 1}"


def _suffix(name: str) -> str:
    """The letters after the numbers of a group name ("5A" -> "a")."""
    return re.sub(r"^[\d\s/\-&+,]*", "", name).casefold()


def estimate_grade(birth: date | None, year_start: date, low: int, high: int) -> int:
    """The likely jaargroep from the age on 1 October (4 years: groep 1), within the group."""
    age = age_on(birth, date(year_start.year, 10, 1)) if birth else None
    grade = (age - 3) if age is not None else low
    return max(low, min(high, grade))


def choose_destination(
    grade: int, from_group: str, targets: list[tuple[str, int, int]]
) -> str | None:
    """The group next year for a pupil going to ``grade``: one that has that grade.

    The same name wins (a pupil of 1/2 going to groep 2 stays in 1/2), then the same letter
    (5A goes to 6A), then a group of that grade alone before a combination group.
    """
    fitting = [t for t in targets if t[1] <= grade <= t[2]]
    if not fitting:
        return None
    fitting.sort(key=lambda t: (t[2] - t[1], t[1], fold(t[0])))
    for name, _low, _high in fitting:
        if fold(name) == fold(from_group):
            return name
    suffix = _suffix(from_group)
    for name, _low, _high in fitting:
        if suffix and _suffix(name) == suffix:
            return name
    return fitting[0][0]


def latest_year_with_groups(session: Session, school_id: int) -> SchoolYear | None:
    """The newest school year in which the school has groups."""
    return session.scalars(
        sa.select(SchoolYear)
        .join(Group, Group.school_year_id == SchoolYear.id)
        .where(Group.school_id == school_id)
        .order_by(SchoolYear.start_date.desc())
        .limit(1)
    ).first()


def plan_move(
    session: Session, school_id: int, *, source_year_id: int | None = None
) -> MovePlan:
    """The preview of moving from ``source_year_id`` (default: the newest year with groups)."""
    source = (
        session.get(SchoolYear, source_year_id)
        if source_year_id is not None
        else latest_year_with_groups(session, school_id)
    )
    if source is None:
        raise ValidationErrors({"year": "Er zijn nog geen groepen om over te zetten."})
    target_label = next_label(source.label)
    plan = MovePlan(
        school_id=school_id,
        source_year_id=source.id,
        source_label=source.label,
        target_label=target_label,
        leave_date=source.end_date,
    )
    groups = session.scalars(
        sa.select(Group)
        .where(Group.school_id == school_id, Group.school_year_id == source.id)
        .options(selectinload(Group.teachers))
        .order_by(Group.grade_low, Group.grade_high, Group.name)
    ).all()
    target_year = session.scalars(
        sa.select(SchoolYear).where(SchoolYear.label == target_label)
    ).first()
    existing: list[tuple[str, int, int]] = []
    if target_year is not None:
        existing = [
            (name, low, high)
            for name, low, high in session.execute(
                sa.select(Group.name, Group.grade_low, Group.grade_high).where(
                    Group.school_id == school_id, Group.school_year_id == target_year.id
                )
            )
        ]
    taken = {fold(n) for n, _l, _h in existing}
    for g in groups:
        if fold(g.name) not in taken:
            plan.group_copies.append(
                GroupCopy(
                    g.name,
                    g.grade_low,
                    g.grade_high,
                    tuple(t.id for t in g.teachers),
                    ", ".join(t.full_name for t in g.teachers),
                )
            )
    plan.target_groups = sorted(
        existing + [(c.name, c.grade_low, c.grade_high) for c in plan.group_copies],
        key=lambda t: (t[1], t[2], fold(t[0])),
    )
    by_id = {g.id: g for g in groups}
    grades = dict(
        session.execute(
            sa.select(GroupMembership.pupil_id, GroupMembership.grade).where(
                GroupMembership.school_year_id == source.id
            )
        ).all()
    )
    pupils = session.scalars(
        sa.select(Pupil).where(
            Pupil.school_id == school_id,
            Pupil.status != PupilStatus.VERTROKKEN,
            Pupil.group_id.in_(list(by_id)),
        )
    ).all()
    for p in pupils:
        group = by_id[p.group_id]  # type: ignore[index]
        known = grades.get(p.id)
        if known is not None and group.grade_low <= known <= group.grade_high:
            grade, estimated = known, False
        elif group.grade_low == group.grade_high:
            grade, estimated = group.grade_low, False
        else:
            low, high = group.grade_low, group.grade_high
            grade = estimate_grade(p.birth_date, source.start_date, low, high)
            estimated = True
        to_group = (
            None if grade >= 8 else choose_destination(grade + 1, group.name, plan.target_groups)
        )
        plan.moves.append(
            PupilMove(
                p.id, p.version, p.full_name, p.sort_name, group.name, grade, estimated, to_group
            )
        )
    plan.moves.sort(key=lambda m: (m.grade, fold(m.from_group), fold(m.sort_name)))
    return plan


def apply_move(
    session: Session,
    plan: MovePlan,
    *,
    destinations: dict[int, str | None] | None = None,
    today: date,
    actor: str | None = None,
) -> MoveResult:
    """Carry out the preview in the caller's transaction; ``destinations`` overrides per pupil.

    Raises :class:`StaleMoveError` when a pupil changed after the preview (nothing is changed).
    """
    destinations = destinations or {}
    undo_key = UNDO_KEY + plan.target_label
    if session.get(Setting, undo_key) is not None:
        raise ValidationErrors(
            {"year": f"De overgang naar {plan.target_label} is al gemaakt. Maak hem eerst "
             "ongedaan om hem opnieuw te doen."}
        )
    found = dict(
        session.execute(
            sa.select(Pupil.id, Pupil.version).where(
                Pupil.id.in_([m.pupil_id for m in plan.moves])
            )
        ).all()
    )
    if any(found.get(m.pupil_id) != m.version for m in plan.moves):
        raise StaleMoveError(
            "Sommige leerlingen zijn gewijzigd nadat de voorvertoning is gemaakt. Er is niets "
            "veranderd; maak de voorvertoning opnieuw."
        )
    target = ensure_year(session, plan.target_label)
    groups = {
        fold(g.name): g
        for g in session.scalars(
            sa.select(Group).where(
                Group.school_id == plan.school_id, Group.school_year_id == target.id
            )
        )
    }
    created_groups: list[int] = []
    for copy in plan.group_copies:
        if fold(copy.name) in groups:
            continue
        group = Group(
            school_id=plan.school_id,
            school_year_id=target.id,
            name=copy.name,
            grade_low=copy.grade_low,
            grade_high=copy.grade_high,
        )
        session.add(group)
        session.flush()
        for sid in copy.teacher_ids:
            session.execute(sa.insert(group_teachers).values(group_id=group.id, staff_id=sid))
        groups[fold(copy.name)] = group
        created_groups.append(group.id)
    moved_from: dict[str, int | None] = {}  # pupil id -> the group before the move
    left_from: list[list[int | None]] = []  # [pupil id, group before]
    new_memberships: list[int] = []
    grades_set: list[int] = []
    source_memberships = {
        m.pupil_id: m
        for m in session.scalars(
            sa.select(GroupMembership).where(
                GroupMembership.school_year_id == plan.source_year_id,
                GroupMembership.pupil_id.in_([m.pupil_id for m in plan.moves]),
            )
        )
    }
    moved = left = 0
    leave_today = max(today, plan.leave_date)  # the departure is registered ahead of 31 July
    for m in plan.moves:
        pupil = session.get(Pupil, m.pupil_id)
        assert pupil is not None
        old_group_id = pupil.group_id
        membership = source_memberships.get(m.pupil_id)
        if membership is None and old_group_id is not None:
            membership = GroupMembership(
                pupil_id=m.pupil_id, school_year_id=plan.source_year_id, group_id=old_group_id
            )
            session.add(membership)
            session.flush()
            new_memberships.append(membership.id)
        if membership is not None and membership.grade is None:
            membership.grade = m.grade  # the grade the user confirmed in the preview
            grades_set.append(membership.id)
        if m.leaves:
            try:
                leave_school(
                    session,
                    m.pupil_id,
                    plan.leave_date,
                    LeaveKind.VO,
                    "einde groep 8",
                    today=leave_today,
                    actor=actor,
                )
            except ValidationErrors as exc:
                raise ValidationErrors(
                    {k: f"{m.name}: {v}" for k, v in exc.errors.items()}
                ) from exc
            left_from.append([m.pupil_id, old_group_id])
            left += 1
            continue
        name = destinations.get(m.pupil_id, m.to_group)
        destination = groups.get(fold(name)) if name else None
        pupil.group_id = destination.id if destination else None
        if destination is not None:
            new_membership = GroupMembership(
                pupil_id=m.pupil_id,
                school_year_id=target.id,
                group_id=destination.id,
                grade=m.grade + 1,
            )
            session.add(new_membership)
            session.flush()
            new_memberships.append(new_membership.id)
        moved_from[str(m.pupil_id)] = old_group_id
        audit.record(
            session,
            "pupil",
            m.pupil_id,
            "nieuw schooljaar",
            field="group",
            old=m.from_group,
            new=destination.name if destination else "",
            summary=(
                f"Naar {plan.target_label}: groep {destination.name} (jaargroep {m.grade + 1})."
                if destination
                else f"Naar {plan.target_label}: nog geen groep (jaargroep {m.grade + 1})."
            ),
            actor=actor,
        )
        moved += 1
    undo = {
        "groups": created_groups,
        "moved": moved_from,
        "left": left_from,
        "memberships": new_memberships,
        "grades_set": grades_set,
    }
    session.add(Setting(key=undo_key, value=undo))
    audit.record(
        session,
        "school_year",
        target.id,
        "overgang",
        summary=(
            f"Overgang van {plan.source_label} naar {plan.target_label}: {len(created_groups)} "
            f"groepen gekopieerd, {moved} leerlingen een jaar verder, {left} vertrokken op "
            f"{short_date(plan.leave_date)}."
        ),
        actor=actor,
    )
    session.flush()
    return MoveResult(plan.target_label, len(created_groups), moved, left)


def last_move(session: Session) -> str | None:
    """The label of the newest school year moved into that can still be undone."""
    keys = session.scalars(
        sa.select(Setting.key).where(Setting.key.like(UNDO_KEY + "%"))
    ).all()
    return max((k[len(UNDO_KEY):] for k in keys), default=None)


def undo_move(
    session: Session, school_id: int, target_label: str, *, today: date, actor: str | None = None
) -> None:
    """Take a move back: leavers active again, pupils in their old group, copied groups gone.

    Groups, memberships and departures that were changed by hand after the move stay as they
    are when they cannot be taken back safely (a copied group with new pupils is kept).
    """
    setting = session.get(Setting, UNDO_KEY + target_label)
    if setting is None:
        raise ValidationErrors(
            {"year": f"Er is geen overgang naar {target_label} om terug te draaien."}
        )
    undo = dict(setting.value)
    leave_today = max(today, school_year_end(target_label))
    for pupil_id, old_group in undo.get("left", []):
        pupil = session.get(Pupil, pupil_id)
        if pupil is None or pupil.status != PupilStatus.VERTROKKEN:
            continue
        reactivate(session, pupil_id, today=leave_today, actor=actor)
        pupil.group_id = old_group
    for pupil_id, old_group in undo.get("moved", {}).items():
        pupil = session.get(Pupil, int(pupil_id))
        if pupil is not None:
            pupil.group_id = old_group
            audit.record(
                session, "pupil", pupil.id, "nieuw schooljaar teruggedraaid", field="group",
                summary=f"Overgang naar {target_label} teruggedraaid.", actor=actor,
            )
    session.flush()
    for mid in undo.get("memberships", []):
        session.execute(sa.delete(GroupMembership).where(GroupMembership.id == mid))
    for mid in undo.get("grades_set", []):
        membership = session.get(GroupMembership, mid)
        if membership is not None:
            membership.grade = None
    session.flush()
    for gid in undo.get("groups", []):
        in_use = session.scalar(
            sa.select(sa.func.count()).select_from(Pupil).where(Pupil.group_id == gid)
        ) or session.scalar(
            sa.select(sa.func.count())
            .select_from(GroupMembership)
            .where(GroupMembership.group_id == gid)
        )
        if not in_use:
            session.execute(sa.delete(group_teachers).where(group_teachers.c.group_id == gid))
            session.execute(sa.delete(Group).where(Group.id == gid))
    session.delete(setting)
    audit.record(
        session, "school_year", 0, "overgang teruggedraaid",
        summary=f"Overgang naar {target_label} teruggedraaid.", actor=actor,
    )
    session.flush()


def school_year_end(label: str) -> date:
    """The last day of the year before ``label`` (the day the leavers left)."""
    return date(int(label[:4]), 7, 31)

