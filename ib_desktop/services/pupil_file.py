"""Rules of the pupil file: personal data, guardians, care, school career, assessments, meetings.

Everything the pupil file window saves goes through here, so the rules (no birth date in the
future, no end before its start, no duplicate pupil, a file that is read-only once the pupil has
left) hold for every screen and are tested without Qt. Each function works in the caller's
session; the caller's ``with db.session()`` block makes one user action one transaction.

Values go in and out as small dataclasses: the window never holds a session or a live ORM
object. Messages are Dutch and keyed by field, so the UI can show each beside its field.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session, selectinload

from ib_desktop.dates import school_year_bounds, short_date
from ib_desktop.models import (
    Assessment,
    CareProvider,
    CareScope,
    ChangeLog,
    Declaration,
    DocumentStatus,
    Group,
    GroupMembership,
    GrowthDocument,
    Guardian,
    HistoryKind,
    LevelAssignment,
    Meeting,
    MeetingKind,
    Opp,
    OppStatus,
    OppVersion,
    Pupil,
    PupilStatus,
    RetentionRecord,
    School,
    SchoolHistoryEntry,
    SchoolYear,
    ShortIntervention,
    Staff,
    SupportLevel,
    dutch_name,
    meeting_pupils,
)
from ib_desktop.services import audit, versioned
from ib_desktop.services.levels import (
    LevelChange,
    change_level,
    current_assignment,
    open_document_kinds,
    required_missing,
)
from ib_desktop.validation import ReadOnlyError, ValidationErrors

# ---------------------------------------------------------------------------- vocabulary

GENDER_LABELS = {"": "Onbekend", "v": "Meisje", "m": "Jongen", "x": "Anders / niet opgegeven"}

GUARDIAN_RELATIONS = [
    "moeder",
    "vader",
    "ouder",
    "verzorger",
    "pleegouder",
    "voogd",
    "grootouder",
    "overig",
]

CARE_SCOPE_LABELS = {
    CareScope.LEERLING: "Leerling",
    CareScope.SCHOOL: "School",
    CareScope.GEZIN: "Gezin",
}

HISTORY_KIND_LABELS = {
    HistoryKind.VOORSCHOOLS: "Voorschoolse periode",
    HistoryKind.BASISSCHOOL: "Basisschool",
    HistoryKind.SBO: "SBO",
    HistoryKind.SO: "SO",
    HistoryKind.OVERIG: "Overig",
}

DECLARATION_LABELS = {
    None: "",
    Declaration.DYSLEXIE: "Dyslexieverklaring",
    Declaration.DYSCALCULIE: "Dyscalculieverklaring",
}

MEETING_KIND_LABELS = {
    MeetingKind.KINDBESPREKING: "Kindbespreking",
    MeetingKind.GROEPSBESPREKING: "Groepsbespreking",
    MeetingKind.OT: "Ondersteuningsteam (OT)",
    MeetingKind.MDO: "MDO",
    MeetingKind.OUDERGESPREK: "Oudergesprek",
    MeetingKind.OVERIG: "Overig overleg",
}

DOCUMENT_STATUS_LABELS = {
    DocumentStatus.CONCEPT: "Concept",
    DocumentStatus.ACTIEF: "Lopend",
    DocumentStatus.AFGESLOTEN: "Afgesloten",
}

OPP_STATUS_LABELS = {
    OppStatus.CONCEPT: "Concept",
    OppStatus.BESPROKEN: "Besproken met ouders",
    OppStatus.VASTGESTELD: "Vastgesteld",
    OppStatus.GEEVALUEERD: "Geëvalueerd",
}


class LeaveKind(enum.StrEnum):
    """Where a pupil goes when leaving; SBO and SO referrals are kept longer."""

    ANDERE_BASISSCHOOL = "andere_basisschool"
    SBO = "sbo"
    SO = "so"
    VO = "vo"
    VERHUIZING = "verhuizing"
    OVERIG = "overig"


LEAVE_KIND_LABELS = {
    LeaveKind.ANDERE_BASISSCHOOL: "Andere basisschool",
    LeaveKind.SBO: "SBO",
    LeaveKind.SO: "SO",
    LeaveKind.VO: "Voortgezet onderwijs",
    LeaveKind.VERHUIZING: "Verhuizing",
    LeaveKind.OVERIG: "Overig",
}

#: The school board's usual retention after leaving; referrals to special education longer.
RETENTION_YEARS = 2
RETENTION_YEARS_SPECIAL = 3

READ_ONLY_MESSAGE = (
    "Deze leerling heeft de school verlaten; het dossier is alleen-lezen. "
    "Zet de leerling eerst terug naar actief om iets te wijzigen."
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = re.compile(r"^[0-9+\-() ./]+$")


class RecordGoneError(LookupError):
    """The record was removed (perhaps on another laptop) after the screen was opened."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} bestaat niet meer; misschien is het intussen verwijderd. "
            "Sluit het venster en open het dossier opnieuw."
        )


# ---------------------------------------------------------------------------- data classes


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


PUPIL_FIELD_LABELS = {
    "first_name": "voornaam",
    "tussenvoegsel": "tussenvoegsel",
    "last_name": "achternaam",
    "gender": "geslacht",
    "birth_date": "geboortedatum",
    "first_school_day": "eerste schooldag",
    "enrolled_on": "datum inschrijving",
    "group_id": "groep",
    "lvs_id": "LVS-nummer",
    "family_composition": "gezinssamenstelling",
    "notes": "notities",
}


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
    id: int | None = None
    version: int | None = None  # as loaded; None for a new record


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
    id: int | None = None
    version: int | None = None  # as loaded; None for a new record


@dataclass
class MeetingData:
    """A meeting about this pupil (kindbespreking, OT, MDO, oudergesprek, ...)."""

    kind: MeetingKind = MeetingKind.KINDBESPREKING
    date: date | None = None
    title: str = ""
    held: bool = True
    notes: str = ""
    decisions: str = ""
    id: int | None = None
    version: int | None = None  # as loaded; None for a new record
    other_pupils: int = 0  # how many other pupils the meeting is also about (read only)


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

    @property
    def read_only(self) -> bool:
        """A pupil who left keeps a file that nobody changes by accident."""
        return self.status == PupilStatus.VERTROKKEN


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


def _past(value: date | None, today: date, what: str) -> str:
    if value is not None and value > today:
        return (
            f"De {what} ligt in de toekomst ({short_date(value)}); "
            "vul een datum tot en met vandaag in."
        )
    return ""


def _period(start: date | None, end: date | None) -> str:
    if start and end and end < start:
        return f"De einddatum ligt vóór de begindatum ({short_date(start)})."
    return ""


