"""No file the app writes for Excel carries a formula, whatever the pupils are called.

Each writer gets hostile names (OWASP's CSV-injection triggers) and is read back as Excel would
see it; a scan of the source makes sure no module writes spreadsheets past the one helper.
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

import ib_desktop
from ib_desktop.cli import main
from ib_desktop.models import Group, Opp
from ib_desktop.services.opp.register import CSV_HEADERS, opp_register, write_register_csv
from ib_desktop.spreadsheet_safety import (
    FORMULA_TRIGGERS,
    csv_text,
    looks_like_formula,
    neutralise,
    write_csv,
    write_xlsx,
)
from tests.conftest import TODAY
from tests.importer_exports import rows_as_table, this_year
from tests.importer_exports import write_csv as write_export

HOSTILE = ['=HYPERLINK("http://x","klik")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]
PLAIN = ["-3", "-2,5", "-1.000,50", "12-03-2026", "Zoë", "Yılmaz", "a=b", "", "3+4", "'t Hart"]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def assert_no_formula(records: list[list[str]]) -> None:
    for record in records:
        for cell in record:
            assert not looks_like_formula(cell), (cell, record)


# ------------------------------------------------------------------------- the neutraliser


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_gets_a_quote_in_front(value) -> None:
    assert looks_like_formula(value)
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [*PLAIN, -3, -2.5, 0, None])
def test_numbers_dates_and_names_stay_as_they_are(value) -> None:
    assert neutralise(value) == value


@given(st.text())
def test_no_text_starts_a_formula_once_neutralised(value: str) -> None:
    out = neutralise(value)
    assert isinstance(out, str)
    assert out in (value, "'" + value)  # nothing is lost: at most a quote in front
    assert not looks_like_formula(out)
    if out.startswith(FORMULA_TRIGGERS):  # only a plain negative number may
        assert out[0] == "-"
        assert out[1:2].isdigit()
        assert set(out[1:]) <= set("0123456789.,")
    assert neutralise(out) == out  # neutralising twice adds nothing


@given(st.integers(), st.integers(min_value=0, max_value=99))
def test_plain_negative_numbers_are_never_touched(whole: int, cents: int) -> None:
    for text in (str(-abs(whole)), f"-{abs(whole)},{cents:02d}", f"-{abs(whole)}.{cents}"):
        assert neutralise(text) == text


@given(st.text().filter(lambda t: not t.startswith(FORMULA_TRIGGERS)))
def test_text_without_a_trigger_in_front_is_untouched(value: str) -> None:
    assert neutralise(value) == value


def test_csv_text_reads_back_with_every_formula_as_text() -> None:
    text = csv_text([["naam", "getal"], *([h, p] for h, p in zip(HOSTILE, PLAIN, strict=False))])
    records = list(csv.reader(text.splitlines(keepends=True), delimiter=";"))
    assert_no_formula(records)
    assert [r[0] for r in records[1:]] == ["'" + h for h in HOSTILE]
    assert [r[1] for r in records[1:]] == PLAIN[: len(HOSTILE)]


def test_write_csv_is_excel_csv(tmp_path) -> None:
    target = write_csv(tmp_path / "x.csv", [["a", "=1+1"], [-3, "-2,5"]])
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    assert read_csv(target) == [["a", "'=1+1"], ["-3", "-2,5"]]


def test_xlsx_cells_are_text_never_formulas(tmp_path) -> None:
    rows = [HOSTILE, PLAIN, [-3, 2.5, None]]
    target = write_xlsx(tmp_path / "x.xlsx", rows)
    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    # The text is kept (XML reads a carriage return as a newline); only its type says "text".
    assert values[0][: len(HOSTILE)] == [h.replace("\r", "\n") for h in HOSTILE]
    for cell in sheet[1][: len(HOSTILE)]:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert values[1][: len(PLAIN)] == [p or None for p in PLAIN]  # an empty cell reads as None
    for cell in sheet[2]:
        if cell.value is not None:
            assert cell.data_type == "s"
            assert not cell.quotePrefix
    assert values[2][:2] == [-3, 2.5]
    assert sheet.cell(3, 1).data_type == "n"


# ------------------------------------------------------------------------- every writer


def test_opp_register_csv_has_no_formulas(demo_db, tmp_path) -> None:
    with demo_db.session() as s:
        opps = list(s.scalars(sa.select(Opp).order_by(Opp.id)).all())[: len(HOSTILE) + 2]
        for opp, bad in zip(opps, HOSTILE, strict=False):
            opp.pupil.first_name = bad
        opps[0].pupil.lvs_id = "=1+1"
        opps[1].pupil.lvs_id = "-3"
        opps[2].pupil.last_name = "-2,5"
        s.get(Group, opps[3].pupil.group_id).name = "@SUM(A1)"
    with demo_db.session() as s:
        rows = opp_register(s, demo_db.school_id, today=TODAY)
    records = read_csv(write_register_csv(rows, tmp_path / "register.csv"))
    assert records[0] == list(CSV_HEADERS)
    assert_no_formula(records)
    cells = {cell for record in records for cell in record}
    assert '\'=HYPERLINK("http://x","klik")' in {c.split(" ")[0] for c in cells}
    assert {"'=1+1", "-3", "'@SUM(A1)"} <= cells
    # The sort name "-2,5, -1+2" is no number: Excel would calculate it.
    assert any(c.startswith("'-2,5, ") for c in cells)
    assert all(not r[3] or r[3][2] == "-" for r in records[1:])  # dates as 12-03-2026


def test_print_opp_register_command_writes_no_formulas(demo_db, tmp_path, capsys) -> None:
    with demo_db.session() as s:
        opp = s.scalars(sa.select(Opp).order_by(Opp.id)).first()
        opp.pupil.first_name = "@SUM(A1)"
        opp.pupil.lvs_id = "+31"
    target = tmp_path / "register.csv"
    code = main(["print", "opp-register", "-o", str(target), "--database", str(demo_db.path)])
    assert code == 0, capsys.readouterr().err
    records = read_csv(target)
    assert_no_formula(records)
    row = next(r for r in records if r[0] == "'+31")
    assert row[1].startswith("'@SUM(A1) ")


def test_rejected_rows_csv_has_no_formulas(tmp_path, capsys) -> None:
    school = tmp_path / "school.sqlite"
    assert main(["init", "--school", "OBS De Linde", "--database", str(school)]) == 0
    table = rows_as_table(this_year()[:2])
    # Rejected (a date that does not exist), with a hostile value in every column.
    table.append(["=1+1", '=HYPERLINK("http://x","klik")', "+1", "-1+2", "31-02-2019",
                  "@SUM(A1)", "3", "\t=1", "-3"])  # fmt: skip
    export = write_export(tmp_path / "leerlingen.csv", table)
    out_csv = tmp_path / "afgewezen.csv"
    argv = ["import", str(export), "--rejected-out", str(out_csv), "--database", str(school)]
    assert main(argv) == 0, capsys.readouterr().err
    records = read_csv(out_csv)
    assert len(records) == 2
    assert_no_formula(records)
    row = records[1]
    assert row[2:4] == ["'=1+1", '\'=HYPERLINK("http://x","klik")']
    assert row[-1] == "-3"


# ------------------------------------------------------------------------- no writer slips by

ALLOWED = {"ib_desktop/spreadsheet_safety.py"}


def spreadsheet_writes(source: str) -> list[str]:
    """Where ``source`` writes a CSV or a workbook itself (csv.writer, DictWriter, openpyxl)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter"):
            if isinstance(node.value, ast.Name) and node.value.id == "csv":
                found.append(f"csv.{node.attr} (line {node.lineno})")
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {a.name for a in node.names}
            if node.module == "csv" and names & {"writer", "DictWriter"}:
                found.append(f"from csv import ... (line {node.lineno})")
            if node.module.startswith("openpyxl") and names & {"Workbook", "WriteOnlyCell"}:
                found.append(f"from openpyxl import Workbook (line {node.lineno})")
        elif isinstance(node, ast.Attribute) and node.attr in ("Workbook", "WriteOnlyCell"):
            found.append(f"openpyxl.{node.attr} (line {node.lineno})")
    return found


def test_the_scan_finds_every_way_of_writing_a_spreadsheet() -> None:
    assert spreadsheet_writes("import csv\nw = csv.writer(fh)\n")
    assert spreadsheet_writes("import csv\nw = csv.DictWriter(fh, ['a'])\n")
    assert spreadsheet_writes("from csv import writer\n")
    assert spreadsheet_writes("from openpyxl import Workbook\n")
    assert spreadsheet_writes("import openpyxl\nwb = openpyxl.Workbook()\n")
    assert not spreadsheet_writes("import csv\nr = csv.reader(fh)\n")
    assert not spreadsheet_writes("import openpyxl\nwb = openpyxl.load_workbook(p)\n")


def test_only_the_safety_module_writes_spreadsheets() -> None:
    root = Path(ib_desktop.__file__).resolve().parent
    offenders = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        found = spreadsheet_writes(path.read_text(encoding="utf-8"))
        if rel in ALLOWED:
            assert found, "the scan no longer sees the helper's own writer"
        elif found:
            offenders[rel] = found
    assert not offenders, (
        "write CSV and XLSX files through ib_desktop.spreadsheet_safety "
        f"(csv_text, write_csv, write_xlsx), so that no cell is a formula: {offenders}"
    )
