"""The groepsoverzicht page: the groups-by-levels matrix and one group's pupils by level."""

from __future__ import annotations

import io
from collections import Counter

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QModelIndex, QPoint, Qt

from ib_desktop.models import Group, LevelAssignment, Pupil, PupilStatus, School, SchoolYear
from ib_desktop.services.levels import change_level
from ib_desktop.ui.group_overview import GroupMatrixModel, GroupOverviewPage
from tests.conftest import TODAY
from tests.ui.test_pupil_list import FakeNavigator


@pytest.fixture
def nav() -> FakeNavigator:
    return FakeNavigator()


@pytest.fixture
def page(ctx, nav, qtbot) -> GroupOverviewPage:
    widget = GroupOverviewPage(ctx, nav)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    widget.activateWindow()
    # A Python-level wait: Qt's own (waitActive) can hold the interpreter on a loaded machine,
    # and then not even the test timeout fires.
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def counts_in_db(ctx) -> dict[tuple[str, int], int]:
    """(group name, level position) -> active pupils, straight from the database."""
    with ctx.db.session() as s:
        rows = s.execute(
            sa.select(Group.name, School.id, LevelAssignment.level_id)
            .select_from(Pupil)
            .join(Group, Group.id == Pupil.group_id)
            .join(SchoolYear, SchoolYear.id == Group.school_year_id)
            .join(School, School.id == Pupil.school_id)
            .join(
                LevelAssignment,
                sa.and_(LevelAssignment.pupil_id == Pupil.id, LevelAssignment.end_date.is_(None)),
            )
            .where(Pupil.status == PupilStatus.ACTIEF, SchoolYear.label == "2026-2027")
        ).all()
        positions = {
            lvl.id: lvl.position for lvl in s.get(School, ctx.school_id).support_structure.levels
        }
    return Counter((name, positions[level_id]) for name, _school, level_id in rows)


def test_models_pass_the_tester(page, model_tester) -> None:
    model_tester(page.matrix_model)
    model_tester(page.matrix_proxy)
    model_tester(page.pupils_model)
    page.select_group(page.overview.rows[3].group.id)
    page.matrix.sortByColumn(GroupMatrixModel.COL_TOTAL, Qt.SortOrder.DescendingOrder)
    page.reload()
    assert page.pupils_model.rowCount() > 0


def test_matrix_counts_match_the_database(page, ctx) -> None:
    expected = counts_in_db(ctx)
    model = page.matrix_model
    assert model.rowCount() == len(page.overview.rows) >= 8
    shown = {}
    for r in range(model.rowCount()):
        name = model.index(r, GroupMatrixModel.COL_GROUP).data()
        for col in range(model.columnCount()):
            level = model.level_of_column(col)
            if level is not None:
                value = model.index(r, col).data(GroupMatrixModel.SortRole)
                if value:
                    shown[(name, level.position)] = value
    assert shown == dict(expected)
    assert str(sum(expected.values())) in page.totals.text()
    cell = next(
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.level_of_column(c) is not None
        and model.index(r, c).data(GroupMatrixModel.SortRole)
    )
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "Niveau 1" in [
        model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
    ]


def test_groups_are_in_counting_order_and_sort_by_clicking(page, qtbot) -> None:
    names = [page.matrix_proxy.index(r, 0).data() for r in range(page.matrix_proxy.rowCount())]
    assert names == [row.group.name for row in page.overview.rows]
    header = page.matrix.horizontalHeader()
    col = next(
        c
        for c in range(page.matrix_model.columnCount())
        if page.matrix_model.level_of_column(c)
        and page.matrix_model.level_of_column(c).position == 2
    )
    x = header.sectionViewportPosition(col) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    values = [
        page.matrix_proxy.index(r, col).data(GroupMatrixModel.SortRole)
        for r in range(page.matrix_proxy.rowCount())
    ]
    assert values == sorted(values) or values == sorted(values, reverse=True)


