"""The OPP as plain data: what the editor loads and saves, and what the services hand out.

Nothing here touches a session: these are the detached values a screen works on, the lines of
the version history and the dashboard, and the round trip of a draft through the recovery
store (:func:`data_to_dict`, :func:`data_from_dict`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from ib_desktop.models import OppForm, OppStatus, Outcome, OutflowPerspective, SignatureRole
from ib_desktop.validation import ValidationErrors

ENTITY = "opp_version"
# The OPP as a whole (its start and end, which go to the national registry) is logged apart
# from its versions, the way the pupil file logs the end of an OPP when a pupil leaves.
OPP_ENTITY = "opp"
ENDED_ACTION = "beëindigd"
REOPENED_ACTION = "weer lopend"

# Content columns of OppVersion that a new version copies and the comparison looks at.
TEXT_FIELDS: tuple[str, ...] = (
    "general_notes",
    "school_career_notes",
    "assessment_notes",
    "arrangement_kind",
    "funding_category",
    "funder",
    "arrangement_notes",
    "promoting_factors",
    "hindering_factors",
    "need_attention",
    "need_materials",
    "need_space",
    "need_expertise",
    "need_cooperation",
    "youth_act",
    "long_term_care_act",
    "health_insurance",
    "coordination",
    "lead_by",
    "outflow_rationale",
    "adjustments",
    "parents_view",
    "pupil_view",
    "evaluation",
)
DATE_FIELDS: tuple[str, ...] = ("arrangement_granted_on", "arrangement_start", "arrangement_end")
SCHOOL_SIGNERS: tuple[SignatureRole, ...] = (SignatureRole.IB, SignatureRole.DIRECTIE)


@dataclass
class GoalData:
    """A goal of part 9 as the editor holds it."""

    area: str
    goal: str = ""
    intermediate_goals: str = ""
    evaluation_date: date | None = None
    result: str = ""
    outcome: Outcome | None = None
    id: int | None = None


@dataclass
class ConversationData:
    """A conversation of part 11."""

    date: date
    participants: str = ""
    summary: str = ""
    id: int | None = None


@dataclass
class ConsentData:
    """A guardian's answer to the handelingsdeel: consent or not, when, and their view."""

    guardian_id: int | None
    guardian_name: str
    consent: bool
    date: date
    view: str = ""
    id: int | None = None


@dataclass
class SignatureData:
    """A signature of part 13; ``image_png`` holds a signature drawn on screen."""

    role: SignatureRole
    name: str
    signed_on: date
    guardian_id: int | None = None
    staff_id: int | None = None
    image_png: bytes | None = None
    captured_at: datetime | None = None
    id: int | None = None


@dataclass
class OppVersionData:
    """One OPP version as plain data, detached from any session (what the editor works on)."""

    id: int
    opp_id: int
    pupil_id: int
    pupil_name: str
    number: int
    status: OppStatus
    form: OppForm
    lock_version: int
    previous_version_id: int | None = None
    discussed_on: date | None = None
    fixed_on: date | None = None
    evaluated_on: date | None = None
    next_evaluation_on: date | None = None
    frozen_pupil: dict[str, Any] | None = None
    general_notes: str = ""
    school_career_notes: str = ""
    assessment_notes: str = ""
    arrangement_kind: str = ""
    arrangement_granted_on: date | None = None
    arrangement_start: date | None = None
    arrangement_end: date | None = None
    funding_category: str = ""
    funder: str = ""
    arrangement_notes: str = ""
    promoting_factors: str = ""
    hindering_factors: str = ""
    need_attention: str = ""
    need_materials: str = ""
    need_space: str = ""
    need_expertise: str = ""
    need_cooperation: str = ""
    youth_act: str = ""
    long_term_care_act: str = ""
    health_insurance: str = ""
    coordination: str = ""
    lead_by: str = ""
    outflow: OutflowPerspective | None = None
    outflow_rationale: str = ""
    subject_levels: dict[str, str] = field(default_factory=dict)
    adjustments: str = ""
    parents_view: str = ""
    pupil_view: str = ""
    evaluation: str = ""
    goals: list[GoalData] = field(default_factory=list)
    conversations: list[ConversationData] = field(default_factory=list)
    consents: list[ConsentData] = field(default_factory=list)
    signatures: list[SignatureData] = field(default_factory=list)
    # Part 12 shows the previous version's goals with their results beside the evaluation.
    previous_goals: list[GoalData] = field(default_factory=list)
    # The OPP as a whole: when it started and, once ended, when and why (from the change log).
    opp_start_date: date | None = None
    opp_end_date: date | None = None
    opp_end_reason: str = ""

    @property
    def is_frozen(self) -> bool:
        """A fixed or evaluated version is never edited again."""
        return self.status in (OppStatus.VASTGESTELD, OppStatus.GEEVALUEERD)

    @property
    def is_ended(self) -> bool:
        """The OPP has an end date: none of its versions is edited until the end is undone."""
        return self.opp_end_date is not None


