"""A path is a path: names with ``?``, ``#``, spaces and accents open, save, back up and restore
the file they name, never another (issue 14)."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ib_desktop import backup as bk
from ib_desktop.cli import main
from ib_desktop.models import School
from ib_desktop.services.school import create_school
from ib_desktop.storage import open_database, resolve_url, sqlite_path

NFD_E = unicodedata.normalize("NFD", "é")  # "e" followed by a combining accent
NAMES = [
    ("map?met=vraag", "school?v=2.sqlite"),
    ("map#1", "school#2.sqlite"),
    ("mijn map", "de school.sqlite"),
    ("Scholen é ı", "Büyükçekmece ılık.sqlite"),
    (f"Cr{NFD_E}che", f"{NFD_E}cole%20&x.sqlite"),
]


def school_names(path: Path) -> list[str]:
    db = open_database(path, readonly=True, migrate=False)
    try:
        with db.session() as s:
            return list(s.scalars(sa.select(School.name).order_by(School.id)))
    finally:
        db.dispose()


@pytest.mark.parametrize(("folder", "name"), NAMES)
def test_open_write_backup_restore(tmp_path: Path, folder: str, name: str) -> None:
    path = tmp_path / folder / name
    assert sqlite_path(resolve_url(path)) == path
    db = open_database(path)
    assert db.path == path
    with db.session() as s:
        create_school(s, "De Klimop")
    db.dispose()
    # Exactly this file holds the school: no other file was made beside it.
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(".lock")) == [name]
    assert school_names(path) == ["De Klimop"]

    made = bk.make_backup(path, tmp_path / folder / "back-ups", reason=bk.MANUAL)
    assert made.path.name.startswith(path.stem + "_")
    assert made.counts is not None

    db = open_database(path)
    with db.session() as s:
        s.execute(sa.update(School).values(name="Verkeerd"))
    db.dispose()
    assert school_names(path) == ["Verkeerd"]
    result = bk.restore_backup(made.path, path, folder=tmp_path / folder / "back-ups")
    assert result.safety_backup is not None
    assert school_names(path) == ["De Klimop"]
    assert [b.path for b in bk.list_backups(tmp_path / folder / "back-ups", stem=path.stem)]


@pytest.mark.parametrize(("folder", "name"), NAMES)
def test_the_commands_use_the_named_file(
    tmp_path: Path, folder: str, name: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    path = tmp_path / folder / name
    assert main(["init", "--school", "De Klimop", "--database", str(path)]) == 0
    assert main(["info", "--database", str(path)]) == 0
    assert "De Klimop" in capsys.readouterr().out
    assert main(["backup", "--database", str(path)]) == 0
    assert main(["restore", "--latest", "--yes", "--database", str(path)]) == 0
    assert school_names(path) == ["De Klimop"]
    assert "Fout" not in capsys.readouterr().err
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    # Nothing was made anywhere else ("home" holds the test's data and backup folders).
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([folder, "home"])


NAME_CHARS = st.sampled_from(list("ab?#%&=+;@:[] ~é\u0131\u0301ËçØ'\"!$(),") + ["%20", "%3F"])


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(NAME_CHARS, min_size=1, max_size=12).map("".join))
def test_any_file_name_is_the_file_opened(tmp_path: Path, stem: str) -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # one fresh folder per example
    path = folder / f"{stem}.sqlite"
    assert sqlite_path(resolve_url(path)) == path
    assert sqlite_path(resolve_url(str(path))) == path
    open_database(path).dispose()
    assert [p.name for p in folder.iterdir() if not p.name.endswith(".lock")] == [path.name]
    db = open_database(path, readonly=True)  # the read-only form is a file: URI
    try:
        assert db.path == path
        assert school_names(path) == []
    finally:
        db.dispose()
