"""Every window fits the screen it opens on, and opens at the size the user gave it last time.

School laptops have 1366x768 screens with a task bar, often at 125% scaling: about 1366x728
usable pixels at 100%, and 1093x582 logical pixels at 125%. A window that asks for more (the OPP
editor asked for 1240x820) hangs its buttons below the task bar. :func:`size_window` is the one
call a window or dialog makes instead of ``resize()``: it restores the size saved under its key
(``QSettings``), or takes the size it would like, and in both cases clamps it to the screen's
available geometry, title bar and frame included, and keeps it on screen. The size is saved
again when the window closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: What the window manager adds around a window: the title bar and the borders (Windows 10/11
#: draw about 31 logical pixels of title bar and 1 of border; room is left for a thicker one).
FRAME_ALLOWANCE = QSize(16, 40)

#: The smallest screens the app is made for, as usable (logical) pixels: 1366x768 with a task bar,
#: at 100% and at 125% scaling.
LAPTOP_100 = QRect(0, 0, 1366, 728)
LAPTOP_125 = QRect(0, 0, 1093, 582)

_override: QRect | None = None


def set_available_override(rect: QRect | None) -> None:
    """Pretend the screen has ``rect`` available (tests; None goes back to the real screen)."""
    global _override
    _override = rect


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen (or the primary screen) that windows may use."""
    if _override is not None:
        return QRect(_override)
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return QRect(LAPTOP_100)
    return screen.availableGeometry()


def frame_margins(widget: QWidget) -> QSize:
    """The frame the window manager adds, as measured when shown, else the allowance."""
    if widget.isVisible():
        frame, inner = widget.frameGeometry(), widget.geometry()
        measured = QSize(frame.width() - inner.width(), frame.height() - inner.height())
        if measured.width() > 0 or measured.height() > 0:
            return measured.expandedTo(QSize(0, 0))
    return QSize(FRAME_ALLOWANCE)


def largest_size(widget: QWidget, available: QRect | None = None) -> QSize:
    """The largest window (without frame) that fits on the available part of the screen."""
    area = available or available_geometry(widget)
    frame = frame_margins(widget)
    return QSize(max(200, area.width() - frame.width()), max(150, area.height() - frame.height()))


def fit_to_screen(widget: QWidget, wanted: QSize, available: QRect | None = None) -> QSize:
    """Resize ``widget`` to ``wanted``, but never larger than the available screen; returns it.

    A minimum size larger than the screen is lowered too, so the user can always make the
    window fit (its content scrolls instead).
    """
    largest = largest_size(widget, available)
    size = wanted.boundedTo(largest)
    if widget.minimumWidth() > largest.width() or widget.minimumHeight() > largest.height():
        widget.setMinimumSize(widget.minimumSize().boundedTo(largest))
    widget.resize(size)
    return size


def keep_on_screen(widget: QWidget, available: QRect | None = None) -> None:
    """Move a window whose frame sticks out of the available area back onto it."""
    area = available or available_geometry(widget)
    frame = frame_margins(widget)
    fit_to_screen(widget, widget.size(), area)
    pos = widget.pos()
    width, height = widget.width() + frame.width(), widget.height() + frame.height()
    x = min(max(pos.x(), area.left()), area.right() + 1 - width)
    y = min(max(pos.y(), area.top()), area.bottom() + 1 - height)
    if QPoint(x, y) != pos:
        widget.move(x, y)


class _GeometryKeeper(QObject):
    """Saves a window's geometry under its key whenever it is closed or hidden."""

    def __init__(self, widget: QWidget, key: str) -> None:
        super().__init__(widget)
        self._key = key
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """On close or hide: remember the geometry."""
        if event.type() in (QEvent.Type.Close, QEvent.Type.Hide) and isinstance(obj, QWidget):
            save_geometry(obj, self._key)
        return False


def settings_key(key: str) -> str:
    """Where the geometry of the window ``key`` is kept in QSettings."""
    return f"window_size/{key}"


def save_geometry(widget: QWidget, key: str) -> None:
    """Remember the window's size, place and whether it was maximised.

    Kept as plain values rather than ``saveGeometry()``: restoring that blob lets Qt adjust it
    to whatever screen it finds first, which this module does itself against the right screen.
    """
    maximized = widget.isMaximized()
    rect = widget.normalGeometry() if maximized else widget.geometry()
    if rect.width() <= 0 or rect.height() <= 0:
        return
    QSettings().setValue(settings_key(key), [rect.x(), rect.y(), rect.width(), rect.height(),
                                             int(maximized)])  # fmt: skip


def _saved_geometry(key: str) -> tuple[QRect, bool] | None:
    value = QSettings().value(settings_key(key))
    try:
        x, y, w, h, maximized = (int(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    if w <= 0 or h <= 0:
        return None
    return QRect(x, y, w, h), bool(maximized)


def size_window(
    widget: QWidget, key: str, width: int, height: int, *, available: QRect | None = None
) -> QSize:
    """Open ``widget`` at its remembered size, else at ``width`` x ``height``; fitted to screen.

    Call it once, where ``resize()`` was called; the size is saved when the window closes.
    """
    saved = _saved_geometry(key)
    if saved is not None:
        rect, maximized = saved
        size = fit_to_screen(widget, rect.size(), available)
        widget.move(rect.topLeft())
        keep_on_screen(widget, available)
        if maximized:
            widget.setWindowState(widget.windowState() | Qt.WindowState.WindowMaximized)
    else:
        size = fit_to_screen(widget, QSize(width, height), available)
    if widget.findChild(_GeometryKeeper) is None:
        _GeometryKeeper(widget, key)
    return size
