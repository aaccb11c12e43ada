"""The key of an encrypted database, wrapped once per person: the key file ``<db>.keys``.

Why this design. A care file lives on a laptop that can be lost, so the SQLite file, its backups
and the recovery store are SQLCipher-encrypted. The key that encrypts them is a random 256-bit
key, never a password: a password is what people share, forget and change, and changing the key
of a database means rewriting every page of it and of every backup. Instead the key is *wrapped*
(encrypted) once per person with a key derived from that person's password (Argon2id, memory-hard,
its parameters stored with the slot so they can be raised later; AES-256-GCM, so a wrong password
is detected by the failing tag, not by a garbled database). The wrapped copies are the *slots* of
the key file beside the database:

- ``school``: one password for the whole school, when there are no accounts;
- ``account``: one slot per account, so adding a colleague never means telling them a password
  someone else uses, and removing one (deleting their slot) locks them out without changing
  anyone else's password;
- ``recovery``: a random recovery key, shown once (and printed for the directie's safe): it opens
  the database when every password is forgotten, and sets a new one.

The key file holds no personal data and nothing that opens the database without a password; it
is written atomically, private to the user, and copied beside every backup (a backup must open
on another laptop after a theft of the first). Unlocked keys are kept in memory for the process
only (by their ``key_id``, a random name shared by a database and its backups). PostgreSQL is not
affected: encryption at rest is a property of a file, and a server protects its own disks.

For the accounts (``ib-desktop users`` on a SQLite file): when ``is_encrypted_file(db.path)``,
``users add LOGIN`` calls ``add_slot(db.path, LOGIN, password)`` (the key is unlocked already:
the command opened the database), ``users password LOGIN`` calls ``change_password(db.path,
LOGIN, new)`` and ``users disable LOGIN`` calls ``remove_slot(db.path, LOGIN)``; once the first
account has its slot, ``remove_slot(db.path, "school", slot_type=SCHOOL)`` retires the shared
school password.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import key_memory
from ..key_memory import (
    RECOVERY,
    RECOVERY_GROUP_LEN,
    RECOVERY_GROUPS,
    SUFFIX,  # noqa: F401 - part of this module's interface
    key_file_path,
    normalize_recovery_key,
)
from ..private_files import atomic_write_bytes, make_private_dirs
from .errors import DatabaseError

FORMAT = 1
KEY_BYTES = 32
#: The environment variable scripts and commands give the password in.
PASSWORD_ENV = "IB_DESKTOP_PASSWORD"
#: Opens the file when ``IB_DESKTOP_PASSWORD`` holds another password (``users add`` in a script).
UNLOCK_ENV = "IB_DESKTOP_UNLOCK_PASSWORD"
SCHOOL, ACCOUNT = "school", "account"

#: Argon2id's cost for new slots: 19 MiB, 2 passes, 1 lane (OWASP's password-storage
#: recommendation), under 0.1 s on a school laptop. Until 2026-12 it was 64 MiB, 3 passes, 4
#: lanes (RFC 9106's second recommendation): those slots keep opening, as the parameters are
#: stored per slot (see docs/data-safety.md for the choice).
DEFAULT_PARAMS: dict[str, int] = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
#: The parameters of slots written before 2026-12 (still opened; a test keeps it so).
RFC9106_PARAMS: dict[str, int] = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}


class PasswordNeededError(DatabaseError):
    """The database is encrypted and not unlocked yet; ``path`` is the file that asks."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"De database '{path.name}' is versleuteld. Geef het wachtwoord (in een script: "
            f"de omgevingsvariabele {PASSWORD_ENV})."
        )
        self.path = path


class WrongPasswordError(DatabaseError):
    """No slot of the key file opens with the password; nothing was changed."""


class KeyFileError(DatabaseError):
    """The key file is missing, damaged or not what was asked for."""


def wrong_password_message() -> str:
    """The Dutch sentence for a password that opens no slot."""
    return (
        "Het wachtwoord klopt niet. Let op hoofdletters en de Caps Lock-toets, en probeer het "
        "opnieuw. De database is niet gewijzigd."
    )


@dataclass(frozen=True)
class Slot:
    """One wrapped copy of the database key."""

    type: str
    name: str
    salt: str
    params: dict[str, int]
    nonce: str
    wrapped: str

    def as_json(self) -> dict[str, Any]:
        """The slot as stored in the key file."""
        return dict(self.__dict__)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _wrap(key: bytes, secret: str, key_id: str, slot_type: str, name: str) -> Slot:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    params = dict(DEFAULT_PARAMS)
    kek = key_memory.derive(secret, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, key, key_memory.aad(key_id, slot_type, name))
    return Slot(slot_type, name, _b64(salt), params, _b64(nonce), _b64(wrapped))


