"""What an import plan holds: the rows read, and per pupil what would happen (new, changed,
unchanged, leaving, a possible twin, rejected), with the groups and teachers to add.

Plain frozen records, made by :func:`ib_desktop.importer.plan.build_plan` and read by the
preview, the report and :func:`ib_desktop.importer.apply.apply_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ib_desktop.dates import short_date
from ib_desktop.importer.columns import ColumnMapping
from ib_desktop.importer.values import ParsedGroup, PersonName

#: Confirming more than this share of the school's active pupils as leavers is asked first:
#: a file that lacks a quarter of the school is more likely a partial export than a migration.
LARGE_LEAVER_SHARE = 0.25
#: ... but a handful of leavers in a tiny school is no reason to ask.
LARGE_LEAVER_MINIMUM = 5


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
