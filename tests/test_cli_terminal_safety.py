"""The command line never passes a terminal escape from a name to the terminal, and a file
made from a pupil's name holds no trick (a bidi override, a path)."""

from __future__ import annotations

import sqlalchemy as sa

from ib_desktop.cli import main
from ib_desktop.models import Opp, Pupil, PupilStatus
from tests.importer_exports import rows_as_table, this_year, write_csv

HOSTILE_NAME = "Ali\x1b[2J\x1b]0;pwned\x07"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\x9b" not in text
    assert "pwned" not in text  # the window title payload goes with its escape


def test_pupils_list_shows_no_escape_from_a_name(demo_db, capsys) -> None:
    with demo_db.session() as s:
        pupil = s.scalars(
            sa.select(Pupil).where(Pupil.status == PupilStatus.ACTIEF).order_by(Pupil.id)
        ).first()
        pupil.first_name = HOSTILE_NAME
        pid = pupil.id
    code, out, _ = run(capsys, "pupils", "--database", str(demo_db.path))
    assert code == 0
    assert_terminal_safe(out)
    row = next(line for line in out.splitlines() if line.split()[:1] == [str(pid)])
    assert ", Ali" in row


def test_an_error_quoting_a_name_shows_no_escape(demo_db, tmp_path, capsys) -> None:
    code, out, err = run(
        capsys, "print", "overview", "--pupil", "Zzz\x1b]0;pwned\x07\x1b[31m", "-o",
        str(tmp_path / "x.pdf"), "--database", str(demo_db.path),
    )  # fmt: skip
    assert code == 2
    assert err  # the pupil is not found: said on stderr, with the name as given
    assert_terminal_safe(out + err)


def test_import_report_shows_no_escape_from_the_file(tmp_path, capsys) -> None:
    school = tmp_path / "school.sqlite"
    assert main(["init", "--school", "OBS De Linde", "--database", str(school)]) == 0
    table = rows_as_table(this_year())
    table.append(["3001", HOSTILE_NAME, "", "Bo", "01-02-2019", "M", "\x1b[31mUilen", "", ""])
    # A file name is user text too (on Linux it may hold an escape).
    export = write_csv(tmp_path / "leer\x1b]0;pwned\x07lingen.csv", table)
    capsys.readouterr()
    code, out, err = run(capsys, "import", str(export), "--database", str(school))
    assert code == 0, err
    assert "Groep 'Uilen' is niet te herkennen" in out  # reported, without its colour code
    assert "Bestand:     leerlingen.csv" in out
    assert_terminal_safe(out + err)


def test_a_pupil_file_name_has_no_bidi_override_or_path(demo_db, tmp_path, capsys) -> None:
    with demo_db.session() as s:
        pupils = list(
            s.scalars(
                sa.select(Pupil)
                .join(Opp, Opp.pupil_id == Pupil.id)
                .where(Pupil.status == PupilStatus.ACTIEF, Opp.end_date.is_(None))
                .order_by(Pupil.id)
            ).unique()
        )
        target = pupils[0]
        group_id = target.group_id
        others = [p for p in pupils if p.group_id == group_id and p.id != target.id]
        target.first_name, target.tussenvoegsel, target.last_name = "Bo", "", "\u202eexe.fdp"
        others[0].first_name, others[0].tussenvoegsel = "Bo", ""
        others[0].last_name = "../../buiten"
        group_name = target.group.name
    folder = tmp_path / "opps"
    code, _, err = run(
        capsys, "print", "opp", "--group", group_name, "-o", f"{folder}/",
        "--database", str(demo_db.path),
    )  # fmt: skip
    assert code == 0, err
    names = sorted(f.name for f in folder.iterdir())
    assert "OPP exe.fdp, Bo.pdf" in names
    assert not any("\u202e" in n for n in names)
    assert not list(tmp_path.glob("*buiten*"))  # nothing written outside the folder
    assert "OPP .. .. buiten, Bo.pdf" in names


def test_a_calendar_on_the_screen_keeps_its_line_ends(demo_db, capsys) -> None:
    with demo_db.session() as s:
        s.scalars(sa.select(Pupil).order_by(Pupil.id)).first().first_name = HOSTILE_NAME
    code, out, err = run(
        capsys, "agenda", "--ics", "-", "--today", "18-11-2026", "--database", str(demo_db.path)
    )
    assert code == 0, err
    assert out.startswith("BEGIN:VCALENDAR\r\n")  # RFC 5545 wants CRLF, and gets it
    assert "\n" not in out.replace("\r\n", "")
    assert_terminal_safe(out)
