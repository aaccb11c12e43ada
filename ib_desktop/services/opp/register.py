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
    School,
    SchoolYear,
    dutch_name,
    sort_name,
)
from ib_desktop.schedule import SOURCE_OPP, compute_moments
from ib_desktop.services.labels import OPP_STATUS
from ib_desktop.services.pupil.listing import fold
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
    left_on: date | None = None  # the day the pupil left the school (None while enrolled)
    left_destination: str = ""  # where the pupil went, as stored ("SBO: De Brug")

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
    from ib_desktop.services.accounts.access import require_whole_school

    require_whole_school(session, "Het OPP-register")
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
            Pupil.left_on,
            Pupil.left_destination,
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
    for (
        opp_id,
        pid,
        start,
        end,
        first,
        tv,
        last,
        birth,
        p_status,
        group,
        lvs_id,
        left_on,
        dest,
    ) in opps:
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
                left_on=left_on,
                left_destination=dest or "",
            )
        )
    rows.sort(key=lambda r: (fold(r.sort_name), r.birth_date, r.start_date, r.opp_id))
    return rows


#: The extra columns for the administration's upload to DUO: dates as EEJJMMDD.
DUO_CSV_HEADERS = ("Begindatum OPP (EEJJMMDD)", "Einddatum OPP (EEJJMMDD)")


def duo_date(day: date | None) -> str:
    """A date as DUO's register wants it: EEJJMMDD ("20260901"); empty for no date."""
    return day.strftime("%Y%m%d") if day is not None else ""


def register_csv_rows(rows: list[OppRegisterRow], *, duo_dates: bool = False) -> list[list[object]]:
    """The register as CSV rows: Dutch headers, then a row per OPP with dates as dd-mm-jjjj.

    With ``duo_dates`` two columns follow with the start and end date as EEJJMMDD, the format
    of DUO's register, so the administration can copy them into its upload without retyping.
    """
    header: list[object] = [*CSV_HEADERS, *(DUO_CSV_HEADERS if duo_dates else ())]
    body: list[list[object]] = [
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
            *((duo_date(r.start_date), duo_date(r.end_date)) if duo_dates else ()),
        ]
        for r in rows
    ]
    return [header, *body]


def write_register_csv(
    rows: list[OppRegisterRow], path: str | os.PathLike[str], *, duo_dates: bool = False
) -> Path:
    """Write the register to a CSV file that Excel on a Dutch laptop opens without asking.

    UTF-8 with a BOM and semicolons, as the importer's rejected-rows file. Written to a
    temporary file first, so an existing register is only replaced by a complete one.
    No cell is a formula: a name like "=HYPERLINK(...)" is written as text.
    """
    return write_csv(path, register_csv_rows(rows, duo_dates=duo_dates))


# --- the checks DUO's register (ROD, formerly BRON) makes before it accepts the periods ---

OVERLAP = "overlap"
TWO_OPEN = "twee_open"
LEFT_WITHOUT_END = "vertrokken_zonder_einddatum"
SBO_PUPIL = "sbo_leerling"

_SBO_WORDS = re.compile(r"\b(sbo|speciaal\s+basisonderwijs)\b", re.IGNORECASE)


@dataclass(frozen=True)
class RegisterProblem:
    """Something DUO's register would refuse, about one pupil (message in Dutch)."""

    code: str  # OVERLAP, TWO_OPEN, LEFT_WITHOUT_END or SBO_PUPIL
    pupil_id: int
    pupil_name: str
    opp_ids: tuple[int, ...]
    message: str

    def __str__(self) -> str:
        return f"{self.pupil_name}: {self.message}"


def went_to_sbo(destination: str) -> bool:
    """True when a stored destination says the pupil left to an SBO school."""
    from ib_desktop.services.pupil import LeaveKind, parse_destination

    kind, text = parse_destination(destination or "")
    if kind is not None:
        return kind == LeaveKind.SBO
    return bool(_SBO_WORDS.search(text))


