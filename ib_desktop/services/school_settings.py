"""The school's own settings and its development areas, as the settings page edits them.

Like the structure editor, the settings tabs work on plain dataclasses and save explicitly;
errors are keyed by field so the UI can put each Dutch message beside its field.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, fields

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import (
    DevelopmentArea,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    Pupil,
    Region,
    School,
)
from ib_desktop.services import audit, versioned
from ib_desktop.validation import ValidationErrors

BRIN = re.compile(r"^\d{2}[A-Z]{2}(\d{2})?$")
MAX_LOGO_BYTES = 2_000_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


#: The prefix of a name parked during a rename. PostgreSQL refuses NUL in text; the unit
#: separator is whitespace to ``str.split``, so no name saved here can ever start with it.
PARKED = "\x1f"

@dataclass
class SchoolSettings:
    """What the "School" tab edits."""

    name: str = ""
    brin: str = ""
    swv_name: str = ""
    region: Region = Region.MIDDEN
    address: str = ""
    phone: str = ""
    opp_evaluations_per_year: int = 2
    zorgplicht_weeks: int = 6
    zorgplicht_extension_weeks: int = 4
    logo_png: bytes | None = field(default=None, repr=False)
    #: The board's retention terms (years after leaving; after a referral to SBO/SO).
    retention_years: int = 2
    retention_years_special: int = 3
    #: The version the tab loaded (optimistic locking); None: do not compare.
    version: int | None = field(default=None, compare=False)


#: The fields the tab edits, and their Dutch names for a conflict.
SCHOOL_LABELS = {
    "name": "naam",
    "brin": "BRIN-nummer",
    "swv_name": "samenwerkingsverband",
    "region": "regio",
    "address": "adres",
    "phone": "telefoon",
    "opp_evaluations_per_year": "OPP-evaluaties per jaar",
    "zorgplicht_weeks": "zorgplicht (weken)",
    "zorgplicht_extension_weeks": "verlenging zorgplicht (weken)",
    "logo_png": "logo",
    "retention_years": "bewaartermijn (jaar)",
    "retention_years_special": "bewaartermijn na verwijzing SBO/SO (jaar)",
}
#: Kept in ``School.settings`` (and applied by the retention service), not in own columns.
RETENTION_FIELDS = ("retention_years", "retention_years_special")


def _school_spec(school_id: int) -> versioned.Versioned:
    def show(name: str, value: object) -> str:
        if name == "logo_png":
            return "(afbeelding)" if value else ""
        return versioned.display(value)

    return versioned.Versioned(
        "de schoolgegevens",
        labels=SCHOOL_LABELS,
        show=show,
        history=versioned.History("school", school_id),
    )


def brin_problem(brin: str) -> str:
    """Why a BRIN number is wrong (empty when it is fine or left empty)."""
    brin = brin.strip().upper()
    if not brin or BRIN.match(brin):
        return ""
    return "Een BRIN-nummer bestaat uit twee cijfers en twee letters, bijvoorbeeld 12AB."


def check_school_settings(data: SchoolSettings) -> dict[str, str]:
    """Every problem, keyed by field name."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Vul de naam van de school in."
    elif len(data.name.strip()) > 200:
        errors["name"] = "De naam is te lang (hoogstens 200 tekens)."
    if problem := brin_problem(data.brin):
        errors["brin"] = problem
    if not 1 <= data.opp_evaluations_per_year <= 12:
        errors["opp_evaluations_per_year"] = (
            "Een OPP wordt minstens één keer per jaar met de ouders geëvalueerd (wettelijk)."
        )
    if not 1 <= data.zorgplicht_weeks <= 52:
        errors["zorgplicht_weeks"] = "De zorgplicht duurt minstens één week (wettelijk: 6 weken)."
    if not 0 <= data.zorgplicht_extension_weeks <= 52:
        errors["zorgplicht_extension_weeks"] = "Vul een verlenging van 0 weken of meer in."
    for name in RETENTION_FIELDS:
        if not 1 <= getattr(data, name) <= 20:
            errors[name] = "Kies een bewaartermijn van 1 tot 20 jaar."
    if data.logo_png is not None:
        if not data.logo_png.startswith(PNG_SIGNATURE):
            errors["logo"] = "Het logo moet een PNG-afbeelding zijn."
        elif len(data.logo_png) > MAX_LOGO_BYTES:
            errors["logo"] = "Het logo is te groot (hoogstens 2 MB); kies een kleinere afbeelding."
    return errors


