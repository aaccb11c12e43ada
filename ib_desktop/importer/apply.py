"""Carrying out an import plan: all of it in one transaction, or nothing at all.

New pupils are written with bulk inserts (a first import of a large school is thousands of
rows); changed pupils go through the ORM so that their ``version`` moves on and a pupil file
that is open elsewhere notices. Any error, or a cancel from the progress callback, rolls the
whole import back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ib_desktop.importer.columns import save_mapping
from ib_desktop.importer.plan_items import ChangedPupil, ImportPlan
from ib_desktop.importer.table import ImportRefusedError
from ib_desktop.importer.values import PersonName, person_key
from ib_desktop.models import (
    ChangeLog,
    Group,
    GroupMembership,
    LevelAssignment,
    Pupil,
    PupilStatus,
    School,
    Staff,
    StaffRole,
    group_teachers,
)
from ib_desktop.models.base import now
from ib_desktop.services import audit
from ib_desktop.services.school import ensure_school_year
from ib_desktop.storage import Database, database_error_message

NEW_PUPIL_REASON = "Ingeschreven via import"
LEFT_SUMMARY = (
    "Niet meer in de export van het leerlingvolgsysteem; vertrek bevestigd bij het importeren."
)
#: Years a file is kept after the pupil leaves (common practice; the school board decides).
RETENTION_YEARS = 2
CHUNK = 500

#: progress(done, total): called as work proceeds; raising ImportCancelledError stops it.
ProgressFn = Callable[[int, int], None]
T = TypeVar("T")


class StalePlanError(ImportRefusedError):
    """The database changed after the preview was made; nothing was imported."""


class ImportCancelledError(ImportRefusedError):
    """The user stopped the import; nothing was imported."""

    def __init__(self) -> None:
        super().__init__("Het importeren is afgebroken; er is niets gewijzigd.")


class ImportApplyError(ImportRefusedError):
    """Applying failed part-way; the transaction was rolled back, so nothing changed."""


@dataclass(frozen=True)
class ImportResult:
    """What an applied import did."""

    created: int
    updated: int
    unchanged: int
    left: int
    rejected: int
    groups_created: int
    teachers_created: int
    teachers_linked: int


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def apply_plan(
    db: Database,
    plan: ImportPlan,
    *,
    confirmed_leavers: Iterable[int] = (),
    actor: str | None = None,
    left_on: date | None = None,
    progress: ProgressFn | None = None,
) -> ImportResult:
    """Carry out ``plan`` in one transaction; only the confirmed leavers are marked as left,
    on ``left_on`` (by default the plan's: the end of the previous school year). Possible twins
    that were not decided are not imported.

    Raises :class:`StalePlanError` when a pupil was changed since the plan was made,
    :class:`ImportCancelledError` when ``progress`` cancels, and :class:`ImportApplyError` for
    anything else; in every case the database is as it was.
    """
    confirmed = list(dict.fromkeys(confirmed_leavers))
    proposed = {lv.pupil_id for lv in plan.leavers}
    unknown = [pid for pid in confirmed if pid not in proposed]
    if unknown:
        raise ImportRefusedError(
            "Alleen leerlingen die bij 'Vertrekt' staan kunnen als vertrokken worden bevestigd."
        )
    actor = actor or audit.current_actor()
    left_on = left_on or plan.left_on or plan.today
    total = 1 + len(plan.new) + len(plan.changed) + len(confirmed)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total), total)

    try:
        with db.session() as s:
            step(0)
            _check_not_stale(s, plan, confirmed)
            year = ensure_school_year(s, plan.today)
            groups = _ensure_groups(s, plan, year.id)
            new_staff, linked = _ensure_teachers(s, plan, groups)
            step(1)
            _insert_new_pupils(s, plan, year.id, groups, actor, step)
            _update_changed(s, plan, year.id, groups, actor, step)
            _mark_leavers(s, plan, confirmed, left_on, actor, step)
            save_mapping(s, plan.headers, plan.mapping)
            audit.record(
                s,
                "import",
                plan.school_id,
                "import",
                summary=(
                    f"Import uit '{plan.path.name}': {len(plan.new)} nieuw, "
                    f"{len(plan.changed)} gewijzigd, {len(plan.unchanged)} ongewijzigd, "
                    f"{len(confirmed)} vertrokken, {len(plan.rejected)} rijen afgewezen."
                ),
                actor=actor,
            )
            s.flush()
    except ImportRefusedError:
        raise
    except StaleDataError as exc:
        raise StalePlanError(_STALE_MESSAGE) from exc
    except sa.exc.IntegrityError as exc:
        raise StalePlanError(
            "Het importeren is niet gelukt: een leerling of groep bestaat inmiddels al (is er "
            "intussen iets ingevoerd?). Er is niets gewijzigd; maak de voorvertoning opnieuw."
        ) from exc
    except sa.exc.SQLAlchemyError as exc:
        # The driver's text holds the statement and the rows: pupils' names and birth dates.
        raise ImportApplyError(
            f"Het importeren is mislukt; er is niets gewijzigd. {database_error_message(exc)}"
        ) from exc
    except Exception as exc:
        raise ImportApplyError(
            f"Het importeren is mislukt; er is niets gewijzigd. ({type(exc).__name__})"
        ) from exc
    with contextlib.suppress(sa.exc.SQLAlchemyError):  # only an optimisation; the import is saved
        db.refresh_statistics()  # many new rows: let the query planner know
    return ImportResult(
        created=len(plan.new),
        updated=len(plan.changed),
        unchanged=len(plan.unchanged),
        left=len(confirmed),
        rejected=len(plan.rejected),
        groups_created=len(plan.new_groups),
        teachers_created=new_staff,
        teachers_linked=linked,
    )


_STALE_MESSAGE = (
    "Sommige leerlingen zijn gewijzigd nadat de voorvertoning is gemaakt. Er is niets "
    "geïmporteerd; maak de voorvertoning opnieuw."
)


def _check_not_stale(s: Session, plan: ImportPlan, confirmed: list[int]) -> None:
    expected = {c.pupil_id: c.version for c in plan.changed}
    expected.update(
        {lv.pupil_id: lv.version for lv in plan.leavers if lv.pupil_id in set(confirmed)}
    )
    ids = list(expected)
    for part in _chunks(ids):
        found = dict(s.execute(sa.select(Pupil.id, Pupil.version).where(Pupil.id.in_(part))).all())
        for pid in part:
            if found.get(pid) != expected[pid]:
                raise StalePlanError(_STALE_MESSAGE)


def _ensure_groups(s: Session, plan: ImportPlan, year_id: int) -> dict[str, int]:
    """Group name (casefolded) -> id for this school year, creating the new groups."""
    groups = {
        name.casefold(): gid
        for gid, name in s.execute(
            sa.select(Group.id, Group.name).where(
                Group.school_id == plan.school_id, Group.school_year_id == year_id
            )
        )
    }
    for g in plan.new_groups:
        if g.name.casefold() in groups:
            continue
        group = Group(
            school_id=plan.school_id,
            school_year_id=year_id,
            name=g.name,
            grade_low=g.grade_low,
            grade_high=g.grade_high,
        )
        s.add(group)
        s.flush()
        groups[g.name.casefold()] = group.id
    return groups


def _ensure_teachers(s: Session, plan: ImportPlan, groups: dict[str, int]) -> tuple[int, int]:
    """Create the new teachers and put teachers on their groups; returns (created, linked)."""
    new_ids: dict[tuple[str, str], int] = {}
    for t in plan.new_teachers:
        staff = Staff(
            school_id=plan.school_id,
            first_name=t.first_name,
            tussenvoegsel=t.tussenvoegsel,
            last_name=t.last_name,
            role=StaffRole.LEERKRACHT,
        )
        s.add(staff)
        s.flush()
        new_ids[_key(t)] = staff.id
    linked = 0
    existing = {
        (gid, sid)
        for gid, sid in s.execute(
            sa.select(group_teachers.c.group_id, group_teachers.c.staff_id).where(
                group_teachers.c.group_id.in_(list(groups.values()))
            )
        )
    }
    for link in plan.teacher_links:
        gid = groups[link.group_name.casefold()]
        sid = link.staff_id if link.staff_id is not None else new_ids[_key(link.teacher)]
        if (gid, sid) in existing:
            continue
        s.execute(sa.insert(group_teachers).values(group_id=gid, staff_id=sid))
        existing.add((gid, sid))
        linked += 1
        if link.staff_id is not None:
            known = s.get(Staff, sid)
            if known is not None and not known.active:
                known.active = True  # a teacher on a group in this year's export works here
    return len(new_ids), linked


def _key(name: PersonName) -> tuple[str, str]:
    return person_key(name.first_name, name.tussenvoegsel, name.last_name)


def _first_level_id(s: Session, school_id: int) -> int | None:
    school = s.get(School, school_id)
    if school is None or school.support_structure is None:
        return None
    levels = school.support_structure.active_levels
    return levels[0].id if levels else None


def _insert_new_pupils(
    s: Session,
    plan: ImportPlan,
    year_id: int,
    groups: dict[str, int],
    actor: str,
    step: Callable[[int], None],
) -> None:
    level_id = _first_level_id(s, plan.school_id)
    source = f"Ingeschreven via import uit '{plan.path.name}'."
    for part in _chunks(plan.new):
        rows: list[dict[str, Any]] = []
        for item in part:
            d = item.data
            rows.append(
                {
                    "school_id": plan.school_id,
                    "lvs_id": d.lvs_id,
                    "first_name": d.name.first_name,
                    "tussenvoegsel": d.name.tussenvoegsel,
                    "last_name": d.name.last_name,
                    "gender": d.gender,
                    "birth_date": d.birth_date,
                    "first_school_day": d.first_school_day,
                    "enrolled_on": d.enrolled_on,
                    "group_id": groups[d.group.name.casefold()] if d.group else None,
                    "status": PupilStatus.ACTIEF,
                    "version": 1,
                }
            )
        ids = list(
            s.scalars(sa.insert(Pupil).returning(Pupil.id, sort_by_parameter_order=True), rows)
        )
        memberships = [
            {"pupil_id": pid, "school_year_id": year_id, "group_id": row["group_id"]}
            for pid, row in zip(ids, rows, strict=True)
            if row["group_id"] is not None
        ]
        if memberships:
            s.execute(sa.insert(GroupMembership), memberships)
        if level_id is not None:
            assignments = []
            for pid, item in zip(ids, part, strict=True):
                start = item.data.enrolled_on or item.data.first_school_day or plan.today
                assignments.append(
                    {
                        "pupil_id": pid,
                        "level_id": level_id,
                        "area": "",
                        "start_date": min(start, plan.today),
                        "reason": NEW_PUPIL_REASON,
                        "decided_by_name": actor,
                    }
                )
            s.execute(sa.insert(LevelAssignment), assignments)
        s.execute(
            sa.insert(ChangeLog),
            [
                {
                    "actor": actor,
                    "entity": "pupil",
                    "entity_id": pid,
                    "action": "aangemaakt",
                    "summary": source,
                }
                for pid in ids
            ],
        )
        step(len(part))


_PUPIL_FIELDS = (
    "lvs_id", "first_name", "tussenvoegsel", "last_name", "birth_date", "gender", "enrolled_on",
    "first_school_day", "status", "left_on", "delete_after", "group_id",
)  # fmt: skip


def _update_changed(
    s: Session,
    plan: ImportPlan,
    year_id: int,
    groups: dict[str, int],
    actor: str,
    step: Callable[[int], None],
) -> None:
    """Update the changed pupils with one statement per chunk.

    Like the ORM's optimistic locking, each row is only updated when its ``version`` is still
    the one the plan saw, and the version moves on, so a pupil file open elsewhere notices.
    (The ORM would send one UPDATE per pupil; at the start of a school year every pupil
    changes group.)
    """
    table = cast(sa.Table, Pupil.__table__)
    stmt = (
        table.update()
        .where(table.c.id == sa.bindparam("b_id"), table.c.version == sa.bindparam("b_version"))
        .values({name: sa.bindparam(name) for name in (*_PUPIL_FIELDS, "version", "updated_at")})
    )
    check_rowcount = s.get_bind().dialect.supports_sane_multi_rowcount
    stamp = now()
    for part in _chunks(plan.changed):
        ids = [c.pupil_id for c in part]
        current = {
            row.id: row._mapping
            for row in s.execute(
                sa.select(table.c.id, *(table.c[name] for name in _PUPIL_FIELDS)).where(
                    table.c.id.in_(ids)
                )
            )
        }
        memberships = dict(
            s.execute(
                sa.select(GroupMembership.pupil_id, GroupMembership.id).where(
                    GroupMembership.pupil_id.in_(ids), GroupMembership.school_year_id == year_id
                )
            ).all()
        )
        params: list[dict[str, Any]] = []
        new_memberships: list[dict[str, int]] = []
        moved_memberships: list[dict[str, int]] = []
        log_rows: list[dict[str, Any]] = []
        reopen: list[tuple[int, date | None]] = []
        enrolled: list[ChangedPupil] = []
        for change in part:
            d = change.data
            row = current[change.pupil_id]
            values = _changed_values(change, row)
            if change.reenrol:
                reopen.append((change.pupil_id, row["left_on"]))
            elif change.enrol:
                enrolled.append(change)
            if change.group_changed and d.group is not None:
                gid = groups[d.group.name.casefold()]
                values["group_id"] = gid
                if change.pupil_id in memberships:
                    moved_memberships.append(
                        {"b_id": memberships[change.pupil_id], "group_id": gid}
                    )
                else:
                    new_memberships.append(
                        {"pupil_id": change.pupil_id, "school_year_id": year_id, "group_id": gid}
                    )
            params.append(
                {
                    **values,
                    "b_id": change.pupil_id,
                    "b_version": change.version,
                    "version": change.version + 1,
                    "updated_at": stamp,
                }
            )
            log_rows += _change_log_rows(change, actor)
        result = cast(CursorResult[Any], s.execute(stmt, params))
        if check_rowcount and result.rowcount != len(params):
            raise StalePlanError(_STALE_MESSAGE)
        _write_memberships(s, new_memberships, moved_memberships)
        if log_rows:
            s.execute(sa.insert(ChangeLog), log_rows)
        for pupil_id, left_on in reopen:
            _reopen_levels(s, pupil_id, left_on)
        _first_level_for_enrolled(s, plan, enrolled)
        step(len(part))


def _write_memberships(
    s: Session, new_memberships: list[dict[str, int]], moved_memberships: list[dict[str, int]]
) -> None:
    """This school year's group of the pupils who changed group: new rows, or moved ones."""
    if new_memberships:
        s.execute(sa.insert(GroupMembership), new_memberships)
    if moved_memberships:
        memberships_table = cast(sa.Table, GroupMembership.__table__)
        s.execute(
            memberships_table.update()
            .where(memberships_table.c.id == sa.bindparam("b_id"))
            .values(group_id=sa.bindparam("group_id")),
            moved_memberships,
        )


def _changed_values(change: ChangedPupil, row: Any) -> dict[str, Any]:
    """The pupil's columns after the change: the file's name, its filled-in values, and
    active again when re-enrolled or enrolled (empty cells never erase anything)."""
    d = change.data
    values = {name: row[name] for name in _PUPIL_FIELDS}
    values.update(
        first_name=d.name.first_name,
        tussenvoegsel=d.name.tussenvoegsel,
        last_name=d.name.last_name,
    )
    for name in ("lvs_id", "birth_date", "gender", "enrolled_on", "first_school_day"):
        if getattr(d, name):
            values[name] = getattr(d, name)
    if change.reenrol:
        values.update(status=PupilStatus.ACTIEF, left_on=None, delete_after=None)
    elif change.enrol:
        values["status"] = PupilStatus.ACTIEF
    return values


def _change_log_rows(change: ChangedPupil, actor: str) -> list[dict[str, Any]]:
    """A change-log row per field the import changes."""
    return [
        {
            "actor": actor,
            "entity": "pupil",
            "entity_id": change.pupil_id,
            "action": "gewijzigd",
            "field": fc.field,
            "old_value": fc.old,
            "new_value": fc.new,
            "summary": "Bijgewerkt via import.",
        }
        for fc in change.changes
    ]


def _first_level_for_enrolled(s: Session, plan: ImportPlan, enrolled: list[ChangedPupil]) -> None:
    """A registered child who is now enrolled starts on level 1, like a new pupil."""
    if not enrolled:
        return
    level_id = _first_level_id(s, plan.school_id)
    ids = [c.pupil_id for c in enrolled]
    placed = set(
        s.scalars(
            sa.select(LevelAssignment.pupil_id).where(
                LevelAssignment.pupil_id.in_(ids),
                LevelAssignment.area == "",
                LevelAssignment.end_date.is_(None),
            )
        )
    )
    rows = [
        {
            "pupil_id": c.pupil_id,
            "level_id": level_id,
            "area": "",
            "start_date": min(c.data.enrolled_on or plan.today, plan.today),
            "reason": NEW_PUPIL_REASON,
        }
        for c in enrolled
        if c.pupil_id not in placed
    ]
    if rows and level_id is not None:
        s.execute(sa.insert(LevelAssignment), rows)


def _reopen_levels(s: Session, pupil_id: int, left_on: date | None) -> None:
    """A pupil enrolled again: the levels closed on the day of leaving are open again."""
    if left_on is None:
        return
    latest: dict[str, LevelAssignment] = {}
    for a in s.scalars(
        sa.select(LevelAssignment)
        .where(LevelAssignment.pupil_id == pupil_id)
        .order_by(LevelAssignment.start_date, LevelAssignment.id)
    ):
        latest[a.area] = a
    for a in latest.values():
        if a.end_date == left_on:
            a.end_date = None
    s.flush()


def _mark_leavers(
    s: Session,
    plan: ImportPlan,
    confirmed: list[int],
    left_on: date,
    actor: str,
    step: Callable[[int], None],
) -> None:
    """Mark the confirmed leavers as left, the way a departure registered by hand does:
    open levels end on the day of leaving, the file is kept for the retention period."""
    school = s.get(School, plan.school_id)
    settings = (school.settings if school else None) or {}
    years = int(settings.get("retention_years", RETENTION_YEARS))
    for part in _chunks(confirmed):
        ids = list(part)
        open_levels: dict[int, list[LevelAssignment]] = {}
        for a in s.scalars(
            sa.select(LevelAssignment).where(
                LevelAssignment.pupil_id.in_(ids), LevelAssignment.end_date.is_(None)
            )
        ):
            open_levels.setdefault(a.pupil_id, []).append(a)
        for pupil in s.scalars(sa.select(Pupil).where(Pupil.id.in_(ids))):
            # Never before the pupil came: a pupil enrolled after the end of the last school
            # year who is gone again leaves no earlier than the enrolment.
            day = max(left_on, pupil.birth_date, pupil.enrolled_on or pupil.birth_date)
            for a in open_levels.get(pupil.id, []):
                a.end_date = max(day, a.start_date)
            pupil.status = PupilStatus.VERTROKKEN
            pupil.left_on = day
            pupil.group_id = None
            pupil.delete_after = day + relativedelta(years=years)
            audit.record(
                s,
                "pupil",
                pupil.id,
                "vertrokken",
                field="status",
                old="actief",
                new="vertrokken",
                summary=LEFT_SUMMARY,
                actor=actor,
            )
        s.flush()
        step(len(part))
