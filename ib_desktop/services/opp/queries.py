"""Lists about OPPs: a pupil's OPP, the versions of an OPP, the OPPs that lack consent."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import Opp, OppConsent, OppStatus, OppVersion, Pupil
from ib_desktop.services.opp.data import ConsentIssue, VersionSummary


def newest_version_id(session: Session, opp_id: int) -> int:
    """The version being worked on or in force."""
    vid = session.scalar(
        sa.select(OppVersion.id)
        .where(OppVersion.opp_id == opp_id)
        .order_by(OppVersion.number.desc())
        .limit(1)
    )
    if vid is None:
        raise LookupError(f"OPP {opp_id} heeft geen versies.")
    return vid


def opp_for_pupil(session: Session, pupil_id: int) -> int | None:
    """The pupil's running OPP (not ended), or their latest one, or None."""
    rows = session.execute(
        sa.select(Opp.id, Opp.end_date).where(Opp.pupil_id == pupil_id).order_by(Opp.start_date)
    ).all()
    if not rows:
        return None
    running = [r.id for r in rows if r.end_date is None]
    return running[-1] if running else rows[-1].id


def list_versions(session: Session, opp_id: int) -> list[VersionSummary]:
    """All versions of an OPP, oldest first."""
    return [
        VersionSummary(
            id=v.id,
            number=v.number,
            status=OppStatus(v.status),
            created_at=v.created_at,
            discussed_on=v.discussed_on,
            fixed_on=v.fixed_on,
            evaluated_on=v.evaluated_on,
            next_evaluation_on=v.next_evaluation_on,
            previous_version_id=v.previous_version_id,
        )
        for v in session.scalars(
            sa.select(OppVersion).where(OppVersion.opp_id == opp_id).order_by(OppVersion.number)
        )
    ]


def opps_without_consent(session: Session, school_id: int) -> list[ConsentIssue]:
    """OPPs whose current version is not fixed because a guardian refused consent.

    Only the newest version of each OPP counts: a refusal on an older version that was later
    resolved is history, not a task.
    """
    newest = (
        sa.select(OppVersion.opp_id, sa.func.max(OppVersion.number).label("number"))
        .group_by(OppVersion.opp_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(OppVersion, OppConsent, Pupil)
        .join(
            newest,
            sa.and_(newest.c.opp_id == OppVersion.opp_id, newest.c.number == OppVersion.number),
        )
        .join(Opp, Opp.id == OppVersion.opp_id)
        .join(Pupil, Pupil.id == Opp.pupil_id)
        .join(OppConsent, OppConsent.opp_version_id == OppVersion.id)
        .where(
            Pupil.school_id == school_id,
            OppConsent.consent.is_(False),
            OppVersion.status.in_([OppStatus.CONCEPT, OppStatus.BESPROKEN]),
            Opp.end_date.is_(None),
        )
        .order_by(Pupil.last_name, Pupil.first_name, OppConsent.date)
    ).all()
    return [
        ConsentIssue(
            opp_id=version.opp_id,
            version_id=version.id,
            version_number=version.number,
            pupil_id=pupil.id,
            pupil_name=pupil.full_name,
            guardian_id=consent.guardian_id,
            guardian_name=consent.guardian_name,
            date=consent.date,
            view=consent.view,
        )
        for version, consent, pupil in rows
    ]
