"""The writing actions of an editor window: a goal from the bank, a text block at the cursor.

:class:`WritingActions` adds "Doel uit de doelenbank…" (Ctrl+Shift+D) and "Tekstblok…"
(Ctrl+Shift+T) to an editor's toolbar. The window says where a goal goes (``insert_goal``);
a text block goes into the rich-text field that has (or last had) the focus, with the pupil's
placeholders filled in. What could not be filled stays visible and the status bar says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QToolBar, QToolButton

from ib_desktop.dates import long_date
from ib_desktop.services import writing
from ib_desktop.ui.widgets.rich_text import RichTextEdit

GOAL_KEYS = "Ctrl+Shift+D"
BLOCK_KEYS = "Ctrl+Shift+T"


def insert_markdown(edit: RichTextEdit, text: str, *, at_end: bool = False) -> None:
    """Insert ``text`` (Markdown) as if typed: at the cursor, or as a new paragraph at the end.

    An empty field takes the text as its whole content. The edit is one undo step and counts
    as a change (the window marks itself unsaved and autosaves).
    """
    cursor = edit.textCursor()
    if not edit.toPlainText().strip():
        cursor.select(QTextCursor.SelectionType.Document)
    elif at_end:
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock()
    cursor.beginEditBlock()
    cursor.insertMarkdown(text)
    cursor.endEditBlock()
    edit.setTextCursor(cursor)
    edit.ensureCursorVisible()


def with_end_date(text: str, end: date | None) -> writing.Filled:
    """A bank goal with {einddatum} filled in (left visible when the date is not known)."""
    return writing.fill_placeholders(text, {"einddatum": long_date(end) if end else ""})


class WritingActions(QObject):
    """Goal bank and text blocks for one editor window."""

    def __init__(
        self,
        window: QMainWindow,
        toolbar: QToolBar,
        ctx: Any,
        *,
        pupil_id: Callable[[], int | None],
        insert_goal: Callable[[writing.BankGoal], None],
        goal_area: Callable[[], str | None] = lambda: None,
        read_only: Callable[[], bool] = lambda: False,
        editor: Callable[[], RichTextEdit | None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self._pupil_id = pupil_id
        self._insert_goal = insert_goal
        self._goal_area = goal_area
        self._read_only = read_only
        self._editor = editor
        self._target: RichTextEdit | None = None
        self._from_shortcut = False
        self.goal_action = QAction(self.tr("Doel uit de doelenbank…"), window)
        self.goal_action.setObjectName("goal-bank-action")
        self.goal_action.setShortcut(QKeySequence(GOAL_KEYS))
        self.goal_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.goal_action.setToolTip(
            self.tr("Een doel kiezen uit de doelenbank van de school (Ctrl+Shift+D)")
        )
        self.goal_action.triggered.connect(lambda _c=False: self.pick_goal())
        self.block_menu = QMenu(self.tr("Tekstblok"), window)
        self.block_menu.setObjectName("text-block-menu")
        self.block_menu.aboutToShow.connect(self._fill_menu)
        self.block_action = QAction(self.tr("Tekstblok…"), window)
        self.block_action.setObjectName("text-block-action")
        self.block_action.setShortcut(QKeySequence(BLOCK_KEYS))
        self.block_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.block_action.setToolTip(
            self.tr("Een standaardtekst van de school invoegen bij de cursor (Ctrl+Shift+T)")
        )
        self.block_action.triggered.connect(lambda _c=False: self.show_block_menu())
        toolbar.addSeparator()
        toolbar.addAction(self.goal_action)
        toolbar.addAction(self.block_action)
        button = toolbar.widgetForAction(self.block_action)
        if isinstance(button, QToolButton):
            button.setMenu(self.block_menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        window.addAction(self.goal_action)
        window.addAction(self.block_action)

    # ------------------------------------------------------------------ goal bank
    def pick_goal(self) -> bool:
        """Run the picker and hand the chosen goal to the window; True when one was inserted."""
        if self._read_only():
            self._say(self.tr("Dit document kan niet worden gewijzigd."))
            return False
        from ib_desktop.ui.writing.goal_picker import GoalPickerDialog

        goal = GoalPickerDialog.pick(
            self.window, self.ctx, self._pupil_id(), area=self._goal_area()
        )
        if goal is None:
            return False
        self._insert_goal(goal)
        return True

    # ------------------------------------------------------------------ text blocks
    def focused_editor(self) -> RichTextEdit | None:
        """The rich-text field a text block goes into: the one with the focus, else the last."""
        focus = QApplication.focusWidget()
        if isinstance(focus, RichTextEdit) and focus.window() is self.window:
            return focus
        return self._editor() if self._editor is not None else None

    def show_block_menu(self) -> None:
        """Pop the menu of text blocks up at the cursor of the focused field."""
        edit = self.focused_editor()
        if edit is None or edit.isReadOnly():
            self._say(self.tr("Zet de cursor eerst in een tekstveld dat u kunt wijzigen."))
            return
        self._target = edit
        self._from_shortcut = True
        rect = edit.cursorRect()
        self.block_menu.popup(edit.viewport().mapToGlobal(rect.bottomLeft()))

    @Slot()
    def _fill_menu(self) -> None:
        if not self._from_shortcut:  # opened from the toolbar: the field last focused
            self._target = self.focused_editor()
        self._from_shortcut = False
        self.block_menu.clear()
        with self.ctx.db.session() as s:
            blocks = writing.load_text_blocks(s, self.ctx.school_id)
        if not blocks:
            empty = self.block_menu.addAction(
                self.tr("Nog geen tekstblokken (Instellingen > Tekstblokken)")
            )
            empty.setEnabled(False)
            return
        for block in blocks:
            text = block.title + (f"  ({block.used_for})" if block.used_for else "")
            action = self.block_menu.addAction(text.replace("&", "&&"))
            action.setToolTip(block.body[:300])
            action.setData(block.id)
            action.triggered.connect(lambda _c=False, b=block: self.insert_block(b))
        self.block_menu.setToolTipsVisible(True)

    def insert_block(self, block: writing.TextBlockData) -> writing.Filled | None:
        """Put a text block at the cursor with this pupil's placeholders filled in."""
        edit = self._target or self.focused_editor()
        self._target = None
        if edit is None or edit.isReadOnly():
            self._say(self.tr("Zet de cursor eerst in een tekstveld dat u kunt wijzigen."))
            return None
        pupil_id = self._pupil_id()
        with self.ctx.db.session() as s:
            values = (
                writing.pupil_values(s, pupil_id, today=self.ctx.today())
                if pupil_id is not None
                else {}
            )
        filled = writing.fill_placeholders(block.body, values)
        edit.setFocus()
        insert_markdown(edit, filled.text)
        if filled.unknown:
            self._say(
                self.tr("Tekstblok ingevoegd. Niet ingevuld: %s; vul dit zelf in.")
                % ", ".join(filled.unknown),
                0,
            )
        else:
            self._say(self.tr("Tekstblok '%s' ingevoegd.") % block.title)
        return filled

    def _say(self, text: str, timeout: int = 8000) -> None:
        self.window.statusBar().showMessage(text, timeout)
