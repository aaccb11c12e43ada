"""The plan of an import: what would be new, changed, unchanged, leaving or rejected.

Making the plan only reads the database; :func:`ib_desktop.importer.apply.apply_plan` carries
it out. A dry run is a plan that is shown and never applied. Pupils are matched on the LVS
number when the row has one, otherwise on name and birth date, so an import can be repeated
without ever creating the same pupil twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_label, school_year_start, short_date
from ib_desktop.importer.columns import ColumnMapping, Field, fields_in_use, mapping_problems
from ib_desktop.importer.reading import ImportRefusedError, Table, cell_text
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
from ib_desktop.models import Group, Pupil, PupilStatus, School, SchoolYear, Staff, group_teachers
from ib_desktop.names import nfc

#: A pupil of a Dutch primary school is younger than this; an older birth date is a typo.
MAX_AGE_YEARS = 20
#: Column sizes of the pupil table, with the Dutch word for the reason of a rejected row.
LIMITS = {
    "first_name": (80, "roepnaam"),
    "tussenvoegsel": (20, "tussenvoegsel"),
    "last_name": (120, "achternaam"),
    "lvs_id": (40, "leerlingnummer"),
}
GENDER_LABELS = {"m": "jongen", "v": "meisje", "": "onbekend"}
#: Confirming more than this share of the school's active pupils as leavers is asked first:
#: a file that lacks a quarter of the school is more likely a partial export than a migration.
LARGE_LEAVER_SHARE = 0.25
#: ... but a handful of leavers in a tiny school is no reason to ask.
LARGE_LEAVER_MINIMUM = 5


def default_leave_date(export_date: date) -> date:
    """The day a pupil missing from an export has left: the last day (31 July) of the school
    year before the one the export describes, not the day of the import.

    The export at the start of a school year misses group 8, who left at the end of the
    previous one. A pupil who left mid-year gets the date chosen in the preview (or
    ``--left-on``).
    """
    return school_year_start(export_date) - timedelta(days=1)


class MappingError(ImportRefusedError):
    """The column mapping lacks what is needed to recognise pupils."""


# ----------------------------------------------------------------------------- plan items


@dataclass(frozen=True)
class RowData:
    """One accepted row of the export, with every value parsed."""

    row: int
    lvs_id: str | None
    name: PersonName
    birth_date: date | None
    gender: str
    group: ParsedGroup | None
    teachers: tuple[PersonName, ...]
    enrolled_on: date | None
    first_school_day: date | None

    @property
    def group_name(self) -> str:
        """The group's name, or empty."""
        return self.group.name if self.group else ""


@dataclass(frozen=True)
class FieldChange:
    """One field of an existing pupil that the import changes."""

    field: str  # the Dutch label: "groep", "naam", "geboortedatum", ...
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field}: {self.old or '(leeg)'} -> {self.new or '(leeg)'}"


@dataclass(frozen=True)
class NewPupil:
    """A row that becomes a new pupil."""

    data: RowData

    @property
    def row(self) -> int:
        """Row number in the file."""
        return self.data.row

    @property
    def name(self) -> str:
        """ "Sanne van der Berg"."""
        return self.data.name.full_name


@dataclass(frozen=True)
class ChangedPupil:
    """A row that matches an existing pupil whose data it changes."""

    data: RowData
    pupil_id: int
    version: int
    current_name: str
    changes: tuple[FieldChange, ...]
    reenrol: bool = False  # had left and is back
    enrol: bool = False  # was registered (aangemeld) and is now enrolled
    group_changed: bool = False

    @property
    def row(self) -> int:
        """Row number in the file."""
        return self.data.row

    @property
    def name(self) -> str:
        """The pupil's name as it will be."""
        return self.data.name.full_name

    @property
    def summary(self) -> str:
        """ "groep: 4 -> 5; naam: ..." for a table cell or a report line."""
        return "; ".join(str(c) for c in self.changes)


