"""The recovery store: unsaved edits of open editors, kept on disk so a crash cannot take them.

An editor's fields are written here (by ``ib_desktop.ui.recovery.RecoveryGuard``) about a second
after each change and removed again when the user saves or throws the changes away. Whatever is
still here when the app starts was left by a crash (or a power cut) and is offered back.

Each entry is one small JSON file, written atomically (temporary name, fsync, rename, fsync of
the folder), so a crash while writing leaves either the old entry or the new one, never half a
file. Entries live per database (a subfolder named after a hash of the database URL): "pupil:12"
means a different pupil in the demo school than in the real one.

When the database is encrypted (see ``ib_desktop.storage.keys``) every entry is encrypted too,
with AES-256-GCM under a key derived from the database key (HKDF), the entry's file name bound in:
unsaved notes about a pupil are as sensitive as saved ones.

Payloads are plain JSON values; ``date`` and ``datetime`` values survive the round trip (they are
tagged on the way out and turned back into dates on the way in), so editors can put the values of
their date fields in as they are.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from . import APP_SLUG
from .private_files import atomic_write_bytes, fsync_dir

log = logging.getLogger(__name__)

FORMAT = 1
SUFFIX = ".json"
#: The start of an encrypted entry (then a 12-byte nonce and the AES-GCM ciphertext).
ENCRYPTED_MAGIC = b"IBDENC1\n"


def default_recovery_dir() -> Path:
    """The folder of the recovery store: "recovery" in the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path(APP_SLUG, appauthor=False) / "recovery"


def database_label(url: str) -> str:
    """The database URL without a password, fit to show and to store."""
    try:
        import sqlalchemy as sa

        return sa.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a label must never fail
        return url


def database_folder_name(url: str) -> str:
    """A stable folder name for a database (its URL hashed; the URL may hold a password)."""
    return hashlib.sha256(database_label(url).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class RecoveryEntry:
    """The unsaved edits of one editor at one moment."""

    key: str
    title: str
    saved_at: datetime
    payload: dict[str, Any]
    database: str

    @property
    def kind(self) -> str:
        """The part of the key before the colon: "pupil", "groeidocument", ..."""
        return self.key.partition(":")[0]

    @property
    def ident(self) -> str:
        """The part of the key after the colon: an id, or e.g. "new-pupil-12"."""
        return self.key.partition(":")[2]


# ---------------------------------------------------------------------------- JSON
def _encode(value: Any) -> Any:
    """JSON ``default``: dates are tagged so they come back as dates."""
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return os.fspath(value)
    if hasattr(value, "value") and isinstance(value.value, (str, int)):  # enums
        return value.value
    raise TypeError(f"{type(value).__name__} kan niet in de herstelopslag worden bewaard")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "__date__" in obj:
            return date.fromisoformat(obj["__date__"])
        if "__datetime__" in obj:
            return datetime.fromisoformat(obj["__datetime__"])
    return obj


def dumps(data: Any) -> str:
    """JSON text of a payload (dates tagged)."""
    return json.dumps(data, default=_encode, ensure_ascii=False, indent=1, sort_keys=True)


def loads(text: str) -> Any:
    """A payload from JSON text (dates restored)."""
    return json.loads(text, object_hook=_decode)


# ---------------------------------------------------------------------------- the store
class RecoveryStore:
    """The recovery entries of one database."""

    def __init__(
        self, database_url: str, root: Path | None = None, *, key: bytes | None = None
    ) -> None:
        """``key``: the database's key when it is encrypted (``Database.encryption_key``)."""
        self.database = database_label(database_url)
        self.root = root or default_recovery_dir()
        self.folder = self.root / database_folder_name(database_url)
        self._cipher = _entry_cipher(key)

    def _file(self, key: str) -> Path:
        return self.folder / (quote(key, safe="") + SUFFIX)

    def put(
        self, key: str, title: str, payload: dict[str, Any], *, now: datetime | None = None
    ) -> RecoveryEntry:
        """Keep (or replace) the unsaved edits under ``key``; OSError when the disk refuses."""
        entry = RecoveryEntry(
            key=key,
            title=title,
            saved_at=(now or datetime.now()).replace(microsecond=0),
            payload=payload,
            database=self.database,
        )
        text = dumps(
            {
                "format": FORMAT,
                "key": key,
                "title": title,
                "saved_at": entry.saved_at,
                "database": self.database,
                "payload": payload,
            }
        )
        path = self._file(key)
        data = text.encode("utf-8")
        if self._cipher is not None:
            nonce = os.urandom(12)
            data = ENCRYPTED_MAGIC + nonce + self._cipher.encrypt(nonce, data, path.name.encode())
        atomic_write_bytes(path, data)
        return entry

    def get(self, key: str) -> RecoveryEntry | None:
        """The entry under ``key``, or None."""
        return self._read(self._file(key))

    def remove(self, key: str) -> None:
        """Forget the entry under ``key`` (saved, or thrown away by the user)."""
        path = self._file(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        fsync_dir(self.folder)

    def rename(self, old_key: str, new_key: str, title: str | None = None) -> None:
        """Move an entry to a new key (a new document got its id on its first save)."""
        entry = self.get(old_key)
        if entry is None:
            return
        self.put(new_key, title or entry.title, entry.payload, now=entry.saved_at)
        self.remove(old_key)

    def entries(self) -> list[RecoveryEntry]:
        """Every readable entry of this database, newest first."""
        found = [e for e in (self._read(p) for p in self._files()) if e is not None]
        return sorted(found, key=lambda e: e.saved_at, reverse=True)

    def clear(self) -> None:
        """Remove every entry of this database."""
        for path in self._files():
            path.unlink(missing_ok=True)

    def _files(self) -> Iterator[Path]:
        if not self.folder.is_dir():
            return iter(())
        return (
            p for p in self.folder.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".")
        )

    def _read(self, path: Path) -> RecoveryEntry | None:
        try:
            data = loads(self._decrypt(path, path.read_bytes()).decode("utf-8"))
            saved_at = data["saved_at"]
            if not isinstance(saved_at, datetime):
                saved_at = datetime.fromisoformat(str(saved_at))
            return RecoveryEntry(
                key=str(data.get("key") or unquote(path.stem)),
                title=str(data.get("title") or ""),
                saved_at=saved_at,
                payload=dict(data.get("payload") or {}),
                database=str(data.get("database") or self.database),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, InvalidEntryError) as exc:
            # Unreadable entries are skipped, not deleted: they may still help someone by hand.
            log.warning("Herstelbestand %s is onleesbaar: %s", path, exc)
            return None

    def _decrypt(self, path: Path, data: bytes) -> bytes:
        if not data.startswith(ENCRYPTED_MAGIC):
            return data  # a plain entry (the database was not encrypted when it was written)
        if self._cipher is None:
            raise InvalidEntryError("versleuteld, maar de database is niet ontgrendeld")
        from cryptography.exceptions import InvalidTag

        body = data[len(ENCRYPTED_MAGIC) :]
        try:
            return bytes(self._cipher.decrypt(body[:12], body[12:], path.name.encode()))
        except InvalidTag as exc:
            raise InvalidEntryError("versleuteld met een andere sleutel") from exc


class InvalidEntryError(Exception):
    """An encrypted entry that cannot be read with this database's key."""


def _entry_cipher(key: bytes | None) -> Any:
    """AES-GCM under a key derived from the database key, or None for a plain database."""
    if key is None:
        return None
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    sub = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"ib-desktop recovery store"
    ).derive(key)
    return AESGCM(sub)
