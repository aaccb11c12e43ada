"""Zienswijze ouders: parents add their own view to a judgement in the file (AVG, issue 19).

Parents may not have the school's judgement changed (only factual errors are corrected), but
they may have their own view added to it. A view is attached to any record of the pupil's file
by kind and id (:data:`ENTITIES`), with the date and the guardian who gave it; the pupil file
shows it beside the record and prints of the record carry it. A view on a record the role may
not read (a sensitive report, a confidential note) is blanked for that role as well.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import (
    Assessment,
    CareProvider,
    GrowthDocument,
    Guardian,
    LevelAssignment,
    Meeting,
    OppVersion,
    ParentView,
    SchoolHistoryEntry,
    ShortIntervention,
    meeting_pupils,
)
from ib_desktop.permissions import Role, reads_restricted
from ib_desktop.services import audit, versioned
from ib_desktop.services.pupil.data import ParentViewData, RecordGoneError
from ib_desktop.services.pupil.labels import FIELD_LABELS, show
from ib_desktop.services.pupil.lookups import writable_pupil
from ib_desktop.validation import ValidationErrors

#: The records a view can be attached to: kind -> (model, how the change log names it).
ENTITIES: dict[str, tuple[type[Any], str]] = {
    "assessment": (Assessment, "onderzoek"),
    "meeting": (Meeting, "vergadering"),
    "care_provider": (CareProvider, "hulpverlening"),
    "school_history": (SchoolHistoryEntry, "schoolloopbaan"),
    "level_assignment": (LevelAssignment, "niveaubesluit"),
    "opp_version": (OppVersion, "OPP-versie"),
    "growth_document": (GrowthDocument, "groeidocument"),
    "short_intervention": (ShortIntervention, "korte interventie"),
}

#: The kinds whose records can be restricted, and the flag that marks them.
_MARKED = {"assessment": "sensitive", "meeting": "confidential", "care_provider": "confidential"}

_FIELDS = ("given_on", "guardian_id", "guardian_name", "text")


def _belongs(session: Session, entity: str, entity_id: int, pupil_id: int) -> Any:
    """The record, when it exists and is part of this pupil's file; else None."""
    if entity not in ENTITIES:
        return None
    record = session.get(ENTITIES[entity][0], entity_id)
    if record is None:
        return None
    if isinstance(record, Meeting):
        linked = session.execute(
            sa.select(meeting_pupils.c.pupil_id).where(
                meeting_pupils.c.meeting_id == entity_id, meeting_pupils.c.pupil_id == pupil_id
            )
        ).first()
        return record if linked else None
    if isinstance(record, OppVersion):
        return record if record.opp.pupil_id == pupil_id else None
    return record if record.pupil_id == pupil_id else None


def check_parent_view(
    session: Session, pupil_id: int, data: ParentViewData, *, today: date
) -> dict[str, str]:
    """Dutch messages by field: the record, the guardian, the date and the text."""
    errors: dict[str, str] = {}
    if _belongs(session, data.entity, data.entity_id, pupil_id) is None:
        errors["entity"] = "Dit onderdeel van het dossier bestaat niet (meer)."
    guardian = session.get(Guardian, data.guardian_id) if data.guardian_id else None
    if guardian is None or guardian.pupil_id != pupil_id:
        errors["guardian_id"] = "Kies de ouder/verzorger van wie de zienswijze is."
    if data.given_on is None:
        errors["given_on"] = "Vul de datum in waarop de ouders hun zienswijze gaven."
    elif data.given_on > today:
        errors["given_on"] = "De datum ligt in de toekomst."
    if not data.text.strip():
        errors["text"] = "Schrijf de zienswijze van de ouders op."
    return errors


