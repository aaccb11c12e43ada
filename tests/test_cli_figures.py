"""``ib-desktop figures`` and ``ib-desktop deadlines`` on the demo school."""

from __future__ import annotations

import io

import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from ib_desktop.cli import main
from ib_desktop.models import Group
from ib_desktop.services.deadlines import collect
from ib_desktop.services.figures import year_figures
from tests.conftest import TODAY

DAY = "18-11-2026"


def test_figures_on_the_terminal(demo_db, capsys) -> None:
    with demo_db.session() as s:
        want = year_figures(s, demo_db.school_id, "2025-2026", today=TODAY)
    path = str(demo_db.path)
    demo_db.dispose()
    code = main(["figures", "--school-year", "2025-2026", "--database", path, "--today", DAY])
    out = capsys.readouterr().out
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("Aantal leerlingen"))
    assert line.split()[-1] == str(want.pupils)
    assert "2023-2024 (teldatum 01-10-2023)" in out
    assert "Leerlingen per niveau per groep op 01-10-2025" in out


def test_figures_as_xlsx_keep_formulas_out(demo_db, tmp_path, capsys) -> None:
    with demo_db.session() as s:
        group = s.scalars(sa.select(Group).order_by(Group.id.desc())).first()
        group.name = "=1+1"  # a group name typed as a formula stays text
        want = year_figures(s, demo_db.school_id, "2026-2027", today=TODAY)
    path = str(demo_db.path)
    demo_db.dispose()
    out = tmp_path / "kengetallen.xlsx"
    code = main(["figures", "-o", str(out), "--database", path, "--today", DAY])
    assert code == 0, capsys.readouterr().err
    rows = [[c.value for c in r] for r in load_workbook(out).active.iter_rows()]
    assert rows[0][3] == "2026-2027 (teldatum 01-10-2026)"
    assert rows[1][0] == "Aantal leerlingen"
    assert rows[1][3] == want.pupils
    cells = [c for r in load_workbook(out).active.iter_rows() for c in r if c.value == "=1+1"]
    assert cells
    assert all(c.data_type == "s" for c in cells)


def test_figures_as_pdf_and_a_wrong_year(demo_db, tmp_path, capsys) -> None:
    path = str(demo_db.path)
    demo_db.dispose()
    out = tmp_path / "kengetallen.pdf"
    args = ["figures", "--years", "4", "-o", str(out), "--database", path, "--today", DAY]
    assert main(args) == 0
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "Kengetallen schoolondersteuningsprofiel" in text
    assert "2023-2024" in text
    capsys.readouterr()
    assert main(["figures", "-o", str(tmp_path / "x.docx"), "--database", path]) == 2
    assert ".xlsx of .pdf" in capsys.readouterr().err


def test_deadlines_lists_every_clock(demo_db, capsys) -> None:
    with demo_db.session() as s:
        want = collect(s, demo_db.school_id, TODAY)
    path = str(demo_db.path)
    demo_db.dispose()
    assert main(["deadlines", "--database", path, "--today", DAY]) == 0
    out = capsys.readouterr().out
    late = sum(d.is_overdue(TODAY) for d in want)
    assert f"{len(want)} termijnen, waarvan {late} te laat." in out
    for d in want:
        assert d.what in out
    assert main(["deadlines", "--overdue", "--database", path, "--today", DAY]) == 0
    out = capsys.readouterr().out
    assert "nog " not in out.split("Wat te doen")[1]
