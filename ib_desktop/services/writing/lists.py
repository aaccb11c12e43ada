"""The school's goal bank and text blocks: seeded once, then the school's to edit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ib_desktop.models import GoalBankEntry, Setting, TextBlock
from ib_desktop.pupil_rows import fold
from ib_desktop.resources import load_json
from ib_desktop.services import audit
from ib_desktop.validation import ConcurrentEditError, ValidationErrors

#: Setting keys that say a school got its starter set (so emptying the list is not undone).
SEEDED_GOALS = "goal_bank_seeded:{school_id}"
SEEDED_BLOCKS = "text_blocks_seeded:{school_id}"


@dataclass
class BankGoal:
    """A goal of the bank as a screen holds it; ``id`` None for a new one."""

    area: str
    text: str
    grade_low: int = 1
    grade_high: int = 8
    id: int | None = None
    version: int | None = None

    def fits(self, low: int | None, high: int | None) -> bool:
        """For a pupil in year groups ``low``..``high`` (None: any)."""
        if low is None or high is None:
            return True
        return self.grade_low <= high and low <= self.grade_high


@dataclass
class TextBlockData:
    """A text block as a screen holds it; ``id`` None for a new one."""

    title: str
    body: str = ""
    used_for: str = ""
    id: int | None = None
    version: int | None = None


# ---------------------------------------------------------------------------- seeding


def _flag(session: Session, key: str) -> bool:
    if session.get(Setting, key) is not None:
        return True
    session.add(Setting(key=key, value=True))
    return False


def ensure_seeded(session: Session, school_id: int) -> None:
    """Copy the shipped starter sets into the school's lists, once per school."""
    if not _flag(session, SEEDED_GOALS.format(school_id=school_id)):
        for position, g in enumerate(load_json("goal_bank.json")["goals"]):
            low, high = g["groups"]
            session.add(
                GoalBankEntry(
                    school_id=school_id, area=g["area"], grade_low=low, grade_high=high,
                    text=g["goal"], position=position,
                )
            )  # fmt: skip
    if not _flag(session, SEEDED_BLOCKS.format(school_id=school_id)):
        for position, b in enumerate(load_json("text_blocks.json")["blocks"]):
            session.add(
                TextBlock(
                    school_id=school_id, title=b["title"], used_for=b["used_for"],
                    body=b["body"], position=position,
                )
            )  # fmt: skip
    session.flush()


# ---------------------------------------------------------------------------- loading


def load_goal_bank(session: Session, school_id: int) -> list[BankGoal]:
    """The school's goals in their order (seeding the starter set the first time)."""
    ensure_seeded(session, school_id)
    rows = session.scalars(
        sa.select(GoalBankEntry)
        .where(GoalBankEntry.school_id == school_id)
        .order_by(GoalBankEntry.position, GoalBankEntry.id)
    )
    return [
        BankGoal(r.area, r.text, r.grade_low, r.grade_high, id=r.id, version=r.version)
        for r in rows
    ]


def load_text_blocks(session: Session, school_id: int) -> list[TextBlockData]:
    """The school's text blocks in their order (seeding the starter set the first time)."""
    ensure_seeded(session, school_id)
    rows = session.scalars(
        sa.select(TextBlock)
        .where(TextBlock.school_id == school_id)
        .order_by(TextBlock.position, TextBlock.id)
    )
    return [TextBlockData(r.title, r.body, r.used_for, id=r.id, version=r.version) for r in rows]


def search_goals(
    goals: Sequence[BankGoal],
    query: str = "",
    *,
    area: str | None = None,
    grades: tuple[int, int] | None = None,
) -> list[BankGoal]:
    """The goals with every word of ``query`` in them (accents and case ignored).

    "vloeiend" finds "vloeiënd", "cafe" finds "café"; ``area`` and the pupil's year groups
    narrow the list further.
    """
    words = fold(query).split()
    low, high = grades if grades else (None, None)
    found = []
    for g in goals:
        if area and fold(g.area) != fold(area):
            continue
        if not g.fits(low, high):
            continue
        haystack = fold(f"{g.area} {g.text}")
        if all(w in haystack for w in words):
            found.append(g)
    return found


# ---------------------------------------------------------------------------- saving