def save_parent_view(
    session: Session,
    pupil_id: int,
    data: ParentViewData,
    *,
    today: date,
    actor: str | None = None,
    role: Role = None,
) -> int:
    """Add or change a parent view; returns its id. Logged on the pupil like every change."""
    writable_pupil(session, pupil_id)
    ValidationErrors.collect(check_parent_view(session, pupil_id, data, today=today))
    target = _belongs(session, data.entity, data.entity_id, pupil_id)
    marked = bool(data.entity in _MARKED and getattr(target, _MARKED[data.entity]))
    if marked and not reads_restricted(role):
        from ib_desktop.services.pupil.restricted import RestrictedError

        raise RestrictedError()
    guardian = session.get(Guardian, data.guardian_id)
    assert guardian is not None
    values = {
        "given_on": data.given_on,
        "guardian_id": guardian.id,
        "guardian_name": guardian.name,
        "text": data.text.strip(),
    }
    label = f"zienswijze ouders bij {ENTITIES[data.entity][1]}"
    if data.id is None:
        view = ParentView(
            pupil_id=pupil_id,
            entity=data.entity,
            entity_id=data.entity_id,
            recorded_by=actor or audit.current_actor(),
            **values,
        )
        session.add(view)
        session.flush()
        audit.record(
            session, "pupil", pupil_id, "toegevoegd", field=label,
            new="" if marked else values["text"], summary=f"{label} van {guardian.name}",
            actor=actor,
        )  # fmt: skip
        return int(view.id)
    stored = session.get(ParentView, data.id)
    if stored is None or stored.pupil_id != pupil_id:
        raise RecordGoneError("Deze zienswijze")
    spec = versioned.Versioned(
        what="deze zienswijze",
        labels={**FIELD_LABELS, "given_on": "datum", "text": "zienswijze"},
        show=show,
        history=versioned.History("pupil", pupil_id, (label,)),
    )

    def log(name: str, old: Any, new: Any) -> None:
        audit.record(
            session, "pupil", pupil_id, "gewijzigd", field=f"{label}: {name}",
            old="" if marked else old, new="" if marked else new, actor=actor,
        )  # fmt: skip

    versioned.save_versioned(session, stored, data.version, values, spec, log=log)
    return int(stored.id)


def delete_parent_view(
    session: Session, pupil_id: int, view_id: int, *, actor: str | None = None, role: Role = None
) -> None:
    """Remove a parent view (when entered by mistake); the change log keeps that it was there."""
    writable_pupil(session, pupil_id)
    view = session.get(ParentView, view_id)
    if view is None or view.pupil_id != pupil_id:
        raise RecordGoneError("Deze zienswijze")
    if view.entity in _MARKED and not reads_restricted(role):
        target = _belongs(session, view.entity, view.entity_id, pupil_id)
        if target is not None and getattr(target, _MARKED[view.entity]):
            from ib_desktop.services.pupil.restricted import RestrictedError

            raise RestrictedError()
    audit.record(
        session, "pupil", pupil_id, "verwijderd",
        field=f"zienswijze ouders bij {ENTITIES.get(view.entity, ('', view.entity))[1]}",
        old=view.guardian_name, actor=actor,
    )  # fmt: skip
    session.delete(view)
    session.flush()


def _restricted_targets(session: Session, pupil_id: int) -> set[tuple[str, int]]:
    """The records of the pupil that are marked sensitive or confidential."""
    out: set[tuple[str, int]] = set()
    out.update(
        ("assessment", i)
        for i in session.scalars(
            sa.select(Assessment.id).where(Assessment.pupil_id == pupil_id, Assessment.sensitive)
        )
    )
    out.update(
        ("care_provider", i)
        for i in session.scalars(
            sa.select(CareProvider.id).where(
                CareProvider.pupil_id == pupil_id, CareProvider.confidential
            )
        )
    )
    out.update(
        ("meeting", i)
        for i in session.scalars(
            sa.select(Meeting.id)
            .join(meeting_pupils, meeting_pupils.c.meeting_id == Meeting.id)
            .where(meeting_pupils.c.pupil_id == pupil_id, Meeting.confidential)
        )
    )
    return out


def parent_views_of(
    session: Session, pupil_id: int, *, role: Role = None
) -> dict[tuple[str, int], list[ParentViewData]]:
    """Every parent view in the pupil's file by (kind, record id), oldest first."""
    rows = session.scalars(
        sa.select(ParentView)
        .where(ParentView.pupil_id == pupil_id)
        .order_by(ParentView.given_on, ParentView.id)
    ).all()
    hidden = set() if reads_restricted(role) or not rows else _restricted_targets(session, pupil_id)
    out: dict[tuple[str, int], list[ParentViewData]] = defaultdict(list)
    for row in rows:
        key = (row.entity, row.entity_id)
        restricted = key in hidden
        out[key].append(
            ParentViewData(
                entity=row.entity,
                entity_id=row.entity_id,
                given_on=row.given_on,
                guardian_id=row.guardian_id,
                guardian_name=row.guardian_name,
                text="" if restricted else row.text,
                recorded_by=row.recorded_by,
                id=row.id,
                version=row.version,
                restricted=restricted,
            )
        )
    return dict(out)


def guardian_choices(
    session: Session, pupil_id: int, *, custody_only: bool = False
) -> list[tuple[int, str]]:
    """(id, name) of the pupil's guardians, for the release and parent-view dialogs."""
    query = sa.select(Guardian.id, Guardian.name).where(Guardian.pupil_id == pupil_id)
    if custody_only:
        query = query.where(Guardian.has_custody)
    return [(gid, name) for gid, name in session.execute(query.order_by(Guardian.id))]