@dataclass(frozen=True)
class UnchangedPupil:
    """A row that matches an existing pupil and changes nothing."""

    data: RowData
    pupil_id: int

    @property
    def row(self) -> int:
        """Row number in the file."""
        return self.data.row

    @property
    def name(self) -> str:
        """The pupil's name."""
        return self.data.name.full_name


@dataclass(frozen=True)
class Leaver:
    """An active pupil missing from a full export: proposed as having left the school."""

    pupil_id: int
    version: int
    name: str
    sort_name: str
    group_name: str
    birth_date: date
    lvs_id: str


@dataclass(frozen=True)
class PossibleTwin:
    """A row whose pupil looks like one already in IB Desktop (same name, folded, and birth
    date) but with another pupil number: the user decides whether they are the same child.

    Until decided the row is not imported, and the pupil already known is not a leaver.
    """

    data: RowData
    pupil_id: int
    existing_name: str
    existing_lvs_id: str
    existing_group: str

    @property
    def row(self) -> int:
        """Row number in the file."""
        return self.data.row

    @property
    def name(self) -> str:
        """The name as the file writes it."""
        return self.data.name.full_name

    @property
    def lvs_id(self) -> str:
        """The pupil number in the file: what the decision is keyed on."""
        return self.data.lvs_id or ""

    @property
    def description(self) -> str:
        """ "rij 4: Ayşe Yılmaz (leerlingnummer 3001), geboren 12-03-2016, lijkt op ..."."""
        group = f", groep {self.existing_group}" if self.existing_group else ""
        return (
            f"rij {self.row}: {self.name} (leerlingnummer {self.lvs_id}), geboren "
            f"{short_date(self.data.birth_date)}, lijkt op {self.existing_name} "
            f"(leerlingnummer {self.existing_lvs_id}{group}) in IB Desktop"
        )


@dataclass(frozen=True)
class RejectedRow:
    """A row that is not imported, with the reason and the row as it was in the file."""

    row: int
    reason: str
    values: tuple[str, ...]
    pupil_id: int | None = None  # the existing pupil the row was recognised as, if any


@dataclass(frozen=True)
class TeacherLink:
    """A teacher to put on a group (the teacher may be new)."""

    group_name: str
    teacher: PersonName
    staff_id: int | None  # None: a new staff member is made


@dataclass
class ImportPlan:
    """Everything an import would do; shown as the preview and carried out by ``apply_plan``."""

    school_id: int
    today: date
    school_year: str
    path: Path
    source: str
    headers: list[str]
    mapping: ColumnMapping
    full_export: bool
    rows_read: int
    new: list[NewPupil] = field(default_factory=list)
    changed: list[ChangedPupil] = field(default_factory=list)
    unchanged: list[UnchangedPupil] = field(default_factory=list)
    leavers: list[Leaver] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    new_groups: list[ParsedGroup] = field(default_factory=list)
    new_teachers: list[PersonName] = field(default_factory=list)
    teacher_links: list[TeacherLink] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    active_before: int = 0
    twins: list[PossibleTwin] = field(default_factory=list)
    #: The date confirmed leavers get unless another is chosen.
    left_on: date | None = None

    def many_leavers(self, count: int | None = None) -> bool:
        """Whether marking ``count`` pupils (default: every proposed leaver) as left is a
        large share of the school, which must be asked first."""
        n = len(self.leavers) if count is None else count
        return (
            n >= LARGE_LEAVER_MINIMUM
            and self.active_before > 0
            and n > self.active_before * LARGE_LEAVER_SHARE
        )

    def leaver_share_text(self, count: int | None = None) -> str:
        """ "40 van de 100 actieve leerlingen (40%) ..." for the question before marking."""
        n = len(self.leavers) if count is None else count
        share = round(100 * n / self.active_before) if self.active_before else 0
        return (
            f"{n} van de {self.active_before} actieve leerlingen ({share}%) zouden als "
            "vertrokken worden gemarkeerd. Zo'n groot deel wijst eerder op een onvolledige "
            "export dan op echte vertrekkers."
        )

    @property
    def counts(self) -> dict[str, int]:
        """The numbers of the report, by section."""
        return {
            "nieuw": len(self.new),
            "gewijzigd": len(self.changed),
            "ongewijzigd": len(self.unchanged),
            "vertrekt": len(self.leavers),
            "afgewezen": len(self.rejected),
        }

    @property
    def has_work(self) -> bool:
        """Whether applying would change anything (leavers aside, which need a confirmation)."""
        return bool(self.new or self.changed or self.new_groups or self.teacher_links)


