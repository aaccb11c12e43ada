"""Signing on screen: a pad for mouse, pen or finger, and a dialog that returns the PNG.

During the meeting with the parents the laptop goes round the table; each signer draws in the pad
and the signature is stored with the OPP version (``OppSignature.image_png``), to be printed in
place on the signature page. Strokes are kept as points and drawn as smooth curves (quadratic
segments through the midpoints), so a shaky mouse still gives a calm line.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QShortcut,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

INK = QColor("#0b2a66")  # dark blue, like a ballpoint: clearly a signature on a printed page
PEN_WIDTH = 2.6


def smooth_path(strokes: list[list[QPointF]]) -> QPainterPath:
    """One path through all strokes, with quadratic curves through the midpoints."""
    path = QPainterPath()
    for points in strokes:
        if not points:
            continue
        if len(points) == 1:
            p = points[0]
            path.addEllipse(p, PEN_WIDTH / 2, PEN_WIDTH / 2)
            continue
        path.moveTo(points[0])
        for prev, cur in zip(points, points[1:], strict=False):
            mid = (prev + cur) / 2
            path.quadTo(prev, mid)
        path.lineTo(points[-1])
    return path


class SignaturePad(QWidget):
    """A white surface to sign on with the mouse, a pen (tablet events) or a finger (touch)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[QPointF]] = []
        self._drawing = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(QSize(460, 180))
        self.setAccessibleName(self.tr("Handtekeningvlak"))
        self.setAccessibleDescription(
            self.tr("Teken hier met de muis, een pen of uw vinger. Delete wist het vlak.")
        )
        self.setToolTip(self.tr("Teken hier uw handtekening"))

    # -------------------------------------------------------------- public API
    def is_empty(self) -> bool:
        """Nothing drawn yet."""
        return not any(self._strokes)

    def clear(self) -> None:
        """Wipe the pad."""
        self._strokes.clear()
        self._drawing = False
        self.update()
        self.changed.emit()

    def strokes(self) -> list[list[QPointF]]:
        """The drawn strokes as points in widget coordinates (a copy)."""
        return [list(s) for s in self._strokes]

    def to_image(self, margin: int = 8) -> QImage:
        """The signature on white, cropped to the ink with a small margin."""
        path = smooth_path(self._strokes)
        bounds = path.boundingRect().adjusted(
            -margin - PEN_WIDTH, -margin - PEN_WIDTH, margin + PEN_WIDTH, margin + PEN_WIDTH
        )
        if path.isEmpty() or bounds.isEmpty():
            return QImage()
        image = QImage(
            max(1, int(bounds.width() + 0.5)),
            max(1, int(bounds.height() + 0.5)),
            QImage.Format.Format_RGB32,
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.translate(-bounds.topLeft())
        painter.setPen(self._pen())
        painter.drawPath(path)
        painter.end()
        return image

    def to_png(self, margin: int = 8) -> bytes:
        """The signature as PNG bytes (empty bytes when nothing is drawn)."""
        image = self.to_image(margin)
        if image.isNull():
            return b""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

    # -------------------------------------------------------------- drawing
    def _pen(self) -> QPen:
        pen = QPen(INK, PEN_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _begin(self, pos: QPointF) -> None:
        self._drawing = True
        self._strokes.append([QPointF(pos)])
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if not self._drawing:
            return
        stroke = self._strokes[-1]
        # Skip points closer than half a pixel: they only add noise to the curve.
        if (pos - stroke[-1]).manhattanLength() >= 0.5:
            stroke.append(QPointF(pos))
            self.update()

    def _end(self, pos: QPointF | None = None) -> None:
        if not self._drawing:
            return
        if pos is not None:
            self._extend(pos)
        self._drawing = False
        self.update()
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Start a stroke with the left button."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Continue the stroke while the button is held."""
        if self._drawing:
            self._extend(event.position())
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Finish the stroke."""
        if event.button() == Qt.MouseButton.LeftButton and self._drawing:
            self._end(event.position())
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt override
        """A pen: accepted here, so Qt does not also send the synthesised mouse events."""
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position())
        event.accept()

    def event(self, event: QEvent) -> bool:
        """Touch: the first finger draws; the event is accepted so no mouse events follow."""
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            points = event.points()  # type: ignore[attr-defined]
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(pos)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(pos)
                else:
                    self._end(pos)
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self._end()
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        """Delete or Backspace wipes the pad."""
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """White paper, a signing line, and the ink."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.fillRect(rect, QColor("white"))
        painter.setPen(QPen(QColor("#8a8f98") if not self.hasFocus() else QColor("#3b6fd1"), 1))
        painter.drawRoundedRect(rect, 4, 4)
        baseline = rect.bottom() - 36
        painter.setPen(QPen(QColor("#b8bcc4"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(rect.left() + 24, baseline), QPointF(rect.right() - 24, baseline))
        painter.setPen(QColor("#8a8f98"))
        painter.drawText(QPointF(rect.left() + 12, baseline - 4), "×")
        if self.is_empty():
            painter.drawText(
                rect.adjusted(0, 0, 0, -48),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("Teken hier uw handtekening"),
            )
        painter.setPen(self._pen())
        painter.drawPath(smooth_path(self._strokes))
        painter.end()


class SignatureDialog(QDialog):
    """Asks one person to sign; ``capture`` returns the PNG or None when cancelled."""

    def __init__(self, signer_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Handtekening zetten"))
        self.setModal(True)
        title = QLabel(self.tr("Handtekening van <b>%s</b>") % signer_name.replace("<", "&lt;"))
        hint = QLabel(self.tr("Teken in het vlak met de muis, een pen of uw vinger."))
        hint.setWordWrap(True)
        self.pad = SignaturePad(self)
        self.pad.setMinimumSize(QSize(560, 220))
        self.clear_button = QPushButton(self.tr("&Wissen"))
        self.clear_button.setToolTip(self.tr("Het vlak leegmaken en opnieuw tekenen (Delete)"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Opslaan"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        self.ok_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.clear_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(hint)
        lay.addWidget(self.pad, 1)
        lay.addLayout(row)
        self.clear_button.clicked.connect(self._on_clear)
        self.pad.changed.connect(self._on_pad_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self._on_save_shortcut)
        self.pad.setFocus()

    @Slot()
    def _on_clear(self) -> None:
        self.pad.clear()
        self.pad.setFocus()

    @Slot()
    def _on_pad_changed(self) -> None:
        self.ok_button.setEnabled(not self.pad.is_empty())

    @Slot()
    def _on_save_shortcut(self) -> None:
        if not self.pad.is_empty():
            self.accept()

    def png(self) -> bytes | None:
        """The drawn signature, or None when the pad is empty."""
        return self.pad.to_png() or None

    @classmethod
    def capture(cls, parent: QWidget | None, signer_name: str) -> bytes | None:
        """Let ``signer_name`` sign; the PNG (white background, cropped) or None."""
        dialog = cls(signer_name, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.png()
        finally:
            dialog.deleteLater()
