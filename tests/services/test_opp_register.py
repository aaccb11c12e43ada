"""The OPP-register: every OPP with its dates, filters, next evaluation, CSV and PDF read back."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from ib_desktop.models import (
    Group,
    GroupMembership,
    MomentKind,
    Opp,
    OppVersion,
    Pupil,
    SchoolYear,
    dutch_name,
)
from ib_desktop.reports.opp_register import opp_register_pdf
from ib_desktop.schedule import compute_moments
from ib_desktop.services.opp.register import (
    CSV_HEADERS,
    ENDED,
    RUNNING,
    opp_register,
    parse_school_year,
    write_register_csv,
)
from ib_desktop.services.pupil.listing import fold
from tests.conftest import TODAY

DMY = re.compile(r"^\d{2}-\d{2}-\d{4}$")


def _opps_in_sql(db) -> dict[int, tuple[int, date, date | None]]:
    with db.session() as s:
        return {
            oid: (pid, start, end)
            for oid, pid, start, end in s.execute(
                sa.select(Opp.id, Opp.pupil_id, Opp.start_date, Opp.end_date)
                .join(Pupil, Pupil.id == Opp.pupil_id)
                .where(Pupil.school_id == db.school_id)
            )
        }


def _end_one_opp(db, end: date) -> int:
    """Give the oldest OPP that started before ``end`` an end date; its id."""
    with db.session() as s:
        opp = s.scalars(sa.select(Opp).where(Opp.start_date < end).order_by(Opp.id)).first()
        assert opp is not None
        opp.end_date = end
        return opp.id


def _register(db, **kwargs) -> list:
    kwargs.setdefault("today", TODAY)
    with db.session() as s:
        return opp_register(s, db.school_id, **kwargs)


def test_every_opp_appears_once_with_its_dates(demo_db) -> None:
    expected = _opps_in_sql(demo_db)
    rows = _register(demo_db)
    assert len(expected) >= 5
    assert [r.opp_id for r in rows].count(rows[0].opp_id) == 1
    assert {r.opp_id: (r.pupil_id, r.start_date, r.end_date) for r in rows} == expected
    assert len(rows) == len(expected)
    with demo_db.session() as s:
        for r in rows:
            pupil = s.get(Pupil, r.pupil_id)
            assert r.pupil_name == pupil.full_name
            assert r.sort_name == pupil.sort_name
            assert r.birth_date == pupil.birth_date
            assert r.group_name == (pupil.group.name if pupil.group else "")
            opp = s.get(Opp, r.opp_id)
            current = opp.current_version
            assert (r.version_number, r.version_status) == (current.number, current.status)
            fixed = [v.fixed_on for v in opp.versions if v.fixed_on is not None]
            assert r.fixed_on == (fixed[-1] if fixed else None)
    assert [fold(r.sort_name) for r in rows] == sorted(fold(r.sort_name) for r in rows)
    assert all(r.state == RUNNING for r in rows)  # the demo's OPPs all still run


def test_fixed_on_is_the_newest_fixed_version_not_a_newer_concept(demo_db) -> None:
    with demo_db.session() as s:
        concept_after_fixed = s.scalars(
            sa.select(OppVersion).where(OppVersion.fixed_on.is_(None), OppVersion.number > 1)
        ).first()
        assert concept_after_fixed is not None
        previous = s.scalars(
            sa.select(OppVersion.fixed_on).where(
                OppVersion.opp_id == concept_after_fixed.opp_id,
                OppVersion.number == concept_after_fixed.number - 1,
            )
        ).one()
        opp_id = concept_after_fixed.opp_id
    row = next(r for r in _register(demo_db) if r.opp_id == opp_id)
    assert row.fixed_on == previous is not None


def test_an_ended_opp_is_beeindigd_and_left_out_with_running_only(demo_db) -> None:
    ended = _end_one_opp(demo_db, TODAY - timedelta(days=30))
    rows = {r.opp_id: r for r in _register(demo_db)}
    assert rows[ended].state == ENDED == "beëindigd"
    assert not rows[ended].is_running
    assert rows[ended].end_date == TODAY - timedelta(days=30)
    assert rows[ended].next_evaluation is None  # an ended OPP is no work any more
    running = _register(demo_db, running_only=True)
    assert ended not in {r.opp_id for r in running}
    assert {r.opp_id for r in running} == set(rows) - {ended}
    assert all(r.state == "lopend" for r in running)


def test_an_opp_ending_later_still_runs(demo_db) -> None:
    later = _end_one_opp(demo_db, TODAY + timedelta(days=60))
    row = next(r for r in _register(demo_db, running_only=True) if r.opp_id == later)
    assert row.state == RUNNING
    assert row.end_date == TODAY + timedelta(days=60)


def test_school_year_keeps_the_opps_that_ran_in_that_year(demo_db) -> None:
    ended = _end_one_opp(demo_db, date(2026, 6, 30))
    with demo_db.session() as s:
        years = {
            label: (start, end)
            for label, start, end in s.execute(
                sa.select(SchoolYear.label, SchoolYear.start_date, SchoolYear.end_date)
            )
        }
    all_opps = _opps_in_sql(demo_db)
    seen_some_left_out = False
    for label in ("2024-2025", "2025-2026", "2026-2027"):
        first, last = years[label]
        expected = {
            oid
            for oid, (_pid, start, end) in all_opps.items()
            if start <= last and (end is None or end >= first)
        }
        got = {r.opp_id for r in _register(demo_db, school_year=label)}
        assert got == expected, label
        seen_some_left_out |= got != set(all_opps)
    assert seen_some_left_out
    assert ended in {r.opp_id for r in _register(demo_db, school_year="2025-2026")}
    assert ended not in {r.opp_id for r in _register(demo_db, school_year="2026-2027")}
    assert _register(demo_db, school_year="2019-2020") == []
    # written as the user types it
    assert {r.opp_id for r in _register(demo_db, school_year="2025/2026")} == {
        r.opp_id for r in _register(demo_db, school_year="2025-2026")
    }


def test_school_year_names_the_group_of_that_year(demo_db) -> None:
    rows = _register(demo_db, school_year="2025-2026")
    with demo_db.session() as s:
        in_year = dict(
            s.execute(
                sa.select(GroupMembership.pupil_id, Group.name)
                .join(Group, Group.id == GroupMembership.group_id)
                .join(SchoolYear, SchoolYear.id == GroupMembership.school_year_id)
                .where(SchoolYear.label == "2025-2026")
            ).all()
        )
    assert rows
    for r in rows:
        if r.pupil_id in in_year:
            assert r.group_name == in_year[r.pupil_id]
    now = {r.opp_id: r.group_name for r in _register(demo_db)}
    assert any(now[r.opp_id] != r.group_name for r in rows)  # pupils moved up a group


@pytest.mark.parametrize("label", ["2025", "2025-2027", "volgend jaar", ""])
def test_a_bad_school_year_is_refused_in_dutch(demo_db, label) -> None:
    with pytest.raises(ValueError, match="geen schooljaar"):
        parse_school_year(label)
    with pytest.raises(ValueError, match="bijvoorbeeld 2025-2026"):
        _register(demo_db, school_year=label)


@pytest.mark.parametrize("today", [TODAY, date(2026, 11, 25), date(2027, 3, 1)])
def test_next_evaluation_is_the_schedules_earliest_open_opp_evaluation(demo_db, today) -> None:
    with demo_db.session() as s:
        expected: dict[int, date] = {}
        for m in compute_moments(s, demo_db.school_id, today=today):
            if m.kind == MomentKind.OPP_EVALUATIE and m.done_on is None:
                expected[m.source_id] = min(m.due, expected.get(m.source_id, m.due))
    rows = _register(demo_db, today=today)
    assert expected
    assert {r.opp_id: r.next_evaluation for r in rows if r.next_evaluation} == expected
    for r in rows:
        assert r.evaluation_overdue(today) == (r.opp_id in expected and expected[r.opp_id] < today)


def test_schedule_is_computed_once_for_the_whole_register(demo_db, monkeypatch) -> None:
    import ib_desktop.services.opp.register as module

    calls = []
    real = module.compute_moments

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "compute_moments", counting)
    rows = _register(demo_db)
    assert len(rows) > 1
    assert len(calls) == 1


def test_csv_reads_back_in_excel_form(demo_db, tmp_path) -> None:
    ended = _end_one_opp(demo_db, date(2026, 6, 30))
    rows = _register(demo_db)
    target = write_register_csv(rows, tmp_path / "register.csv")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    with target.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh, delimiter=";"))
    assert tuple(records[0]) == CSV_HEADERS
    assert records[0][:2] == ["Leerlingnummer", "Naam"]
    assert "Einddatum OPP" in records[0]
    body = records[1:]
    assert len(body) == len(rows)
    col = {h: i for i, h in enumerate(CSV_HEADERS)}
    for record, row in zip(body, rows, strict=True):
        assert record[col["Leerlingnummer"]] == row.lvs_id  # the LVS number, not our id
        assert row.lvs_id
        assert record[col["Naam"]] == row.pupil_name
        start = record[col["Startdatum OPP"]]
        assert DMY.match(start)
        assert start == row.start_date.strftime("%d-%m-%Y")
        assert DMY.match(record[col["Geboortedatum"]])
        assert record[col["Status OPP"]] in ("lopend", "beëindigd")
    by_pupil = {r.opp_id: rec for r, rec in zip(rows, body, strict=True)}
    assert by_pupil[ended][col["Einddatum OPP"]] == "30-06-2026"
    assert by_pupil[ended][col["Status OPP"]] == "beëindigd"
    running = next(rec for r, rec in zip(rows, body, strict=True) if r.end_date is None)
    assert running[col["Einddatum OPP"]] == ""


def test_csv_keeps_names_with_separators_and_accents_whole(demo_db, tmp_path) -> None:
    with demo_db.session() as s:
        opp = s.scalars(sa.select(Opp).order_by(Opp.id)).first()
        opp.pupil.first_name = 'Zoë "Zo"; Ĳsbrand'
        pid = opp.pupil_id
    rows = _register(demo_db)
    target = write_register_csv(rows, tmp_path / "register.csv")
    with target.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh, delimiter=";"))
    names = {rec[0]: rec[1] for rec in records[1:]}
    lvs = next(r.lvs_id for r in rows if r.pupil_id == pid)
    assert names[lvs].startswith('Zoë "Zo"; Ĳsbrand')
    assert all(len(rec) == len(CSV_HEADERS) for rec in records)


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


def test_pdf_shows_title_headers_and_the_pupils(demo_db) -> None:
    rows = _register(demo_db)
    with demo_db.session() as s:
        data = opp_register_pdf(s, demo_db.school_id, today=TODAY)
        pupil = s.get(Pupil, rows[0].pupil_id)
        name = dutch_name(pupil.first_name, pupil.tussenvoegsel, pupil.last_name)
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title.startswith("OPP-register")
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = _pdf_text(data)
    for header in ("OPP-register", "Leerling", "Geboren", "Start OPP", "Einde OPP", "Vastgesteld"):
        assert header in text
    assert name in text
    assert rows[0].start_date.strftime("%d-%m-%Y") in text
    assert f"{len(rows)} OPP's, waarvan {len(rows)} lopend en 0 beëindigd" in text
    assert "alle schooljaren" in text
    assert "stand 18 november 2026" in text


def test_pdf_filters_and_marks_late_evaluations(demo_db) -> None:
    ended = _end_one_opp(demo_db, date(2026, 6, 30))
    later = date(2026, 11, 25)
    rows = _register(demo_db, today=later, running_only=True)
    late = [r for r in rows if r.evaluation_overdue(later)]
    with demo_db.session() as s:
        ended_name = s.get(Opp, ended).pupil.full_name
        data = opp_register_pdf(
            s, demo_db.school_id, today=later, school_year="2026-2027", running_only=True
        )
    text = _pdf_text(data)
    assert "schooljaar 2026-2027 · alleen lopende OPP's" in text
    assert ended_name not in text
    assert late
    assert "te laat" in text


def test_pdf_of_an_empty_register_says_so(demo_db) -> None:
    with demo_db.session() as s:
        data = opp_register_pdf(s, demo_db.school_id, today=TODAY, school_year="2019-2020")
    text = _pdf_text(data)
    assert "geen OPP's" in text
    assert "Er zijn geen OPP's die aan deze keuze voldoen." in text