# ----------------------------------------------------------------------------- existing data


@dataclass
class _Existing:
    id: int
    version: int
    lvs_id: str | None
    first_name: str
    tussenvoegsel: str
    last_name: str
    birth_date: date
    gender: str
    enrolled_on: date | None
    first_school_day: date | None
    status: PupilStatus
    group_id: int | None

    @property
    def name(self) -> PersonName:
        return PersonName(self.first_name, self.tussenvoegsel, self.last_name)

    @property
    def key(self) -> tuple[str, str, date]:
        return (*person_key(self.first_name, self.tussenvoegsel, self.last_name), self.birth_date)


def _load_existing(session: Session, school_id: int) -> list[_Existing]:
    rows = session.execute(
        sa.select(
            Pupil.id, Pupil.version, Pupil.lvs_id, Pupil.first_name, Pupil.tussenvoegsel,
            Pupil.last_name, Pupil.birth_date, Pupil.gender, Pupil.enrolled_on,
            Pupil.first_school_day, Pupil.status, Pupil.group_id,
        ).where(Pupil.school_id == school_id)
    ).all()  # fmt: skip
    return [_Existing(**r._asdict()) for r in rows]


def _staff_key(name: PersonName) -> tuple[str, str]:
    return person_key(name.first_name, name.tussenvoegsel, name.last_name)


def match_staff(staff: list[tuple[int, PersonName, bool]], name: PersonName) -> int | None:
    """The staff member this teacher name means: same surname and a fitting first name or
    initial ("J. de Vries" is Joke de Vries). An exact first name beats an initial."""
    first, surname = _staff_key(name)
    if not surname:  # "juf Anna": only a first name
        exact = [sid for sid, n, _a in staff if _staff_key(n)[0] == first]
        return exact[0] if len(exact) == 1 else None
    same = [(sid, n, active) for sid, n, active in staff if _staff_key(n)[1] == surname]
    if not same:
        return None
    exact = [sid for sid, n, _a in same if _staff_key(n)[0] == first]
    if exact:
        return exact[0]
    initial = first.rstrip(".")[:1]
    fitting = [
        (sid, active)
        for sid, n, active in same
        if not first or not _staff_key(n)[0] or _staff_key(n)[0][:1] == initial
    ]
    if not fitting:
        return None
    fitting.sort(key=lambda t: not t[1])  # active staff first
    return fitting[0][0]


# ----------------------------------------------------------------------------- building


