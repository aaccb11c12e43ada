"""The support-level staircase: where a pupil stands, moving up and down, required documents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

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


def required_missing(level: SupportLevel, present: Iterable[DocumentKind | str]) -> list[str]:
    """The document kinds a level requires that the pupil lacks (empty when satisfied)."""
    required = [DocumentKind(k) for k in level.required_documents]
    if not required:
        return []
    have = {DocumentKind(k) for k in present}
    if level.requires_any:
        return [] if have.intersection(required) else [k.value for k in required]
    return [k.value for k in required if k not in have]


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

    The open assignment for the same area is closed on ``start_date``; history is never
    rewritten. With ``new_meeting_kind`` the meeting where it was decided is created in the
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
        try:
            new_meeting_kind = MeetingKind(new_meeting_kind)
        except ValueError:
            errors["meeting_kind"] = "Kies het soort vergadering."
        meeting_day = new_meeting_date or start_date
        if meeting_day > today:
            errors["meeting_date"] = (
                "De vergadering ligt in de toekomst; vul de datum in waarop er besloten is."
            )
        elif meeting_day > start_date:
            errors["meeting_date"] = (
                "De vergadering ligt na de datum van het besluit; het besluit volgt uit de "
                "vergadering."
            )
    if pupil.status == PupilStatus.VERTROKKEN:
        errors["pupil"] = "Deze leerling heeft de school verlaten; het dossier is alleen-lezen."
    if not reason or not reason.strip():
        errors["reason"] = "Vul de reden in: waarom gaat de leerling naar dit niveau?"
    if start_date > today:
        errors["start_date"] = "De datum ligt in de toekomst; vul de datum van het besluit in."
    if level.retired:
        errors["level"] = "Dit niveau wordt niet meer gebruikt; kies een ander niveau."
    current = current_assignment(session, pupil.id, area)
    direction = "start"
    if current is not None:
        if current.level_id == level.id:
            errors["level"] = "De leerling staat al op dit niveau."
        elif start_date < current.start_date:
            errors["start_date"] = (
                "De datum ligt vóór de start van het huidige niveau "
                f"({current.start_date:%d-%m-%Y})."
            )
        current_level = session.get(SupportLevel, current.level_id)
        direction = "op" if current_level and level.position > current_level.position else "af"
    if pupil.birth_date and start_date < pupil.birth_date:
        errors["start_date"] = "De datum ligt vóór de geboortedatum."
    ValidationErrors.collect(errors)

    if new_meeting_kind is not None:
        kind = MeetingKind(new_meeting_kind)
        meeting = Meeting(
            school_id=pupil.school_id,
            kind=kind,
            date=new_meeting_date or start_date,
            title=MEETING_TITLES.get(kind, ""),
            group_id=pupil.group_id,
            held=True,
            decisions=f"Niveau {level.label}: {reason.strip()}",
        )
        meeting.pupils.append(pupil)
        session.add(meeting)
        session.flush()
    old_label = ""
    if current is not None:
        current.end_date = start_date
        old_level = session.get(SupportLevel, current.level_id)
        old_label = old_level.label if old_level else str(current.level_id)
    assignment = LevelAssignment(
        pupil_id=pupil.id,
        level_id=level.id,
        area=area,
        start_date=start_date,
        reason=reason.strip(),
        decided_by_id=decided_by.id if decided_by else None,
        decided_by_name=decided_by.full_name if decided_by else decided_by_name,
        meeting_id=meeting.id if meeting else None,
    )
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        "pupil",
        pupil.id,
        {"op": "opgeschaald", "af": "afgeschaald", "start": "niveau toegekend"}[direction],
        field="niveau" + (f" ({area})" if area else ""),
        old=old_label,
        new=level.label,
        summary=reason.strip(),
        actor=actor,
    )
    present = open_document_kinds(session, [pupil.id], today=today).get(pupil.id, set())
    return LevelChange(
        assignment.id,
        direction,
        required_missing(level, present),
        level_id=level.id,
        meeting_id=meeting.id if meeting else None,
    )
