"""The Dutch labels the printed documents use; they live in :mod:`ib_desktop.services.labels`.

Kept so ``from . import labels`` in the reports reads as before; add new labels there.
"""

from __future__ import annotations

from ib_desktop.services.labels import (
    CARE_SCOPE,
    DOCUMENT_STATUS,
    HISTORY_KIND,
    MOMENT_KIND,
    OPP_STATUS,
    OUTCOME,
    SIGNATURE_ROLE,
    label,
)

__all__ = [
    "CARE_SCOPE",
    "DOCUMENT_STATUS",
    "HISTORY_KIND",
    "MOMENT_KIND",
    "OPP_STATUS",
    "OUTCOME",
    "SIGNATURE_ROLE",
    "label",
]
