"""One way to save a record that two people may edit at once: optimistic locking.

Every editable record has a ``version`` column that SQLAlchemy raises on each UPDATE
(``version_id_col``), and every UPDATE carries ``WHERE version = <read>``. A screen remembers the
version it loaded and hands it back with its save; :func:`save_versioned` then does the ritual
every save needs, in one place:

1. **check**: refuse when the stored version is no longer the loaded one (someone else saved);
2. **apply**: set the fields that differ;
3. **log**: hand each change to the caller's change-log writer;
4. **write**: flush; a save that slipped in between the check and the flush (another laptop on
   the same PostgreSQL database) makes the UPDATE miss, which becomes the same refusal;
5. **reload**: the new version goes back to the caller, who carries it forward, so a user's own
   earlier save is never mistaken for somebody else's.

A refusal is an :class:`EditConflict`: who changed the record (from the change log, else
"Iemand anders"), and per field the value this user wanted beside the value now stored, so the
screen can let the user keep the other version, overwrite it, or go on editing. Nothing is
written when it is raised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ib_desktop.dates import short_date
from ib_desktop.models import ChangeLog
from ib_desktop.validation import ConcurrentEditError

SOMEONE_ELSE = "Iemand anders"


@dataclass(frozen=True)
class FieldConflict:
    """One field that this user and the other person left different."""

    name: str
    label: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class History:
    """Where the change log keeps this record's changes (to tell who changed it)."""

    entity: str
    entity_id: int
    #: Only lines whose field starts with one of these (a pupil's log holds all its records).
    field_prefixes: tuple[str, ...] = ()


