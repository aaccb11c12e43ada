"""The plan text field: bullet lists, bold, italic, plain paste, and the Markdown round trip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

from ib_desktop.ui.widgets.rich_text import FormatToolBar, RichTextEdit, normalize_markdown

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def edit(qtbot) -> RichTextEdit:
    widget = RichTextEdit()
    qtbot.addWidget(widget)
    widget.resize(400, 120)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


def _list_items(widget: RichTextEdit) -> list[str]:
    items = []
    block = widget.document().begin()
    while block.isValid():
        if block.textList() is not None:
            items.append(block.text())
        block = block.next()
    return items


def test_dash_space_starts_a_bullet_list_and_enter_on_empty_bullet_ends_it(edit, qtbot) -> None:
    qtbot.keyClicks(edit, "Aanpak:")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "- 3x per week oefenen")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "wekelijks terugkijken")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # empty bullet: the list ends
    qtbot.keyClicks(edit, "Na zes weken evalueren.")
    assert _list_items(edit) == ["3x per week oefenen", "wekelijks terugkijken"]
    assert edit.markdown() == (
        "Aanpak:\n\n- 3x per week oefenen\n- wekelijks terugkijken\n\nNa zes weken evalueren."
    )


def test_bullet_lists_survive_the_markdown_round_trip(edit, qtbot) -> None:
    qtbot.keyClicks(edit, "- een")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "twee")
    stored = edit.markdown()
    again = RichTextEdit()
    qtbot.addWidget(again)
    again.setMarkdown(stored)
    assert _list_items(again) == ["een", "twee"]
    again.document().setModified(True)  # force a real conversion, not the loaded text
    assert again.markdown() == stored == "- een\n- twee"


def test_ctrl_shift_l_toggles_a_bullet_list(edit, qtbot) -> None:
    qtbot.keyClicks(edit, "regel")
    qtbot.keyClick(edit, Qt.Key.Key_L, CTRL_SHIFT)
    assert edit.in_list()
    assert edit.markdown() == "- regel"
    qtbot.keyClick(edit, Qt.Key.Key_L, CTRL_SHIFT)
    assert not edit.in_list()
    assert edit.markdown() == "regel"


def test_backspace_at_start_of_bullet_removes_only_the_bullet(edit, qtbot) -> None:
    qtbot.keyClicks(edit, "- punt")
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.markdown() == "punt"


def test_bold_and_italic_are_stored_as_markdown(edit, qtbot) -> None:
    qtbot.keyClicks(edit, "Let op ")
    qtbot.keyClick(edit, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(edit, "altijd")
    qtbot.keyClick(edit, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(edit, " en ")
    qtbot.keyClick(edit, Qt.Key.Key_I, CTRL)
    qtbot.keyClicks(edit, "rustig")
    assert edit.is_italic()
    assert edit.markdown() == "Let op **altijd** en *rustig*"


def test_formatting_keys_win_over_window_shortcuts(qtbot) -> None:
    """Ctrl+B is "Back-up maken" in the main window; in a text field it means bold."""
    window = QMainWindow()
    qtbot.addWidget(window)
    fired = []
    backup = QAction("Back-up maken", window)
    backup.setShortcut(QKeySequence("Ctrl+B"))
    backup.triggered.connect(lambda: fired.append(True))
    window.addAction(backup)
    edit = RichTextEdit()
    window.setCentralWidget(edit)
    window.show()
    qtbot.waitExposed(window)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(edit, "vet")
    assert fired == []
    assert edit.markdown() == "**vet**"


def test_paste_is_plain_but_keeps_bullets(edit) -> None:
    data = QMimeData()
    data.setHtml("<h1 style='color:red'>Kop</h1><ul><li>punt een</li><li>punt twee</li></ul>")
    data.setText("Kop\n\u2022 punt een\n- punt twee\nSlot")
    edit.insertFromMimeData(data)
    assert edit.markdown() == "Kop\n\n- punt een\n- punt twee\n\nSlot"
    assert "color" not in edit.toHtml().split("<body", 1)[1].replace("color:#000000", "")


def test_untouched_text_comes_back_exactly(edit) -> None:
    stored = "Eerste regel\nzelfde alinea, zoals een import die schreef"
    edit.setMarkdown(stored)
    assert not edit.is_modified()
    assert edit.markdown() == stored


def test_tab_moves_to_the_next_field(qtbot) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    first, second = RichTextEdit(), RichTextEdit()
    lay = QVBoxLayout(form)
    lay.addWidget(first)
    lay.addWidget(second)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is second
    assert first.toPlainText() == ""


def test_read_only_field_refuses_typing_and_formatting(edit, qtbot) -> None:
    edit.setMarkdown("Vast")
    edit.setReadOnly(True)
    qtbot.keyClicks(edit, "- extra")
    qtbot.keyClick(edit, Qt.Key.Key_L, CTRL_SHIFT)
    assert edit.markdown() == "Vast"
    assert not edit.list_action.isEnabled()


def test_field_grows_with_its_text(edit) -> None:
    small = edit.height()
    edit.setMarkdown("\n\n".join(f"regel {i}" for i in range(8)))
    assert edit.height() > small


def test_toolbar_acts_on_the_focused_field(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = FormatToolBar(window)
    window.addToolBar(bar)
    edit = RichTextEdit()
    window.setCentralWidget(edit)
    window.show()
    qtbot.waitExposed(window)
    assert not bar.bullets.isEnabled()
    window.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(lambda: bar.editor() is edit)
    qtbot.keyClicks(edit, "punt")
    bar.bullets.trigger()
    assert edit.markdown() == "- punt"
    assert bar.bullets.isChecked()


def test_normalize_markdown_trims_blank_lines() -> None:
    assert normalize_markdown("a  \n\n\n\nb\n\n") == "a\n\nb"


LONG = (
    "Sanne oefent drie keer per week tien minuten met de rekenmaatjes en houdt zelf bij hoe "
    "vaak ze de sommen tot twintig zonder fouten maakt; de leerkracht kijkt elke vrijdag met "
    "haar terug op de week en past de opdrachten aan, zodat ze telkens net iets meer uitdaging "
    "krijgt dan de week ervoor en het plezier in rekenen blijft."
)


def test_long_lines_are_stored_unwrapped(edit, qtbot) -> None:
    """Qt's writer wraps at 80 columns; what is stored keeps each paragraph on one line."""
    assert len(LONG) > 300
    stored = (
        f"**Doel:** {LONG}\n\n"
        f"- {LONG}\n  - genest: {LONG}\n  - **vet** {LONG}\n- kort\n\n"
        f"Slot: {LONG}"
    )
    edit.setMarkdown(stored)
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(edit, " Klaar.")
    md = edit.markdown()
    assert md == stored + " Klaar."
    again = RichTextEdit()
    qtbot.addWidget(again)
    again.setMarkdown(md)
    assert again.toPlainText() == edit.toPlainText()


def test_typed_long_text_is_one_line_per_item(edit, qtbot) -> None:
    qtbot.keyClicks(edit, LONG)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "- " + LONG)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "tweede punt")
    assert edit.markdown() == f"{LONG}\n\n- {LONG}\n- tweede punt"