def _changes(old: Any, new: Any, names: Iterable[str]) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for every field that differs."""
    return [
        (n, getattr(old, n), getattr(new, n)) for n in names if getattr(old, n) != getattr(new, n)
    ]


def _fmt(value: Any) -> str:
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if value is None:
        return ""
    return str(value)


# ---------------------------------------------------------------------------- lookups


def _pupil(session: Session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise RecordGoneError("Deze leerling")
    return pupil


def _writable(session: Session, pupil_id: int) -> Pupil:
    pupil = _pupil(session, pupil_id)
    if pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(READ_ONLY_MESSAGE)
    return pupil


def current_school_year(session: Session, today: date) -> SchoolYear | None:
    """The school year that ``today`` falls in (None when the database has none for it)."""
    start, _end = school_year_bounds(today)
    return session.scalars(sa.select(SchoolYear).where(SchoolYear.start_date == start)).first()


def group_choices(session: Session, school_id: int, today: date) -> list[tuple[int, str]]:
    """The groups of the current school year, in grade order, for a group field."""
    year = current_school_year(session, today)
    if year is None:
        return []
    rows = session.execute(
        sa.select(Group.id, Group.name)
        .where(Group.school_id == school_id, Group.school_year_id == year.id)
        .order_by(Group.grade_low, Group.grade_high, Group.name)
    ).all()
    return [(gid, name) for gid, name in rows]


def staff_choices(session: Session, school_id: int) -> list[tuple[int, str, str]]:
    """Active staff as (id, name, role): IB-ers and directie first, who usually decide."""
    order = {"ib": 0, "directie": 1, "leerkracht": 2, "onderwijsassistent": 3, "overig": 4}
    staff = session.scalars(
        sa.select(Staff).where(Staff.school_id == school_id, Staff.active.is_(True))
    ).all()
    staff = sorted(staff, key=lambda s: (order.get(str(s.role), 9), s.last_name, s.first_name))
    return [(s.id, s.full_name, str(s.role)) for s in staff]


def _level_info(level: SupportLevel) -> LevelInfo:
    return LevelInfo(
        id=level.id,
        position=level.position,
        name=level.name,
        color=level.color or "#9e9e9e",
        retired=level.retired,
        required_documents=tuple(level.required_documents or ()),
        requires_any=bool(level.requires_any),
    )


def school_levels(
    session: Session, school_id: int, *, include_retired: bool = False
) -> list[LevelInfo]:
    """The levels of the school's staircase, lowest first."""
    school = session.get(School, school_id)
    if school is None or school.support_structure is None:
        return []
    return [
        _level_info(lvl)
        for lvl in school.support_structure.levels
        if include_retired or not lvl.retired
    ]


# ---------------------------------------------------------------------------- the pupil


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
    birth = data.birth_date
    if birth is None:
        errors["birth_date"] = "Vul de geboortedatum in."
    elif msg := _past(birth, today, "geboortedatum"):
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
    first = data.first_school_day
    if first is not None:
        if msg := _past(first, today, "eerste schooldag"):
            errors["first_school_day"] = msg
        elif birth and first < birth:
            errors["first_school_day"] = "De eerste schooldag ligt vóór de geboortedatum."
        elif birth and first < birth + relativedelta(years=4):
            warnings["first_school_day"] = (
                "Let op: de eerste schooldag ligt vóór de vierde verjaardag "
                f"({short_date(birth + relativedelta(years=4))}). Klopt dat?"
            )
    if data.enrolled_on is not None and birth and data.enrolled_on < birth:
        errors["enrolled_on"] = "De datum van inschrijving ligt vóór de geboortedatum."
    lvs = clean(data.lvs_id)
    if len(lvs) > 40:
        errors["lvs_id"] = "Het LVS-nummer is te lang (hoogstens 40 tekens)."
    elif lvs:
        query = sa.select(Pupil).where(Pupil.school_id == school_id, Pupil.lvs_id == lvs)
        if pupil_id is not None:
            query = query.where(Pupil.id != pupil_id)
        other = session.scalars(query.limit(1)).first()
        if other is not None:
            errors["lvs_id"] = f"Dit LVS-nummer hoort al bij {other.full_name}."
    if data.group_id is not None:
        group = session.get(Group, data.group_id)
        if group is None or group.school_id != school_id:
            errors["group_id"] = "Deze groep bestaat niet (meer); kies een andere groep."
    if "first_name" not in errors and "last_name" not in errors and birth is not None:
        other = find_duplicate(session, school_id, data, exclude_id=pupil_id)
        if other is not None:
            status = "vertrokken" if other.status == PupilStatus.VERTROKKEN else "ingeschreven"
            errors["name"] = (
                f"Er is al een leerling {other.full_name} met geboortedatum "
                f"{short_date(other.birth_date)} ({status}). Een leerling kan maar één keer "
                "in het dossier staan; open de bestaande leerling."
            )
    return errors, warnings


def _pupil_values(data: PupilData) -> dict[str, Any]:
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


def _apply_pupil(pupil: Pupil, data: PupilData) -> None:
    for name, value in _pupil_values(data).items():
        setattr(pupil, name, value)


def _pupil_versioned(session: Session, pupil_id: int) -> versioned.Versioned:
    """How a save of the personal data checks its version and tells who changed it."""

    def show(name: str, value: Any) -> str:
        if name == "group_id":
            group = session.get(Group, value) if value is not None else None
            return group.name if group is not None else ""
        if name == "gender":
            return GENDER_LABELS.get(value or "", str(value))
        return versioned.display(value)

    return versioned.Versioned(
        what="de persoonsgegevens van deze leerling",
        labels=PUPIL_FIELD_LABELS,
        show=show,
        history=versioned.History(
            "pupil", pupil_id, (*PUPIL_FIELD_LABELS.values(), "status")
        ),
    )


