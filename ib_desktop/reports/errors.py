"""The reports' own error, kept apart so that importing it does not load reportlab."""

from __future__ import annotations


class ReportNotFoundError(LookupError):
    """The record to print does not exist; ``str()`` is a Dutch sentence for the user."""


class BuildCancelled(Exception):
    """The user stopped a long report (the progress callback said no); nothing was made."""
