"""The first paint's reader (``ib_desktop.quick_list``) against the real one, and its refusals.

The quick reader uses ``sqlite3`` and raw SQL so that the list shows before SQLAlchemy loads;
the pupil list normally comes from ``services.pupil.listing.load_pupil_list``. These tests keep
the two from drifting apart: field by field on the demo school, on a school built to hold every
awkward case, and on schools Hypothesis makes up. And they check that the quick reader answers
only for a file the normal path would open as it is, without writing a byte.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import unicodedata
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ib_desktop import quick_list, storage
from ib_desktop.migrations import HEAD_REVISION
from ib_desktop.models import (
    DocumentStatus,
    Group,
    GrowthDocument,
    Opp,
    Pupil,
    PupilStatus,
    School,
    ShortIntervention,
    Staff,
    SupportLevel,
)
from ib_desktop.pupil_rows import PupilListData, PupilRow
from ib_desktop.quick_list import database_file, quick_pupil_list, read_pupil_list
from ib_desktop.services.levels import change_level
from ib_desktop.services.pupil.listing import load_pupil_list
from ib_desktop.services.school import ensure_school_year
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- helpers
def full_list(db, school_id: int) -> PupilListData:
    with db.session() as s:
        return load_pupil_list(s, school_id, today=TODAY, with_schedule=False)


def quick(path: Path) -> tuple[int, PupilListData]:
    found = read_pupil_list(path, today=TODAY)
    assert found is not None, "the quick reader refused a plain file of ours"
    return found


def assert_same_list(db, school_id: int) -> PupilListData:
    """Every field of every row, and the filters' groups, levels and teachers, are equal."""
    full = full_list(db, school_id)
    quick_school, fast = quick(db.path)
    assert quick_school == school_id
    assert [r.id for r in fast.rows] == [r.id for r in full.rows]  # same order too
    by_id = {r.id: r for r in full.rows}
    for row in fast.rows:
        expected = by_id[row.id]
        for name in PupilRow._fields:
            assert getattr(row, name) == getattr(expected, name), (row.id, name)
            assert type(getattr(row, name)) is type(getattr(expected, name)), (row.id, name)
    for name in (f.name for f in fields(PupilListData)):
        assert getattr(fast, name) == getattr(full, name), name
    # The schedule's columns are left empty by both until the engine answers.
    assert all(r.next_due is None and r.next_title == "" and not r.overdue for r in fast.rows)
    return full


def add_pupil(s, school_id: int, first: str, last: str, tv: str = "", **kw) -> Pupil:
    pupil = Pupil(
        school_id=school_id,
        first_name=first,
        tussenvoegsel=tv,
        last_name=last,
        birth_date=kw.pop("birth_date", date(2016, 5, 1)),
        **kw,
    )
    s.add(pupil)
    s.flush()
    return pupil


def levels_of(s, school_id: int) -> list[SupportLevel]:
    return list(s.get(School, school_id).support_structure.levels)


# ---------------------------------------------------------------------------- same rows
def test_quick_rows_equal_the_full_rows_on_the_demo_school(demo_db) -> None:
    full = assert_same_list(demo_db, demo_db.school_id)
    assert len(full.rows) > 100
    assert any(r.status is PupilStatus.VERTROKKEN for r in full.rows)
    assert any(r.level for r in full.rows)
    assert any(r.open_documents for r in full.rows)


