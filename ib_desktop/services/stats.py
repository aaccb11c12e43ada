"""Counts for ``ib-desktop info`` and the school support profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import (
    DocumentStatus,
    Group,
    GrowthDocument,
    LevelAssignment,
    Meeting,
    Opp,
    OppVersion,
    Pupil,
    PupilStatus,
    School,
    ShortIntervention,
    Staff,
    SupportLevel,
)
from ib_desktop.services.school import ensure_school_year


@dataclass
class SchoolSummary:
    """What ``info`` prints about one school."""

    school: str
    brin: str
    swv: str
    region: str
    structure: str
    school_year: str
    pupils_active: int
    pupils_left: int
    groups: int
    staff: int
    per_level: list[tuple[int, str, int]] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)
    meetings: int = 0


def summarize(session: Session, school: School, *, today: date | None = None) -> SchoolSummary:
    """Counts per level and per document kind for one school, straight from the database."""
    today = today or date.today()
    year = ensure_school_year(session, today)
    count = lambda q: session.execute(q).scalar_one()  # noqa: E731
    pupils_of_school = sa.select(Pupil.id).where(Pupil.school_id == school.id)
    per_level_rows = session.execute(
        sa.select(SupportLevel.position, SupportLevel.name, sa.func.count(LevelAssignment.id))
        .join(LevelAssignment, LevelAssignment.level_id == SupportLevel.id, isouter=True)
        .join(Pupil, Pupil.id == LevelAssignment.pupil_id, isouter=True)
        .where(SupportLevel.structure_id == school.support_structure_id)
        .where(
            sa.or_(
                LevelAssignment.id.is_(None),
                sa.and_(
                    LevelAssignment.end_date.is_(None),
                    LevelAssignment.area == "",
                    Pupil.status == PupilStatus.ACTIEF,
                ),
            )
        )
        .group_by(SupportLevel.position, SupportLevel.name)
        .order_by(SupportLevel.position)
    ).all()
    documents = {}
    for label, model in (
        ("korte interventies", ShortIntervention),
        ("groeidocumenten", GrowthDocument),
    ):
        for status in DocumentStatus:
            documents[f"{label} ({status.value})"] = count(
                sa.select(sa.func.count(model.id)).where(
                    model.pupil_id.in_(pupils_of_school), model.status == status
                )
            )
    documents["OPP's"] = count(
        sa.select(sa.func.count(Opp.id)).where(Opp.pupil_id.in_(pupils_of_school))
    )
    documents["OPP-versies"] = count(
        sa.select(sa.func.count(OppVersion.id))
        .join(Opp, Opp.id == OppVersion.opp_id)
        .where(Opp.pupil_id.in_(pupils_of_school))
    )
    structure = school.support_structure
    return SchoolSummary(
        school=school.name,
        brin=school.brin,
        swv=school.swv_name,
        region=school.region.value,
        structure=structure.name if structure else "(geen)",
        school_year=year.label,
        pupils_active=count(
            sa.select(sa.func.count(Pupil.id)).where(
                Pupil.school_id == school.id, Pupil.status == PupilStatus.ACTIEF
            )
        ),
        pupils_left=count(
            sa.select(sa.func.count(Pupil.id)).where(
                Pupil.school_id == school.id, Pupil.status == PupilStatus.VERTROKKEN
            )
        ),
        groups=count(
            sa.select(sa.func.count(Group.id)).where(
                Group.school_id == school.id, Group.school_year_id == year.id
            )
        ),
        staff=count(sa.select(sa.func.count(Staff.id)).where(Staff.school_id == school.id)),
        per_level=[(pos, name, n) for pos, name, n in per_level_rows],
        documents=documents,
        meetings=count(sa.select(sa.func.count(Meeting.id)).where(Meeting.school_id == school.id)),
    )
