"""Migration 0026 and the listener, without Qt: who hears what when pupil data is saved."""

from __future__ import annotations

import queue
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from ib_desktop.services import pupil as pf
from ib_desktop.services.school import create_school
from ib_desktop.storage import open_database
from ib_desktop.storage.listening import Change, ChangeListener, listener_for
from tests.conftest import TODAY


def test_a_save_on_postgresql_is_heard_with_table_and_pupil_only(pg_url: str) -> None:
    db = open_database(pg_url)
    with db.session() as s:
        school = create_school(s, "OBS Het Luisterend Oor", today=TODAY)
        pupil = pf.create_pupil(
            s, school.id,
            pf.PupilData(first_name="Şükrü", last_name="Öztürk", birth_date=date(2017, 1, 2)),
            today=TODAY,
        )  # fmt: skip
        pupil_id = pupil.id
    heard: queue.Queue[Change] = queue.Queue()
    payloads: list[str] = []
    listener = ChangeListener(sa.make_url(pg_url), heard.put)
    original = listener._deliver

    def spy(payload: str) -> None:
        payloads.append(payload)
        original(payload)

    listener._deliver = spy  # type: ignore[method-assign]
    listener.start()
    try:
        assert listener.wait_ready(10)
        other = open_database(pg_url)
        with other.session() as s:
            pf.save_guardian(s, pupil_id, pf.GuardianData(name="Ayşe Öztürk"))
        other.dispose()
        change = heard.get(timeout=10)
    finally:
        listener.stop()
        db.dispose()
    assert change == Change("guardians", pupil_id)
    assert payloads[0] == f"guardians:{pupil_id}"  # no names, no values: only where and whom
    assert len(payloads[0]) < 40


def test_the_apps_own_saves_are_left_out(pg_url: str) -> None:
    db = open_database(pg_url)
    heard: queue.Queue[Change] = queue.Queue()
    listener = listener_for(db.engine, heard.put)
    assert listener is not None
    listener.start()
    try:
        assert listener.wait_ready(10)
        with db.session() as s:
            school = create_school(s, "OBS Eigen Werk", today=TODAY)
            pf.create_pupil(s, school.id, pf.PupilData(first_name="Eva", last_name="Eigen",
                                                       birth_date=date(2017, 1, 2)), today=TODAY)
        other = open_database(pg_url)
        with other.session() as s:
            school_id = s.scalar(sa.text("SELECT id FROM schools"))
            theirs = pf.create_pupil(s, school_id, pf.PupilData(
                first_name="Ties", last_name="Ander", birth_date=date(2016, 3, 4)), today=TODAY)
            theirs_id = theirs.id
        other.dispose()
        first = heard.get(timeout=10)
    finally:
        listener.stop()
        db.dispose()
    assert first.pupil_id == theirs_id


def test_sqlite_has_nobody_to_listen_to(tmp_path: Path) -> None:
    db = open_database(tmp_path / "alleen.sqlite")
    try:
        assert listener_for(db.engine, lambda _change: None) is None
    finally:
        db.dispose()


def test_an_unreadable_payload_means_refresh_everything() -> None:
    assert Change.parse("pupils:12") == Change("pupils", 12)
    assert Change.parse("opp_versions:") == Change("opp_versions", None)
    assert Change.parse("") == Change("*", None)