def test_quick_rows_equal_the_full_rows_on_every_awkward_case(school_db) -> None:
    """Left pupils, combination groups, accents, NFD and Turkish letters, no level, areas."""
    sid = school_db.school_id
    with school_db.session() as s:
        year = ensure_school_year(s, TODAY)
        last_year = ensure_school_year(s, TODAY - timedelta(days=365))
        teacher = Staff(school_id=sid, first_name="Şule", last_name="Yılmaz")
        other = Staff(school_id=sid, first_name="Anne", tussenvoegsel="van der", last_name="Berg")
        s.add_all([teacher, other])
        combi = Group(school_id=sid, school_year_id=year.id, name="5/6", grade_low=5, grade_high=6)
        ten = Group(school_id=sid, school_year_id=year.id, name="10", grade_low=8, grade_high=8)
        empty = Group(school_id=sid, school_year_id=year.id, name="3", grade_low=3, grade_high=3)
        old = Group(school_id=sid, school_year_id=last_year.id, name="4", grade_low=4,
                    grade_high=4)  # fmt: skip
        s.add_all([combi, ten, empty, old])
        s.flush()
        combi.teachers = [teacher, other]
        ten.teachers = [other]
        levels = levels_of(s, sid)
        zoe = add_pupil(s, sid, "Zoë", "Çelik", group_id=combi.id)
        nfd = add_pupil(s, sid, unicodedata.normalize("NFD", "Renée"), "Ağaoğlu", group_id=combi.id)
        istanbul = add_pupil(s, sid, "İpek", "Işık", "", group_id=ten.id)
        dutch = add_pupil(s, sid, "Jan", "Berg", "van der", group_id=ten.id)
        add_pupil(s, sid, "Noor", "Zonder Niveau", group_id=combi.id)  # no level at all
        add_pupil(s, sid, "Sem", "Aangemeld", status=PupilStatus.AANGEMELD)  # no group
        left = add_pupil(s, sid, "Emma", "Vertrokken", group_id=old.id)
        change_level(s, zoe, levels[0], date(2026, 9, 1), "Start", today=TODAY)
        change_level(s, zoe, levels[2], date(2026, 10, 1), "Rekenen", area="Rekenen", today=TODAY)
        change_level(s, zoe, levels[1], date(2026, 10, 2), "Lezen", area="Lezen", today=TODAY)
        # Two areas at the same (highest) level, and no whole-pupil level.
        change_level(s, nfd, levels[1], date(2026, 9, 3), "Taal", area="Taal", today=TODAY)
        change_level(s, nfd, levels[1], date(2026, 9, 4), "Spelling", area="Spelling",
                     today=TODAY)  # fmt: skip
        # A tie between the whole-pupil level and an area: the whole pupil wins.
        change_level(s, istanbul, levels[1], date(2026, 9, 5), "Start", today=TODAY)
        change_level(s, istanbul, levels[1], date(2026, 9, 6), "Rekenen", area="Rekenen",
                     today=TODAY)  # fmt: skip
        change_level(s, dutch, levels[-1], date(2026, 9, 7), "MDO", today=TODAY)
        change_level(s, left, levels[-1], date(2025, 9, 7), "MDO", today=TODAY)
        left.status, left.left_on = PupilStatus.VERTROKKEN, date(2026, 1, 5)  # read-only now
        for status in (DocumentStatus.ACTIEF, DocumentStatus.CONCEPT, DocumentStatus.AFGESLOTEN):
            s.add(ShortIntervention(pupil_id=zoe.id, status=status, start_date=date(2026, 9, 1),
                                    end_date=date(2026, 10, 15)))  # fmt: skip
        s.add(GrowthDocument(pupil_id=zoe.id, status=DocumentStatus.ACTIEF))
        s.add(Opp(pupil_id=zoe.id, start_date=date(2026, 10, 5)))
        s.add(Opp(pupil_id=dutch.id, start_date=date(2025, 1, 1), end_date=date(2026, 1, 1)))
        s.add(Opp(pupil_id=istanbul.id, start_date=date(2025, 1, 1), end_date=TODAY))  # ends today
    full = assert_same_list(school_db, sid)
    rows = {r.full_name: r for r in full.rows}
    # The case is really there (a test of the test): areas, ties, docs, left, no level.
    assert rows["Zoë Çelik"].level_area == "Rekenen"
    assert rows["Zoë Çelik"].open_documents == (
        ("opp", 1), ("groeidocument", 1), ("korte_interventie", 2)
    )
    nfd_name = f"{unicodedata.normalize('NFD', 'Renée')} Ağaoğlu"
    assert rows[nfd_name].level_area in ("Taal", "Spelling")
    assert rows["İpek Işık"].level_area == ""
    assert rows["Jan van der Berg"].missing
    assert rows["Emma Vertrokken"].status is PupilStatus.VERTROKKEN
    assert rows["Emma Vertrokken"].group is not None  # last year's group, still shown
    assert rows["Noor Zonder Niveau"].level is None
    assert rows["Sem Aangemeld"].group is None
    assert {g.name for g in full.groups} == {"5/6", "10", "3", "4"}
    assert len(full.teachers) == 2


