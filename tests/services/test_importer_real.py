"""Real school data in (issue 16): EDEXML, one pupil is never two, nothing changed silently."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from ib_desktop.importer import (
    ImportFileError,
    apply_overrides,
    apply_plan,
    build_plan,
    format_report,
    initial_mapping,
    read_table,
)
from ib_desktop.importer.values import parse_gender, parse_teachers, pupil_name
from ib_desktop.models import Group, Pupil, PupilStatus, Staff
from ib_desktop.names import fold_name
from tests.importer_exports import (
    EDEX_PUPILS,
    EdexPupil,
    edexml_text,
    next_year,
    rows_as_table,
    this_year,
    write_csv,
    write_edexml,
    write_xlsx,
)

OCT_2025 = date(2025, 10, 1)


def plan_for(db, path: Path, *, today: date = OCT_2025, full: bool = True, **kwargs):
    table = read_table(path)
    with db.session() as s:
        if table.mapping is not None:
            mapping = dict(table.mapping)
        else:
            mapping, _ = initial_mapping(s, table.headers)
        mapping = apply_overrides(table.headers, mapping, kwargs.pop("overrides", ()))
        return build_plan(
            s, table, mapping, school_id=db.school_id, today=today, full_export=full, **kwargs
        )


def all_pupils(db) -> list[Pupil]:
    with db.session() as s:
        return list(s.scalars(sa.select(Pupil).order_by(Pupil.id)))


# ----------------------------------------------------------------------------- EDEXML


@pytest.mark.parametrize(
    "style",
    [{}, {"namespace": None}, {"prefix": "edex"}],
    ids=["default-namespace", "no-namespace", "prefixed"],
)
def test_edexml_is_read_as_a_first_class_source(school_db, tmp_path, style) -> None:
    path = write_edexml(tmp_path / "EDEX.XML", **style)
    table = read_table(path)
    assert table.kind == "edexml"
    assert table.description == "EDEXML, schooljaar 2025-2026, BRIN 99ZZ"
    assert (table.school_year, table.brin) == ("2025-2026", "99ZZ")

    plan = plan_for(school_db, path)
    assert plan.counts["afgewezen"] == 0, plan.rejected
    assert plan.counts["nieuw"] == 6
    assert not plan.warnings  # the right school and school year
    result = apply_plan(school_db, plan, actor="Test IB-er")
    assert (result.created, result.groups_created) == (6, 3)

    with school_db.session() as s:
        pupils = {p.lvs_id: p for p in s.scalars(sa.select(Pupil))}
        names = {k: (p.first_name, p.tussenvoegsel, p.last_name) for k, p in pupils.items()}
        assert names == {
            "3001": ("Ayşe", "", "Yılmaz"),
            "3002": ("Zoë", "", "Brouwër"),  # stored NFC, though the file had NFD
            "3003": ("Daan", "van der", "Berg"),
            "3004": ("Noah", "", "El Amrani"),
            "3005": ("Sem", "", "Dos Santos"),
            "3006": ("Fenna", "", "De Smet"),  # no roepnaam: the first of the voornamen
        }
        assert all(unicodedata.is_normalized("NFC", p.first_name + p.last_name)
                   for p in pupils.values())  # fmt: skip
        assert {k: p.gender for k, p in pupils.items()} == {
            "3001": "v", "3002": "v", "3003": "m", "3004": "m", "3005": "m", "3006": "v",
        }  # fmt: skip
        assert pupils["3001"].birth_date == date(2016, 3, 12)
        assert pupils["3001"].enrolled_on == date(2020, 3, 12)
        groups = {g.name: g for g in s.scalars(sa.select(Group))}
        assert {n: (g.grade_low, g.grade_high) for n, g in groups.items()} == {
            "5A": (5, 5),
            "1/2": (1, 2),  # a combination group
            "Uilen": (3, 4),  # a combination group named without numbers
        }
        assert pupils["3002"].group.name == "1/2"
        assert pupils["3005"].group.name == "Uilen"
        # Two teachers on one group; a capitalised particle stays part of the surname.
        assert sorted(
            (t.first_name, t.tussenvoegsel, t.last_name) for t in groups["5A"].teachers
        ) == [("Anna", "de", "Vries"), ("Mohamed", "", "El Amrani")]
        assert [t.full_name for t in groups["1/2"].teachers] == ["Joke van der Berg"]
        assert s.scalar(sa.select(sa.func.count()).select_from(Staff)) == 4

    # The same file again (now without a namespace) recognises everybody.
    again = plan_for(school_db, write_edexml(tmp_path / "EDEX2.XML", namespace=None))
    assert again.counts["ongewijzigd"] == 6
    assert not again.new_groups
    assert not again.new_teachers


def test_edexml_of_another_year_or_school_is_pointed_out(school_db, tmp_path) -> None:
    path = write_edexml(tmp_path / "EDEX.XML", schooljaar="2026-2027", brincode="11AA")
    plan = plan_for(school_db, path)
    text = " ".join(plan.warnings)
    assert "schooljaar 2026-2027" in text
    assert "BRIN 11AA" in text
    assert "schooljaar 2026-2027" in format_report(plan, dry_run=True)
    # Imported with a date in the file's school year, the groups go there.
    plan = plan_for(school_db, path, today=date(2026, 9, 1))
    assert plan.school_year == "2026-2027"
    assert not any("schooljaar" in w for w in plan.warnings)


def test_edexml_entity_expansion_and_broken_files_are_refused(tmp_path) -> None:
    bomb = tmp_path / "EDEX.XML"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE EDEX [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<EDEX><leerlingen><leerling key=\"1\"><achternaam>&b;</achternaam></leerling>"
        "</leerlingen></EDEX>",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError, match="XML-constructies"):
        read_table(bomb)
    broken = tmp_path / "kapot.xml"
    broken.write_text(edexml_text()[:500], encoding="utf-8")
    with pytest.raises(ImportFileError, match="geen geldig XML-bestand"):
        read_table(broken)
    other = tmp_path / "ander.xml"
    other.write_text("<?xml version='1.0'?><rapport><regel/></rapport>", encoding="utf-8")
    with pytest.raises(ImportFileError, match="geen EDEXML-export"):
        read_table(other)


def test_edexml_pupil_in_a_group_missing_from_the_file_is_pointed_out(school_db, tmp_path) -> None:
    pupils = [*EDEX_PUPILS[:1], EdexPupil("3098", "Bo", "", "Kok", "2019-02-03", "1", "3",
                                          groep="G-WEG")]  # fmt: skip
    plan = plan_for(school_db, write_edexml(tmp_path / "EDEX.XML", pupils))
    assert plan.counts["nieuw"] == 2
    assert any("G-WEG" in w and "zonder groep" in w for w in plan.warnings)


def test_edexml_pupil_with_a_bad_birth_date_is_rejected_with_its_number(
    school_db, tmp_path
) -> None:
    pupils = [*EDEX_PUPILS[:2], EdexPupil("3099", "Bo", "", "Klaassen", "2019-02-31", "1", "3",
                                          samengesteld="UIL")]  # fmt: skip
    plan = plan_for(school_db, write_edexml(tmp_path / "EDEX.XML", pupils))
    assert plan.counts["nieuw"] == 2
    [rejected] = plan.rejected
    assert rejected.row == 3
    assert "bestaat niet" in rejected.reason
    assert rejected.values[0] == "3099"


# ----------------------------------------------------------------------------- twins


def test_ascii_and_turkish_spelling_are_one_pupil(school_db, tmp_path) -> None:
    """The LVS CSV (cp1252 cannot hold "ı") and an Excel list of the same school."""
    header = ["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Groep"]
    csv_rows = [header, ["4001", "Yilmaz", "Ayse", "12-03-2016", "5"],
                ["4002", "Ozturk", "Emre", "01-05-2017", "4"]]  # fmt: skip
    path = write_csv(tmp_path / "lvs.csv", csv_rows, encoding="cp1252")
    apply_plan(school_db, plan_for(school_db, path))

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Achternaam", "Roepnaam", "Geboortedatum", "Groep"])  # no pupil numbers
    ws.append(["Yılmaz", "Ayşe", date(2016, 3, 12), "5"])
    ws.append(["ÖZTÜRK", "Emre", date(2017, 5, 1), "4"])
    xlsx = tmp_path / "lijst.xlsx"
    wb.save(xlsx)
    plan = plan_for(school_db, xlsx, full=False)
    assert plan.counts["nieuw"] == 0, [n.name for n in plan.new]
    assert {c.data.name.last_name for c in plan.changed} == {"Yılmaz", "ÖZTÜRK"}
    apply_plan(school_db, plan)
    assert len(all_pupils(school_db)) == 2


def test_nfd_and_nfc_are_one_pupil_and_names_are_stored_nfc(school_db, tmp_path) -> None:
    header = ["Achternaam", "Roepnaam", "Geboortedatum", "Groep"]
    nfd = [header, [unicodedata.normalize("NFD", "Brouwër"), unicodedata.normalize("NFD", "Zoë"),
                    "30-01-2021", "1/2"]]  # fmt: skip
    apply_plan(school_db, plan_for(school_db, write_csv(tmp_path / "mac.csv", nfd)))
    [pupil] = all_pupils(school_db)
    assert (pupil.first_name, pupil.last_name) == ("Zoë", "Brouwër")
    assert unicodedata.is_normalized("NFC", pupil.first_name + pupil.last_name)
    nfc = [header, ["Brouwër", "Zoë", "30-01-2021", "1/2"]]
    plan = plan_for(school_db, write_csv(tmp_path / "pc.csv", nfc))
    assert (plan.counts["nieuw"], plan.counts["ongewijzigd"]) == (0, 1)


def _with_known_pupil(db) -> int:
    with db.session() as s:
        pupil = Pupil(school_id=db.school_id, lvs_id="1001", first_name="Ayşe",
                      last_name="Yılmaz", birth_date=date(2016, 3, 12))  # fmt: skip
        s.add(pupil)
        s.flush()
        return pupil.id


def test_a_likely_match_with_another_number_is_shown_to_decide(school_db, tmp_path) -> None:
    known = _with_known_pupil(school_db)
    header = ["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Groep"]
    path = write_csv(tmp_path / "a.csv", [header, ["3001", "Yilmaz", "Ayse", "12-03-2016", "5"]])

    plan = plan_for(school_db, path)
    [twin] = plan.twins
    assert (twin.row, twin.lvs_id, twin.pupil_id, twin.existing_lvs_id) == (
        2, "3001", known, "1001"
    )
    assert not plan.new
    assert not plan.changed
    assert not plan.rejected
    assert not plan.leavers  # the known pupil is in the file, perhaps: not a leaver
    report = format_report(plan, dry_run=True)
    assert "Twijfel" in report
    assert "leerlingnummer 3001" in report
    assert "Ayşe Yılmaz (leerlingnummer 1001" in report
    apply_plan(school_db, plan)  # undecided: nothing is doubled
    assert len(all_pupils(school_db)) == 1

    same = plan_for(school_db, path, twin_decisions={"3001": True})
    assert not same.twins
    assert [c.pupil_id for c in same.changed] == [known]
    assert "leerlingnummer: 1001 -> 3001" in same.changed[0].summary

    other = plan_for(school_db, path, twin_decisions={"3001": False})
    assert not other.twins
    assert [n.data.lvs_id for n in other.new] == ["3001"]
    assert [lv.pupil_id for lv in other.leavers] == [known]
    apply_plan(school_db, other)
    assert sorted(p.lvs_id for p in all_pupils(school_db)) == ["1001", "3001"]


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("surname", "expected"),
    [
        ("El Amrani", ("", "El Amrani")),
        ("Dos Santos", ("", "Dos Santos")),
        ("De Smet", ("", "De Smet")),
        ("Van Dijk", ("", "Van Dijk")),
        ("van der Berg", ("van der", "Berg")),  # a Dutch tussenvoegsel, lower case
        ("Berg, van der", ("van der", "Berg")),
    ],
)
def test_a_capitalised_particle_stays_in_the_surname(surname, expected) -> None:
    name = pupil_name(last=surname, first="Noah")
    assert (name.tussenvoegsel, name.last_name) == expected
    # With a tussenvoegsel column the LVS has split it already: the surname stays as given.
    kept = pupil_name(last=surname, first="Noah", tussenvoegsel="", split_surname=False)
    assert (kept.tussenvoegsel, kept.last_name) == ("", surname)


def test_full_names_and_imports_keep_capitalised_particles(school_db, tmp_path) -> None:
    assert pupil_name(full="Noah El Amrani").last_name == "El Amrani"
    assert pupil_name(full="Daan van der Berg").tussenvoegsel == "van der"
    header = ["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Groep"]
    rows = [header, ["1", "El Amrani", "Noah", "01-07-2016", "5"],
            ["2", "Dos Santos", "Sem", "03-02-2019", "3"],
            ["3", "De Smet", "Fenna", "05-04-2018", "4"]]  # fmt: skip
    apply_plan(school_db, plan_for(school_db, write_csv(tmp_path / "a.csv", rows)))
    assert [(p.tussenvoegsel, p.last_name) for p in all_pupils(school_db)] == [
        ("", "El Amrani"), ("", "Dos Santos"), ("", "De Smet"),
    ]  # fmt: skip


def test_teacher_lists() -> None:
    cases = {
        "Anna de Vries, Piet Jansen": ["Anna de Vries", "Piet Jansen"],
        "J. de Vries, P. Jansen, K. Smit": ["J. de Vries", "P. Jansen", "K. Smit"],
        "Mohamed El Amrani / Anna de Vries": ["Mohamed El Amrani", "Anna de Vries"],
        # One teacher written surname first stays one teacher.
        "Jansen, Piet": ["Piet Jansen"],
        "Vries, Anna de": ["Anna de Vries"],
        "van der Berg, Anna Maria": ["Anna Maria van der Berg"],
    }
    assert {text: [t.full_name for t in parse_teachers(text)] for text in cases} == cases


def test_two_teachers_in_one_cell_become_two_teachers_on_the_group(school_db, tmp_path) -> None:
    header = ["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Groep", "Leerkracht"]
    rows = [header, ["1", "Jansen", "Zoë", "14-03-2018", "5", "Anna de Vries, Piet Jansen"]]
    apply_plan(school_db, plan_for(school_db, write_csv(tmp_path / "a.csv", rows)))
    with school_db.session() as s:
        group = s.scalars(sa.select(Group)).one()
        assert sorted(t.full_name for t in group.teachers) == ["Anna de Vries", "Piet Jansen"]


def test_gender_codes() -> None:
    codes = {"1": "m", "2": "v", "M": "m", "V": "v", "J": "m", "jongen": "m", "meisje": "v",
             "0": "", "": ""}  # fmt: skip
    assert {code: parse_gender(code) for code in codes} == codes


def test_gender_codes_one_and_two_are_imported(school_db, tmp_path) -> None:
    header = ["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Geslacht"]
    rows = [header, ["1", "Jansen", "Daan", "01-01-2018", "1"],
            ["2", "Jansen", "Zoë", "01-01-2018", "2"]]  # fmt: skip
    apply_plan(school_db, plan_for(school_db, write_csv(tmp_path / "a.csv", rows)))
    assert [p.gender for p in all_pupils(school_db)] == ["m", "v"]


# ----------------------------------------------------------------------------- folding


def test_folding_examples() -> None:
    assert fold_name("Yılmaz") == fold_name("Yilmaz") == fold_name("YILMAZ") == "yilmaz"
    assert fold_name("İlhan") == fold_name("Ilhan")
    assert fold_name("Strauß") == fold_name("Strauss")
    assert fold_name("Ĳsselmeer") == fold_name("IJsselmeer")
    assert fold_name("Æbelø") == fold_name("aebelo")
    assert fold_name("  Zoë   Brouwër ") == "zoe brouwer"
    assert fold_name("Jansen") != fold_name("Janssen")


NAME_TEXT = st.text(
    alphabet=st.characters(
        categories=["L", "M", "Zs"],
        include_characters="ıİßẞæœĳﬁ'’-ëéèçñøåÅ",
    ),
    max_size=30,
)


@given(NAME_TEXT)
def test_nfc_and_nfd_of_a_name_fold_equal(name: str) -> None:
    assert fold_name(unicodedata.normalize("NFC", name)) == fold_name(
        unicodedata.normalize("NFD", name)
    )


@given(NAME_TEXT)
def test_folding_is_idempotent(name: str) -> None:
    once = fold_name(name)
    assert fold_name(once) == once


# ----------------------------------------------------------------------------- leavers


def test_leavers_leave_at_the_end_of_the_school_year_or_a_chosen_date(
    school_db, tmp_path
) -> None:
    apply_plan(school_db, plan_for(school_db, write_csv(tmp_path / "a.csv",
                                                        rows_as_table(this_year()))))  # fmt: skip
    path = write_csv(tmp_path / "b.csv", rows_as_table(next_year(this_year())))
    plan = plan_for(school_db, path, today=date(2026, 9, 14))
    assert plan.left_on == date(2026, 7, 31)
    assert "per 31-07-2026" in format_report(plan, dry_run=True)
    sophie, *others = sorted(plan.leavers, key=lambda lv: lv.name != "Sophie Dijkstra")
    apply_plan(school_db, plan, confirmed_leavers=[sophie.pupil_id])
    apply_plan(
        school_db,
        plan_for(school_db, path, today=date(2026, 9, 14)),
        confirmed_leavers=[others[0].pupil_id],
        left_on=date(2026, 8, 20),
    )
    left = {p.id: p.left_on for p in all_pupils(school_db) if p.status == PupilStatus.VERTROKKEN}
    assert left == {sophie.pupil_id: date(2026, 7, 31), others[0].pupil_id: date(2026, 8, 20)}

    # A pupil who came after the end of the last school year leaves no earlier than that.
    header = ["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Datum inschrijving"]
    late = write_csv(tmp_path / "c.csv", [header, ["5001", "Kok", "Bo", "01-02-2020",
                                                   "25-08-2026"]])  # fmt: skip
    apply_plan(school_db, plan_for(school_db, late, today=date(2026, 9, 14), full=False))
    plan = plan_for(school_db, path, today=date(2026, 10, 1))
    bo = next(lv for lv in plan.leavers if lv.lvs_id == "5001")
    apply_plan(school_db, plan, confirmed_leavers=[bo.pupil_id])
    with school_db.session() as s:
        assert s.get(Pupil, bo.pupil_id).left_on == date(2026, 8, 25)


def test_a_large_share_of_leavers_is_flagged_to_ask_first(school_db, tmp_path) -> None:
    apply_plan(school_db, plan_for(school_db, write_csv(tmp_path / "a.csv",
                                                        rows_as_table(this_year()))))  # fmt: skip
    next_export = write_csv(tmp_path / "b.csv", rows_as_table(next_year(this_year())))
    usual = plan_for(school_db, next_export, today=date(2026, 9, 1))
    assert len(usual.leavers) == 4
    assert not usual.many_leavers()
    half = plan_for(school_db, write_csv(tmp_path / "c.csv", rows_as_table(this_year()[:10])))
    assert len(half.leavers) == 16
    assert half.many_leavers()
    assert half.leaver_share_text().startswith("16 van de 26 actieve leerlingen (62%)")
    assert not half.many_leavers(4)  # confirming only a few is not a large share
    assert any("volledige export" in w for w in half.warnings)


def test_xlsx_and_csv_of_the_same_school_make_no_twins(school_db, tmp_path) -> None:
    apply_plan(
        school_db,
        plan_for(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year()),
                                      encoding="cp1252")),
    )  # fmt: skip
    plan = plan_for(school_db, write_xlsx(tmp_path / "b.xlsx", this_year()))
    assert plan.counts["nieuw"] == 0
    assert not plan.twins


# ----------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def pg_school_db(pg_url):
    """The school of ``school_db``, on a fresh PostgreSQL database."""
    from ib_desktop.services.school import create_school
    from ib_desktop.storage import open_database

    database = open_database(pg_url)
    with database.session() as s:
        school = create_school(s, "Basisschool De Test", brin="99ZZ", today=OCT_2025)
        database.school_id = school.id
    yield database
    database.dispose()


def test_edexml_and_a_twin_on_postgresql(pg_school_db, tmp_path) -> None:
    db = pg_school_db
    apply_plan(db, plan_for(db, write_edexml(tmp_path / "EDEX.XML")))
    header = ["Leerlingnummer", "Achternaam", "Roepnaam", "Geboortedatum", "Groep"]
    path = write_csv(tmp_path / "a.csv", [header, ["9001", "YILMAZ", "Ayse", "12-03-2016", "5"]],
                     encoding="cp1252")  # fmt: skip
    plan = plan_for(db, path, full=False)
    assert [t.existing_lvs_id for t in plan.twins] == ["3001"]
    apply_plan(db, plan_for(db, path, full=False, twin_decisions={"9001": True}))
    numbers = sorted(p.lvs_id for p in all_pupils(db))
    assert numbers == ["3002", "3003", "3004", "3005", "3006", "9001"]
    with db.session() as s:
        teachers = s.scalars(sa.select(Group).where(Group.name == "5A")).one().teachers
        assert len(teachers) == 2
