"""Editing the school's support staircase without ever losing a pupil's history.

The editor works on a :class:`StructureDraft` (plain dataclasses, no session) and saves it in one
go with :func:`save_structure`. The rules:

* every level needs a name, unique within the staircase (ignoring case and spaces);
* the parent-meeting interval is empty (no fixed rhythm) or a whole number of weeks of 1 or more;
* a level that was ever used (any level assignment, open or closed) cannot be deleted, only
  retired: a retired level keeps the history that refers to it, but cannot be chosen any more;
* at least one level stays in use.

Validation errors are keyed ``"<index>.<field>"`` (the level's position in the draft, from 0) or
``"name"`` / ``"levels"`` for the staircase itself, so the editor can put each message beside
its field.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from ib_desktop.models import (
    DocumentKind,
    LevelAssignment,
    Pupil,
    PupilStatus,
    School,
    StaffRole,
    SupportLevel,
    SupportStructure,
    Tier,
)
from ib_desktop.services import audit, versioned
from ib_desktop.validation import ValidationError, ValidationErrors

DEFAULT_COLOR = "#9e9e9e"
#: Colours offered to a new level, in turn, so that neighbours differ.
NEW_LEVEL_COLORS = ("#8bc34a", "#ffc107", "#ff7043", "#c62828", "#7e57c2", "#26a69a", "#5c6bc0")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_WEEKS = 52


#: The prefix of a name parked during a rename. PostgreSQL refuses NUL in text; the unit
#: separator is whitespace to ``str.split``, so no name saved here can ever start with it.
PARKED = "\x1f"

@dataclass
class LevelDraft:
    """One level as the editor holds it before saving.

    ``parent_meeting_weeks`` is None for "no fixed rhythm", a number of weeks, or the text the
    user typed when it could not be read as a number (validation reports it).
    """

    id: int | None = None
    name: str = ""
    description: str = ""
    tier: Tier = Tier.BASIS
    responsible_role: StaffRole = StaffRole.LEERKRACHT
    parent_meeting_weeks: int | str | None = None
    required_documents: list[str] = field(default_factory=list)
    requires_any: bool = False
    color: str = DEFAULT_COLOR
    retired: bool = False


@dataclass(frozen=True)
class LevelUsage:
    """How a level is used: pupils ever placed on it, and pupils on it now."""

    ever: int = 0
    now: int = 0

    @property
    def in_use(self) -> bool:
        """Any history at all refers to the level."""
        return self.ever > 0


@dataclass
class StructureDraft:
    """The school's staircase as the editor holds it: name, description and levels in order."""

    id: int
    name: str
    description: str
    levels: list[LevelDraft]
    template_key: str | None = None
    #: The staircase's version when loaded (optimistic locking); None: do not compare.
    version: int | None = field(default=None, compare=False)

    def copy(self) -> StructureDraft:
        """A deep copy, to compare against or to undo to."""
        return copy.deepcopy(self)


def field_key(index: int, name: str) -> str:
    """The error key of a level's field: ``"2.name"``."""
    return f"{index}.{name}"


def _draft_of(level: SupportLevel) -> LevelDraft:
    return LevelDraft(
        id=level.id,
        name=level.name,
        description=level.description or "",
        tier=Tier(level.tier),
        responsible_role=StaffRole(level.responsible_role),
        parent_meeting_weeks=level.parent_meeting_weeks,
        required_documents=[DocumentKind(k).value for k in (level.required_documents or [])],
        requires_any=bool(level.requires_any),
        color=level.color or DEFAULT_COLOR,
        retired=bool(level.retired),
    )


def school_structure_id(session: Session, school_id: int) -> int:
    """The school's support structure, made (empty) when the school has none yet."""
    school = session.get(School, school_id)
    if school is None:
        raise LookupError(f"Er is geen school met nummer {school_id}.")
    if school.support_structure_id is None:
        structure = SupportStructure(name="Eigen ondersteuningsstructuur")
        session.add(structure)
        session.flush()
        school.support_structure_id = structure.id
        session.flush()
    return school.support_structure_id  # type: ignore[return-value]


def load_structure(session: Session, school_id: int) -> StructureDraft:
    """The school's staircase as a draft to edit."""
    structure = session.get(SupportStructure, school_structure_id(session, school_id))
    assert structure is not None
    return StructureDraft(
        id=structure.id,
        name=structure.name,
        description=structure.description or "",
        levels=[
            _draft_of(lvl) for lvl in sorted(structure.levels, key=lambda lv: (lv.position, lv.id))
        ],
        template_key=structure.template_key,
        version=structure.version,
    )


