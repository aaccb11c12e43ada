"""The side list of the OPP editor: the 13 parts, each with a badge of its completeness.

Green ✓: the part is complete; orange !: it still lacks something needed to fix the OPP;
grey ○: it is not required for this form of the OPP. The tooltip says what is missing.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import PARTS

COMPLETE_MARK = "✓"
INCOMPLETE_MARK = "!"
OPTIONAL_MARK = "○"
MARK_ROLE = Qt.ItemDataRole.UserRole + 1
MARK_COLORS = {COMPLETE_MARK: "#2e7d32", INCOMPLETE_MARK: "#c2410c", OPTIONAL_MARK: "#6b7280"}
_ICONS: dict[str, QIcon] = {}


def mark_icon(mark: str) -> QIcon:
    """A small round badge with the mark: green ✓, orange !, grey ○ (made once, then cached)."""
    if mark in _ICONS:
        return _ICONS[mark]
    size = 18
    pixmap = QPixmap(size * 2, size * 2)  # drawn at double size: sharp on high-DPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    color = QColor(MARK_COLORS[mark])
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    if mark == OPTIONAL_MARK:
        painter.setPen(QPen(color, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(rect)
        painter.setPen(QPen(QColor("white"), 2.0))
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(12)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, mark)
    painter.end()
    _ICONS[mark] = QIcon(pixmap)
    return _ICONS[mark]


def mark_for(status: svc.PartStatus) -> str:
    """The badge of a part: complete, still needed, or not required."""
    if status.complete:
        return COMPLETE_MARK
    return INCOMPLETE_MARK if status.required else OPTIONAL_MARK


class PartsList(QListWidget):
    """The parts in order; the row is the part's number minus one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partsList")
        self.setAccessibleName(self.tr("Delen van het OPP"))
        self.setMinimumWidth(300)
        self.setMaximumWidth(400)
        self.setIconSize(QSize(18, 18))
        self.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        self.setWordWrap(True)
        self.setSpacing(1)
        for part in PARTS:
            item = QListWidgetItem(f"{part.number}. {part.title}")
            item.setData(Qt.ItemDataRole.UserRole, part.number)
            self.addItem(item)

    def show_statuses(self, statuses: list[svc.PartStatus]) -> None:
        """Badge, tooltip and accessible text of every part."""
        for row, status in enumerate(statuses):
            self._show_status(self.item(row), status)

    def _show_status(self, item: QListWidgetItem, status: svc.PartStatus) -> None:
        mark = mark_for(status)
        item.setText(f"{status.number}. {status.title}")
        item.setIcon(mark_icon(mark))
        item.setData(MARK_ROLE, mark)
        if status.complete:
            tip = self.tr("Compleet") + (
                f" – {self.tr('niet van toepassing')}: {status.not_applicable}"
                if status.not_applicable
                else ""
            )
        else:
            tip = self.tr("Nog nodig:") + "\n• " + "\n• ".join(status.missing)
        item.setToolTip(tip)
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole,
            f"{status.number}. {status.title}: "
            + (self.tr("compleet") if status.complete else self.tr("niet compleet")),
        )

    def mark(self, number: int) -> str:
        """The mark (✓, ! or ○) shown for a part."""
        return self.item(number - 1).data(MARK_ROLE)