def school_is_sbo(session: Session, school_id: int) -> bool:
    """True when the school itself is an SBO school (``school_type`` "sbo" in its settings)."""
    settings = session.execute(sa.select(School.settings).where(School.id == school_id)).scalar()
    return str((settings or {}).get("school_type", "")).strip().lower() == "sbo"


def _period(r: OppRegisterRow) -> str:
    end = short_date(r.end_date) if r.end_date else "zonder einddatum"
    return f"{short_date(r.start_date)} – {end}"


#: One thing DUO would refuse: its code, the OPPs it is about, and the message.
Finding = tuple[str, list[OppRegisterRow], str]


def _two_open(opps: list[OppRegisterRow]) -> list[Finding]:
    open_ones = [r for r in opps if r.end_date is None]
    if len(open_ones) <= 1:
        return []
    return [
        (
            TWO_OPEN,
            open_ones,
            f"{len(open_ones)} OPP's zonder einddatum (vanaf "
            + " en ".join(short_date(r.start_date) for r in open_ones)
            + "); DUO accepteert er één open per inschrijving. Beëindig het oude OPP.",
        )
    ]


def _overlaps(opps: list[OppRegisterRow]) -> list[Finding]:
    found = []
    for i, a in enumerate(opps):
        for b in opps[i + 1 :]:
            if a.end_date is None and b.end_date is None:
                continue  # reported as two open OPPs
            a_end = a.end_date or date.max
            b_end = b.end_date or date.max
            if a.start_date <= b_end and b.start_date <= a_end:
                found.append(
                    (
                        OVERLAP,
                        [a, b],
                        f"de OPP-perioden {_period(a)} en {_period(b)} overlappen; DUO "
                        "weigert overlappende perioden. Laat het ene OPP eindigen vóór het "
                        "andere begint.",
                    )
                )
    return found


def _left_without_end(opps: list[OppRegisterRow]) -> list[Finding]:
    left_on = opps[0].left_on
    if left_on is None:
        return []
    return [
        (
            LEFT_WITHOUT_END,
            [r],
            f"vertrokken op {short_date(left_on)}, maar het OPP van "
            f"{short_date(r.start_date)} heeft geen einddatum. Vul de einddatum in "
            "(uiterlijk de dag van vertrek).",
        )
        for r in opps
        if r.end_date is None
    ]


def _sbo(opps: list[OppRegisterRow], sbo_school: bool) -> list[Finding]:
    if sbo_school:
        return [
            (
                SBO_PUPIL,
                opps,
                "leerling van een SBO-school; DUO registreert geen OPP voor SBO-leerlingen.",
            )
        ]
    first = opps[0]
    if first.left_on is None or not went_to_sbo(first.left_destination):
        return []
    after = [r for r in opps if r.end_date is None or r.end_date > first.left_on]
    if not after:
        return []
    return [
        (
            SBO_PUPIL,
            after,
            f"naar het SBO vertrokken op {short_date(first.left_on)}, maar het OPP "
            "loopt daarna door; DUO registreert geen OPP voor SBO-leerlingen. Laat het "
            "OPP eindigen op de dag van vertrek.",
        )
    ]


def check_register(
    rows: list[OppRegisterRow], *, sbo_school: bool = False
) -> list[RegisterProblem]:
    """What DUO's register would refuse, per pupil, in the order of the list.

    The rules: a pupil's OPP periods may not overlap, at most one may be open (without an end
    date) per enrolment, a pupil who left needs an end date, and pupils of an SBO school get no
    OPP in the register (for a pupil who left to an SBO, the OPP must end when they leave).
    """
    problems: list[RegisterProblem] = []
    by_pupil: dict[int, list[OppRegisterRow]] = defaultdict(list)
    for r in rows:
        by_pupil[r.pupil_id].append(r)
    for pupil_id, opps in by_pupil.items():
        opps = sorted(opps, key=lambda r: (r.start_date, r.opp_id))
        found = _two_open(opps) + _overlaps(opps) + _left_without_end(opps) + _sbo(opps, sbo_school)
        problems += [
            RegisterProblem(
                code, pupil_id, opps[0].pupil_name, tuple(r.opp_id for r in which), text
            )
            for code, which, text in found
        ]
    return problems