def _level_text(lvl: LevelDraft) -> str:
    """One level in a sentence, to show it beside the other person's in a conflict."""
    try:
        weeks = parse_weeks(lvl.parent_meeting_weeks)
    except ValidationError:
        weeks = None
    parts = [lvl.name.strip(), str(Tier(lvl.tier)), f"verantwoordelijk: {lvl.responsible_role}"]
    if weeks:
        parts.append(f"oudergesprek elke {weeks} weken")
    if lvl.required_documents:
        parts.append("documenten: " + "/".join(lvl.required_documents))
    parts.append(lvl.color.lower())
    if lvl.retired:
        parts.append("buiten gebruik")
    return "; ".join(parts)


def _conflict_values(draft: StructureDraft) -> dict[str, str]:
    """The staircase as a conflict compares it: name, description and each step in order."""
    values = {"name": draft.name.strip(), "description": draft.description.strip()}
    count = len(draft.levels)
    for i in range(count):
        values[f"niveau {i + 1}"] = _level_text(draft.levels[i])
    return values


def _structure_spec(structure: SupportStructure) -> versioned.Versioned:
    """How a conflict on the staircase is told (the stored side read from ``structure``)."""

    def value_of(row: SupportStructure, name: str) -> str:
        stored = StructureDraft(
            id=row.id, name=row.name, description=row.description or "",
            levels=[_draft_of(lvl) for lvl in sorted(row.levels, key=lambda v: (v.position, v.id))],
        )  # fmt: skip
        theirs = _conflict_values(stored)
        return theirs.get(name, "")

    labels = {"name": "naam", "description": "omschrijving"}
    return versioned.Versioned(
        "de ondersteuningsstructuur",
        labels=labels,
        history=versioned.History("ondersteuningsstructuur", structure.id),
        value_of=value_of,
    )


def level_usage(session: Session, structure_id: int) -> dict[int, LevelUsage]:
    """Per level of the structure: pupils ever on it, and active pupils on it now."""
    ever = dict(
        session.execute(
            sa.select(
                LevelAssignment.level_id, sa.func.count(sa.distinct(LevelAssignment.pupil_id))
            )
            .join(SupportLevel, SupportLevel.id == LevelAssignment.level_id)
            .where(SupportLevel.structure_id == structure_id)
            .group_by(LevelAssignment.level_id)
        ).all()
    )
    now = dict(
        session.execute(
            sa.select(
                LevelAssignment.level_id, sa.func.count(sa.distinct(LevelAssignment.pupil_id))
            )
            .join(SupportLevel, SupportLevel.id == LevelAssignment.level_id)
            .join(Pupil, Pupil.id == LevelAssignment.pupil_id)
            .where(
                SupportLevel.structure_id == structure_id,
                LevelAssignment.end_date.is_(None),
                Pupil.status != PupilStatus.VERTROKKEN,
            )
            .group_by(LevelAssignment.level_id)
        ).all()
    )
    return {lid: LevelUsage(ever=n, now=now.get(lid, 0)) for lid, n in ever.items()}


def usage_of(session: Session, level_id: int) -> LevelUsage:
    """How one level is used (fresh from the database)."""
    structure_id = session.scalar(
        sa.select(SupportLevel.structure_id).where(SupportLevel.id == level_id)
    )
    if structure_id is None:
        return LevelUsage()
    return level_usage(session, structure_id).get(level_id, LevelUsage())


def delete_refusal(name: str, usage: LevelUsage) -> str:
    """Why a level cannot be deleted, in Dutch (empty when it can)."""
    if not usage.in_use:
        return ""
    pupils = "1 leerling" if usage.ever == 1 else f"{usage.ever} leerlingen"
    return (
        f"Niveau '{name}' komt voor in de geschiedenis van {pupils} en kan daarom niet "
        "worden verwijderd. Stel het niveau buiten gebruik: de geschiedenis blijft bewaard, "
        "maar het niveau kan niet meer worden gekozen."
    )


