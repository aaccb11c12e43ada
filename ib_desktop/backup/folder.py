"""The backup folder: where it is (a small JSON file in the user's configuration folder), whether
it can be written, and the lock and leftovers of whoever writes into it.

The backup folder must be known before a database is opened (a schema upgrade backs up first),
so it is kept outside the database.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from filelock import Timeout

from .. import APP_SLUG
from ..private_files import make_private_dirs, tighten_app_folder
from ..recovery import atomic_write_bytes
from .common import CONFIG_NAME, SUFFIX, BackupError, _os_message

log = logging.getLogger(__name__)

#: The temporary names a backup goes through before it gets its real name.
TEMP_PATTERNS = (f"*{SUFFIX}.part*",)


def config_path() -> Path:
    """The small settings file of the backups (in the user's configuration folder)."""
    from platformdirs import user_config_path

    return user_config_path(APP_SLUG, appauthor=False) / CONFIG_NAME


def default_backup_folder() -> Path:
    """The backup folder when the user has not chosen one: "backups" in the data folder."""
    from platformdirs import user_data_path

    return user_data_path(APP_SLUG, appauthor=False) / "backups"


def _read_config() -> dict[str, Any]:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("Instellingen van de back-ups onleesbaar (%s); standaardwaarden gebruikt", exc)
        return {}
    return data if isinstance(data, dict) else {}


def backup_folder() -> Path:
    """The folder backups go to: the user's choice, or the default."""
    chosen = _read_config().get("folder")
    return Path(chosen).expanduser() if chosen else default_backup_folder()


def check_folder_writable(folder: Path, *, create: bool = True) -> None:
    """Raise a Dutch :class:`BackupError` unless files can be written in ``folder``.

    A real test file is written and removed: a write-protected USB stick or a network share
    without rights passes ``os.access`` but refuses the write. With ``create`` False a missing
    folder is an error: a chosen folder on a stick that is not plugged in must not quietly
    become a new folder on the laptop's own disk.
    """
    if not create and not folder.is_dir():
        raise BackupError(
            f"De back-upmap '{folder}' is niet bereikbaar. Is de USB-stick of de netwerkmap "
            "aangesloten? Er is geen back-up gemaakt."
        )
    try:
        make_private_dirs(folder)
    except OSError as exc:
        raise BackupError(_os_message(exc, folder)) from exc
    if folder == default_backup_folder():
        tighten_app_folder(folder)  # made by an older version with the umask's mode
    if not os.access(folder, os.W_OK):
        raise BackupError(
            f"In de back-upmap '{folder}' kan niet worden geschreven: de map is alleen-lezen. "
            "Kies een andere map."
        )
    probe = folder / f".ib-desktop-schrijftest-{os.getpid()}"
    try:
        probe.write_bytes(b"ok")
    except OSError as exc:
        raise BackupError(_os_message(exc, folder)) from exc
    finally:
        probe.unlink(missing_ok=True)


def set_backup_folder(folder: Path | None) -> Path:
    """Choose the backup folder (None: back to the default); it must be writable."""
    data = _read_config()
    if folder is None:
        data.pop("folder", None)
        target = default_backup_folder()
    else:
        target = Path(folder).expanduser().resolve()
        check_folder_writable(target)
        data["folder"] = str(target)
    try:
        atomic_write_bytes(config_path(), json.dumps(data, indent=2).encode("utf-8"))
    except OSError as exc:
        raise BackupError(
            f"De keuze van de back-upmap kon niet worden bewaard: {exc.strerror or exc}."
        ) from exc
    return target


def folder_lock(folder: Path) -> Any:
    """The lock held by whoever writes a backup into ``folder`` (an OS lock: it goes with a
    killed process). It lives in the app's own data folder, so the backup folder holds backups
    only; a leftover temporary file in a folder whose lock is free belongs to a killed backup.
    """
    import hashlib

    from filelock import FileLock
    from platformdirs import user_data_path

    locks = user_data_path(APP_SLUG, appauthor=False) / "locks"
    make_private_dirs(locks)
    key = hashlib.sha256(os.fspath(folder.resolve()).encode("utf-8", "surrogatepass"))
    return FileLock(str(locks / f"back-upmap-{key.hexdigest()[:16]}.lock"), mode=0o600)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove what killed backups left in ``folder`` (full copies of the data); returns them.

    Runs at every start (the automatic backup at opening does it first). Only when no backup is
    being written into the folder right now, by this or another program: otherwise nothing is
    removed and the next start tries again.
    """
    if not folder.is_dir():
        return []
    lock = folder_lock(folder)
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return []
    try:
        return _remove_temps(folder)
    finally:
        lock.release()


def _remove_temps(folder: Path) -> list[Path]:
    removed = []
    for pattern in TEMP_PATTERNS:
        for path in folder.glob(pattern):
            try:
                path.unlink()
                removed.append(path)
            except OSError as exc:
                log.warning("Restant van een back-up %s niet verwijderd: %s", path.name, exc)
    return removed
