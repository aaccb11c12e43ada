"""The support-level staircase: where a pupil stands, moving up and down, required documents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.domain_types import required_missing  # noqa: F401 - its home was here
from ib_desktop.models import (
    DocumentKind,
    DocumentStatus,
    GrowthDocument,
    LevelAssignment,
    Meeting,
    MeetingKind,
    Opp,
    Pupil,
    PupilStatus,
    School,
    ShortIntervention,
    Staff,
    SupportLevel,
)
from ib_desktop.services import audit
from ib_desktop.validation import ValidationErrors

MEETING_TITLES = {
    MeetingKind.KINDBESPREKING: "Kindbespreking",
    MeetingKind.OT: "Ondersteuningsteam",
    MeetingKind.MDO: "MDO",
    MeetingKind.OUDERGESPREK: "Oudergesprek",
}

DOCUMENT_LABELS = {
    DocumentKind.KORTE_INTERVENTIE: "korte interventie",
    DocumentKind.GROEIDOCUMENT: "groeidocument",
    DocumentKind.OPP: "OPP",
}


def current_assignment(session: Session, pupil_id: int, area: str = "") -> LevelAssignment | None:
    """The open assignment of a pupil (for the whole pupil, or for one area)."""
    return session.scalars(
        sa.select(LevelAssignment).where(
            LevelAssignment.pupil_id == pupil_id,
            LevelAssignment.area == area,
            LevelAssignment.end_date.is_(None),
        )
    ).first()


def missing_label(missing: list[str]) -> str:
    """ "OPP" or "korte interventie of groeidocument" for a message or a list column."""
    labels = [DOCUMENT_LABELS[DocumentKind(k)] for k in missing]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " of " + labels[-1]


def open_document_kinds(
    session: Session, pupil_ids: Iterable[int] | None = None, *, today: date | None = None
) -> dict[int, set[DocumentKind]]:
    """Per pupil the kinds of document that are open (not closed; an OPP not ended)."""
    today = today or date.today()
    result: dict[int, set[DocumentKind]] = defaultdict(set)
    ids = None if pupil_ids is None else list(pupil_ids)
    queries = [
        (
            DocumentKind.KORTE_INTERVENTIE,
            sa.select(ShortIntervention.pupil_id).where(
                ShortIntervention.status != DocumentStatus.AFGESLOTEN
            ),
            ShortIntervention.pupil_id,
        ),
        (
            DocumentKind.GROEIDOCUMENT,
            sa.select(GrowthDocument.pupil_id).where(
                GrowthDocument.status != DocumentStatus.AFGESLOTEN
            ),
            GrowthDocument.pupil_id,
        ),
        (
            DocumentKind.OPP,
            sa.select(Opp.pupil_id).where(sa.or_(Opp.end_date.is_(None), Opp.end_date >= today)),
            Opp.pupil_id,
        ),
    ]
    for kind, query, column in queries:
        if ids is not None:
            if not ids:
                continue
            query = query.where(column.in_(ids)) if len(ids) < 900 else query
        for (pid,) in session.execute(query.distinct()):
            if ids is None or len(ids) >= 900 or pid in ids:
                result[pid].add(kind)
    return result


def missing_documents_by_pupil(
    session: Session, school_id: int, *, today: date | None = None
) -> dict[int, list[str]]:
    """Active pupils whose current level requires a document they lack, with what is missing."""
    levels = {lvl.id: lvl for lvl in session.scalars(sa.select(SupportLevel))}
    demanding = {lid for lid, lvl in levels.items() if lvl.required_documents}
    if not demanding:
        return {}
    rows = session.execute(
        sa.select(LevelAssignment.pupil_id, LevelAssignment.level_id)
        .join(Pupil, Pupil.id == LevelAssignment.pupil_id)
        .where(
            Pupil.school_id == school_id,
            Pupil.status == PupilStatus.ACTIEF,
            LevelAssignment.end_date.is_(None),
            LevelAssignment.level_id.in_(demanding),
        )
    ).all()
    present = open_document_kinds(session, today=today)
    out: dict[int, list[str]] = {}
    for pupil_id, level_id in rows:
        missing = required_missing(levels[level_id], present.get(pupil_id, set()))
        if missing:
            out.setdefault(pupil_id, [])
            out[pupil_id] += [m for m in missing if m not in out[pupil_id]]
    return out


@dataclass(frozen=True)
class LevelChange:
    """The result of moving a pupil: the new assignment and what its level still needs."""

    assignment_id: int
    direction: str  # "op", "af" or "start"
    missing: list[str]
    level_id: int | None = None
    meeting_id: int | None = None  # the meeting linked to (or created for) the decision


def change_level(
    session: Session,
    pupil: Pupil,
    level: SupportLevel,
    start_date: date,
    reason: str,
    *,
    decided_by: Staff | None = None,
    decided_by_name: str = "",
    area: str = "",
    meeting: Meeting | None = None,
    today: date | None = None,
    new_meeting_kind: MeetingKind | str | None = None,
    new_meeting_date: date | None = None,
    require_decider: bool = False,
    actor: str | None = None,
) -> LevelChange:
    """Move a pupil up (opschalen) or down (afschalen) the staircase, or place them first.

    The open assignment for the same area is closed on ``start_date``. A move dated before the
    current level started (recorded late) goes into the history where it belongs: the level
    running then ends on ``start_date`` and the new one runs until the next one started; a date
    on which another level starts, before the birth date or in the future is refused.
    With ``new_meeting_kind`` the meeting where it was decided is created in the
    same transaction (on ``new_meeting_date``, default the decision date). With
    ``require_decider`` (the op-/afschalen dialog) someone must be named as having decided.
    Raises :class:`ValidationErrors` keyed by field for bad input.
    """
    today = today or date.today()
    errors: dict[str, str] = {}
    if require_decider and decided_by is None and not decided_by_name.strip():
        errors["decided_by"] = "Vul in wie het besluit heeft genomen."
    school = session.get(School, pupil.school_id)
    if school is not None and level.structure_id != school.support_structure_id:
        errors["level"] = "Dit niveau hoort niet bij de ondersteuningsstructuur van de school."
    if new_meeting_kind is not None:
        _check_new_meeting(new_meeting_kind, new_meeting_date, start_date, today, errors)
    _check_move(pupil, level, start_date, reason, today, errors)
    place = _place(session, pupil, area, level, start_date, errors)
    ValidationErrors.collect(errors)

    if new_meeting_kind is not None:
        day = new_meeting_date or start_date
        kind = MeetingKind(new_meeting_kind)
        meeting = _decision_meeting(session, pupil, level, kind, day, reason)
    old_label = ""
    if place.closed is not None:
        place.closed.end_date = start_date
        old_level = session.get(SupportLevel, place.closed.level_id)
        old_label = old_level.label if old_level else str(place.closed.level_id)
    assignment = LevelAssignment(
        pupil_id=pupil.id,
        level_id=level.id,
        area=area,
        start_date=start_date,
        end_date=place.end_date,
        reason=reason.strip(),
        decided_by_id=decided_by.id if decided_by else None,
        decided_by_name=decided_by.full_name if decided_by else decided_by_name,
        meeting_id=meeting.id if meeting else None,
    )
    session.add(assignment)
    session.flush()
    _log_move(session, pupil, area, level, place, old_label, start_date, reason, actor)
    present = open_document_kinds(session, [pupil.id], today=today).get(pupil.id, set())
    return LevelChange(
        assignment.id,
        place.direction,
        # A level in the past asks for no document now: only the current level does.
        required_missing(level, present) if place.end_date is None else [],
        level_id=level.id,
        meeting_id=meeting.id if meeting else None,
    )


def _check_new_meeting(
    kind: MeetingKind | str,
    meeting_date: date | None,
    start_date: date,
    today: date,
    errors: dict[str, str],
) -> None:
    """The meeting where a move was decided, created with it: a known kind, held by then."""
    try:
        MeetingKind(kind)
    except ValueError:
        errors["meeting_kind"] = "Kies het soort vergadering."
    meeting_day = meeting_date or start_date
    if meeting_day > today:
        errors["meeting_date"] = (
            "De vergadering ligt in de toekomst; vul de datum in waarop er besloten is."
        )
    elif meeting_day > start_date:
        errors["meeting_date"] = (
            "De vergadering ligt na de datum van het besluit; het besluit volgt uit de vergadering."
        )


def _check_move(
    pupil: Pupil,
    level: SupportLevel,
    start_date: date,
    reason: str,
    today: date,
    errors: dict[str, str],
) -> None:
    """The rules of any move: a pupil at school, a reason, a date not ahead, a level in use."""
    if pupil.status == PupilStatus.VERTROKKEN:
        errors["pupil"] = "Deze leerling heeft de school verlaten; het dossier is alleen-lezen."
    if not reason or not reason.strip():
        errors["reason"] = "Vul de reden in: waarom gaat de leerling naar dit niveau?"
    if start_date > today:
        errors["start_date"] = "De datum ligt in de toekomst; vul de datum van het besluit in."
    if level.retired:
        errors["level"] = "Dit niveau wordt niet meer gebruikt; kies een ander niveau."


@dataclass(frozen=True)
class _Place:
    """Where a move goes in the history: the entry it closes, its own end, up or down."""

    closed: LevelAssignment | None
    end_date: date | None  # set for a move recorded late: it ends where the next one began
    direction: str  # "op", "af" or "start"


def _place(
    session: Session,
    pupil: Pupil,
    area: str,
    level: SupportLevel,
    start_date: date,
    errors: dict[str, str],
) -> _Place:
    """Where the move goes: after the open level, or (recorded late) between earlier ones."""
    current = current_assignment(session, pupil.id, area)
    direction = "start"
    place = _Place(current, None, direction)
    if current is not None and start_date < current.start_date:
        # A move recorded late: it goes into the history between the entries around it.
        inserted = _insertion(session, pupil.id, area, level, start_date, errors)
        if inserted is not None and inserted.before is not None:
            direction = _direction(session, inserted.before, level)
        before = inserted.before if inserted is not None else None
        place = _Place(before, inserted.until if inserted is not None else None, direction)
    elif current is not None:
        if current.level_id == level.id:
            errors["level"] = "De leerling staat al op dit niveau."
        place = _Place(current, None, _direction(session, current, level))
    if pupil.birth_date and start_date < pupil.birth_date:
        errors["start_date"] = "De datum ligt vóór de geboortedatum."
    return place


def _direction(session: Session, closed: LevelAssignment, level: SupportLevel) -> str:
    """ "op" when ``level`` is higher than the one of ``closed``, else "af"."""
    closed_level = session.get(SupportLevel, closed.level_id)
    return "op" if closed_level and level.position > closed_level.position else "af"


def _decision_meeting(
    session: Session,
    pupil: Pupil,
    level: SupportLevel,
    kind: MeetingKind,
    day: date,
    reason: str,
) -> Meeting:
    """The meeting where the move was decided, created with it (its decision says so)."""
    meeting = Meeting(
        school_id=pupil.school_id,
        kind=kind,
        date=day,
        title=MEETING_TITLES.get(kind, ""),
        group_id=pupil.group_id,
        held=True,
        decisions=f"Niveau {level.label}: {reason.strip()}",
    )
    meeting.pupils.append(pupil)
    session.add(meeting)
    session.flush()
    return meeting


def _log_move(
    session: Session,
    pupil: Pupil,
    area: str,
    level: SupportLevel,
    place: _Place,
    old_label: str,
    start_date: date,
    reason: str,
    actor: str | None,
) -> None:
    end_date = place.end_date
    audit.record(
        session,
        "pupil",
        pupil.id,
        {"op": "opgeschaald", "af": "afgeschaald", "start": "niveau toegekend"}[place.direction],
        field="niveau" + (f" ({area})" if area else ""),
        old=old_label,
        new=level.label,
        summary=(
            f"Met terugwerkende kracht, van {short_date(start_date)} tot "
            f"{short_date(end_date)}: {reason.strip()}"
            if end_date is not None
            else reason.strip()
        ),
        actor=actor,
    )


@dataclass(frozen=True)
class _Insertion:
    """Where a backdated move goes: after ``before`` (None: before the first), until ``until``."""

    before: LevelAssignment | None
    until: date


def _insertion(
    session: Session,
    pupil_id: int,
    area: str,
    level: SupportLevel,
    start_date: date,
    errors: dict[str, str],
) -> _Insertion | None:
    """Place a move dated before the current level between the history entries around it.

    The history stays one line without overlaps: the entry running on ``start_date`` ends
    there, and the new level runs until the next entry starts. Refused (in ``errors``) when
    another level starts on that very day, or when the level would follow or precede itself.
    """
    entries = session.scalars(
        sa.select(LevelAssignment)
        .where(LevelAssignment.pupil_id == pupil_id, LevelAssignment.area == area)
        .order_by(LevelAssignment.start_date, LevelAssignment.id)
    ).all()
    levels = {lvl.id: lvl for lvl in session.scalars(sa.select(SupportLevel))}

    def label(entry: LevelAssignment) -> str:
        found = levels.get(entry.level_id)
        return found.label if found else str(entry.level_id)

    same_day = next((e for e in entries if e.start_date == start_date), None)
    if same_day is not None:
        errors["start_date"] = (
            f"Op {short_date(start_date)} begint al niveau {label(same_day)}; twee niveaus "
            "kunnen niet op dezelfde dag beginnen. Kies een andere datum."
        )
        return None
    before = next(
        (
            e
            for e in reversed(entries)
            if e.start_date < start_date and (e.end_date is None or start_date < e.end_date)
        ),
        None,
    )
    after = next(e for e in entries if e.start_date > start_date)
    if before is not None and before.level_id == level.id:
        errors["level"] = (
            f"Op {short_date(start_date)} stond de leerling al op niveau {label(before)} "
            f"(sinds {short_date(before.start_date)})."
        )
    elif after.level_id == level.id:
        errors["level"] = (
            f"Vanaf {short_date(after.start_date)} staat de leerling al op niveau "
            f"{label(after)}; hetzelfde niveau kan er niet direct aan voorafgaan."
        )
    return _Insertion(before=before, until=after.start_date)
