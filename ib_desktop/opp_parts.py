"""The OPP's parts and words under the names the screens have always imported them by.

The parts live in :mod:`ib_desktop.services.opp.parts` (one enum, :class:`OppPart`, with one
rule record per part); the Dutch labels in :mod:`ib_desktop.services.labels`. New code imports
from there; this module only re-exports them.
"""

from __future__ import annotations

from ib_desktop.services.labels import (
    CARE_SCOPE_PHRASES,
    OUTCOME_LABELS,
    OUTFLOW_LABELS,
    SIGNATURE_ROLE_LABELS,
    STATUS_LABELS,
    care_scope_phrase,
)
from ib_desktop.services.opp.parts import (
    ARRANGEMENT_KINDS,
    DEFAULT_SUBJECTS,
    FUNDING_CATEGORIES,
    LEGAL_MINIMUM,
    NEED_ASPECTS,
    NOT_APPLICABLE_FIELDS,
    NOT_APPLICABLE_PREFIX,
    PART_FIELDS,
    PART_TITLES,
    PARTS,
    REQUIRED_GOAL_AREAS,
    SUBJECT_LEVEL_SUGGESTIONS,
    OppPart,
)

__all__ = [
    "ARRANGEMENT_KINDS",
    "CARE_SCOPE_PHRASES",
    "DEFAULT_SUBJECTS",
    "FUNDING_CATEGORIES",
    "LEGAL_MINIMUM",
    "NEED_ASPECTS",
    "NOT_APPLICABLE_FIELDS",
    "NOT_APPLICABLE_PREFIX",
    "OUTCOME_LABELS",
    "OUTFLOW_LABELS",
    "PARTS",
    "PART_FIELDS",
    "PART_TITLES",
    "REQUIRED_GOAL_AREAS",
    "SIGNATURE_ROLE_LABELS",
    "STATUS_LABELS",
    "SUBJECT_LEVEL_SUGGESTIONS",
    "OppPart",
    "care_scope_phrase",
]
