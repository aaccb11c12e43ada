"""Opening, checking and migrating the database; the only package that knows about SQLite.

SQLite in the user's data folder is the default. A school that shares one database among laptops
points ``--database`` or ``IB_DESKTOP_DATABASE`` at PostgreSQL instead; nothing outside this
package depends on the engine, and every engine-specific statement lives here.

- ``errors``: the database's errors, each with a Dutch sentence;
- ``locations``: the default file, ``--database`` and the environment as a URL;
- ``engine``: the engine's settings and :class:`Database`, an open database;
- ``sqlite_files``: consistent copies, restores and checks of SQLite files;
- ``keys``: the key file of an encrypted database, one wrapped key per person;
- ``cipher``: SQLCipher connections to encrypted files, converting a plain file;
- ``opening``: opening, refusing what is not ours, the schema upgrade, the instance lock;
- ``listening``: PostgreSQL's LISTEN for other people's saves (imported on demand: psycopg).

The backup an upgrade needs first is passed in (``before_upgrade``); ``ib_desktop.database``
opens with the user's backup folder. The private files and folders live in
``ib_desktop.private_files`` (re-exported here).
"""

from __future__ import annotations

from ..migrations import HEAD_REVISION, KNOWN_REVISIONS
from ..private_files import (
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    create_private_file,
    make_private_dirs,
    tighten_app_folder,
)
from . import keys
from .cipher import DB_ERRORS, FILE_ERRORS, is_encrypted_file
from .engine import BUSY_TIMEOUT_MS, Database, create_engine
from .errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    DatabaseError,
    DatabaseLockedError,
    DiskFullError,
    MigrationError,
    NewerDatabaseError,
    NotOurDatabaseError,
    ReadOnlyDatabaseError,
    ServerUnreachableError,
    database_error_message,
    disk_full_message,
    is_disk_full,
    is_retryable,
    is_unreachable,
    write_error,
)
from .locations import (
    ENV_VAR,
    default_data_dir,
    default_database_path,
    display_url,
    file_uri,
    resolve_url,
    sqlite_path,
    sqlite_url,
)
from .opening import (
    MIGRATIONS_DIR,
    OUR_TABLES,
    SQLITE_HEADER,
    BeforeUpgrade,
    current_revision,
    erase_database,
    instance_lock,
    integrity_problems,
    open_database,
    refuse_foreign,
    run_migrations,
)
from .sqlite_files import (
    backup_sqlite,
    encrypt_file,
    file_damage,
    file_integrity_problems,
    file_revision,
    remove_restore_leftovers,
    restore_sqlite,
    staged_restore_path,
)

__all__ = [
    "DatabaseBusyError",
    "ServerUnreachableError",
    "is_retryable",
    "is_unreachable",
    "BUSY_TIMEOUT_MS",
    "DB_ERRORS",
    "FILE_ERRORS",
    "ENV_VAR",
    "HEAD_REVISION",
    "KNOWN_REVISIONS",
    "MIGRATIONS_DIR",
    "OUR_TABLES",
    "PRIVATE_DIR_MODE",
    "PRIVATE_FILE_MODE",
    "SQLITE_HEADER",
    "BeforeUpgrade",
    "DamagedDatabaseError",
    "Database",
    "DatabaseError",
    "DatabaseLockedError",
    "DiskFullError",
    "MigrationError",
    "NewerDatabaseError",
    "NotOurDatabaseError",
    "ReadOnlyDatabaseError",
    "backup_sqlite",
    "create_engine",
    "create_private_file",
    "current_revision",
    "database_error_message",
    "default_data_dir",
    "default_database_path",
    "disk_full_message",
    "encrypt_file",
    "display_url",
    "erase_database",
    "file_damage",
    "file_integrity_problems",
    "file_revision",
    "file_uri",
    "instance_lock",
    "integrity_problems",
    "is_disk_full",
    "is_encrypted_file",
    "keys",
    "make_private_dirs",
    "open_database",
    "refuse_foreign",
    "remove_restore_leftovers",
    "resolve_url",
    "restore_sqlite",
    "run_migrations",
    "sqlite_path",
    "sqlite_url",
    "staged_restore_path",
    "tighten_app_folder",
    "write_error",
]
