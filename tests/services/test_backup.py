"""Backups: consistent, checked, rotated, listed with counts, restored with the same counts."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from ib_desktop import backup as bk
from ib_desktop.models import GrowthDocument, Opp, Pupil, ShortIntervention
from ib_desktop.storage import file_integrity_problems, instance_lock, open_database


def counts_of(db) -> tuple[int, int]:
    with db.session() as s:
        pupils = s.scalar(sa.select(sa.func.count()).select_from(Pupil))
        docs = sum(
            s.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (ShortIntervention, GrowthDocument, Opp)
        )
    return pupils, docs


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wreck(path: Path) -> None:
    """Overwrite the headers of many b-tree pages, as a failing disk would."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, min(len(data), 4096 * 40), 4096):
        data[offset + 8 : offset + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


# ---------------------------------------------------------------------------- rotation (pure)
def at(d: date, hour: int = 2) -> datetime:
    return datetime(d.year, d.month, d.day, hour)


def test_rotation_keeps_7_daily_4_weekly_12_monthly() -> None:
    day = date(2025, 1, 1)
    stamps = []
    while day <= date(2026, 11, 18):  # a Wednesday in ISO week 47
        stamps.append(at(day))
        day += timedelta(days=1)
    kept = bk.select_to_keep(stamps)
    daily = {at(date(2026, 11, d)) for d in range(12, 19)}
    # Newest of ISO weeks 47 (already daily), 46 (Sunday 15th, daily), 45 and 44.
    weekly = {at(date(2026, 11, 15)), at(date(2026, 11, 8)), at(date(2026, 11, 1))}
    monthly = {
        at(date(2026, 10, 31)), at(date(2026, 9, 30)), at(date(2026, 8, 31)), at(date(2026, 7, 31)),
        at(date(2026, 6, 30)), at(date(2026, 5, 31)), at(date(2026, 4, 30)), at(date(2026, 3, 31)),
        at(date(2026, 2, 28)), at(date(2026, 1, 31)), at(date(2025, 12, 31)),
    }  # fmt: skip
    assert kept == daily | weekly | monthly


def test_rotation_keeps_newest_of_each_day() -> None:
    d = date(2026, 11, 18)
    stamps = [datetime(2026, 11, 18, h) for h in (8, 12, 17)] + [datetime(2026, 11, 17, 9)]
    assert bk.select_to_keep(stamps) == {datetime(2026, 11, 18, 17), datetime(2026, 11, 17, 9)}
    assert at(d) not in bk.select_to_keep(stamps)


def test_rotation_after_a_month_away_still_keeps_seven_days() -> None:
    """Only days with a backup count: a laptop left in a drawer keeps its last week of work."""
    before = [at(date(2026, 9, 1) + timedelta(days=i)) for i in range(20)]
    after = [at(date(2026, 11, 1))]
    kept = bk.select_to_keep(before + after)
    assert (
        sum(1 for s in kept if s.month == 9 and s.day >= 14) == 6
    )  # 14..20 Sep minus the newest 1
    assert at(date(2026, 9, 20)) in kept
    assert at(date(2026, 11, 1)) in kept


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)), max_size=80
    )
)
def test_rotation_properties(stamps: list[datetime]) -> None:
    kept = bk.select_to_keep(stamps)
    assert kept <= set(stamps)
    assert len(kept) <= 7 + 4 + 12
    if stamps:
        assert max(stamps) in kept
        assert len(kept) >= min(7, len({s.date() for s in stamps}))
    # A second rotation removes nothing more: rotation is stable.
    assert bk.select_to_keep(kept) == kept


# ---------------------------------------------------------------------------- folder settings
def test_default_folder_and_chosen_folder(tmp_path: Path) -> None:
    assert bk.backup_folder() == bk.default_backup_folder()
    assert str(bk.default_backup_folder()).startswith(os.environ["XDG_DATA_HOME"])
    chosen = tmp_path / "usb-stick" / "back-ups"
    assert bk.set_backup_folder(chosen) == chosen.resolve()
    assert bk.backup_folder() == chosen.resolve()
    assert str(bk.config_path()).startswith(os.environ["XDG_CONFIG_HOME"])
    bk.set_backup_folder(None)
    assert bk.backup_folder() == bk.default_backup_folder()


def test_a_chosen_folder_that_is_gone_is_not_recreated(demo_db, tmp_path: Path) -> None:
    """A stick that is not plugged in: say so, instead of filling a new folder on the laptop."""
    stick = tmp_path / "media" / "usb" / "back-ups"
    bk.set_backup_folder(stick)
    stick.rmdir()
    with pytest.raises(bk.BackupError, match="niet bereikbaar"):
        bk.make_backup(demo_db)
    assert not stick.exists()
    bk.set_backup_folder(None)
    assert bk.make_backup(demo_db).path.parent == bk.default_backup_folder()  # default: made


