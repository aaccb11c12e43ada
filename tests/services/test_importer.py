"""Importing LVS exports: reading, mapping, planning and applying, without Qt."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop.importer import (
    Field,
    ImportApplyError,
    ImportCancelledError,
    ImportFileError,
    MappingError,
    StalePlanError,
    apply_overrides,
    apply_plan,
    build_plan,
    guess_mapping,
    initial_mapping,
    read_table,
    save_mapping,
    write_rejected_csv,
)
from ib_desktop.importer.columns import header_signature, mapping_from_guesses
from ib_desktop.importer.values import parse_group, parse_teachers, pupil_name
from ib_desktop.models import (
    ChangeLog,
    Group,
    GroupMembership,
    LevelAssignment,
    Pupil,
    PupilStatus,
    SchoolYear,
    Staff,
    StaffRole,
)
from tests.importer_exports import (
    PARNASSYS_HEADERS,
    csv_bytes,
    dump,
    next_year,
    rows_as_table,
    this_year,
    write_csv,
    write_xlsx,
)

FIRST_DAY = date(2025, 10, 1)  # first import: school year 2025-2026
NEXT_DAY = date(2026, 9, 1)  # next year's export: school year 2026-2027


def plan_for(db, path: Path, *, today: date = FIRST_DAY, full: bool = True, overrides=()):
    table = read_table(path)
    with db.session() as s:
        mapping, _ = initial_mapping(s, table.headers)
        mapping = apply_overrides(table.headers, mapping, overrides)
        return build_plan(s, table, mapping, school_id=db.school_id, today=today, full_export=full)


def import_file(db, path: Path, *, today: date = FIRST_DAY, confirm=()):
    plan = plan_for(db, path, today=today)
    result = apply_plan(db, plan, confirmed_leavers=confirm, actor="Test IB-er")
    return plan, result


# ----------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("encoding", "delimiter", "described"),
    [
        ("utf-8-sig", ";", "UTF-8 (met BOM), gescheiden door puntkomma"),
        ("utf-8", ",", "UTF-8, gescheiden door komma"),
        ("cp1252", ";", "Windows-1252, gescheiden door puntkomma"),
        ("cp1252", ",", "Windows-1252, gescheiden door komma"),
        ("utf-16", "\t", "UTF-16, gescheiden door tab"),
        ("utf-16-le", "\t", "UTF-16, gescheiden door tab"),  # no byte order mark
        ("utf-8", "|", "UTF-8, gescheiden door verticale streep"),
    ],
)
def test_reads_the_usual_encodings_and_delimiters(tmp_path, encoding, delimiter, described) -> None:
    path = write_csv(
        tmp_path / "export.csv", rows_as_table(this_year()), encoding=encoding, delimiter=delimiter
    )
    table = read_table(path)
    assert described in table.description
    assert table.headers == list(PARNASSYS_HEADERS.values())
    assert len(table.rows) == len(this_year())
    names = {row[3] for row in table.rows}
    assert {"Zoë", "Hélène", "Anaïs", "Daniël", "Chloë"} <= names
    assert table.row_numbers[0] == 2  # the header is row 1, as in Excel


def test_cp1252_short_file_with_accents_is_not_mistaken_for_another_encoding(tmp_path) -> None:
    text = "Achternaam;Roepnaam;Geboortedatum\r\nBrouwër;Zoë;12-03-2016\r\nCoté;René;1-2-2017\r\n"
    path = tmp_path / "kort.csv"
    path.write_bytes(text.encode("cp1252"))
    table = read_table(path)
    assert [r[:2] for r in table.rows] == [["Brouwër", "Zoë"], ["Coté", "René"]]


def test_title_lines_above_the_header_row_are_skipped(tmp_path) -> None:
    table_rows = [
        ["Leerlingenlijst OBS De Test"],
        ["Afgedrukt op 12-09-2026"],
        [],
        *rows_as_table(this_year()),
    ]
    path = write_csv(tmp_path / "export.csv", table_rows)
    table = read_table(path)
    assert table.headers[0] == "Leerlingnummer"
    assert table.header_row == 4
    assert table.row_numbers[0] == 5
    assert any("rij 4" in n for n in table.notes)


@pytest.mark.parametrize("serial", [False, True], ids=["date-cells", "excel-serials"])
def test_xlsx_with_date_cells_or_serial_numbers(school_db, tmp_path, serial) -> None:
    path = write_xlsx(tmp_path / "export.xlsx", this_year(), serial_dates=serial)
    table = read_table(path)
    assert table.kind == "xlsx"
    assert table.sheet == "Leerlingen"
    assert table.header_row == 3
    guesses = {g.header: g.field for g in guess_mapping(table.headers)}
    assert guesses == {
        "LVS-id": Field.LVS_ID,
        "Naam (achternaam)": Field.LAST_NAME,
        "Tussenvoegsels": Field.TUSSENVOEGSEL,
        "Voornaam": Field.FIRST_NAME,
        "Geb. datum": Field.BIRTH_DATE,
        "Groepsnaam": Field.GROUP,
        "Groepsleerkracht": Field.TEACHER,
    }
    plan, result = import_file(school_db, path)
    assert result.created == len(this_year())
    assert not plan.rejected
    with school_db.session() as s:
        zoe = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "2001")).one()
        assert (zoe.first_name, zoe.last_name, zoe.birth_date) == (
            "Zoë",
            "Jansen",
            date(2021, 3, 14),
        )
        daan = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "2002")).one()
        assert (daan.tussenvoegsel, daan.last_name) == ("van der", "Berg")


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        (b"", ".csv", "is leeg"),
        (b"   \r\n\r\n", ".csv", "is leeg"),
        (
            b"\x00\x01\x02\x03\xff\xfe\x00garbage\x07\x08" * 200,
            ".csv",
            "geen tekst- of CSV-bestand",
        ),
        (bytes(range(256)) * 40, ".csv", "geen tekst- of CSV-bestand"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls", "oud Excel-bestand (.xls)"),
        (b"%PDF-1.7\n...", ".pdf", "is een PDF"),
        (b"Leerlingnummer;Achternaam;Roepnaam;Geboortedatum\r\n", ".csv", "alleen kolomnamen"),
        (b"Dit is geen Excel", ".xlsx", "Excel-bestand"),
    ],
    ids=["empty", "blank-lines", "binary", "all-bytes", "xls", "pdf", "header-only", "fake-xlsx"],
)
def test_unreadable_files_are_refused_in_dutch(tmp_path, content, suffix, expected) -> None:
    path = tmp_path / f"export{suffix}"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as err:
        read_table(path)
    assert expected in str(err.value)


def test_truncated_xlsx_is_refused(tmp_path) -> None:
    good = write_xlsx(tmp_path / "goed.xlsx", this_year()).read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ImportFileError, match="beschadigd of niet volledig"):
        read_table(path)


def test_xlsx_with_a_corrupt_sheet_is_refused(tmp_path) -> None:
    good = write_xlsx(tmp_path / "goed.xlsx", this_year())
    path = tmp_path / "kapot.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 3]  # cut off in the middle of the XML
            dst.writestr(item, data)
    with pytest.raises(ImportFileError, match="beschadigd"):
        read_table(path)


def test_a_forced_encoding_that_does_not_fit_is_refused(tmp_path) -> None:
    path = write_csv(tmp_path / "export.csv", rows_as_table(this_year()), encoding="utf-16")
    with pytest.raises(ImportFileError, match="niet in de tekenset 'utf-8'"):
        read_table(path, encoding="utf-8")


def test_a_file_that_is_missing_is_refused(tmp_path) -> None:
    with pytest.raises(ImportFileError, match="bestaat niet"):
        read_table(tmp_path / "weg.csv")


# ----------------------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [
                "Leerlingnummer",
                "Achternaam",
                "Voorvoegsel",
                "Roepnaam",
                "Geboortedatum",
                "Geslacht",
                "Groep",
                "Leerkracht(en)",
            ],
            [
                Field.LVS_ID,
                Field.LAST_NAME,
                Field.TUSSENVOEGSEL,
                Field.FIRST_NAME,
                Field.BIRTH_DATE,
                Field.GENDER,
                Field.GROUP,
                Field.TEACHER,
            ],
        ),
        (
            [
                "LVS ID",
                "ACHTERNAAM",
                "tussenvoegsel(s)",
                "Voornamen",
                "Roepnaam",
                "geb.datum",
                "Jaargroep",
                "Groepsnaam",
                "Groepsleerkracht",
                "Inschrijfdatum",
                "Eerste schooldag",
            ],
            [
                Field.LVS_ID,
                Field.LAST_NAME,
                Field.TUSSENVOEGSEL,
                None,
                Field.FIRST_NAME,
                Field.BIRTH_DATE,
                Field.GRADE,
                Field.GROUP,
                Field.TEACHER,
                Field.ENROLLED_ON,
                Field.FIRST_SCHOOL_DAY,
            ],
        ),
        (
            ["Naam", "Geboren", "Klas", "Mentor", "BSN"],
            [Field.FULL_NAME, Field.BIRTH_DATE, Field.GROUP, Field.TEACHER, None],
        ),
        (
            ["Naam", "Roepnaam", "Geboortedatum", "Datum inschrijving"],
            [Field.LAST_NAME, Field.FIRST_NAME, Field.BIRTH_DATE, Field.ENROLLED_ON],
        ),
    ],
    ids=["parnassys", "esis-like", "full-name", "naam-is-surname"],
)
def test_header_spellings_are_guessed(headers, expected) -> None:
    assert [g.field for g in guess_mapping(headers)] == expected
    assert all(g.score >= 50 for g in guess_mapping(headers) if g.field)


def test_a_mapping_without_names_is_refused(school_db, tmp_path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Code", "Datum", "Lokaal"], ["1", "12-03-2016", "5"]])
    with pytest.raises(MappingError, match="geen kolom met de achternaam"):
        plan_for(school_db, path)


def test_mapping_is_remembered_per_header_row(school_db) -> None:
    headers = ["Nr", "Familie", "Roep", "Geb", "Lokaal"]
    with school_db.session() as s:
        guessed, remembered = initial_mapping(s, headers)
        assert not remembered
        assert guessed[4] is None
        chosen = apply_overrides(
            headers,
            guessed,
            ["Familie=achternaam", "Roep=roepnaam", "Geb=geboortedatum", "5=groep"],
        )
        save_mapping(s, headers, chosen)
    with school_db.session() as s:
        again, remembered = initial_mapping(s, headers)
        assert remembered
        assert again == chosen
        other, remembered = initial_mapping(s, [*headers, "Extra"])
        assert not remembered
    assert header_signature(["Roepnaam", "Geb. datum"]) == header_signature(
        ["roepnaam", "geb datum"]
    )


def test_overrides_take_a_field_away_from_another_column() -> None:
    headers = ["Roepnaam", "Voornaam"]
    mapping = mapping_from_guesses(guess_mapping(headers))
    assert mapping == {0: Field.FIRST_NAME, 1: None}
    changed = apply_overrides(headers, mapping, ["Voornaam=roepnaam"])
    assert changed == {0: None, 1: Field.FIRST_NAME}
    with pytest.raises(ValueError, match="geen kolom 'Klas'"):
        apply_overrides(headers, mapping, ["Klas=groep"])
    with pytest.raises(ValueError, match="Onbekend veld 'schoenmaat'"):
        apply_overrides(headers, mapping, ["Roepnaam=schoenmaat"])


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "name", "low", "high"),
    [
        ("1/2", "1/2", 1, 2),
        ("groep 5", "5", 5, 5),
        ("Groep 5A", "5A", 5, 5),
        ("5a", "5A", 5, 5),
        ("gr. 7", "7", 7, 7),
        ("Groep 1-2", "1/2", 1, 2),
        ("1/2 b", "1/2B", 1, 2),
        ("combinatiegroep 4/5", "4/5", 4, 5),
        ("grp8", "8", 8, 8),
    ],
)
def test_group_names(text, name, low, high) -> None:
    group = parse_group(text)
    assert (group.name, group.grade_low, group.grade_high) == (name, low, high)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("groep 9", "bestaat niet"),
        ("0", "bestaat niet"),
        ("Uilen", "niet te herkennen"),
        ("1/3", "aaneengesloten"),
        ("5x7", "niet te herkennen"),
    ],
)
def test_unparseable_groups_say_why(text, reason) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_group(text)


def test_a_named_group_takes_its_grades_from_the_jaargroep_column() -> None:
    assert parse_group("Uilen", "5") == parse_group("Uilen", "groep 5")
    group = parse_group("Uilen", "5")
    assert (group.name, group.grade_low, group.grade_high) == ("Uilen", 5, 5)


def test_teachers_and_names() -> None:
    assert [t.full_name for t in parse_teachers("J. de Vries / Jansen, Piet")] == [
        "J. de Vries",
        "Piet Jansen",
    ]
    assert [(t.first_name, t.last_name) for t in parse_teachers("Juf Anna")] == [("Anna", "")]
    for kwargs in (
        {"last": "van der Berg", "first": "Daan"},
        {"last": "Berg, van der", "first": "Daan"},
        {"last": "Berg", "tussenvoegsel": "van der", "first": "Daan"},
        {"last": "van der Berg", "tussenvoegsel": "van der", "first": "Daan"},
        {"full": "Berg, Daan van der"},
        {"full": "Daan van der Berg"},
    ):
        name = pupil_name(**kwargs)
        assert (name.first_name, name.tussenvoegsel, name.last_name) == (
            "Daan",
            "van der",
            "Berg",
        ), kwargs


# ----------------------------------------------------------------------------- first import


def test_first_import_creates_pupils_groups_teachers_and_level_one(school_db, tmp_path) -> None:
    path = write_csv(tmp_path / "export.csv", rows_as_table(this_year()), encoding="cp1252")
    plan, result = import_file(school_db, path)
    assert plan.counts == {
        "nieuw": 26,
        "gewijzigd": 0,
        "ongewijzigd": 0,
        "vertrekt": 0,
        "afgewezen": 0,
    }
    assert result.created == 26
    assert result.groups_created == 8
    with school_db.session() as s:
        year = s.scalars(sa.select(SchoolYear).where(SchoolYear.label == "2025-2026")).one()
        groups = {
            g.name: g for g in s.scalars(sa.select(Group).where(Group.school_year_id == year.id))
        }
        assert set(groups) == {"1/2", "3", "4", "5A", "5B", "6", "7", "8"}
        assert (groups["1/2"].grade_low, groups["1/2"].grade_high) == (1, 2)
        assert sorted(t.full_name for t in groups["1/2"].teachers) == ["J. de Vries", "P. Jansen"]
        # "Jansen, Piet" of group 3 is the same teacher as "P. Jansen" of group 1/2.
        assert [t.full_name for t in groups["3"].teachers] == ["P. Jansen"]
        assert [t.first_name for t in groups["5A"].teachers] == ["Anna"]
        staff = s.scalars(sa.select(Staff)).all()
        assert len(staff) == 8
        assert {st.role for st in staff} == {StaffRole.LEERKRACHT}
        noel = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "2003")).one()
        assert (noel.first_name, noel.tussenvoegsel, noel.last_name) == ("Noël", "de", "Vries")
        assert noel.gender == "m"
        assert noel.enrolled_on == date(2025, 1, 1)
        assert noel.group_id == groups["1/2"].id
        assert (
            s.scalars(sa.select(GroupMembership).where(GroupMembership.pupil_id == noel.id))
            .one()
            .group_id
            == noel.group_id
        )
        level = s.scalars(
            sa.select(LevelAssignment).where(LevelAssignment.pupil_id == noel.id)
        ).one()
        assert level.level.position == 1
        assert level.reason == "Ingeschreven via import"
        assert level.start_date == date(2025, 1, 1)
        assert level.end_date is None
        created = s.scalars(
            sa.select(ChangeLog).where(ChangeLog.entity == "pupil", ChangeLog.entity_id == noel.id)
        ).one()
        assert created.action == "aangemaakt"
        assert "export.csv" in created.summary


def test_reimporting_the_same_file_changes_nothing(school_db, tmp_path) -> None:
    path = write_csv(tmp_path / "export.csv", rows_as_table(this_year()))
    import_file(school_db, path)
    before = dump(school_db)
    plan = plan_for(school_db, path)
    assert plan.counts == {
        "nieuw": 0,
        "gewijzigd": 0,
        "ongewijzigd": 26,
        "vertrekt": 0,
        "afgewezen": 0,
    }
    assert not plan.has_work
    assert not plan.new_groups
    assert not plan.new_teachers
    apply_plan(school_db, plan)
    after = dump(school_db)
    for table in (
        "pupils",
        "groups",
        "group_memberships",
        "staff",
        "group_teachers",
        "level_assignments",
    ):
        assert after[table] == before[table], table


def test_the_same_pupils_in_another_export_layout_are_recognised(school_db, tmp_path) -> None:
    import_file(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    # Another system: no pupil numbers, full name "Berg, Daan van der", dates as 2016-03-12.
    headers = {"full": "Naam", "birth": "Geboren", "group": "Klas"}
    table = rows_as_table(this_year(), headers, date_format="%Y-%m-%d", group_prefix="groep ")
    plan = plan_for(school_db, write_csv(tmp_path / "b.csv", table, delimiter=","))
    assert plan.counts["ongewijzigd"] == 26, plan.rejected
    assert plan.counts["nieuw"] == 0, plan.rejected


def test_name_spelling_and_dates_show_as_changes(school_db, tmp_path) -> None:
    import_file(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    rows = this_year()
    rows[1] = rows[1].__class__(**{**rows[1].__dict__, "tv": "van den"})  # Daan van den Berg
    rows[4] = rows[4].__class__(**{**rows[4].__dict__, "birth": date(2019, 6, 22)})
    plan = plan_for(school_db, write_csv(tmp_path / "b.csv", rows_as_table(rows)))
    changed = {c.data.lvs_id: c for c in plan.changed}
    assert set(changed) == {"2002", "2005"}
    assert [str(c) for c in changed["2002"].changes] == [
        "naam: Daan van der Berg -> Daan van den Berg"
    ]
    assert [str(c) for c in changed["2005"].changes] == ["geboortedatum: 21-06-2019 -> 22-06-2019"]
    apply_plan(school_db, plan)
    with school_db.session() as s:
        daan = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "2002")).one()
        assert daan.tussenvoegsel == "van den"
        assert daan.version == 2
        logged = s.scalars(
            sa.select(ChangeLog).where(ChangeLog.entity_id == daan.id, ChangeLog.field == "naam")
        ).one()
        assert logged.old_value == "Daan van der Berg"


def test_a_pupil_without_number_is_matched_on_name_and_birth_date_and_gets_the_number(
    school_db, tmp_path
) -> None:
    with school_db.session() as s:
        s.add(
            Pupil(
                school_id=school_db.school_id,
                first_name="Zoë",
                last_name="Jansen",
                birth_date=date(2021, 3, 14),
            )
        )
    plan = plan_for(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    assert plan.counts["nieuw"] == 25
    zoe = next(c for c in plan.changed if c.data.lvs_id == "2001")
    assert [c.field for c in zoe.changes] == [
        "leerlingnummer",
        "geslacht",
        "groep",
        "datum inschrijving",
    ]
    apply_plan(school_db, plan)
    with school_db.session() as s:
        assert (
            s.scalar(sa.select(sa.func.count()).select_from(Pupil).where(Pupil.first_name == "Zoë"))
            == 1
        )


def test_the_same_name_and_birth_date_with_another_number_is_asked_not_duplicated(
    school_db, tmp_path
) -> None:
    # Issue 16 changed this: such a row was rejected; now the user decides (see
    # tests/services/test_importer_real.py for the decisions).
    with school_db.session() as s:
        s.add(
            Pupil(
                school_id=school_db.school_id,
                lvs_id="9999",
                first_name="Zoë",
                last_name="Jansen",
                birth_date=date(2021, 3, 14),
            )
        )
    plan = plan_for(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    assert [(t.row, t.lvs_id, t.existing_lvs_id) for t in plan.twins] == [(2, "2001", "9999")]
    assert "leerlingnummer 9999" in plan.twins[0].description
    assert all(n.data.lvs_id != "2001" for n in plan.new)
    assert not plan.leavers  # the pupil was recognised, so not proposed as leaving


# ----------------------------------------------------------------------------- rejected rows


def test_bad_rows_are_rejected_with_row_number_and_reason(school_db, tmp_path) -> None:
    table = rows_as_table(this_year()[:4])
    table.append(["3001", "Klaassen", "", "Bo", "31-02-2019", "M", "3", "", ""])  # row 6
    table.append(["3002", "", "", "Mo", "01-02-2019", "M", "3", "", ""])  # row 7
    table.append(["3003", "Aksoy", "", "Elif", "01-02-2019", "V", "Uilen", "", ""])  # row 8
    table.append(table[2])  # row 9: row 3 again
    table.append(["3004", "Vos", "", "Ties", "01-02-2031", "M", "4", "", ""])  # row 10
    table.append(["3005", "Kok", "", "Ben", "", "M", "4", "", ""])  # row 11
    table.append(["3006", "Ros", "", "Lin", "1-2-1950", "V", "groep 9", "", ""])  # row 12
    path = write_csv(tmp_path / "export.csv", table)
    plan = plan_for(school_db, path)
    reasons = {r.row: r.reason for r in plan.rejected}
    assert reasons == {
        6: "Geboortedatum '31-02-2019' bestaat niet",
        7: "Achternaam ontbreekt",
        8: "Groep 'Uilen' is niet te herkennen: schrijf een groepsnummer van 1 tot en met 8 "
        "(bijvoorbeeld 5, 5A of 1/2) of koppel ook de kolom Jaargroep",
        9: "Dubbele regel: dezelfde leerling staat al op rij 3",
        10: "Geboortedatum 01-02-2031 ligt in de toekomst",
        11: "Geboortedatum ontbreekt",
        12: "Geboortedatum 01-02-1950 kan niet kloppen voor een leerling van de basisschool "
        "(controleer het jaartal); groep 'groep 9' bestaat niet in het basisonderwijs "
        "(groep 1 tot en met 8)",
    }
    assert len(plan.new) == 4
    out = write_rejected_csv(plan, tmp_path / "afgewezen.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0] == ["Rij", "Reden", *PARNASSYS_HEADERS.values()]
    assert rows[1][:4] == ["6", "Geboortedatum '31-02-2019' bestaat niet", "3001", "Klaassen"]
    assert len(rows) == 1 + 7


def test_ten_thousand_rows_with_some_bad_ones(school_db, tmp_path) -> None:
    header = ["Leerlingnummer", "Achternaam", "Tussenvoegsel", "Roepnaam", "Geboortedatum", "Groep"]
    lines = [header]
    bad = {}
    for i in range(10_000):
        row = [
            str(50_000 + i),
            f"Achternaam{i}",
            "van" if i % 7 == 0 else "",
            f"Kind{i}",
            f"{1 + i % 28}-{1 + i % 12}-{2014 + i % 8}",
            f"{1 + i % 8}{'AB'[i // 8 % 2]}",
        ]
        if i % 1000 == 500:
            row[4] = "30-02-2016"
            bad[i + 2] = "bestaat niet"
        elif i % 1000 == 900:
            row[5] = "groep 11"
            bad[i + 2] = "bestaat niet in het basisonderwijs"
        lines.append(row)
    path = tmp_path / "groot.csv"
    path.write_bytes(csv_bytes(lines, encoding="cp1252"))
    plan, result = import_file(school_db, path)
    assert result.created == 10_000 - len(bad)
    assert {r.row for r in plan.rejected} == set(bad)
    assert all(bad[r.row] in r.reason for r in plan.rejected)
    with school_db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Pupil)) == 10_000 - len(bad)
        assert s.scalar(sa.select(sa.func.count()).select_from(LevelAssignment)) == 10_000 - len(
            bad
        )
        assert s.scalar(sa.select(sa.func.count()).select_from(Group)) == 16


# ----------------------------------------------------------------------------- next year


def test_next_years_export_moves_groups_adds_pupils_and_proposes_leavers(
    school_db, tmp_path
) -> None:
    import_file(school_db, write_csv(tmp_path / "2025.csv", rows_as_table(this_year())))
    plan = plan_for(
        school_db,
        write_csv(tmp_path / "2026.csv", rows_as_table(next_year(this_year()))),
        today=NEXT_DAY,
    )
    assert plan.school_year == "2026-2027"
    assert plan.counts == {
        "nieuw": 3,
        "gewijzigd": 22,
        "ongewijzigd": 0,
        "vertrekt": 4,
        "afgewezen": 0,
    }
    assert sorted(lv.name for lv in plan.leavers) == [
        "Chloë Koster",
        "Milan Smits",
        "Nora van den Heuvel",
        "Sophie Dijkstra",
    ]
    assert {g.name for g in plan.new_groups} == {"1/2", "3", "4", "5", "6", "7", "8"}
    sem = next(c for c in plan.changed if c.data.lvs_id == "2006")
    assert [str(c) for c in sem.changes] == ["groep: 3 (vorig schooljaar) -> 4"]

    confirmed = [lv.pupil_id for lv in plan.leavers if lv.name != "Milan Smits"]
    result = apply_plan(school_db, plan, confirmed_leavers=confirmed)
    assert (result.created, result.updated, result.left) == (3, 22, 3)
    with school_db.session() as s:
        sem_p = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "2006")).one()
        labels = sorted(
            (m.school_year.label, m.group.name)
            for m in s.scalars(
                sa.select(GroupMembership).where(GroupMembership.pupil_id == sem_p.id)
            )
        )
        assert labels == [("2025-2026", "3"), ("2026-2027", "4")]  # history kept
        assert sem_p.group.name == "4"
        assert sem_p.group.school_year.label == "2026-2027"
        statuses = {
            p.first_name: (p.status, p.left_on, p.group_id)
            for p in s.scalars(
                sa.select(Pupil).where(Pupil.lvs_id.in_(["2021", "2022", "2023", "2024"]))
            )
        }
        assert statuses["Milan"][0] == PupilStatus.ACTIEF  # not confirmed: untouched
        # Issue 16: leavers leave at the end of the previous school year, not on the day of
        # the import (this test used to expect NEXT_DAY).
        left = date(2026, 7, 31)
        for name in ("Sophie", "Nora", "Chloë"):
            assert statuses[name] == (PupilStatus.VERTROKKEN, left, None)
        sophie = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "2021")).one()
        assert sophie.delete_after == date(2028, 7, 31)
        level = s.scalars(
            sa.select(LevelAssignment).where(LevelAssignment.pupil_id == sophie.id)
        ).one()
        assert level.end_date == left  # the level ends with the departure
        assert s.scalar(sa.select(sa.func.count()).select_from(Pupil)) == 29  # nothing deleted

    # A left pupil who turns up again is enrolled again.
    rows = [*next_year(this_year()), this_year()[20]]
    plan = plan_for(
        school_db, write_csv(tmp_path / "terug.csv", rows_as_table(rows)), today=NEXT_DAY
    )
    back = next(c for c in plan.changed if c.data.lvs_id == "2021")
    assert back.reenrol
    assert str(back.changes[0]) == "status: vertrokken -> actief (weer ingeschreven)"
    apply_plan(school_db, plan)
    with school_db.session() as s:
        sophie = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "2021")).one()
        assert (sophie.status, sophie.left_on, sophie.delete_after) == (
            PupilStatus.ACTIEF,
            None,
            None,
        )
        assert sophie.group.name == "8"
        assert sophie.version == 3
        level = s.scalars(
            sa.select(LevelAssignment).where(LevelAssignment.pupil_id == sophie.id)
        ).one()
        assert level.end_date is None  # open again


def test_a_partial_export_proposes_no_leavers(school_db, tmp_path) -> None:
    import_file(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    path = write_csv(
        tmp_path / "groep3.csv", rows_as_table([r for r in this_year() if r.group == "3"])
    )
    assert plan_for(school_db, path, full=True).leavers
    partial = plan_for(school_db, path, full=False)
    assert not partial.leavers
    assert partial.counts["ongewijzigd"] == 4
    full = plan_for(school_db, path, full=True)
    assert any("volledige export" in w for w in full.warnings)


def test_existing_teacher_is_matched_by_initial(school_db, tmp_path) -> None:
    with school_db.session() as s:
        s.add(
            Staff(
                school_id=school_db.school_id,
                first_name="Joke",
                tussenvoegsel="de",
                last_name="Vries",
            )
        )
    plan = plan_for(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    assert "J. de Vries" not in [t.full_name for t in plan.new_teachers]
    apply_plan(school_db, plan)
    with school_db.session() as s:
        joke = s.scalars(sa.select(Staff).where(Staff.first_name == "Joke")).one()
        assert [g.name for g in joke.groups] == ["1/2"]


# ----------------------------------------------------------------------------- all or nothing


def test_a_failure_mid_apply_changes_nothing(school_db, tmp_path, monkeypatch) -> None:
    import_file(school_db, write_csv(tmp_path / "2025.csv", rows_as_table(this_year())))
    plan = plan_for(
        school_db,
        write_csv(tmp_path / "2026.csv", rows_as_table(next_year(this_year()))),
        today=NEXT_DAY,
    )
    before = dump(school_db)

    import ib_desktop.importer.apply as apply_mod

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    # New pupils, groups and changes are written by then; the leavers step fails.
    monkeypatch.setattr(apply_mod, "_mark_leavers", broken)
    with pytest.raises(ImportApplyError, match="er is niets gewijzigd"):
        apply_plan(school_db, plan, confirmed_leavers=[lv.pupil_id for lv in plan.leavers])
    assert dump(school_db) == before


@pytest.mark.parametrize("kind", ["database", "other"])
def test_a_failed_import_shows_no_pupil_data_or_sql(school_db, tmp_path, monkeypatch, kind) -> None:
    """Issue 14: a NUL byte on PostgreSQL put the statement, names and birth dates on screen."""
    plan = plan_for(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    import ib_desktop.importer.apply as apply_mod

    secret = "Daan de Vries, 2016-02-01"

    def broken(*args, **kwargs):
        if kind == "database":
            raise sa.exc.DataError(
                f"INSERT INTO pupils (first_name) VALUES ('{secret}')",
                {"name": secret},
                ValueError(f"PostgreSQL text fields cannot contain NUL (0x00) bytes: {secret}"),
            )
        raise RuntimeError(f"kapot bij {secret}")

    monkeypatch.setattr(apply_mod, "_insert_new_pupils", broken)
    with pytest.raises(ImportApplyError) as info:
        apply_plan(school_db, plan)
    message = str(info.value)
    assert "er is niets gewijzigd" in message
    assert "Daan" not in message
    assert "INSERT" not in message
    assert "2016" not in message
    if kind == "database":
        assert "NUL-teken" in message


def test_cancelling_from_the_progress_callback_changes_nothing(school_db, tmp_path) -> None:
    plan = plan_for(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    before = dump(school_db)
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if done > 1:
            raise ImportCancelledError()

    with pytest.raises(ImportCancelledError):
        apply_plan(school_db, plan, progress=progress)
    assert calls[-1] > 1  # pupils had been written when the user cancelled
    assert dump(school_db) == before


def test_a_pupil_changed_after_the_preview_stops_the_import(school_db, tmp_path) -> None:
    import_file(school_db, write_csv(tmp_path / "2025.csv", rows_as_table(this_year())))
    plan = plan_for(
        school_db,
        write_csv(tmp_path / "2026.csv", rows_as_table(next_year(this_year()))),
        today=NEXT_DAY,
    )
    with school_db.session() as s:
        pupil = s.get(Pupil, plan.changed[0].pupil_id)
        pupil.notes = "Intussen bijgewerkt in het dossier."
    before = dump(school_db)
    with pytest.raises(StalePlanError, match="maak de voorvertoning opnieuw"):
        apply_plan(school_db, plan)
    assert dump(school_db) == before


def test_only_proposed_leavers_can_be_confirmed(school_db, tmp_path) -> None:
    plan = plan_for(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    with pytest.raises(Exception, match="Alleen leerlingen die bij 'Vertrekt' staan"):
        apply_plan(school_db, plan, confirmed_leavers=[12345])


def test_a_registered_child_in_the_export_is_enrolled(school_db, tmp_path) -> None:
    with school_db.session() as s:
        s.add(
            Pupil(
                school_id=school_db.school_id,
                first_name="Zoë",
                last_name="Jansen",
                birth_date=date(2021, 3, 14),
                status=PupilStatus.AANGEMELD,
            )
        )
    plan = plan_for(school_db, write_csv(tmp_path / "a.csv", rows_as_table(this_year())))
    zoe = next(c for c in plan.changed if c.data.lvs_id == "2001")
    assert str(zoe.changes[0]) == "status: aangemeld -> actief (ingeschreven)"
    assert zoe.enrol
    assert not zoe.reenrol
    apply_plan(school_db, plan)
    with school_db.session() as s:
        pupil = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "2001")).one()
        assert pupil.status == PupilStatus.ACTIEF
        assert pupil.group.name == "1/2"
        level = s.scalars(
            sa.select(LevelAssignment).where(LevelAssignment.pupil_id == pupil.id)
        ).one()
        assert level.level.position == 1
        assert level.reason == "Ingeschreven via import"