def _sync_membership(session: Session, pupil: Pupil, today: date) -> None:
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
    levels = school_levels(session, school_id)
    chosen = None
    if level_id is not None:
        chosen = next((lvl for lvl in levels if lvl.id == level_id), None)
        if chosen is None:
            errors["level_id"] = "Kies een niveau uit de ondersteuningsstructuur van de school."
    elif levels:
        chosen = levels[0]
    since = level_start or data.enrolled_on or today
    if since > today:
        errors["level_start"] = "De startdatum van het niveau ligt in de toekomst."
    elif data.birth_date and since < data.birth_date:
        errors["level_start"] = "De startdatum van het niveau ligt vóór de geboortedatum."
    ValidationErrors.collect(errors)
    pupil = Pupil(school_id=school_id, status=PupilStatus.ACTIEF)
    _apply_pupil(pupil, data)
    session.add(pupil)
    session.flush()
    _sync_membership(session, pupil, today)
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
    pupil = _writable(session, pupil_id)
    spec = _pupil_versioned(session, pupil_id)
    mine = _pupil_values(data)
    versioned.check_version(session, pupil, expected_version, mine, spec)
    errors, warnings = check_pupil(session, pupil.school_id, data, today=today, pupil_id=pupil.id)
    ValidationErrors.collect(errors)
    # No write before the end: a save in between must fail on the version, not halfway.
    with session.no_autoflush:
        before = load_pupil_data(pupil)
        _apply_pupil(pupil, data)
        after = load_pupil_data(pupil)
        changed = _changes(before, after, [f.name for f in fields(PupilData)])
        if not changed:
            return pupil.version, warnings
        groups = {}
        if any(name == "group_id" for name, _o, _n in changed):
            ids = [i for i in (before.group_id, after.group_id) if i is not None]
            groups = dict(
                session.execute(sa.select(Group.id, Group.name).where(Group.id.in_(ids))).all()
            )
        for name, old, new in changed:
            if name == "group_id":
                old, new = groups.get(old, ""), groups.get(new, "")
            audit.record(
                session,
                "pupil",
                pupil.id,
                "gewijzigd",
                field=PUPIL_FIELD_LABELS[name],
                old=_fmt(old),
                new=_fmt(new),
                actor=actor,
            )
        _sync_membership(session, pupil, today)
    versioned.flush(session, pupil, mine, spec)
    return pupil.version, warnings


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
        if f.name in ("birth_date", "first_school_day", "enrolled_on") and value:
            value = date.fromisoformat(value)
        setattr(data, f.name, value)
    return data


# ---------------------------------------------------------------------------- child records


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
    if msg := _period(data.start_date, data.end_date):
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
    if msg := _past(data.start_date, today, "begindatum"):
        errors["start_date"] = msg
    elif birth_date and data.start_date and data.start_date < birth_date:
        errors["start_date"] = "De begindatum ligt vóór de geboortedatum."
    if msg := _period(data.start_date, data.end_date):
        errors["end_date"] = msg
    return errors


def check_assessment(
    data: AssessmentData, *, today: date, birth_date: date | None
) -> dict[str, str]:
    """Errors for an assessment: done, so not in the future."""
    errors: dict[str, str] = {}
    if data.date is None:
        errors["date"] = "Vul de datum van het onderzoek in."
    elif msg := _past(data.date, today, "datum van het onderzoek"):
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


#: Dutch names of the fields of the records in the file, as a conflict shows them.
FIELD_LABELS = {
    "name": "naam",
    "relation": "relatie",
    "has_custody": "gezag",
    "phone": "telefoon",
    "email": "e-mail",
    "address": "adres",
    "notes": "notities",
    "scope": "rond",
    "organisation": "organisatie",
    "contact_name": "contactpersoon",
    "kind": "soort",
    "start_date": "begindatum",
    "end_date": "einddatum",
    "institution": "school of voorziening",
    "date": "datum",
    "performed_by": "uitgevoerd door",
    "conclusion": "conclusie",
    "declaration": "verklaring",
    "sensitive": "vertrouwelijk",
    "title": "titel",
    "held": "gehouden",
    "decisions": "besluiten",
}

_ENUM_LABELS: dict[type, dict[Any, str]] = {
    CareScope: CARE_SCOPE_LABELS,
    HistoryKind: HISTORY_KIND_LABELS,
    Declaration: DECLARATION_LABELS,
    MeetingKind: MEETING_KIND_LABELS,
}


def _show(_name: str, value: Any) -> str:
    """A value as the conflict dialog shows it (enum members by their Dutch label)."""
    labels = _ENUM_LABELS.get(type(value))
    if labels is not None:
        return labels[value]
    return versioned.display(value)


@dataclass(frozen=True)
class _ChildSpec:
    model: type
    label: str  # "ouder/verzorger"
    fields: tuple[str, ...]
    describe: str  # attribute used in the change log summary
    what: str  # "deze ouder/verzorger": the record in a sentence

    def lock_spec(self, pupil_id: int) -> versioned.Versioned:
        """How a save of this kind of record checks its version and tells who changed it."""
        return versioned.Versioned(
            what=self.what,
            labels=FIELD_LABELS,
            show=_show,
            history=versioned.History("pupil", pupil_id, (self.label,)),
        )


_GUARDIAN = _ChildSpec(
    Guardian,
    "ouder/verzorger",
    ("name", "relation", "has_custody", "phone", "email", "address", "notes"),
    "name",
    "deze ouder/verzorger",
)
_CARE = _ChildSpec(
    CareProvider,
    "hulpverlening",
    (
        "scope",
        "organisation",
        "contact_name",
        "kind",
        "phone",
        "email",
        "start_date",
        "end_date",
        "notes",
    ),
    "organisation",
    "deze hulpverlening",
)
_HISTORY = _ChildSpec(
    SchoolHistoryEntry,
    "schoolloopbaan",
    ("kind", "institution", "start_date", "end_date", "notes"),
    "institution",
    "deze stap in de schoolloopbaan",
)
_ASSESSMENT = _ChildSpec(
    Assessment,
    "onderzoek",
    ("date", "kind", "performed_by", "conclusion", "declaration", "sensitive"),
    "kind",
    "dit onderzoek",
)
_MEETING = _ChildSpec(
    Meeting,
    "vergadering",
    ("kind", "date", "title", "held", "notes", "decisions"),
    "title",
    "deze vergadering",
)


def _normalised(data: Any, spec: _ChildSpec) -> dict[str, Any]:
    out = {}
    for name in spec.fields:
        value = getattr(data, name)
        if isinstance(value, str) and name not in ("notes", "conclusion", "address"):
            value = clean(value)
        elif isinstance(value, str):
            value = value.strip()
        out[name] = value
    return out


def _save_child(
    session: Session,
    spec: _ChildSpec,
    pupil_id: int,
    data: Any,
    *,
    actor: str | None,
    sensitive: bool = False,
) -> int:
    """Create or update one child record of the pupil and write the change log."""
    _writable(session, pupil_id)
    values = _normalised(data, spec)
    if data.id is None:
        record = spec.model(pupil_id=pupil_id, **values)
        session.add(record)
        session.flush()
        audit.record(
            session,
            "pupil",
            pupil_id,
            "toegevoegd",
            field=spec.label,
            new="" if sensitive else _fmt(values[spec.describe]),
            summary=f"{spec.label} toegevoegd"
            + ("" if sensitive else f": {values[spec.describe]}"),
            actor=actor,
        )
        return int(record.id)
    record = session.get(spec.model, data.id)
    if record is None or record.pupil_id != pupil_id:
        raise RecordGoneError(spec.label.capitalize())

    def log(name: str, old: Any, new: Any) -> None:
        audit.record(
            session,
            "pupil",
            pupil_id,
            "gewijzigd",
            field=f"{spec.label}: {name}",
            old="" if sensitive else _fmt(old),
            new="" if sensitive else _fmt(new),
            summary="vertrouwelijk gegeven gewijzigd" if sensitive else "",
            actor=actor,
        )

    versioned.save_versioned(
        session, record, data.version, values, spec.lock_spec(pupil_id), log=log
    )
    return int(record.id)


