"""Text fields for plans: paragraphs, bullet lists, bold and italic, stored as Markdown.

Plans are written by teachers who think in lists ("- 3x per week extra oefenen"), so typing "- "
at the start of a line starts a bullet list, Ctrl+Shift+L toggles one, and pasted text arrives
plain (no fonts or colours from a web page or Word) with its bullets kept. The database holds
Markdown, which the printed reports turn back into bullet lists. A field that was not touched
gives back exactly the text it was loaded with, so saving never rewrites text nobody changed.
"""

from __future__ import annotations

import re

import shiboken6
from PySide6.QtCore import QEvent, QMimeData, QPoint, QSize, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
)
from PySide6.QtWidgets import QApplication, QMenu, QTextEdit, QToolBar, QWidget

from ib_desktop.markdown_text import unwrap_markdown
from ib_desktop.ui.widgets.spelling import (
    Spelling,
    SpellingHighlighter,
    add_spelling_actions,
    shared_spelling,
)

#: A pasted line that is a bullet: "- text", "* text", "• text", "– text".
_PASTED_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013\u25cf\u25aa]|\d{1,2}[.)])\s+(?P<text>.*)$")

BOLD_KEYS = QKeySequence("Ctrl+B")
ITALIC_KEYS = QKeySequence("Ctrl+I")
LIST_KEYS = QKeySequence("Ctrl+Shift+L")


def _matches(event: QKeyEvent, keys: QKeySequence) -> bool:
    combo = event.keyCombination()
    return QKeySequence(combo).matches(keys) == QKeySequence.SequenceMatch.ExactMatch