def build_plan(
    session: Session,
    table: Table,
    mapping: Mapping[int, Field | None],
    *,
    school_id: int,
    today: date | None = None,
    full_export: bool = True,
    twin_decisions: Mapping[str, bool] | None = None,
    left_on: date | None = None,
) -> ImportPlan:
    """Compare the export with the database and say what an import would do; writes nothing.

    ``today`` is the date the export describes: it decides the school year of the groups.
    ``full_export`` says the file holds every pupil of the school; only then are active pupils
    that are missing from it proposed as leavers (leaving on ``left_on``, by default
    :func:`default_leave_date`). ``twin_decisions`` answers the possible twins of an earlier
    plan, by the pupil number in the file: True is the same pupil, False another one. Raises
    :class:`MappingError` when the mapping cannot identify pupils.
    """
    today = today or date.today()
    decisions = dict(twin_decisions or {})
    mapping = dict(mapping)
    problems = mapping_problems(mapping)
    if problems:
        raise MappingError(" ".join(problems))
    school = session.get(School, school_id)
    if school is None:
        raise ImportRefusedError(
            "Deze database bevat nog geen school. Richt eerst de school in "
            "(ib-desktop init --school NAAM of het programma zelf)."
        )
    label = school_year_label(today)
    plan = ImportPlan(
        school_id=school_id,
        today=today,
        school_year=label,
        path=table.path,
        source=table.description,
        headers=list(table.headers),
        mapping=mapping,
        full_export=full_export,
        rows_read=len(table.rows),
        left_on=left_on or default_leave_date(today),
    )
    plan.warnings.extend(table.notes)
    if table.school_year and table.school_year != label:
        plan.warnings.append(
            f"Het bestand beschrijft schooljaar {table.school_year}, maar wordt ingelezen in "
            f"schooljaar {label} (datum {short_date(today)}). Kies een datum in schooljaar "
            f"{table.school_year} als de groepen bij dat schooljaar horen."
        )
    if table.brin and school.brin and table.brin.upper() != school.brin.upper():
        plan.warnings.append(
            f"Het bestand is van BRIN {table.brin}, deze school heeft BRIN {school.brin}. "
            "Controleer of u de export van de goede school hebt gekozen."
        )

    existing = _load_existing(session, school_id)
    by_lvs = {p.lvs_id: p for p in existing if p.lvs_id}
    by_key = {p.key: p for p in existing}
    plan.active_before = sum(1 for p in existing if p.status == PupilStatus.ACTIEF)

    year_id = session.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == label))
    group_info = {
        gid: (name, yid)
        for gid, name, yid in session.execute(
            sa.select(Group.id, Group.name, Group.school_year_id).where(
                Group.school_id == school_id
            )
        )
    }

    cols = fields_in_use(mapping)
    seen_lvs: dict[str, int] = {}
    seen_key: dict[tuple[str, str, date], int] = {}
    seen_pupil: dict[int, int] = {}
    twin_pupils: set[int] = set()
    accepted: list[RowData] = []

    for raw, number in zip(table.rows, table.row_numbers, strict=True):

        def value(fld: Field, _raw: list[Any] = raw) -> Any:
            i = cols.get(fld)
            if i is None or i >= len(_raw):
                return None
            return _raw[i]

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
        for fld, what in (
            (Field.BIRTH_DATE, "geboortedatum"),
            (Field.ENROLLED_ON, "datum inschrijving"),
            (Field.FIRST_SCHOOL_DAY, "eerste schooldag"),
        ):
            try:
                dates[fld] = parse_cell_date(value(fld), what)
            except ValueError as exc:
                dates[fld] = None
                reasons.append(str(exc))
        birth = dates[Field.BIRTH_DATE]

        # Recognise the pupil first, so that a rejected row still protects its pupil from
        # being proposed as a leaver.
        key = (
            (*person_key(name.first_name, name.tussenvoegsel, name.last_name), birth)
            if birth
            else None
        )
        match: _Existing | None = None
        twin: _Existing | None = None
        if lvs_id and lvs_id in by_lvs:
            match = by_lvs[lvs_id]
        elif key and key in by_key:
            match = by_key[key]
            if lvs_id and match.lvs_id and match.lvs_id != lvs_id:
                # Same child with a new number, or two children with the same name and
                # birthday? Only the user knows; never decided silently.
                decision = decisions.get(lvs_id)
                if decision is None:
                    twin = match
                elif decision is False:
                    match = None

        if not name.last_name:
            reasons.append("achternaam ontbreekt")
        if not name.first_name:
            reasons.append("roepnaam ontbreekt")
        for attr, (limit, word) in LIMITS.items():
            text = (lvs_id or "") if attr == "lvs_id" else getattr(name, attr)
            if len(text) > limit:
                reasons.append(f"{word} is te lang (hoogstens {limit} tekens)")
        # Without a birth date a new pupil cannot be saved; a pupil recognised by number
        # keeps the birth date already known, unless the export has the column.
        birth_problem = any(r.startswith("geboortedatum") for r in reasons)
        if birth is None and not birth_problem and (match is None or Field.BIRTH_DATE in cols):
            reasons.append("geboortedatum ontbreekt")
        if birth is not None:
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
                d = dates[fld]
                if d is not None and d < birth:
                    reasons.append(f"{what} {short_date(d)} ligt vóór de geboortedatum")
        try:
            group = parse_group(value(Field.GROUP), value(Field.GRADE))
        except ValueError as exc:
            group = None
            reasons.append(str(exc))
        teachers = tuple(parse_teachers(value(Field.TEACHER)))

        # Duplicates within the file: the first row wins, later ones are rejected.
        earlier = None
        if lvs_id and lvs_id in seen_lvs:
            earlier = seen_lvs[lvs_id]
        elif key and key in seen_key:
            earlier = seen_key[key]
        elif match is not None and match.id in seen_pupil:
            earlier = seen_pupil[match.id]
        if earlier is not None:
            reasons.insert(0, f"dubbele regel: dezelfde leerling staat al op rij {earlier}")

        if match is not None and twin is None and not reasons and birth is not None:
            # A new name or birth date must not turn the pupil into another pupil.
            other = by_key.get(key) if key else None
            if other is not None and other.id != match.id:
                reasons.append(
                    f"naam en geboortedatum horen al bij een andere leerling "
                    f"({other.name.full_name}, leerlingnummer {other.lvs_id or '-'})"
                )

        if not reasons and twin is not None and match is not None:
            data = _row_data(number, lvs_id, name, birth, value(Field.GENDER), group, teachers,
                             dates)  # fmt: skip
            plan.twins.append(
                PossibleTwin(
                    data=data,
                    pupil_id=twin.id,
                    existing_name=twin.name.full_name,
                    existing_lvs_id=twin.lvs_id or "",
                    existing_group=group_info.get(twin.group_id or -1, ("", None))[0],
                )
            )
            twin_pupils.add(twin.id)
            if lvs_id:
                seen_lvs.setdefault(lvs_id, number)
            continue

        if reasons:
            plan.rejected.append(
                RejectedRow(
                    row=number,
                    reason="; ".join(_capitalize_first(reasons)),
                    values=tuple(cell_text(v) for v in raw),
                    pupil_id=match.id if match else None,
                )
            )
            continue
        _remember(seen_lvs, seen_key, seen_pupil, lvs_id, key, match, number)

        data = _row_data(number, lvs_id, name, birth, value(Field.GENDER), group, teachers, dates)
        accepted.append(data)
        if match is None:
            plan.new.append(NewPupil(data))
            continue
        changes, group_changed = _changes(match, data, group_info, year_id)
        reenrol = match.status == PupilStatus.VERTROKKEN
        enrol = match.status == PupilStatus.AANGEMELD
        if reenrol:
            changes.insert(0, FieldChange("status", "vertrokken", "actief (weer ingeschreven)"))
        elif enrol:
            # A registered child in the LVS's list of pupils has been enrolled.
            changes.insert(0, FieldChange("status", "aangemeld", "actief (ingeschreven)"))
        if changes:
            plan.changed.append(
                ChangedPupil(
                    data=data,
                    pupil_id=match.id,
                    version=match.version,
                    current_name=match.name.full_name,
                    changes=tuple(changes),
                    reenrol=reenrol,
                    enrol=enrol,
                    group_changed=group_changed,
                )
            )
        else:
            plan.unchanged.append(UnchangedPupil(data=data, pupil_id=match.id))

    if full_export:
        recognised = set(seen_pupil) | twin_pupils
        recognised.update(r.pupil_id for r in plan.rejected if r.pupil_id is not None)
        for p in existing:
            if p.status == PupilStatus.ACTIEF and p.id not in recognised:
                gname = group_info.get(p.group_id or -1, ("", None))[0]
                plan.leavers.append(
                    Leaver(
                        pupil_id=p.id,
                        version=p.version,
                        name=p.name.full_name,
                        sort_name=f"{p.last_name}, {p.first_name} {p.tussenvoegsel}".strip(),
                        group_name=gname,
                        birth_date=p.birth_date,
                        lvs_id=p.lvs_id or "",
                    )
                )
        plan.leavers.sort(key=lambda lv: (lv.group_name, lv.sort_name.casefold()))

    _plan_groups_and_teachers(session, plan, accepted, school_id, year_id, group_info)
    _add_warnings(plan)
    return plan


