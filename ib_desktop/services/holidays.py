"""School holidays per region: shipped as data, copied into the database, editable by the school.

Evaluation dates that fall in a holiday move to the next school day, so the schedule engine needs
to know when school is closed. The shipped files (``resources/holidays/<year>.json`` in the package)
hold the vacations per region as the government advises them; the national days off (Tweede Paasdag,
Koningsdag, Hemelvaart, Tweede Pinksterdag, Bevrijdingsdag in lustrum years and optionally Goede
Vrijdag) are computed with ``dateutil.easter``, so they are right for any year. The first time a
region is used, both are copied into the ``holidays`` table; from then on the school's own edits
are what counts. The shipped calendar itself (no database) is ``ib_desktop.holiday_calendar``,
below the schedule engine, which falls back on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_label, short_date
from ib_desktop.holiday_calendar import (  # noqa: F401 - the shipped calendar, named here too
    ASCENSION_DAY,
    EASTER_MONDAY,
    GOOD_FRIDAY,
    KINGS_DAY,
    LIBERATION_DAY,
    MAX_HOLIDAY_DAYS,
    NATIONAL_DAY_NAMES,
    WHIT_MONDAY,
    HolidaySpec,
    ShippedSource,
    default_holidays,
    derived_vacations,
    kings_day,
    national_days_off,
    shipped_note,
    shipped_school_years,
    shipped_source,
    shipped_vacations,
)
from ib_desktop.models import Holiday, Region
from ib_desktop.services import audit
from ib_desktop.services.versioned import History, Versioned, display, save_versioned
from ib_desktop.validation import ValidationErrors


def list_holidays(session: Session, region: Region | str) -> list[HolidaySpec]:
    """The holidays of a region as stored (what the school sees and edits), by date."""
    rows = session.execute(
        sa.select(Holiday.id, Holiday.name, Holiday.start_date, Holiday.end_date, Holiday.version)
        .where(Holiday.region == Region(region))
        .order_by(Holiday.start_date, Holiday.id)
    ).all()
    return [HolidaySpec(name, start, end, hid, version) for hid, name, start, end, version in rows]


def get_holiday(session: Session, holiday_id: int) -> HolidaySpec | None:
    """One holiday as now stored (None when it was removed)."""
    row = session.get(Holiday, holiday_id, populate_existing=True)
    if row is None:
        return None
    return HolidaySpec(row.name, row.start_date, row.end_date, row.id, row.version)


def has_holidays(session: Session, region: Region | str) -> bool:
    """True when the region's holidays were seeded (or entered) before."""
    return (
        session.execute(
            sa.select(Holiday.id).where(Holiday.region == Region(region)).limit(1)
        ).first()
        is not None
    )


def seed_holidays(session: Session, region: Region | str, *, good_friday: bool = True) -> int:
    """Copy the shipped holidays of a region into the table, only when it has none yet.

    Returns the number of rows added (0 when the school already has its own list, which is never
    overwritten).
    """
    if has_holidays(session, region):
        return 0
    rows = default_holidays(region, good_friday=good_friday)
    session.add_all(
        Holiday(region=Region(region), name=h.name, start_date=h.start, end_date=h.end)
        for h in rows
    )
    session.flush()
    return len(rows)


def reset_holidays(session: Session, region: Region | str, *, good_friday: bool = True) -> int:
    """Replace the region's list with the shipped defaults (the school asked for it)."""
    session.execute(sa.delete(Holiday).where(Holiday.region == Region(region)))
    session.flush()
    return seed_holidays(session, region, good_friday=good_friday)


