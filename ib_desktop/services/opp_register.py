"""The OPP-register: every OPP of the school with its start and end date, on one list.

The school registers only that an OPP exists (start and end date) with the national registry,
never its content. Looking those dates up pupil by pupil costs the IB-er an afternoon; this list
gives them at once, with what the IB-er needs beside them to keep the OPPs up to date: the
current version and its status, when the newest fixed version was agreed, and when the next
evaluation with the parents is due (from the schedule engine, so it is the same date the agenda
shows).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_bounds, short_date
from ib_desktop.models import (
    Group,
    GroupMembership,
    MomentKind,
    Opp,
    OppStatus,
    OppVersion,
    Pupil,
    PupilStatus,
    SchoolYear,
    dutch_name,
    sort_name,
)
from ib_desktop.reports.labels import OPP_STATUS
from ib_desktop.schedule import SOURCE_OPP, compute_moments
from ib_desktop.services.pupil_list import fold
from ib_desktop.spreadsheet_safety import write_csv

RUNNING = "lopend"
ENDED = "beëindigd"

#: The CSV's columns, in Dutch: what Excel shows in the first row.
CSV_HEADERS = (
    "Leerlingnummer",
    "Naam",
    "Sorteernaam",
    "Geboortedatum",
    "Groep",
    "Startdatum OPP",
    "Einddatum OPP",
    "Status OPP",
    "Versie",
    "Status versie",
    "Vastgesteld op",
    "Volgende evaluatie",
)

_YEAR_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{4})\s*$")


@dataclass(frozen=True)
class OppRegisterRow:
    """One OPP on the register (plain values: safe to hand to a screen or a file)."""

    opp_id: int
    pupil_id: int
    lvs_id: str  # the pupil's number in the school's LVS ("" when not imported)
    pupil_name: str  # "Sanne de Vries"
    sort_name: str  # "Vries, Sanne de"
    birth_date: date
    group_name: str  # "" when the pupil has no group (any more)
    pupil_status: PupilStatus
    start_date: date
    end_date: date | None  # None while the OPP runs without a planned end
    state: str  # RUNNING or ENDED, in Dutch
    version_number: int | None  # the current (newest) version; None without versions
    version_status: OppStatus | None
    fixed_on: date | None  # vastgesteld: the newest version that was fixed
    next_evaluation: date | None  # the earliest open OPP evaluation; None when nothing is due

    @property
    def is_running(self) -> bool:
        """True while the OPP has not ended."""
        return self.state == RUNNING

    @property
    def version_status_label(self) -> str:
        """ "Vastgesteld", "Concept", ... (empty without versions)."""
        return OPP_STATUS.get(self.version_status, "") if self.version_status else ""

    def evaluation_overdue(self, today: date) -> bool:
        """The next evaluation's day has passed without it being done."""
        return self.next_evaluation is not None and self.next_evaluation < today


def parse_school_year(label: str) -> str:
    """ "2025-2026" from what the user typed ("2025-2026", "2025/2026"); ValueError in Dutch."""
    m = _YEAR_LABEL.match(label or "")
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise ValueError(f"'{label}' is geen schooljaar (schrijf bijvoorbeeld 2025-2026).")
    return f"{m.group(1)}-{m.group(2)}"


def school_year_period(session: Session, label: str) -> tuple[int | None, date, date]:
    """The school year's id (None when the database does not know it) and its first and last day.

    The database's own dates win: a school may start its year on another day than 1 August.
    """
    label = parse_school_year(label)
    row = session.execute(
        sa.select(SchoolYear.id, SchoolYear.start_date, SchoolYear.end_date).where(
            SchoolYear.label == label
        )
    ).first()
    if row is not None:
        return row[0], row[1], row[2]
    start, end = school_year_bounds(label)
    return None, start, end


def state_of(end_date: date | None, today: date) -> str:
    """ "lopend" until the end date has passed, then "beëindigd"."""
    return RUNNING if end_date is None or end_date >= today else ENDED


def next_opp_evaluations(session: Session, school_id: int, *, today: date) -> dict[int, date]:
    """Per OPP the due date of its earliest open evaluation with the parents.

    One run of the schedule engine for the whole school: the engine gives the next open moment
    of every chain, in date order, so the first one seen per OPP is the earliest.
    """
    out: dict[int, date] = {}
    for m in compute_moments(session, school_id, today=today):
        if (
            m.kind == MomentKind.OPP_EVALUATIE
            and m.source_kind == SOURCE_OPP
            and m.source_id is not None
            and m.done_on is None
            and m.source_id not in out
        ):
            out[m.source_id] = m.due
    return out


