"""The agenda: what is overdue, what is due this week, and what comes in the weeks after.

- ``table``: the table model of moments and the proxy of one section with its filters;
- ``export_dialog``: the choices of a calendar export (.ics);
- ``page``: the page itself, with its actions (open, evaluate, mark held, print, export).
"""

from __future__ import annotations

from ib_desktop.ui.agenda.export_dialog import IcsExportDialog
from ib_desktop.ui.agenda.page import AgendaPage, moment_summary
from ib_desktop.ui.agenda.table import (
    DONE_COLOR,
    OVERDUE_COLOR,
    SECTIONS,
    AgendaModel,
    AgendaProxy,
)

__all__ = [
    "DONE_COLOR",
    "OVERDUE_COLOR",
    "SECTIONS",
    "AgendaModel",
    "AgendaPage",
    "AgendaProxy",
    "IcsExportDialog",
    "moment_summary",
]
