"""The OPP-register checked against DUO's rules before it goes to the administration."""

from __future__ import annotations

import csv
from datetime import date

import pytest
import sqlalchemy as sa

from ib_desktop.models import Opp, Pupil, PupilStatus, School
from ib_desktop.services.opp.register import (
    DUO_CSV_HEADERS,
    LEFT_WITHOUT_END,
    OVERLAP,
    SBO_PUPIL,
    TWO_OPEN,
    check_register,
    duo_date,
    opp_register,
    school_is_sbo,
    went_to_sbo,
    write_register_csv,
)
from tests.conftest import TODAY


def _pupil(s, school_id: int, first: str, *, left_on: date | None = None, dest: str = "") -> int:
    p = Pupil(
        school_id=school_id,
        first_name=first,
        tussenvoegsel="van der",
        last_name="Ĳsselmeer-Çelik",
        birth_date=date(2016, 3, 4),
        status=PupilStatus.VERTROKKEN if left_on else PupilStatus.ACTIEF,
        left_on=left_on,
        left_destination=dest,
    )
    s.add(p)
    s.flush()
    return p.id


def _opp(s, pupil_id: int, start: date, end: date | None) -> int:
    o = Opp(pupil_id=pupil_id, start_date=start, end_date=end)
    s.add(o)
    s.flush()
    return o.id


def _problems(db, **kwargs):
    with db.session() as s:
        rows = opp_register(s, db.school_id, today=TODAY)
        return rows, check_register(rows, sbo_school=school_is_sbo(s, db.school_id), **kwargs)


def test_a_clean_register_passes(school_db) -> None:
    with school_db.session() as s:
        a = _pupil(s, school_db.school_id, "Anouk")
        _opp(s, a, date(2024, 9, 1), date(2025, 7, 1))
        _opp(s, a, date(2025, 9, 1), None)  # one open after an ended one: fine
        b = _pupil(s, school_db.school_id, "Bram", left_on=date(2026, 3, 1), dest="SBO: De Brug")
        _opp(s, b, date(2025, 9, 1), date(2026, 3, 1))  # ended on the day he left to the SBO
        c = _pupil(s, school_db.school_id, "Chloë", left_on=date(2026, 2, 1), dest="Verhuizing")
        _opp(s, c, date(2025, 9, 1), date(2026, 1, 31))
    rows, problems = _problems(school_db)
    assert len(rows) == 4
    assert problems == []


def test_overlapping_periods_are_flagged_with_the_pupil(school_db) -> None:
    with school_db.session() as s:
        a = _pupil(s, school_db.school_id, "Anouk")
        first = _opp(s, a, date(2024, 9, 1), date(2025, 10, 1))
        second = _opp(s, a, date(2025, 9, 1), None)
    _, problems = _problems(school_db)
    assert [(p.code, p.opp_ids) for p in problems] == [(OVERLAP, (first, second))]
    text = str(problems[0])
    assert text.startswith("Anouk van der Ĳsselmeer-Çelik: ")
    assert "01-09-2024 – 01-10-2025" in text
    assert "overlappen" in text


def test_two_open_periods_are_flagged_once(school_db) -> None:
    with school_db.session() as s:
        a = _pupil(s, school_db.school_id, "Anouk")
        ids = (_opp(s, a, date(2024, 9, 1), None), _opp(s, a, date(2025, 9, 1), None))
    _, problems = _problems(school_db)
    assert [(p.code, p.opp_ids) for p in problems] == [(TWO_OPEN, ids)]
    assert "zonder einddatum" in problems[0].message


def test_a_leaver_without_end_date_is_flagged(school_db) -> None:
    with school_db.session() as s:
        a = _pupil(s, school_db.school_id, "Daan", left_on=date(2026, 1, 15), dest="Verhuizing")
        oid = _opp(s, a, date(2025, 9, 1), None)
    _, problems = _problems(school_db)
    assert [(p.code, p.opp_ids) for p in problems] == [(LEFT_WITHOUT_END, (oid,))]
    assert "vertrokken op 15-01-2026" in problems[0].message


@pytest.mark.parametrize("dest", ["SBO: De Brug", "SBO De Brug", "speciaal basisonderwijs Arcade"])
def test_an_opp_running_on_after_leaving_to_the_sbo_is_flagged(school_db, dest) -> None:
    with school_db.session() as s:
        a = _pupil(s, school_db.school_id, "Eva", left_on=date(2026, 1, 15), dest=dest)
        oid = _opp(s, a, date(2025, 9, 1), date(2026, 6, 30))
    _, problems = _problems(school_db)
    assert [(p.code, p.opp_ids) for p in problems] == [(SBO_PUPIL, (oid,))]
    assert "SBO" in problems[0].message


def test_every_opp_of_an_sbo_school_is_flagged(school_db) -> None:
    with school_db.session() as s:
        school = s.get(School, school_db.school_id)
        school.settings = {**(school.settings or {}), "school_type": "SBO"}
        a = _pupil(s, school_db.school_id, "Fenna")
        oid = _opp(s, a, date(2025, 9, 1), None)
    _, problems = _problems(school_db)
    assert [(p.code, p.opp_ids) for p in problems] == [(SBO_PUPIL, (oid,))]


def test_destination_words() -> None:
    assert went_to_sbo("SBO: De Brug")
    assert went_to_sbo("sbo de brug")
    assert not went_to_sbo("Verhuizing: Sbolsweg 3")  # a word that merely starts with sbo
    assert not went_to_sbo("SO: De Kompas")
    assert not went_to_sbo("")


def test_csv_offers_duos_eejjmmdd_dates(school_db, tmp_path) -> None:
    with school_db.session() as s:
        a = _pupil(s, school_db.school_id, "Anouk")
        _opp(s, a, date(2025, 9, 1), date(2026, 2, 28))
        rows = opp_register(s, school_db.school_id, today=TODAY)
    assert duo_date(date(2026, 2, 28)) == "20260228"
    target = write_register_csv(rows, tmp_path / "r.csv", duo_dates=True)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh, delimiter=";"))
    assert records[0][-2:] == list(DUO_CSV_HEADERS)
    assert records[1][-2:] == ["20250901", "20260228"]
    plain = write_register_csv(rows, tmp_path / "p.csv")
    assert "EEJJMMDD" not in plain.read_text(encoding="utf-8-sig")


def test_the_demo_school_has_a_register_duo_accepts(demo_db) -> None:
    """The demo's leavers get their OPP ended on the day they leave: nothing to flag."""
    with demo_db.session() as s:
        assert s.scalar(sa.select(sa.func.count(Opp.id))) > 0
    _, problems = _problems(demo_db)
    assert [str(p) for p in problems] == []


def test_the_pdf_lists_the_problems_under_the_table(school_db) -> None:
    import io
    import re

    from pypdf import PdfReader

    from ib_desktop.reports.opp_register import opp_register_pdf

    with school_db.session() as s:
        a = _pupil(s, school_db.school_id, "Daan", left_on=date(2026, 1, 15), dest="Verhuizing")
        _opp(s, a, date(2025, 9, 1), None)
        data = opp_register_pdf(s, school_db.school_id, today=TODAY)
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    assert "Controle voor DUO: 1 probleem" in text
    assert "Daan van der Ĳsselmeer-Çelik: vertrokken op 15-01-2026" in text