def _delete_child(
    session: Session, spec: _ChildSpec, pupil_id: int, record_id: int, *, actor: str | None
) -> None:
    _writable(session, pupil_id)
    record = session.get(spec.model, record_id)
    if record is None or record.pupil_id != pupil_id:
        raise RecordGoneError(spec.label.capitalize())
    sensitive = bool(getattr(record, "sensitive", False))
    audit.record(
        session,
        "pupil",
        pupil_id,
        "verwijderd",
        field=spec.label,
        old="" if sensitive else _fmt(getattr(record, spec.describe)),
        actor=actor,
    )
    session.delete(record)
    session.flush()


def save_guardian(
    session: Session, pupil_id: int, data: GuardianData, *, actor: str | None = None
) -> int:
    """Add or change a parent/guardian; returns its id."""
    _writable(session, pupil_id)
    ValidationErrors.collect(check_guardian(data))
    return _save_child(session, _GUARDIAN, pupil_id, data, actor=actor)


def delete_guardian(
    session: Session, pupil_id: int, guardian_id: int, *, actor: str | None = None
) -> None:
    """Remove a parent/guardian from the file."""
    _delete_child(session, _GUARDIAN, pupil_id, guardian_id, actor=actor)


def save_care_provider(
    session: Session, pupil_id: int, data: CareProviderData, *, actor: str | None = None
) -> int:
    """Add or change hulpverlening; returns its id."""
    _writable(session, pupil_id)
    ValidationErrors.collect(check_care_provider(data))
    data.scope = CareScope(data.scope)
    return _save_child(session, _CARE, pupil_id, data, actor=actor)


def delete_care_provider(
    session: Session, pupil_id: int, care_id: int, *, actor: str | None = None
) -> None:
    """Remove hulpverlening from the file."""
    _delete_child(session, _CARE, pupil_id, care_id, actor=actor)


def save_history(
    session: Session, pupil_id: int, data: HistoryData, *, today: date, actor: str | None = None
) -> int:
    """Add or change a school-career step; returns its id."""
    pupil = _writable(session, pupil_id)
    ValidationErrors.collect(check_history(data, today=today, birth_date=pupil.birth_date))
    data.kind = HistoryKind(data.kind)
    return _save_child(session, _HISTORY, pupil_id, data, actor=actor)


def delete_history(
    session: Session, pupil_id: int, entry_id: int, *, actor: str | None = None
) -> None:
    """Remove a school-career step."""
    _delete_child(session, _HISTORY, pupil_id, entry_id, actor=actor)


def save_assessment(
    session: Session, pupil_id: int, data: AssessmentData, *, today: date, actor: str | None = None
) -> int:
    """Add or change an assessment; sensitive content stays out of the change log."""
    pupil = _writable(session, pupil_id)
    ValidationErrors.collect(check_assessment(data, today=today, birth_date=pupil.birth_date))
    data.declaration = Declaration(data.declaration) if data.declaration else None
    sensitive = data.sensitive
    if data.id is not None:
        existing = session.get(Assessment, data.id)
        sensitive = sensitive or bool(existing and existing.sensitive)
    return _save_child(session, _ASSESSMENT, pupil_id, data, actor=actor, sensitive=sensitive)


def delete_assessment(
    session: Session, pupil_id: int, assessment_id: int, *, actor: str | None = None
) -> None:
    """Remove an assessment."""
    _delete_child(session, _ASSESSMENT, pupil_id, assessment_id, actor=actor)


def save_meeting(
    session: Session, pupil_id: int, data: MeetingData, *, today: date, actor: str | None = None
) -> int:
    """Add or change a meeting about this pupil; returns the meeting id."""
    pupil = _writable(session, pupil_id)
    ValidationErrors.collect(check_meeting(data, today=today))
    kind = MeetingKind(data.kind)
    title = clean(data.title) or MEETING_KIND_LABELS[kind]
    if data.id is None:
        meeting = Meeting(
            school_id=pupil.school_id,
            kind=kind,
            date=data.date,
            title=title,
            held=data.held,
            notes=data.notes.strip(),
            decisions=data.decisions.strip(),
            group_id=pupil.group_id,
        )
        meeting.pupils.append(pupil)
        session.add(meeting)
        session.flush()
        audit.record(
            session,
            "pupil",
            pupil_id,
            "toegevoegd",
            field="vergadering",
            new=f"{MEETING_KIND_LABELS[kind]} {short_date(data.date)}",
            actor=actor,
        )
        return meeting.id
    existing = session.get(Meeting, data.id)
    if existing is None or pupil not in existing.pupils:
        raise RecordGoneError("Deze vergadering")
    meeting = existing
    new_values = {
        "kind": kind,
        "date": data.date,
        "title": title,
        "held": data.held,
        "notes": data.notes.strip(),
        "decisions": data.decisions.strip(),
    }

    def log(name: str, old: Any, new: Any) -> None:
        audit.record(
            session,
            "pupil",
            pupil_id,
            "gewijzigd",
            field=f"vergadering: {name}",
            old=_fmt(old),
            new=_fmt(new),
            actor=actor,
        )

    versioned.save_versioned(
        session, meeting, data.version, new_values, _MEETING.lock_spec(pupil_id), log=log
    )
    return meeting.id


def delete_meeting(
    session: Session, pupil_id: int, meeting_id: int, *, actor: str | None = None
) -> bool:
    """Remove a meeting from this pupil's file.

    A meeting about several pupils stays for the others; only the link to this pupil goes.
    Returns True when the meeting itself was deleted.
    """
    pupil = _writable(session, pupil_id)
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or pupil not in meeting.pupils:
        raise RecordGoneError("Deze vergadering")
    label = f"{MEETING_KIND_LABELS[MeetingKind(meeting.kind)]} {short_date(meeting.date)}"
    whole = len(meeting.pupils) == 1
    if whole:
        session.delete(meeting)
    else:
        meeting.pupils.remove(pupil)
        session.execute(
            sa.update(LevelAssignment)
            .where(LevelAssignment.pupil_id == pupil_id, LevelAssignment.meeting_id == meeting_id)
            .values(meeting_id=None)
        )
    audit.record(
        session, "pupil", pupil_id, "verwijderd", field="vergadering", old=label, actor=actor
    )
    session.flush()
    return whole


def pupil_meetings(session: Session, pupil_id: int) -> list[MeetingData]:
    """The meetings about this pupil, newest first."""
    meetings = session.scalars(
        sa.select(Meeting)
        .join(meeting_pupils, meeting_pupils.c.meeting_id == Meeting.id)
        .where(meeting_pupils.c.pupil_id == pupil_id)
        .options(selectinload(Meeting.pupils))
        .order_by(Meeting.date.desc(), Meeting.id.desc())
    ).all()
    return [
        MeetingData(
            kind=MeetingKind(m.kind),
            date=m.date,
            title=m.title,
            held=m.held,
            notes=m.notes,
            decisions=m.decisions,
            id=m.id,
            version=m.version,
            other_pupils=max(0, len(m.pupils) - 1),
        )
        for m in meetings
    ]


