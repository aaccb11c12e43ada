"""Placeholders in goals and text blocks: {roepnaam}, {groep}, {einddatum}, ... for one pupil."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import long_date, school_year_label
from ib_desktop.models import Group, GroupMembership, Pupil

#: The placeholders a text block may use, with what each becomes (for the settings' help text).
PLACEHOLDERS: dict[str, str] = {
    "roepnaam": "de roepnaam van de leerling",
    "voornaam": "de voornaam van de leerling",
    "achternaam": "de achternaam, met tussenvoegsel",
    "groep": "de groep van de leerling",
    "leerkracht": "de leerkracht(en) van de groep",
    "schooljaar": "het schooljaar, bijv. 2026-2027",
    "datum": "de datum van vandaag",
    "einddatum": "het einde van de periode of de evaluatiedatum",
}

_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")


@dataclass
class Filled:
    """A text with its placeholders filled; ``unknown`` lists those left as they were."""

    text: str
    unknown: list[str] = field(default_factory=list)


def fill_placeholders(text: str, values: Mapping[str, str]) -> Filled:
    """Replace each ``{name}`` with its value; an unknown or empty one stays visible.

    Names are matched without regard to case ("{Roepnaam}" works too). A placeholder with no
    value (no group, no end date yet) stays as typed, so the user sees what to fill in.
    """
    lowered = {k.lower(): v for k, v in values.items()}
    unknown: list[str] = []

    def replace(m: re.Match[str]) -> str:
        value = lowered.get(m.group(1).lower())
        if value:
            return value
        if m.group(0) not in unknown:
            unknown.append(m.group(0))
        return m.group(0)

    return Filled(_PLACEHOLDER.sub(replace, text), unknown)


def _markdown_safe(text: str) -> str:
    """A name put into Markdown stays plain text ("*" or "_" in a name make no emphasis)."""
    return re.sub(r"([\\`*_\[\]#])", r"\\\1", text)


def pupil_grades(session: Session, pupil_id: int) -> tuple[int, int] | None:
    """The pupil's year group (groep 1-8) now, as a range: a combination group gives both
    grades unless the pupil's own grade was recorded. None without a group."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None or pupil.group is None:
        return None
    group = pupil.group
    grade = session.scalar(
        sa.select(GroupMembership.grade).where(
            GroupMembership.pupil_id == pupil_id,
            GroupMembership.school_year_id == group.school_year_id,
        )
    )
    if grade is not None:
        return grade, grade
    return group.grade_low, group.grade_high


def pupil_values(session: Session, pupil_id: int, *, today: date) -> dict[str, str]:
    """What the placeholders become for this pupil (Markdown-safe)."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        return {"datum": long_date(today), "schooljaar": school_year_label(today)}
    group: Group | None = pupil.group
    teachers = [t.full_name for t in group.teachers] if group is not None else []
    surname = " ".join(p for p in (pupil.tussenvoegsel, pupil.last_name) if p)
    values = {
        "roepnaam": pupil.first_name,
        "voornaam": pupil.first_name,
        "achternaam": surname,
        "groep": group.name if group is not None else "",
        "leerkracht": " en ".join(teachers),
        "schooljaar": school_year_label(today),
        "datum": long_date(today),
    }
    return {k: _markdown_safe(v) for k, v in values.items()}