def validate_holiday(
    session: Session,
    region: Region | str,
    name: str,
    start: date | None,
    end: date | None,
    *,
    holiday_id: int | None = None,
) -> dict[str, str]:
    """Dutch messages per field for a holiday about to be saved (empty when it is fine)."""
    errors: dict[str, str] = {}
    if not name or not name.strip():
        errors["name"] = "Vul de naam van de vakantie of vrije dag in."
    elif len(name.strip()) > 80:
        errors["name"] = "De naam is te lang (hooguit 80 tekens)."
    if start is None:
        errors["start"] = "Vul de eerste vrije dag in."
    if end is None:
        errors["end"] = "Vul de laatste vrije dag in."
    if start is not None and end is not None:
        if end < start:
            errors["end"] = "De laatste dag ligt vóór de eerste dag."
        elif (end - start).days + 1 > MAX_HOLIDAY_DAYS:
            errors["end"] = (
                f"Een vakantie van meer dan {MAX_HOLIDAY_DAYS} dagen is vast een vergissing; "
                "controleer de data."
            )
    if start is not None and "start" not in errors:
        clash = session.execute(
            sa.select(Holiday.id, Holiday.name).where(
                Holiday.region == Region(region),
                Holiday.start_date == start,
                Holiday.id != (holiday_id or 0),
            )
        ).first()
        if clash is not None:
            errors["start"] = (
                f"Op {short_date(start)} begint al '{clash.name}'. Pas die aan of kies een "
                "andere datum."
            )
    return errors


HOLIDAY_LABELS = {"name": "Naam", "start_date": "Eerste dag", "end_date": "Laatste dag"}


def _spec(holiday_id: int) -> Versioned:
    """How a conflict on a holiday is told ("Bea heeft deze vakantie intussen gewijzigd")."""
    return Versioned("deze vakantie", labels=HOLIDAY_LABELS, history=History("holiday", holiday_id))


def save_holiday(
    session: Session,
    region: Region | str,
    name: str,
    start: date | None,
    end: date | None,
    *,
    holiday_id: int | None = None,
    version: int | None = None,
    actor: str | None = None,
) -> HolidaySpec:
    """Add a holiday, or change the one with ``holiday_id``; raises ValidationErrors.

    ``version`` is the version the user loaded: when someone else saved the holiday since,
    :class:`~ib_desktop.services.versioned.EditConflict` is raised with both values per field
    and nothing is written (``None``: no check, e.g. a script that just read the row).
    """
    ValidationErrors.collect(
        validate_holiday(session, region, name, start, end, holiday_id=holiday_id)
    )
    assert start is not None
    assert end is not None
    if holiday_id is None:
        row = Holiday(region=Region(region), name=name.strip(), start_date=start, end_date=end)
        session.add(row)
        session.flush()
        audit.record(
            session, "holiday", row.id, "aangemaakt", new=row.name,
            summary=f"Vakantie {row.name} ({short_date(start)}) toegevoegd.", actor=actor,
        )  # fmt: skip
    else:
        found = session.get(Holiday, holiday_id)
        if found is None:
            raise ValidationErrors(
                {"name": "Deze vakantie bestaat niet meer; iemand anders heeft hem verwijderd."}
            )
        row = found
        values = {"name": name.strip(), "start_date": start, "end_date": end}

        def log(field_name: str, old: object, new: object) -> None:
            audit.record(
                session, "holiday", holiday_id, "gewijzigd", field=field_name,
                old=display(old), new=display(new),
                summary=f"Vakantie {name.strip()}: {HOLIDAY_LABELS[field_name].lower()} "
                "gewijzigd.",
                actor=actor,
            )  # fmt: skip

        save_versioned(session, row, version, values, _spec(holiday_id), log=log)
    return HolidaySpec(row.name, row.start_date, row.end_date, row.id, row.version)


def delete_holiday(session: Session, holiday_id: int, *, actor: str | None = None) -> None:
    """Remove one holiday (the school is open that day after all)."""
    row = session.get(Holiday, holiday_id)
    if row is None:
        return
    audit.record(
        session, "holiday", holiday_id, "verwijderd", old=row.name,
        summary=f"Vakantie {row.name} ({short_date(row.start_date)}) verwijderd.", actor=actor,
    )  # fmt: skip
    session.execute(sa.delete(Holiday).where(Holiday.id == holiday_id))


def years_covered(holidays: Iterable[HolidaySpec]) -> set[str]:
    """The school years that have at least one holiday in the list."""
    return {school_year_label(h.start) for h in holidays}