def meeting_label(data: MeetingData | Meeting) -> str:
    """ "Kindbespreking 12-03-2026" (with the title when it says more)."""
    kind = MEETING_KIND_LABELS[MeetingKind(data.kind)]
    text = f"{kind} {short_date(data.date)}"
    if data.title and data.title.lower() not in (kind.lower(), "leerlingbespreking"):
        text += f" - {data.title}"
    return text


# ---------------------------------------------------------------------------- loading


def _guardian_data(g: Guardian) -> GuardianData:
    return GuardianData(
        name=g.name,
        relation=g.relation,
        has_custody=g.has_custody,
        phone=g.phone,
        email=g.email,
        address=g.address,
        notes=g.notes,
        id=g.id,
        version=g.version,
    )


def _care_data(c: CareProvider) -> CareProviderData:
    return CareProviderData(
        scope=CareScope(c.scope),
        organisation=c.organisation,
        contact_name=c.contact_name,
        kind=c.kind,
        phone=c.phone,
        email=c.email,
        start_date=c.start_date,
        end_date=c.end_date,
        notes=c.notes,
        id=c.id,
        version=c.version,
    )


def _history_data(h: SchoolHistoryEntry) -> HistoryData:
    return HistoryData(
        kind=HistoryKind(h.kind),
        institution=h.institution,
        start_date=h.start_date,
        end_date=h.end_date,
        notes=h.notes,
        id=h.id,
        version=h.version,
    )


def _assessment_data(a: Assessment) -> AssessmentData:
    return AssessmentData(
        date=a.date,
        kind=a.kind,
        performed_by=a.performed_by,
        conclusion=a.conclusion,
        declaration=Declaration(a.declaration) if a.declaration else None,
        sensitive=a.sensitive,
        id=a.id,
        version=a.version,
    )


def load_guardian(session: Session, pupil_id: int, guardian_id: int) -> GuardianData:
    """One guardian of the pupil (for the edit dialog)."""
    g = session.get(Guardian, guardian_id)
    if g is None or g.pupil_id != pupil_id:
        raise RecordGoneError("Deze ouder/verzorger")
    return _guardian_data(g)


def load_care_provider(session: Session, pupil_id: int, care_id: int) -> CareProviderData:
    """One care provider of the pupil."""
    c = session.get(CareProvider, care_id)
    if c is None or c.pupil_id != pupil_id:
        raise RecordGoneError("Deze hulpverlening")
    return _care_data(c)


def load_history(session: Session, pupil_id: int, entry_id: int) -> HistoryData:
    """One school-career step of the pupil."""
    h = session.get(SchoolHistoryEntry, entry_id)
    if h is None or h.pupil_id != pupil_id:
        raise RecordGoneError("Deze stap in de schoolloopbaan")
    return _history_data(h)


def load_assessment(session: Session, pupil_id: int, assessment_id: int) -> AssessmentData:
    """One assessment of the pupil."""
    a = session.get(Assessment, assessment_id)
    if a is None or a.pupil_id != pupil_id:
        raise RecordGoneError("Dit onderzoek")
    return _assessment_data(a)


def load_meeting(session: Session, pupil_id: int, meeting_id: int) -> MeetingData:
    """One meeting about the pupil."""
    for m in pupil_meetings(session, pupil_id):
        if m.id == meeting_id:
            return m
    raise RecordGoneError("Deze vergadering")


def pupil_documents(session: Session, pupil_id: int, *, today: date) -> list[DocumentRow]:
    """The pupil's korte interventies, groeidocumenten and OPP versions, newest first."""
    rows: list[DocumentRow] = []
    for si in session.scalars(
        sa.select(ShortIntervention).where(ShortIntervention.pupil_id == pupil_id)
    ):
        goal = clean(si.goal.replace("\n", " "))
        title = (goal[:80] + ("…" if len(goal) > 80 else "")) if goal else "Korte interventie"
        rows.append(
            DocumentRow(
                "korte_interventie",
                si.id,
                title,
                DOCUMENT_STATUS_LABELS[DocumentStatus(si.status)],
                si.start_date,
                si.end_date,
                si.status != DocumentStatus.AFGESLOTEN,
            )
        )
    for gd in session.scalars(
        sa.select(GrowthDocument)
        .where(GrowthDocument.pupil_id == pupil_id)
        .options(selectinload(GrowthDocument.periods))
    ):
        starts = [p.start_date for p in gd.periods]
        ends = [p.end_date for p in gd.periods]
        rows.append(
            DocumentRow(
                "groeidocument",
                gd.id,
                gd.title or "Groeidocument",
                DOCUMENT_STATUS_LABELS[DocumentStatus(gd.status)],
                min(starts) if starts else None,
                max(ends) if ends else None,
                gd.status != DocumentStatus.AFGESLOTEN,
            )
        )
    for opp in session.scalars(
        sa.select(Opp).where(Opp.pupil_id == pupil_id).options(selectinload(Opp.versions))
    ):
        running = opp.end_date is None or opp.end_date >= today
        versions: list[OppVersion] = sorted(opp.versions, key=lambda v: v.number)
        if not versions:
            rows.append(
                DocumentRow(
                    "opp", opp.id, "OPP", "Nog geen versie", opp.start_date, opp.end_date, running
                )
            )
        for v in versions:
            start = v.fixed_on or v.discussed_on or opp.start_date
            end = v.evaluated_on or v.next_evaluation_on
            rows.append(
                DocumentRow(
                    "opp",
                    opp.id,
                    f"OPP versie {v.number}",
                    OPP_STATUS_LABELS[OppStatus(v.status)],
                    start,
                    end,
                    running and v is versions[-1],
                )
            )
    rows.sort(key=lambda r: (r.start or date.min, r.kind, r.title), reverse=True)
    return rows


