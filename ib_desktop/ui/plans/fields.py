"""Small form pieces the plan editors and the evaluation form share.

Combos for an outcome and for a staff member (editable ones accept a typed name), two layout
helpers (widgets side by side in one form row, one label width for several forms) and the
coloured status line above a plan's form.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from ib_desktop.models import DocumentStatus, Outcome
from ib_desktop.services.plans import OUTCOME_LABELS, StaffChoice
from ib_desktop.ui.widgets.date_field import OptionalDateField

STATUS_STYLES = {
    DocumentStatus.CONCEPT: "background:#e8eef7; color:#1f3b63; border:1px solid #b7c7de;",
    DocumentStatus.ACTIEF: "background:#e6f4ea; color:#1e5631; border:1px solid #a8d5b5;",
    DocumentStatus.AFGESLOTEN: "background:#eeeeee; color:#444444; border:1px solid #c8c8c8;",
}


#: A date that may be empty ("geëvalueerd op"): the app's one date field.
OptionalDateEdit = OptionalDateField


def outcome_combo(parent: QWidget | None = None) -> QComboBox:
    """Uitkomst: nog niet bepaald / behaald / deels behaald / niet behaald."""
    combo = QComboBox(parent)
    combo.addItem(QCoreApplication.translate("PlanFields", "Nog niet bepaald"), None)
    for outcome, label in OUTCOME_LABELS.items():
        combo.addItem(label[:1].upper() + label[1:], outcome.value)
    return combo


def combo_outcome(combo: QComboBox) -> Outcome | None:
    """The outcome chosen in an :func:`outcome_combo`."""
    value = combo.currentData()
    return Outcome(value) if value else None


def set_combo_outcome(combo: QComboBox, outcome: Outcome | str | None) -> None:
    """Select an outcome in an :func:`outcome_combo`."""
    index = combo.findData(Outcome(outcome).value if outcome else None)
    combo.setCurrentIndex(max(index, 0))


def staff_combo(
    choices: list[StaffChoice], *, editable: bool, empty: str = "", parent: QWidget | None = None
) -> QComboBox:
    """A combo of staff members; editable ones accept a name that is not in the list."""
    combo = QComboBox(parent)
    combo.setEditable(editable)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if empty:
        combo.addItem(empty, None)
    for c in choices:
        combo.addItem(c.label, c.id)
    if editable:
        completer = combo.completer()
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setMinimumContentsLength(24)
    return combo


def set_staff(combo: QComboBox, staff_id: int | None, name: str = "") -> None:
    """Select a staff member, or (editable combo) show a typed name."""
    index = combo.findData(staff_id) if staff_id is not None else -1
    if index >= 0:
        combo.setCurrentIndex(index)
    elif combo.isEditable():
        combo.setCurrentIndex(-1)
        combo.setEditText(name)
    else:
        combo.setCurrentIndex(max(combo.findData(None), 0))


def staff_value(combo: QComboBox) -> tuple[int | None, str]:
    """(staff id, name) from a staff combo; a typed unknown name gives (None, name)."""
    text = combo.currentText().strip()
    index = combo.currentIndex()
    if index >= 0 and combo.itemText(index) == combo.currentText():
        return combo.itemData(index), text
    match = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if match >= 0:
        return combo.itemData(match), combo.itemText(match)
    return None, text


def align_form_labels(*forms: QFormLayout) -> None:
    """Give the labels of several forms one width, so their fields line up under each other."""
    labels = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None:
                labels.append(item.widget())
    if not labels:
        return
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)


def labelled_row(*widgets: QWidget, stretch: bool = True) -> QWidget:
    """Widgets side by side in one form row."""
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        lay.addWidget(w)
    if stretch:
        lay.addStretch(1)
    return row


class StatusBanner(QLabel):
    """The line above a plan's form: the document's state, coloured, and what it means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status-banner")
        self.setWordWrap(True)
        self.setMargin(6)

    def show_state(self, status: DocumentStatus, reason: str, is_new: bool) -> None:
        """Show a status (and why the form is read-only, when it is)."""
        self.setStyleSheet(STATUS_STYLES[status])
        self.setText(self.state_text(status, reason, is_new))

    def state_text(self, status: DocumentStatus, reason: str, is_new: bool) -> str:
        """What the state means for the user (the read-only reason when there is one)."""
        if reason:
            if status == DocumentStatus.AFGESLOTEN:
                return self.tr(
                    "Afgesloten: dit document is alleen-lezen. Kies \u201cHeropenen\u201d om het "
                    "weer te wijzigen; dat wordt in de geschiedenis vastgelegd."
                )
            return reason
        if is_new:
            return self.tr(
                "Nieuw document (concept). Het wordt pas bewaard als u opslaat (Ctrl+S)."
            )
        if status == DocumentStatus.CONCEPT:
            return self.tr(
                "Concept: nog in voorbereiding. Kies \u201cActiveren\u201d als het plan ingaat."
            )
        return self.tr("Actief: het plan loopt. Na de evaluatie kiest u \u201cAfsluiten\u201d.")
