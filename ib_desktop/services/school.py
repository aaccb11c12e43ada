"""Setting up a school: support structure from a template, school years, development areas."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_bounds, school_year_label
from ib_desktop.models import (
    DevelopmentArea,
    Region,
    School,
    SchoolYear,
    StaffRole,
    SupportLevel,
    SupportStructure,
    Tier,
)
from ib_desktop.resources import default_development_areas, structure_templates
from ib_desktop.validation import ValidationErrors


def get_school(session: Session, school_id: int | None = None) -> School | None:
    """The school with this id, or the first school of the database."""
    if school_id is not None:
        return session.get(School, school_id)
    return session.scalars(sa.select(School).order_by(School.id).limit(1)).first()


def ensure_school_year(session: Session, day: date) -> SchoolYear:
    """The school year that ``day`` falls in, created when it is not there yet."""
    label = school_year_label(day)
    year = session.scalars(sa.select(SchoolYear).where(SchoolYear.label == label)).first()
    if year is None:
        start, end = school_year_bounds(label)
        year = SchoolYear(
            label=label, start_date=start, end_date=end, counting_date=date(start.year, 10, 1)
        )
        session.add(year)
        session.flush()
    return year


def structure_from_template(
    session: Session, key: str | None, *, name: str | None = None
) -> SupportStructure:
    """A new support structure: a copy of a shipped template, or an empty one (key None)."""
    if key is None:
        structure = SupportStructure(name=name or "Eigen ondersteuningsstructuur")
        session.add(structure)
        session.flush()
        return structure
    templates = structure_templates()
    if key not in templates:
        raise ValueError(f"Onbekend sjabloon '{key}'. Kies uit: {', '.join(sorted(templates))}.")
    data: dict[str, Any] = templates[key]
    structure = SupportStructure(
        name=name or data["name"], description=data.get("description", ""), template_key=key
    )
    for pos, lvl in enumerate(data["levels"], start=1):
        structure.levels.append(
            SupportLevel(
                position=pos,
                name=lvl["name"],
                description=lvl.get("description", ""),
                tier=Tier(lvl["tier"]),
                responsible_role=StaffRole(lvl["responsible_role"]),
                parent_meeting_weeks=lvl.get("parent_meeting_weeks"),
                required_documents=list(lvl.get("required_documents", [])),
                requires_any=bool(lvl.get("requires_any", False)),
                color=lvl.get("color", "#9e9e9e"),
            )
        )
    session.add(structure)
    session.flush()
    return structure


def create_school(
    session: Session,
    name: str,
    *,
    brin: str = "",
    swv_name: str = "",
    region: Region | str = Region.MIDDEN,
    structure_template: str | None = "vier-niveaus",
    areas: list[str] | None = None,
    today: date | None = None,
) -> School:
    """A school with its support structure, development areas and current school year."""
    errors = {}
    if not name.strip():
        errors["name"] = "Vul de naam van de school in."
    brin = brin.strip().upper()
    if brin and not (len(brin) in (4, 6) and brin[:2].isdigit() and brin[2:4].isalpha()):
        errors["brin"] = "Een BRIN-nummer bestaat uit twee cijfers en twee letters, bijv. 12AB."
    ValidationErrors.collect(errors)
    structure = structure_from_template(session, structure_template)
    school = School(
        name=name.strip(),
        brin=brin,
        swv_name=swv_name.strip(),
        region=Region(region),
        support_structure=structure,
    )
    session.add(school)
    session.flush()
    for pos, area in enumerate(areas or default_development_areas()):
        session.add(DevelopmentArea(school_id=school.id, name=area, position=pos))
    ensure_school_year(session, today or date.today())
    from ib_desktop.services.holidays import seed_holidays

    seed_holidays(session, school.region)  # the region's holidays, once; the school edits them
    session.flush()
    return school


def development_areas(session: Session, school_id: int) -> list[str]:
    """The school's active development areas in order."""
    return list(
        session.scalars(
            sa.select(DevelopmentArea.name)
            .where(DevelopmentArea.school_id == school_id, DevelopmentArea.active.is_(True))
            .order_by(DevelopmentArea.position)
        )
    )
