"""Settings: lazily built tabs, the school tab, the structure editor and development areas."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QColorDialog, QFileDialog, QMessageBox

from ib_desktop.models import DevelopmentArea, LevelAssignment, School, SupportLevel
from ib_desktop.ui.settings import page as settings_module
from ib_desktop.ui.settings.areas import AreasTab
from ib_desktop.ui.settings.page import SettingsPage
from ib_desktop.ui.settings.school import SchoolTab
from ib_desktop.ui.settings.structure import StructureEditor


class FakeNavigator(QObject):
    dataChanged = Signal()  # noqa: N815

    def __init__(self) -> None:
        super().__init__()
        self.changes = 0

    def open_pupil(self, pupil_id: int) -> None:  # pragma: no cover
        pass

    def show_page(self, key: str) -> None:  # pragma: no cover
        pass

    def notify_changed(self) -> None:
        self.changes += 1
        self.dataChanged.emit()


@pytest.fixture
def nav() -> FakeNavigator:
    return FakeNavigator()


def levels_in_db(ctx) -> list[tuple[int, str, bool]]:
    with ctx.db.session() as s:
        school = s.get(School, ctx.school_id)
        return [
            (lvl.position, lvl.name, lvl.retired)
            for lvl in s.scalars(
                sa.select(SupportLevel)
                .where(SupportLevel.structure_id == school.support_structure_id)
                .order_by(SupportLevel.position)
            )
        ]


def show_active(qtbot, widget) -> None:
    """Show a widget and wait until it is the active window (keyboard shortcuts need that)."""
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)  # a Python-level wait (see tests/conftest.py)


def type_into(qtbot, widget, text: str) -> None:
    """Clear a line edit and type ASCII text into it as a user would."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


# ---------------------------------------------------------------------------- the page
def test_tabs_are_listed_and_built_when_first_shown(ctx, nav, qtbot) -> None:
    page = SettingsPage(ctx, nav)
    qtbot.addWidget(page)
    titles = page.titles()
    assert titles[:3] == ["School", "Ondersteuningsstructuur", "Ontwikkelingsgebieden"]
    assert set(page._built) == {0}
    assert isinstance(page.tabs.widget(0), SchoolTab)
    page.tabs.setCurrentIndex(1)
    assert isinstance(page.tabs.widget(1), StructureEditor)
    assert set(page._built) == {0, 1}
    assert isinstance(page.tab("Ontwikkelingsgebieden"), AreasTab)


