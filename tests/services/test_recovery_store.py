"""The recovery store keeps unsaved edits on disk, atomically, per database."""

from __future__ import annotations

import errno
import os
from datetime import date, datetime
from pathlib import Path

import pytest

from ib_desktop.recovery import RecoveryStore, atomic_write_bytes, default_recovery_dir


def test_round_trip_keeps_text_dates_and_nesting(tmp_path: Path) -> None:
    store = RecoveryStore("sqlite:////school/a.sqlite", root=tmp_path)
    payload = {
        "doel": "Daan leest één boek per week",
        "start": date(2026, 11, 18),
        "periods": [{"area": "rekenen", "goals": ["tafels", "klokkijken"]}],
        "count": 3,
    }
    store.put("groeidocument:7", "Groeidocument Daan", payload, now=datetime(2026, 11, 18, 14, 5))
    entry = RecoveryStore("sqlite:////school/a.sqlite", root=tmp_path).get("groeidocument:7")
    assert entry is not None
    assert entry.payload == payload
    assert isinstance(entry.payload["start"], date)
    assert entry.title == "Groeidocument Daan"
    assert entry.saved_at == datetime(2026, 11, 18, 14, 5)
    assert (entry.kind, entry.ident) == ("groeidocument", "7")


def test_entries_are_per_database(tmp_path: Path) -> None:
    real = RecoveryStore("sqlite:////school/echt.sqlite", root=tmp_path)
    demo = RecoveryStore("sqlite:////school/demo.sqlite", root=tmp_path)
    real.put("pupil:12", "Leerling", {"x": 1})
    assert demo.get("pupil:12") is None
    assert [e.key for e in real.entries()] == ["pupil:12"]
    assert demo.entries() == []


def test_remove_and_rename(tmp_path: Path) -> None:
    store = RecoveryStore("sqlite:////a.sqlite", root=tmp_path)
    store.put("korte_interventie:new-pupil-5", "Nieuwe korte interventie", {"doel": "lezen"})
    store.rename("korte_interventie:new-pupil-5", "korte_interventie:31")
    assert store.get("korte_interventie:new-pupil-5") is None
    assert store.get("korte_interventie:31").payload == {"doel": "lezen"}
    store.remove("korte_interventie:31")
    store.remove("korte_interventie:31")  # twice is fine
    assert store.entries() == []


def test_newest_first_and_unreadable_files_skipped(tmp_path: Path) -> None:
    store = RecoveryStore("sqlite:////a.sqlite", root=tmp_path)
    store.put("pupil:1", "Oud", {}, now=datetime(2026, 1, 1, 9, 0))
    store.put("pupil:2", "Nieuw", {}, now=datetime(2026, 1, 2, 9, 0))
    (store.folder / "kapot.json").write_text("{ half")
    assert [e.title for e in store.entries()] == ["Nieuw", "Oud"]


def test_failed_write_keeps_the_old_entry_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = RecoveryStore("sqlite:////a.sqlite", root=tmp_path)
    store.put("pupil:1", "Daan", {"notes": "eerste versie"})

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        store.put("pupil:1", "Daan", {"notes": "tweede versie"})
    monkeypatch.undo()
    assert store.get("pupil:1").payload == {"notes": "eerste versie"}
    assert sorted(p.name for p in store.folder.iterdir()) == ["pupil%3A1.json"]


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "x" / "f.json"
    atomic_write_bytes(target, b"a" * 1000)
    atomic_write_bytes(target, b"b")
    assert target.read_bytes() == b"b"
    assert [p.name for p in target.parent.iterdir()] == ["f.json"]


def test_default_folder_is_in_user_data_dir() -> None:
    folder = default_recovery_dir()
    assert folder.name == "recovery"
    assert str(folder).startswith(os.environ["XDG_DATA_HOME"])


def test_password_never_written(tmp_path: Path) -> None:
    store = RecoveryStore("postgresql+psycopg://ib:geheim@server/school", root=tmp_path)
    store.put("pupil:1", "Daan", {})
    text = next(store.folder.iterdir()).read_text()
    assert "geheim" not in text
    assert "server/school" in text
