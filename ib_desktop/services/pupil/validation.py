"""The rules a pupil's file keeps: what makes personal data, a guardian or a meeting wrong.

Every check returns Dutch messages keyed by field, so the UI can show each beside its field;
personal data also gets warnings, shown but not stopping a save. The checks hold for every
screen (and the importer) because the saves in this package call them, and they are tested
without Qt. Messages of one check come in a fixed order: the first is what a dialog shows.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import Group, Pupil, PupilStatus
from ib_desktop.services.pupil.data import (
    AssessmentData,
    CareProviderData,
    GuardianData,
    HistoryData,
    MeetingData,
    PupilData,
)
from ib_desktop.services.pupil.labels import GENDER_LABELS

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = re.compile(r"^[0-9+\-() ./]+$")


# ---------------------------------------------------------------------------- small checks


def clean(text: str | None) -> str:
    """Trimmed text with inner runs of spaces made single (names typed or pasted)."""
    return " ".join((text or "").split())


def age_on(birth: date | None, day: date) -> int | None:
    """Whole years of age on ``day``."""
    if birth is None:
        return None
    return relativedelta(day, birth).years


def email_problem(email: str) -> str:
    """A Dutch message when an e-mail address is clearly wrong (loose check)."""
    email = email.strip()
    if email and not _EMAIL.match(email):
        return "Dit lijkt geen e-mailadres; schrijf het als naam@voorbeeld.nl."
    return ""


def phone_problem(phone: str) -> str:
    """A Dutch message when a phone number is clearly wrong (loose check)."""
    phone = phone.strip()
    if not phone:
        return ""
    digits = sum(c.isdigit() for c in phone)
    if not _PHONE_CHARS.match(phone) or not 8 <= digits <= 15:
        return "Dit lijkt geen telefoonnummer; schrijf het als 06-12345678 of +31 6 12345678."
    return ""


def past_problem(value: date | None, today: date, what: str) -> str:
    """A message when ``value`` (something that already happened) lies after ``today``."""
    if value is not None and value > today:
        return (
            f"De {what} ligt in de toekomst ({short_date(value)}); "
            "vul een datum tot en met vandaag in."
        )
    return ""


def period_problem(start: date | None, end: date | None) -> str:
    """A message when a period ends before it starts."""
    if start and end and end < start:
        return f"De einddatum ligt vóór de begindatum ({short_date(start)})."
    return ""


# ---------------------------------------------------------------------------- personal data


def find_duplicate(
    session: Session,
    school_id: int,
    data: PupilData,
    *,
    exclude_id: int | None = None,
) -> Pupil | None:
    """Another pupil of the school with the same name and birth date (case and spaces ignored)."""
    if not data.birth_date or not clean(data.first_name) or not clean(data.last_name):
        return None
    query = sa.select(Pupil).where(
        Pupil.school_id == school_id,
        Pupil.birth_date == data.birth_date,
        sa.func.lower(Pupil.first_name) == clean(data.first_name).lower(),
        sa.func.lower(Pupil.tussenvoegsel) == clean(data.tussenvoegsel).lower(),
        sa.func.lower(Pupil.last_name) == clean(data.last_name).lower(),
    )
    if exclude_id is not None:
        query = query.where(Pupil.id != exclude_id)
    return session.scalars(query.limit(1)).first()


def check_pupil(
    session: Session,
    school_id: int,
    data: PupilData,
    *,
    today: date,
    pupil_id: int | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """(errors, warnings) for personal data; warnings are shown but do not stop a save."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    _check_names(data, errors)
    _check_birth_date(data.birth_date, today, errors, warnings)
    _check_first_school_day(data, today, errors, warnings)
    if data.enrolled_on is not None and data.birth_date and data.enrolled_on < data.birth_date:
        errors["enrolled_on"] = "De datum van inschrijving ligt vóór de geboortedatum."
    _check_lvs_id(session, school_id, clean(data.lvs_id), pupil_id, errors)
    if data.group_id is not None:
        group = session.get(Group, data.group_id)
        if group is None or group.school_id != school_id:
            errors["group_id"] = "Deze groep bestaat niet (meer); kies een andere groep."
    names_ok = "first_name" not in errors and "last_name" not in errors
    if names_ok and data.birth_date is not None:
        _check_duplicate(session, school_id, data, pupil_id, errors)
    return errors, warnings


def _check_names(data: PupilData, errors: dict[str, str]) -> None:
    if not clean(data.first_name):
        errors["first_name"] = "Vul de voornaam in."
    if not clean(data.last_name):
        errors["last_name"] = "Vul de achternaam in."
    if len(clean(data.first_name)) > 80:
        errors["first_name"] = "De voornaam is te lang (hoogstens 80 tekens)."
    if len(clean(data.tussenvoegsel)) > 20:
        errors["tussenvoegsel"] = "Het tussenvoegsel is te lang (hoogstens 20 tekens)."
    if len(clean(data.last_name)) > 120:
        errors["last_name"] = "De achternaam is te lang (hoogstens 120 tekens)."
    if data.gender not in GENDER_LABELS:
        errors["gender"] = "Kies een geslacht uit de lijst."