def level_history(session: Session, pupil_id: int, *, today: date) -> LevelHistory:
    """The pupil's level over time: every assignment, with the direction of each move."""
    pupil = _pupil(session, pupil_id)
    assignments = session.scalars(
        sa.select(LevelAssignment)
        .where(LevelAssignment.pupil_id == pupil_id)
        .options(
            selectinload(LevelAssignment.level),
            selectinload(LevelAssignment.decided_by),
            selectinload(LevelAssignment.meeting),
        )
        .order_by(LevelAssignment.start_date, LevelAssignment.id)
    ).all()
    levels = {lvl.id: lvl for lvl in school_levels(session, pupil.school_id)}
    steps: list[LevelStep] = []
    last: dict[str, LevelInfo] = {}
    for a in assignments:
        info = _level_info(a.level)
        levels.setdefault(info.id, info)
        prev = last.get(a.area)
        direction = "start" if prev is None else "op" if info.position > prev.position else "af"
        decided = a.decided_by.full_name if a.decided_by else a.decided_by_name
        steps.append(
            LevelStep(
                assignment_id=a.id,
                area=a.area,
                level=info,
                start=a.start_date,
                end=a.end_date,
                reason=a.reason,
                decided_by=decided or "",
                meeting_id=a.meeting_id,
                meeting_label=meeting_label(a.meeting) if a.meeting else "",
                direction=direction,
                previous=prev,
            )
        )
        last[a.area] = info
    areas = [""] + sorted({s.area for s in steps if s.area})
    until = pupil.left_on or today
    candidates = [s.start for s in steps] + [
        d for d in (pupil.first_school_day, pupil.enrolled_on) if d is not None
    ]
    start = min(candidates) if candidates else today
    start = min(start, until)
    return LevelHistory(
        levels=sorted(levels.values(), key=lambda lvl: (lvl.position, lvl.id)),
        steps=steps,
        areas=areas,
        start=start,
        until=until,
        left_on=pupil.left_on,
    )


def load_pupil_file(session: Session, pupil_id: int, *, today: date) -> PupilFile:
    """Everything the pupil file window shows, read in one go."""
    pupil = session.scalars(
        sa.select(Pupil)
        .where(Pupil.id == pupil_id)
        .options(
            selectinload(Pupil.guardians),
            selectinload(Pupil.care_providers),
            selectinload(Pupil.school_history),
            selectinload(Pupil.assessments),
            selectinload(Pupil.memberships)
            .selectinload(GroupMembership.group)
            .selectinload(Group.teachers),
            selectinload(Pupil.memberships).selectinload(GroupMembership.school_year),
            selectinload(Pupil.group).selectinload(Group.teachers),
        )
    ).first()
    if pupil is None:
        raise RecordGoneError("Deze leerling")
    group = pupil.group
    if group is None and pupil.memberships:
        group = max(pupil.memberships, key=lambda m: m.school_year.start_date).group
    memberships = [
        MembershipRow(
            m.school_year.label,
            m.group.name,
            ", ".join(t.full_name for t in m.group.teachers),
        )
        for m in sorted(pupil.memberships, key=lambda m: m.school_year.start_date, reverse=True)
    ]
    history = level_history(session, pupil_id, today=today)
    present = open_document_kinds(session, [pupil_id], today=today).get(pupil_id, set())
    missing: list[str] = []
    if pupil.status != PupilStatus.VERTROKKEN:
        for area in history.areas:
            step = history.current(area)
            if step is None:
                continue
            level = session.get(SupportLevel, step.level.id)
            for kind in required_missing(level, present):  # type: ignore[arg-type]
                if kind not in missing:
                    missing.append(kind)
    return PupilFile(
        id=pupil.id,
        version=pupil.version,
        data=load_pupil_data(pupil),
        full_name=pupil.full_name,
        status=PupilStatus(pupil.status),
        left_on=pupil.left_on,
        left_destination=pupil.left_destination or "",
        delete_after=pupil.delete_after,
        group_name=group.name if group else "",
        teacher_names=", ".join(t.full_name for t in group.teachers) if group else "",
        age=age_on(pupil.birth_date, pupil.left_on or today),
        guardians=[_guardian_data(g) for g in pupil.guardians],
        care_providers=[_care_data(c) for c in pupil.care_providers],
        history=[_history_data(h) for h in pupil.school_history],
        memberships=memberships,
        assessments=[
            _assessment_data(a)
            for a in sorted(pupil.assessments, key=lambda a: a.date, reverse=True)
        ],
        meetings=pupil_meetings(session, pupil_id),
        documents=pupil_documents(session, pupil_id, today=today),
        levels=history,
        missing_documents=missing,
    )


# ---------------------------------------------------------------------------- levels


def undo_last_level_change(
    session: Session, pupil_id: int, area: str = "", *, actor: str | None = None
) -> LevelStep | None:
    """Take back the latest move of an area (a mistake), reopening the level before it.

    The very first level cannot be taken back: a pupil always stands somewhere.
    Returns the step that was removed.
    """
    _writable(session, pupil_id)
    current = current_assignment(session, pupil_id, area)
    if current is None:
        raise ValidationErrors({"level": "Er is geen niveau om ongedaan te maken."})
    previous = session.scalars(
        sa.select(LevelAssignment)
        .where(
            LevelAssignment.pupil_id == pupil_id,
            LevelAssignment.area == area,
            LevelAssignment.id != current.id,
        )
        .order_by(LevelAssignment.start_date.desc(), LevelAssignment.id.desc())
        .limit(1)
    ).first()
    if previous is None:
        raise ValidationErrors(
            {
                "level": "Dit is het eerste niveau van de leerling; "
                "dat kan niet ongedaan worden gemaakt."
            }
        )
    removed = LevelStep(
        assignment_id=current.id,
        area=area,
        level=_level_info(current.level),
        start=current.start_date,
        end=None,
        reason=current.reason,
        decided_by=current.decided_by_name,
        meeting_id=current.meeting_id,
        meeting_label="",
        direction="",
        previous=_level_info(previous.level),
    )
    audit.record(
        session,
        "pupil",
        pupil_id,
        "niveauwijziging ongedaan gemaakt",
        field="niveau" + (f" ({area})" if area else ""),
        old=current.level.label,
        new=previous.level.label,
        summary=f"Ongedaan gemaakt: {current.reason}",
        actor=actor,
    )
    session.delete(current)
    session.flush()
    previous.end_date = None
    session.flush()
    return removed


# ---------------------------------------------------------------------------- leaving school


def retention_years(school: School | None, kind: LeaveKind | str) -> int:
    """Years the file is kept after leaving: the school's setting or the board's default."""
    settings = (school.settings if school else None) or {}
    if LeaveKind(kind) in (LeaveKind.SBO, LeaveKind.SO):
        return int(settings.get("retention_years_special", RETENTION_YEARS_SPECIAL))
    return int(settings.get("retention_years", RETENTION_YEARS))


def delete_after_for(school: School | None, left_on: date, kind: LeaveKind | str) -> date:
    """The first day the file of a pupil who left on ``left_on`` may be deleted."""
    return left_on + relativedelta(years=retention_years(school, kind))


def format_destination(kind: LeaveKind | str, text: str) -> str:
    """ "SBO: De Brug" as stored in ``Pupil.left_destination``."""
    label = LEAVE_KIND_LABELS[LeaveKind(kind)]
    text = clean(text)
    return f"{label}: {text}" if text else label