def test_choosing_a_group_shows_its_pupils_by_level(page, ctx, qtbot) -> None:
    target = page.overview.rows[5]
    row = next(
        r
        for r in range(page.matrix_proxy.rowCount())
        if page.matrix_proxy.index(r, 0).data() == target.group.name
    )
    rect = page.matrix.visualRect(page.matrix_proxy.index(row, 0))
    qtbot.mouseClick(page.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_group_id() == target.group.id
    assert target.group.name in page.group_title.text()
    model = page.pupils_model
    positions = []
    shown_ids = set()
    for section in range(model.rowCount()):
        header = model.index(section, 0)
        level = header.data(model.RowRole)
        positions.append(level.position if level else 99)
        assert f"({model.rowCount(header)})" in header.data()
        for child in range(model.rowCount(header)):
            pupil = model.index(child, 0, header).data(model.RowRole)
            assert pupil.group.id == target.group.id
            assert (pupil.level.id if pupil.level else None) == (level.id if level else None)
            shown_ids.add(pupil.id)
    assert positions == sorted(positions, reverse=True) or positions[-1] == 99
    with ctx.db.session() as s:
        in_group = set(
            s.scalars(
                sa.select(Pupil.id).where(
                    Pupil.group_id == target.group.id, Pupil.status == PupilStatus.ACTIEF
                )
            )
        )
    assert shown_ids == in_group


def test_enter_on_a_pupil_opens_the_file(page, nav, qtbot) -> None:
    model = page.pupils_model
    header = model.index(0, 0)
    page.pupils.setFocus()
    page.pupils.setCurrentIndex(header)
    qtbot.keyClick(page.pupils, Qt.Key.Key_Return)
    assert nav.opened == []  # a level header is not a pupil
    first = model.index(0, 0, header)
    page.pupils.setCurrentIndex(first)
    qtbot.keyClick(page.pupils, Qt.Key.Key_Return)
    assert nav.opened == [first.data(model.RowRole).id]


def test_reload_after_escalation_keeps_the_group(page, nav, ctx) -> None:
    target = page.overview.rows[2]
    page.select_group(target.group.id)
    before = page.overview.rows[2]
    with ctx.db.session() as s:
        school = s.get(School, ctx.school_id)
        top = school.support_structure.levels[-1]
        pupil_id = next(
            r.id
            for r in page.overview.pupils[target.group.id]
            if r.level is not None and r.level.id != top.id
        )
        change_level(s, s.get(Pupil, pupil_id), top, TODAY, "Besproken in het MDO", today=TODAY)
    nav.notify_changed()
    assert page.current_group_id() == target.group.id
    after = next(r for r in page.overview.rows if r.group.id == target.group.id)
    assert after.count(top.id) == before.count(top.id) + 1
    assert after.missing >= 1  # the top level requires an OPP this pupil lacks


def test_print_the_group_with_names(page, monkeypatch) -> None:
    from pypdf import PdfReader

    from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    shown: list[tuple[bytes, str, str]] = []
    monkeypatch.setattr(
        PdfPreviewDialog,
        "preview",
        classmethod(lambda cls, parent, pdf, title, name: shown.append((pdf, title, name))),
    )
    group = page.overview.rows[1].group
    page.select_group(group.id)
    page.print_overview(group.id)
    pdf, title, name = shown[-1]
    assert pdf.startswith(b"%PDF")
    assert group.name in title
    assert name.endswith(".pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    first_pupil = page.overview.pupils[group.id][0]
    assert first_pupil.sort_name.split(",")[0] in text
    page.print_overview(None)
    assert shown[-1][0].startswith(b"%PDF")


def test_empty_school_year(school_db, nav, qtbot) -> None:
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext

    ensure_application()
    ctx = AppContext(db=school_db, school_id=school_db.school_id, today_fn=lambda: TODAY)
    widget = GroupOverviewPage(ctx, nav)
    qtbot.addWidget(widget)
    assert widget.matrix_model.rowCount() == 0
    assert "nog geen groepen" in widget.group_title.text()
    assert widget.current_group_id() is None
    assert widget.pupils_model.rowCount(QModelIndex()) == 0