def normalize_markdown(text: str) -> str:
    """Markdown as stored: no trailing spaces or blank lines, at most one blank line in a row."""
    lines = [ln.rstrip() for ln in (text or "").replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln and (not out or not out[-1]):
            continue
        out.append(ln)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


class RichTextEdit(QTextEdit):
    """A multi-line field with bullet lists, bold and italic; ``markdown()`` is what is stored.

    The field grows with its text between ``min_lines`` and ``max_lines``, Tab moves to the next
    field (a form is filled in with the keyboard), and formatting keys win over window shortcuts
    (Ctrl+B is "bold" here, not "back-up"). Misspelled Dutch words get a red wavy underline and
    the context menu offers corrections (:mod:`ib_desktop.ui.widgets.spelling`).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        min_lines: int = 3,
        max_lines: int = 14,
        placeholder: str = "",
        spelling: Spelling | None = None,
    ) -> None:
        super().__init__(parent)
        self.spelling = spelling if spelling is not None else shared_spelling()
        self.spelling_highlighter = SpellingHighlighter(self.document(), self.spelling)
        self._min_lines = min_lines
        self._max_lines = max_lines
        self._source = ""
        self._source_plain = ""
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        if placeholder:
            self.setPlaceholderText(placeholder)
        self.bold_action = self._action(self.tr("Vet"), BOLD_KEYS, self.toggle_bold)
        self.italic_action = self._action(self.tr("Cursief"), ITALIC_KEYS, self.toggle_italic)
        self.list_action = self._action(self.tr("Opsomming"), LIST_KEYS, self.toggle_bullet_list)
        self.document().contentsChanged.connect(self._on_contents_changed)
        # Re-wrapping at another width changes the height too (without a content change).
        self.document().documentLayout().documentSizeChanged.connect(self._on_contents_changed)
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self.currentCharFormatChanged.connect(lambda _f: self._on_cursor_moved())
        self._update_height()

    def _action(self, text: str, keys: QKeySequence, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setCheckable(True)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # ------------------------------------------------------------------ markdown
    def markdown(self) -> str:
        """The text as stored: Markdown with "- " bullets, **bold** and *italic*.

        An untouched field returns what it was loaded with, character for character.
        """
        if not self.document().isModified() and self.toPlainText() == self._source_plain:
            return self._source
        md = self.document().toMarkdown(QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        # Qt wraps at 80 columns; stored text keeps each paragraph and list item on one line.
        return normalize_markdown(unwrap_markdown(md))

    def setMarkdown(self, text: str | None) -> None:  # noqa: N802 - Qt naming
        """Show stored Markdown; the field counts as unchanged afterwards."""
        self._source = text or ""
        super().setMarkdown(self._source)
        self._source_plain = self.toPlainText()
        self.document().setModified(False)
        self._update_height()

    def mark_saved(self, text: str) -> None:
        """The field's current content was saved as ``text``: unchanged from now on.

        Unlike :meth:`setMarkdown` this keeps the cursor and the scroll position.
        """
        self._source = text or ""
        self._source_plain = self.toPlainText()
        self.document().setModified(False)

    def is_modified(self) -> bool:
        """The user changed the text since it was loaded (undoing everything counts as no)."""
        return self.document().isModified()

    # ------------------------------------------------------------------ formatting
    def is_bold(self) -> bool:
        """The text at the cursor is bold."""
        return self.currentCharFormat().fontWeight() >= QFont.Weight.Bold

    def is_italic(self) -> bool:
        """The text at the cursor is italic."""
        return self.currentCharFormat().fontItalic()

    def in_list(self) -> bool:
        """The cursor is in a bullet list."""
        return self.textCursor().currentList() is not None

    @Slot()
    def toggle_bold(self) -> None:
        """Bold on or off for the selection (or what is typed next)."""
        if self.isReadOnly():
            return
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Normal if self.is_bold() else QFont.Weight.Bold)
        self.mergeCurrentCharFormat(fmt)

    @Slot()
    def toggle_italic(self) -> None:
        """Italic on or off for the selection (or what is typed next)."""
        if self.isReadOnly():
            return
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.is_italic())
        self.mergeCurrentCharFormat(fmt)

    @Slot()
    def toggle_bullet_list(self) -> None:
        """Turn the selected lines into a bullet list, or back into paragraphs."""
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.currentList() is not None:
            self._remove_from_list(cursor)
        else:
            cursor.createList(QTextListFormat.Style.ListDisc)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self._on_cursor_moved()

    @staticmethod
    def _remove_from_list(cursor: QTextCursor) -> None:
        doc = cursor.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        block = first
        while block.isValid():
            lst = block.textList()
            if lst is not None:
                lst.remove(block)
                c = QTextCursor(block)
                fmt = QTextBlockFormat(block.blockFormat())
                fmt.setIndent(0)
                fmt.setObjectIndex(-1)
                c.setBlockFormat(fmt)
            if block == last:
                break
            block = block.next()

    # ------------------------------------------------------------------ keyboard and paste
    def event(self, e: QEvent) -> bool:
        """Formatting keys are ours, even when the window has the same shortcut."""
        if (
            e.type() == QEvent.Type.ShortcutOverride
            and isinstance(e, QKeyEvent)
            and any(_matches(e, k) for k in (BOLD_KEYS, ITALIC_KEYS, LIST_KEYS))
        ):
            e.accept()
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+B, Ctrl+I, Ctrl+Shift+L; "- " at the start of a line starts a bullet list."""
        if _matches(e, BOLD_KEYS):
            self.toggle_bold()
            return
        if _matches(e, ITALIC_KEYS):
            self.toggle_italic()
            return
        if _matches(e, LIST_KEYS):
            self.toggle_bullet_list()
            return
        if e.text() == " " and not self.isReadOnly() and self._start_list_from_dash():
            return
        cursor = self.textCursor()
        if (
            e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and e.modifiers() == Qt.KeyboardModifier.NoModifier
            and cursor.currentList() is not None
            and not cursor.block().text()
            and not self.isReadOnly()
        ):
            # Enter on an empty bullet ends the list, as in every word processor.
            cursor.beginEditBlock()
            self._remove_from_list(cursor)
            cursor.endEditBlock()
            return
        if (
            e.key() == Qt.Key.Key_Backspace
            and e.modifiers() == Qt.KeyboardModifier.NoModifier
            and cursor.currentList() is not None
            and cursor.positionInBlock() == 0
            and not cursor.hasSelection()
            and not self.isReadOnly()
        ):
            # Backspace at the start of a bullet removes the bullet, not the line break.
            cursor.beginEditBlock()
            self._remove_from_list(cursor)
            cursor.endEditBlock()
            return
        super().keyPressEvent(e)

    def _start_list_from_dash(self) -> bool:
        cursor = self.textCursor()
        if cursor.hasSelection() or cursor.currentList() is not None:
            return False
        if cursor.positionInBlock() != 1 or cursor.block().text()[:1] not in ("-", "*"):
            return False
        cursor.beginEditBlock()
        cursor.deletePreviousChar()
        cursor.createList(QTextListFormat.Style.ListDisc)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return True

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt override
        """Anything with text can be pasted (as plain text)."""
        return source.hasText() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        """Paste as plain text: no fonts or colours, but bullets from a list stay bullets."""
        if self.isReadOnly() or not source.hasText():
            return
        text = source.text().replace("\r\n", "\n").replace("\r", "\n")
        cursor = self.textCursor()
        plain = QTextCharFormat(cursor.charFormat())
        cursor.beginEditBlock()
        for index, line in enumerate(text.split("\n")):
            m = _PASTED_BULLET.match(line)
            if index > 0:
                cursor.insertBlock()
            if m:
                if cursor.currentList() is None:
                    cursor.createList(QTextListFormat.Style.ListDisc)
                line = m.group("text")
            elif index > 0 and cursor.currentList() is not None:
                self._remove_from_list(cursor)
            cursor.insertText(line, plain)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def build_context_menu(self, pos: QPoint) -> QMenu:
        """The menu for a right click at ``pos`` (viewport coordinates), not yet shown.

        Spelling corrections for the word there come first, then the standard actions, the
        formatting actions and the spell-check switch.
        """
        menu = self.createStandardContextMenu(pos)
        if not self.isReadOnly():
            menu.addSeparator()
            self._on_cursor_moved()
            for action in (self.bold_action, self.italic_action, self.list_action):
                menu.addAction(action)
        add_spelling_actions(menu, self, self.spelling, self.cursorForPosition(pos))
        return menu

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        """The menu of :meth:`build_context_menu`, shown at the mouse."""
        menu = self.build_context_menu(e.pos())
        menu.exec(e.globalPos())
        menu.deleteLater()

    # ------------------------------------------------------------------ read-only look
    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt naming
        """Read-only fields look it: the window's background instead of the field's white."""
        super().setReadOnly(read_only)
        palette = self.palette()
        app_palette = QApplication.palette(self)
        role = QPalette.ColorRole.Window if read_only else QPalette.ColorRole.Base
        palette.setColor(QPalette.ColorRole.Base, app_palette.color(role))
        self.setPalette(palette)
        for action in (self.bold_action, self.italic_action, self.list_action):
            action.setEnabled(not read_only)

    # ------------------------------------------------------------------ size
    def _line_height(self) -> int:
        return self.fontMetrics().lineSpacing()

    def _heights(self) -> tuple[int, int, int]:
        """(wanted height, lowest, highest) in pixels for the text as it is wrapped now."""
        doc_height = int(self.document().size().height())
        margins = self.contentsMargins()
        frame = margins.top() + margins.bottom() + 2 * int(self.document().documentMargin())
        low = self._min_lines * self._line_height() + frame
        high = self._max_lines * self._line_height() + frame
        return doc_height + margins.top() + margins.bottom(), low, high

    def _content_height(self) -> int:
        wanted, low, high = self._heights()
        return max(low, min(high, wanted))

    def _update_height(self) -> None:
        wanted, low, high = self._heights()
        # A scroll bar only when the field is at its highest; otherwise the field grows, and a
        # needless scroll bar would narrow the text and hide its last line.
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if wanted > high
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        if self.verticalScrollBarPolicy() != policy:
            self.setVerticalScrollBarPolicy(policy)
        height = max(low, min(high, wanted))
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As high as the text (within the field's line limits)."""
        hint = super().sizeHint()
        return QSize(hint.width(), self._content_height())

    def resizeEvent(self, e: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """A narrower field wraps more lines and grows."""
        super().resizeEvent(e)
        if e.oldSize().width() != e.size().width():
            self._update_height()

    @Slot()
    def _on_contents_changed(self) -> None:
        self._update_height()

    @Slot()
    def _on_cursor_moved(self) -> None:
        self.bold_action.setChecked(self.is_bold())
        self.italic_action.setChecked(self.is_italic())
        self.list_action.setChecked(self.in_list())


class FormatToolBar(QToolBar):
    """Vet, Cursief and Opsomming for whichever text field of this window has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Opmaak"))
        self.setObjectName("format-toolbar")
        self._editor: RichTextEdit | None = None
        self.bold = self.addAction(self.tr("Vet"))
        self.bold.setToolTip(self.tr("Vet (Ctrl+B)"))
        bold_font = QFont(self.font())
        bold_font.setBold(True)
        self.bold.setFont(bold_font)
        self.italic = self.addAction(self.tr("Cursief"))
        self.italic.setToolTip(self.tr("Cursief (Ctrl+I)"))
        italic_font = QFont(self.font())
        italic_font.setItalic(True)
        self.italic.setFont(italic_font)
        self.bullets = self.addAction(self.tr("\u2022 Opsomming"))
        self.bullets.setToolTip(
            self.tr(
                "Opsomming aan/uit (Ctrl+Shift+L), of typ \u201c- \u201d aan het begin van "
                "een regel"
            )
        )
        for action in (self.bold, self.italic, self.bullets):
            action.setCheckable(True)
            action.setEnabled(False)
        self.bold.triggered.connect(lambda _c=False: self._apply("toggle_bold"))
        self.italic.triggered.connect(lambda _c=False: self._apply("toggle_italic"))
        self.bullets.triggered.connect(lambda _c=False: self._apply("toggle_bullet_list"))
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._on_focus_changed)

    def editor(self) -> RichTextEdit | None:
        """The text field the buttons act on (the last one that had the focus)."""
        if self._editor is not None and not shiboken6.isValid(self._editor):
            self._editor = None
        return self._editor

    def _apply(self, method: str) -> None:
        editor = self.editor()
        if editor is not None:
            getattr(editor, method)()
            editor.setFocus()
            self._sync()

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not isinstance(new, RichTextEdit) or new.window() is not self.window():
            return
        previous = self.editor()
        if previous is new:
            return
        # Qt's own signals only: PySide6 6.12 on Python 3.11 leaks a reference to True on
        # every emit() from Python, which would abort the app after enough keystrokes.
        if previous is not None:
            previous.cursorPositionChanged.disconnect(self._sync)
            previous.currentCharFormatChanged.disconnect(self._sync)
        self._editor = new
        new.cursorPositionChanged.connect(self._sync)
        new.currentCharFormatChanged.connect(self._sync)
        self._sync()

    def refresh(self) -> None:
        """Update the buttons (after the window made its fields read-only or editable)."""
        self._sync()

    @Slot()
    def _sync(self) -> None:
        editor = self.editor()
        enabled = editor is not None and not editor.isReadOnly()
        for action in (self.bold, self.italic, self.bullets):
            action.setEnabled(enabled)
        self.bold.setChecked(bool(editor and editor.is_bold()))
        self.italic.setChecked(bool(editor and editor.is_italic()))
        self.bullets.setChecked(bool(editor and editor.in_list()))