def test_an_unwritable_folder_cannot_be_chosen(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m: False if Path(p) == folder and m == os.W_OK else real(p, m)
    )
    with pytest.raises(bk.BackupError, match="alleen-lezen"):
        bk.set_backup_folder(folder)
    assert bk.backup_folder() == bk.default_backup_folder()


# ---------------------------------------------------------------------------- making backups
def test_backup_is_consistent_checked_and_counted(demo_db, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    info = bk.make_backup(demo_db, folder, reason=bk.MANUAL, now=datetime(2026, 11, 18, 14, 5, 9))
    assert info.path.name == "demo_2026-11-18_140509_handmatig.sqlite"
    assert (info.pupils, info.documents) == counts_of(demo_db)
    assert info.pupils > 0
    assert info.documents > 0
    assert file_integrity_problems(info.path) == []
    con = sqlite3.connect(info.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    con.close()
    assert [p.name for p in folder.iterdir()] == [info.path.name]  # no temporary files left


def test_backup_while_the_app_has_uncheckpointed_writes(demo_db, tmp_path: Path) -> None:
    """A save still in the write-ahead log is in the backup: a file copy would miss it."""
    with demo_db.session() as s:
        pupil = s.scalars(sa.select(Pupil).limit(1)).one()
        pupil.notes = "net opgeslagen, nog in de WAL"
        pid = pupil.id
    info = bk.make_backup(demo_db, tmp_path / "b")
    copy = open_database(info.path, readonly=True, migrate=False)
    with copy.session() as s:
        assert s.get(Pupil, pid).notes == "net opgeslagen, nog in de WAL"
    copy.dispose()


def test_listing_shows_date_size_and_counts(demo_db, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    first = bk.make_backup(demo_db, folder, now=datetime(2026, 11, 17, 9, 0))
    with demo_db.session() as s:
        s.delete(s.scalars(sa.select(Pupil).limit(1)).one())
    second = bk.make_backup(demo_db, folder, now=datetime(2026, 11, 18, 9, 0))
    (folder / "notities.txt").write_text("geen back-up")
    listed = bk.list_backups(folder)
    assert [b.path for b in listed] == [second.path, first.path]
    assert listed[0].pupils == listed[1].pupils - 1
    assert listed[0].size == second.path.stat().st_size
    assert listed[0].created == datetime(2026, 11, 18, 9, 0)
    assert listed[0].kind == "automatisch"
    assert bk.list_backups(folder, stem="andere-school") == []


def test_two_backups_in_one_second_both_kept(demo_db, tmp_path: Path) -> None:
    now = datetime(2026, 11, 18, 9, 0)
    a = bk.make_backup(demo_db, tmp_path, reason=bk.MANUAL, now=now)
    b = bk.make_backup(demo_db, tmp_path, reason=bk.MANUAL, now=now)
    assert a.path != b.path
    assert a.path.exists()
    assert b.path.exists()
    assert {x.path for x in bk.list_backups(tmp_path, counts=False)} == {a.path, b.path}


def test_rotation_removes_only_old_automatic_backups(demo_db, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    template = bk.make_backup(demo_db, tmp_path / "t", reason=bk.MANUAL)
    folder.mkdir()
    start = datetime(2026, 8, 1, 3, 0)
    for i in range(100):  # 100 days of automatic backups (copies of a finished backup file)
        shutil.copyfile(
            template.path, folder / bk.backup_name("demo", start + timedelta(days=i), bk.AUTO)
        )
    manual = folder / bk.backup_name("demo", start, bk.MANUAL)
    other = folder / bk.backup_name("andere", start, bk.AUTO)
    shutil.copyfile(template.path, manual)
    shutil.copyfile(template.path, other)
    newest = bk.make_backup(demo_db, folder, now=start + timedelta(days=100))
    autos = [
        b.created for b in bk.list_backups(folder, stem="demo", counts=False) if b.reason == bk.AUTO
    ]
    assert sorted(autos) == sorted(
        bk.select_to_keep([start + timedelta(days=i) for i in range(101)])
    )
    assert newest.path.exists()
    assert manual.exists()
    assert other.exists()


def test_safety_copies_are_limited(demo_db, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    for i in range(bk.KEEP_SAFETY + 3):
        bk.make_backup(
            demo_db, folder, reason=bk.BEFORE_RESTORE, now=datetime(2026, 1, 1) + timedelta(days=i)
        )
    kept = bk.list_backups(folder, counts=False)
    assert len(kept) == bk.KEEP_SAFETY
    assert min(b.created for b in kept) == datetime(2026, 1, 4)


def test_backup_due(demo_db, tmp_path: Path) -> None:
    now = datetime(2026, 11, 18, 9, 0)
    assert bk.backup_due(demo_db, tmp_path, now=now)
    bk.make_backup(demo_db, tmp_path, now=now)
    assert not bk.backup_due(demo_db, tmp_path, now=now + timedelta(hours=23))
    assert bk.backup_due(demo_db, tmp_path, now=now + timedelta(hours=24))


def test_server_database_is_the_servers_job(tmp_path: Path) -> None:
    with pytest.raises(bk.BackupNotPossibleError, match="server"):
        bk.make_backup("postgresql+psycopg://ib@localhost/school", tmp_path)
    with pytest.raises(bk.BackupNotPossibleError, match="server"):
        bk.restore_backup(tmp_path / "x.sqlite", "postgresql+psycopg://ib@localhost/school")


def test_format_size() -> None:
    assert bk.format_size(512) == "512 B"
    assert bk.format_size(1536) == "1,5 kB"
    assert bk.format_size(3 * 1024 * 1024) == "3,0 MB"


# ---------------------------------------------------------------------------- restoring
def test_restore_brings_back_the_counts_and_backs_up_first(demo_db, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    before = counts_of(demo_db)
    saved = bk.make_backup(demo_db, folder, reason=bk.MANUAL, now=datetime(2026, 11, 17, 9, 0))
    with demo_db.session() as s:  # an accident: documents and pupils gone
        for gd in s.scalars(sa.select(GrowthDocument)).all():
            s.delete(gd)
        for p in s.scalars(sa.select(Pupil).limit(10)).all():
            s.delete(p)
    damaged_counts = counts_of(demo_db)
    assert damaged_counts != before
    result = bk.restore_backup(saved.path, demo_db, folder=folder, now=datetime(2026, 11, 18, 9, 0))
    assert (result.counts.pupils, result.counts.documents) == before
    reopened = open_database(demo_db.path, check_integrity=True)
    assert counts_of(reopened) == before
    reopened.dispose()
    # The state just before the restore is kept, so a restore can be undone.
    assert result.safety_backup is not None
    assert result.safety_backup.exists()
    undo = bk.describe(result.safety_backup)
    assert (undo.pupils, undo.documents) == damaged_counts
    assert undo.kind == "vóór terugzetten"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(demo_db, tmp_path: Path) -> None:
    saved = bk.make_backup(demo_db, tmp_path / "b", reason=bk.MANUAL)
    wreck(saved.path)
    before = counts_of(demo_db)
    demo_db.dispose()
    target_digest = digest(demo_db.path)
    with pytest.raises(bk.BackupError, match="beschadigd|kan niet"):
        bk.restore_backup(saved.path, demo_db.path, folder=tmp_path / "b")
    assert digest(demo_db.path) == target_digest
    assert counts_of(demo_db) == before


def test_restore_refuses_while_another_instance_has_the_database(demo_db, tmp_path: Path) -> None:
    saved = bk.make_backup(demo_db, tmp_path / "b", reason=bk.MANUAL)
    lock = instance_lock(demo_db)
    try:
        with pytest.raises(bk.BackupError, match="geopend"):
            bk.restore_backup(saved.path, demo_db.path, folder=tmp_path / "b")
    finally:
        lock.release()
    assert [b.reason for b in bk.list_backups(tmp_path / "b", counts=False)] == [bk.MANUAL]


def test_restore_refuses_a_backup_of_a_newer_version(demo_db, tmp_path: Path) -> None:
    saved = bk.make_backup(demo_db, tmp_path / "b", reason=bk.MANUAL)
    con = sqlite3.connect(saved.path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(bk.BackupError, match="nieuwere versie"):
        bk.restore_backup(saved.path, demo_db, folder=tmp_path / "b")
    assert bk.describe(saved.path).counts is None  # listed, not counted


def test_restore_of_a_damaged_database_moves_it_aside(demo_db, tmp_path: Path) -> None:
    saved = bk.make_backup(demo_db, tmp_path / "b", reason=bk.MANUAL)
    demo_db.dispose()
    path = demo_db.path
    wreck(path)
    wrecked = digest(path)
    result = bk.restore_backup(
        saved.path, path, folder=tmp_path / "b", now=datetime(2026, 11, 18, 10, 0)
    )
    assert result.moved_aside[0].name == "demo.beschadigd-2026-11-18_100000.sqlite"
    # Its journal files go with it, so the kept file stays as readable as it was.
    assert {p.name for p in result.moved_aside[1:]} <= {
        "demo.beschadigd-2026-11-18_100000.sqlite-wal",
        "demo.beschadigd-2026-11-18_100000.sqlite-shm",
    }
    assert digest(result.moved_aside[0]) == wrecked  # kept exactly as it was
    assert result.safety_backup is None
    assert file_integrity_problems(path) == []
    assert (result.counts.pupils, result.counts.documents) == (saved.pupils, saved.documents)


def test_newest_good_backup_skips_a_damaged_one(demo_db, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    good = bk.make_backup(demo_db, folder, now=datetime(2026, 11, 17, 9, 0))
    bad = bk.make_backup(demo_db, folder, now=datetime(2026, 11, 18, 9, 0))
    wreck(bad.path)
    found = bk.newest_good_backup(folder, stem="demo")
    assert found is not None
    assert found.path == good.path
