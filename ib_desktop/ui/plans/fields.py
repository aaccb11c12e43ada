"""Small form helpers the plan editors and the evaluation form share.

Combos for an outcome and for a staff member (editable ones accept a typed name), and two layout
helpers: widgets side by side in one form row, and one label width for several forms.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QWidget,
)

from ib_desktop.models import Outcome
from ib_desktop.services.plans import OUTCOME_LABELS, StaffChoice
from ib_desktop.ui.widgets.date_field import OptionalDateField

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
