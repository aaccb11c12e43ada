"""The signature pad: drawing with mouse, pen and touch, wiping, and the PNG it returns."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QImage, QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ib_desktop.ui.widgets.signature_pad import SignatureDialog, SignaturePad


def draw(qtbot, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """One stroke with the mouse through ``points``."""
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(pad, QPoint(x, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def zigzag(x0: int = 40, y0: int = 90) -> list[tuple[int, int]]:
    return [(x0 + 12 * i, y0 + (18 if i % 2 else -18)) for i in range(12)]


def png_image(data: bytes) -> QImage:
    image = QImage()
    assert image.loadFromData(data, "PNG")
    return image


@pytest.fixture
def pad(qtbot) -> SignaturePad:
    widget = SignaturePad()
    widget.resize(500, 200)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_mouse_drawing_gives_a_cropped_png(qtbot, pad) -> None:
    assert pad.is_empty()
    assert pad.to_png() == b""
    with qtbot.waitSignal(pad.changed):
        draw(qtbot, pad, zigzag())
    assert not pad.is_empty()
    assert len(pad.strokes()[0]) == 12
    image = png_image(pad.to_png())
    # Cropped to the ink (about 132 x 36 plus margins), not the whole 500 x 200 pad.
    assert 130 < image.width() < 170
    assert 30 < image.height() < 70
    # White paper with dark ink on it.
    assert image.pixelColor(0, 0).name() == "#ffffff"
    dark = sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).lightness() < 128
    )
    assert dark > 100


def test_two_strokes_and_wiping(qtbot, pad) -> None:
    draw(qtbot, pad, zigzag())
    draw(qtbot, pad, [(300, 60), (340, 120), (380, 60)])
    assert len(pad.strokes()) == 2
    assert png_image(pad.to_png()).width() > 300
    pad.setFocus()
    qtbot.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.is_empty()


def test_right_button_does_not_draw(qtbot, pad) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.RightButton, pos=QPoint(50, 50))
    qtbot.mouseMove(pad, QPoint(90, 90))
    qtbot.mouseRelease(pad, Qt.MouseButton.RightButton, pos=QPoint(90, 90))
    assert pad.is_empty()


def test_pen_draws_through_tablet_events(qtbot, pad) -> None:
    device = QPointingDevice.primaryPointingDevice()
    for kind, (x, y) in [
        (QEvent.Type.TabletPress, (60, 60)),
        (QEvent.Type.TabletMove, (100, 110)),
        (QEvent.Type.TabletMove, (140, 70)),
        (QEvent.Type.TabletRelease, (180, 120)),
    ]:
        pos = QPointF(x, y)
        event = QTabletEvent(
            kind, device, pos, QPointF(pad.mapToGlobal(pos)), 0.6, 0.0, 0.0, 0.0, 0.0, 0.0,
            Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
        )  # fmt: skip
        QApplication.sendEvent(pad, event)
    assert [len(s) for s in pad.strokes()] == [4]


def test_touch_draws(qtbot, pad) -> None:
    device = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    seq = QTest.touchEvent(pad, device)
    seq.press(0, QPoint(60, 60), pad).commit()
    for x, y in [(90, 100), (120, 70), (150, 110)]:
        QTest.touchEvent(pad, device).move(0, QPoint(x, y), pad).commit()
    QTest.touchEvent(pad, device).release(0, QPoint(150, 110), pad).commit()
    assert len(pad.strokes()) == 1
    assert len(pad.strokes()[0]) >= 3


def test_dialog_returns_png_only_after_drawing(qtbot) -> None:
    captured: dict[str, bytes | None] = {}

    def sign() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SignatureDialog)
        assert not dialog.ok_button.isEnabled()
        draw(qtbot, dialog.pad, zigzag())
        assert dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
        assert not dialog.ok_button.isEnabled()
        draw(qtbot, dialog.pad, zigzag())
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, sign)
    captured["png"] = SignatureDialog.capture(None, "Isa Courtier")
    assert captured["png"] is not None
    assert captured["png"].startswith(b"\x89PNG")


def test_dialog_cancel_returns_none(qtbot) -> None:
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        draw(qtbot, dialog.pad, zigzag())
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert SignatureDialog.capture(None, "Daan Sarneel") is None