def _check_birth_date(
    birth: date | None, today: date, errors: dict[str, str], warnings: dict[str, str]
) -> None:
    if birth is None:
        errors["birth_date"] = "Vul de geboortedatum in."
    elif msg := past_problem(birth, today, "geboortedatum"):
        errors["birth_date"] = msg
    else:
        age = age_on(birth, today) or 0
        if age > 16:
            errors["birth_date"] = (
                f"Met deze geboortedatum is de leerling {age} jaar; controleer het jaartal."
            )
        elif age < 2:
            warnings["birth_date"] = (
                "Met deze geboortedatum is het kind nog geen 2 jaar; controleer het jaartal."
            )


def _check_first_school_day(
    data: PupilData, today: date, errors: dict[str, str], warnings: dict[str, str]
) -> None:
    first, birth = data.first_school_day, data.birth_date
    if first is None:
        return
    if msg := past_problem(first, today, "eerste schooldag"):
        errors["first_school_day"] = msg
    elif birth and first < birth:
        errors["first_school_day"] = "De eerste schooldag ligt vóór de geboortedatum."
    elif birth and first < birth + relativedelta(years=4):
        warnings["first_school_day"] = (
            "Let op: de eerste schooldag ligt vóór de vierde verjaardag "
            f"({short_date(birth + relativedelta(years=4))}). Klopt dat?"
        )


def _check_lvs_id(
    session: Session, school_id: int, lvs: str, pupil_id: int | None, errors: dict[str, str]
) -> None:
    if len(lvs) > 40:
        errors["lvs_id"] = "Het LVS-nummer is te lang (hoogstens 40 tekens)."
    elif lvs:
        query = sa.select(Pupil).where(Pupil.school_id == school_id, Pupil.lvs_id == lvs)
        if pupil_id is not None:
            query = query.where(Pupil.id != pupil_id)
        other = session.scalars(query.limit(1)).first()
        if other is not None:
            errors["lvs_id"] = f"Dit LVS-nummer hoort al bij {other.full_name}."


def _check_duplicate(
    session: Session, school_id: int, data: PupilData, pupil_id: int | None, errors: dict[str, str]
) -> None:
    other = find_duplicate(session, school_id, data, exclude_id=pupil_id)
    if other is None:
        return
    status = "vertrokken" if other.status == PupilStatus.VERTROKKEN else "ingeschreven"
    errors["name"] = (
        f"Er is al een leerling {other.full_name} met geboortedatum "
        f"{short_date(other.birth_date)} ({status}). Een leerling kan maar één keer "
        "in het dossier staan; open de bestaande leerling."
    )


# ---------------------------------------------------------------------------- records in the file


def check_guardian(data: GuardianData) -> dict[str, str]:
    """Errors for a guardian."""
    errors: dict[str, str] = {}
    if not clean(data.name):
        errors["name"] = "Vul de naam van de ouder/verzorger in."
    elif len(clean(data.name)) > 200:
        errors["name"] = "De naam is te lang (hoogstens 200 tekens)."
    if len(clean(data.relation)) > 40:
        errors["relation"] = "De relatie is te lang (hoogstens 40 tekens)."
    if msg := phone_problem(data.phone):
        errors["phone"] = msg
    if msg := email_problem(data.email):
        errors["email"] = msg
    return errors


def check_care_provider(data: CareProviderData) -> dict[str, str]:
    """Errors for a care provider (dates may lie ahead: help can be planned)."""
    errors: dict[str, str] = {}
    if not clean(data.organisation):
        errors["organisation"] = "Vul de organisatie in."
    if msg := period_problem(data.start_date, data.end_date):
        errors["end_date"] = msg
    if msg := phone_problem(data.phone):
        errors["phone"] = msg
    if msg := email_problem(data.email):
        errors["email"] = msg
    return errors


def check_history(data: HistoryData, *, today: date, birth_date: date | None) -> dict[str, str]:
    """Errors for a school-career step: it happened, so it started in the past."""
    errors: dict[str, str] = {}
    if not clean(data.institution):
        errors["institution"] = "Vul de naam van de school of voorziening in."
    if msg := past_problem(data.start_date, today, "begindatum"):
        errors["start_date"] = msg
    elif birth_date and data.start_date and data.start_date < birth_date:
        errors["start_date"] = "De begindatum ligt vóór de geboortedatum."
    if msg := period_problem(data.start_date, data.end_date):
        errors["end_date"] = msg
    return errors


def check_assessment(
    data: AssessmentData, *, today: date, birth_date: date | None
) -> dict[str, str]:
    """Errors for an assessment: done, so not in the future."""
    errors: dict[str, str] = {}
    if data.date is None:
        errors["date"] = "Vul de datum van het onderzoek in."
    elif msg := past_problem(data.date, today, "datum van het onderzoek"):
        errors["date"] = msg
    elif birth_date and data.date < birth_date:
        errors["date"] = "De datum van het onderzoek ligt vóór de geboortedatum."
    if not clean(data.kind):
        errors["kind"] = "Vul in wat voor onderzoek het was."
    return errors


def check_meeting(data: MeetingData, *, today: date) -> dict[str, str]:
    """Errors for a meeting; a planned one may lie ahead, a held one not."""
    errors: dict[str, str] = {}
    if data.date is None:
        errors["date"] = "Vul de datum van de vergadering in."
    elif data.held and data.date > today:
        errors["date"] = (
            "Een vergadering die al gehouden is, kan niet in de toekomst liggen. "
            "Vink 'gehouden' uit voor een geplande vergadering."
        )
    if len(clean(data.title)) > 200:
        errors["title"] = "De titel is te lang (hoogstens 200 tekens)."
    return errors
