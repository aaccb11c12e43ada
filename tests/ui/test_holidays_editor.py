"""Instellingen > Vakanties: the region's list, add/change/remove with Dutch errors, reset."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from ib_desktop.dates import weekday_date
from ib_desktop.models import Holiday, Region
from ib_desktop.services import holidays as hol
from ib_desktop.ui.settings.holiday_dialogs import HolidayDialog
from ib_desktop.ui.settings.holidays import HolidaysTab, HolidayTableModel
from ib_desktop.ui.widgets.forms import to_qdate

TODAY = date(2026, 11, 18)


class FakeNav(QObject):
    dataChanged = Signal()  # noqa: N815

    def notify_changed(self) -> None:
        self.dataChanged.emit()


@pytest.fixture
def tab(ctx, qtbot, no_dialogs):
    widget = HolidaysTab(ctx, FakeNav())
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def names_shown(tab: HolidaysTab) -> list[str]:
    return [
        tab.proxy.index(r, HolidayTableModel.COL_NAME).data() for r in range(tab.proxy.rowCount())
    ]


def test_model_tester_and_this_school_year_first(tab) -> None:
    testers = [
        QAbstractItemModelTester(tab.model, QAbstractItemModelTester.FailureReportingMode.Fatal),
        QAbstractItemModelTester(tab.proxy, QAbstractItemModelTester.FailureReportingMode.Fatal),
    ]
    assert tab.year_combo.currentData() == "2026-2027"
    shown = names_shown(tab)
    assert shown[0] == "Herfstvakantie"
    assert shown[-1] == "Zomervakantie"
    assert "midden" in tab.region_label.text()
    tab.year_combo.setCurrentIndex(0)  # all years
    assert tab.proxy.rowCount() == len(tab.model.rows) > len(shown)
    tab.table.sortByColumn(HolidayTableModel.COL_DAYS, Qt.SortOrder.DescendingOrder)
    assert tab.proxy.index(0, HolidayTableModel.COL_NAME).data() == "Zomervakantie"
    assert len(testers) == 2


def fill_dialog(qtbot, dialog: HolidayDialog, name: str, start: date, end: date) -> None:
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, name)
    dialog.start_edit.setDate(to_qdate(start))
    dialog.end_edit.setDate(to_qdate(end))


def test_dialog_shows_errors_beside_the_fields(ctx, qtbot) -> None:
    dialog = HolidayDialog(ctx, Region.MIDDEN)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_dialog(qtbot, dialog, "", date(2026, 12, 4), date(2026, 12, 4))
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert "naam" in dialog.errors.message("name")
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.name_edit, "Studiedag")
    dialog.start_edit.setDate(to_qdate(date(2026, 12, 19)))  # Kerstvakantie starts that day
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert "Kerstvakantie" in dialog.errors.message("start")
    assert dialog.errors.message("name") == ""


def test_start_after_end_moves_the_end_along(ctx, qtbot) -> None:
    dialog = HolidayDialog(ctx, Region.MIDDEN)
    qtbot.addWidget(dialog)
    dialog.start_edit.setDate(to_qdate(date(2027, 3, 1)))
    dialog.end_edit.setDate(to_qdate(date(2027, 3, 1)))
    dialog.start_edit.setDate(to_qdate(date(2027, 3, 5)))
    assert dialog.end_edit.date() == to_qdate(date(2027, 3, 5))


def test_add_a_study_day_through_the_dialog(tab, qtbot, ctx) -> None:
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        try:
            fill_dialog(qtbot, dialog, "Studiedag", date(2026, 12, 4), date(2026, 12, 4))
            qtbot.mouseClick(
                dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
            )
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert "Studiedag" in names_shown(tab)
    assert tab.current().name == "Studiedag"
    with ctx.db.session() as s:
        assert any(h.name == "Studiedag" for h in hol.list_holidays(s, Region.MIDDEN))


def test_delete_asks_first_then_removes(tab, qtbot, ctx, no_dialogs) -> None:
    tab.table.selectRow(0)
    name = tab.current().name
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert no_dialogs["question"]
    assert name in no_dialogs["question"][-1]
    assert name not in names_shown(tab)


def test_delete_is_not_done_when_the_user_says_no(tab, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    tab.table.selectRow(0)
    name = tab.current().name
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert name in names_shown(tab)


def test_reset_brings_back_the_shipped_list(tab, qtbot, ctx) -> None:
    with ctx.db.session() as s:
        s.query(Holiday).filter(Holiday.name == "Kerstvakantie").delete()
    tab.reload()
    assert "Kerstvakantie" not in names_shown(tab)
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert "Kerstvakantie" in names_shown(tab)


def test_edit_changes_the_dates_and_the_agenda_follows(tab, qtbot, ctx) -> None:
    from ib_desktop.schedule import school_calendar

    row = names_shown(tab).index("Herfstvakantie")
    tab.table.selectRow(row)
    current = tab.current()

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        try:
            assert dialog.name_edit.text() == "Herfstvakantie"
            fill_dialog(qtbot, dialog, "Herfstvakantie", date(2026, 10, 24), date(2026, 11, 1))
            qtbot.mouseClick(
                dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
            )
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, fill)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    with ctx.db.session() as s:
        changed = next(h for h in hol.list_holidays(s, Region.MIDDEN) if h.id == current.id)
        cal = school_calendar(s, ctx.school_id)
    assert (changed.start, changed.end) == (date(2026, 10, 24), date(2026, 11, 1))
    assert not cal.is_school_day(date(2026, 10, 29))
    assert cal.is_school_day(date(2026, 10, 19))


DATA = Path(__file__).resolve().parent.parent / "data" / "holidays"


def _load_through_the_tab(tab, qtbot, monkeypatch, file_name: str, *, apply: bool) -> list:
    """Click "Laden uit bestand…", read the preview the school sees, then apply or cancel."""
    from PySide6.QtWidgets import QFileDialog

    from ib_desktop.ui.settings.holiday_dialogs import HolidayImportDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(DATA / file_name), ""))
    seen: list = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, HolidayImportDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append((dialog.summary.text(), dialog.warnings.text(), dialog.rows_text()))
        button = dialog.buttons.StandardButton.Ok if apply else dialog.buttons.StandardButton.Cancel
        qtbot.mouseClick(dialog.buttons.button(button), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(tab.load_button, Qt.MouseButton.LeftButton)
    return seen


def test_loading_open_data_shows_the_changes_before_applying(tab, qtbot, ctx, monkeypatch) -> None:
    with ctx.db.session() as s:
        before = hol.list_holidays(s, Region.MIDDEN)
    seen = _load_through_the_tab(
        tab, qtbot, monkeypatch, "schoolvakanties-2028-2029.json", apply=False
    )
    summary, _warnings, rows = seen[0]
    assert "5 nieuw, 0 gewijzigd, 0 vervalt" in summary
    assert "nog niets" in summary
    assert rows[1][:3] == ["midden", "nieuw", "Kerstvakantie"]
    assert rows[1][4] == f"{weekday_date(date(2028, 12, 23))} t/m {weekday_date(date(2029, 1, 7))}"
    with ctx.db.session() as s:
        assert hol.list_holidays(s, Region.MIDDEN) == before  # cancelled: nothing saved

    _load_through_the_tab(tab, qtbot, monkeypatch, "schoolvakanties-2028-2029.json", apply=True)
    with ctx.db.session() as s:
        after = hol.list_holidays(s, Region.MIDDEN)
    assert len(after) == len(before) + 5
    tab.year_combo.setCurrentIndex(tab.year_combo.findData("2028-2029"))
    assert names_shown(tab)[0] == "Herfstvakantie"


def test_loading_a_schools_ics_shows_a_change_and_the_skipped_events(
    tab, qtbot, ctx, monkeypatch
) -> None:
    seen = _load_through_the_tab(tab, qtbot, monkeypatch, "schoolkalender.ics", apply=True)
    summary, warnings, rows = seen[0]
    assert "3 nieuw, 1 gewijzigd, 0 vervalt" in summary
    assert "Ouderavond" in warnings
    kerst = next(r for r in rows if r[2] == "Kerstvakantie")
    assert kerst[1] == "gewijzigd"
    assert kerst[3].startswith(weekday_date(date(2026, 12, 19)))
    assert kerst[4].startswith(weekday_date(date(2026, 12, 18)))
    with ctx.db.session() as s:
        stored = hol.list_holidays(s, Region.MIDDEN)
    assert date(2026, 11, 27) in {h.start for h in stored if h.name == "Studiedag team"}
    kerst_starts = {h.start for h in stored if h.name == "Kerstvakantie"}
    assert date(2026, 12, 18) in kerst_starts
    assert date(2026, 12, 19) not in kerst_starts


def test_the_tab_names_the_source_and_the_derived_dates(tab) -> None:
    from PySide6.QtWidgets import QLabel

    text = " ".join(label.text() for label in tab.findChildren(QLabel))
    assert "Rijksoverheid" in text
    assert "7 december 2026" in text
    assert "zomervakantie 2026-2027 regio zuid" in text


def test_dates_shipped_wrongly_before_are_offered_for_correction(ctx, qtbot, no_dialogs) -> None:
    from ib_desktop.ui.settings.holiday_dialogs import HolidayImportDialog

    with ctx.db.session() as s:
        mei = next(
            h
            for h in hol.list_holidays(s, Region.MIDDEN)
            if h.name == "Meivakantie" and h.start.year == 2028
        )
        row = s.get(Holiday, mei.id)
        row.start_date, row.end_date = date(2028, 4, 22), date(2028, 4, 30)  # the old, wrong week
    tab = HolidaysTab(ctx, FakeNav())
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.outdated_box.isVisible()
    assert "verkeerd" in tab.outdated_label.text()
    seen: list = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, HolidayImportDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.rows_text())
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(tab.update_button, Qt.MouseButton.LeftButton)
    assert [r[:3] for r in seen[0]] == [["midden", "gewijzigd", "Meivakantie"]]
    assert not tab.outdated_box.isVisible()
    with ctx.db.session() as s:
        meis = {h.start for h in hol.list_holidays(s, Region.MIDDEN) if h.name == "Meivakantie"}
    assert date(2028, 4, 29) in meis
    assert date(2028, 4, 22) not in meis