def load_school_settings(session: Session, school_id: int) -> SchoolSettings:
    """The school's settings as the tab shows them."""
    school = session.get(School, school_id)
    if school is None:
        raise LookupError(f"Er is geen school met nummer {school_id}.")
    return SchoolSettings(
        name=school.name,
        brin=school.brin or "",
        swv_name=school.swv_name or "",
        region=Region(school.region),
        address=school.address or "",
        phone=school.phone or "",
        opp_evaluations_per_year=school.opp_evaluations_per_year,
        zorgplicht_weeks=school.zorgplicht_weeks,
        zorgplicht_extension_weeks=school.zorgplicht_extension_weeks,
        logo_png=school.logo_png,
        retention_years=int((school.settings or {}).get("retention_years", 2)),
        retention_years_special=int((school.settings or {}).get("retention_years_special", 3)),
        version=school.version,
    )


def save_school_settings(
    session: Session, school_id: int, data: SchoolSettings, *, actor: str | None = None
) -> SchoolSettings:
    """Store the settings; raises :class:`ValidationErrors` (nothing saved) on bad input.

    Checked against ``data.version``: when someone else saved the school's data after the tab
    loaded them, :class:`~ib_desktop.services.versioned.EditConflict` is raised with both values
    per field and nothing is written.
    """
    ValidationErrors.collect(check_school_settings(data))
    school = session.get(School, school_id)
    if school is None:
        raise LookupError(f"Er is geen school met nummer {school_id}.")
    clean = SchoolSettings(
        name=data.name.strip(),
        brin=data.brin.strip().upper(),
        swv_name=data.swv_name.strip(),
        region=Region(data.region),
        address=data.address.strip(),
        phone=data.phone.strip(),
        opp_evaluations_per_year=data.opp_evaluations_per_year,
        zorgplicht_weeks=data.zorgplicht_weeks,
        zorgplicht_extension_weeks=data.zorgplicht_extension_weeks,
        logo_png=data.logo_png,
    )
    skip = ("version", *RETENTION_FIELDS)
    values = {f.name: getattr(clean, f.name) for f in fields(SchoolSettings) if f.name not in skip}
    spec = _school_spec(school_id)

    def log(name: str, before: object, after: object) -> None:
        audit.record(
            session, "school", school_id, "gewijzigd",
            field=name, old=spec.show(name, before), new=spec.show(name, after), actor=actor,
        )  # fmt: skip

    versioned.save_versioned(session, school, data.version, values, spec, log=log)
    terms = (data.retention_years, data.retention_years_special)
    stored = load_school_settings(session, school_id)
    if terms != (stored.retention_years, stored.retention_years_special):
        from ib_desktop.services.privacy import retention  # the dates of the pupils who left

        retention.set_terms(session, school_id, *terms, actor=actor)
    return load_school_settings(session, school_id)


# ---------------------------------------------------------------------------- development areas


@dataclass
class AreaDraft:
    """A development area as the tab holds it; ``id`` None for a new one."""

    id: int | None = None
    name: str = ""
    active: bool = True
    used: int = 0  # groeidocument goals that use the name (renaming leaves them as written)
    version: int | None = None  # the version loaded (optimistic locking); None for a new one


def load_areas(session: Session, school_id: int) -> list[AreaDraft]:
    """The school's areas in order, with how often groeidocumenten use each name."""
    used = dict(
        session.execute(
            sa.select(GrowthGoal.area, sa.func.count(GrowthGoal.id))
            .join(GrowthPeriod, GrowthPeriod.id == GrowthGoal.period_id)
            .join(GrowthDocument, GrowthDocument.id == GrowthPeriod.document_id)
            .join(Pupil, Pupil.id == GrowthDocument.pupil_id)
            .where(Pupil.school_id == school_id)
            .group_by(GrowthGoal.area)
        ).all()
    )
    return [
        AreaDraft(
            id=a.id, name=a.name, active=a.active, used=used.get(a.name, 0), version=a.version
        )
        for a in session.scalars(
            sa.select(DevelopmentArea)
            .where(DevelopmentArea.school_id == school_id)
            .order_by(DevelopmentArea.position, DevelopmentArea.id)
        )
    ]


def check_areas(areas: list[AreaDraft]) -> dict[str, str]:
    """Problems keyed ``"<index>.name"``, or ``"areas"`` for the list as a whole."""
    errors: dict[str, str] = {}
    seen: dict[str, int] = {}
    for i, area in enumerate(areas):
        key = " ".join(area.name.split()).casefold()
        if not key:
            errors[f"{i}.name"] = "Vul de naam van het ontwikkelingsgebied in."
        elif key in seen:
            errors[f"{i}.name"] = "Dit ontwikkelingsgebied staat er al; kies een andere naam."
        elif len(area.name.strip()) > 80:
            errors[f"{i}.name"] = "De naam is te lang (hoogstens 80 tekens)."
        else:
            seen[key] = i
    if areas and not any(a.active for a in areas):
        errors["areas"] = "Minstens één ontwikkelingsgebied moet in gebruik blijven."
    return errors


