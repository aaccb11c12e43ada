"""``ib-desktop init`` and ``ib-desktop import``: a school set up and filled from the command
line."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop.cli import main
from ib_desktop.models import Pupil, PupilStatus, School, Setting
from ib_desktop.storage import open_database
from tests.importer_exports import dump, next_year, rows_as_table, this_year, write_csv, write_xlsx


@pytest.fixture
def school_file(tmp_path: Path, capsys) -> Path:
    """A database set up with ``init``."""
    path = tmp_path / "school.sqlite"
    assert (
        main(
            [
                "init",
                "--school",
                "OBS De Linde",
                "--brin",
                "12ab",
                "--swv",
                "SWV Midden",
                "--database",
                str(path),
            ]
        )
        == 0
    )
    capsys.readouterr()
    return path


def count(out: str, label: str) -> int:
    """The number the report prints after "Nieuw:", "Ongewijzigd:", ..."""
    m = re.search(rf"^\s+{label}:\s+(\d+)", out, re.M)
    assert m, out
    return int(m.group(1))


def snapshot(path: Path) -> dict:
    db = open_database(path)
    try:
        return dump(db)
    finally:
        db.dispose()


def pupils(path: Path) -> list[Pupil]:
    db = open_database(path)
    try:
        with db.session() as s:
            return list(s.scalars(sa.select(Pupil).order_by(Pupil.lvs_id)))
    finally:
        db.dispose()


# ----------------------------------------------------------------------------- init


def test_init_sets_up_the_school(tmp_path, capsys) -> None:
    path = tmp_path / "nieuw.sqlite"
    code = main(
        [
            "init",
            "--school",
            "De Bloemaert",
            "--structure",
            "vijf-niveaus",
            "--region",
            "zuid",
            "--database",
            str(path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "School 'De Bloemaert' ingericht" in out
    assert "(5 niveaus)" in out
    db = open_database(path)
    with db.session() as s:
        school = s.scalars(sa.select(School)).one()
        assert (school.name, school.region.value) == ("De Bloemaert", "zuid")
        assert [lvl.position for lvl in school.support_structure.levels] == [1, 2, 3, 4, 5]
    db.dispose()


def test_init_refuses_a_database_that_has_a_school(school_file, capsys) -> None:
    before = snapshot(school_file)
    assert main(["init", "--school", "Nog een school", "--database", str(school_file)]) == 2
    assert "bevat al een school (OBS De Linde)" in capsys.readouterr().err
    assert snapshot(school_file) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--structure", "zes-niveaus"], "onbekende structuur 'zes-niveaus'"),
        (["--brin", "XYZ"], "BRIN-nummer bestaat uit twee cijfers en twee letters"),
    ],
)
def test_init_explains_bad_input(tmp_path, capsys, args, message) -> None:
    assert main(["init", "--school", "OBS X", *args, "--database", str(tmp_path / "x.sqlite")]) == 2
    assert message in capsys.readouterr().err


# ----------------------------------------------------------------------------- import


def test_import_into_a_new_school_then_again(school_file, tmp_path, capsys) -> None:
    export = write_csv(tmp_path / "leerlingen.csv", rows_as_table(this_year()), encoding="cp1252")
    assert main(["import", str(export), "--date", "1-10-2025", "--database", str(school_file)]) == 0
    out = capsys.readouterr().out
    assert "CSV, Windows-1252, gescheiden door puntkomma" in out
    assert count(out, "Nieuw") == 26
    assert count(out, "Afgewezen") == 0
    assert re.search(r"Nieuwe groepen:\s+1/2, 3, 4, 5A, 5B, 6, 7, 8\n", out)
    assert "Geïmporteerd: 26 nieuw" in out
    assert len(pupils(school_file)) == 26

    before = snapshot(school_file)
    assert main(["import", str(export), "--date", "1-10-2025", "--database", str(school_file)]) == 0
    out = capsys.readouterr().out
    assert count(out, "Ongewijzigd") == 26
    assert count(out, "Nieuw") == 0
    after = snapshot(school_file)
    for table in ("pupils", "groups", "group_memberships", "staff", "level_assignments"):
        assert after[table] == before[table]


def test_dry_run_changes_nothing(school_file, tmp_path, capsys) -> None:
    export = write_csv(tmp_path / "leerlingen.csv", rows_as_table(this_year()))
    before = snapshot(school_file)
    assert main(["import", str(export), "--dry-run", "--database", str(school_file)]) == 0
    out = capsys.readouterr().out
    assert count(out, "Nieuw") == 26
    assert "Proefimport (--dry-run): er is niets gewijzigd." in out
    assert snapshot(school_file) == before


def test_next_year_leavers_are_only_marked_with_confirmation(school_file, tmp_path, capsys) -> None:
    first = write_csv(tmp_path / "2025.csv", rows_as_table(this_year()))
    assert main(["import", str(first), "--date", "1-10-2025", "--database", str(school_file)]) == 0
    capsys.readouterr()
    second = write_csv(tmp_path / "2026.csv", rows_as_table(next_year(this_year())), delimiter=",")
    assert main(["import", str(second), "--date", "1-9-2026", "--database", str(school_file)]) == 0
    out = capsys.readouterr().out
    assert count(out, "Vertrekt") == 4
    assert "(als vertrokken gemarkeerd: 0)" in out
    assert "Sophie Dijkstra (groep 8, geboren 08-08-2014)" in out
    assert "importeer dan opnieuw met --confirm-leavers" in out
    assert all(p.status == PupilStatus.ACTIEF for p in pupils(school_file))

    assert (
        main(
            [
                "import",
                str(second),
                "--date",
                "1-9-2026",
                "--confirm-leavers",
                "--database",
                str(school_file),
            ]
        )
        == 0
    )
    left = [p.first_name for p in pupils(school_file) if p.status == PupilStatus.VERTROKKEN]
    assert sorted(left) == ["Chloë", "Milan", "Nora", "Sophie"]


def test_rejected_rows_are_reported_and_written_out(school_file, tmp_path, capsys) -> None:
    table = rows_as_table(this_year()[:3])
    table.append(["3001", "Klaassen", "", "Bo", "31-02-2019", "M", "3", "", ""])
    table.append(["3002", "Aksoy", "", "Elif", "01-02-2019", "V", "Uilen", "", ""])
    export = write_csv(tmp_path / "leerlingen.csv", table)
    out_csv = tmp_path / "afgewezen.csv"
    code = main(
        ["import", str(export), "--rejected-out", str(out_csv), "--database", str(school_file)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "rij 5: Geboortedatum '31-02-2019' bestaat niet" in out
    assert "rij 6: Groep 'Uilen' is niet te herkennen" in out
    assert f"De 2 afgewezen rijen staan in {out_csv}" in out
    with out_csv.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert [r[0] for r in rows] == ["Rij", "5", "6"]
    assert len(pupils(school_file)) == 3


def test_mapping_on_the_command_line_is_used_and_remembered(school_file, tmp_path, capsys) -> None:
    table = [["Nr", "Familienaam", "Roep", "Geb", "Lokaal"]]
    table += [
        [r.lvs_id, f"{r.tv} {r.last}".strip(), r.first, r.birth.strftime("%d-%m-%Y"), r.group]
        for r in this_year()
    ]
    export = write_csv(tmp_path / "eigen.csv", table)
    code = main(["import", str(export), "--mapping", "Roep=roepnaam",
                 "--mapping", "Geb=geboortedatum", "--mapping", "Lokaal=groep",
                 "--database", str(school_file)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "Lokaal -> Groep" in capsys.readouterr().out
    daan = next(p for p in pupils(school_file) if p.lvs_id == "2002")
    assert (daan.tussenvoegsel, daan.last_name) == ("van der", "Berg")
    # Next time the same layout needs no --mapping.
    assert main(["import", str(export), "--dry-run", "--database", str(school_file)]) == 0
    assert count(capsys.readouterr().out, "Ongewijzigd") == 26
    db = open_database(school_file)
    with db.session() as s:
        assert (
            s.scalar(
                sa.select(sa.func.count())
                .select_from(Setting)
                .where(Setting.key.like("import.mapping.%"))
            )
            == 1
        )
    db.dispose()


def test_xlsx_import(school_file, tmp_path, capsys) -> None:
    export = write_xlsx(tmp_path / "leerlingen.xlsx", this_year(), serial_dates=True)
    assert main(["import", str(export), "--database", str(school_file)]) == 0
    assert "Excel-werkblad 'Leerlingen'" in capsys.readouterr().out
    assert len(pupils(school_file)) == 26


# ----------------------------------------------------------------------------- refusals


def _raw(name: str, content: bytes):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def _truncated_xlsx(tmp_path: Path) -> Path:
    data = write_xlsx(tmp_path / "goed.xlsx", this_year()).read_bytes()
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


@pytest.mark.parametrize(
    ("make", "extra", "message"),
    [
        (lambda d: d / "weg.csv", [], "bestaat niet"),
        (_raw("leeg.csv", b""), [], "is leeg"),
        (_raw("rommel.csv", bytes(range(256)) * 50), [], "geen tekst- of CSV-bestand"),
        (_truncated_xlsx, [], "beschadigd of niet volledig"),
        (
            lambda d: write_csv(d / "utf16.csv", rows_as_table(this_year()), encoding="utf-16"),
            ["--encoding", "utf-8"],
            "niet in de tekenset 'utf-8'",
        ),
        (
            lambda d: write_csv(d / "vreemd.csv", [["Code", "Lokaal"], ["1", "5"]]),
            [],
            "geen kolom met de achternaam",
        ),
        (
            lambda d: write_csv(d / "goed.csv", rows_as_table(this_year())),
            ["--mapping", "Klas=groep"],
            "geen kolom 'Klas'",
        ),
        (
            lambda d: write_csv(d / "goed.csv", rows_as_table(this_year())),
            ["--partial", "--confirm-leavers"],
            "niet samen met --partial",
        ),
    ],
    ids=[
        "missing",
        "empty",
        "binary",
        "truncated-xlsx",
        "wrong-encoding",
        "no-names",
        "bad-mapping",
        "partial-leavers",
    ],
)
def test_refused_imports_change_nothing(
    school_file, tmp_path, capsys, make, extra, message
) -> None:
    export = make(tmp_path)
    before = snapshot(school_file)
    assert main(["import", str(export), *extra, "--database", str(school_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: ")
    assert message in err
    assert snapshot(school_file) == before


def test_import_without_a_school_points_to_init(tmp_path, capsys) -> None:
    export = write_csv(tmp_path / "leerlingen.csv", rows_as_table(this_year()))
    missing = tmp_path / "bestaat-niet.sqlite"
    assert main(["import", str(export), "--database", str(missing)]) == 2
    assert "ib-desktop init --school NAAM" in capsys.readouterr().err
    assert not missing.exists()  # nothing was created
    empty = tmp_path / "leeg.sqlite"
    open_database(empty).dispose()
    assert main(["import", str(export), "--database", str(empty)]) == 2
    assert "bevat nog geen school" in capsys.readouterr().err


# ----------------------------------------------------------------------------- issue 16


def test_edexml_import_with_dry_run_then_for_real(school_file, tmp_path, capsys) -> None:
    from tests.importer_exports import write_edexml

    export = write_edexml(tmp_path / "EDEX.XML", brincode="12AB")
    before = snapshot(school_file)
    args = ["import", str(export), "--date", "1-10-2025", "--database", str(school_file)]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "EDEXML, schooljaar 2025-2026, BRIN 12AB" in out
    assert count(out, "Nieuw") == 6
    assert count(out, "Afgewezen") == 0
    assert re.search(r"Nieuwe groepen:\s+1/2, Uilen, 5A\n", out), out
    assert "Proefimport (--dry-run): er is niets gewijzigd." in out
    assert snapshot(school_file) == before

    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Geïmporteerd: 6 nieuw" in out
    by_number = {p.lvs_id: p for p in pupils(school_file)}
    assert (by_number["3001"].first_name, by_number["3001"].last_name) == ("Ayşe", "Yılmaz")
    assert by_number["3004"].last_name == "El Amrani"
    assert by_number["3003"].gender == "m"


def _known_pupil_then_new_number(school_file: Path, tmp_path: Path) -> Path:
    header = ["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Groep"]
    first = write_csv(tmp_path / "a.csv", [header, ["1001", "Yılmaz", "Ayşe", "12-03-2016", "5"]])
    assert main(["import", str(first), "--date", "1-10-2025", "--database", str(school_file)]) == 0
    return write_csv(
        tmp_path / "b.csv",
        [header, ["3001", "Yilmaz", "Ayse", "12-03-2016", "5"]],
        encoding="cp1252",
    )


def test_a_possible_twin_is_refused_until_decided(school_file, tmp_path, capsys) -> None:
    second = _known_pupil_then_new_number(school_file, tmp_path)
    capsys.readouterr()
    args = ["import", str(second), "--date", "1-10-2025", "--database", str(school_file)]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Twijfel" in out
    assert "rij 2: Ayse Yilmaz (leerlingnummer 3001)" in out
    assert "lijkt op Ayşe Yılmaz (leerlingnummer 1001, groep 5)" in out

    before = snapshot(school_file)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert "--same-pupil NUMMER" in captured.err
    assert "--other-pupil NUMMER" in captured.err
    assert "het gaat om: 3001" in captured.err
    assert "Er is niets gewijzigd" in captured.err
    assert snapshot(school_file) == before

    assert main([*args, "--same-pupil", "3001"]) == 0
    [pupil] = pupils(school_file)
    assert pupil.lvs_id == "3001"


def test_a_possible_twin_can_be_declared_another_pupil(school_file, tmp_path, capsys) -> None:
    second = _known_pupil_then_new_number(school_file, tmp_path)
    args = ["import", str(second), "--date", "1-10-2025", "--database", str(school_file)]
    assert main([*args, "--other-pupil", "3001"]) == 0
    assert [p.lvs_id for p in pupils(school_file)] == ["1001", "3001"]
    assert main([*args, "--same-pupil", "3001", "--other-pupil", "3001"]) == 2
    assert "zowel bij --same-pupil als bij --other-pupil" in capsys.readouterr().err


def test_a_large_share_of_leavers_asks_first(school_file, tmp_path, capsys) -> None:
    first = write_csv(tmp_path / "2025.csv", rows_as_table(this_year()))
    assert main(["import", str(first), "--date", "1-10-2025", "--database", str(school_file)]) == 0
    part = write_csv(tmp_path / "deel.csv", rows_as_table(this_year()[:10]))
    args = ["import", str(part), "--date", "1-10-2025", "--confirm-leavers",
            "--database", str(school_file)]  # fmt: skip
    before = snapshot(school_file)
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "16 van de 26 actieve leerlingen (62%)" in err
    assert "--confirm-many-leavers" in err
    assert snapshot(school_file) == before
    assert main([*args, "--confirm-many-leavers"]) == 0
    left = [p for p in pupils(school_file) if p.status == PupilStatus.VERTROKKEN]
    assert len(left) == 16
    assert {p.left_on for p in left} == {date(2025, 7, 31)}


def test_leavers_get_the_end_of_the_school_year_or_left_on(school_file, tmp_path, capsys) -> None:
    first = write_csv(tmp_path / "2025.csv", rows_as_table(this_year()))
    assert main(["import", str(first), "--date", "1-10-2025", "--database", str(school_file)]) == 0
    second = write_csv(tmp_path / "2026.csv", rows_as_table(next_year(this_year())))
    args = ["import", str(second), "--date", "14-9-2026", "--confirm-leavers",
            "--database", str(school_file)]  # fmt: skip
    assert main([*args, "--dry-run"]) == 0
    assert "voorgesteld als vertrokken per 31-07-2026" in capsys.readouterr().out
    assert main([*args, "--left-on", "20-8-2026"]) == 0
    left = {p.left_on for p in pupils(school_file) if p.status == PupilStatus.VERTROKKEN}
    assert left == {date(2026, 8, 20)}
    assert main([*args, "--left-on", "31-2-2026"]) == 2
    assert "--left-on" in capsys.readouterr().err
