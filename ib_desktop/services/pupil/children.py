"""The records a pupil's file holds: guardians, care providers, school career, assessments.

Each collection is described once, in a :class:`ChildSpec` (its model, its data class, its
fields, how it is named in the change log, how its values are validated and typed), and one
save, one delete and one load serve them all. A save of an existing record goes through
:func:`~ib_desktop.services.versioned.save_versioned`; every change is logged on the pupil,
without the content for records marked sensitive.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.models import (
    Assessment,
    CareProvider,
    CareScope,
    Declaration,
    Guardian,
    HistoryKind,
    Pupil,
    SchoolHistoryEntry,
)
from ib_desktop.permissions import Role
from ib_desktop.services import audit, versioned
from ib_desktop.services.pupil.data import (
    AssessmentData,
    CareProviderData,
    GuardianData,
    HistoryData,
    RecordGoneError,
)
from ib_desktop.services.pupil.labels import FIELD_LABELS, log_value, show
from ib_desktop.services.pupil.lookups import writable_pupil
from ib_desktop.services.pupil.restricted import blank, check_may_change, hidden_from
from ib_desktop.services.pupil.validation import (
    check_assessment,
    check_care_provider,
    check_guardian,
    check_history,
    clean,
)
from ib_desktop.validation import ValidationErrors

#: The checks of a record: (data, today, the pupil's birth date) -> errors by field.
Check = Callable[[Any, date | None, date | None], dict[str, str]]

#: Free texts keep their inner spacing and line breaks; the rest is tidied like a name.
_FREE_TEXT = ("notes", "conclusion", "address")


@dataclass(frozen=True)
class ChildSpec:
    """One kind of record in the pupil's file, described once for saving, deleting and loading."""

    model: type[Any]
    label: str  # "ouder/verzorger": the record in the change log
    fields: tuple[str, ...]
    describe: str  # the field that names a record in the change log
    what: str  # "deze ouder/verzorger": the record in a sentence
    data: type[Any] | None = None  # the dataclass the dialog edits (None: not loaded here)
    relation: str = ""  # the pupil's list of these records
    check: Check | None = None
    #: Fields stored as an enum: how a value from the form or the database becomes one.
    types: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    newest_first_by: str = ""  # the file lists these newest first by this field
    sensitive_field: str = ""  # a record marked so is logged without its content
    #: The content a role without :func:`~ib_desktop.permissions.reads_restricted` does not get
    #: of a record marked ``sensitive_field`` (see :mod:`.restricted`).
    hidden: tuple[str, ...] = ()

    def lock_spec(self, pupil_id: int) -> versioned.Versioned:
        """How a save of this kind of record checks its version and tells who changed it."""
        return versioned.Versioned(
            what=self.what,
            labels=FIELD_LABELS,
            show=show,
            history=versioned.History("pupil", pupil_id, (self.label,)),
        )

    @property
    def gone_on_load(self) -> str:
        """ "Deze ouder/verzorger": the subject of the message when a record to open is gone."""
        return self.what[0].upper() + self.what[1:]

    def typed(self, name: str, value: Any) -> Any:
        """A field's value as the data class holds it (enums as members)."""
        convert = self.types.get(name)
        return convert(value) if convert is not None else value

    def marked(self, row: Any) -> bool:
        """True when the stored record is marked sensitive or confidential."""
        return bool(self.sensitive_field and getattr(row, self.sensitive_field))

    def load(self, row: Any, role: Role = None) -> Any:
        """The data class of one stored record, its content blanked for a role without rights."""
        assert self.data is not None
        values = {name: self.typed(name, getattr(row, name)) for name in self.fields}
        data = self.data(**values, id=row.id, version=row.version)
        if self.hidden and hidden_from(role, self.marked(row)):
            blank(data, self.hidden)
        return data

    def load_all(self, pupil: Pupil, role: Role = None) -> list[Any]:
        """The pupil's records of this kind, as the file lists them."""
        rows = list(getattr(pupil, self.relation))
        if self.newest_first_by:
            rows.sort(key=attrgetter(self.newest_first_by), reverse=True)
        return [self.load(row, role) for row in rows]


def _declaration(value: Any) -> Declaration | None:
    return Declaration(value) if value else None


def _check_history(data: HistoryData, today: date | None, birth: date | None) -> dict[str, str]:
    assert today is not None  # save_history asks for it
    return check_history(data, today=today, birth_date=birth)


def _check_assessment(
    data: AssessmentData, today: date | None, birth: date | None
) -> dict[str, str]:
    assert today is not None  # save_assessment asks for it
    return check_assessment(data, today=today, birth_date=birth)