@dataclass(frozen=True, slots=True)
class PartStatus:
    """Whether one part is complete, and what is missing (Dutch, fit to show to the user)."""

    number: int
    key: str
    title: str
    complete: bool
    missing: list[str]
    required: bool = True
    not_applicable: str = ""


@dataclass(frozen=True, slots=True)
class VersionSummary:
    """A line of the version history."""

    id: int
    number: int
    status: OppStatus
    created_at: datetime
    discussed_on: date | None
    fixed_on: date | None
    evaluated_on: date | None
    next_evaluation_on: date | None
    previous_version_id: int | None


@dataclass(frozen=True, slots=True)
class ConsentIssue:
    """An OPP whose current version has a guardian who did not consent (for the dashboard)."""

    opp_id: int
    version_id: int
    version_number: int
    pupil_id: int
    pupil_name: str
    guardian_id: int | None
    guardian_name: str
    date: date
    view: str


@dataclass(frozen=True, slots=True)
class OppPeriod:
    """An OPP's start and end as the national registry gets them, and why it ended."""

    opp_id: int
    pupil_id: int
    pupil_name: str
    start_date: date
    end_date: date | None
    end_reason: str = ""

    @property
    def is_ended(self) -> bool:
        """Ended OPPs are read-only; the schedule stops planning them after the end date."""
        return self.end_date is not None


@dataclass(frozen=True, slots=True)
class SignerChoice:
    """Someone who can sign part 13: a guardian with gezag or a member of staff."""

    role: SignatureRole
    name: str
    guardian_id: int | None = None
    staff_id: int | None = None


class OppNotReady(ValidationErrors):
    """Fixing was refused; ``errors`` says what is missing, ``parts`` which parts to complete."""

    def __init__(self, errors: dict[str, str], parts: list[int]) -> None:
        super().__init__(errors)
        self.parts = parts


# ------------------------------------------------------------------------------- recovery


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        return {"__dt__": value.isoformat()}
    if isinstance(value, date):
        return {"__d__": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, OppStatus | OppForm | Outcome | OutflowPerspective | SignatureRole):
        return value.value
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "__b64__" in value:
            return base64.b64decode(value["__b64__"])
        if "__dt__" in value:
            return datetime.fromisoformat(value["__dt__"])
        if "__d__" in value:
            return date.fromisoformat(value["__d__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def data_to_dict(data: OppVersionData) -> dict[str, Any]:
    """The editor's content as JSON-friendly data (for the recovery store)."""
    return _encode(data)


def _goals_from(raw: list[dict[str, Any]]) -> list[GoalData]:
    return [
        GoalData(**{**g, "outcome": Outcome(g["outcome"]) if g.get("outcome") else None})
        for g in raw
    ]


def data_from_dict(payload: dict[str, Any]) -> OppVersionData:
    """The inverse of :func:`data_to_dict`."""
    raw = {k: _decode(v) for k, v in payload.items()}
    raw["status"] = OppStatus(raw["status"])
    raw["form"] = OppForm(raw["form"])
    raw["outflow"] = OutflowPerspective(raw["outflow"]) if raw.get("outflow") else None
    raw["goals"] = _goals_from(raw.get("goals", []))
    raw["previous_goals"] = _goals_from(raw.get("previous_goals", []))
    raw["conversations"] = [ConversationData(**c) for c in raw.get("conversations", [])]
    raw["consents"] = [ConsentData(**c) for c in raw.get("consents", [])]
    raw["signatures"] = [
        SignatureData(**{**s, "role": SignatureRole(s["role"])}) for s in raw.get("signatures", [])
    ]
    known = {f.name for f in fields(OppVersionData)}
    return OppVersionData(**{k: v for k, v in raw.items() if k in known})
