"""The one dialog for "someone else saved this in the meantime", for every kind of record.

A save that the service refused with an :class:`~ib_desktop.services.versioned.EditConflict`
shows who changed the record and, field by field, this user's value beside the other person's.
The user chooses: keep the other version (this user's edits are dropped), save their own
version over it on purpose, or go back to editing with nothing lost::

    choice = ConflictDialog.choose(self, conflict)
    if choice is ConflictChoice.MINE: ...  # save again with conflict.current_version

or, for a save that takes the loaded version, the whole ritual in one call::

    outcome = save_or_choose(self, lambda version: save(..., version), self._version)
    if outcome.saved: ...  # stored (perhaps over the other's change, on purpose)
    elif outcome.choice is ConflictChoice.THEIRS: ...  # reload what the other saved
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.services.versioned import EditConflict

T = TypeVar("T")


class ConflictChoice(enum.Enum):
    """What the user chose to do with a refused save."""

    THEIRS = "theirs"  # keep what the other person saved; drop these edits
    MINE = "mine"  # save these edits over the other person's change
    EDIT = "edit"  # nothing saved, back to the form with the edits intact


class ConflictDialog(QDialog):
    """Shows a conflict field by field and asks which version stays."""

    COL_FIELD, COL_MINE, COL_THEIRS = range(3)

    def __init__(self, conflict: EditConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice = ConflictChoice.EDIT
        self.setWindowTitle(self.tr("Intussen gewijzigd"))
        self.setMinimumWidth(560)

        self.title_label = QLabel(conflict.title)
        self.title_label.setObjectName("conflict-title")
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.message_label = QLabel(self._message())
        self.message_label.setWordWrap(True)

        self.table = QTableWidget(len(conflict.fields), 3)
        self.table.setObjectName("conflict-fields")
        self.table.setAccessibleName(self.tr("Verschillen per gegeven"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Gegeven"), self.tr("Uw waarde"), self.tr("Waarde van %s") % conflict.who]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        for row, f in enumerate(conflict.fields):
            for col, text in ((self.COL_FIELD, f.label), (self.COL_MINE, f.mine),
                              (self.COL_THEIRS, f.theirs)):  # fmt: skip
                item = QTableWidgetItem(text if text else self.tr("(leeg)"))
                item.setToolTip(text)
                if not text:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.COL_FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_MINE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.COL_THEIRS, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(conflict.fields))

        buttons = QDialogButtonBox()
        self.theirs_button = QPushButton(
            self.tr("Sluiten zonder opslaan") if conflict.gone else self.tr("Hun versie houden")
        )
        self.theirs_button.setToolTip(
            self.tr("Uw wijzigingen weggooien; wat %s opsloeg blijft staan.") % conflict.who
        )
        self.mine_button = QPushButton(self.tr("Mijn versie opslaan"))
        self.mine_button.setToolTip(
            self.tr("Uw versie opslaan; de wijziging van %s wordt overschreven.") % conflict.who
        )
        self.edit_button = QPushButton(self.tr("Verder bewerken"))
        self.edit_button.setToolTip(self.tr("Niets opslaan en terug naar uw wijzigingen."))
        buttons.addButton(self.theirs_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.mine_button.setVisible(not conflict.gone and conflict.current_version is not None)
        # Enter must not throw anything away: the safe choice has the focus and is the default.
        self.edit_button.setDefault(True)
        self.theirs_button.clicked.connect(self._on_theirs)
        self.mine_button.clicked.connect(self._on_mine)
        self.edit_button.clicked.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(self.title_label)
        lay.addWidget(self.message_label)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)

    def _message(self) -> str:
        c = self.conflict
        if c.gone:
            return self.tr(
                "U bewerkte %s, maar %s heeft het verwijderd. Uw wijzigingen zijn niet opgeslagen."
            ) % (c.what, c.who)
        if not c.fields:
            return self.tr(
                "U en %s hebben %s tegelijk bewerkt; %s sloeg eerst op. De gegevens die u "
                "bewerkt zijn gelijk, maar er is iets anders aan gewijzigd. Welke versie blijft?"
            ) % (c.who, c.what, c.who)
        first = (
            self.tr("%s sloeg eerst op, om %s") % (c.who, c.at.strftime("%H:%M"))
            if c.at
            else self.tr("%s sloeg eerst op") % c.who
        )
        return self.tr(
            "U en %s hebben %s tegelijk bewerkt; %s. Hieronder staat per gegeven uw waarde "
            "naast die van de ander. Welke versie blijft?"
        ) % (c.who, c.what, first)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Enter must not throw anything away: "Verder bewerken" has the focus."""
        super().showEvent(event)
        self.edit_button.setFocus()

    @Slot()
    def _on_theirs(self) -> None:
        self.choice = ConflictChoice.THEIRS
        self.accept()

    @Slot()
    def _on_mine(self) -> None:
        self.choice = ConflictChoice.MINE
        self.accept()

    def reject(self) -> None:
        """Esc, the window's close button or "Verder bewerken": nothing happens to the edits."""
        self.choice = ConflictChoice.EDIT
        super().reject()

    @classmethod
    def choose(cls, parent: QWidget | None, conflict: EditConflict) -> ConflictChoice:
        """Show the conflict and return what the user chose."""
        dialog = cls(conflict, parent)
        dialog.exec()
        return dialog.choice


@dataclass(frozen=True)
class SaveOutcome(Generic[T]):
    """What became of a save: stored (``saved``), or refused and what the user chose."""

    saved: bool
    result: T | None = None
    choice: ConflictChoice | None = None
    conflict: EditConflict | None = None


def save_or_choose(
    parent: QWidget | None, save: Callable[[int | None], T], version: int | None
) -> SaveOutcome[T]:
    """Run ``save(version)``; on a conflict show the dialog and follow the user's choice.

    "Mijn versie opslaan" saves again over the version now stored; "Hun versie houden" and
    "Verder bewerken" come back unsaved with the choice (the caller reloads, or leaves the form
    as it is). Any other error is the caller's to show.
    """
    while True:
        try:
            return SaveOutcome(True, save(version))
        except EditConflict as conflict:
            choice = ConflictDialog.choose(parent, conflict)
            if choice is ConflictChoice.MINE and conflict.current_version is not None:
                version = conflict.current_version  # on purpose, over the other's change
                continue
            return SaveOutcome(False, None, choice, conflict)
