"""The database keys unlocked in this process, and opening the slots of a key file.

This is the part of :mod:`ib_desktop.storage.keys` that needs neither SQLAlchemy nor Qt, so that
the first paint (:mod:`ib_desktop.quick_list`) can open an encrypted file's key before the
storage package, which loads SQLAlchemy, is imported. Keys live only in this process's memory
(by their ``key_id``); nothing here writes a file.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SUFFIX = ".keys"
RECOVERY = "recovery"
#: A recovery key: 8 groups of 5 base32 characters (200 bits), easy to type from paper.
RECOVERY_GROUPS, RECOVERY_GROUP_LEN = 8, 5

#: Unlocked keys by key_id, and copies being written by path (see ``storage.keys.bind``).
UNLOCKED: dict[str, bytes] = {}
BOUND: dict[Path, str] = {}


def norm(path: Path) -> Path:
    """The absolute path ``BOUND`` is keyed on."""
    return Path(os.path.abspath(path))


def key_file_path(db_path: Path) -> Path:
    """Where the key file of a database (or a backup) lives: beside it, ``<name>.keys``."""
    return Path(str(db_path) + SUFFIX)


def unb64(text: str) -> bytes:
    """Base64 text of the key file as bytes."""
    return base64.b64decode(text.encode("ascii"))


def derive(secret: str, salt: bytes, params: Mapping[str, int]) -> bytes:
    """The key-encryption key: Argon2id of ``secret`` with the slot's own parameters."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=int(params["time_cost"]),
        memory_cost=int(params["memory_cost"]),
        parallelism=int(params["parallelism"]),
        hash_len=32,
        type=Type.ID,
    )


def aad(key_id: str, slot_type: str, name: str) -> bytes:
    """What a slot is bound to: a slot copied into another key file or renamed does not open."""
    return json.dumps([key_id, slot_type, name]).encode("utf-8")


def unwrap(slot: Mapping[str, Any], secret: str, key_id: str) -> bytes | None:
    """The key in ``slot`` (a slot as stored), or None when ``secret`` does not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = derive(secret, unb64(slot["salt"]), slot["params"])
    try:
        return AESGCM(kek).decrypt(
            unb64(slot["nonce"]), unb64(slot["wrapped"]), aad(key_id, slot["type"], slot["name"])
        )
    except InvalidTag:
        return None


def normalize_recovery_key(text: str) -> str:
    """A recovery key as typed (lower case, spaces, dashes, 0 for O) in its canonical form."""
    plain = "".join(c for c in text.upper() if c.isalnum()).replace("0", "O").replace("1", "I")
    if len(plain) != RECOVERY_GROUPS * RECOVERY_GROUP_LEN:
        return ""
    return "-".join(
        plain[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(plain), RECOVERY_GROUP_LEN)
    )


def open_slots(key_id: str, slots: Iterable[Mapping[str, Any]], password: str) -> bytes | None:
    """The key from the first slot ``password`` opens (the recovery key too), kept in memory."""
    secret = normalize_recovery_key(password)
    for slot in slots:
        candidate = secret if slot["type"] == RECOVERY else password
        if not candidate:
            continue
        key = unwrap(slot, candidate, key_id)
        if key is not None:
            UNLOCKED[key_id] = key
            return key
    return None


def read_slots(db_path: Path) -> tuple[str, list[dict[str, Any]]]:
    """(key_id, slots as stored) of the key file beside ``db_path``.

    Raises OSError, ValueError, KeyError or TypeError when it is missing or damaged.
    """
    data = json.loads(key_file_path(db_path).read_text(encoding="utf-8"))
    slots = [dict(s) for s in data["slots"]]
    for s in slots:
        if not isinstance(s["params"], dict):
            raise TypeError("params")
    return str(data["key_id"]), slots