def _row_data(
    number: int,
    lvs_id: str | None,
    name: PersonName,
    birth: date | None,
    gender: Any,
    group: ParsedGroup | None,
    teachers: tuple[PersonName, ...],
    dates: Mapping[Field, date | None],
) -> RowData:
    return RowData(
        row=number,
        lvs_id=lvs_id,
        name=name,
        birth_date=birth,
        gender=parse_gender(gender),
        group=group,
        teachers=teachers,
        enrolled_on=dates[Field.ENROLLED_ON],
        first_school_day=dates[Field.FIRST_SCHOOL_DAY],
    )


def _remember(
    seen_lvs: dict[str, int],
    seen_key: dict[tuple[str, str, date], int],
    seen_pupil: dict[int, int],
    lvs_id: str | None,
    key: tuple[str, str, date] | None,
    match: _Existing | None,
    number: int,
) -> None:
    if lvs_id:
        seen_lvs.setdefault(lvs_id, number)
    if key:
        seen_key.setdefault(key, number)
    if match is not None:
        seen_pupil.setdefault(match.id, number)


def _capitalize_first(reasons: list[str]) -> list[str]:
    return [reasons[0][:1].upper() + reasons[0][1:], *reasons[1:]] if reasons else reasons


def _changes(
    p: _Existing,
    data: RowData,
    group_info: dict[int, tuple[str, int]],
    year_id: int | None,
) -> tuple[list[FieldChange], bool]:
    """What the row changes about an existing pupil; empty cells never erase anything."""
    changes: list[FieldChange] = []
    new_name = data.name
    if (new_name.first_name, new_name.tussenvoegsel, new_name.last_name) != (
        nfc(p.first_name),
        nfc(p.tussenvoegsel),
        nfc(p.last_name),
    ):
        changes.append(FieldChange("naam", p.name.full_name, new_name.full_name))
    if data.lvs_id and data.lvs_id != p.lvs_id:
        changes.append(FieldChange("leerlingnummer", p.lvs_id or "", data.lvs_id))
    if data.birth_date and data.birth_date != p.birth_date:
        changes.append(
            FieldChange("geboortedatum", short_date(p.birth_date), short_date(data.birth_date))
        )
    if data.gender and data.gender != p.gender:
        changes.append(
            FieldChange(
                "geslacht", GENDER_LABELS.get(p.gender, p.gender), GENDER_LABELS[data.gender]
            )
        )
    group_changed = False
    if data.group is not None:
        current = group_info.get(p.group_id or -1)
        same_year = current is not None and year_id is not None and current[1] == year_id
        if not same_year or current is None or current[0].casefold() != data.group.name.casefold():
            group_changed = True
            old = current[0] if current else ""
            if current is not None and not same_year:
                old += " (vorig schooljaar)"
            changes.append(FieldChange("groep", old, data.group.name))
    for attr, label in (
        ("enrolled_on", "datum inschrijving"),
        ("first_school_day", "eerste schooldag"),
    ):
        new_d = getattr(data, attr)
        old_d = getattr(p, attr)
        if new_d and new_d != old_d:
            changes.append(FieldChange(label, short_date(old_d), short_date(new_d)))
    return changes, group_changed