def opp_register(
    session: Session,
    school_id: int,
    *,
    today: date,
    school_year: str | None = None,
    running_only: bool = False,
) -> list[OppRegisterRow]:
    """Every OPP of the school, sorted by the pupil's name as Dutch lists sort it.

    ``school_year`` ("2025-2026") keeps the OPPs that ran on at least one day of that year, and
    names the pupil's group of that year (the current group when the year has none for them).
    ``running_only`` keeps the OPPs that have not ended on ``today``. Reads only.
    """
    year_id: int | None = None
    query = (
        sa.select(
            Opp.id,
            Opp.pupil_id,
            Opp.start_date,
            Opp.end_date,
            Pupil.first_name,
            Pupil.tussenvoegsel,
            Pupil.last_name,
            Pupil.birth_date,
            Pupil.status,
            Group.name,
            Pupil.lvs_id,
        )
        .join(Pupil, Pupil.id == Opp.pupil_id)
        .outerjoin(Group, Group.id == Pupil.group_id)
        .where(Pupil.school_id == school_id)
    )
    if school_year is not None:
        year_id, first_day, last_day = school_year_period(session, school_year)
        query = query.where(
            Opp.start_date <= last_day,
            sa.or_(Opp.end_date.is_(None), Opp.end_date >= first_day),
        )
    if running_only:
        query = query.where(sa.or_(Opp.end_date.is_(None), Opp.end_date >= today))
    opps = session.execute(query).all()
    if not opps:
        return []

    group_in_year: dict[int, str] = {}
    if year_id is not None:
        group_in_year = dict(
            session.execute(
                sa.select(GroupMembership.pupil_id, Group.name)
                .join(Group, Group.id == GroupMembership.group_id)
                .join(Pupil, Pupil.id == GroupMembership.pupil_id)
                .where(GroupMembership.school_year_id == year_id, Pupil.school_id == school_id)
            ).all()
        )

    versions: dict[int, list[tuple[int, OppStatus, date | None]]] = defaultdict(list)
    for opp_id, number, status, fixed_on in session.execute(
        sa.select(OppVersion.opp_id, OppVersion.number, OppVersion.status, OppVersion.fixed_on)
        .join(Opp, Opp.id == OppVersion.opp_id)
        .join(Pupil, Pupil.id == Opp.pupil_id)
        .where(Pupil.school_id == school_id)
    ):
        versions[opp_id].append((number, status, fixed_on))

    next_due = next_opp_evaluations(session, school_id, today=today)

    rows: list[OppRegisterRow] = []
    for opp_id, pid, start, end, first, tv, last, birth, p_status, group, lvs_id in opps:
        vs = sorted(versions.get(opp_id, []), key=lambda v: v[0])
        current = vs[-1] if vs else None
        fixed = [v[2] for v in vs if v[2] is not None]
        rows.append(
            OppRegisterRow(
                opp_id=opp_id,
                pupil_id=pid,
                lvs_id=lvs_id or "",
                pupil_name=dutch_name(first, tv, last),
                sort_name=sort_name(first, tv, last),
                birth_date=birth,
                group_name=group_in_year.get(pid, group or ""),
                pupil_status=PupilStatus(p_status),
                start_date=start,
                end_date=end,
                state=state_of(end, today),
                version_number=current[0] if current else None,
                version_status=OppStatus(current[1]) if current else None,
                fixed_on=fixed[-1] if fixed else None,
                next_evaluation=next_due.get(opp_id),
            )
        )
    rows.sort(key=lambda r: (fold(r.sort_name), r.birth_date, r.start_date, r.opp_id))
    return rows


def register_csv_rows(rows: list[OppRegisterRow]) -> list[list[object]]:
    """The register as CSV rows: Dutch headers, then a row per OPP with dates as dd-mm-jjjj."""
    header: list[object] = list(CSV_HEADERS)
    return [header] + [
        [
            r.lvs_id,  # the number the school's administration knows the pupil by
            r.pupil_name,
            r.sort_name,
            short_date(r.birth_date),
            r.group_name,
            short_date(r.start_date),
            short_date(r.end_date),
            r.state,
            r.version_number if r.version_number is not None else "",
            r.version_status_label,
            short_date(r.fixed_on),
            short_date(r.next_evaluation),
        ]
        for r in rows
    ]


def write_register_csv(rows: list[OppRegisterRow], path: str | os.PathLike[str]) -> Path:
    """Write the register to a CSV file that Excel on a Dutch laptop opens without asking.

    UTF-8 with a BOM and semicolons, as the importer's rejected-rows file. Written to a
    temporary file first, so an existing register is only replaced by a complete one.
    No cell is a formula: a name like "=HYPERLINK(...)" is written as text.
    """
    return write_csv(path, register_csv_rows(rows))
