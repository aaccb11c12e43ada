"""Backups of the database: made safely, kept in rotation, listed, checked and restored.

- ``common``: the names and kinds of backups, their errors, sizes in Dutch;
- ``folder``: the chosen backup folder, whether it can be written, its lock and leftovers;
- ``listing``: what a backup holds, the lists, the grandfather-father-son rotation;
- ``checking``: the full check of a backup, the newest good one;
- ``making``: a consistent, checked copy (also the one an upgrade needs first);
- ``restoring``: putting a backup back, the current database kept, one atomic swap.

A database on a server (PostgreSQL) is backed up by the server's administrator; every function
here says so with :class:`BackupNotPossibleError` instead of failing somewhere deeper.
"""

from __future__ import annotations

from ..storage import DatabaseError
from .checking import newest_good_backup, verify_backup
from .common import (
    AUTO,
    AUTO_INTERVAL,
    BEFORE_RESTORE,
    BEFORE_UPGRADE,
    CONFIG_NAME,
    KEEP_DAILY,
    KEEP_MONTHLY,
    KEEP_SAFETY,
    KEEP_WEEKLY,
    MANUAL,
    NAME_RE,
    SUFFIX,
    TIMESTAMP,
    BackupError,
    BackupNotPossibleError,
    database_file,
    folder_free_space,
    format_size,
)
from .folder import (
    TEMP_PATTERNS,
    backup_folder,
    check_folder_writable,
    clean_leftovers,
    config_path,
    default_backup_folder,
    folder_lock,
    set_backup_folder,
)
from .listing import (
    BackupInfo,
    Counts,
    backup_due,
    backup_name,
    describe,
    latest_backup_for,
    list_backups,
    newest_backup,
    parse_name,
    read_counts,
    reason_label,
    rotate,
    select_to_keep,
)
from .making import FOLDER_LOCK_WAIT, backup_before_upgrade, make_backup
from .restoring import (
    RESTORE_MARGIN,
    RestoreResult,
    check_restore_space,
    clean_restore_leftovers,
    move_aside,
    restore_backup,
)

__all__ = [
    "AUTO",
    "AUTO_INTERVAL",
    "BEFORE_RESTORE",
    "BEFORE_UPGRADE",
    "CONFIG_NAME",
    "FOLDER_LOCK_WAIT",
    "KEEP_DAILY",
    "KEEP_MONTHLY",
    "KEEP_SAFETY",
    "KEEP_WEEKLY",
    "MANUAL",
    "NAME_RE",
    "RESTORE_MARGIN",
    "SUFFIX",
    "TEMP_PATTERNS",
    "TIMESTAMP",
    "BackupError",
    "BackupInfo",
    "BackupNotPossibleError",
    "Counts",
    "DatabaseError",
    "RestoreResult",
    "backup_before_upgrade",
    "backup_due",
    "backup_folder",
    "backup_name",
    "check_folder_writable",
    "check_restore_space",
    "clean_leftovers",
    "clean_restore_leftovers",
    "config_path",
    "database_file",
    "default_backup_folder",
    "describe",
    "folder_free_space",
    "folder_lock",
    "format_size",
    "latest_backup_for",
    "list_backups",
    "make_backup",
    "move_aside",
    "newest_backup",
    "newest_good_backup",
    "parse_name",
    "read_counts",
    "reason_label",
    "restore_backup",
    "rotate",
    "select_to_keep",
    "set_backup_folder",
    "verify_backup",
]
