"""Spell checking in the text fields: red wavy underlines and a context menu to fix them.

The checking itself (library choice, which words count) is in :mod:`ib_desktop.spelling`. Here a
:class:`SpellingHighlighter` underlines the misspelled words of each block (Qt highlights only the
blocks that changed), and :func:`add_spelling_actions` puts suggestions, "Toevoegen aan
woordenboek", "Negeren" and the on/off switch at the top of a field's context menu.

The Dutch dictionary is loaded once per process, in a background thread, the first time a field
with text is highlighted, never at start-up; until it is ready nothing is underlined, and then
every field is highlighted again. All fields share one :class:`Spelling`, so a word added in one
field is accepted in all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QTextEdit

from ib_desktop.spelling import Misspelling, SpellChecker

log = logging.getLogger(__name__)

#: QSettings key: spell checking on (the default) or off.
SETTINGS_ENABLED = "spelling/enabled"


class Spelling(QObject):
    """The shared spell checker of the app's text fields, and the user's on/off choice."""

    #: Fields must be highlighted again: the dictionary arrived, a word was added, on/off.
    changed = Signal()

    def __init__(self, checker: SpellChecker | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checker = checker
        self._enabled = _as_bool(QSettings().value(SETTINGS_ENABLED, True))

    @property
    def checker(self) -> SpellChecker:
        """The checker (made on first use: reading the user's word list is cheap)."""
        if self._checker is None:
            self._checker = SpellChecker()
        return self._checker

    def is_enabled(self) -> bool:
        """The user wants spell checking (QSettings ``spelling/enabled``)."""
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Turn spell checking on or off in every field, now and in later sessions."""
        if enabled == self._enabled:
            return
        self._enabled = enabled
        QSettings().setValue(SETTINGS_ENABLED, enabled)
        self.changed.emit()

    def is_ready(self) -> bool:
        """The dictionary is loaded (if not, asking for it starts loading it)."""
        checker = self.checker
        if checker.is_ready():
            return True
        if checker.is_available():
            # The thread's signal reaches the fields in the GUI thread (a queued connection).
            checker.load_in_background(self.changed.emit)
        return False

    def add_word(self, word: str) -> None:
        """Accept ``word`` from now on, in every field and in later sessions."""
        try:
            self.checker.add_word(word)
        except OSError:  # a full or read-only disk: the word still counts until the app closes
            log.warning("Spelling: %r could not be saved in the word list", word, exc_info=True)
        self.changed.emit()

    def ignore_word(self, word: str) -> None:
        """Accept ``word`` until the program closes."""
        self.checker.ignore_word(word)
        self.changed.emit()


def _as_bool(value: object) -> bool:
    if isinstance(value, str):  # INI files give strings back
        return value.strip().lower() not in ("false", "0", "no", "")
    return bool(value)


_shared: Spelling | None = None


def shared_spelling() -> Spelling:
    """The one :class:`Spelling` of this process (the dictionary is loaded once)."""
    global _shared
    if _shared is None:
        _shared = Spelling()
    return _shared


def set_shared_spelling(spelling: Spelling | None) -> None:
    """Use ``spelling`` for fields made from now on (tests; None makes a fresh one on demand)."""
    global _shared
    _shared = spelling


def _utf16_index(text: str) -> list[int] | None:
    """Qt counts UTF-16 units: map Python indexes to Qt positions (None if they are equal)."""
    if text.isascii() or all(ord(ch) < 0x10000 for ch in text):
        return None
    out = [0]
    for ch in text:
        out.append(out[-1] + (2 if ord(ch) >= 0x10000 else 1))
    return out


class SpellingHighlighter(QSyntaxHighlighter):
    """Underlines misspelled words with a red wavy line; the text itself is never changed."""

    def __init__(self, document: QTextDocument, spelling: Spelling) -> None:
        super().__init__(document)
        self.spelling = spelling
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(QColor(Qt.GlobalColor.red))
        spelling.changed.connect(self.refresh)

    @Slot()
    def refresh(self) -> None:
        """Highlight every block again, without telling the field its text changed.

        A plain ``rehighlight()`` makes the document emit ``contentsChanged``, which the editors
        take for typing (their save button would light up when the dictionary arrives).
        """
        document = self.document()
        if document is None:
            return
        was_blocked = document.blockSignals(True)
        try:
            self.rehighlight()
        finally:
            document.blockSignals(was_blocked)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        """Underline this block's misspellings (nothing while off or still loading)."""
        if not text or not self.spelling.is_enabled() or not self.spelling.is_ready():
            return
        found = self.spelling.checker.misspellings(text)
        if not found:
            return
        index = _utf16_index(text)
        for m in found:
            start, end = (m.start, m.end) if index is None else (index[m.start], index[m.end])
            self.setFormat(start, end - start, self._format)


def misspelling_at(spelling: Spelling, cursor: QTextCursor) -> tuple[
    Misspelling, QTextCursor
] | None:
    """The misspelled word at ``cursor`` and a cursor selecting it, or None."""
    if not spelling.is_enabled() or not spelling.checker.is_ready():
        return None
    block = cursor.block()
    text = block.text()
    index = _utf16_index(text)
    at = cursor.positionInBlock()
    for m in spelling.checker.misspellings(text):
        start, end = (m.start, m.end) if index is None else (index[m.start], index[m.end])
        if start <= at <= end:
            word = QTextCursor(block)
            word.setPosition(block.position() + start)
            word.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
            return m, word
    return None


def add_spelling_actions(
    menu: QMenu, edit: QTextEdit, spelling: Spelling, cursor: QTextCursor
) -> None:
    """Put the spelling choices for the word at ``cursor`` at the top of ``menu``."""
    first = menu.actions()[0] if menu.actions() else None
    found = None if edit.isReadOnly() else misspelling_at(spelling, cursor)
    if found is not None:
        misspelling, word_cursor = found
        suggestions = spelling.checker.suggestions(misspelling.word)
        bold = QFont(menu.font())
        bold.setBold(True)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            action.setFont(bold)
            action.setObjectName("spelling-suggestion")
            action.triggered.connect(partial(_replace, edit, word_cursor, suggestion))
            menu.insertAction(first, action)
        if not suggestions:
            none = QAction(QCoreApplication.translate("Spelling", "(geen suggesties)"), menu)
            none.setEnabled(False)
            menu.insertAction(first, none)
        add = QAction(QCoreApplication.translate("Spelling", "Toevoegen aan woordenboek"), menu)
        add.setObjectName("spelling-add")
        add.triggered.connect(partial(_call, spelling.add_word, misspelling.word))
        menu.insertAction(first, add)
        ignore = QAction(QCoreApplication.translate("Spelling", "Negeren"), menu)
        ignore.setObjectName("spelling-ignore")
        ignore.triggered.connect(partial(_call, spelling.ignore_word, misspelling.word))
        menu.insertAction(first, ignore)
        menu.insertSeparator(first)
    switch = QAction(QCoreApplication.translate("Spelling", "Spellingcontrole"), menu)
    switch.setObjectName("spelling-enabled")
    switch.setCheckable(True)
    switch.setChecked(spelling.is_enabled())
    switch.setEnabled(spelling.checker.is_available())
    switch.toggled.connect(spelling.set_enabled)
    menu.addSeparator()
    menu.addAction(switch)


def _call(method: Callable[[str], None], word: str, _checked: bool = False) -> None:
    method(word)


def _replace(
    edit: QTextEdit, word_cursor: QTextCursor, suggestion: str, _checked: bool = False
) -> None:
    """Put ``suggestion`` in place of the word, as one undo step, keeping its formatting."""
    word_cursor.beginEditBlock()
    word_cursor.insertText(suggestion)
    word_cursor.endEditBlock()
    edit.setTextCursor(word_cursor)


__all__ = [
    "SETTINGS_ENABLED",
    "Spelling",
    "SpellingHighlighter",
    "add_spelling_actions",
    "misspelling_at",
    "set_shared_spelling",
    "shared_spelling",
]
