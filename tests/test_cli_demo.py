"""``ib-desktop demo`` only creates a new database or replaces one it made itself; a database
with a real school (a file or a shared server) is refused, ``--force`` included (issue 14)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop.cli import main
from ib_desktop.demo import DEMO_MARK, DemoRefusedError, demo_state, generate
from ib_desktop.models import Pupil, PupilStatus, School, Setting
from ib_desktop.storage import instance_lock, open_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schools(database: str | Path) -> list[str]:
    db = open_database(database)
    try:
        with db.session() as s:
            return list(s.scalars(sa.select(School.name).order_by(School.id)))
    finally:
        db.dispose()


def active_pupils(s) -> int:
    return s.scalar(
        sa.select(sa.func.count()).select_from(Pupil).where(Pupil.status == PupilStatus.ACTIEF)
    )


@pytest.fixture
def real_school(tmp_path: Path) -> Path:
    path = tmp_path / "echt.sqlite"
    assert main(["init", "--school", "OBS Het Echte Leven", "--database", str(path)]) == 0
    return path


@pytest.fixture
def no_gui(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "ib_desktop.ui.app.run_gui", lambda *a, **k: pytest.fail("the app must not start")
    )


@pytest.mark.parametrize("option", [[], ["--force"], ["--open"], ["--force", "--open"]])
def test_demo_never_replaces_a_real_school(real_school: Path, option, no_gui, capsys) -> None:
    before = digest(real_school)
    assert main(["demo", "--pupils", "10", *option, "--database", str(real_school)]) == 2
    err = capsys.readouterr().err
    assert "echte school" in err
    assert "niets gewijzigd" in err
    assert digest(real_school) == before
    assert schools(real_school) == ["OBS Het Echte Leven"]


def test_demo_refuses_a_school_that_is_open_in_the_app(tmp_path: Path, no_gui, capsys) -> None:
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--pupils", "10", "--database", str(path)]) == 0
    lock = instance_lock(path)  # the app has it open
    try:
        before = digest(path)
        assert main(["demo", "--pupils", "10", "--force", "--database", str(path)]) == 2
    finally:
        lock.release()
    assert "geopend in IB Desktop" in capsys.readouterr().err
    assert digest(path) == before


def test_demo_replaces_its_own_database_with_force(tmp_path: Path, capsys) -> None:
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--pupils", "12", "--seed", "1", "--database", str(path)]) == 0
    assert main(["demo", "--pupils", "12", "--database", str(path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["demo", "--pupils", "30", "--seed", "2", "--force", "--database", str(path)]) == 0
    db = open_database(path)
    with db.session() as s:
        assert active_pupils(s) == 30
        assert len(s.scalars(sa.select(School)).all()) == 1
        assert demo_state(s) is True
    db.dispose()


def test_a_demo_database_with_a_real_school_added_is_no_longer_a_demo(
    tmp_path: Path, capsys
) -> None:
    from ib_desktop.services.school import create_school

    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--pupils", "10", "--database", str(path)]) == 0
    db = open_database(path)
    with db.session() as s:
        create_school(s, "OBS Toch Echt")
    db.dispose()
    before = digest(path)
    assert main(["demo", "--pupils", "10", "--force", "--database", str(path)]) == 2
    assert "echte school" in capsys.readouterr().err
    assert digest(path) == before


def test_the_generator_itself_refuses_a_database_with_a_real_school(school_db) -> None:
    with pytest.raises(DemoRefusedError, match="echte school"):
        generate(school_db, pupils=5, seed=1)
    with school_db.session() as s:
        assert s.scalars(sa.select(School.name)).all() == ["Basisschool De Test"]
        assert s.scalar(sa.select(sa.func.count()).select_from(Pupil)) == 0
        assert s.get(Setting, DEMO_MARK) is None


def test_demo_refuses_a_damaged_or_foreign_file(tmp_path: Path, capsys) -> None:
    notes = tmp_path / "notities.sqlite"
    notes.write_text("boodschappen\n")
    assert main(["demo", "--pupils", "5", "--force", "--database", str(notes)]) == 2
    assert "geen IB Desktop-database" in capsys.readouterr().err
    assert notes.read_text() == "boodschappen\n"


# ---------------------------------------------------------------------------- PostgreSQL
def test_demo_on_a_shared_server_with_a_school_is_refused(pg_url: str, no_gui, capsys) -> None:
    assert main(["init", "--school", "OBS Gedeeld", "--database", pg_url]) == 0
    for option in ([], ["--force"], ["--open"]):
        assert main(["demo", "--pupils", "5", *option, "--database", pg_url]) == 2
        err = capsys.readouterr().err
        assert "echte school" in err
    assert schools(pg_url) == ["OBS Gedeeld"]
    db = open_database(pg_url)
    with db.session() as s:
        assert s.get(Setting, DEMO_MARK) is None
    db.dispose()


def test_demo_on_an_empty_server_and_renewed_there(pg_url: str, capsys) -> None:
    assert main(["demo", "--pupils", "8", "--seed", "1", "--database", pg_url]) == 0
    assert main(["demo", "--pupils", "8", "--database", pg_url]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["demo", "--pupils", "11", "--force", "--database", pg_url]) == 0
    out = capsys.readouterr().out
    assert "11 leerlingen" in out
    password = sa.make_url(pg_url).password
    assert password
    assert password not in out
    db = open_database(pg_url)
    with db.session() as s:
        assert active_pupils(s) == 11
        assert s.scalars(sa.select(School.name)).all() == ["OBS De Regenboog"]
    db.dispose()


def _unmark(path: Path) -> None:
    """What a demo made by an older version looks like: no mark."""
    db = open_database(path)
    with db.session() as s:
        s.delete(s.get(Setting, DEMO_MARK))
    db.dispose()


def test_an_older_unmarked_demo_is_renewed_only_in_its_own_default_file(
    tmp_path: Path, capsys
) -> None:
    from ib_desktop.commands.demo import default_demo_path

    assert main(["demo", "--pupils", "6"]) == 0
    _unmark(default_demo_path())
    assert main(["demo", "--pupils", "7", "--force"]) == 0
    elsewhere = tmp_path / "kopie.sqlite"
    assert main(["demo", "--pupils", "6", "--database", str(elsewhere)]) == 0
    _unmark(elsewhere)
    before = digest(elsewhere)
    capsys.readouterr()
    assert main(["demo", "--pupils", "6", "--force", "--database", str(elsewhere)]) == 2
    assert "echte school" in capsys.readouterr().err
    assert digest(elsewhere) == before