def display(value: Any) -> str:
    """A stored value as the conflict shows it: dates as 12-03-2026, yes/no, names of enums."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(display(v) for v in value)
    return str(getattr(value, "value", value))


class EditConflict(ConcurrentEditError):
    """Someone else saved the record after this user loaded it; nothing was written.

    ``fields`` holds, per field where they differ, this user's value beside the stored one;
    ``current_version`` is the version now stored: saving again with it overwrites the other
    person's change on purpose ("mijn versie opslaan"). ``record_id`` says which record it is
    when a save writes several (the goals of one evaluation).
    """

    def __init__(
        self,
        what: str,
        *,
        who: str = SOMEONE_ELSE,
        at: datetime | None = None,
        fields: list[FieldConflict] | None = None,
        current_version: int | None = None,
        gone: bool = False,
        record_id: int | None = None,
    ) -> None:
        self.what = what
        self.record_id = record_id
        self.who = who or SOMEONE_ELSE
        self.at = at
        self.fields = list(fields or [])
        self.current_version = current_version
        self.gone = gone
        if gone:
            text = (
                f"{self.who} heeft {what} intussen verwijderd. Uw wijzigingen zijn niet "
                "opgeslagen, maar staan nog in het venster."
            )
        else:
            when = f" (om {at:%H:%M} op {short_date(at.date())})" if at else ""
            text = f"{self.who} heeft {what} intussen gewijzigd{when}. Uw wijzigingen zijn nog "
            text += "niet opgeslagen en niet weggegooid."
        RuntimeError.__init__(self, text)

    @property
    def title(self) -> str:
        """ "Jan de Vries heeft dit intussen gewijzigd": the headline of the conflict."""
        verb = "verwijderd" if self.gone else "gewijzigd"
        return f"{self.who} heeft dit intussen {verb}"


@dataclass
class Versioned:
    """What a save needs to know about one kind of record, besides its values."""

    what: str  # "deze ouder/verzorger": the record in a Dutch sentence
    labels: Mapping[str, str] = field(default_factory=dict)  # field -> Dutch label
    show: Callable[[str, Any], str] = lambda _name, value: display(value)
    history: History | None = None
    #: The stored value of a field as the form holds it (a staff member's one "name" field is
    #: three columns); plain ``getattr`` for the rest.
    value_of: Callable[[Any, str], Any] = getattr
    #: Tell a conflict in one sentence, as a plain ConcurrentEditError, without fields or who:
    #: for a step that has no values of its own to compare (fixing or evaluating an OPP).
    plain: bool = False

    def label(self, name: str) -> str:
        """The Dutch name of a field (the field's own name when none is given)."""
        return self.labels.get(name, name.replace("_", " "))


def last_change(session: Session, history: History | None) -> tuple[str, datetime | None]:
    """Who last changed a record, and when, according to the change log."""
    if history is None:
        return SOMEONE_ELSE, None
    query = sa.select(ChangeLog.actor, ChangeLog.at).where(
        ChangeLog.entity == history.entity, ChangeLog.entity_id == history.entity_id
    )
    if history.field_prefixes:
        prefixes = history.field_prefixes
        query = query.where(
            sa.or_(*(ChangeLog.field.startswith(p, autoescape=True) for p in prefixes))
        )
    row = session.execute(query.order_by(ChangeLog.at.desc(), ChangeLog.id.desc()).limit(1)).first()
    if row is None:
        return SOMEONE_ELSE, None
    return (row.actor or SOMEONE_ELSE), row.at


def conflict(
    session: Session, row: Any, mine: Mapping[str, Any], spec: Versioned
) -> EditConflict:
    """The conflict between the values this user wanted and what ``row`` holds now."""
    who, at = last_change(session, spec.history)
    differing = []
    for name, value in mine.items():
        ours, theirs = spec.show(name, value), spec.show(name, spec.value_of(row, name))
        if ours != theirs:
            differing.append(FieldConflict(name, spec.label(name), ours, theirs))
    return EditConflict(
        spec.what,
        who=who,
        at=at,
        fields=differing,
        current_version=int(row.version),
        record_id=getattr(row, "id", None),
    )


def check_version(
    session: Session,
    row: Any,
    expected_version: int | None,
    mine: Mapping[str, Any],
    spec: Versioned,
) -> None:
    """Refuse (with the conflict) when ``row`` is no longer at the version the user loaded.

    ``None`` means the caller did not load the record first (a new record, a script): nothing
    to compare, but the flush still carries the version of the row read in this session.
    """
    if expected_version is not None and row.version != expected_version:
        if spec.plain:
            raise ConcurrentEditError(spec.what)
        raise conflict(session, row, mine, spec)


def flush(session: Session, row: Any, mine: Mapping[str, Any], spec: Versioned) -> None:
    """Write now; an UPDATE that missed its version (a save in between) becomes the conflict.

    The failed flush leaves the transaction unusable, so it is rolled back first and the row
    read again as it is now stored, to show the user what the other person saved.
    """
    try:
        session.flush()
    except StaleDataError as exc:
        if spec.plain:
            raise ConcurrentEditError(spec.what) from exc
        session.rollback()
        model, key = type(row), sa.inspect(row).identity
        fresh = session.get(model, key[0] if key and len(key) == 1 else key)
        if fresh is None:
            who, at = last_change(session, spec.history)
            raise EditConflict(spec.what, who=who, at=at, gone=True) from exc
        raise conflict(session, fresh, mine, spec) from exc


def flush_many(
    session: Session,
    checks: Sequence[tuple[Any, int | None, Mapping[str, Any], Versioned]],
    what: str,
) -> None:
    """Write several versioned rows at once (the goals of one evaluation, and their document).

    ``checks`` holds per row the version it was checked at, the user's values and its spec.
    When an UPDATE misses, the conflict names the first row that another save changed; when
    none of them did (only the document around them changed), a plain conflict is raised.
    """
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        for row, expected, mine, spec in checks:
            model, key = type(row), sa.inspect(row).identity
            fresh = session.get(model, key[0] if key and len(key) == 1 else key)
            if fresh is None:
                who, at = last_change(session, spec.history)
                raise EditConflict(spec.what, who=who, at=at, gone=True) from exc
            if expected is not None and fresh.version != expected:
                raise conflict(session, fresh, mine, spec) from exc
        raise EditConflict(what) from exc


def save_versioned(
    session: Session,
    row: Any,
    expected_version: int | None,
    values: Mapping[str, Any],
    spec: Versioned,
    *,
    log: Callable[[str, Any, Any], None] | None = None,
    mine: Mapping[str, Any] | None = None,
    before: Callable[[], None] | None = None,
    apply: Callable[[], None] | None = None,
) -> int:
    """Check the version, apply ``values``, log each change, write; returns the new version.

    ``log(name, old, new)`` is called for every field that changed (after the check, before the
    write, in the same transaction). When nothing differs nothing is written and the version
    stays (saving an unchanged form is no change).

    For a record with more than plain fields (a document with its periods and goals):
    ``mine`` is what a conflict compares with the stored record when that is not ``values``;
    ``before`` runs after the version check and before anything is changed (refusals such as
    "closed" or invalid input, which a conflict goes before); ``apply`` changes what
    ``values`` cannot (the children), after the fields, in the same single write.
    """
    shown = stage_versioned(
        session, row, expected_version, values, spec, log=log, mine=mine, before=before,
        apply=apply,
    )  # fmt: skip
    flush(session, row, shown, spec)
    return int(row.version)


def stage_versioned(
    session: Session,
    row: Any,
    expected_version: int | None,
    values: Mapping[str, Any],
    spec: Versioned,
    *,
    log: Callable[[str, Any, Any], None] | None = None,
    mine: Mapping[str, Any] | None = None,
    before: Callable[[], None] | None = None,
    apply: Callable[[], None] | None = None,
) -> Mapping[str, Any]:
    """:func:`save_versioned` up to the write: the caller flushes (e.g. :func:`flush_many`).

    Returns what a conflict compares with the stored record (``mine``, else ``values``).
    """
    shown = values if mine is None else mine
    check_version(session, row, expected_version, shown, spec)
    if before is not None:
        before()
    with session.no_autoflush:  # one write at the end, where a missed version is caught
        for name, value in values.items():
            old = getattr(row, name)
            if old == value:
                continue
            setattr(row, name, value)
            if log is not None:
                log(name, old, value)
        if apply is not None:
            apply()
    return shown