def parse_weeks(value: int | str | None) -> int | None:
    """Read the parent-meeting interval; raises :class:`ValidationError` for bad input."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValidationError(
                "parent_meeting_weeks",
                "Vul een aantal weken in (een heel getal), of laat het veld leeg als er geen "
                "vaste oudergesprekken zijn.",
            )
        value = int(text)
    if value <= 0:
        raise ValidationError(
            "parent_meeting_weeks",
            "Het aantal weken tussen oudergesprekken moet 1 of meer zijn (leeg: geen vast ritme).",
        )
    if value > MAX_WEEKS:
        raise ValidationError(
            "parent_meeting_weeks",
            f"Vul hoogstens {MAX_WEEKS} weken in (eens per jaar); laat het veld anders leeg.",
        )
    return value


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def validate(draft: StructureDraft) -> dict[str, str]:
    """Every problem of the draft, keyed by field (see the module docstring)."""
    errors: dict[str, str] = {}
    if not draft.name.strip():
        errors["name"] = "Geef de ondersteuningsstructuur een naam."
    if not draft.levels:
        errors["levels"] = "Een ondersteuningsstructuur heeft minstens één niveau."
    elif all(lvl.retired for lvl in draft.levels):
        errors["levels"] = (
            "Minstens één niveau moet in gebruik blijven, anders kan geen leerling een niveau "
            "krijgen."
        )
    seen: dict[str, int] = {}
    for i, lvl in enumerate(draft.levels):
        name = _norm(lvl.name)
        if not name:
            errors[field_key(i, "name")] = "Vul de naam van het niveau in."
        elif name in seen:
            errors[field_key(i, "name")] = (
                f"Er is al een niveau met deze naam (niveau {seen[name] + 1}); "
                "kies een andere naam."
            )
        else:
            seen[name] = i
        if len(lvl.name.strip()) > 120:
            errors[field_key(i, "name")] = "De naam is te lang (hoogstens 120 tekens)."
        try:
            parse_weeks(lvl.parent_meeting_weeks)
        except ValidationError as exc:
            errors[field_key(i, "parent_meeting_weeks")] = exc.message
        if not _COLOR.match(lvl.color or ""):
            errors[field_key(i, "color")] = "Kies een kleur (bijvoorbeeld #ff7043)."
        unknown = [k for k in lvl.required_documents if k not in {d.value for d in DocumentKind}]
        if unknown:
            errors[field_key(i, "required_documents")] = "Onbekend document: " + ", ".join(unknown)
    return errors


def first_error_level(errors: dict[str, str]) -> int | None:
    """The index of the first level that has an error (to select it in the editor)."""
    indexes = [int(k.split(".", 1)[0]) for k in errors if k[:1].isdigit()]
    return min(indexes) if indexes else None


def level_errors(errors: dict[str, str], index: int) -> dict[str, str]:
    """The errors of one level, keyed by plain field name."""
    prefix = f"{index}."
    return {k[len(prefix) :]: v for k, v in errors.items() if k.startswith(prefix)}


def new_level(draft: StructureDraft, name: str = "") -> LevelDraft:
    """A sensible new level to append: a free name, the next colour, the top level's tier."""
    taken = {_norm(lvl.name) for lvl in draft.levels}
    base = name or "Nieuw niveau"
    candidate, n = base, 2
    while _norm(candidate) in taken:
        candidate = f"{base} {n}"
        n += 1
    top = draft.levels[-1] if draft.levels else None
    return LevelDraft(
        name=candidate,
        tier=top.tier if top else Tier.BASIS,
        responsible_role=top.responsible_role if top else StaffRole.LEERKRACHT,
        color=NEW_LEVEL_COLORS[len(draft.levels) % len(NEW_LEVEL_COLORS)],
    )


def _summary(lvl: LevelDraft) -> dict[str, Any]:
    return {
        "naam": lvl.name.strip(),
        "omschrijving": lvl.description.strip(),
        "laag": str(lvl.tier),
        "verantwoordelijke": str(lvl.responsible_role),
        "oudergesprek_weken": parse_weeks(lvl.parent_meeting_weeks),
        "documenten": list(lvl.required_documents),
        "een_is_genoeg": bool(lvl.requires_any) and len(lvl.required_documents) > 1,
        "kleur": lvl.color.lower(),
        "buiten_gebruik": lvl.retired,
    }


