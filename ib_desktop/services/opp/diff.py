"""Comparing two OPP versions part by part, with a word diff per changed field.

Every part is turned into (label, text) pairs (:func:`part_texts`); two versions differ in a
part where a label's text differs. Parts 1-3 compare the pupil file as each version shows it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import OutflowPerspective
from ib_desktop.services.labels import (
    OUTCOME_LABELS,
    OUTFLOW_LABELS,
    SIGNATURE_ROLE_LABELS,
    care_scope_phrase,
)
from ib_desktop.services.opp.data import OppVersionData
from ib_desktop.services.opp.parts import PARTS, OppPart
from ib_desktop.services.opp.store import load_version, pupil_part_data

Texts = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a word diff: "equal", "insert" (only in the new text) or "delete"."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """One changed field of a part with both texts and the word diff between them."""

    label: str
    old: str
    new: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class PartDiff:
    """One part of the OPP and the fields that changed in it (empty when unchanged)."""

    number: int
    key: str
    title: str
    changes: tuple[FieldDiff, ...]

    @property
    def changed(self) -> bool:
        """Whether anything in this part differs between the two versions."""
        return bool(self.changes)


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The difference of two texts word by word (difflib), as equal/insert/delete pieces."""
    a = _TOKENS.findall(old or "")
    b = _TOKENS.findall(new or "")
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(s for s in segments if s.text)


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, OutflowPerspective):
        return OUTFLOW_LABELS.get(value.value, value.value)
    return str(value).strip()


def _iso(value: str | None) -> str:
    return short_date(date.fromisoformat(value)) if value else ""


def first_goal_line(text: str) -> str:
    """The first line of a goal, without a bullet."""
    stripped = (text or "").strip()
    return stripped.splitlines()[0].lstrip("-*• ").strip() if stripped else ""


# ------------------------------------------------------------------------------- per part


def _general_texts(pupil: dict[str, Any]) -> Texts:
    p = pupil.get("pupil", {})
    guardians = "\n".join(
        f"{g['name']} ({g.get('relation', '')}), gezag: {'ja' if g.get('has_custody') else 'nee'}"
        + (f", {g['phone']}" if g.get("phone") else "")
        for g in pupil.get("guardians", [])
    )
    care = "\n".join(
        f"{c.get('organisation', '')} ({c.get('kind', '')}, {care_scope_phrase(c.get('scope'))})"
        + (f", {c['contact_name']}" if c.get("contact_name") else "")
        for c in pupil.get("care_providers", [])
    )
    return [
        (
            "Leerling",
            f"{p.get('full_name', '')}, geboren {_iso(p.get('birth_date'))}, "
            f"groep {p.get('group', '')}",
        ),
        ("Ouders/verzorgers", guardians),
        ("Gezinssamenstelling", p.get("family_composition", "") or ""),
        ("Hulpverlening", care),
    ]


def _school_career_texts(pupil: dict[str, Any]) -> Texts:
    history = "\n".join(
        f"{h.get('institution', '')} ({h.get('kind', '')}): "
        f"{_iso(h.get('start_date'))} - {_iso(h.get('end_date'))}"
        for h in pupil.get("school_history", [])
    )
    return [
        ("Eerste schooldag", _iso(pupil.get("pupil", {}).get("first_school_day"))),
        ("Scholen en voorschoolse periode", history),
    ]


def _assessment_texts(pupil: dict[str, Any]) -> Texts:
    assessments = "\n".join(
        f"{_iso(a.get('date'))} {a.get('kind', '')} door {a.get('performed_by', '')}: "
        f"{a.get('conclusion', '')}"
        for a in pupil.get("assessments", [])
    )
    return [("Onderzoeken", assessments)]


