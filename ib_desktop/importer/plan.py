"""The plan of an import: what would be new, changed, unchanged, leaving or rejected.

Making the plan only reads the database; :func:`ib_desktop.importer.apply.apply_plan` carries
it out. A dry run is a plan that is shown and never applied. Pupils are matched on the LVS
number when the row has one, otherwise on name and birth date, so an import can be repeated
without ever creating the same pupil twice.


The records of a plan live in :mod:`ib_desktop.importer.plan_items` (and are named here too),
one row as read and checked in :mod:`ib_desktop.importer.plan_rows`, the groups and teachers in
:mod:`ib_desktop.importer.staffing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_label, school_year_start, short_date
from ib_desktop.importer.columns import ColumnMapping, Field, fields_in_use, mapping_problems
from ib_desktop.importer.plan_items import (
    LARGE_LEAVER_MINIMUM,
    LARGE_LEAVER_SHARE,
    ChangedPupil,
    FieldChange,
    ImportPlan,
    Leaver,
    NewPupil,
    PossibleTwin,
    RejectedRow,
    RowData,
    TeacherLink,
    UnchangedPupil,
)
from ib_desktop.importer.plan_rows import (
    Key,
    Row,
    birth_problems,
    name_problems,
    parse_row_group,
    read_row,
)
from ib_desktop.importer.staffing import match_staff, plan_groups_and_teachers
from ib_desktop.importer.table import ImportRefusedError, Table, cell_text
from ib_desktop.importer.values import (
    PersonName,
    person_key,
)
from ib_desktop.models import Group, Pupil, PupilStatus, School, SchoolYear
from ib_desktop.names import nfc

__all__ = [
    "LARGE_LEAVER_MINIMUM",
    "LARGE_LEAVER_SHARE",
    "ChangedPupil",
    "FieldChange",
    "ImportPlan",
    "Leaver",
    "MappingError",
    "NewPupil",
    "PossibleTwin",
    "RejectedRow",
    "RowData",
    "TeacherLink",
    "UnchangedPupil",
    "build_plan",
    "default_leave_date",
    "match_staff",
]

GENDER_LABELS = {"m": "jongen", "v": "meisje", "": "onbekend"}


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


@dataclass
class _Known:
    """What the database already holds: the school's pupils by number and by name, its groups
    (name and school year) and the id of the export's school year."""

    existing: list[_Existing]
    by_lvs: dict[str, _Existing]
    by_key: dict[Key, _Existing]
    group_info: dict[int, tuple[str, int]]
    year_id: int | None

    @classmethod
    def load(cls, session: Session, school_id: int, label: str) -> _Known:
        existing = _load_existing(session, school_id)
        year_id = session.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == label))
        group_info = {
            gid: (name, yid)
            for gid, name, yid in session.execute(
                sa.select(Group.id, Group.name, Group.school_year_id).where(
                    Group.school_id == school_id
                )
            )
        }
        return cls(
            existing,
            {p.lvs_id: p for p in existing if p.lvs_id},
            {p.key: p for p in existing},
            group_info,
            year_id,
        )

    def group_name(self, group_id: int | None) -> str:
        """The name of a group (empty when none)."""
        return self.group_info.get(group_id or -1, ("", None))[0]  # type: ignore[arg-type]

    def match(
        self, lvs_id: str | None, key: Key | None, decisions: Mapping[str, bool]
    ) -> tuple[_Existing | None, _Existing | None]:
        """The pupil a row means, and the pupil it may be a twin of (undecided).

        On the LVS number first, else on the folded name and birth date; a pupil found by name
        with another number is a possible twin until the user decides.
        """
        match: _Existing | None = None
        twin: _Existing | None = None
        if lvs_id and lvs_id in self.by_lvs:
            match = self.by_lvs[lvs_id]
        elif key and key in self.by_key:
            match = self.by_key[key]
            if lvs_id and match.lvs_id and match.lvs_id != lvs_id:
                # Same child with a new number, or two children with the same name and
                # birthday? Only the user knows; never decided silently.
                decision = decisions.get(lvs_id)
                if decision is None:
                    twin = match
                elif decision is False:
                    match = None
        return match, twin


@dataclass
class _Seen:
    """The rows accepted so far by number, name and pupil: the first row wins."""

    lvs: dict[str, int] = field(default_factory=dict)
    key: dict[Key, int] = field(default_factory=dict)
    pupil: dict[int, int] = field(default_factory=dict)
    twins: set[int] = field(default_factory=set)

    def earlier(self, lvs_id: str | None, key: Key | None, match: _Existing | None) -> int | None:
        """The row that already holds this pupil, if any."""
        if lvs_id and lvs_id in self.lvs:
            return self.lvs[lvs_id]
        if key and key in self.key:
            return self.key[key]
        if match is not None and match.id in self.pupil:
            return self.pupil[match.id]
        return None

    def remember(
        self, lvs_id: str | None, key: Key | None, match: _Existing | None, number: int
    ) -> None:
        """Note an accepted row."""
        if lvs_id:
            self.lvs.setdefault(lvs_id, number)
        if key:
            self.key.setdefault(key, number)
        if match is not None:
            self.pupil.setdefault(match.id, number)


