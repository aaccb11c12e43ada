"""The values that go in and out of the pupil-file services: small dataclasses, no sessions.

The window never holds a session or a live ORM object: it gets these, edits them and hands
them back. Child records carry the ``version`` they were loaded at, for the version check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date

from ib_desktop.models import CareScope, Declaration, HistoryKind, MeetingKind, PupilStatus


class RecordGoneError(LookupError):
    """The record was removed (perhaps on another laptop) after the screen was opened."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} bestaat niet meer; misschien is het intussen verwijderd. "
            "Sluit het venster en open het dossier opnieuw."
        )


@dataclass
class PupilData:
    """The personal data of the Persoonsgegevens tab (and of a new pupil)."""

    first_name: str = ""
    tussenvoegsel: str = ""
    last_name: str = ""
    gender: str = ""
    birth_date: date | None = None
    first_school_day: date | None = None
    enrolled_on: date | None = None
    group_id: int | None = None
    lvs_id: str = ""
    family_composition: str = ""
    notes: str = ""


@dataclass
class GuardianData:
    """A parent or guardian as the dialog edits it."""

    name: str = ""
    relation: str = "ouder"
    has_custody: bool = True
    phone: str = ""
    email: str = ""
    address: str = ""
    notes: str = ""
    id: int | None = None
    version: int | None = None  # as loaded; None for a new record


@dataclass
class CareProviderData:
    """Hulpverlening around the pupil, the school or the family."""

    scope: CareScope = CareScope.LEERLING
    organisation: str = ""
    contact_name: str = ""
    kind: str = ""
    phone: str = ""
    email: str = ""
    start_date: date | None = None
    end_date: date | None = None
    notes: str = ""
    confidential: bool = False  # notes vertrouwelijk: read by ib and directie only
    id: int | None = None
    version: int | None = None  # as loaded; None for a new record
    restricted: bool = False  # loaded for a role that may not read it: notes blanked
    parent_views: list[ParentViewData] = field(default_factory=list)  # zienswijze ouders


@dataclass
class HistoryData:
    """A step of the school career, including the voorschoolse periode."""

    kind: HistoryKind = HistoryKind.BASISSCHOOL
    institution: str = ""
    start_date: date | None = None
    end_date: date | None = None
    notes: str = ""
    id: int | None = None
    version: int | None = None  # as loaded; None for a new record


@dataclass
class AssessmentData:
    """Onderzoek en diagnostiek; ``sensitive`` reports are not shown in overviews."""

    date: date | None = None
    kind: str = ""
    performed_by: str = ""
    conclusion: str = ""
    declaration: Declaration | None = None
    sensitive: bool = False
    # Released to the samenwerkingsverband with a guardian's permission (issue 19).
    swv_released_on: dt.date | None = None  # "date" is a field of this class
    swv_guardian_id: int | None = None
    swv_guardian_name: str = ""
    swv_released_by: str = ""
    id: int | None = None
    version: int | None = None  # as loaded; None for a new record
    restricted: bool = False  # loaded for a role that may not read it: content blanked
    parent_views: list[ParentViewData] = field(default_factory=list)  # zienswijze ouders


@dataclass
class MeetingData:
    """A meeting about this pupil (kindbespreking, OT, MDO, oudergesprek, ...)."""

    kind: MeetingKind = MeetingKind.KINDBESPREKING
    date: date | None = None
    title: str = ""
    held: bool = True
    notes: str = ""
    decisions: str = ""
    confidential: bool = False  # notes and decisions vertrouwelijk: ib and directie only
    id: int | None = None
    version: int | None = None  # as loaded; None for a new record
    other_pupils: int = 0  # how many other pupils the meeting is also about (read only)
    restricted: bool = False  # loaded for a role that may not read it: notes blanked
    parent_views: list[ParentViewData] = field(default_factory=list)  # zienswijze ouders


@dataclass
class ParentViewData:
    """Zienswijze ouders: the parents' own view on one record of the file (AVG, issue 19)."""

    entity: str = ""  # "assessment", "meeting", "care_provider", "level_assignment", ...
    entity_id: int = 0
    given_on: date | None = None
    guardian_id: int | None = None
    guardian_name: str = ""
    text: str = ""
    recorded_by: str = ""
    id: int | None = None
    version: int | None = None
    restricted: bool = False  # about a record the role may not read: text blanked


@dataclass(frozen=True)
class MembershipRow:
    """The group of the pupil in one school year (from GroupMembership)."""

    school_year: str
    group_name: str
    teachers: str


@dataclass(frozen=True)
class DocumentRow:
    """A support document of the pupil; ``open_id`` is what ``nav.open_document`` wants."""

    kind: str  # "korte_interventie" | "groeidocument" | "opp"
    open_id: int
    title: str
    status: str
    start: date | None
    end: date | None
    is_open: bool


@dataclass(frozen=True)
class LevelInfo:
    """One step of the staircase as the screens show it."""

    id: int
    position: int
    name: str
    color: str
    retired: bool = False
    required_documents: tuple[str, ...] = ()
    requires_any: bool = False

    @property
    def label(self) -> str:
        """ "3 - Specialistische ondersteuning"."""
        return f"{self.position} - {self.name}"


@dataclass(frozen=True)
class LevelStep:
    """One level assignment in the history, with the move that started it."""

    assignment_id: int
    area: str
    level: LevelInfo
    start: date
    end: date | None
    reason: str
    decided_by: str
    meeting_id: int | None
    meeting_label: str
    direction: str  # "start", "op" or "af"
    previous: LevelInfo | None
    parent_views: tuple[ParentViewData, ...] = ()  # zienswijze ouders on this decision


@dataclass(frozen=True)
class LevelHistory:
    """Everything the level timeline draws: the staircase and the steps over time."""

    levels: list[LevelInfo]
    steps: list[LevelStep]
    areas: list[str]  # "" (the pupil as a whole) first, then the areas with own levels
    start: date
    until: date
    left_on: date | None = None

    def current(self, area: str = "") -> LevelStep | None:
        """The open step for ``area`` (or None)."""
        for step in reversed(self.steps):
            if step.area == area and step.end is None:
                return step
        return None


@dataclass
class PupilFile:
    """The whole file of one pupil, read in one session for the window."""

    id: int
    version: int
    data: PupilData
    full_name: str
    status: PupilStatus
    left_on: date | None
    left_destination: str
    delete_after: date | None
    group_name: str
    teacher_names: str
    age: int | None
    guardians: list[GuardianData] = field(default_factory=list)
    care_providers: list[CareProviderData] = field(default_factory=list)
    history: list[HistoryData] = field(default_factory=list)
    memberships: list[MembershipRow] = field(default_factory=list)
    assessments: list[AssessmentData] = field(default_factory=list)
    meetings: list[MeetingData] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    levels: LevelHistory | None = None
    missing_documents: list[str] = field(default_factory=list)
    #: Zienswijze ouders per record: (entity, record id) -> the parents' views, oldest first.
    parent_views: dict[tuple[str, int], list[ParentViewData]] = field(default_factory=dict)

    def views_on(self, entity: str, record_id: int | None) -> list[ParentViewData]:
        """The parents' views on one record of the file (empty when none)."""
        if record_id is None:
            return []
        return self.parent_views.get((entity, record_id), [])

    @property
    def read_only(self) -> bool:
        """A pupil who left keeps a file that nobody changes by accident."""
        return self.status == PupilStatus.VERTROKKEN
