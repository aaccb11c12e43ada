"""The command line: ``demo`` then ``info`` reports what is in the database."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from ib_desktop.cli import main
from ib_desktop.models import LevelAssignment, Pupil, PupilStatus
from ib_desktop.storage import open_database


def test_demo_then_info(tmp_path: Path, capsys) -> None:
    path = tmp_path / "school.sqlite"
    assert main(["demo", "--pupils", "150", "--seed", "3", "--database", str(path)]) == 0
    capsys.readouterr()
    assert main(["info", "--database", str(path)]) == 0
    out = capsys.readouterr().out
    assert "OBS De Regenboog" in out
    assert "12AB" in out
    assert "150 actief" in out
    db = open_database(path)
    with db.session() as s:  # the printed level counts are the database's own
        rows = s.execute(
            sa.select(LevelAssignment.level_id, sa.func.count())
            .join(Pupil)
            .where(LevelAssignment.end_date.is_(None), Pupil.status == PupilStatus.ACTIEF)
            .group_by(LevelAssignment.level_id)
            .order_by(LevelAssignment.level_id)
        ).all()
    db.dispose()
    printed = [int(n) for n in re.findall(r"^\s+\d\. .*?\s(\d+)\s+\(", out, re.M)]
    assert printed == [n for _, n in rows]
    assert re.search(r"OPP's\s+\d+", out)
    assert re.search(r"korte interventies \(actief\)\s+\d+", out)


def test_demo_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    path = tmp_path / "school.sqlite"
    assert main(["demo", "--pupils", "20", "--database", str(path)]) == 0
    assert main(["demo", "--pupils", "20", "--database", str(path)]) == 2
    assert "--force" in capsys.readouterr().err


def test_info_on_a_foreign_file_says_so(tmp_path: Path, capsys) -> None:
    f = tmp_path / "x.sqlite"
    f.write_text("geen database")
    assert main(["info", "--database", str(f)]) == 2
    assert "geen IB Desktop-database" in capsys.readouterr().err


def test_console_script_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ib_desktop", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    for name in ("demo", "info"):
        assert name in result.stdout
