"""Small pieces the OPP pages and dialogs share: escaping, dates, and the kinds of field."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox

from ib_desktop.dates import long_date
from ib_desktop.ui.widgets.date_field import OptionalDateField
from ib_desktop.ui.widgets.rich_text import RichTextEdit

#: A date that may be empty: the app's one date field.
OptionalDateEdit = OptionalDateField


def esc(text: Any) -> str:
    """HTML-escaped text with line breaks kept."""
    return html.escape(str(text or "")).replace("\n", "<br>")


def long_iso_date(value: str | None) -> str:
    """An ISO date string (as the pupil-file snapshot keeps dates) written out in Dutch."""
    return long_date(date.fromisoformat(value)) if value else ""


def ordinal(d: date | None) -> int:
    """A date's sort value; an empty date sorts first."""
    return d.toordinal() if d else 0


def prose(placeholder: str = "", *, min_lines: int = 3, max_lines: int = 12) -> RichTextEdit:
    """A rich-text field (bullets, bold, italic) stored as Markdown."""
    return RichTextEdit(min_lines=min_lines, max_lines=max_lines, placeholder=placeholder)


def combo(items: Sequence[str], *, editable: bool = True) -> QComboBox:
    """A combo box with suggestions; editable ones accept any text."""
    box = QComboBox()
    box.setEditable(editable)
    box.addItems(list(items))
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return box
