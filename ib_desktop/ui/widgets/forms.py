"""Form helpers: a clear Dutch message right next to the field that is wrong."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ib_desktop.ui.widgets.date_field import DateField

ERROR_STYLE = "color: #b00020;"


def ok_cancel_buttons(
    dialog: QDialog, ok_text: str, on_ok: Callable[[], object] | None = None
) -> QDialogButtonBox:
    """A dialog's two buttons: OK named after what it does ("Vastleggen") and "Annuleren".

    OK runs ``on_ok`` (the dialog's own check, which accepts when all is well; by default it
    simply accepts) once every date field of the dialog holds a good date; Annuleren rejects.
    """
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("Annuleren"))

    def ok() -> None:
        # A date field holding no good date (its message is beside it) keeps the dialog open.
        from ib_desktop.ui.widgets.date_field import check_dates

        if check_dates(dialog):
            (on_ok or dialog.accept)()

    box.accepted.connect(ok)
    box.rejected.connect(dialog.reject)
    return box


def to_qdate(d: date | None) -> QDate:
    """A Python date as a QDate (an invalid QDate for None)."""
    return QDate(d.year, d.month, d.day) if d else QDate()


def from_qdate(q: QDate) -> date | None:
    """A QDate as a Python date (None when invalid)."""
    return date(q.year(), q.month(), q.day()) if q.isValid() else None


def date_edit(value: date | None = None, parent: QWidget | None = None) -> DateField:
    """A date that must be filled in (today unless given).

    See :mod:`ib_desktop.ui.widgets.date_field`.
    """
    from ib_desktop.ui.widgets.date_field import DateField

    return DateField(value or date.today(), parent, required=True)


class FieldWithError(QWidget):
    """A field with a hidden error label under it; ``set_error("")`` hides it again."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(field)
        lay.addWidget(self.error_label)
        self.setFocusProxy(field)

    def set_error(self, message: str) -> None:
        """Show (or with an empty message, hide) the error under the field."""
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self.field.setProperty("invalid", bool(message))
        self.field.setStyleSheet("border: 1px solid #b00020;" if message else "")
        self.field.setAccessibleDescription(message)
        # A date field says what is wrong beside itself; it does not repeat this message.
        external = getattr(self.field, "set_external_message", None)
        if external is not None:
            external(message)


class ErrorMap:
    """Maps field names (as the services use them) to :class:`FieldWithError` wrappers."""

    def __init__(self) -> None:
        self.fields: dict[str, FieldWithError] = {}

    def wrap(self, name: str, field: QWidget) -> FieldWithError:
        """Wrap ``field`` and remember it under ``name``."""
        w = FieldWithError(field)
        self.fields[name] = w
        return w

    def clear(self) -> None:
        """Hide every error."""
        for w in self.fields.values():
            w.set_error("")

    def show(self, errors: dict[str, str]) -> list[str]:
        """Show each error beside its field; returns messages that have no field here."""
        self.clear()
        unplaced = []
        first = None
        for name, message in errors.items():
            w = self.fields.get(name)
            if w is None:
                unplaced.append(message)
                continue
            w.set_error(message)
            first = first or w
        if first is not None:
            first.field.setFocus()
        return unplaced

    def message(self, name: str) -> str:
        """The error currently shown for ``name`` (empty when none)."""
        w = self.fields.get(name)
        return w.error_label.text() if w and w.error_label.isVisible() else ""
