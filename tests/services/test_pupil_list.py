"""The pupil list's rows and its fast filtering and sorting, without Qt."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from ib_desktop.models import (
    DocumentStatus,
    Group,
    LevelAssignment,
    Opp,
    Pupil,
    PupilStatus,
    School,
    ShortIntervention,
    SupportLevel,
)
from ib_desktop.services.levels import change_level, missing_documents_by_pupil
from ib_desktop.services.pupil.listing import (
    NONE_ID,
    Column,
    GroupInfo,
    LevelInfo,
    PupilFilter,
    PupilIndex,
    PupilRow,
    fold,
    load_pupil_list,
    natural_key,
    with_next_evaluations,
)
from ib_desktop.services.school import ensure_school_year
from tests.conftest import TODAY


# ---------------------------------------------------------------------------- helpers
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
    school = s.get(School, school_id)
    return list(school.support_structure.levels)


def row_by_id(data, pupil_id: int) -> PupilRow:
    return next(r for r in data.rows if r.id == pupil_id)


GROUP_A = GroupInfo(1, "5A", 5, ((11, "Anna Jansen", "jansen anna"),), (5, natural_key("5A")))
GROUP_B = GroupInfo(2, "10", 8, ((12, "Piet de Vries", "vries piet"),), (8, natural_key("10")))
LEVEL_1 = LevelInfo(101, 1, "Basis", "#8bc34a")
LEVEL_3 = LevelInfo(103, 3, "Specialistisch", "#ff7043", required_documents=("opp",))


def make_row(pid: int, first: str, last: str, **kw) -> PupilRow:
    full = f"{first} {last}"
    sort = f"{last}, {first}"
    values = dict(
        id=pid,
        sort_name=sort,
        full_name=full,
        status=PupilStatus.ACTIEF,
        left_on=None,
        group=GROUP_A,
        level=LEVEL_1,
        level_area="",
        since=date(2025, 9, 1),
        open_documents=(),
        has_opp=False,
        missing=(),
        next_due=None,
        next_title="",
        overdue=False,
        search_key=fold(f"{full}|{sort}"),
    )
    values.update(kw)
    return PupilRow(**values)


@pytest.fixture
def rows() -> list[PupilRow]:
    return [
        make_row(1, "Sanne", "Vries", search_key=fold("Sanne de Vries|Vries, Sanne de")),
        make_row(2, "Zoë", "Jansen", group=GROUP_B, level=LEVEL_3, has_opp=True,
                 open_documents=(("opp", 1),), next_due=date(2026, 11, 1), overdue=True),
        make_row(3, "Daan", "Bakker", level=None, since=None, next_due=date(2026, 12, 1)),
        make_row(4, "Jan", "Janssen", level=LEVEL_3, missing=("opp",)),
        make_row(5, "Emma", "Jansma", status=PupilStatus.VERTROKKEN, group=None,
                 left_on=date(2026, 1, 5)),
    ]  # fmt: skip


# ---------------------------------------------------------------------------- loading
def test_rows_show_name_group_teacher_level_and_since(school_db) -> None:
    with school_db.session() as s:
        year = ensure_school_year(s, TODAY)
        group = Group(
            school_id=school_db.school_id,
            school_year_id=year.id,
            name="5A",
            grade_low=5,
            grade_high=5,
        )
        s.add(group)
        s.flush()
        pupil = add_pupil(s, school_db.school_id, "Sanne", "Vries", "de", group_id=group.id)
        level = levels_of(s, school_db.school_id)[1]
        change_level(s, pupil, level, date(2026, 9, 14), "Extra instructie rekenen", today=TODAY)
        pid = pupil.id
    with school_db.session() as s:
        data = load_pupil_list(s, school_db.school_id, today=TODAY)
    row = row_by_id(data, pid)
    assert row.sort_name == "Vries, Sanne de"
    assert row.full_name == "Sanne de Vries"
    assert row.group_name == "5A"
    assert row.level is not None
    assert row.level.position == 2
    assert row.since == date(2026, 9, 14)
    assert row.status is PupilStatus.ACTIEF
    assert [g.name for g in data.groups] == ["5A"]


def test_loading_uses_a_fixed_number_of_queries(school_db, demo_db) -> None:
    """Set-based: the number of queries does not grow with the number of pupils."""

    def count_queries(db) -> int:
        seen: list[str] = []

        def listener(*args) -> None:
            seen.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with db.session() as s:
                data = load_pupil_list(s, db.school_id, today=TODAY, with_schedule=False)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert data.rows or db is school_db
        return len(seen)

    small = count_queries(school_db)
    big = count_queries(demo_db)
    assert big == small
    assert big <= 12


def test_missing_flags_match_the_levels_service(demo_db) -> None:
    """The list computes what is missing itself; it must agree with services.levels."""
    with demo_db.session() as s:
        levels = levels_of(s, demo_db.school_id)
        plain = list(
            s.scalars(
                sa.select(Pupil)
                .join(LevelAssignment)
                .where(Pupil.status == PupilStatus.ACTIEF, LevelAssignment.end_date.is_(None),
                       LevelAssignment.level_id == levels[0].id)
                .order_by(Pupil.id)
                .limit(3)
            )
        )  # fmt: skip
        change_level(s, plain[0], levels[1], TODAY, "Extra instructie", today=TODAY)
        change_level(s, plain[1], levels[2], TODAY, "MDO", today=TODAY)
        change_level(s, plain[2], levels[2], TODAY, "MDO", area="Rekenen", today=TODAY)
    with demo_db.session() as s:
        data = load_pupil_list(s, demo_db.school_id, today=TODAY)
        expected = missing_documents_by_pupil(s, demo_db.school_id, today=TODAY)
    shown = {r.id: set(r.missing) for r in data.rows if r.missing}
    assert len(expected) >= 3
    assert shown == {pid: set(m) for pid, m in expected.items()}


def test_opp_level_without_opp_is_flagged_until_an_opp_exists(school_db) -> None:
    with school_db.session() as s:
        pupil = add_pupil(s, school_db.school_id, "Daan", "Bakker")
        opp_level = next(
            lvl for lvl in levels_of(s, school_db.school_id) if lvl.required_documents == ["opp"]
        )
        change_level(s, pupil, opp_level, date(2026, 10, 1), "Advies MDO", today=TODAY)
        pid = pupil.id
    with school_db.session() as s:
        row = row_by_id(load_pupil_list(s, school_db.school_id, today=TODAY), pid)
    assert row.missing == ("opp",)
    assert not row.has_opp
    with school_db.session() as s:
        s.add(Opp(pupil_id=pid, start_date=date(2026, 10, 5)))
    with school_db.session() as s:
        row = row_by_id(load_pupil_list(s, school_db.school_id, today=TODAY), pid)
    assert row.missing == ()
    assert row.has_opp
    assert row.open_documents == (("opp", 1),)


def test_open_documents_are_counted_per_kind_and_closed_ones_left_out(school_db) -> None:
    with school_db.session() as s:
        pupil = add_pupil(s, school_db.school_id, "Emma", "Smit")
        for status in (DocumentStatus.ACTIEF, DocumentStatus.CONCEPT, DocumentStatus.AFGESLOTEN):
            s.add(ShortIntervention(pupil_id=pupil.id, status=status, start_date=date(2026, 9, 1),
                                    end_date=date(2026, 10, 15)))  # fmt: skip
        s.add(
            Opp(pupil_id=pupil.id, start_date=date(2025, 1, 1), end_date=date(2026, 1, 1))
        )  # ended
        pid = pupil.id
    with school_db.session() as s:
        row = row_by_id(load_pupil_list(s, school_db.school_id, today=TODAY), pid)
    assert row.open_documents == (("korte_interventie", 2),)
    assert row.open_document_count == 2
    assert not row.has_opp


def test_per_area_level_shows_the_highest_with_its_area(school_db) -> None:
    with school_db.session() as s:
        pupil = add_pupil(s, school_db.school_id, "Lotte", "Meijer")
        levels = levels_of(s, school_db.school_id)
        change_level(s, pupil, levels[0], date(2026, 9, 1), "Start", today=TODAY)
        change_level(
            s,
            pupil,
            levels[2],
            date(2026, 10, 1),
            "Rekenen blijft achter",
            area="Rekenen",
            today=TODAY,
        )
        pid = pupil.id
    with school_db.session() as s:
        row = row_by_id(load_pupil_list(s, school_db.school_id, today=TODAY), pid)
    assert row.level is not None
    assert row.level.position == 3
    assert row.level_area == "Rekenen"
    assert row.since == date(2026, 10, 1)
    assert row.missing == ("opp",)


def test_left_pupils_are_listed_with_their_status_but_never_flagged(demo_db) -> None:
    with demo_db.session() as s:
        left_ids = set(s.scalars(sa.select(Pupil.id).where(Pupil.status == PupilStatus.VERTROKKEN)))
        data = load_pupil_list(s, demo_db.school_id, today=TODAY)
    left_rows = [r for r in data.rows if r.id in left_ids]
    assert left_rows
    assert all(r.status is PupilStatus.VERTROKKEN and r.left_on for r in left_rows)
    assert all(r.missing == () for r in left_rows)


def test_one_group_only(demo_db) -> None:
    with demo_db.session() as s:
        gid = s.scalar(sa.select(Pupil.group_id).where(Pupil.group_id.is_not(None)).limit(1))
        expected = set(s.scalars(sa.select(Pupil.id).where(Pupil.group_id == gid)))
        data = load_pupil_list(s, demo_db.school_id, today=TODAY, group_id=gid)
    assert {r.id for r in data.rows} == expected
    assert [g.id for g in data.groups] == [gid]


def test_next_evaluation_comes_from_the_schedule_engine(demo_db) -> None:
    from ib_desktop.schedule import next_due_by_pupil

    with demo_db.session() as s:
        due = next_due_by_pupil(s, demo_db.school_id, today=TODAY)
        data = load_pupil_list(s, demo_db.school_id, today=TODAY)
    assert due, "the demo school has open evaluations"
    for row in data.rows:
        moment = due.get(row.id)
        assert row.next_due == (moment.due if moment else None)
        assert row.overdue == bool(moment and moment.due < TODAY and moment.done_on is None)
    assert any(r.overdue for r in data.rows)


def test_schedule_can_be_filled_in_later(demo_db) -> None:
    with demo_db.session() as s:
        first = load_pupil_list(s, demo_db.school_id, today=TODAY, with_schedule=False)
        complete = load_pupil_list(s, demo_db.school_id, today=TODAY)
        from ib_desktop.services.pupil.listing import next_evaluations

        later = with_next_evaluations(
            first, next_evaluations(s, demo_db.school_id, today=TODAY), today=TODAY
        )
    assert all(r.next_due is None for r in first.rows)
    assert later.rows == complete.rows


# ---------------------------------------------------------------------------- filtering
def ids(index: PupilIndex, positions: list[int]) -> list[int]:
    return [index.rows[i].id for i in positions]


def test_text_filter_ignores_case_accents_and_word_order(rows) -> None:
    index = PupilIndex(rows)
    assert ids(index, index.view(PupilFilter(text="zoe"))) == [2]
    assert ids(index, index.view(PupilFilter(text="VRIES sanne"))) == [1]
    assert ids(index, index.view(PupilFilter(text="de vries"))) == [1]
    assert ids(index, index.view(PupilFilter(text="xyz"))) == []


def test_typing_narrows_and_backspace_widens_again(rows) -> None:
    index = PupilIndex(rows)
    assert ids(index, index.view(PupilFilter(text="jan"))) == [2, 4]
    assert ids(index, index.view(PupilFilter(text="jans"))) == [2, 4]
    assert ids(index, index.view(PupilFilter(text="janss"))) == [4]
    assert ids(index, index.view(PupilFilter(text="jan"))) == [2, 4]
    assert ids(index, index.view(PupilFilter(text="jan", status=None))) == [2, 5, 4]


@pytest.mark.parametrize(
    ("pupil_filter", "expected"),
    [
        (PupilFilter(), [3, 2, 4, 1]),
        (PupilFilter(status=None), [3, 2, 5, 4, 1]),
        (PupilFilter(status=PupilStatus.VERTROKKEN), [5]),
        (PupilFilter(group_id=2), [2]),
        (PupilFilter(group_id=NONE_ID, status=None), [5]),
        (PupilFilter(level_id=103), [2, 4]),
        (PupilFilter(level_id=NONE_ID), [3]),
        (PupilFilter(teacher_id=12), [2]),
        (PupilFilter(teacher_id=11), [3, 4, 1]),
        (PupilFilter(has_opp=True), [2]),
        (PupilFilter(overdue=True), [2]),
        (PupilFilter(missing=True), [4]),
        (PupilFilter(level_id=103, missing=True), [4]),
    ],
)
def test_each_filter(rows, pupil_filter, expected) -> None:
    index = PupilIndex(rows)
    assert ids(index, index.view(pupil_filter)) == expected


def test_count_is_the_total_for_the_status(rows) -> None:
    index = PupilIndex(rows)
    assert index.count(PupilFilter(text="jan")) == 4
    assert index.count(PupilFilter(status=None)) == 5


# ---------------------------------------------------------------------------- sorting
def test_sorting_keeps_empty_values_last_both_ways(rows) -> None:
    index = PupilIndex(rows)
    f = PupilFilter(status=None)
    assert ids(index, index.view(f, Column.NEXT)) == [2, 3, 5, 4, 1]
    assert ids(index, index.view(f, Column.NEXT, True)) == [3, 2, 5, 4, 1]
    assert ids(index, index.view(f, Column.LEVEL, True))[-1] == 3
    assert ids(index, index.view(f, Column.LEVEL))[-1] == 3


def test_groups_sort_by_grade_then_as_people_count(rows) -> None:
    index = PupilIndex(rows)
    by_group = ids(index, index.view(PupilFilter(status=None), Column.GROUP))
    assert by_group[:3] == [3, 4, 1]  # group 5A (grade 5) before group "10" (grade 8)
    assert by_group[-1] == 5  # no group last
    assert sorted(["10", "2", "5B", "5A"], key=natural_key) == ["2", "5A", "5B", "10"]


def test_sorting_and_filtering_together(rows) -> None:
    index = PupilIndex(rows)
    assert ids(index, index.view(PupilFilter(text="jan"), Column.NAME, True)) == [4, 2]
    assert ids(index, index.view(PupilFilter(text="jan"), Column.LEVEL)) == [2, 4]


def test_updated_index_recomputes_changed_columns(rows) -> None:
    index = PupilIndex(rows)
    assert ids(index, index.view(PupilFilter(), Column.NEXT)) == [2, 3, 4, 1]
    assert ids(index, index.view(PupilFilter(overdue=True))) == [2]
    changed = [
        r._replace(next_due=date(2026, 10, 1), overdue=True) if r.id == 4 else r for r in rows
    ]
    new = index.updated(changed, {Column.NEXT})
    assert ids(new, new.view(PupilFilter(), Column.NEXT)) == [4, 2, 3, 1]
    assert ids(new, new.view(PupilFilter(overdue=True))) == [2, 4]


def test_fold() -> None:
    assert fold("Zoë Çelik") == "zoe celik"
    assert fold("Ĳsbrand") == "ijsbrand"
    assert fold("Dvořák") == "dvorak"


def test_demo_school_filters_agree_with_the_database(demo_db) -> None:
    with demo_db.session() as s:
        data = load_pupil_list(s, demo_db.school_id, today=TODAY)
        group_id = data.groups[3].id
        in_group = set(
            s.scalars(
                sa.select(Pupil.id).where(
                    Pupil.group_id == group_id, Pupil.status == PupilStatus.ACTIEF
                )
            )
        )
        level_id = data.levels[1].id
        on_level = set(
            s.scalars(
                sa.select(LevelAssignment.pupil_id)
                .join(Pupil)
                .where(LevelAssignment.level_id == level_id, LevelAssignment.end_date.is_(None),
                       Pupil.status == PupilStatus.ACTIEF)
            )
        )  # fmt: skip
        with_opp = set(
            s.scalars(
                sa.select(Opp.pupil_id)
                .join(Pupil)
                .where(
                    sa.or_(Opp.end_date.is_(None), Opp.end_date >= TODAY),
                    Pupil.status == PupilStatus.ACTIEF,
                )
            )
        )
    index = PupilIndex(data.rows)
    assert set(ids(index, index.view(PupilFilter(group_id=group_id)))) == in_group
    assert set(ids(index, index.view(PupilFilter(level_id=level_id)))) == on_level
    assert set(ids(index, index.view(PupilFilter(has_opp=True)))) == with_opp
    shown = ids(index, index.view(PupilFilter(), Column.SINCE, True))
    since = [r.since for r in (row_by_id(data, i) for i in shown)]
    filled = [d for d in since if d is not None]
    assert filled == sorted(filled, reverse=True)
    assert timedelta(0) <= TODAY - filled[0]
