"""Files and folders that are the user's alone (0600 files, 0700 folders on POSIX).

Below both the storage and the recovery store: the database, its backups, the unsaved edits and
the app's folders are all made through these few functions.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

#: On POSIX the database, its backups and the app's folders are the user's alone.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each readable by the user alone (POSIX).

    Folders that already exist are left as they are: the user may have chosen a shared one.
    On Windows the mode is ignored and the user's profile protects the data.
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        if os.name == "posix":
            os.chmod(part, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask


def tighten_app_folder(folder: Path) -> None:
    """Make one of the app's own folders (made by an older version) the user's alone (POSIX)."""
    if os.name != "posix" or not folder.is_dir():
        return
    with contextlib.suppress(OSError):  # not ours to change (another owner): leave it
        if folder.stat().st_mode & 0o077:
            os.chmod(folder, PRIVATE_DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by the user alone (an empty file is an empty database)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, PRIVATE_FILE_MODE)


# ---------------------------------------------------------------------------- atomic writes
def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); a no-op where folders cannot be opened."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``target`` so that a crash leaves the old file or the new one, never half of one.

    A failure (full disk, read-only folder) removes the temporary file and re-raises; the old
    ``target`` stays as it was.
    """
    make_private_dirs(target.parent)  # the user's alone (mkstemp makes the file 0600)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
