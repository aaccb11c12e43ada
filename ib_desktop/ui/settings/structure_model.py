"""The table of the support-structure editor: the draft's levels in staircase order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from ib_desktop.models import DocumentKind
from ib_desktop.services.structure import LevelDraft, LevelUsage
from ib_desktop.ui.widgets.level_style import documents_phrase, swatch, tier_label
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, TableModel

RETIRED_COLOR = QColor("#757575")


class LevelListModel(TableModel):
    """The levels of the draft in staircase order.

    No sort proxy here: the order of the rows *is* the staircase, changed with Omhoog/Omlaag.
    """

    COL_POSITION, COL_NAME, COL_DOCUMENTS, COL_USE = range(4)
    SortRole = SORT_ROLE
    RowRole = ROW_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._usage: dict[int, LevelUsage] = {}
        self._invalid: set[int] = set()
        self._headers = [
            self.tr("Nr."),
            self.tr("Niveau"),
            self.tr("Vereiste documenten"),
            self.tr("Leerlingen"),
        ]
        self._italic = QFont()
        self._italic.setItalic(True)
        self._grey = QBrush(RETIRED_COLOR)
        self._warning = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning
        )

    def set_levels(
        self, levels: list[LevelDraft], usage: dict[int, LevelUsage], invalid: set[int]
    ) -> None:
        """Show these levels (the editor's draft list itself)."""
        self.beginResetModel()
        self._rows = levels
        self._usage = usage
        self._invalid = invalid
        self.endResetModel()

    def refresh(self, invalid: set[int]) -> None:
        """The draft changed in place: repaint every cell."""
        self._invalid = invalid
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._headers) - 1)
            )

    def level(self, row: int) -> LevelDraft | None:
        """The level on a row."""
        return self.row_at(row)

    def usage(self, level: LevelDraft) -> LevelUsage:
        """How a (saved) level is used."""
        return self._usage.get(level.id, LevelUsage()) if level.id is not None else LevelUsage()

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """The column titles, and the step number beside each row."""
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return super().headerData(section, orientation, role)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        lvl = self.level(index.row()) if index.isValid() else None
        if lvl is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(lvl, index.row(), col)
        if role == self.SortRole:
            return {
                self.COL_POSITION: index.row() + 1,
                self.COL_NAME: lvl.name.casefold(),
                self.COL_DOCUMENTS: len(lvl.required_documents),
                self.COL_USE: self.usage(lvl).ever,
            }[col]
        if role == self.RowRole:
            return lvl
        if role == Qt.ItemDataRole.DecorationRole and col == self.COL_NAME:
            return self._warning if index.row() in self._invalid else swatch(lvl.color, 14)
        if role == Qt.ItemDataRole.ForegroundRole and lvl.retired:
            return self._grey
        if role == Qt.ItemDataRole.FontRole and lvl.retired:
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_DOCUMENTS:
                return self.data(index, Qt.ItemDataRole.DisplayRole)
            if index.row() in self._invalid:
                return self.tr("Dit niveau heeft een fout; kies het om de melding te zien.")
            return f"{tier_label(lvl.tier)}\n{lvl.description}".strip() or None
        return None

    def _text(self, lvl: LevelDraft, row: int, col: int) -> str | None:
        """What a cell shows."""
        if col == self.COL_POSITION:
            return str(row + 1)
        if col == self.COL_NAME:
            name = lvl.name.strip() or self.tr("(zonder naam)")
            return name + (self.tr(" — buiten gebruik") if lvl.retired else "")
        if col == self.COL_DOCUMENTS:
            if not lvl.required_documents:
                return self.tr("geen")
            joiner = self.tr("of") if lvl.requires_any else self.tr("en")
            return documents_phrase(_ordered(lvl.required_documents), joiner)
        if col == self.COL_USE:
            use = self.usage(lvl)
            if lvl.id is None:
                return self.tr("nieuw")
            if not use.in_use:
                return self.tr("niet gebruikt")
            return self.tr("%d nu, %d ooit") % (use.now, use.ever)
        return None


def _ordered(kinds: list[str]) -> list[str]:
    order = [k.value for k in DocumentKind]
    return sorted(kinds, key=order.index)