GUARDIANS = ChildSpec(
    Guardian,
    "ouder/verzorger",
    ("name", "relation", "has_custody", "phone", "email", "address", "notes"),
    "name",
    "deze ouder/verzorger",
    data=GuardianData,
    relation="guardians",
    check=lambda data, _today, _birth: check_guardian(data),
)
CARE_PROVIDERS = ChildSpec(
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
        "confidential",
    ),
    "organisation",
    "deze hulpverlening",
    data=CareProviderData,
    relation="care_providers",
    check=lambda data, _today, _birth: check_care_provider(data),
    types={"scope": CareScope},
    sensitive_field="confidential",
    hidden=("notes",),
)
SCHOOL_HISTORY = ChildSpec(
    SchoolHistoryEntry,
    "schoolloopbaan",
    ("kind", "institution", "start_date", "end_date", "notes"),
    "institution",
    "deze stap in de schoolloopbaan",
    data=HistoryData,
    relation="school_history",
    check=_check_history,
    types={"kind": HistoryKind},
)
ASSESSMENTS = ChildSpec(
    Assessment,
    "onderzoek",
    (
        "date",
        "kind",
        "performed_by",
        "conclusion",
        "declaration",
        "sensitive",
        "swv_released_on",
        "swv_guardian_id",
        "swv_guardian_name",
        "swv_released_by",
    ),
    "kind",
    "dit onderzoek",
    data=AssessmentData,
    relation="assessments",
    check=_check_assessment,
    types={"declaration": _declaration},
    newest_first_by="date",
    sensitive_field="sensitive",
    hidden=("performed_by", "conclusion"),
)


#: The table: every kind of record the pupil's file holds itself (meetings are the school's).
CHILD_KINDS = (GUARDIANS, CARE_PROVIDERS, SCHOOL_HISTORY, ASSESSMENTS)


def _normalised(data: Any, spec: ChildSpec) -> dict[str, Any]:
    out = {}
    for name in spec.fields:
        value = getattr(data, name)
        if isinstance(value, str) and name not in _FREE_TEXT:
            value = clean(value)
        elif isinstance(value, str):
            value = value.strip()
        out[name] = value
    return out


def _own_record(session: Session, spec: ChildSpec, pupil_id: int, record_id: int) -> Any:
    """The record, when it still exists and belongs to this pupil."""
    record = session.get(spec.model, record_id)
    if record is None or record.pupil_id != pupil_id:
        raise RecordGoneError(spec.label.capitalize())
    return record


def _is_sensitive(session: Session, spec: ChildSpec, data: Any) -> bool:
    """Sensitive when the form says so, or when the stored record was (before unmarking)."""
    if not spec.sensitive_field:
        return False
    sensitive = bool(getattr(data, spec.sensitive_field))
    if data.id is not None:
        existing = session.get(spec.model, data.id)
        sensitive = sensitive or bool(existing and getattr(existing, spec.sensitive_field))
    return sensitive


def change_logger(
    session: Session, spec: ChildSpec, pupil_id: int, actor: str | None, *, sensitive: bool
) -> Callable[[str, Any, Any], None]:
    """One change-log line on the pupil per changed field of a record of ``spec``."""

    def log(name: str, old: Any, new: Any) -> None:
        audit.record(
            session,
            "pupil",
            pupil_id,
            "gewijzigd",
            field=f"{spec.label}: {name}",
            old="" if sensitive else log_value(old),
            new="" if sensitive else log_value(new),
            summary="vertrouwelijk gegeven gewijzigd" if sensitive else "",
            actor=actor,
        )

    return log


def save_child(
    session: Session,
    spec: ChildSpec,
    pupil_id: int,
    data: Any,
    *,
    today: date | None = None,
    actor: str | None = None,
    role: Role = None,
) -> int:
    """Validate, then create or update one record of the pupil and log it; returns its id.

    The enum fields of ``data`` are set to their members, as the dialog reads them back. A
    role that may not read a stored sensitive record may not change it (its copy is blanked).
    """
    pupil = writable_pupil(session, pupil_id)
    if data.id is not None:
        check_may_change(role, spec.marked(_own_record(session, spec, pupil_id, data.id)))
    if spec.check is not None:
        ValidationErrors.collect(spec.check(data, today, pupil.birth_date))
    for name in spec.types:
        setattr(data, name, spec.typed(name, getattr(data, name)))
    sensitive = _is_sensitive(session, spec, data)
    values = _normalised(data, spec)
    if data.id is None:
        return _add_child(session, spec, pupil_id, values, actor=actor, sensitive=sensitive)
    record = _own_record(session, spec, pupil_id, data.id)
    log = change_logger(session, spec, pupil_id, actor, sensitive=sensitive)
    versioned.save_versioned(
        session, record, data.version, values, spec.lock_spec(pupil_id), log=log
    )
    return int(record.id)


def _add_child(
    session: Session,
    spec: ChildSpec,
    pupil_id: int,
    values: dict[str, Any],
    *,
    actor: str | None,
    sensitive: bool,
) -> int:
    record = spec.model(pupil_id=pupil_id, **values)
    session.add(record)
    session.flush()
    described = values[spec.describe]
    audit.record(
        session,
        "pupil",
        pupil_id,
        "toegevoegd",
        field=spec.label,
        new="" if sensitive else log_value(described),
        summary=f"{spec.label} toegevoegd" + ("" if sensitive else f": {described}"),
        actor=actor,
    )
    return int(record.id)


