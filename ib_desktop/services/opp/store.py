"""Reading OPP rows for the services, and the guards every write to an OPP passes.

:func:`load_row` reads a version with its children in one go, :func:`to_data` turns it into the
plain :class:`~ib_desktop.services.opp.data.OppVersionData` the editor works on, and
:func:`check_running` / :func:`check_editable` refuse changes to a frozen version, an ended OPP
or the OPP of a pupil who left.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from ib_desktop.dates import short_date
from ib_desktop.models import (
    ChangeLog,
    Opp,
    OppForm,
    OppGoal,
    OppStatus,
    OppVersion,
    Outcome,
    OutflowPerspective,
    Pupil,
    PupilStatus,
    SignatureRole,
)
from ib_desktop.models.base import now
from ib_desktop.services.opp.data import (
    DATE_FIELDS,
    ENDED_ACTION,
    OPP_ENTITY,
    TEXT_FIELDS,
    ConsentData,
    ConversationData,
    GoalData,
    OppVersionData,
    SignatureData,
)
from ib_desktop.services.snapshot import pupil_snapshot
from ib_desktop.validation import ReadOnlyError

_ENDED_SUMMARY = re.compile(r"^OPP beëindigd op [0-9-]+:\s*(.*)$", re.DOTALL)


def blank(text: str | None) -> bool:
    """Whether a text holds nothing but white space."""
    return not (text or "").strip()


def load_row(session: Session, version_id: int) -> OppVersion:
    """A version with its goals, conversations, consents and signatures; LookupError if gone."""
    version = session.scalars(
        sa.select(OppVersion)
        .where(OppVersion.id == version_id)
        .options(
            selectinload(OppVersion.goals),
            selectinload(OppVersion.conversations),
            selectinload(OppVersion.consents),
            selectinload(OppVersion.signatures),
        )
    ).first()
    if version is None:
        raise LookupError(f"OPP-versie {version_id} bestaat niet (meer).")
    return version


def load_opp(session: Session, opp_id: int) -> Opp:
    """The OPP as a whole; LookupError when it is gone."""
    opp = session.get(Opp, opp_id)
    if opp is None:
        raise LookupError(f"OPP {opp_id} bestaat niet (meer).")
    return opp


def goal_data(g: OppGoal) -> GoalData:
    """A stored goal as the editor holds it."""
    return GoalData(
        id=g.id,
        area=g.area,
        goal=g.goal,
        intermediate_goals=g.intermediate_goals,
        evaluation_date=g.evaluation_date,
        result=g.result,
        outcome=Outcome(g.outcome) if g.outcome else None,
    )


def _children(version: OppVersion) -> dict[str, Any]:
    """The goals, conversations, consents and signatures of a version as plain data."""
    return {
        "goals": [goal_data(g) for g in version.goals],
        "conversations": [
            ConversationData(id=c.id, date=c.date, participants=c.participants, summary=c.summary)
            for c in version.conversations
        ],
        "consents": [
            ConsentData(
                id=c.id,
                guardian_id=c.guardian_id,
                guardian_name=c.guardian_name,
                consent=bool(c.consent),
                date=c.date,
                view=c.view,
            )
            for c in version.consents
        ],
        "signatures": [
            SignatureData(
                id=s.id,
                role=SignatureRole(s.role),
                name=s.name,
                signed_on=s.signed_on,
                guardian_id=s.guardian_id,
                staff_id=s.staff_id,
                image_png=s.image_png,
                captured_at=s.captured_at,
            )
            for s in version.signatures
        ],
    }


def to_data(session: Session, version: OppVersion) -> OppVersionData:
    """A stored version as plain data, with the previous version's goals and the OPP's end."""
    opp = version.opp
    pupil = session.get(Pupil, opp.pupil_id)
    data = OppVersionData(
        id=version.id,
        opp_id=opp.id,
        pupil_id=opp.pupil_id,
        pupil_name=pupil.full_name if pupil else "",
        number=version.number,
        status=OppStatus(version.status),
        form=OppForm(version.form),
        lock_version=version.version,
        previous_version_id=version.previous_version_id,
        discussed_on=version.discussed_on,
        fixed_on=version.fixed_on,
        evaluated_on=version.evaluated_on,
        next_evaluation_on=version.next_evaluation_on,
        frozen_pupil=version.frozen_pupil,
        outflow=OutflowPerspective(version.outflow) if version.outflow else None,
        subject_levels={str(k): str(v) for k, v in (version.subject_levels or {}).items()},
        **_children(version),
    )
    for name in TEXT_FIELDS:
        setattr(data, name, getattr(version, name) or "")
    for name in DATE_FIELDS:
        setattr(data, name, getattr(version, name))
    if version.previous_version_id:
        previous = load_row(session, version.previous_version_id)
        data.previous_goals = [goal_data(g) for g in previous.goals]
    data.opp_start_date = opp.start_date
    data.opp_end_date = opp.end_date
    if opp.end_date is not None:
        data.opp_end_reason = end_reason(session, opp.id)
    return data


def end_reason(session: Session, opp_id: int) -> str:
    """Why the OPP ended: the reason of its newest end in the change log ("" when unknown)."""
    summary = session.scalar(
        sa.select(ChangeLog.summary)
        .where(
            ChangeLog.entity == OPP_ENTITY,
            ChangeLog.entity_id == opp_id,
            ChangeLog.action == ENDED_ACTION,
        )
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
        .limit(1)
    )
    if not summary:
        return ""
    match = _ENDED_SUMMARY.match(summary)
    return (match.group(1) if match else summary).strip()


def live_snapshot(session: Session, pupil_id: int) -> dict[str, Any]:
    """The pupil file as parts 1-3 show it today (what fixing a version freezes)."""
    pupil = session.scalars(
        sa.select(Pupil)
        .where(Pupil.id == pupil_id)
        .options(
            selectinload(Pupil.guardians),
            selectinload(Pupil.care_providers),
            selectinload(Pupil.school_history),
            selectinload(Pupil.assessments),
        )
    ).one()
    return pupil_snapshot(pupil)


def load_version(session: Session, version_id: int) -> OppVersionData:
    """A version as plain data (with the previous version's goals for part 12)."""
    return to_data(session, load_row(session, version_id))


def pupil_part_data(session: Session, data: OppVersionData) -> dict[str, Any]:
    """What parts 1-3 show: the frozen snapshot of a fixed version, else the live pupil file."""
    if data.is_frozen and data.frozen_pupil is not None:
        return data.frozen_pupil
    return live_snapshot(session, data.pupil_id)


# ------------------------------------------------------------------------------- guards


def check_running(opp: Opp) -> None:
    """Refuse changes to the OPP of a pupil who left, and to an ended OPP."""
    pupil = opp.pupil
    if pupil is not None and pupil.status == PupilStatus.VERTROKKEN:
        # The file of a pupil who left is kept as it was, for the parents and the retention.
        raise ReadOnlyError(
            f"{pupil.full_name} heeft de school verlaten; het OPP kan alleen nog worden ingezien."
        )
    if opp.end_date is not None:
        raise ReadOnlyError(
            f"Dit OPP is beëindigd op {short_date(opp.end_date)} en kan alleen nog worden "
            "ingezien. Maak de beëindiging eerst ongedaan om het te wijzigen."
        )


def check_editable(row: OppVersion) -> None:
    """Refuse changes to a fixed or evaluated version (and to a version of a closed OPP)."""
    check_running(row.opp)
    if row.is_frozen:
        state = "vastgesteld" if row.status == OppStatus.VASTGESTELD else "geëvalueerd"
        raise ReadOnlyError(
            f"Versie {row.number} van dit OPP is {state} "
            "en kan niet meer worden gewijzigd. Evalueer het OPP om een nieuwe versie te maken."
        )


def touch(row: OppVersion) -> None:
    """Make the row itself UPDATE, so its version number moves even when only children changed."""
    row.updated_at = now()
    flag_modified(row, "updated_at")
