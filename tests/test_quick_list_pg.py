"""The first paint's quick rows on PostgreSQL (issue 18): psycopg, read-only, one school.

The rows must equal the full load's field by field; anything doubtful (no password in the URL,
a wrong one, another schema version, accounts, a server that does not answer) goes the normal
way, which explains it.
"""

from __future__ import annotations

from dataclasses import fields

import psycopg
import pytest
from sqlalchemy.engine import make_url

from ib_desktop.demo import generate
from ib_desktop.pupil_rows import PupilListData, PupilRow
from ib_desktop.quick_list import quick_pupil_list, server_conninfo
from ib_desktop.services.pupil.listing import load_pupil_list
from ib_desktop.services.school import get_school
from ib_desktop.storage import open_database
from tests.conftest import TODAY


@pytest.fixture
def pg_demo(pg_url: str):
    db = open_database(pg_url)
    generate(db, pupils=80, seed=11, today=TODAY)
    with db.session() as s:
        school_id = get_school(s).id
    yield pg_url, db, school_id
    db.dispose()


def _conninfo(url: str) -> dict:
    u = make_url(url)
    return dict(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)


def test_quick_rows_on_a_server_equal_the_full_rows(pg_demo) -> None:
    url, db, school_id = pg_demo
    with db.session() as s:
        full = load_pupil_list(s, school_id, today=TODAY, with_schedule=False)
    found = quick_pupil_list(url, today=TODAY)
    assert found is not None, "the quick reader refused a plain server database of ours"
    assert found.school_id == school_id
    assert found.lock is None  # a server needs no instance lock
    assert found.path is None
    fast = found.data
    assert len(full.rows) > 50
    assert [r.id for r in fast.rows] == [r.id for r in full.rows]
    by_id = {r.id: r for r in full.rows}
    for row in fast.rows:
        expected = by_id[row.id]
        for name in PupilRow._fields:
            assert getattr(row, name) == getattr(expected, name), (row.id, name)
            assert type(getattr(row, name)) is type(getattr(expected, name)), (row.id, name)
    for name in (f.name for f in fields(PupilListData)):
        assert getattr(fast, name) == getattr(full, name), name
    assert any(r.level for r in fast.rows)
    assert any(r.open_documents for r in fast.rows)


def test_the_quick_read_writes_nothing_on_the_server(pg_demo) -> None:
    url, _db, _school_id = pg_demo
    with psycopg.connect(**_conninfo(url)) as con:
        before = con.execute(
            "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables"
        ).fetchone()
    assert quick_pupil_list(url, today=TODAY) is not None
    with psycopg.connect(**_conninfo(url)) as con:
        after = con.execute(
            "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables"
        ).fetchone()
    assert after == before


def test_a_url_without_its_password_is_left_to_the_login(pg_demo) -> None:
    url, _db, _school_id = pg_demo
    u = make_url(url)
    bare = f"postgresql+psycopg://{u.username}@{u.host}:{u.port}/{u.database}"
    assert server_conninfo(bare) is None
    assert quick_pupil_list(bare, today=TODAY) is None


def test_a_wrong_password_or_no_server_goes_the_normal_path(pg_demo) -> None:
    url, _db, _school_id = pg_demo
    wrong = make_url(url).set(password="niet-goed").render_as_string(hide_password=False)
    assert quick_pupil_list(wrong, today=TODAY) is None
    gone = make_url(url).set(database="bestaat_niet").render_as_string(hide_password=False)
    assert quick_pupil_list(gone, today=TODAY) is None


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE alembic_version SET version_num = '0001'",
        "UPDATE alembic_version SET version_num = '9999'",
    ],
)
def test_another_schema_version_goes_the_normal_path(pg_demo, change) -> None:
    url, _db, _school_id = pg_demo
    assert quick_pupil_list(url, today=TODAY) is not None
    with psycopg.connect(**_conninfo(url)) as con:
        try:
            con.execute(change)
        except psycopg.Error as exc:  # a column this test does not know: say which
            pytest.fail(f"test set-up: {exc}")
    assert quick_pupil_list(url, today=TODAY) is None


def test_a_second_school_goes_the_normal_path(pg_demo) -> None:
    from ib_desktop.services.school import create_school

    url, db, _school_id = pg_demo
    with db.session() as s:
        create_school(s, "Basisschool Tweede", brin="98YY", swv_name="SWV Test", today=TODAY)
    assert quick_pupil_list(url, today=TODAY) is None