def save_structure(
    session: Session, school_id: int, draft: StructureDraft, *, actor: str | None = None
) -> StructureDraft:
    """Store the draft (in the caller's transaction) and return it as now saved.

    Raises :class:`ValidationErrors` for bad input, including a deleted level that turns out to
    be in use (someone placed a pupil on it meanwhile); nothing is changed then. The whole
    staircase is checked against ``draft.version``: when someone else saved it after the editor
    loaded it, :class:`~ib_desktop.services.versioned.EditConflict` is raised with both
    versions of the name, description and each level, and nothing is written.
    """
    structure_id = school_structure_id(session, school_id)
    if draft.id != structure_id:
        raise ValidationErrors({"levels": "Deze ondersteuningsstructuur hoort niet bij de school."})
    structure = session.get(SupportStructure, structure_id)
    assert structure is not None
    mine = _conflict_values(draft)
    for i in range(len(draft.levels), len(structure.levels)):
        mine[f"niveau {i + 1}"] = ""  # a level the other person added shows beside nothing
    spec = _structure_spec(structure)
    errors = validate(draft)
    ValidationErrors.collect(errors)
    existing = {lvl.id: lvl for lvl in structure.levels}
    before = {lid: (lvl.position, _summary(_draft_of(lvl))) for lid, lvl in existing.items()}
    kept_ids = {lvl.id for lvl in draft.levels if lvl.id is not None}
    for i, lvl in enumerate(draft.levels):
        if lvl.id is not None and lvl.id not in existing:
            errors[field_key(i, "name")] = (
                f"Niveau '{lvl.name}' is intussen door iemand anders verwijderd; "
                "maak de wijzigingen ongedaan en probeer het opnieuw."
            )
    ValidationErrors.collect(errors)  # a level that is gone cannot be saved over: no choice
    versioned.check_version(session, structure, draft.version, mine, spec)
    removed = [lvl for lid, lvl in existing.items() if lid not in kept_ids]
    usage = level_usage(session, structure_id)
    for gone in removed:
        refusal = delete_refusal(gone.name, usage.get(gone.id, LevelUsage()))
        if refusal:
            errors["levels"] = refusal
    ValidationErrors.collect(errors)

    log: list[tuple[str, str, Any, Any]] = []
    if structure.name != draft.name.strip():
        log.append(("naam gewijzigd", "naam", structure.name, draft.name.strip()))
        structure.name = draft.name.strip()
    if (structure.description or "") != draft.description.strip():
        log.append(("omschrijving gewijzigd", "omschrijving", "", ""))
        structure.description = draft.description.strip()
    for gone in removed:
        log.append(("niveau verwijderd", "niveau", gone.name, ""))
        structure.levels.remove(gone)
        session.delete(gone)
    versioned.flush(session, structure, mine, spec)
    # Renames can swap two names; park every changed name first so the unique name per
    # staircase holds at each flush.
    for lvl in draft.levels:
        if lvl.id is not None and existing[lvl.id].name != lvl.name.strip():
            existing[lvl.id].name = f"{PARKED}{lvl.id}"
    versioned.flush(session, structure, mine, spec)
    for position, lvl in enumerate(draft.levels, start=1):
        values = _summary(lvl)
        if lvl.id is None:
            level = SupportLevel(position=position, name=values["naam"])
            structure.levels.append(level)
            log.append(("niveau toegevoegd", "niveau", "", values["naam"]))
        else:
            level = existing[lvl.id]
            old_position, old_values = before[lvl.id]
            if old_values["naam"] != values["naam"]:
                log.append(("niveau hernoemd", "niveau", old_values["naam"], values["naam"]))
            for key, value in values.items():
                if key != "naam" and old_values[key] != value:
                    log.append(
                        ("niveau gewijzigd", f"{values['naam']}: {key}", old_values[key], value)
                    )
            if old_position != position:
                log.append(("volgorde gewijzigd", values["naam"], old_position, position))
        level.position = position
        level.name = values["naam"]
        level.description = values["omschrijving"]
        level.tier = Tier(lvl.tier)
        level.responsible_role = StaffRole(lvl.responsible_role)
        level.parent_meeting_weeks = values["oudergesprek_weken"]
        level.required_documents = values["documenten"]
        level.requires_any = values["een_is_genoeg"]
        level.color = values["kleur"]
        level.retired = lvl.retired
    if log:
        # The levels are rows of their own: make the staircase's row UPDATE too, so its
        # version moves with every change and a stale editor elsewhere is refused.
        flag_modified(structure, "name")
    versioned.flush(session, structure, mine, spec)
    for action, field_name, old, new in log:
        audit.record(
            session, "ondersteuningsstructuur", structure.id, action,
            field=field_name, old=old, new=new, actor=actor,
        )  # fmt: skip
    session.flush()
    return load_structure(session, school_id)


def ensure_first_level(session: Session, school_id: int) -> StructureDraft:
    """A structure built from scratch starts with one level the school renames and extends."""
    draft = load_structure(session, school_id)
    if draft.levels:
        return draft
    draft.levels.append(
        LevelDraft(
            name="Basisondersteuning in de groep",
            description="Goed onderwijs voor alle leerlingen in de eigen groep.",
            color=NEW_LEVEL_COLORS[0],
        )
    )
    return save_structure(session, school_id, draft)
