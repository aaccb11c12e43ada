"""Saving the editor's draft of a concept version, through the one versioned-save helper.

The draft is the content of the parts (texts, dates, the outflow and levels, the goals and the
conversations); consents and signatures are not part of it (see :mod:`.consent`). A save that
meets a newer stored version is refused with both values per field (an ``EditConflict``),
labelled with the part's own field names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.models import OppConversation, OppGoal, OppVersion
from ib_desktop.services import audit, versioned
from ib_desktop.services.opp.data import (
    DATE_FIELDS,
    ENTITY,
    TEXT_FIELDS,
    GoalData,
    OppVersionData,
)
from ib_desktop.services.opp.parts import PART_FIELDS, PARTS, OppPart
from ib_desktop.services.opp.store import check_editable, load_row, load_version, touch
from ib_desktop.validation import ValidationErrors

#: Each editable field of a version with the Dutch name the editor gives it.
CONFLICT_LABELS: dict[str, str] = {
    name: label for fields_ in PART_FIELDS.values() for name, label in fields_
}
CONFLICT_LABELS["goals"] = "Doelen (deel 9)"


def _validate(data: OppVersionData) -> None:
    errors: dict[str, str] = {}
    if (
        data.arrangement_start
        and data.arrangement_end
        and data.arrangement_end < data.arrangement_start
    ):
        errors["arrangement_end"] = "De looptijd eindigt vóór de begindatum."
    ValidationErrors.collect(errors)


def _goals_text(goals: Iterable[Any]) -> str:
    """The goals of part 9 in one line each, to show beside the other person's."""
    lines = []
    for g in goals:
        text = " ".join((g.goal or "").split())
        lines.append(f"{g.area}: {text}" if text else str(g.area))
    return "\n".join(lines)


def _conflict_values(data: OppVersionData) -> dict[str, Any]:
    """What the editor wanted, field by field, as a conflict compares it."""
    values: dict[str, Any] = {name: getattr(data, name) or "" for name in TEXT_FIELDS}
    values.update({name: getattr(data, name) for name in DATE_FIELDS})
    values["outflow"] = data.outflow
    values["goals"] = _goals_text(data.goals)
    return values


def _opp_spec(version_id: int) -> versioned.Versioned:
    """How a conflict on an OPP version is told: per part's field, its Dutch name."""

    def value_of(row: OppVersion, name: str) -> Any:
        if name == "goals":
            return _goals_text(row.goals)
        value = getattr(row, name)
        return "" if value is None and name in TEXT_FIELDS else value

    return versioned.Versioned(
        "deze OPP-versie",
        labels=CONFLICT_LABELS,
        history=versioned.History(ENTITY, version_id),
        value_of=value_of,
    )


def _part_changed(row: OppVersion, data: OppVersionData, part: OppPart) -> bool:
    names = [n for n, _l in part.fields if n != "outflow"]
    if any((getattr(row, n) or "") != (getattr(data, n) or "") for n in names):
        return True
    return part is OppPart.UITSTROOM and (
        row.outflow != data.outflow or (row.subject_levels or {}) != data.subject_levels
    )


def _changed_parts(row: OppVersion, data: OppVersionData) -> list[int]:
    return [part.number for part in PARTS if _part_changed(row, data, part)]


def _sync_goals(row: OppVersion, goals: list[GoalData]) -> None:
    existing = {g.id: g for g in row.goals}
    keep: list[OppGoal] = []
    for position, g in enumerate(goals):
        target = existing.get(g.id) if g.id is not None else None
        if target is None:
            target = OppGoal(area=g.area)
        target.area = g.area.strip()
        target.position = position
        target.goal = g.goal or ""
        target.intermediate_goals = g.intermediate_goals or ""
        target.evaluation_date = g.evaluation_date
        target.result = g.result or ""
        target.outcome = g.outcome
        keep.append(target)
    row.goals[:] = keep


def _sync_children(
    rows: list[Any], items: Iterable[Any], cls: type, names: tuple[str, ...]
) -> None:
    existing = {r.id: r for r in rows}
    keep = []
    for item in items:
        target = existing.get(item.id) if item.id is not None else None
        if target is None:
            target = cls(**{n: getattr(item, n) for n in names})
        else:
            for n in names:
                setattr(target, n, getattr(item, n))
        keep.append(target)
    rows[:] = keep


def _apply_draft(row: OppVersion, data: OppVersionData) -> None:
    """Write the draft's content onto the stored version (not its consents and signatures)."""
    for name in TEXT_FIELDS:
        setattr(row, name, getattr(data, name) or "")
    for name in DATE_FIELDS:
        setattr(row, name, getattr(data, name))
    row.outflow = data.outflow
    row.subject_levels = {k.strip(): v.strip() for k, v in data.subject_levels.items() if k.strip()}
    _sync_goals(row, data.goals)
    _sync_children(
        row.conversations,
        data.conversations,
        OppConversation,
        ("date", "participants", "summary"),
    )
    # Consents and signatures are not part of the draft: each is stored the moment it is
    # given (record_consent, add_signature), so a stale editor can never drop one.
    touch(row)


def save_version(
    session: Session, data: OppVersionData, *, actor: str | None = None
) -> OppVersionData:
    """Store the editor's content of a concept version (not its consents and signatures).

    Raises ReadOnlyError for a fixed version, :class:`~ib_desktop.services.versioned.EditConflict`
    when someone else saved the version after ``data`` was loaded (nothing is overwritten; saving
    again with its ``current_version`` as ``lock_version`` overwrites on purpose),
    ValidationErrors for bad input.
    """
    row = load_row(session, data.id)
    check_editable(row)
    changed: list[int] = []

    def apply(row: OppVersion) -> None:
        _validate(data)
        changed.extend(_changed_parts(row, data))
        _apply_draft(row, data)

    # Someone else saved after the editor loaded: both versions per field, nothing written.
    versioned.save_versioned(
        session,
        row,
        data.lock_version,
        {},
        _opp_spec(row.id),
        mine=_conflict_values(data),
        apply=lambda: apply(row),
    )
    summary = "Gewijzigd: " + ", ".join(f"deel {n}" for n in changed) if changed else "Opgeslagen"
    audit.record(session, ENTITY, row.id, "gewijzigd", summary=summary, actor=actor)
    return load_version(session, row.id)