@dataclass
class _Planner:
    """Puts each row of the file in its place in the plan."""

    plan: ImportPlan
    known: _Known
    cols: Mapping[Field, int]
    today: date
    decisions: Mapping[str, bool]
    seen: _Seen = field(default_factory=_Seen)
    accepted: list[RowData] = field(default_factory=list)

    def add(self, raw: list[Any], number: int) -> None:
        """Read, recognise and check one row; then it is a twin, rejected, new or known."""
        row = read_row(raw, number, self.cols)
        # Recognise the pupil first, so that a rejected row still protects its pupil from
        # being proposed as a leaver.
        key = row.key
        match, twin = self.known.match(row.lvs_id, key, self.decisions)
        row.reasons += name_problems(row)
        row.reasons += birth_problems(
            row,
            known_pupil=match is not None,
            has_column=Field.BIRTH_DATE in self.cols,
            today=self.today,
        )
        parse_row_group(row)
        # Duplicates within the file: the first row wins, later ones are rejected.
        earlier = self.seen.earlier(row.lvs_id, key, match)
        if earlier is not None:
            row.reasons.insert(0, f"dubbele regel: dezelfde leerling staat al op rij {earlier}")
        if match is not None and twin is None and not row.reasons and row.birth is not None:
            self._check_name_is_free(row, key, match)
        if not row.reasons and twin is not None and match is not None:
            self._add_twin(row, twin)
        elif row.reasons:
            self._reject(row, match)
        else:
            self.seen.remember(row.lvs_id, key, match, number)
            data = row.data()
            self.accepted.append(data)
            if match is None:
                self.plan.new.append(NewPupil(data))
            else:
                self._add_known(data, match)

    def _check_name_is_free(self, row: Row, key: Key | None, match: _Existing) -> None:
        """A new name or birth date must not turn the pupil into another pupil."""
        other = self.known.by_key.get(key) if key else None
        if other is not None and other.id != match.id:
            row.reasons.append(
                f"naam en geboortedatum horen al bij een andere leerling "
                f"({other.name.full_name}, leerlingnummer {other.lvs_id or '-'})"
            )

    def _add_twin(self, row: Row, twin: _Existing) -> None:
        self.plan.twins.append(
            PossibleTwin(
                data=row.data(),
                pupil_id=twin.id,
                existing_name=twin.name.full_name,
                existing_lvs_id=twin.lvs_id or "",
                existing_group=self.known.group_name(twin.group_id),
            )
        )
        self.seen.twins.add(twin.id)
        if row.lvs_id:
            self.seen.lvs.setdefault(row.lvs_id, row.number)

    def _reject(self, row: Row, match: _Existing | None) -> None:
        self.plan.rejected.append(
            RejectedRow(
                row=row.number,
                reason="; ".join(_capitalize_first(row.reasons)),
                values=tuple(cell_text(v) for v in row.raw),
                pupil_id=match.id if match else None,
            )
        )

    def _add_known(self, data: RowData, match: _Existing) -> None:
        """A pupil already known: changed (perhaps back at school or enrolled) or unchanged."""
        changes, group_changed = _changes(match, data, self.known.group_info, self.known.year_id)
        reenrol = match.status == PupilStatus.VERTROKKEN
        enrol = match.status == PupilStatus.AANGEMELD
        if reenrol:
            changes.insert(0, FieldChange("status", "vertrokken", "actief (weer ingeschreven)"))
        elif enrol:
            # A registered child in the LVS's list of pupils has been enrolled.
            changes.insert(0, FieldChange("status", "aangemeld", "actief (ingeschreven)"))
        if not changes:
            self.plan.unchanged.append(UnchangedPupil(data=data, pupil_id=match.id))
            return
        self.plan.changed.append(
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
    mapping = dict(mapping)
    school = _school_to_plan_for(session, mapping, school_id)
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
    _file_warnings(plan, table, school, label, today)
    known = _Known.load(session, school_id, label)
    plan.active_before = sum(1 for p in known.existing if p.status == PupilStatus.ACTIEF)
    planner = _Planner(plan, known, fields_in_use(mapping), today, dict(twin_decisions or {}))
    for raw, number in zip(table.rows, table.row_numbers, strict=True):
        planner.add(raw, number)
    if full_export:
        _propose_leavers(plan, known, planner.seen)
    plan_groups_and_teachers(
        session, plan, planner.accepted, school_id, known.year_id, known.group_info
    )
    _add_warnings(plan)
    return plan


def _school_to_plan_for(session: Session, mapping: ColumnMapping, school_id: int) -> School:
    """The school; refused when the mapping cannot identify pupils or there is no school."""
    problems = mapping_problems(mapping)
    if problems:
        raise MappingError(" ".join(problems))
    school = session.get(School, school_id)
    if school is None:
        raise ImportRefusedError(
            "Deze database bevat nog geen school. Richt eerst de school in "
            "(ib-desktop init --school NAAM of het programma zelf)."
        )
    return school


def _file_warnings(plan: ImportPlan, table: Table, school: School, label: str, today: date) -> None:
    """The reader's notes, and a file of another school year or another school (EDEXML)."""
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


def _propose_leavers(plan: ImportPlan, known: _Known, seen: _Seen) -> None:
    """Active pupils no row recognised (accepted, twin or rejected) leave, by group and name."""
    recognised = set(seen.pupil) | seen.twins
    recognised.update(r.pupil_id for r in plan.rejected if r.pupil_id is not None)
    for p in known.existing:
        if p.status == PupilStatus.ACTIEF and p.id not in recognised:
            plan.leavers.append(
                Leaver(
                    pupil_id=p.id,
                    version=p.version,
                    name=p.name.full_name,
                    sort_name=f"{p.last_name}, {p.first_name} {p.tussenvoegsel}".strip(),
                    group_name=known.group_name(p.group_id),
                    birth_date=p.birth_date,
                    lvs_id=p.lvs_id or "",
                )
            )
    plan.leavers.sort(key=lambda lv: (lv.group_name, lv.sort_name.casefold()))


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
