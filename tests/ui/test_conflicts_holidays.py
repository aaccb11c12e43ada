"""Two people changing the same holiday at once: the shared conflict dialog, and a choice.

The tab loads the list, "another laptop" (a save through the service under another name)
renames the Kerstvakantie, the user opens it, types and saves. Before issue 14's follow-up
this save silently overwrote the other's change; now the conflict dialog shows both values,
"Mijn versie opslaan" stores the user's and "Hun versie houden" keeps the other's.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from ib_desktop.models import Holiday, Region
from ib_desktop.services import holidays as hol
from ib_desktop.services.holiday_import import LoadedHolidays, plan_changes
from ib_desktop.ui.settings.holiday_dialogs import HolidayDialog, HolidayImportDialog
from ib_desktop.ui.settings.holidays import HolidaysTab
from tests.ui.pupil_helpers import ModalDriver
from tests.ui.test_conflicts_school import CHOICES, OTHER, Choose

CLICK = Qt.MouseButton.LeftButton


class FakeNav(QObject):
    dataChanged = Signal()  # noqa: N815

    def notify_changed(self) -> None:
        self.dataChanged.emit()


@pytest.fixture
def tab(ctx, qtbot, no_dialogs) -> HolidaysTab:
    widget = HolidaysTab(ctx, FakeNav())
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _kerst(tab: HolidaysTab) -> hol.HolidaySpec:
    tab.year_combo.setCurrentIndex(0)  # all school years
    return next(h for h in tab.model.rows if h.name == "Kerstvakantie" and h.start.year == 2026)


@CHOICES
def test_holiday_conflict_shows_both_values_and_the_choice_is_stored(
    tab, ctx, qtbot, choice: str
) -> None:
    kerst = _kerst(tab)
    assert tab.select(kerst.id)
    # Meanwhile Bea renames it on her laptop.
    with ctx.db.session() as s:
        hol.save_holiday(
            s, tab.region, "Kerstvakantie Bea", kerst.start, kerst.end,
            holiday_id=kerst.id, version=kerst.version, actor=OTHER,
        )  # fmt: skip

    def type_and_save(dialog: HolidayDialog) -> None:
        assert dialog.name_edit.text() == "Kerstvakantie"  # what the tab had loaded
        dialog.name_edit.selectAll()
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Backspace)
        qtbot.keyClicks(dialog.name_edit, "Kerstvakantie Ahmet")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), CLICK)

    chooser = Choose(qtbot, choice)
    editing = ModalDriver(HolidayDialog, type_and_save)
    qtbot.mouseClick(tab.edit_button, CLICK)
    editing.check()
    chooser.check()

    assert chooser.title == f"{OTHER} heeft dit intussen gewijzigd"
    assert chooser.fields == {"Naam": ("Kerstvakantie Ahmet", "Kerstvakantie Bea")}
    expected = "Kerstvakantie Ahmet" if choice == "mine" else "Kerstvakantie Bea"
    with ctx.db.session() as s:
        stored = hol.get_holiday(s, kerst.id)
    assert stored is not None
    assert (stored.name, stored.start, stored.end) == (expected, kerst.start, kerst.end)
    assert tab.current() is not None
    assert tab.current().name == expected  # the list shows what is stored now, selected
    assert QApplication.activeModalWidget() is None


def test_a_reviewed_import_is_refused_when_a_holiday_changed_since_the_preview(
    tab, ctx, qtbot, no_dialogs
) -> None:
    kerst = _kerst(tab)
    loaded = LoadedHolidays("open data (JSON)", school_years={"2026-2027"})
    loaded.add(Region(tab.region), hol.HolidaySpec("Kerstvakantie", date(2026, 12, 21),
                                                   date(2027, 1, 3)))  # fmt: skip
    with ctx.db.session() as s:
        plan = plan_changes(s, loaded, [tab.region])
    assert [c.old.id for c in plan if c.old is not None] == [kerst.id]
    # Bea changes the Kerstvakantie after the preview was made, before "Toepassen".
    with ctx.db.session() as s:
        hol.save_holiday(
            s, tab.region, "Kerstvakantie", kerst.start, date(2027, 1, 4),
            holiday_id=kerst.id, version=kerst.version, actor=OTHER,
        )  # fmt: skip
    tab._outdated = plan  # the "Data bijwerken" button applies a reviewed plan the same way
    confirm = ModalDriver(HolidayImportDialog, lambda d: d.accept())
    qtbot.mouseClick(tab.update_button, CLICK)
    confirm.check()

    warnings = no_dialogs["warning"]
    assert len(warnings) == 1
    assert "'Kerstvakantie' intussen gewijzigd" in warnings[0]
    assert "niets opgeslagen" in warnings[0]
    with ctx.db.session() as s:
        row = s.get(Holiday, kerst.id)
        assert (row.start_date, row.end_date) == (kerst.start, date(2027, 1, 4))  # Bea's stays