def _area_spec(school_id: int, area: AreaDraft) -> versioned.Versioned:
    return versioned.Versioned(
        f"ontwikkelingsgebied '{area.name.strip()}'",
        labels={"name": "naam", "active": "in gebruik"},
        history=versioned.History("ontwikkelingsgebied", school_id),  # the school's areas
    )


def save_areas(
    session: Session,
    school_id: int,
    areas: list[AreaDraft],
    *,
    actor: str | None = None,
    loaded_ids: Collection[int] | None = None,
) -> list[AreaDraft]:
    """Store names, order and active flags. Saved areas are never deleted, only deactivated:
    groeidocumenten refer to them by name.

    Each area loaded with a version is checked against it: an area someone else changed
    meanwhile raises :class:`~ib_desktop.services.versioned.EditConflict` (its ``record_id`` says
    which one; saving again with its ``current_version`` overwrites on purpose), as does an area
    someone else added (one not in ``loaded_ids``, the ids the list was loaded with). Nothing
    is written then.
    """
    ValidationErrors.collect(check_areas(areas))
    existing = {
        a.id: a
        for a in session.scalars(
            sa.select(DevelopmentArea).where(DevelopmentArea.school_id == school_id)
        )
    }
    missing = [a for a in areas if a.id is not None and a.id not in existing]
    if missing:
        raise ValidationErrors(
            {"areas": "Een ontwikkelingsgebied is intussen verwijderd; laad de lijst opnieuw."}
        )
    for a in areas:
        if a.id is not None:
            mine = {"name": " ".join(a.name.split()), "active": a.active}
            versioned.check_version(
                session, existing[a.id], a.version, mine, _area_spec(school_id, a)
            )
    dropped = set(existing) - {a.id for a in areas if a.id is not None}
    if loaded_ids is not None and dropped - set(loaded_ids):
        # Saved areas the list was not loaded with: someone else added them meanwhile.
        who, at = versioned.last_change(
            session, versioned.History("ontwikkelingsgebied", school_id)
        )
        theirs = sorted(existing.values(), key=lambda r: (r.position, r.id))
        raise versioned.EditConflict(
            "de lijst met ontwikkelingsgebieden",
            who=who,
            at=at,
            fields=[
                versioned.FieldConflict(
                    "areas",
                    "ontwikkelingsgebieden",
                    ", ".join(" ".join(a.name.split()) for a in areas),
                    ", ".join(r.name for r in theirs),
                )
            ],
        )
    if dropped:
        raise ValidationErrors(
            {"areas": "Opgeslagen ontwikkelingsgebieden kunnen niet worden verwijderd; zet ze uit."}
        )
    old_names = {aid: row.name for aid, row in existing.items()}
    checks = [
        (existing[a.id], a.version, {"name": " ".join(a.name.split()), "active": a.active},
         _area_spec(school_id, a))
        for a in areas if a.id is not None
    ]  # fmt: skip
    # Park changed names first, so that swapping two names never trips the unique constraint.
    for a in areas:
        if a.id is not None and existing[a.id].name != a.name.strip():
            existing[a.id].name = f"{PARKED}{a.id}"
    versioned.flush_many(session, checks, "de ontwikkelingsgebieden")
    for position, a in enumerate(areas):
        name = " ".join(a.name.split())
        if a.id is None:
            row = DevelopmentArea(
                school_id=school_id, name=name, position=position, active=a.active
            )
            session.add(row)
            audit.record(
                session, "ontwikkelingsgebied", school_id, "toegevoegd", new=name, actor=actor
            )
            continue
        row = existing[a.id]
        if row.name.startswith(PARKED):
            audit.record(
                session, "ontwikkelingsgebied", school_id, "hernoemd",
                old=old_names[a.id], new=name, actor=actor,
            )  # fmt: skip
        if row.active != a.active:
            audit.record(
                session, "ontwikkelingsgebied", school_id,
                "in gebruik genomen" if a.active else "uit gebruik genomen", new=name, actor=actor,
            )  # fmt: skip
        row.name, row.position, row.active = name, position, a.active
    versioned.flush_many(session, checks, "de ontwikkelingsgebieden")
    return load_areas(session, school_id)
