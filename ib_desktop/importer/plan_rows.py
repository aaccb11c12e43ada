"""One row of an export as the plan reads it: its values parsed, and the reasons it cannot be
imported (a missing name, an impossible birth date, an unreadable group)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ib_desktop.dates import short_date
from ib_desktop.importer.columns import Field
from ib_desktop.importer.plan_items import RowData
from ib_desktop.importer.values import (
    ParsedGroup,
    PersonName,
    clean_lvs_id,
    parse_cell_date,
    parse_gender,
    parse_group,
    parse_teachers,
    person_key,
    pupil_name,
)

#: A pupil of a Dutch primary school is younger than this; an older birth date is a typo.
MAX_AGE_YEARS = 20
#: Column sizes of the pupil table, with the Dutch word for the reason of a rejected row.
LIMITS = {
    "first_name": (80, "roepnaam"),
    "tussenvoegsel": (20, "tussenvoegsel"),
    "last_name": (120, "achternaam"),
    "lvs_id": (40, "leerlingnummer"),
}


Key = tuple[str, str, date]


@dataclass
class Row:
    """One row of the file as read, with the reasons it cannot be imported so far."""

    number: int
    raw: list[Any]
    lvs_id: str | None
    name: PersonName
    dates: dict[Field, date | None]
    gender: Any
    reasons: list[str]
    #: The cells of the group, the grade and the teacher(s), parsed after the checks above.
    group_cells: tuple[Any, Any, Any]
    group: ParsedGroup | None = None
    teachers: tuple[PersonName, ...] = ()

    @property
    def birth(self) -> date | None:
        """The birth date (None when missing or unreadable)."""
        return self.dates[Field.BIRTH_DATE]

    @property
    def key(self) -> Key | None:
        """The folded name and the birth date, when there is a birth date."""
        name, birth = self.name, self.birth
        if not birth:
            return None
        return (*person_key(name.first_name, name.tussenvoegsel, name.last_name), birth)

    def data(self) -> RowData:
        """The row's values, parsed."""
        return RowData(
            row=self.number,
            lvs_id=self.lvs_id,
            name=self.name,
            birth_date=self.birth,
            gender=parse_gender(self.gender),
            group=self.group,
            teachers=self.teachers,
            enrolled_on=self.dates[Field.ENROLLED_ON],
            first_school_day=self.dates[Field.FIRST_SCHOOL_DAY],
        )


_DATE_FIELDS = (
    (Field.BIRTH_DATE, "geboortedatum"),
    (Field.ENROLLED_ON, "datum inschrijving"),
    (Field.FIRST_SCHOOL_DAY, "eerste schooldag"),
)


def read_row(raw: list[Any], number: int, cols: Mapping[Field, int]) -> Row:
    """The number, name, dates and gender of a row; unreadable dates become reasons."""

    def value(fld: Field) -> Any:
        i = cols.get(fld)
        if i is None or i >= len(raw):
            return None
        return raw[i]

    reasons: list[str] = []
    lvs_id = clean_lvs_id(value(Field.LVS_ID))
    name = pupil_name(
        full=value(Field.FULL_NAME) if Field.FULL_NAME in cols else None,
        last=value(Field.LAST_NAME),
        tussenvoegsel=value(Field.TUSSENVOEGSEL),
        first=value(Field.FIRST_NAME),
        split_surname=Field.TUSSENVOEGSEL not in cols,
    )
    dates: dict[Field, date | None] = {}
    for fld, what in _DATE_FIELDS:
        try:
            dates[fld] = parse_cell_date(value(fld), what)
        except ValueError as exc:
            dates[fld] = None
            reasons.append(str(exc))
    group_cells = (value(Field.GROUP), value(Field.GRADE), value(Field.TEACHER))
    return Row(number, raw, lvs_id, name, dates, value(Field.GENDER), reasons, group_cells)


def name_problems(row: Row) -> list[str]:
    """A missing name, or a value longer than its column."""
    reasons = []
    if not row.name.last_name:
        reasons.append("achternaam ontbreekt")
    if not row.name.first_name:
        reasons.append("roepnaam ontbreekt")
    for attr, (limit, word) in LIMITS.items():
        text = (row.lvs_id or "") if attr == "lvs_id" else getattr(row.name, attr)
        if len(text) > limit:
            reasons.append(f"{word} is te lang (hoogstens {limit} tekens)")
    return reasons


def birth_problems(row: Row, *, known_pupil: bool, has_column: bool, today: date) -> list[str]:
    """A birth date that is missing, in the future, too long ago or after another date.

    Without a birth date a new pupil cannot be saved; a pupil recognised by number keeps the
    birth date already known, unless the export has the column.
    """
    birth = row.birth
    reasons = []
    birth_problem = any(r.startswith("geboortedatum") for r in row.reasons)
    if birth is None:
        if not birth_problem and (not known_pupil or has_column):
            reasons.append("geboortedatum ontbreekt")
        return reasons
    if birth > today:
        reasons.append(f"geboortedatum {short_date(birth)} ligt in de toekomst")
    elif birth.year < today.year - MAX_AGE_YEARS:
        reasons.append(
            f"geboortedatum {short_date(birth)} kan niet kloppen voor een leerling van "
            "de basisschool (controleer het jaartal)"
        )
    for fld, what in (
        (Field.FIRST_SCHOOL_DAY, "eerste schooldag"),
        (Field.ENROLLED_ON, "datum inschrijving"),
    ):
        d = row.dates[fld]
        if d is not None and d < birth:
            reasons.append(f"{what} {short_date(d)} ligt vóór de geboortedatum")
    return reasons


def parse_row_group(row: Row) -> None:
    """The row's group (an unreadable one is a reason) and its teachers."""
    group_cell, grade_cell, teacher_cell = row.group_cells
    try:
        row.group = parse_group(group_cell, grade_cell)
    except ValueError as exc:
        row.group = None
        row.reasons.append(str(exc))
    row.teachers = tuple(parse_teachers(teacher_cell))