def parse_destination(stored: str) -> tuple[LeaveKind | None, str]:
    """The kind and free text of a stored destination (kind None for free text only)."""
    for kind, label in LEAVE_KIND_LABELS.items():
        if stored == label:
            return kind, ""
        if stored.startswith(label + ": "):
            return kind, stored[len(label) + 2 :]
    return None, stored


def check_leave(
    session: Session,
    pupil: Pupil,
    left_on: date | None,
    kind: Any,
    destination: str,
    *,
    today: date,
) -> dict[str, str]:
    """Errors for a pupil leaving school."""
    errors: dict[str, str] = {}
    if left_on is None:
        errors["left_on"] = "Vul de datum van vertrek in."
    elif msg := _past(left_on, today, "datum van vertrek"):
        errors["left_on"] = msg
    elif pupil.birth_date and left_on < pupil.birth_date:
        errors["left_on"] = "De datum van vertrek ligt vóór de geboortedatum."
    else:
        latest = session.scalars(
            sa.select(sa.func.max(LevelAssignment.start_date)).where(
                LevelAssignment.pupil_id == pupil.id, LevelAssignment.end_date.is_(None)
            )
        ).first()
        if latest is not None and left_on < latest:
            errors["left_on"] = (
                "De datum van vertrek ligt vóór de start van het huidige niveau "
                f"({short_date(latest)})."
            )
        elif pupil.enrolled_on and left_on < pupil.enrolled_on:
            errors["left_on"] = "De datum van vertrek ligt vóór de datum van inschrijving."
        else:
            opp_start = session.scalars(
                sa.select(sa.func.max(Opp.start_date)).where(
                    Opp.pupil_id == pupil.id, Opp.end_date.is_(None)
                )
            ).first()
            if opp_start is not None and left_on < opp_start:
                errors["left_on"] = (
                    "De datum van vertrek ligt vóór de start van het lopende OPP "
                    f"({short_date(opp_start)})."
                )
    try:
        LeaveKind(kind)
    except ValueError:
        errors["kind"] = "Kies waar de leerling naartoe gaat."
    if (
        len(format_destination(kind if "kind" not in errors else LeaveKind.OVERIG, destination))
        > 200
    ):
        errors["destination"] = "De bestemming is te lang (hoogstens 180 tekens)."
    return errors


def leave_school(
    session: Session,
    pupil_id: int,
    left_on: date | None,
    kind: LeaveKind | str,
    destination: str = "",
    *,
    expected_version: int | None = None,
    today: date,
    actor: str | None = None,
) -> date:
    """Register that a pupil left: close the open levels, keep the file read-only.

    Returns the date after which the file may be deleted (2 years, 3 for SBO/SO by default).
    """
    pupil = _writable(session, pupil_id)
    spec = _pupil_versioned(session, pupil_id)
    versioned.check_version(session, pupil, expected_version, {}, spec)
    ValidationErrors.collect(check_leave(session, pupil, left_on, kind, destination, today=today))
    assert left_on is not None
    kind = LeaveKind(kind)
    for assignment in session.scalars(
        sa.select(LevelAssignment).where(
            LevelAssignment.pupil_id == pupil_id, LevelAssignment.end_date.is_(None)
        )
    ):
        assignment.end_date = left_on
    # The OPP ends with the pupil's time at school: its end date goes to the national registry.
    for opp in session.scalars(
        sa.select(Opp).where(Opp.pupil_id == pupil_id, Opp.end_date.is_(None))
    ):
        opp.end_date = left_on
        audit.record(
            session,
            "opp",
            opp.id,
            "beëindigd",
            field="end_date",
            old="",
            new=left_on.isoformat(),
            summary=(
                f"OPP beëindigd op {short_date(left_on)}: de leerling heeft de school verlaten."
            ),
            actor=actor,
        )
    pupil.status = PupilStatus.VERTROKKEN
    pupil.left_on = left_on
    pupil.left_destination = format_destination(kind, destination)
    pupil.delete_after = delete_after_for(pupil.school, left_on, kind)
    pupil.group_id = None
    audit.record(
        session,
        "pupil",
        pupil_id,
        "vertrokken",
        field="status",
        old="actief",
        new="vertrokken",
        summary=(
            f"Vertrokken op {short_date(left_on)} naar {pupil.left_destination}; "
            f"bewaren tot {short_date(pupil.delete_after)} "
            f"({retention_years(pupil.school, kind)} jaar)."
        ),
        actor=actor,
    )
    versioned.flush(session, pupil, {}, spec)
    return pupil.delete_after


def reactivate(
    session: Session,
    pupil_id: int,
    *,
    expected_version: int | None = None,
    today: date,
    actor: str | None = None,
) -> None:
    """Undo a registered departure on purpose: the file becomes editable again.

    The levels that were closed on the day of leaving are opened again, and the group of the
    current school year is restored when the pupil still has one.
    """
    pupil = _pupil(session, pupil_id)
    if pupil.status != PupilStatus.VERTROKKEN:
        raise ValidationErrors({"status": "Deze leerling staat al als actief ingeschreven."})
    spec = _pupil_versioned(session, pupil_id)
    versioned.check_version(session, pupil, expected_version, {}, spec)
    left_on = pupil.left_on
    reopened = 0
    if left_on is not None:
        by_area: dict[str, LevelAssignment] = {}
        for a in session.scalars(
            sa.select(LevelAssignment)
            .where(LevelAssignment.pupil_id == pupil_id)
            .order_by(LevelAssignment.start_date, LevelAssignment.id)
        ):
            by_area[a.area] = a
        for a in by_area.values():
            if a.end_date == left_on:
                a.end_date = None
                reopened += 1
        # the OPP that ended with the departure runs again (one ended on another day stays)
        for opp in session.scalars(
            sa.select(Opp).where(Opp.pupil_id == pupil_id, Opp.end_date == left_on)
        ):
            opp.end_date = None
            audit.record(
                session,
                "opp",
                opp.id,
                "weer lopend",
                field="end_date",
                old=left_on.isoformat(),
                new="",
                summary="Einde van het OPP teruggedraaid met het vertrek van de leerling.",
                actor=actor,
            )
    year = current_school_year(session, today)
    if year is not None:
        membership = session.scalars(
            sa.select(GroupMembership).where(
                GroupMembership.pupil_id == pupil_id, GroupMembership.school_year_id == year.id
            )
        ).first()
        if membership is not None:
            pupil.group_id = membership.group_id
    old = pupil.left_destination
    pupil.status = PupilStatus.ACTIEF
    pupil.left_on = None
    pupil.left_destination = ""
    pupil.delete_after = None
    audit.record(
        session,
        "pupil",
        pupil_id,
        "teruggezet naar actief",
        field="status",
        old="vertrokken",
        new="actief",
        summary=f"Vertrek van {short_date(left_on)} ({old}) teruggedraaid; "
        f"{reopened} niveau(s) weer geopend.",
        actor=actor,
    )
    versioned.flush(session, pupil, {}, spec)