def _plan_groups_and_teachers(
    session: Session,
    plan: ImportPlan,
    accepted: list[RowData],
    school_id: int,
    year_id: int | None,
    group_info: dict[int, tuple[str, int]],
) -> None:
    """New groups of this school year, new teachers, and teachers to put on groups."""
    current_groups = {
        name.casefold(): gid
        for gid, (name, yid) in group_info.items()
        if year_id is not None and yid == year_id
    }
    wanted: dict[str, ParsedGroup] = {}
    teachers_of: dict[str, list[PersonName]] = {}
    for data in accepted:
        if data.group is None:
            continue
        k = data.group.name.casefold()
        wanted.setdefault(k, data.group)
        lst = teachers_of.setdefault(k, [])
        for t in data.teachers:
            if t not in lst:
                lst.append(t)
    plan.new_groups = sorted(
        (g for k, g in wanted.items() if k not in current_groups),
        key=lambda g: (g.grade_low, g.grade_high, g.name),
    )
    staff = [
        (sid, PersonName(first, tv, last), active)
        for sid, first, tv, last, active in session.execute(
            sa.select(
                Staff.id, Staff.first_name, Staff.tussenvoegsel, Staff.last_name, Staff.active
            )
            .where(Staff.school_id == school_id)
            .order_by(Staff.id)
        )
    ]
    links: set[tuple[int, int]] = set()
    if current_groups:
        links = {
            (gid, sid)
            for gid, sid in session.execute(
                sa.select(group_teachers.c.group_id, group_teachers.c.staff_id).where(
                    group_teachers.c.group_id.in_(list(current_groups.values()))
                )
            )
        }
    new_keys: dict[tuple[str, str], PersonName] = {}
    for k, names in teachers_of.items():
        gid = current_groups.get(k)
        for t in names:
            sid = match_staff(staff, t)
            if sid is None:
                tkey = _staff_key(t)
                # "J. de Vries" and "Joke de Vries" in one file are one new teacher.
                known = next(
                    (
                        n
                        for nk, n in new_keys.items()
                        if nk[1] == tkey[1] and nk[0][:1] == tkey[0][:1]
                    ),
                    None,
                )
                if known is None:
                    new_keys[tkey] = t
                    known = t
                t = known
            if gid is not None and sid is not None and (gid, sid) in links:
                continue
            link = TeacherLink(wanted[k].name, t, sid)
            if link not in plan.teacher_links:
                plan.teacher_links.append(link)
    plan.new_teachers = list(new_keys.values())


def _add_warnings(plan: ImportPlan) -> None:
    if plan.full_export and plan.many_leavers():
        plan.warnings.append(
            f"{len(plan.leavers)} van de {plan.active_before} leerlingen staan niet in dit "
            "bestand. Is dit wel de volledige export van alle leerlingen? Bevestig alleen de "
            "leerlingen die echt vertrokken zijn."
        )
    if plan.twins:
        plan.warnings.append(
            f"{len(plan.twins)} leerling(en) in het bestand lijken op een leerling die al in "
            "IB Desktop staat, maar met een ander leerlingnummer. Geef aan of het dezelfde "
            "leerling is; tot dan worden ze niet ingelezen."
        )
    if plan.leavers and plan.rejected:
        unknown = sum(1 for r in plan.rejected if r.pupil_id is None)
        if unknown:
            plan.warnings.append(
                f"{unknown} afgewezen rij(en) konden niet aan een leerling worden gekoppeld; "
                "controleer of die leerlingen niet ten onrechte bij 'Vertrekt' staan."
            )