def _goal_texts(data: OppVersionData) -> Texts:
    texts: Texts = []
    counters: dict[str, int] = {}
    for g in data.goals:
        counters[g.area] = counters.get(g.area, 0) + 1
        body = g.goal.strip()
        if g.intermediate_goals.strip():
            body += "\nTussendoelen: " + g.intermediate_goals.strip()
        if g.evaluation_date:
            body += "\nEvaluatiedatum: " + short_date(g.evaluation_date)
        texts.append((f"{g.area}, doel {counters[g.area]}", body))
    return texts


def _previous_results(data: OppVersionData) -> tuple[str, str]:
    # The results of the previous version's goals belong to part 12 (the evaluation), where the
    # new version shows them; in part 9 they would only look like deleted text.
    return (
        "Resultaten van de vorige versie",
        "\n".join(
            f"{g.area}: {first_goal_line(g.goal)} – "
            + (OUTCOME_LABELS[g.outcome.value] if g.outcome else "niet geëvalueerd")
            + (f" ({g.result})" if g.result else "")
            for g in data.previous_goals
        ),
    )


def _conversations(data: OppVersionData) -> tuple[str, str]:
    return (
        "Gesprekken",
        "\n".join(
            f"{short_date(c.date)} ({c.participants}): {c.summary}" for c in data.conversations
        ),
    )


def _signature_texts(data: OppVersionData) -> Texts:
    return [
        (
            "Toestemming handelingsdeel",
            "\n".join(
                f"{c.guardian_name}: {'ja' if c.consent else 'nee'} ({short_date(c.date)})"
                + (f", zienswijze: {c.view}" if c.view else "")
                for c in data.consents
            ),
        ),
        (
            "Handtekeningen",
            "\n".join(
                f"{SIGNATURE_ROLE_LABELS[s.role.value]}: {s.name} ({short_date(s.signed_on)})"
                for s in data.signatures
            ),
        ),
    ]


def part_texts(data: OppVersionData, pupil: dict[str, Any]) -> dict[str, Texts]:
    """Every part as (label, text) pairs: what the comparison of two versions looks at."""
    texts: dict[str, Texts] = {
        OppPart.ALGEMEEN.key: _general_texts(pupil),
        OppPart.SCHOOLLOOPBAAN.key: _school_career_texts(pupil),
        OppPart.ONDERZOEK.key: _assessment_texts(pupil),
    }
    for part in PARTS:
        texts.setdefault(part.key, [])
        texts[part.key].extend((label, _fmt(getattr(data, name))) for name, label in part.fields)
    texts[OppPart.UITSTROOM.key].append(
        ("Verwacht niveau per vak", "\n".join(f"{k}: {v}" for k, v in data.subject_levels.items()))
    )
    texts[OppPart.HANDELINGSDEEL.key] += _goal_texts(data)
    texts[OppPart.EVALUATIE.key].append(_previous_results(data))
    texts[OppPart.ZIENSWIJZE.key].append(_conversations(data))
    texts[OppPart.HANDTEKENINGEN.key] = _signature_texts(data)
    return texts


def diff_data(
    old: OppVersionData, new: OppVersionData, old_pupil: dict[str, Any], new_pupil: dict[str, Any]
) -> list[PartDiff]:
    """Per part the fields that differ between two versions (all 13 parts, in order)."""
    old_texts = part_texts(old, old_pupil)
    new_texts = part_texts(new, new_pupil)
    result = []
    for part in PARTS:
        before = dict(old_texts[part.key])
        after = dict(new_texts[part.key])
        labels = list(before) + [label for label in after if label not in before]
        changes = []
        for label in labels:
            a, b = before.get(label, ""), after.get(label, "")
            if a.strip() != b.strip():
                changes.append(FieldDiff(label=label, old=a, new=b, segments=word_diff(a, b)))
        result.append(PartDiff(part.number, part.key, part.title, tuple(changes)))
    return result


def diff_versions(session: Session, old_id: int, new_id: int) -> list[PartDiff]:
    """Compare two stored versions per part (parts 1-3 as each version shows them)."""
    old = load_version(session, old_id)
    new = load_version(session, new_id)
    return diff_data(old, new, pupil_part_data(session, old), pupil_part_data(session, new))
