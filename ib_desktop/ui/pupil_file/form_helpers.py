"""Small pieces the pupil file's tabs and dialogs share.

Errors and warnings beside fields, the Opslaan / Niet opslaan / Annuleren question, a yes/no
question with No as default, combo helpers, read-only fields, the multi-line field, the row of
name fields and the small square in a level's colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.names import split_tussenvoegsel
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import ERROR_STYLE, ErrorMap, FieldWithError
from ib_desktop.ui.widgets.level_style import swatch

WARNING_STYLE = "color: #8a5300;"


# ---------------------------------------------------------------------------- shared widgets


def show_warning(wrapper: FieldWithError, message: str) -> None:
    """A warning under a field: shown in amber, the field keeps its normal border."""
    wrapper.error_label.setText(message)
    wrapper.error_label.setStyleSheet(WARNING_STYLE)
    wrapper.error_label.setVisible(bool(message))


def show_problems(
    errors_map: ErrorMap, errors: dict[str, str], warnings: dict[str, str] | None = None
) -> list[str]:
    """Errors (red) and warnings (amber) beside their fields; returns errors without a field."""
    for w in errors_map.fields.values():
        w.error_label.setStyleSheet(ERROR_STYLE)
    unplaced = errors_map.show(errors)
    for name, message in (warnings or {}).items():
        if name in errors_map.fields and name not in errors:
            show_warning(errors_map.fields[name], message)
    return unplaced


def ask_unsaved(parent: QWidget | None, what: str) -> QMessageBox.StandardButton:
    """Opslaan / Niet opslaan / Annuleren before closing a window with unsaved changes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(
        QCoreApplication.translate(
            "PupilFileForms", "Er zijn wijzigingen in %s die nog niet zijn opgeslagen."
        )
        % what
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "PupilFileForms",
            "Wilt u ze opslaan voordat u sluit? Met 'Niet opslaan' gaan ze verloren.",
        )
    )
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    for button, text in (
        (buttons.Save, QCoreApplication.translate("PupilFileForms", "Opslaan")),
        (buttons.Discard, QCoreApplication.translate("PupilFileForms", "Niet opslaan")),
        (buttons.Cancel, QCoreApplication.translate("PupilFileForms", "Annuleren")),
    ):
        box.button(button).setText(text)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    return QMessageBox.StandardButton(box.exec())


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question whose safe answer (No) is the default."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def fill_combo(combo: QComboBox, items: list[tuple[Any, str]], current: Any = None) -> None:
    """Replace a combo's items by (data, text) pairs and select ``current``."""
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def set_combo_data(combo: QComboBox, value: Any) -> None:
    """Select the item whose data is ``value`` (the first item when absent)."""
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)


def widget_state(widget: QWidget) -> Any:
    """What a field currently holds, to notice unsaved changes."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    states = tuple(widget_state(w) for w in widget.findChildren(QWidget) if w is not widget)
    return states


def make_read_only(widget: QWidget, read_only: bool) -> None:
    """Text stays readable and selectable; choices are disabled."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | DateField):
        widget.setReadOnly(read_only)
    else:
        widget.setEnabled(not read_only)


class PlainTextField(QPlainTextEdit):
    """A multi-line form field: opens a few lines high, grows with its dialog.

    Tab moves on to the next field (as in a form) instead of typing a tab.
    """

    def __init__(self, lines: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * min(lines, 3) + 12)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As high as the number of lines asked for."""
        hint = super().sizeHint()
        return QSize(hint.width(), self.fontMetrics().lineSpacing() * self._lines + 14)


def plain_edit(height_lines: int = 4) -> QPlainTextEdit:
    """A multi-line field of ``height_lines`` lines where Tab moves on."""
    return PlainTextField(height_lines)


# ---------------------------------------------------------------------------- name row


@dataclass
class NameFields:
    """First name, tussenvoegsel and last name side by side, with errors under each."""

    row: QWidget
    first: QLineEdit
    tussenvoegsel: QLineEdit
    last: QLineEdit


def name_fields(errors: ErrorMap, parent: QWidget) -> NameFields:
    """The three name fields in one row; the row itself shows the duplicate-pupil message."""
    first = QLineEdit()
    first.setPlaceholderText(QCoreApplication.translate("PupilFileForms", "voornaam"))
    first.setAccessibleName(QCoreApplication.translate("PupilFileForms", "Voornaam"))
    tv = QLineEdit()
    tv.setPlaceholderText(QCoreApplication.translate("PupilFileForms", "tussenv."))
    tv.setAccessibleName(QCoreApplication.translate("PupilFileForms", "Tussenvoegsel"))
    tv.setMinimumWidth(72)
    tv.setMaximumWidth(110)
    last = QLineEdit()
    last.setPlaceholderText(QCoreApplication.translate("PupilFileForms", "achternaam"))
    last.setAccessibleName(QCoreApplication.translate("PupilFileForms", "Achternaam"))
    inner = QWidget()
    lay = QHBoxLayout(inner)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(errors.wrap("first_name", first), 3)
    lay.addWidget(errors.wrap("tussenvoegsel", tv), 1)
    lay.addWidget(errors.wrap("last_name", last), 4)
    lay.setAlignment(Qt.AlignmentFlag.AlignTop)
    row = errors.wrap("name", inner)
    row.setFocusProxy(first)

    def split() -> None:
        # "van der Berg" typed as last name: move the tussenvoegsel to its own field.
        if not tv.text().strip():
            found, rest = split_tussenvoegsel(last.text())
            if found:
                tv.setText(found)
                last.setText(rest)

    last.editingFinished.connect(split)
    return NameFields(row, first, tv, last)


def level_icon(color: str, size: int = 12) -> QIcon:
    """A small square in a level's colour (the shared look from ``level_style``)."""
    return swatch(color, size)