def _unwrap(slot: Slot, secret: str, key_id: str) -> bytes | None:
    return key_memory.unwrap(slot.as_json(), secret, key_id)


# ---------------------------------------------------------------------------- the key file
@dataclass
class KeyFile:
    """The key file's content: the key's name and its slots."""

    key_id: str
    slots: list[Slot]

    def to_bytes(self) -> bytes:
        """JSON text, as stored."""
        data = {
            "format": FORMAT,
            "cipher": "sqlcipher4",
            "key_id": self.key_id,
            "slots": [s.as_json() for s in self.slots],
        }
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_key_file(db_path: Path) -> KeyFile:
    """The key file beside ``db_path``; :class:`KeyFileError` when it is missing or damaged."""
    path = key_file_path(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        slots = [Slot(**s) for s in data["slots"]]
        return KeyFile(str(data["key_id"]), slots)
    except FileNotFoundError as exc:
        raise KeyFileError(
            f"Het sleutelbestand '{path.name}' ontbreekt; zonder dat bestand kan de versleutelde "
            "database niet worden geopend. Zet het terug uit de back-upmap (het staat naast elke "
            "back-up)."
        ) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"Het sleutelbestand '{path.name}' is beschadigd ({exc}).") from exc


def write_key_file(db_path: Path, content: KeyFile | bytes) -> None:
    """Write the key file atomically (temporary name, fsync, rename), private to the user."""
    data = content if isinstance(content, bytes) else content.to_bytes()
    make_private_dirs(db_path.parent)
    atomic_write_bytes(key_file_path(db_path), data)


def copy_key_file(source_db: Path, target_db: Path) -> None:
    """Give ``target_db`` (a backup, a restored copy) the key file of ``source_db``, if any."""
    src = key_file_path(source_db)
    if src.exists():
        write_key_file(target_db, src.read_bytes())
        bind(target_db, read_key_file(source_db).key_id)


# ---------------------------------------------------------------------------- unlocked keys
# Kept in ib_desktop.key_memory, where the quick first paint finds them too.
_UNLOCKED = key_memory.UNLOCKED
_BOUND = key_memory.BOUND
_norm = key_memory.norm


def bind(path: Path, key_id: str) -> None:
    """Tell the process that ``path`` (a copy being written) is encrypted with ``key_id``."""
    _BOUND[_norm(path)] = key_id


def forget_all() -> None:
    """Forget every unlocked key (a test starting afresh; the app locking)."""
    _UNLOCKED.clear()
    _BOUND.clear()


def key_id_for(path: Path) -> str | None:
    """The key name of ``path``: bound in this process, or from the key file beside it."""
    bound = _BOUND.get(_norm(path))
    if bound is not None:
        return bound
    if key_file_path(path).exists():
        return read_key_file(path).key_id
    return None


def unlocked_key(path: Path) -> bytes:
    """The key of the encrypted ``path``, unlocked before or with ``IB_DESKTOP_PASSWORD``.

    Raises :class:`PasswordNeededError` when nobody gave a password yet (the app asks then),
    :class:`WrongPasswordError` when the environment's password opens no slot.
    """
    key_id = key_id_for(path)
    if key_id is None:
        raise KeyFileError(read_key_file_missing_message(path))
    key = _UNLOCKED.get(key_id)
    if key is not None:
        return key
    # ``users add`` takes the new account's password from IB_DESKTOP_PASSWORD: a script then
    # gives the password that opens the file in IB_DESKTOP_UNLOCK_PASSWORD.
    password = os.environ.get(UNLOCK_ENV) or os.environ.get(PASSWORD_ENV)
    if password and key_file_path(path).exists():
        return unlock(path, password)
    raise PasswordNeededError(path)


def read_key_file_missing_message(path: Path) -> str:
    """The sentence for an encrypted file without its key file."""
    return (
        f"Het bestand '{path.name}' is versleuteld, maar het sleutelbestand "
        f"'{key_file_path(path).name}' ontbreekt ernaast. Zet het terug (het staat naast elke "
        "back-up); de database is niet gewijzigd."
    )


def unlock(db_path: Path, password: str) -> bytes:
    """Open the key with ``password`` (any slot, the recovery key too) and keep it for the process.

    A wrong password raises :class:`WrongPasswordError`; nothing on disk is touched.
    """
    kf = read_key_file(db_path)
    key = key_memory.open_slots(kf.key_id, (s.as_json() for s in kf.slots), password)
    if key is not None:
        return key
    raise WrongPasswordError(wrong_password_message())


def remember(key_id: str, key: bytes) -> None:
    """Keep a key made or unlocked elsewhere in this process (a new database, a conversion)."""
    _UNLOCKED[key_id] = key


