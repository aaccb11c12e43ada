"""The parents' copy (inzage): every table's rows for one pupil and nobody else's; the register."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
import pyzipper
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from ib_desktop.cli import main
from ib_desktop.inzage_export import JSON_NAME, PDF_NAME, export_inzage
from ib_desktop.models import (
    Base,
    ChangeLog,
    Guardian,
    Meeting,
    MeetingKind,
    Opp,
    OppVersion,
    Pupil,
    Registration,
)
from ib_desktop.services import audit
from ib_desktop.services.privacy import export, inzage, pupil_data
from ib_desktop.validation import ValidationErrors
from tests.conftest import TODAY

NOW = datetime(2026, 11, 18, 10, 30)


# ---------------------------------------------------------------------------- the walk


def test_every_table_is_either_about_a_pupil_or_named_as_the_schools() -> None:
    assert pupil_data.unclassified_tables() == set()
    plan = pupil_data.plan_for()
    about = set(plan.tables())
    assert not about & pupil_data.NOT_ABOUT_A_PUPIL
    # The tables of the file, each found by the walk rather than listed.
    for table in (
        "guardians",
        "opp_versions",
        "opp_consents",
        "growth_goals",
        "inzage_requests",
        "level_assignments",
        "meetings",
        "meeting_participants",
        "change_log",
    ):
        assert table in about, table
    assert "staff" not in about
    assert "level_assignments" in plan.owned  # by its pupil, not by the meeting that decided it


def test_a_new_table_with_a_path_to_the_pupil_is_found_without_being_listed() -> None:
    copy = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(copy)
    sa.Table(
        "opp_reading_notes",  # a table that does not exist (yet)
        copy,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("opp_version_id", sa.ForeignKey("opp_versions.id")),
    )
    sa.Table("school_notes", copy, sa.Column("id", sa.Integer, primary_key=True))
    assert "opp_reading_notes" in pupil_data.plan_for(copy).owned
    assert pupil_data.unclassified_tables(copy) == {"school_notes"}


def _opp_pupil(session) -> Pupil:
    pupil_id = session.scalars(sa.select(Opp.pupil_id).order_by(Opp.id).limit(1)).one()
    return session.get(Pupil, pupil_id)


def _shared_meeting(session, school_id: int, a: Pupil, b: Pupil) -> int:
    meeting = Meeting(
        school_id=school_id,
        kind=MeetingKind.MDO,
        date=TODAY,
        title="MDO samen",
        notes="Besproken met beide gezinnen.",
    )
    meeting.pupils = [a, b]
    session.add(meeting)
    session.flush()
    return meeting.id


def test_rows_of_owned_tables_belong_to_at_most_one_pupil(demo_db) -> None:
    """Over all pupils, the walk partitions every owned table; rows outside have no pupil."""
    plan = pupil_data.plan_for()
    with demo_db.session() as s:
        pupils = list(s.scalars(sa.select(Pupil.id)))
        a, b = (s.get(Pupil, i) for i in pupils[:2])
        _shared_meeting(s, demo_db.school_id, a, b)
        s.add(
            Registration(
                school_id=demo_db.school_id, child_name="Nog geen leerling", received_on=TODAY
            )
        )
    owner: dict[tuple[str, tuple], int] = {}
    with demo_db.session() as s:
        for pid in pupils:
            for table, keys in pupil_data.pupil_row_keys(s, pid).items():
                if table not in plan.owned:
                    continue
                for key in keys:
                    assert (table, key) not in owner, (table, key, owner.get((table, key)), pid)
                    owner[(table, key)] = pid
        for table_name, fks in plan.owned.items():
            table = Base.metadata.tables[table_name]
            for row in s.execute(sa.select(table)).mappings():
                key = tuple(row[c.name] for c in table.primary_key.columns)
                if (table_name, key) not in owner:
                    # Only a row with no link to any pupil is nobody's.
                    assert all(row[fk.parent.name] is None for fk in fks), (table_name, row)


def test_the_json_holds_every_tables_rows_for_that_pupil_and_nobody_elses(demo_db) -> None:
    with demo_db.session() as s:
        a = _opp_pupil(s)
        b = s.scalars(sa.select(Pupil).where(Pupil.id != a.id).order_by(Pupil.id).limit(1)).one()
        a_id, b_id, a_name, b_name = a.id, b.id, a.full_name, b.full_name
        meeting_id = _shared_meeting(s, demo_db.school_id, a, b)
        for p in (a, b):
            guardian = s.scalars(sa.select(Guardian).where(Guardian.pupil_id == p.id)).first()
            inzage.add_request(s, p.id, guardian.id, TODAY, today=TODAY, actor="IB")
            s.add(
                Registration(
                    school_id=demo_db.school_id,
                    pupil_id=p.id,
                    child_name=p.full_name,
                    received_on=TODAY,
                )
            )
        version_id = s.scalars(
            sa.select(OppVersion.id).join(Opp).where(Opp.pupil_id == a_id).limit(1)
        ).one()
        audit.record(s, "opp_version", version_id, "gewijzigd", summary="Deel 5 aangevuld")
        audit.record(s, "group", 1, "hernoemd", summary="Groep 5 heet nu 5A")
    with demo_db.session() as s:
        data = export.inzage_data(s, a_id, now=NOW)
        others = pupil_data.pupil_row_keys(s, b_id)
        tables = data["tabellen"]
        assert set(tables) == set(pupil_data.plan_for().tables())
        # Independent look-ups: what the pupil file and the OPP editor show of this pupil.
        assert {r["id"] for r in tables["guardians"]} == set(
            s.scalars(sa.select(Guardian.id).where(Guardian.pupil_id == a_id))
        )
        assert {r["id"] for r in tables["opp_versions"]} == set(
            s.scalars(sa.select(OppVersion.id).join(Opp).where(Opp.pupil_id == a_id))
        )
        assert len(tables["opp_versions"]) >= 1
        assert [r["id"] for r in tables["meetings"]] == [meeting_id] or meeting_id in {
            r["id"] for r in tables["meetings"]
        }
        assert {r["pupil_id"] for r in tables["meeting_pupils"]} == {a_id}
        assert {r["child_name"] for r in tables["registrations"]} == {a_name}
        assert [r["requested_by"] for r in tables["inzage_requests"]]
        log = {(r["entity"], r["action"]) for r in tables["change_log"]}
        assert ("opp_version", "gewijzigd") in log
        assert ("pupil", "inzageverzoek ontvangen") in log
        assert not any(entity == "group" for entity, _ in log)
        want_log = set(
            s.scalars(
                sa.select(ChangeLog.id).where(
                    ChangeLog.entity == "pupil", ChangeLog.entity_id == a_id
                )
            )
        )
        assert want_log <= {r["id"] for r in tables["change_log"]}
        # Nobody else's rows: none of B's owned rows, and B's name nowhere in the text.
        plan = pupil_data.plan_for()
        for name, rows in tables.items():
            if name in plan.owned or name in plan.polymorphic:
                table = Base.metadata.tables[name]
                for row in rows:
                    key = tuple(row[c.name] for c in table.primary_key.columns)
                    assert key not in others.get(name, set()), (name, key)
        text = json.dumps(data, ensure_ascii=False)
        assert a_name in text
        assert b_name not in text


# ---------------------------------------------------------------------------- the ZIP


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_inzage_command_writes_a_private_zip_with_pdf_and_json_and_logs_it(
    demo_db, tmp_path: Path, capsys
) -> None:
    with demo_db.session() as s:
        pupil = _opp_pupil(s)
        pupil_id, name = pupil.id, pupil.full_name
        guardians = [g.name for g in pupil.guardians]
    demo_db.dispose()
    target = tmp_path / "uit" / "inzage.zip"
    code = main(
        ["inzage", "--pupil", str(pupil_id), "-o", str(target), "--database", str(demo_db.path)]
    )
    assert code == 0, capsys.readouterr().err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with zipfile.ZipFile(target) as z:
        data = json.loads(z.read(JSON_NAME))
        text = _pdf_text(z.read(PDF_NAME))
    assert data["leerling"]["naam"] == name
    assert data["tabellen"]["opp_versions"]
    level_ids = {str(r["level_id"]) for r in data["tabellen"]["level_assignments"]}
    level_names = data["namen"]["support_levels"]
    assert set(level_names) == level_ids
    assert all(
        level_names[i].replace(" ", "") in text.replace(" ", "").replace("\n", "")
        for i in level_ids
    )
    for line in (name, "OPP: alle versies", "Wijzigingsgeschiedenis", *guardians):
        assert line.replace(" ", "") in text.replace(" ", "").replace("\n", ""), line
    from ib_desktop.storage import open_database

    db = open_database(demo_db.path)
    try:
        with db.session() as s:
            actions = s.scalars(
                sa.select(ChangeLog.action).where(
                    ChangeLog.entity == "pupil", ChangeLog.entity_id == pupil_id
                )
            ).all()
    finally:
        db.dispose()
    assert "inzage geëxporteerd" in actions


def test_a_password_protected_zip_needs_its_password(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as s:
        pupil_id = _opp_pupil(s).id
    target = tmp_path / "inzage.zip"
    result = export_inzage(demo_db, pupil_id, target, password="Zoë-geheim 🔒", today=TODAY)
    assert result.protected
    with zipfile.ZipFile(target) as z, pytest.raises(RuntimeError):
        z.read(JSON_NAME)  # plain zipfile: no password, no content
    with pyzipper.AESZipFile(target) as z:
        z.setpassword("Zoë-geheim 🔒".encode())
        assert json.loads(z.read(JSON_NAME))["leerling"]["id"] == pupil_id
        z.setpassword(b"fout")
        with pytest.raises(RuntimeError):
            z.read(JSON_NAME)


def test_password_from_the_environment(demo_db, tmp_path, monkeypatch, capsys) -> None:
    with demo_db.session() as s:
        pupil_id = _opp_pupil(s).id
    demo_db.dispose()
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", "uit-de-omgeving")
    target = tmp_path / "inzage.zip"
    assert (
        main(
            [
                "inzage",
                "--pupil",
                str(pupil_id),
                "-o",
                str(target),
                "--password",
                "--database",
                str(demo_db.path),
            ]
        )
        == 0
    )
    assert "versleuteld" in capsys.readouterr().out
    with pyzipper.AESZipFile(target) as z:
        z.setpassword(b"uit-de-omgeving")
        assert json.loads(z.read(JSON_NAME))["leerling"]["id"] == pupil_id


def test_untidy_text_survives_in_both_parts(school_db, tmp_path: Path) -> None:
    from ib_desktop.services import pupil as pf

    notes = "- één\n  - geneste ğ İ ı\n    - 🦄 emoji\n\n" + ("Lange tekst. " * 20000)
    with school_db.session() as s:
        p = pf.create_pupil(
            s,
            school_db.school_id,
            pf.PupilData(
                first_name="Zoë",
                tussenvoegsel="",
                last_name="Şahin-Ÿzer",
                birth_date=date(2018, 3, 12),
                notes=notes,
            ),
            today=TODAY,
        )
        pupil_id = p.id
    result = export_inzage(school_db, pupil_id, tmp_path / "z.zip", today=TODAY)
    with zipfile.ZipFile(result.path) as z:
        data = json.loads(z.read(JSON_NAME))
        text = _pdf_text(z.read(PDF_NAME))
    with school_db.session() as s:
        stored = s.get(Pupil, pupil_id).notes
    assert stored.startswith("- één")
    assert data["tabellen"]["pupils"][0]["notes"] == stored
    assert "Şahin-Ÿzer" in text


# ---------------------------------------------------------------------------- the register


@pytest.fixture
def family(school_db):
    from ib_desktop.services import pupil as pf

    with school_db.session() as s:
        p = pf.create_pupil(
            s,
            school_db.school_id,
            pf.PupilData(
                first_name="Sanne",
                tussenvoegsel="de",
                last_name="Vries",
                birth_date=date(2017, 5, 1),
            ),
            today=TODAY,
        )
        mother = Guardian(pupil_id=p.id, name="Eva de Vries", has_custody=True)
        uncle = Guardian(pupil_id=p.id, name="Oom Kees", relation="oom", has_custody=False)
        s.add_all([mother, uncle])
        s.flush()
        return school_db, p.id, mother.id, uncle.id


def test_due_one_month_after_receipt_and_two_more_when_extended() -> None:
    assert inzage.due_date(date(2026, 1, 31)) == date(2026, 2, 28)
    assert inzage.due_date(date(2026, 3, 15)) == date(2026, 4, 15)
    assert inzage.due_date(date(2026, 11, 30), extended=True) == date(2027, 2, 28)


def test_only_a_guardian_with_gezag_of_this_pupil_may_ask(family) -> None:
    db, pupil_id, mother, uncle = family
    with db.session() as s:
        with pytest.raises(ValidationErrors) as err:
            inzage.add_request(s, pupil_id, uncle, TODAY, today=TODAY)
        assert "gezag" in err.value.errors["guardian"]
        with pytest.raises(ValidationErrors) as err:
            inzage.add_request(s, pupil_id, mother, date(2026, 12, 1), today=TODAY)
        assert "toekomst" in err.value.errors["received_on"]
        assert s.get(Guardian, mother).name == "Eva de Vries"
        assert inzage.custody_guardians(s, pupil_id) == [(mother, "Eva de Vries")]


def test_register_extend_complete_and_the_late_ones(family) -> None:
    db, pupil_id, mother, _ = family
    with db.session() as s:
        old = inzage.add_request(s, pupil_id, mother, date(2026, 9, 1), today=TODAY)
        new = inzage.add_request(s, pupil_id, mother, date(2026, 11, 2), today=TODAY)
    assert old.due_on == date(2026, 10, 1)
    assert old.is_late(TODAY)
    assert not new.is_late(TODAY)
    with db.session() as s:
        rows = inzage.open_requests(s, db.school_id)
        assert [r.id for r in rows] == [old.id, new.id]
        with pytest.raises(ValidationErrors) as err:
            inzage.extend_request(s, old.id, "Veel stukken", extended_on=TODAY, today=TODAY)
        assert "eerste maand" in err.value.errors["extended_on"]
        with pytest.raises(ValidationErrors) as err:
            inzage.extend_request(s, new.id, "  ", extended_on=TODAY, today=TODAY)
        assert "extension_reason" in err.value.errors
        extended = inzage.extend_request(
            s,
            new.id,
            "Veel stukken van externe hulpverleners",
            extended_on=TODAY,
            today=TODAY,
            expected_version=new.version,
        )
        assert extended.due_on == date(2027, 2, 2)
        with pytest.raises(ValidationErrors):
            inzage.extend_request(s, new.id, "nog eens", extended_on=TODAY, today=TODAY)
        done = inzage.complete_request(s, old.id, TODAY, today=TODAY)
        assert done.done_on == TODAY
    with db.session() as s:
        assert [r.id for r in inzage.open_requests(s, db.school_id)] == [new.id]
        summaries = s.scalars(
            sa.select(ChangeLog.summary).where(
                ChangeLog.entity == "pupil",
                ChangeLog.entity_id == pupil_id,
                ChangeLog.field == "inzage",
            )
        ).all()
        assert any("na de termijn" in x for x in summaries)
        assert any("verlengd tot 02-02-2027" in x for x in summaries)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_the_terms_are_calendar_months(received: date) -> None:
    due = inzage.due_date(received)
    extended = inzage.due_date(received, extended=True)
    assert 28 <= (due - received).days <= 31
    assert 89 <= (extended - received).days <= 92
    # The same day of the month, or the month's last day when it has no such day.
    assert due.day == received.day or (due + timedelta(days=1)).day == 1
    assert (due.year * 12 + due.month) - (received.year * 12 + received.month) == 1


def test_two_people_handling_one_request_at_once(family) -> None:
    from ib_desktop.services.versioned import EditConflict

    db, pupil_id, mother, _ = family
    with db.session() as s:
        row = inzage.add_request(s, pupil_id, mother, TODAY, today=TODAY)
    with db.session() as s:
        inzage.complete_request(s, row.id, TODAY, today=TODAY, expected_version=row.version)
    with db.session() as s, pytest.raises(EditConflict):
        inzage.extend_request(
            s,
            row.id,
            "Veel stukken",
            extended_on=TODAY,
            today=TODAY,
            expected_version=row.version,
        )
    with db.session() as s:
        [stored] = inzage.pupil_requests(s, pupil_id)
        assert stored.done_on == TODAY
        assert stored.extended_on is None


def test_on_postgresql_the_copy_holds_the_same_rows(pg_url: str) -> None:
    from ib_desktop.demo import generate
    from ib_desktop.storage import open_database

    db = open_database(pg_url)
    try:
        generate(db, pupils=120, seed=7, today=TODAY)
        with db.session() as s:
            pupil = _opp_pupil(s)
            pupil_id, name = pupil.id, pupil.full_name
            guardians = set(s.scalars(sa.select(Guardian.id).where(Guardian.pupil_id == pupil_id)))
            versions = set(
                s.scalars(sa.select(OppVersion.id).join(Opp).where(Opp.pupil_id == pupil_id))
            )
            audit.record(s, "pupil", pupil_id, "gewijzigd", summary="Notitie aangevuld")
        with db.session() as s:
            data = export.inzage_data(s, pupil_id, now=NOW)
        text = json.dumps(data, ensure_ascii=False)  # every value serialises
        assert data["leerling"]["naam"] == name
        assert {r["id"] for r in data["tabellen"]["guardians"]} == guardians
        assert {r["id"] for r in data["tabellen"]["opp_versions"]} == versions
        assert [r["summary"] for r in data["tabellen"]["change_log"]] == ["Notitie aangevuld"]
        assert name in text
    finally:
        db.dispose()