def test_missing_tab_modules_are_left_out(ctx, nav, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(
        settings_module,
        "SETTINGS_TABS",
        [
            ("School", "ib_desktop.ui.settings.school:SchoolTab"),
            ("Later", "ib_desktop.ui.does_not_exist:Tab"),
        ],
    )
    page = SettingsPage(ctx, nav)
    qtbot.addWidget(page)
    assert page.titles() == ["School"]


# ---------------------------------------------------------------------------- school tab
def test_school_tab_refuses_a_bad_brin_beside_the_field(ctx, nav, qtbot) -> None:
    tab = SchoolTab(ctx, nav)
    qtbot.addWidget(tab)
    show_active(qtbot, tab)
    type_into(qtbot, tab.brin_edit, "1A2B")
    assert tab.has_unsaved_changes()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "twee cijfers en twee letters" in tab.errors.message("brin")
    with ctx.db.session() as s:
        assert s.get(School, ctx.school_id).brin == "12AB"
    type_into(qtbot, tab.brin_edit, "34cd")
    assert tab.errors.message("brin") == ""  # fixed: the message goes away while typing
    type_into(qtbot, tab.name_edit, "OBS Het Kompas")
    qtbot.keyClick(tab.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with ctx.db.session() as s:
        school = s.get(School, ctx.school_id)
        assert (school.brin, school.name) == ("34CD", "OBS Het Kompas")
    assert not tab.has_unsaved_changes()
    assert nav.changes == 1


def test_school_tab_needs_a_name(ctx, nav, qtbot) -> None:
    tab = SchoolTab(ctx, nav)
    qtbot.addWidget(tab)
    show_active(qtbot, tab)
    tab.name_edit.clear()
    tab._on_edited()
    assert not tab.save()
    assert tab.errors.message("name") == "Vul de naam van de school in."


def test_rhythms_and_region_are_saved(ctx, nav, qtbot) -> None:
    tab = SchoolTab(ctx, nav)
    qtbot.addWidget(tab)
    tab.region_combo.setCurrentIndex(tab.region_combo.findData("zuid"))
    tab.evaluations_spin.setValue(3)
    tab.zorgplicht_spin.setValue(7)
    assert tab.save()
    with ctx.db.session() as s:
        school = s.get(School, ctx.school_id)
        assert (school.region, school.opp_evaluations_per_year, school.zorgplicht_weeks) == (
            "zuid",
            3,
            7,
        )


def test_logo_is_scaled_and_stored_as_png(ctx, nav, qtbot, tmp_path, monkeypatch) -> None:
    tab = SchoolTab(ctx, nav)
    qtbot.addWidget(tab)
    show_active(qtbot, tab)
    picture = QImage(1600, 400, QImage.Format.Format_RGB32)
    picture.fill(QColor("#336699"))
    path = tmp_path / "logo.jpg"
    picture.save(str(path), "JPG")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(tab.logo_choose, Qt.MouseButton.LeftButton)
    assert tab.save()
    with ctx.db.session() as s:
        png = s.get(School, ctx.school_id).logo_png
    assert png.startswith(b"\x89PNG")
    stored = QImage.fromData(png)
    assert stored.width() == 800
    assert stored.height() == 200

    bad = tmp_path / "notes.png"
    bad.write_text("geen plaatje")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(tab.logo_choose, Qt.MouseButton.LeftButton)
    assert "geen afbeelding" in tab.errors.message("logo")
    qtbot.mouseClick(tab.logo_remove, Qt.MouseButton.LeftButton)
    assert tab.save()
    with ctx.db.session() as s:
        assert s.get(School, ctx.school_id).logo_png is None


# ---------------------------------------------------------------------------- structure editor
@pytest.fixture
def editor(ctx, nav, qtbot, no_dialogs) -> StructureEditor:
    widget = StructureEditor(ctx, nav)
    qtbot.addWidget(widget)
    widget.resize(1100, 650)
    show_active(qtbot, widget)
    return widget


def test_level_model_passes_the_tester(editor) -> None:
    QAbstractItemModelTester(editor.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    editor._on_add()
    editor.select_row(1)
    editor._on_down()
    assert editor.model.rowCount() == 5
    assert editor.model.data(editor.model.index(0, 0), editor.model.SortRole) == 1
    assert (
        editor.model.data(editor.model.index(0, 1), editor.model.RowRole) is editor.draft.levels[0]
    )


def test_rename_and_save_with_ctrl_s(editor, ctx, qtbot, nav) -> None:
    editor.select_row(0)
    type_into(qtbot, editor.level_name, "Zorg in de groep")
    assert editor.model.index(0, 1).data() == "Zorg in de groep"
    assert editor.has_unsaved_changes()
    assert "nog niet zijn opgeslagen" in editor.status_label.text()
    qtbot.keyClick(editor.level_name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert levels_in_db(ctx)[0][1] == "Zorg in de groep"
    assert not editor.has_unsaved_changes()
    assert editor.status_label.text() == "Alle wijzigingen zijn opgeslagen."
    assert nav.changes == 1


def test_empty_and_duplicate_names_are_refused_beside_the_field(editor, ctx, qtbot) -> None:
    before = levels_in_db(ctx)
    editor.select_row(1)
    type_into(qtbot, editor.level_name, "")
    assert editor.error_message("level_name") == "Vul de naam van het niveau in."
    assert not editor.save()
    type_into(qtbot, editor.level_name, "basisondersteuning in de groep")
    assert "al een niveau met deze naam" in editor.error_message("level_name")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert levels_in_db(ctx) == before
    assert editor.current_row() == 1  # the level with the error is the one shown
    type_into(qtbot, editor.level_name, "Extra hulp in de groep")
    assert editor.error_message("level_name") == ""


@pytest.mark.parametrize(
    ("typed", "fragment"), [("0", "1 of meer"), ("-4", "heel getal"), ("acht", "heel getal")]
)
def test_bad_meeting_interval_gets_a_message_beside_the_field(
    editor, qtbot, typed, fragment
) -> None:
    editor.select_row(2)
    if typed.startswith("-"):
        editor.weeks_edit.setText(typed)
        editor._on_level_edited()
        fragment = "1 of meer"
    else:
        type_into(qtbot, editor.weeks_edit, typed)
    assert fragment in editor.error_message("parent_meeting_weeks")
    assert not editor.save()
    type_into(qtbot, editor.weeks_edit, "6")
    assert editor.error_message("parent_meeting_weeks") == ""
    assert editor.save()
    assert editor.draft.levels[2].parent_meeting_weeks == 6


def test_reorder_with_buttons_and_keyboard(editor, ctx, qtbot) -> None:
    names = [name for _p, name, _r in levels_in_db(ctx)]
    editor.select_row(1)
    qtbot.mouseClick(editor.down_button, Qt.MouseButton.LeftButton)
    assert editor.current_row() == 2
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert editor.current_row() == 3
    assert editor.save()
    assert [name for _p, name, _r in levels_in_db(ctx)] == [names[0], names[2], names[3], names[1]]


def test_deleting_a_level_in_use_is_refused_and_offers_retiring(
    editor, ctx, qtbot, no_dialogs
) -> None:
    with ctx.db.session() as s:
        assignments = s.scalar(sa.select(sa.func.count(LevelAssignment.id)))
    editor.select_row(1)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert "kan daarom niet worden verwijderd" in no_dialogs["question"][-1]
    assert editor.model.rowCount() == 4
    assert editor.draft.levels[1].retired  # the user answered yes to retiring instead
    assert "buiten gebruik" in editor.model.index(1, 1).data()
    assert editor.save()
    assert levels_in_db(ctx)[1][2] is True
    with ctx.db.session() as s:
        assert s.scalar(sa.select(sa.func.count(LevelAssignment.id))) == assignments
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert "niet worden verwijderd" in no_dialogs["information"][-1]
    qtbot.mouseClick(editor.retire_button, Qt.MouseButton.LeftButton)
    assert editor.save()
    assert levels_in_db(ctx)[1][2] is False


def test_new_unused_level_can_be_deleted_after_confirmation(
    editor, ctx, qtbot, no_dialogs, monkeypatch
) -> None:
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.level_name.hasFocus()
    qtbot.keyClicks(editor.level_name, "Plusklas")
    editor.doc_checks["groeidocument"].setChecked(True)
    editor.doc_checks["opp"].setChecked(True)
    assert editor.any_check.isEnabled()
    editor.any_check.setChecked(True)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    qtbot.mouseClick(editor.color_button, Qt.MouseButton.LeftButton)
    assert editor.save()
    with ctx.db.session() as s:
        plus = s.scalars(sa.select(SupportLevel).where(SupportLevel.name == "Plusklas")).one()
        assert (plus.position, plus.color, plus.required_documents, plus.requires_any) == (
            5, "#123456", ["groeidocument", "opp"], True,
        )  # fmt: skip
    editor.select_row(4)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 5  # said no
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert editor.model.rowCount() == 4
    assert editor.save()
    assert len(levels_in_db(ctx)) == 4


def test_undo_returns_to_what_is_saved(editor, ctx, qtbot) -> None:
    editor.select_row(0)
    type_into(qtbot, editor.level_name, "Iets anders")
    editor._on_retire()
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    assert not editor.has_unsaved_changes()
    assert editor.level_name.text() == levels_in_db(ctx)[0][1]
    assert not editor.draft.levels[0].retired


def test_structure_name_is_required(editor, qtbot) -> None:
    type_into(qtbot, editor.structure_name, "")
    assert not editor.save()
    assert "naam" in editor.error_message("name")


def test_unsaved_structure_is_offered_when_the_main_window_closes(
    main_window, qtbot, monkeypatch
) -> None:
    main_window.show_page("instellingen")
    page = main_window.page("instellingen")
    editor = page.tab("Ondersteuningsstructuur")
    editor.select_row(0)
    type_into(qtbot, editor.level_name, "Zorg in de groep")
    asked: list[str] = []

    def answer(button):
        def fake(parent, title, text, *args, **kwargs):
            asked.append(text)
            return button

        return fake

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    assert not main_window.close()
    assert main_window.isVisible()
    assert "Ondersteuningsstructuur" in asked[-1]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Save))
    assert main_window.close()
    assert levels_in_db(main_window.ctx)[0][1] == "Zorg in de groep"


# ---------------------------------------------------------------------------- development areas
def areas_in_db(ctx) -> list[tuple[str, bool]]:
    with ctx.db.session() as s:
        return [
            (a.name, a.active)
            for a in s.scalars(
                sa.select(DevelopmentArea)
                .where(DevelopmentArea.school_id == ctx.school_id)
                .order_by(DevelopmentArea.position)
            )
        ]


def test_areas_add_rename_reorder_deactivate(ctx, nav, qtbot, no_dialogs) -> None:
    tab = AreasTab(ctx, nav)
    qtbot.addWidget(tab)
    show_active(qtbot, tab)
    QAbstractItemModelTester(tab.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    before = areas_in_db(ctx)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, tab.name_edit, "Motoriek")
    qtbot.mouseClick(tab.up_button, Qt.MouseButton.LeftButton)
    tab.select_row(0)
    qtbot.mouseClick(tab.active_button, Qt.MouseButton.LeftButton)
    assert tab.save()
    after = areas_in_db(ctx)
    assert after[-2] == ("Motoriek", True)
    assert after[0] == (before[0][0], False)
    assert len(after) == len(before) + 1


def test_area_duplicate_name_and_deleting_a_saved_area(ctx, nav, qtbot, no_dialogs) -> None:
    tab = AreasTab(ctx, nav)
    qtbot.addWidget(tab)
    show_active(qtbot, tab)
    before = areas_in_db(ctx)
    tab.select_row(1)
    type_into(qtbot, tab.name_edit, before[0][0].upper())
    assert "staat er al" in tab.errors.message("name")
    assert not tab.save()
    assert areas_in_db(ctx) == before
    tab.discard()
    tab.select_row(1)
    assert not tab.delete_button.isEnabled()
    tab._on_delete()
    assert "niet worden verwijderd" in no_dialogs["information"][-1]
    assert tab.model.rowCount() == len(before)