def delete_child(
    session: Session,
    spec: ChildSpec,
    pupil_id: int,
    record_id: int,
    *,
    actor: str | None,
    role: Role = None,
) -> None:
    """Remove one record of the pupil, logging what it was (not what a sensitive one said)."""
    writable_pupil(session, pupil_id)
    record = _own_record(session, spec, pupil_id, record_id)
    sensitive = spec.marked(record)
    check_may_change(role, sensitive)
    audit.record(
        session,
        "pupil",
        pupil_id,
        "verwijderd",
        field=spec.label,
        old="" if sensitive else log_value(getattr(record, spec.describe)),
        actor=actor,
    )
    session.delete(record)
    session.flush()


def load_child(
    session: Session, spec: ChildSpec, pupil_id: int, record_id: int, role: Role = None
) -> Any:
    """One record of the pupil, for its edit dialog (blanked for a role without rights)."""
    record = session.get(spec.model, record_id)
    if record is None or record.pupil_id != pupil_id:
        raise RecordGoneError(spec.gone_on_load)
    return spec.load(record, role)


# ---------------------------------------------------------------------------- per kind


def save_guardian(
    session: Session, pupil_id: int, data: GuardianData, *, actor: str | None = None
) -> int:
    """Add or change a parent/guardian; returns its id."""
    return save_child(session, GUARDIANS, pupil_id, data, actor=actor)


def delete_guardian(
    session: Session, pupil_id: int, guardian_id: int, *, actor: str | None = None
) -> None:
    """Remove a parent/guardian from the file."""
    delete_child(session, GUARDIANS, pupil_id, guardian_id, actor=actor)


def load_guardian(session: Session, pupil_id: int, guardian_id: int) -> GuardianData:
    """One guardian of the pupil (for the edit dialog)."""
    return load_child(session, GUARDIANS, pupil_id, guardian_id)


def save_care_provider(
    session: Session,
    pupil_id: int,
    data: CareProviderData,
    *,
    actor: str | None = None,
    role: Role = None,
) -> int:
    """Add or change hulpverlening; returns its id (confidential notes: ib and directie)."""
    return save_child(session, CARE_PROVIDERS, pupil_id, data, actor=actor, role=role)


def delete_care_provider(
    session: Session, pupil_id: int, care_id: int, *, actor: str | None = None, role: Role = None
) -> None:
    """Remove hulpverlening from the file."""
    delete_child(session, CARE_PROVIDERS, pupil_id, care_id, actor=actor, role=role)


def load_care_provider(
    session: Session, pupil_id: int, care_id: int, *, role: Role = None
) -> CareProviderData:
    """One care provider of the pupil (confidential notes blanked for a role without rights)."""
    return load_child(session, CARE_PROVIDERS, pupil_id, care_id, role)


def save_history(
    session: Session, pupil_id: int, data: HistoryData, *, today: date, actor: str | None = None
) -> int:
    """Add or change a school-career step; returns its id."""
    return save_child(session, SCHOOL_HISTORY, pupil_id, data, today=today, actor=actor)


def delete_history(
    session: Session, pupil_id: int, entry_id: int, *, actor: str | None = None
) -> None:
    """Remove a school-career step."""
    delete_child(session, SCHOOL_HISTORY, pupil_id, entry_id, actor=actor)


def load_history(session: Session, pupil_id: int, entry_id: int) -> HistoryData:
    """One school-career step of the pupil."""
    return load_child(session, SCHOOL_HISTORY, pupil_id, entry_id)


def save_assessment(
    session: Session,
    pupil_id: int,
    data: AssessmentData,
    *,
    today: date,
    actor: str | None = None,
    role: Role = None,
) -> int:
    """Add or change an assessment; sensitive content stays out of the change log.

    The release to the samenwerkingsverband is checked and completed here (the guardian's
    name, who released it): see :func:`ib_desktop.services.pupil.swv_release.prepare_release`.
    """
    from ib_desktop.services.pupil.swv_release import prepare_release

    prepare_release(session, pupil_id, data, today=today, actor=actor, role=role)
    return save_child(session, ASSESSMENTS, pupil_id, data, today=today, actor=actor, role=role)


def delete_assessment(
    session: Session,
    pupil_id: int,
    assessment_id: int,
    *,
    actor: str | None = None,
    role: Role = None,
) -> None:
    """Remove an assessment."""
    delete_child(session, ASSESSMENTS, pupil_id, assessment_id, actor=actor, role=role)


def load_assessment(
    session: Session, pupil_id: int, assessment_id: int, *, role: Role = None
) -> AssessmentData:
    """One assessment of the pupil (a sensitive one blanked for a role without rights)."""
    return load_child(session, ASSESSMENTS, pupil_id, assessment_id, role)
