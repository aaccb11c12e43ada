"""The whole pupil file read in one go: what the window shows on its tabs.

Personal data, the file's own records, the groups per school year, the meetings, the support
documents and the level history, with the documents the current levels require but lack.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ib_desktop.models import (
    DocumentStatus,
    Group,
    GroupMembership,
    GrowthDocument,
    Opp,
    OppStatus,
    OppVersion,
    Pupil,
    PupilStatus,
    ShortIntervention,
    SupportLevel,
)
from ib_desktop.permissions import Role
from ib_desktop.services.accounts.access import check_pupil_visible
from ib_desktop.services.levels import open_document_kinds, required_missing
from ib_desktop.services.pupil.children import (
    ASSESSMENTS,
    CARE_PROVIDERS,
    GUARDIANS,
    SCHOOL_HISTORY,
)
from ib_desktop.services.pupil.data import (
    DocumentRow,
    LevelHistory,
    MembershipRow,
    PupilFile,
    RecordGoneError,
)
from ib_desktop.services.pupil.labels import DOCUMENT_STATUS_LABELS, OPP_STATUS_LABELS
from ib_desktop.services.pupil.meetings import pupil_meetings
from ib_desktop.services.pupil.parent_views import parent_views_of
from ib_desktop.services.pupil.records import load_pupil_data
from ib_desktop.services.pupil.staircase import level_history
from ib_desktop.services.pupil.validation import age_on, clean


def pupil_documents(session: Session, pupil_id: int, *, today: date) -> list[DocumentRow]:
    """The pupil's korte interventies, groeidocumenten and OPP versions, newest first."""
    rows = [
        *_intervention_rows(session, pupil_id),
        *_growth_rows(session, pupil_id),
        *_opp_rows(session, pupil_id, today),
    ]
    rows.sort(key=lambda r: (r.start or date.min, r.kind, r.title), reverse=True)
    return rows


def _intervention_rows(session: Session, pupil_id: int) -> list[DocumentRow]:
    rows = []
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
    return rows


def _growth_rows(session: Session, pupil_id: int) -> list[DocumentRow]:
    rows = []
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
    return rows


def _opp_rows(session: Session, pupil_id: int, today: date) -> list[DocumentRow]:
    """One row per OPP version (one for an OPP without any); only the last one of a running
    OPP is open."""
    rows = []
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
            rows.append(
                DocumentRow(
                    "opp",
                    opp.id,
                    f"OPP versie {v.number}",
                    OPP_STATUS_LABELS[OppStatus(v.status)],
                    v.fixed_on or v.discussed_on or opp.start_date,
                    v.evaluated_on or v.next_evaluation_on,
                    running and v is versions[-1],
                )
            )
    return rows


def _memberships(pupil: Pupil) -> list[MembershipRow]:
    """The pupil's group per school year, newest year first."""
    return [
        MembershipRow(
            m.school_year.label,
            m.group.name,
            ", ".join(t.full_name for t in m.group.teachers),
        )
        for m in sorted(pupil.memberships, key=lambda m: m.school_year.start_date, reverse=True)
    ]


def _missing_documents(
    session: Session, pupil: Pupil, history: LevelHistory, today: date
) -> list[str]:
    """The document kinds the pupil's current levels require and the pupil lacks."""
    if pupil.status == PupilStatus.VERTROKKEN:
        return []
    present = open_document_kinds(session, [pupil.id], today=today).get(pupil.id, set())
    missing: list[str] = []
    for area in history.areas:
        step = history.current(area)
        if step is None:
            continue
        level = session.get(SupportLevel, step.level.id)
        for kind in required_missing(level, present):  # type: ignore[arg-type]
            if kind not in missing:
                missing.append(kind)
    return missing


def _load_pupil(session: Session, pupil_id: int) -> Pupil:
    """The pupil with every collection the file shows, in a few queries."""
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
    return pupil


def load_pupil_file(
    session: Session, pupil_id: int, *, today: date, role: Role = None
) -> PupilFile:
    """Everything the pupil file window shows, read in one go.

    Sensitive reports and confidential notes come blanked (``restricted=True``) for a role that
    may not read them (:mod:`.restricted`); so do the parents' views on such records.
    """
    check_pupil_visible(session, pupil_id, today)
    pupil = _load_pupil(session, pupil_id)
    group = pupil.group
    if group is None and pupil.memberships:
        group = max(pupil.memberships, key=lambda m: m.school_year.start_date).group
    memberships = _memberships(pupil)
    history = level_history(session, pupil_id, today=today)
    missing = _missing_documents(session, pupil, history, today)
    assessments = ASSESSMENTS.load_all(pupil, role)
    meetings = pupil_meetings(session, pupil_id, role=role)
    care = CARE_PROVIDERS.load_all(pupil, role)
    views = parent_views_of(session, pupil_id, role=role)
    for entity, records in (("assessment", assessments), ("meeting", meetings),
                            ("care_provider", care)):  # fmt: skip
        for record in records:
            if record.id is not None:
                record.parent_views = views.get((entity, record.id), [])
    history.steps[:] = [
        replace(step, parent_views=tuple(views.get(("level_assignment", step.assignment_id), [])))
        for step in history.steps
    ]
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
        guardians=GUARDIANS.load_all(pupil),
        care_providers=care,
        history=SCHOOL_HISTORY.load_all(pupil),
        memberships=memberships,
        assessments=assessments,
        meetings=meetings,
        documents=pupil_documents(session, pupil_id, today=today),
        levels=history,
        missing_documents=missing,
        parent_views=views,
    )
