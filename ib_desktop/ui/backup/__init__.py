"""Backups in the GUI: menu actions, the restore dialog, the settings tab, what runs on open.

The work itself is done by :mod:`ib_desktop.backup` (no Qt); this package shows progress, asks
before anything is replaced and says in Dutch what happened. Backups run in a worker thread, so
neither the start-up nor the daily backup makes the window stop responding.

- ``texts``: a backup's moment and counts as shown;
- ``progress``: the worker thread, the progress dialog, the automatic backup;
- ``table``: the table model and view of backups;
- ``restore_dialog``: choosing the backup to put back;
- ``actions``: the menu actions, restoring, recovering a damaged database, what runs on open;
- ``settings_tab``: Instellingen > Back-ups.
"""

from __future__ import annotations

from PySide6.QtWidgets import QProgressDialog

from ib_desktop.ui.backup.actions import (
    after_open,
    backup_action,
    confirm_restore,
    install_database_error_hook,
    make_backup_interactively,
    recover_damaged,
    restore_action,
    restore_chosen,
)
from ib_desktop.ui.backup.progress import (
    CHECK_INTERVAL_MS,
    BackgroundBackup,
    _wait_for_all_threads,
    run_with_progress,
)
from ib_desktop.ui.backup.restore_dialog import RestoreDialog
from ib_desktop.ui.backup.settings_tab import BackupSettingsTab
from ib_desktop.ui.backup.table import (
    BackupTableModel,
    load_backups,
    make_backup_view,
    selected_backup,
)
from ib_desktop.ui.backup.texts import describe_counts, moment

__all__ = [
    "CHECK_INTERVAL_MS",
    "BackgroundBackup",
    "BackupSettingsTab",
    "BackupTableModel",
    "QProgressDialog",
    "RestoreDialog",
    "_wait_for_all_threads",
    "after_open",
    "backup_action",
    "confirm_restore",
    "describe_counts",
    "install_database_error_hook",
    "load_backups",
    "make_backup_interactively",
    "make_backup_view",
    "moment",
    "recover_damaged",
    "restore_action",
    "restore_chosen",
    "run_with_progress",
    "selected_backup",
]
