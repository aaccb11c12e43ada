"""The "Afdrukken" menu: evaluation schedule, all OPPs of a group, the group overview.

Each action asks what to print in a small dialog, builds the PDF with a progress dialog that can
be cancelled (page by page for a schedule, pupil by pupil for a group's OPPs), and shows it in
the preview, from where it is printed or saved. Nothing is written to disk unless the user asks
for a folder of files, and then only after every file was made.

- ``common``: the choices of groups and staff, the progress dialog, shared texts;
- ``schedule``, ``group_opps``, ``group_overview``: one dialog and action each.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from ib_desktop.ui.print_dialogs.common import (
    FOLDER_SETTING,
    _groups_and_staff,
    _opp_count,
    _report_failed,
    run_with_progress,
)
from ib_desktop.ui.print_dialogs.group_opps import (
    GroupOppsChoice,
    GroupOppsDialog,
    build_group_opps,
    group_opps_action,
)
from ib_desktop.ui.print_dialogs.group_overview import (
    GroupOverviewChoice,
    GroupOverviewDialog,
    group_overview_action,
    preview_pupil_overview,
)
from ib_desktop.ui.print_dialogs.schedule import ScheduleDialog, ScheduleOptions, schedule_action

__all__ = [
    "FOLDER_SETTING",
    "GroupOppsChoice",
    "GroupOppsDialog",
    "GroupOverviewChoice",
    "GroupOverviewDialog",
    "QMessageBox",
    "ScheduleDialog",
    "ScheduleOptions",
    "_groups_and_staff",
    "_opp_count",
    "_report_failed",
    "build_group_opps",
    "group_opps_action",
    "group_overview_action",
    "preview_pupil_overview",
    "run_with_progress",
    "schedule_action",
]
