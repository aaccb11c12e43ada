"""The pupil list page, driven as a user: typing, filters, keyboard, opening a pupil."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtTest import QAbstractItemModelTester

from ib_desktop.models import LevelAssignment, Pupil, PupilStatus, School
from ib_desktop.services.levels import change_level
from ib_desktop.ui.pupil_list.model import PupilTableModel
from ib_desktop.ui.pupil_list.page import PupilListPage
from tests.conftest import TODAY


class FakeNavigator(QObject):
    """Records what the page asks the main window to do."""

    dataChanged = Signal()  # noqa: N815

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[int] = []

    def open_pupil(self, pupil_id: int) -> None:
        self.opened.append(pupil_id)

    def open_document(self, kind, doc_id=None, *, pupil_id=None) -> None:  # pragma: no cover
        pass

    def show_page(self, key: str) -> None:  # pragma: no cover
        pass

    def notify_changed(self) -> None:
        self.dataChanged.emit()


@pytest.fixture
def nav() -> FakeNavigator:
    return FakeNavigator()


@pytest.fixture
def page(ctx, nav, qtbot, monkeypatch) -> PupilListPage:
    monkeypatch.setattr(PupilListPage, "SCHEDULE_DELAY_MS", 0)
    widget = PupilListPage(ctx, nav)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)  # a Python-level wait (see tests/conftest.py)
    qtbot.waitUntil(lambda: widget.schedule_ready, timeout=10000)
    yield widget
    widget.wait_for_background()


def shown_rows(page: PupilListPage):
    return [page.proxy.row_at(r) for r in range(page.proxy.rowCount())]


def active_count(ctx) -> int:
    with ctx.db.session() as s:
        return s.scalar(
            sa.select(sa.func.count(Pupil.id)).where(Pupil.status == PupilStatus.ACTIEF)
        )


def test_models_pass_the_qt_model_tester(page) -> None:
    QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    QAbstractItemModelTester(page.proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    page.search.setText("a")
    page.table.sortByColumn(PupilTableModel.COL_LEVEL, Qt.SortOrder.DescendingOrder)
    page.opp_check.setChecked(True)
    page.reload()
    page.search.setText("")
    page.opp_check.setChecked(False)
    assert page.proxy.rowCount() == active_count(page.ctx)


def test_model_roles_give_native_sort_values_and_the_row(page) -> None:
    model = page.model
    row = next(r for r in model.rows if r.level is not None and r.since is not None)
    i = model.rows.index(row)
    assert model.data(model.index(i, model.COL_LEVEL), model.SortRole) == row.level.position
    assert model.data(model.index(i, model.COL_SINCE), model.SortRole) == row.since
    assert model.data(model.index(i, model.COL_NAME), model.RowRole) is row
    assert model.data(model.index(i, model.COL_NAME)) == row.sort_name
    assert (
        model.data(model.index(i, model.COL_LEVEL), Qt.ItemDataRole.BackgroundRole).color().name()
        == row.level.color
    )


def test_count_and_quick_filter_by_typing(page, qtbot) -> None:
    total = active_count(page.ctx)
    assert page.count_label.text() == f"{total} van {total} leerlingen"
    target = shown_rows(page)[7]
    last = target.sort_name.split(",")[0]
    qtbot.keyClicks(page.search, last.encode("ascii", "ignore").decode()[:5])
    rows = shown_rows(page)
    assert target in rows
    assert 0 < len(rows) < total
    assert page.count_label.text() == f"{len(rows)} van {total} leerlingen"
    needle = last.encode("ascii", "ignore").decode()[:5].lower()
    assert all(needle in r.search_key for r in rows)
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert page.proxy.rowCount() == total


def test_non_ascii_search_text(page, qtbot) -> None:
    page.search.setText("zoë")
    assert all("zoe" in r.search_key for r in shown_rows(page))


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_group_level_and_teacher_filters(page, ctx) -> None:
    with ctx.db.session() as s:
        group_id, group_pupils = None, set()
        some = s.execute(
            sa.select(Pupil.group_id).where(Pupil.status == PupilStatus.ACTIEF).limit(1)
        ).scalar()
        group_id = some
        group_pupils = set(
            s.scalars(
                sa.select(Pupil.id).where(
                    Pupil.group_id == group_id, Pupil.status == PupilStatus.ACTIEF
                )
            )
        )
    choose(page.group_combo, group_id)
    assert {r.id for r in shown_rows(page)} == group_pupils
    page.group_combo.setCurrentIndex(0)

    level = page._data.levels[1]
    choose(page.level_combo, level.id)
    rows = shown_rows(page)
    assert rows
    assert all(r.level.id == level.id for r in rows)
    page.level_combo.setCurrentIndex(0)

    teacher_id, teacher_name = page._data.teachers[0]
    choose(page.teacher_combo, teacher_id)
    rows = shown_rows(page)
    assert rows
    assert all(teacher_id in r.group.teacher_ids for r in rows)
    assert all(
        teacher_name
        in page.model.value(r, PupilTableModel.COL_TEACHER, Qt.ItemDataRole.DisplayRole)
        for r in rows
    )


def test_opp_overdue_missing_and_status_filters(page, qtbot) -> None:
    page.opp_check.setChecked(True)
    rows = shown_rows(page)
    assert rows
    assert all(r.has_opp for r in rows)
    page.opp_check.setChecked(False)

    assert page.overdue_check.isEnabled()
    qtbot.mouseClick(page.overdue_check, Qt.MouseButton.LeftButton)
    rows = shown_rows(page)
    assert rows
    assert all(r.overdue and r.next_due < TODAY for r in rows)
    cell = page.proxy.index(0, PupilTableModel.COL_NEXT)
    assert "te laat" in cell.data()
    assert cell.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    qtbot.mouseClick(page.overdue_check, Qt.MouseButton.LeftButton)

    choose(page.status_combo, "vertrokken")
    rows = shown_rows(page)
    assert rows
    assert all(r.status is PupilStatus.VERTROKKEN for r in rows)
    assert page.proxy.index(0, PupilTableModel.COL_GROUP).data() == "vertrokken"
    choose(page.status_combo, "alle")
    assert page.proxy.rowCount() == len(page.model.rows)

    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert page.status_combo.currentData() == "actief"
    assert page.proxy.rowCount() == active_count(page.ctx)


def test_missing_opp_flag_after_escalation_and_reload_keeps_selection(
    page, nav, ctx, qtbot
) -> None:
    target = shown_rows(page)[5]
    page.select_pupil(target.id)
    with ctx.db.session() as s:
        school = s.get(School, ctx.school_id)
        opp_level = next(
            lvl for lvl in school.support_structure.levels if lvl.required_documents == ["opp"]
        )
        current = s.scalar(
            sa.select(LevelAssignment.level_id).where(
                LevelAssignment.pupil_id == target.id, LevelAssignment.end_date.is_(None)
            )
        )
        assert current != opp_level.id
        change_level(
            s, s.get(Pupil, target.id), opp_level, TODAY, "Besproken in het MDO", today=TODAY
        )
    nav.notify_changed()
    assert page.current_pupil_id() == target.id
    row = page.proxy.proxy_row_of(target.id)
    flag = page.proxy.index(row, PupilTableModel.COL_SIGNALS)
    assert flag.data() == "OPP ontbreekt"
    assert flag.data(Qt.ItemDataRole.DecorationRole) is not None
    page.missing_check.setChecked(True)
    assert target.id in [r.id for r in shown_rows(page)]
    assert all(r.missing for r in shown_rows(page))


def test_enter_and_double_click_open_the_pupil(page, nav, qtbot) -> None:
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    first = shown_rows(page)[0]
    assert page.current_pupil_id() == first.id
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    second = shown_rows(page)[1]
    assert page.current_pupil_id() == second.id
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert nav.opened == [second.id]

    rect = page.table.visualRect(page.proxy.index(2, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert nav.opened[-1] == shown_rows(page)[2].id


def test_keyboard_ctrl_f_escape_and_type_ahead(page, qtbot) -> None:
    page.table.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    qtbot.keyClicks(page.table, "b")
    assert page.search.hasFocus()
    assert page.search.text() == "b"
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert page.search.hasFocus()


def test_tab_order_goes_through_the_filters_to_the_list(page, qtbot) -> None:
    page.search.setFocus()
    order = [page.search]
    for _ in range(9):
        qtbot.keyClick(QApplication_focus(), Qt.Key.Key_Tab)
        order.append(QApplication_focus())
    assert order == [
        page.search, page.group_combo, page.level_combo, page.teacher_combo, page.status_combo,
        page.opp_check, page.overdue_check, page.missing_check, page.clear_button, page.table,
    ]  # fmt: skip


def QApplication_focus():  # noqa: N802
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget()


def test_clicking_a_header_sorts(page, qtbot) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(PupilTableModel.COL_LEVEL) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    positions = [r.level.position if r.level else 0 for r in shown_rows(page)]
    assert positions == sorted(positions) or positions == sorted(positions, reverse=True)
    assert len(set(positions)) > 1


def test_sorting_keeps_the_selection(page) -> None:
    target = shown_rows(page)[10]
    page.select_pupil(target.id)
    page.table.sortByColumn(PupilTableModel.COL_NAME, Qt.SortOrder.DescendingOrder)
    assert page.current_pupil_id() == target.id
    assert shown_rows(page)[page.table.currentIndex().row()].id == target.id


def test_hidden_page_reloads_when_shown_again(page, nav, ctx, qtbot) -> None:
    page.hide()
    with ctx.db.session() as s:
        pupil = s.scalars(
            sa.select(Pupil).where(Pupil.status == PupilStatus.ACTIEF).limit(1)
        ).first()
        pupil.first_name = "Xaviera"
    nav.notify_changed()
    assert not any(r.full_name.startswith("Xaviera") for r in page.model.rows)
    page.show()
    assert any(r.full_name.startswith("Xaviera") for r in page.model.rows)


def test_page_in_the_main_window_opens_the_pupil_file(main_window, qtbot, no_dialogs) -> None:
    page = main_window.page("leerlingen")
    assert isinstance(page, PupilListPage)
    qtbot.waitUntil(lambda: page.schedule_ready, timeout=10000)
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    opened = [w for w in main_window.open_windows()]
    assert opened or no_dialogs["information"]
    page.wait_for_background()