def _check_goals(goals: Sequence[BankGoal]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for i, g in enumerate(goals):
        if not g.text.strip():
            errors[f"{i}.text"] = "Vul de tekst van het doel in."
        if not g.area.strip():
            errors[f"{i}.area"] = "Kies het ontwikkelingsgebied van het doel."
        elif len(g.area.strip()) > 80:
            errors[f"{i}.area"] = "De naam van het gebied is te lang (hoogstens 80 tekens)."
        if not (1 <= g.grade_low <= g.grade_high <= 8):
            errors[f"{i}.groups"] = "Kies de groepen 1 tot en met 8, van laag naar hoog."
    return errors


def _check_blocks(blocks: Sequence[TextBlockData]) -> dict[str, str]:
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for i, b in enumerate(blocks):
        title = " ".join(b.title.split())
        if not title:
            errors[f"{i}.title"] = "Geef het tekstblok een naam."
        elif len(title) > 120:
            errors[f"{i}.title"] = "De naam is te lang (hoogstens 120 tekens)."
        elif fold(title) in seen:
            errors[f"{i}.title"] = "Er is al een tekstblok met deze naam."
        seen.add(fold(title))
        if len(b.used_for.strip()) > 80:
            errors[f"{i}.used_for"] = "Hoogstens 80 tekens."
    return errors


def _save_list(
    session: Session,
    model: Any,
    school_id: int,
    drafts: Sequence[Any],
    values: Any,
    loaded_ids: Collection[int] | None,
    what: str,
    actor: str | None,
) -> None:
    """Write a list the screen edited as a whole: changed rows, new rows, removed rows.

    A row someone else changed since it was loaded refuses the whole save; a row someone else
    added meanwhile (not in ``loaded_ids``) is kept.
    """
    existing = {
        r.id: r for r in session.scalars(sa.select(model).where(model.school_id == school_id))
    }
    for d in drafts:
        if d.id is not None and d.id not in existing:
            raise ConcurrentEditError(what)
        if d.id is not None and d.version is not None and existing[d.id].version != d.version:
            raise ConcurrentEditError(what)
    kept = {d.id for d in drafts if d.id is not None}
    removed = [r for rid, r in existing.items() if rid not in kept and (
        loaded_ids is None or rid in loaded_ids)]  # fmt: skip
    for r in removed:
        session.delete(r)
    session.flush()  # a new row may take a removed row's title
    changed = 0
    for position, d in enumerate(drafts):
        new_values = {**values(d), "position": position}
        if d.id is None:
            session.add(model(school_id=school_id, **new_values))
            changed += 1
            continue
        row = existing[d.id]
        for name, value in new_values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed += name != "position"
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise ConcurrentEditError(what) from exc
    if changed or removed:
        audit.record(
            session, model.__tablename__, school_id, "gewijzigd",
            summary=f"{changed} gewijzigd of toegevoegd, {len(removed)} verwijderd", actor=actor,
        )  # fmt: skip


def save_goal_bank(
    session: Session,
    school_id: int,
    goals: Sequence[BankGoal],
    *,
    loaded_ids: Collection[int] | None = None,
    actor: str | None = None,
) -> list[BankGoal]:
    """Store the bank as the settings tab shows it; returns it as stored."""
    ValidationErrors.collect(_check_goals(goals))
    _save_list(
        session, GoalBankEntry, school_id, goals,
        lambda g: {
            "area": " ".join(g.area.split()), "text": g.text.strip(),
            "grade_low": g.grade_low, "grade_high": g.grade_high,
        },
        loaded_ids, "de doelenbank", actor,
    )  # fmt: skip
    return load_goal_bank(session, school_id)


def save_text_blocks(
    session: Session,
    school_id: int,
    blocks: Sequence[TextBlockData],
    *,
    loaded_ids: Collection[int] | None = None,
    actor: str | None = None,
) -> list[TextBlockData]:
    """Store the text blocks as the settings tab shows them; returns them as stored."""
    ValidationErrors.collect(_check_blocks(blocks))
    _save_list(
        session, TextBlock, school_id, blocks,
        lambda b: {
            "title": " ".join(b.title.split()), "body": b.body.strip(),
            "used_for": b.used_for.strip(),
        },
        loaded_ids, "de tekstblokken", actor,
    )  # fmt: skip
    return load_text_blocks(session, school_id)
