"""Vergaderingen: the school's meetings, planned from its rhythm, with agenda and minutes."""

from __future__ import annotations

from ib_desktop.ui.meetings.page import MeetingsPage

__all__ = ["MeetingsPage"]
