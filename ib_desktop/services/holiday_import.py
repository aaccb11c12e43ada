"""Holidays loaded from a file: the Rijksoverheid open data (JSON or CSV) or a school's .ics.

The shipped years run out and a school has its own study days, so a school can load holidays
itself. Three shapes are understood:

* the open-data JSON of opendata.rijksoverheid.nl (schoolvakanties): a list of documents, each
  with ``content`` -> ``schoolyear`` and ``vacations`` -> ``type`` and ``regions`` (``noord``,
  ``midden``, ``zuid`` or ``heel Nederland``) with ISO ``startdate``/``enddate``;
* the same as CSV (``Schooljaar;Vakantie;Regio;Startdatum;Einddatum``; delimiter and header
  names are detected, case does not matter);
* an .ics calendar (the school's own, with its study days): every all-day event is a period the
  school is closed, its SUMMARY the name; DTEND is exclusive (RFC 5545).

Nothing is saved by reading: ``plan_changes`` compares the file with the stored list and gives
what would be added, changed and removed per region, so the school sees it first;
``apply_changes`` then carries the plan out in one unit of work.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ib_desktop.dates import school_year_label, short_date
from ib_desktop.models import Holiday, Region
from ib_desktop.services.holidays import MAX_HOLIDAY_DAYS, HolidaySpec, list_holidays
from ib_desktop.validation import ConcurrentEditError

MAX_FILE_BYTES = 5_000_000
ADDED = "toegevoegd"
CHANGED = "gewijzigd"
REMOVED = "verwijderd"

#: The vacations the open data knows; a stored holiday with one of these names in a school year
#: the file covers, but missing from the file, is removed when open data is applied.
VACATION_NAMES = (
    "Herfstvakantie",
    "Kerstvakantie",
    "Voorjaarsvakantie",
    "Meivakantie",
    "Zomervakantie",
)
_ALL_REGIONS = ("heel nederland", "heel nl", "alle regio's", "alle regios", "alle", "nederland")


class HolidayFileError(ValueError):
    """The file cannot be read as holidays; ``str()`` is a Dutch message for the school."""


class HolidayPlanOutdated(ConcurrentEditError):
    """The stored holidays changed after the preview was made; nothing of the plan was saved.

    ``str()`` is a Dutch message naming the holidays that changed; ``names`` holds them.
    """

    def __init__(self, names: list[str]) -> None:
        self.names = names
        listed = ", ".join(f"'{n}'" for n in names) if names else "een vakantie"
        RuntimeError.__init__(
            self,
            f"Iemand anders heeft {listed} intussen gewijzigd. Er is niets opgeslagen: bekijk "
            "de wijzigingen opnieuw (laad het bestand nog eens) en kies dan opnieuw.",
        )


@dataclass
class LoadedHolidays:
    """What a file holds: periods per region, the school years it covers and remarks."""

    kind: str  # "open data (JSON)", "open data (CSV)" or "agenda (.ics)"
    periods: dict[Region, list[HolidaySpec]] = field(default_factory=dict)
    school_years: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    removes_missing: bool = False  # open data lists all vacations of its years

    def add(self, region: Region, spec: HolidaySpec) -> None:
        """Add a period once (a file may repeat one, e.g. "heel Nederland" and a region)."""
        rows = self.periods.setdefault(region, [])
        same_start = next((r for r in rows if r.start == spec.start), None)
        if same_start is not None:
            if (same_start.name, same_start.end) != (spec.name, spec.end):
                # The list keeps one period per first day: the longer one wins.
                keep, drop = (spec, same_start) if spec.end > same_start.end else (same_start, spec)
                rows[rows.index(same_start)] = keep
                self.warnings.append(
                    f"'{drop.name}' begint op dezelfde dag als '{keep.name}' "
                    f"({short_date(spec.start)}); alleen '{keep.name}' is overgenomen."
                )
            return
        rows.append(spec)
        self.school_years.add(school_year_label(spec.start))


@dataclass(frozen=True)
class HolidayChange:
    """One line of the preview: a period added, changed or removed in a region."""

    region: Region
    kind: str  # ADDED, CHANGED or REMOVED
    old: HolidaySpec | None
    new: HolidaySpec | None

    def describe(self) -> str:
        """A Dutch line for the preview and the command line."""

        def span(h: HolidaySpec) -> str:
            if h.start == h.end:
                return short_date(h.start)
            return f"{short_date(h.start)} t/m {short_date(h.end)}"

        if self.kind == ADDED and self.new is not None:
            return f"{self.new.name}: {span(self.new)} (nieuw)"
        if self.kind == REMOVED and self.old is not None:
            return f"{self.old.name}: {span(self.old)} (vervalt)"
        assert self.old is not None
        assert self.new is not None
        name = (
            self.new.name
            if self.new.name == self.old.name
            else (f"{self.old.name} → {self.new.name}")
        )
        return f"{name}: {span(self.old)} → {span(self.new)}"


# --- reading -----------------------------------------------------------------------------------


def clean_name(text: Any) -> str:
    """ "Herfstvakantie " -> "Herfstvakantie": trimmed, NFC, one space, first letter upper."""
    name = " ".join(unicodedata.normalize("NFC", str(text or "")).split())
    return (name[:1].upper() + name[1:])[:80]


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().strip()


def parse_regions(text: Any) -> list[Region]:
    """ "noord" -> [NOORD]; "heel Nederland" -> all three; unknown -> []."""
    value = " ".join(str(text or "").split()).casefold().removeprefix("regio ").strip()
    if value in _ALL_REGIONS:
        return list(Region)
    try:
        return [Region(value)]
    except ValueError:
        return []


def parse_day(text: Any) -> date:
    """A date from the open data: "2026-10-17T00:00:00.000Z", "2026-10-17" or "17-10-2026".

    A time in UTC is read on the Dutch calendar (22:00Z the day before is that day in
    Amsterdam), so a file that writes midnight in Dutch time as UTC still gives the right day.
    """
    value = str(text or "").strip()
    if not value:
        raise ValueError("geen datum")
    if "T" in value or " " in value.strip():
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
            try:
                from zoneinfo import ZoneInfo

                moment = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
            except Exception:  # no time zone data on this machine: CET is close enough
                moment = moment + timedelta(hours=1)
        return moment.date()
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
    if m:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return date.fromisoformat(value)


def _period(
    loaded: LoadedHolidays, where: str, name: Any, start: Any, end: Any
) -> HolidaySpec | None:
    """A checked period, or None with a Dutch remark in ``loaded.warnings``."""
    title = clean_name(name)
    if not title:
        loaded.warnings.append(f"{where}: geen naam; overgeslagen.")
        return None
    try:
        first, last = parse_day(start), parse_day(end)
    except (TypeError, ValueError):
        loaded.warnings.append(f"{where} ({title}): de datum is niet te lezen; overgeslagen.")
        return None
    if last < first:
        loaded.warnings.append(f"{where} ({title}): de einddatum ligt vóór de begindatum.")
        return None
    if (last - first).days + 1 > MAX_HOLIDAY_DAYS:
        loaded.warnings.append(
            f"{where} ({title}): langer dan {MAX_HOLIDAY_DAYS} dagen; overgeslagen."
        )
        return None
    return HolidaySpec(title, first, last)


def read_open_data_json(data: bytes) -> LoadedHolidays:
    """The open-data JSON of the Rijksoverheid (one document, a list of them, or ``content``)."""
    try:
        doc = json.loads(_text(data))
    except json.JSONDecodeError as exc:
        raise HolidayFileError(
            f"Dit is geen leesbaar JSON-bestand (regel {exc.lineno}): {exc.msg}."
        ) from None
    loaded = LoadedHolidays("open data (JSON)", removes_missing=True)
    for year in _content_items(doc):
        label = str(year.get("schoolyear", "")).strip()
        vacations = year.get("vacations")
        if not isinstance(vacations, list):
            continue
        for vacation in vacations:
            if not isinstance(vacation, dict):
                continue
            regions = vacation.get("regions")
            for entry in regions if isinstance(regions, list) else []:
                if not isinstance(entry, dict):
                    continue
                where = f"Schooljaar {label or '?'}, regio {entry.get('region', '?')}"
                targets = parse_regions(entry.get("region"))
                if not targets:
                    loaded.warnings.append(f"{where}: onbekende regio; overgeslagen.")
                    continue
                spec = _period(
                    loaded, where, vacation.get("type"), entry.get("startdate"),
                    entry.get("enddate"),
                )  # fmt: skip
                for region in targets if spec else []:
                    loaded.add(region, spec)  # type: ignore[arg-type]
    if not loaded.periods:
        raise HolidayFileError(
            "In dit JSON-bestand staan geen schoolvakanties in de vorm van de open data van de "
            "Rijksoverheid (schoolyear, vacations, regions)."
        )
    return loaded


def _content_items(doc: Any) -> Iterable[dict[str, Any]]:
    """Every school-year object in the document, however deeply the download wraps it."""
    if isinstance(doc, list):
        for item in doc:
            yield from _content_items(item)
    elif isinstance(doc, dict):
        if "vacations" in doc:
            yield doc
        for key in ("content", "documents", "data", "items"):
            if key in doc:
                yield from _content_items(doc[key])


_CSV_COLUMNS = {
    "year": ("schooljaar", "schoolyear", "school year"),
    "name": ("vakantie", "type", "naam", "soort", "vacation"),
    "region": ("regio", "region", "regios"),
    "start": ("startdatum", "begindatum", "start", "startdate", "van", "eerste dag"),
    "end": ("einddatum", "enddate", "eind", "tot en met", "t/m", "laatste dag"),
}


def read_open_data_csv(data: bytes) -> LoadedHolidays:
    """The open data as CSV; the delimiter and the (Dutch or English) headers are detected."""
    text = _text(data)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect))  # a lone \r ends a line
    if not rows:
        raise HolidayFileError("Het CSV-bestand is leeg.")
    header = [" ".join(h.split()).casefold().strip('"') for h in rows[0]]
    columns: dict[str, int] = {}
    for what, names in _CSV_COLUMNS.items():
        for i, h in enumerate(header):
            if h in names and what not in columns:
                columns[what] = i
    missing = [w for w in ("name", "region", "start", "end") if w not in columns]
    if missing:
        wanted = {"name": "Vakantie", "region": "Regio", "start": "Startdatum", "end": "Einddatum"}
        raise HolidayFileError(
            "In de eerste regel van het CSV-bestand ontbreken de kolommen "
            + ", ".join(wanted[m] for m in missing)
            + " (verwacht: Schooljaar;Vakantie;Regio;Startdatum;Einddatum)."
        )
    loaded = LoadedHolidays("open data (CSV)", removes_missing=True)
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(what: str, row: list[str] = row) -> str:
            i = columns.get(what)
            return row[i].strip() if i is not None and i < len(row) else ""

        where = f"Regel {number}"
        targets = parse_regions(cell("region"))
        if not targets:
            loaded.warnings.append(f"{where}: onbekende regio '{cell('region')}'; overgeslagen.")
            continue
        spec = _period(loaded, where, cell("name"), cell("start"), cell("end"))
        for region in targets if spec else []:
            loaded.add(region, spec)  # type: ignore[arg-type]
    if not loaded.periods:
        raise HolidayFileError("In dit CSV-bestand staan geen bruikbare vakanties.")
    return loaded


def read_ics(data: bytes, regions: Iterable[Region]) -> LoadedHolidays:
    """A school's own calendar: every all-day event is a period the school is closed.

    Events with a time of day (a meeting), cancelled events and repeating events are left out,
    each with a remark: only days the school is closed belong in the holiday list.
    """
    from icalendar import Calendar

    try:
        cal = Calendar.from_ical(_text(data))
    except Exception as exc:  # icalendar raises ValueError and others on bad input
        raise HolidayFileError(f"Dit is geen leesbaar agendabestand (.ics): {exc}") from None
    targets = list(regions)
    loaded = LoadedHolidays("agenda (.ics)")
    for event in cal.walk("VEVENT"):
        title = clean_name(event.get("SUMMARY", ""))
        where = f"Afspraak '{title or '?'}'"
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if "DTSTART" not in event:
            loaded.warnings.append(f"{where}: geen begindatum; overgeslagen.")
            continue
        start = event.decoded("DTSTART")
        if isinstance(start, datetime):
            loaded.warnings.append(
                f"{where}: heeft een tijd en is dus geen vrije dag; overgeslagen."
            )
            continue
        if "RRULE" in event:
            loaded.warnings.append(f"{where}: herhaalt zich; alleen de eerste keer is overgenomen.")
        if "DTEND" in event:
            end = event.decoded("DTEND")
            end = (end.date() if isinstance(end, datetime) else end) - timedelta(days=1)
        elif "DURATION" in event:
            end = start + event.decoded("DURATION") - timedelta(days=1)
        else:
            end = start  # RFC 5545: an all-day event without end lasts one day
        end = max(end, start)
        spec = _period(loaded, where, title, start.isoformat(), end.isoformat())
        for region in targets if spec else []:
            loaded.add(region, spec)  # type: ignore[arg-type]
    if not loaded.periods:
        raise HolidayFileError(
            "In dit agendabestand staan geen afspraken van een hele dag (vrije dagen)."
        )
    return loaded


def read_holiday_file(
    data: bytes, file_name: str, *, ics_regions: Iterable[Region] = tuple(Region)
) -> LoadedHolidays:
    """Read a file by its extension (or, without one, by its first characters)."""
    if len(data) > MAX_FILE_BYTES:
        raise HolidayFileError("Het bestand is te groot voor een vakantierooster (max. 5 MB).")
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    head = _text(data[:200]).lstrip()
    if suffix == "ics" or head.startswith("BEGIN:VCALENDAR"):
        return read_ics(data, ics_regions)
    if suffix == "json" or head.startswith(("[", "{")):
        return read_open_data_json(data)
    if suffix in ("csv", "txt"):
        return read_open_data_csv(data)
    raise HolidayFileError(
        "Kies een open-databestand van de Rijksoverheid (.json of .csv) of een agenda (.ics)."
    )


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- comparing and applying --------------------------------------------------------------------


def plan_changes(
    session: Session, loaded: LoadedHolidays, regions: Iterable[Region]
) -> list[HolidayChange]:
    """What applying ``loaded`` would do to the stored holidays of these regions (reads only).

    A period in the file that is already stored (same days) changes nothing; one with the same
    name in the same school year, or overlapping a stored one, changes it; anything else is
    added. For open data, a stored vacation (herfst ... zomer) of a school year the file covers
    that the file does not have is removed; study days and national days are never removed.
    """
    changes: list[HolidayChange] = []
    for region in regions:
        new_rows = sorted(loaded.periods.get(region, []), key=lambda h: (h.start, h.end))
        if not new_rows:
            continue
        stored = list_holidays(session, region)
        unmatched = {h.id: h for h in stored}

        def take(
            found: HolidaySpec | None, unmatched: dict[int | None, HolidaySpec] = unmatched
        ) -> HolidaySpec | None:
            if found is not None:
                unmatched.pop(found.id, None)
            return found

        for new in new_rows:
            year = school_year_label(new.start)
            same_days = take(
                next(
                    (h for h in unmatched.values() if (h.start, h.end) == (new.start, new.end)),
                    None,
                )
            )
            if same_days is not None:
                if _key(same_days.name) != _key(new.name) and loaded.kind.startswith("agenda"):
                    changes.append(HolidayChange(region, CHANGED, same_days, new))
                continue
            old = take(
                next(
                    (
                        h
                        for h in unmatched.values()
                        if _key(h.name) == _key(new.name)
                        and school_year_label(h.start) == year
                        and _key(new.name) in {_key(n) for n in VACATION_NAMES}
                    ),
                    None,
                )
                or next((h for h in unmatched.values() if h.start == new.start), None)
                or next(
                    (
                        h
                        for h in unmatched.values()
                        if h.start <= new.end and new.start <= h.end and h.start != h.end
                    ),
                    None,
                )
            )
            kind = ADDED if old is None else CHANGED
            changes.append(HolidayChange(region, kind, old, new))
        if loaded.removes_missing:
            vacation_keys = {_key(n) for n in VACATION_NAMES}
            for h in unmatched.values():
                if (
                    _key(h.name) in vacation_keys
                    and school_year_label(h.start) in loaded.school_years
                ):
                    changes.append(HolidayChange(region, REMOVED, h, None))
    return sorted(
        changes,
        key=lambda c: (list(Region).index(c.region), (c.new or c.old).start),  # type: ignore[union-attr]
    )


def _as_previewed(row: Holiday, old: HolidaySpec) -> bool:
    """True when ``row`` is still stored as the preview showed it (days, name and version)."""
    now = (row.name, row.start_date, row.end_date)
    return now == (old.name, old.start, old.end) and old.version in (None, row.version)


def _stale(session: Session, changes: list[HolidayChange]) -> list[str]:
    """The holidays of the plan that are no longer stored as the preview showed them."""
    stale: list[str] = []
    replaced = {c.old.id for c in changes if c.old is not None and c.kind != ADDED}
    for c in changes:
        if c.kind in (CHANGED, REMOVED) and c.old is not None:
            row = session.get(Holiday, c.old.id, populate_existing=True)
            if row is None:
                continue  # removed meanwhile: a change adds it again, a removal is done
            if not _as_previewed(row, c.old):
                stale.append(row.name)
        elif c.kind == ADDED and c.new is not None:
            clash = session.execute(
                sa.select(Holiday.id, Holiday.name).where(
                    Holiday.region == c.region, Holiday.start_date == c.new.start
                )
            ).first()
            if clash is not None and clash.id not in replaced:
                stale.append(clash.name)
    return stale


def apply_changes(session: Session, changes: Iterable[HolidayChange]) -> int:
    """Carry out a plan from ``plan_changes``; the number of changes made.

    The plan is what the school reviewed, so it is applied only to the holidays as the preview
    showed them: when someone else changed one of them since (or added one on a day the plan
    adds), :class:`HolidayPlanOutdated` is raised and nothing is written. A holiday that someone
    removed in the meantime is added again rather than lost.
    """
    plan = list(changes)
    stale = _stale(session, plan)
    if stale:
        raise HolidayPlanOutdated(stale)
    count = 0
    # Removals first, additions last: the table keeps one holiday per region and first day.
    rank = {REMOVED: 0, CHANGED: 1, ADDED: 2}
    try:
        for c in sorted(plan, key=lambda c: rank.get(c.kind, 3)):
            # The row may be read again here (after a save by someone else): check it again;
            # from here on its version is in the WHERE of the UPDATE or DELETE.
            row = session.get(Holiday, c.old.id) if c.old is not None else None
            if row is not None and c.old is not None and not _as_previewed(row, c.old):
                raise HolidayPlanOutdated([row.name])
            if c.kind == REMOVED and c.old is not None:
                if row is not None:
                    session.delete(row)  # versioned: a save in between makes it miss
            elif c.kind == CHANGED and c.old is not None and c.new is not None:
                if row is None:
                    row = Holiday(region=c.region)
                    session.add(row)
                row.name, row.start_date, row.end_date = c.new.name, c.new.start, c.new.end
            elif c.kind == ADDED and c.new is not None:
                session.add(
                    Holiday(
                        region=c.region,
                        name=c.new.name,
                        start_date=c.new.start,
                        end_date=c.new.end,
                    )
                )
            else:
                continue
            count += 1
            session.flush()
    except StaleDataError as exc:  # another laptop saved between the check and the write
        names = [c.old.name for c in plan if c.old is not None]
        raise HolidayPlanOutdated(names[:1] if len(names) == 1 else []) from exc
    return count


# --- dates shipped wrongly by earlier versions ---------------------------------------------------

#: Vacations that earlier versions shipped with wrong dates: (region, name, old start, old end) ->
#: (official start, official end). A stored row with exactly the old dates was never edited by
#: the school, so it can be corrected; a row the school changed is left alone.
SUPERSEDED_SHIPPED: dict[tuple[str, str, str, str], tuple[str, str]] = {
    **{
        (r, "Meivakantie", "2027-04-24", "2027-05-02"): ("2027-05-01", "2027-05-09")
        for r in ("noord", "midden", "zuid")
    },
    ("noord", "Zomervakantie", "2027-07-03", "2027-08-15"): ("2027-07-10", "2027-08-22"),
    ("midden", "Zomervakantie", "2027-07-10", "2027-08-22"): ("2027-07-17", "2027-08-29"),
    ("zuid", "Zomervakantie", "2027-07-17", "2027-08-29"): ("2027-07-24", "2027-09-05"),
    ("midden", "Herfstvakantie", "2027-10-23", "2027-10-31"): ("2027-10-16", "2027-10-24"),
    ("zuid", "Herfstvakantie", "2027-10-16", "2027-10-24"): ("2027-10-23", "2027-10-31"),
    **{
        (r, "Meivakantie", "2028-04-22", "2028-04-30"): ("2028-04-29", "2028-05-07")
        for r in ("noord", "midden", "zuid")
    },
    ("noord", "Zomervakantie", "2028-07-22", "2028-09-03"): ("2028-07-15", "2028-08-27"),
    ("zuid", "Zomervakantie", "2028-07-15", "2028-08-27"): ("2028-07-22", "2028-09-03"),
}


def outdated_shipped_changes(
    session: Session, region: Region, *, good_friday: bool = True
) -> list[HolidayChange]:
    """The corrections for vacations an earlier version shipped wrongly (reads only).

    Only rows with exactly the old shipped dates are corrected. A national day that the wrong
    vacation used to cover (Koningsdag in the old meivakantie) is added back when no stored
    holiday covers it after the correction.
    """
    from ib_desktop.services.holidays import national_days_off

    stored = list_holidays(session, region)
    changes: list[HolidayChange] = []
    after: list[HolidaySpec] = []
    years: set[str] = set()
    for h in stored:
        key = (region.value, h.name, h.start.isoformat(), h.end.isoformat())
        if key in SUPERSEDED_SHIPPED:
            start, end = (date.fromisoformat(d) for d in SUPERSEDED_SHIPPED[key])
            new = HolidaySpec(h.name, start, end)
            changes.append(HolidayChange(region, CHANGED, h, new))
            after.append(new)
            years.add(school_year_label(start))
        else:
            after.append(h)
    for label in sorted(years):
        for day in national_days_off(label, good_friday=good_friday):
            if not any(h.start <= day.start <= h.end for h in after):
                changes.append(HolidayChange(region, ADDED, None, day))
                after.append(day)
    return sorted(changes, key=lambda c: (c.new or c.old).start)  # type: ignore[union-attr]