NAME = st.text(
    alphabet=st.sampled_from("aeioukrstzAEZëéèïöüçÇşŞğıİIøÅ '-") | st.just("\u0308"),
    min_size=1,
    max_size=8,
).filter(str.strip)
PUPIL = st.fixed_dictionaries(
    {
        "first": NAME,
        "tv": st.sampled_from(["", "van", "de", "van der", "ter"]),
        "last": NAME,
        "status": st.sampled_from(list(PupilStatus)),
        "group": st.none() | st.integers(0, 2),
        "left_on": st.dates(date(2020, 1, 1), date(2027, 1, 1)),
        "levels": st.lists(
            st.tuples(st.integers(0, 3), st.sampled_from(["", "Rekenen", "Lezen", "Taal"]),
                      st.dates(date(2024, 8, 1), date(2026, 11, 1))),  # fmt: skip
            max_size=3,
            unique_by=lambda assignment: assignment[1],  # one open level per area
        ),
        "docs": st.lists(
            st.tuples(st.sampled_from(["ki", "gd", "opp"]), st.sampled_from(list(DocumentStatus)),
                      st.none() | st.dates(date(2025, 1, 1), date(2027, 6, 1))),  # fmt: skip
            max_size=3,
        ),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pupils=st.lists(PUPIL, max_size=8))
def test_quick_rows_equal_the_full_rows_on_generated_schools(school_db, pupils) -> None:
    sid = school_db.school_id
    with school_db.session() as s:  # every example starts from the same empty school
        s.execute(sa.delete(Pupil).where(Pupil.school_id == sid))
        year = ensure_school_year(s, TODAY)
        groups = list(s.scalars(sa.select(Group).where(Group.school_id == sid)))
        while len(groups) < 3:
            n = len(groups)
            groups.append(Group(school_id=sid, school_year_id=year.id, name=f"{n + 4}B",
                                grade_low=n + 4, grade_high=n + 5))  # fmt: skip
            s.add(groups[-1])
        s.flush()
        levels = levels_of(s, sid)
        for i, p in enumerate(pupils):
            pupil = add_pupil(
                s, sid, p["first"], p["last"], p["tv"], birth_date=date(2016, 1, 1 + i),
                group_id=groups[p["group"]].id if p["group"] is not None else None,
            )  # fmt: skip
            for index, area, start in p["levels"]:
                change_level(s, pupil, levels[index], start, "Test", area=area, today=TODAY)
            for kind, status, end in p["docs"]:
                start = date(2024, 9, 1)
                if kind == "ki":
                    s.add(ShortIntervention(pupil_id=pupil.id, status=status, start_date=start,
                                            end_date=end or TODAY))  # fmt: skip
                elif kind == "gd":
                    s.add(GrowthDocument(pupil_id=pupil.id, status=status))
                else:
                    s.add(Opp(pupil_id=pupil.id, start_date=start, end_date=end))
            # The status last: the file of a pupil who left is read-only.
            pupil.status = p["status"]
            pupil.left_on = p["left_on"] if p["status"] is PupilStatus.VERTROKKEN else None
            s.flush()
    assert_same_list(school_db, sid)


# ---------------------------------------------------------------------------- when it answers
@pytest.fixture
def closed_demo(demo_db) -> Path:
    demo_db.dispose()
    return demo_db.path


def contents(path: Path) -> tuple[bytes, bytes]:
    """The file and its write-ahead log (a read-only look at a WAL file may leave an empty
    log and SQLite's shared-memory index beside it, as the normal path's probe does: no data).
    """
    wal = Path(f"{path}-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


def test_a_plain_file_is_read_without_writing_and_keeps_the_lock(closed_demo) -> None:
    before = contents(closed_demo)
    found = quick_pupil_list(str(closed_demo), today=TODAY)
    assert found is not None
    try:
        assert found.path == storage.sqlite_path(storage.resolve_url(str(closed_demo)))
        assert len(found.data.rows) > 100
        with pytest.raises(storage.DatabaseLockedError):
            storage.instance_lock(closed_demo)  # the lock is the app's own, held
    finally:
        found.lock.release()
    assert contents(closed_demo) == before
    storage.instance_lock(closed_demo).release()  # and it was let go again


def _set_revision(path: Path, revision: str | None) -> None:
    con = sqlite3.connect(path)
    if revision is None:
        con.execute("DROP TABLE alembic_version")
    else:
        con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    con.commit()
    con.close()


def _wreck(path: Path) -> None:
    from tests.ui.test_startup import wreck

    wreck(path)


def _second_school(path: Path) -> None:
    con = sqlite3.connect(path)
    row = con.execute("SELECT * FROM schools").fetchone()
    columns = [d[0] for d in con.execute("SELECT * FROM schools").description]
    values = dict(zip(columns, row, strict=True), id=None, name="Tweede school")
    con.execute(
        f"INSERT INTO schools ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [values[c] for c in columns],
    )
    con.commit()
    con.close()


def _no_school(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = OFF")
    for table in ("pupils", "groups", "staff", "schools"):
        con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    con.commit()
    con.close()


def _hot_journal(path: Path) -> None:
    Path(f"{path}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 504)


def _read_only(path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write a read-only file (os.access says so, for both paths)")
    path.chmod(0o444)


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("older", lambda p: _set_revision(p, "0003")),
        ("newer", lambda p: _set_revision(p, "9999")),
        ("foreign", lambda p: _set_revision(p, None)),
        ("damaged", _wreck),
        ("two schools", _second_school),
        ("no school (first run)", _no_school),
        ("crashed write to roll back", _hot_journal),
        ("read-only", _read_only),
    ],
)
def test_anything_but_a_plain_file_of_ours_goes_the_normal_way(closed_demo, case, change) -> None:
    change(closed_demo)
    before = contents(closed_demo)
    try:
        assert quick_pupil_list(str(closed_demo), today=TODAY) is None, case
        assert contents(closed_demo) == before
        storage.instance_lock(closed_demo).release()  # not left holding the lock
    finally:
        closed_demo.chmod(0o644)


def test_the_revision_is_the_one_this_version_writes(closed_demo) -> None:
    """HEAD_REVISION is what a fresh database gets: the quick path is not for a stale file."""
    assert storage.file_revision(closed_demo) == HEAD_REVISION


def test_a_file_another_window_has_open_is_left_to_the_normal_path(closed_demo) -> None:
    other = storage.instance_lock(closed_demo)
    try:
        assert quick_pupil_list(str(closed_demo), today=TODAY) is None
    finally:
        other.release()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://ib@localhost/ib",
        "sqlite:///{path}",
        "sqlite+pysqlcipher://:key@/{path}",
    ],
)
def test_a_url_goes_the_normal_path(closed_demo, url) -> None:
    value = url.format(path=closed_demo)
    assert database_file(value) is None
    assert quick_pupil_list(value, today=TODAY) is None


def test_the_file_is_the_one_the_normal_path_opens(tmp_path, monkeypatch) -> None:
    """Same path as storage resolves (so the lock taken first is recognised there)."""
    monkeypatch.chdir(tmp_path)
    assert quick_list.ENV_VAR == storage.ENV_VAR
    assert quick_list.SQLITE_HEADER == storage.SQLITE_HEADER
    for value in ("db.sqlite", "sub/../a b?c#d.sqlite", "~/x.sqlite", str(tmp_path / "z.db")):
        assert database_file(value) == storage.sqlite_path(storage.resolve_url(value)), value
    monkeypatch.setenv(storage.ENV_VAR, "env.sqlite")
    assert database_file(None) == storage.sqlite_path(storage.resolve_url(None))
    monkeypatch.delenv(storage.ENV_VAR)
    assert database_file(None) == storage.sqlite_path(storage.resolve_url(None))


def test_the_first_paint_loads_neither_sqlalchemy_nor_the_models(closed_demo) -> None:
    """The reader and the pupil-list page build their rows with SQLAlchemy blocked."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'sqlalchemy' or name.startswith(('sqlalchemy.', 'alembic')):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from datetime import date\n"
        "from ib_desktop.ui.app import ensure_application\n"
        "from ib_desktop.ui.main_window import MainWindow\n"
        "from ib_desktop.quick_list import quick_pupil_list\n"
        "app = ensure_application()\n"
        f"today = date.fromisoformat({TODAY.isoformat()!r})\n"
        f"q = quick_pupil_list({str(closed_demo)!r}, today=today)\n"
        "w = MainWindow(None)\n"
        "w.nav_list.setCurrentRow(1)\n"
        "page = w.show_preview('leerlingen', q.data)\n"
        "print('rows', page.proxy.rowCount(), 'ib_desktop.models' in sys.modules)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    _word, count, models_loaded = result.stdout.split()
    assert int(count) > 50
    assert models_loaded == "False"