# ---------------------------------------------------------------------------- making and slots
def new_recovery_key() -> str:
    """A random recovery key: 8 groups of 5 base32 characters, e.g. ``K7QF2-...``."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    chars = [secrets.choice(alphabet) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN)]
    groups = [
        "".join(chars[i : i + RECOVERY_GROUP_LEN])
        for i in range(0, len(chars), RECOVERY_GROUP_LEN)
    ]
    return "-".join(groups)


@dataclass(frozen=True)
class NewKey:
    """A fresh database key with its key file content and the recovery key (shown once)."""

    key: bytes
    key_file: KeyFile
    recovery_key: str


def new_key(password: str, *, name: str = "school", slot_type: str = SCHOOL) -> NewKey:
    """A random database key, wrapped for ``password`` and for a new recovery key."""
    check_new_password(password)
    key = secrets.token_bytes(KEY_BYTES)
    key_id = secrets.token_hex(8)
    recovery = new_recovery_key()
    slots = [
        _wrap(key, password, key_id, slot_type, name),
        _wrap(key, recovery, key_id, RECOVERY, "herstelsleutel"),
    ]
    remember(key_id, key)
    return NewKey(key, KeyFile(key_id, slots), recovery)


def check_new_password(password: str) -> None:
    """Refuse a password too short to protect pupils' data."""
    if len(password) < 8:
        raise DatabaseError("Kies een wachtwoord van minstens 8 tekens.")


def _opened_key(db_path: Path, kf: KeyFile, unlock_with: str | None) -> bytes:
    key = unlock(db_path, unlock_with) if unlock_with is not None else unlocked_key(db_path)
    if _UNLOCKED.get(kf.key_id) != key:  # pragma: no cover - one key per key file
        raise KeyFileError("Het sleutelbestand hoort niet bij deze database.")
    return key


def slots(db_path: Path) -> list[tuple[str, str]]:
    """The slots as (type, name): who can open the database (no secrets)."""
    return [(s.type, s.name) for s in read_key_file(db_path).slots]


def add_slot(
    db_path: Path,
    name: str,
    password: str,
    *,
    unlock_with: str | None = None,
    slot_type: str = ACCOUNT,
) -> None:
    """Let ``name`` open the database with their own ``password`` (replacing their old slot).

    ``unlock_with`` is a password (or the recovery key) that opens it now; without it the key
    unlocked in this process is used.
    """
    check_new_password(password)
    kf = read_key_file(db_path)
    key = _opened_key(db_path, kf, unlock_with)
    kept = [s for s in kf.slots if not (s.type == slot_type and s.name == name)]
    kept.append(_wrap(key, password, kf.key_id, slot_type, name))
    write_key_file(db_path, KeyFile(kf.key_id, kept))


def remove_slot(db_path: Path, name: str, *, slot_type: str = ACCOUNT) -> bool:
    """Take ``name``'s slot out: their password no longer opens the database. True if found.

    The last slot that is not the recovery key is never removed (the school would need the safe).
    """
    kf = read_key_file(db_path)
    kept = [s for s in kf.slots if not (s.type == slot_type and s.name == name)]
    if len(kept) == len(kf.slots):
        return False
    if not any(s.type != RECOVERY for s in kept):
        raise DatabaseError(
            f"'{name}' is de laatste die de database kan openen; voeg eerst iemand anders toe."
        )
    write_key_file(db_path, KeyFile(kf.key_id, kept))
    return True


def change_password(
    db_path: Path,
    name: str,
    new_password: str,
    *,
    unlock_with: str | None = None,
    slot_type: str | None = None,
) -> None:
    """Give ``name``'s slot a new password (the school slot when there is no account slot)."""
    kf = read_key_file(db_path)
    kind = slot_type or next((s.type for s in kf.slots if s.name == name), SCHOOL)
    add_slot(db_path, name, new_password, unlock_with=unlock_with, slot_type=kind)


def unlock_with_recovery_key(db_path: Path, recovery_key: str) -> bytes:
    """Open the key with the recovery key only (a password does not count here)."""
    kf = read_key_file(db_path)
    recovery = normalize_recovery_key(recovery_key)
    for slot in kf.slots:
        if slot.type == RECOVERY and recovery:
            key = _unwrap(slot, recovery, kf.key_id)
            if key is not None:
                remember(kf.key_id, key)
                return key
    raise WrongPasswordError(
        "De herstelsleutel klopt niet. Controleer de tekens op het papier uit de kluis "
        "(O en 0 mogen allebei). De database is niet gewijzigd."
    )


def reset_with_recovery_key(
    db_path: Path, recovery_key: str, new_password: str, *, name: str = "school"
) -> None:
    """A forgotten password: the recovery key opens the key, ``name`` gets ``new_password``."""
    unlock_with_recovery_key(db_path, recovery_key)
    kf = read_key_file(db_path)
    kind = next((s.type for s in kf.slots if s.name == name and s.type != RECOVERY), SCHOOL)
    add_slot(db_path, name, new_password, slot_type=kind)
