"""The one date field of the app: typed the Dutch way, or picked from a calendar.

Qt's own ``QDateEdit`` fights a typist: "04-12-2026" typed into an empty field came out as
"-04122026", and 31-07-2027 silently became 18-07-2027 because of a maximum. This field is a
plain text box that reads what was typed (4-12-2026, 04-12-26, 4/12/2026, 4 dec 2026,
4 december 2026; see :func:`ib_desktop.dates.parse_typed_date`), says beside it which date that
is ("4 december 2026"), and never changes the text: a date that does not exist, text that is no
date, an empty required field or a date outside the allowed range shows a Dutch message beside
the field, and the form refuses to save (:func:`check_dates`). The calendar opens on demand
(the button in the field, or Alt+Down).

It speaks the API of the ``QDateEdit`` it replaced (``date()``, ``setDate()``, ``dateChanged``,
``setMinimumDate()``/``setMaximumDate()``) and of the ``QLineEdit`` it is typed into
(``text()``, ``setText()``, ``textChanged``, ``isModified()``), so a screen swaps one for the
other without rewriting its logic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QEvent, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QWidget,
    QWidgetAction,
)

from ib_desktop.dates import long_date, parse_typed_date, short_date
from ib_desktop.ui.widgets.forms import ERROR_STYLE, from_qdate, to_qdate

HINT_STYLE = "color: #555555;"


def calendar_icon() -> QIcon:
    """A small drawn calendar, so the date field needs no image file."""
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor("#555555"))
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(1, 2, 13, 12, 2, 2)
    p.fillRect(2, 3, 12, 3, QColor("#c62828"))
    p.setPen(QColor("#777777"))
    for x in (4, 7, 10):
        for y in (8, 11):
            p.drawPoint(x, y)
    p.end()
    return QIcon(pix)


class _DateLineEdit(QLineEdit):
    """The text box inside the field; Alt+Down opens the calendar, as in Qt's date fields."""

    def __init__(self, owner: DateField) -> None:
        super().__init__(owner)
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Alt+Down (or F4) opens the calendar."""
        alt_down = (
            event.key() == Qt.Key.Key_Down
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self._owner.open_calendar()
            return
        steps = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}
        if event.key() in steps and not self.isReadOnly() and not event.modifiers():
            self._owner.step_days(steps[event.key()])
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """A date typed as 4-12-2026 or 4 december 2026, with the date it reads shown beside it.

    ``value()`` is the date (None when empty) and raises ValueError with the Dutch message when
    the text is no date, is out of range, or is empty while a date is required. ``problem()``
    gives that message without raising.
    """

    #: The date read from the text changed (an invalid QDate: empty or unreadable).
    dateChanged = Signal(QDate)  # noqa: N815 - Qt naming

    def __init__(
        self,
        value: date | None = None,
        parent: QWidget | None = None,
        *,
        required: bool = False,
        today: Callable[[], date] | None = None,
    ) -> None:
        super().__init__(parent)
        self._required = required
        self._today = today or date.today
        self._minimum: date | None = None
        self._maximum: date | None = None
        self._too_early = ""
        self._too_late = ""
        self._external = ""
        self._forwarding = False
        self._touched = False  # an empty required field complains only once it was visited
        self._last = QDate()
        self.calendar_popup: QMenu | None = None

        self.line = _DateLineEdit(self)
        self.line.setPlaceholderText(self.tr("dd-mm-jjjj"))
        self.line.setToolTip(
            self.tr(
                "Typ een datum, bijvoorbeeld 4-12-2026 of 4 december 2026, of kies er een in "
                "de kalender (Alt+Omlaag)."
            )
        )
        width = self.line.fontMetrics().horizontalAdvance("30-12-2026") + 48
        self.line.setFixedWidth(max(width, 120))
        self._calendar_action = QAction(calendar_icon(), self.tr("Kalender openen"), self)
        self._calendar_action.setToolTip(self.tr("Kalender openen (Alt+Omlaag)"))
        self._calendar_action.triggered.connect(self.open_calendar)
        self.line.addAction(self._calendar_action, QLineEdit.ActionPosition.TrailingPosition)

        self.feedback = QLabel(self)
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.feedback.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.feedback.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.line, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.feedback, 1)
        self.setFocusProxy(self.line)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self.line.textChanged.connect(self._on_text_changed)
        self.line.textEdited.connect(self._on_edited)
        self.set_value(value)
        self._last = self.date()

    # ------------------------------------------------------------------ the value
    def problem(self) -> str:
        """What is wrong with the text, in Dutch; empty when it is a date in range (or empty)."""
        try:
            self._read()
        except ValueError as exc:
            return str(exc)
        return ""

    def value(self) -> date | None:
        """The date typed, None when empty; ValueError (Dutch message) when it is no good."""
        return self._read()

    def _read_text(self) -> date | None:
        """The date the text says, ignoring the range and whether it is required."""
        return parse_typed_date(self.line.text(), self._today())

    def _read(self) -> date | None:
        d = self._read_text()
        if d is None:
            if self._required:
                raise ValueError(self.tr("Vul een datum in, bijvoorbeeld 4-12-2026."))
            return None
        if self._minimum is not None and d < self._minimum:
            raise ValueError(
                self._too_early
                or self.tr("%s ligt vóór %s, de vroegste datum die hier kan.")
                % (long_date(d), long_date(self._minimum))
            )
        if self._maximum is not None and d > self._maximum:
            if not self._too_late and self._maximum == self._today():
                raise ValueError(self.tr("%s ligt in de toekomst.") % long_date(d))
            raise ValueError(
                self._too_late
                or self.tr("%s ligt na %s, de laatste datum die hier kan.")
                % (long_date(d), long_date(self._maximum))
            )
        return d

    def set_value(self, value: date | None) -> None:
        """Show ``value`` as 04-12-2026 (empty for None)."""
        self.line.setText(short_date(value) if value else "")

    def is_required(self) -> bool:
        """Whether an empty field is a problem."""
        return self._required

    def set_required(self, required: bool) -> None:
        """Make an empty field a problem (or not)."""
        self._required = required
        self._refresh()

    def set_range(
        self,
        minimum: date | None = None,
        maximum: date | None = None,
        *,
        too_early: str = "",
        too_late: str = "",
    ) -> None:
        """The dates allowed; a date outside them is reported beside the field, never changed.

        ``too_early``/``too_late`` replace the general message ("ligt in de toekomst").
        """
        self._minimum, self._maximum = minimum, maximum
        self._too_early, self._too_late = too_early, too_late
        self._refresh()

    # ------------------------------------------------------------------ QDateEdit's API
    def date(self) -> QDate:
        """The date as a QDate; an invalid QDate when empty or not a good date."""
        try:
            return to_qdate(self._read())
        except ValueError:
            return QDate()

    def setDate(self, value: QDate | date | None) -> None:  # noqa: N802 - Qt naming
        """Show a date (an invalid QDate or None empties the field)."""
        self.set_value(value if isinstance(value, date) or value is None else from_qdate(value))

    def setMinimumDate(self, value: QDate | date | None) -> None:  # noqa: N802 - Qt naming
        """The earliest date allowed (reported, not clamped)."""
        self._minimum = value if isinstance(value, date) or value is None else from_qdate(value)
        self._refresh()

    def setMaximumDate(self, value: QDate | date | None) -> None:  # noqa: N802 - Qt naming
        """The latest date allowed (reported, not clamped)."""
        self._maximum = value if isinstance(value, date) or value is None else from_qdate(value)
        self._refresh()

    def minimumDate(self) -> date | None:  # noqa: N802 - Qt naming
        """The earliest date allowed, if any."""
        return self._minimum

    def maximumDate(self) -> date | None:  # noqa: N802 - Qt naming
        """The latest date allowed, if any."""
        return self._maximum

    # ------------------------------------------------------------------ QLineEdit's API
    @property
    def textChanged(self) -> Any:  # noqa: N802 - Qt naming
        """The text box's ``textChanged`` signal."""
        return self.line.textChanged

    @property
    def textEdited(self) -> Any:  # noqa: N802 - Qt naming
        """The text box's ``textEdited`` signal (typing, or a date picked in the calendar)."""
        return self.line.textEdited

    @property
    def editingFinished(self) -> Any:  # noqa: N802 - Qt naming
        """The text box's ``editingFinished`` signal."""
        return self.line.editingFinished

    def text(self) -> str:
        """The text as typed."""
        return self.line.text()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        """Replace the text (as if typed, but not counted as a user edit)."""
        self.line.setText(text)

    def isModified(self) -> bool:  # noqa: N802 - Qt naming
        """The user typed in the field since its text was last set."""
        return self.line.isModified()

    def selectAll(self) -> None:  # noqa: N802 - Qt naming
        """Select the whole text, so typing replaces it."""
        self.line.selectAll()

    def clear(self) -> None:
        """Empty the field."""
        self.line.clear()

    def setPlaceholderText(self, text: str) -> None:  # noqa: N802 - Qt naming
        """The grey text of an empty field."""
        self.line.setPlaceholderText(text)

    def isReadOnly(self) -> bool:  # noqa: N802 - Qt naming
        """Whether the field only shows its date."""
        return self.line.isReadOnly()

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt naming
        """Readable and selectable, but no typing and no calendar."""
        self.line.setReadOnly(read_only)
        self._calendar_action.setEnabled(not read_only)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt naming
        """The name a screen reader gives the text box."""
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def setAccessibleDescription(self, text: str) -> None:  # noqa: N802 - Qt naming
        """The description a screen reader gives the text box (an error, when there is one)."""
        super().setAccessibleDescription(text)
        self.line.setAccessibleDescription(text or self.problem())

    def setStyleSheet(self, sheet: str) -> None:  # noqa: N802 - Qt naming
        """A style (such as the red border of an error) is the text box's, not the hint's."""
        self.line.setStyleSheet(sheet)

    def set_external_message(self, message: str) -> None:
        """The form shows ``message`` under the field; the same text is not repeated beside it."""
        self._external = message
        self._refresh()

    def event(self, e: QEvent) -> bool:
        """Keys sent to the field itself (as tests and tools do) go to the text box."""
        if e.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and not self._forwarding:
            # A key the text box ignores comes back here as its parent: pass it on up then.
            self._forwarding = True
            try:
                QApplication.sendEvent(self.line, e)
            finally:
                self._forwarding = False
            return True
        return super().event(e)

    def step_days(self, days: int) -> None:
        """Up and Down: one day later or earlier, as in Qt's date fields (from today if empty).

        Text that is no date is left alone: its message says what to fix.
        """
        try:
            current = self._read_text()
        except ValueError:
            return
        new = (current or self._today()) + timedelta(days=days if current else 0)
        self.line.setText(short_date(new))
        self.line.setModified(True)
        self.line.textEdited.emit(self.line.text())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Switched on or off (itself or with its parent): its message follows."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self._refresh()

    # ------------------------------------------------------------------ calendar
    @Slot()
    def open_calendar(self) -> None:
        """The calendar under the field; picking a day writes it into the field."""
        if self.isReadOnly() or not self.isEnabled():
            return
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        calendar.setGridVisible(True)
        calendar.setObjectName("date-field-calendar")
        if self._minimum is not None:
            calendar.setMinimumDate(to_qdate(self._minimum))
        if self._maximum is not None:
            calendar.setMaximumDate(to_qdate(self._maximum))
        try:
            current = self._read()
        except ValueError:
            current = None
        start = current or self._today()
        calendar.setSelectedDate(to_qdate(start))
        calendar.setCurrentPage(start.year, start.month)
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def picked(qd: QDate) -> None:
            self.line.setText(short_date(from_qdate(qd)))
            self.line.setModified(True)
            self.line.textEdited.emit(self.line.text())
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        menu.aboutToHide.connect(self.line.setFocus)
        self.calendar_popup = menu
        menu.popup(self.line.mapToGlobal(QPoint(0, self.line.height())))
        calendar.setFocus()

    # ------------------------------------------------------------------ feedback
    @Slot(str)
    def _on_edited(self, _text: str) -> None:
        self._touched = True

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        self._refresh()
        current = self.date()
        if current != self._last:
            self._last = current
            self.dateChanged.emit(current)

    def _refresh(self) -> None:
        problem = self.problem()
        if problem and not self._touched and not self.line.text().strip():
            problem = ""  # required but not yet visited: no red text on a fresh form
        if problem and not self.isEnabled():
            problem = ""  # a switched-off field is not saved, so it has nothing to complain of
        if problem:
            shown = "" if problem == self._external else problem
            self.feedback.setStyleSheet(ERROR_STYLE)
            self.feedback.setText(shown)
            self.line.setAccessibleDescription(problem)
        else:
            try:
                d = parse_typed_date(self.line.text(), self._today())
            except ValueError:
                d = None
            # The date as read, unless the text already says it that way.
            shown = long_date(d) if d and long_date(d) != self.line.text().strip() else ""
            self.feedback.setStyleSheet(HINT_STYLE)
            self.feedback.setText(shown)
            self.line.setAccessibleDescription(long_date(d) if d else "")
        self.feedback.setVisible(bool(shown))


class OptionalDateField(DateField):
    """The date field of screens that check all their dates before saving (:func:`check_dates`).

    ``value()`` is None for an empty field and also while the text is no good date (the message
    is beside the field), so code that reacts to every keystroke never meets an exception.
    """

    def value(self) -> date | None:
        """The date, or None when empty or (for now) unreadable."""
        try:
            return self._read()
        except ValueError:
            return None


def date_problems(root: QWidget) -> list[DateField]:
    """The date fields under ``root`` that hold something that cannot be saved."""
    return [
        f
        for f in root.findChildren(DateField)
        if f.isEnabled() and not f.isReadOnly() and f.problem()
    ]


def check_dates(root: QWidget) -> bool:
    """True when every date field of ``root`` can be saved; else the first bad one gets focus.

    Each bad field already says what is wrong beside it; this is what makes the form refuse to
    save instead of storing an old or a guessed date.
    """
    bad = date_problems(root)
    for field in bad:
        field._touched = True  # noqa: SLF001 - a required field left empty says so now
        field._refresh()  # noqa: SLF001
    if bad:
        bad[0].setFocus()
        return False
    return True