def delete_file(
    session: Session,
    pupil_id: int,
    *,
    confirm_name: str,
    today: date,
    allow_early: bool = False,
    actor: str | None = None,
) -> RetentionRecord:
    """Delete the whole file of a pupil who left, keeping only a record that it was done.

    Only for pupils who left. Before the retention date ``allow_early`` must be given (the
    window asks separately). ``confirm_name`` must be the pupil's full name, typed by the user.
    The pupil's own change log lines go too: they hold personal data.
    """
    pupil = _pupil(session, pupil_id)
    errors: dict[str, str] = {}
    if pupil.status != PupilStatus.VERTROKKEN:
        errors["status"] = (
            "Alleen het dossier van een leerling die de school heeft verlaten kan worden "
            "verwijderd."
        )
    elif pupil.delete_after and today < pupil.delete_after and not allow_early:
        errors["delete_after"] = f"De bewaartermijn loopt nog tot {short_date(pupil.delete_after)}."
    if clean(confirm_name).lower() != clean(pupil.full_name).lower():
        errors["confirm_name"] = "Typ de volledige naam van de leerling precies over."
    ValidationErrors.collect(errors)
    if pupil.delete_after and pupil.left_on:
        years = relativedelta(pupil.delete_after, pupil.left_on).years
        rule = f"{years} jaar na vertrek (bewaren tot {short_date(pupil.delete_after)})"
    else:
        rule = "geen bewaartermijn vastgelegd"
    if pupil.delete_after and today < pupil.delete_after:
        rule += "; vervroegd verwijderd"
    record = RetentionRecord(
        actor=actor or audit.current_actor(),
        pupil_reference=pupil.lvs_id or f"intern {pupil.id}",
        left_on=pupil.left_on,
        retention_rule=rule,
    )
    session.add(record)
    # Change-log lines about this pupil and its documents hold personal data: they go too.
    doc_ids: dict[str, list[int]] = {
        "pupil": [pupil.id],
        "korte_interventie": list(
            session.scalars(
                sa.select(ShortIntervention.id).where(ShortIntervention.pupil_id == pupil.id)
            )
        ),
        "groeidocument": list(
            session.scalars(sa.select(GrowthDocument.id).where(GrowthDocument.pupil_id == pupil.id))
        ),
        "opp": list(session.scalars(sa.select(Opp.id).where(Opp.pupil_id == pupil.id))),
    }
    doc_ids["opp_version"] = list(
        session.scalars(
            sa.select(OppVersion.id).where(OppVersion.opp_id.in_(doc_ids["opp"] or [-1]))
        )
    )
    if doc_ids["opp_version"]:
        # Versions point at their predecessor (RESTRICT): unlink before the cascade runs.
        session.execute(
            sa.update(OppVersion)
            .where(OppVersion.id.in_(doc_ids["opp_version"]))
            .values(previous_version_id=None)
            .execution_options(synchronize_session=False)
        )
    for entity, ids in doc_ids.items():
        if ids:
            session.execute(
                sa.delete(ChangeLog).where(ChangeLog.entity == entity, ChangeLog.entity_id.in_(ids))
            )
    # Meetings about this pupil alone go with the file; shared ones only lose the link.
    for meeting in pupil_meetings(session, pupil.id):
        if meeting.other_pupils == 0:
            m = session.get(Meeting, meeting.id)
            if m is not None:
                session.delete(m)
    session.delete(pupil)
    session.flush()
    return record


def full_name_of(data: PupilData) -> str:
    """The spoken name of unsaved personal data."""
    return dutch_name(clean(data.first_name), clean(data.tussenvoegsel), clean(data.last_name))


def decide_level(
    session: Session,
    pupil_id: int,
    *,
    level_id: int | None,
    start_date: date | None,
    reason: str,
    decided_by_id: int | None = None,
    decided_by_name: str = "",
    area: str = "",
    meeting_id: int | None = None,
    new_meeting_kind: MeetingKind | str | None = None,
    new_meeting_date: date | None = None,
    today: date,
    actor: str | None = None,
) -> LevelChange:
    """Op- of afschalen as the dialog asks it: by ids, with who decided and the meeting.

    Every move has a date, a reason and someone who decided; the meeting is optional (an
    existing one of this pupil, or a new one created in the same transaction).
    """
    errors: dict[str, str] = {}
    pupil = _pupil(session, pupil_id)
    level = session.get(SupportLevel, level_id) if level_id is not None else None
    if level is None:
        errors["level"] = "Kies het nieuwe niveau."
    if start_date is None:
        errors["start_date"] = "Vul de datum van het besluit in."
    decided_by = session.get(Staff, decided_by_id) if decided_by_id is not None else None
    meeting = None
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or pupil not in meeting.pupils:
            errors["meeting"] = "Deze vergadering bestaat niet (meer); kies een andere."
        elif start_date is not None and meeting.date > start_date:
            errors["meeting"] = (
                "Deze vergadering ligt na de datum van het besluit; kies de vergadering waar "
                "het besloten is."
            )
    if errors:
        if not clean(reason):
            errors["reason"] = "Vul de reden in: waarom gaat de leerling naar dit niveau?"
        if decided_by is None and not clean(decided_by_name):
            errors["decided_by"] = "Vul in wie het besluit heeft genomen."
        raise ValidationErrors(errors)
    return change_level(
        session,
        pupil,
        level,  # type: ignore[arg-type]
        start_date,  # type: ignore[arg-type]
        reason,
        decided_by=decided_by,
        decided_by_name=clean(decided_by_name),
        area=area,
        meeting=meeting,
        today=today,
        new_meeting_kind=new_meeting_kind,
        new_meeting_date=new_meeting_date,
        require_decider=True,
        actor=actor,
    )


def pupil_level_context(session: Session, pupil_id: int, *, today: date) -> dict[str, Any]:
    """What the op-/afschalen dialog needs, read in one go (plain values only)."""
    from ib_desktop.services.school import development_areas

    pupil = _pupil(session, pupil_id)
    history = level_history(session, pupil_id, today=today)
    areas = development_areas(session, pupil.school_id)
    for area in history.areas:
        if area and area not in areas:
            areas.append(area)
    present = open_document_kinds(session, [pupil_id], today=today).get(pupil_id, set())
    group = session.get(Group, pupil.group_id) if pupil.group_id else None
    return {
        "name": pupil.full_name,
        "group": group.name if group else "",
        "status": PupilStatus(pupil.status),
        "levels": school_levels(session, pupil.school_id),
        "current": {area: history.current(area) for area in history.areas},
        "steps": {area: [st for st in history.steps if st.area == area] for area in history.areas},
        "areas": areas,
        "staff": staff_choices(session, pupil.school_id),
        "meetings": pupil_meetings(session, pupil_id),
        "present": {str(k) for k in present},
    }
