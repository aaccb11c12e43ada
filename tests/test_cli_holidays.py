"""``ib-desktop holidays``: list, and load a file with a preview before --apply."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ib_desktop.cli import main
from ib_desktop.models import Region
from ib_desktop.services import holidays as hol

DATA = Path(__file__).resolve().parent / "data" / "holidays"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_load_shows_the_changes_and_saves_only_with_apply(demo_db, capsys) -> None:
    path = str(demo_db.path)
    with demo_db.session() as s:
        from ib_desktop.models import School

        region = Region(s.get(School, demo_db.school_id).region)
        before = hol.list_holidays(s, region)
    file = str(DATA / "schoolvakanties-2028-2029.json")
    code, out, err = run(capsys, "holidays", "load", file, "--database", path)
    assert code == 0, err
    assert f"Regio {region.value}:" in out
    assert "Kerstvakantie: 23-12-2028 t/m 07-01-2029 (nieuw)" in out
    assert "niet opgeslagen" in out
    with demo_db.session() as s:
        assert hol.list_holidays(s, region) == before
    code, out, err = run(capsys, "holidays", "load", file, "--apply", "--database", path)
    assert code == 0, err
    assert "5 wijziging(en) opgeslagen" in out
    code, out, _ = run(capsys, "holidays", "load", file, "--database", path)
    assert "Geen wijzigingen" in out
    code, out, _ = run(capsys, "holidays", "list", "--database", path)
    assert code == 0
    assert "23-12-2028 t/m 07-01-2029" in out


def test_load_all_regions_and_bad_files(demo_db, capsys, tmp_path) -> None:
    path = str(demo_db.path)
    file = str(DATA / "schoolvakanties.csv")
    code, out, _ = run(capsys, "holidays", "load", file, "--region", "alle", "--database", path)
    assert code == 0
    assert "let op: Regel 9" in out
    bad = tmp_path / "rooster.json"
    bad.write_text("{niet af", encoding="utf-8")
    code, _, err = run(capsys, "holidays", "load", str(bad), "--database", path)
    assert code == 2
    assert "geen leesbaar JSON" in err
    code, _, err = run(capsys, "holidays", "load", "--database", path)
    assert code == 2
    assert "geef het bestand" in err
    code, _, err = run(capsys, "holidays", "load", str(tmp_path / "weg.ics"), "--database", path)
    assert code == 2
    assert "kan niet worden gelezen" in err


def test_update_corrects_dates_shipped_wrongly_before(demo_db, capsys) -> None:
    from ib_desktop.models import Holiday, School

    path = str(demo_db.path)
    with demo_db.session() as s:
        region = Region(s.get(School, demo_db.school_id).region)
        mei = next(
            h for h in hol.list_holidays(s, region)
            if h.name == "Meivakantie" and h.start.year == 2027
        )  # fmt: skip
        row = s.get(Holiday, mei.id)
        row.start_date, row.end_date = date(2027, 4, 24), date(2027, 5, 2)
    code, out, _ = run(capsys, "holidays", "list", "--database", path)
    assert "holidays update" in out
    code, out, _ = run(capsys, "holidays", "update", "--database", path)
    assert code == 0
    assert "Meivakantie: 24-04-2027 t/m 02-05-2027 → 01-05-2027 t/m 09-05-2027" in out
    assert "niet opgeslagen" in out
    code, out, _ = run(capsys, "holidays", "update", "--apply", "--database", path)
    assert "opgeslagen" in out
    code, out, _ = run(capsys, "holidays", "update", "--database", path)
    assert "Geen verbeteringen nodig" in out
