"""The pupil record itself: adding a pupil, saving the personal data, reading it back.

A save of the personal data goes through :func:`~ib_desktop.services.versioned.save_versioned`
(check the version, apply, log each change, write, new version back); the group-per-school-year
history follows the group in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import Group, GroupMembership, Pupil, PupilStatus, SupportLevel, dutch_name
from ib_desktop.services import audit, versioned
from ib_desktop.services.levels import change_level
from ib_desktop.services.pupil.data import LevelInfo, PupilData
from ib_desktop.services.pupil.labels import GENDER_LABELS, PUPIL_FIELD_LABELS, log_value
from ib_desktop.services.pupil.lookups import school_levels, writable_pupil
from ib_desktop.services.pupil.validation import check_pupil, clean
from ib_desktop.validation import ValidationErrors

_DATE_FIELDS = ("birth_date", "first_school_day", "enrolled_on")


def pupil_values(data: PupilData) -> dict[str, Any]:
    """The personal data as it is stored (names tidied, empty LVS number as none)."""
    return {
        "first_name": clean(data.first_name),
        "tussenvoegsel": clean(data.tussenvoegsel),
        "last_name": clean(data.last_name),
        "gender": data.gender,
        "birth_date": data.birth_date,
        "first_school_day": data.first_school_day,
        "enrolled_on": data.enrolled_on,
        "group_id": data.group_id,
        "lvs_id": clean(data.lvs_id) or None,
        "family_composition": data.family_composition.strip(),
        "notes": data.notes.strip(),
    }


def pupil_lock_spec(session: Session, pupil_id: int) -> versioned.Versioned:
    """How a save of the pupil record checks its version and tells who changed it."""

    def show(name: str, value: Any) -> str:
        if name == "group_id":
            return _group_name(session, value)
        if name == "gender":
            return GENDER_LABELS.get(value or "", str(value))
        return versioned.display(value)

    return versioned.Versioned(
        what="de persoonsgegevens van deze leerling",
        labels=PUPIL_FIELD_LABELS,
        show=show,
        history=versioned.History("pupil", pupil_id, (*PUPIL_FIELD_LABELS.values(), "status")),
    )


def _group_name(session: Session, group_id: int | None) -> str:
    group = session.get(Group, group_id) if group_id is not None else None
    return group.name if group is not None else ""


def _sync_membership(session: Session, pupil: Pupil) -> None:
    """Keep the group-per-school-year history in step with the current group."""
    if pupil.group_id is None:
        return
    group = session.get(Group, pupil.group_id)
    if group is None:
        return
    membership = session.scalars(
        sa.select(GroupMembership).where(
            GroupMembership.pupil_id == pupil.id,
            GroupMembership.school_year_id == group.school_year_id,
        )
    ).first()
    if membership is None:
        session.add(
            GroupMembership(
                pupil_id=pupil.id, school_year_id=group.school_year_id, group_id=group.id
            )
        )
    else:
        membership.group_id = group.id


def _start_level(
    levels: list[LevelInfo], level_id: int | None, errors: dict[str, str]
) -> LevelInfo | None:
    """The level a new pupil starts on: the chosen one, else the lowest of the staircase."""
    if level_id is None:
        return levels[0] if levels else None
    chosen = next((lvl for lvl in levels if lvl.id == level_id), None)
    if chosen is None:
        errors["level_id"] = "Kies een niveau uit de ondersteuningsstructuur van de school."
    return chosen


def create_pupil(
    session: Session,
    school_id: int,
    data: PupilData,
    *,
    level_id: int | None = None,
    level_start: date | None = None,
    today: date,
    actor: str | None = None,
) -> Pupil:
    """Add a pupil by hand, placed on ``level_id`` (default: the lowest level).

    The start level runs from ``level_start``, by default the enrolment date (today when that
    is not known): a pupil entered after years at the school keeps the history it had.
    Raises :class:`ValidationErrors` for bad input or a duplicate (same name and birth date).
    """
    errors, _warnings = check_pupil(session, school_id, data, today=today)
    chosen = _start_level(school_levels(session, school_id), level_id, errors)
    since = level_start or data.enrolled_on or today
    if since > today:
        errors["level_start"] = "De startdatum van het niveau ligt in de toekomst."
    elif data.birth_date and since < data.birth_date:
        errors["level_start"] = "De startdatum van het niveau ligt vóór de geboortedatum."
    ValidationErrors.collect(errors)
    pupil = Pupil(school_id=school_id, status=PupilStatus.ACTIEF)
    for name, value in pupil_values(data).items():
        setattr(pupil, name, value)
    session.add(pupil)
    session.flush()
    _sync_membership(session, pupil)
    audit.record(
        session,
        "pupil",
        pupil.id,
        "aangemaakt",
        summary=f"Leerling toegevoegd: {pupil.full_name}",
        actor=actor,
    )
    if chosen is not None:
        level = session.get(SupportLevel, chosen.id)
        change_level(
            session,
            pupil,
            level,  # type: ignore[arg-type]
            since,
            "Startniveau bij het inschrijven van de leerling.",
            today=today,
        )
    session.flush()
    return pupil


def update_pupil(
    session: Session,
    pupil_id: int,
    data: PupilData,
    *,
    expected_version: int,
    today: date,
    actor: str | None = None,
) -> tuple[int, dict[str, str]]:
    """Save personal data; returns the new version and the warnings to show.

    ``expected_version`` is the version the window loaded: when someone saved in between,
    :class:`~ib_desktop.services.versioned.EditConflict` is raised with the other person's
    values beside these, and nothing is written.
    """
    pupil = writable_pupil(session, pupil_id)
    spec = pupil_lock_spec(session, pupil_id)
    values = pupil_values(data)
    # Somebody else's save is told before the mistakes in this form, which may be theirs.
    versioned.check_version(session, pupil, expected_version, values, spec)
    errors, warnings = check_pupil(session, pupil.school_id, data, today=today, pupil_id=pupil.id)
    ValidationErrors.collect(errors)
    changed: list[str] = []
    log = _change_logger(session, pupil.id, actor, changed)
    version = versioned.save_versioned(session, pupil, expected_version, values, spec, log=log)
    if changed:
        _sync_membership(session, pupil)
    return version, warnings


def _change_logger(
    session: Session, pupil_id: int, actor: str | None, changed: list[str]
) -> Callable[[str, Any, Any], None]:
    """One change-log line per changed field of the personal data (groups by their name)."""

    def log(name: str, old: Any, new: Any) -> None:
        changed.append(name)
        if name == "group_id":
            old, new = _group_name(session, old), _group_name(session, new)
        audit.record(
            session,
            "pupil",
            pupil_id,
            "gewijzigd",
            field=PUPIL_FIELD_LABELS[name],
            old=log_value(old),
            new=log_value(new),
            actor=actor,
        )

    return log


def load_pupil_data(pupil: Pupil) -> PupilData:
    """The editable personal data of a pupil."""
    return PupilData(
        first_name=pupil.first_name,
        tussenvoegsel=pupil.tussenvoegsel or "",
        last_name=pupil.last_name,
        gender=pupil.gender or "",
        birth_date=pupil.birth_date,
        first_school_day=pupil.first_school_day,
        enrolled_on=pupil.enrolled_on,
        group_id=pupil.group_id,
        lvs_id=pupil.lvs_id or "",
        family_composition=pupil.family_composition or "",
        notes=pupil.notes or "",
    )


def pupil_data_to_dict(data: PupilData) -> dict[str, Any]:
    """Plain JSON-able dict (dates as ISO text), e.g. for the recovery store."""
    out = asdict(data)
    for key, value in out.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
    return out


def pupil_data_from_dict(payload: dict[str, Any]) -> PupilData:
    """The inverse of :func:`pupil_data_to_dict`; unknown keys are ignored."""
    data = PupilData()
    for f in fields(PupilData):
        if f.name not in payload:
            continue
        value = payload[f.name]
        if f.name in _DATE_FIELDS and value:
            value = date.fromisoformat(value)
        setattr(data, f.name, value)
    return data


def full_name_of(data: PupilData) -> str:
    """The spoken name of unsaved personal data."""
    return dutch_name(clean(data.first_name), clean(data.tussenvoegsel), clean(data.last_name))
