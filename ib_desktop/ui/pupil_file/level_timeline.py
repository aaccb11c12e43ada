"""The level timeline: a pupil's place on the support staircase over the school years.

Drawn with QPainter from a :class:`ib_desktop.services.pupil.LevelHistory`: the x axis runs
over whole school years (1 August to 31 July) with their labels, the y axis holds the school's
levels with their names. The pupil's level is a row of coloured bars joined by steps; each move
is marked (up or down), and areas with a level of their own (rekenen at level 3, the rest at 1)
get a dashed line each, named in a legend. This is the picture the IB-er shows the inspectorate
and the samenwerkingsverband, so it must read well on paper-like grey too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ib_desktop.dates import school_year_bounds, short_date
from ib_desktop.services.pupil import LevelHistory, LevelInfo, LevelStep
from ib_desktop.ui.widgets.level_style import level_color, text_color_on

AREA_PEN_STYLES = [
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
]
GRID = QColor("#d0d0d0")
BAND = QColor("#f4f4f4")
AXIS_TEXT = QColor("#333333")
STEP_LINE = QColor("#555555")
TODAY_LINE = QColor("#1565c0")
LEFT_LINE = QColor("#8e0000")


@dataclass(frozen=True)
class _Hit:
    rect: QRectF
    step: LevelStep


def text_color_for(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    return text_color_on(background.name())


def step_tooltip(step: LevelStep) -> str:
    """The tooltip of one bar: level, period, reason, who decided, meeting."""
    until = short_date(step.end) if step.end else QCoreApplication.translate("LevelTimeline", "nu")
    area = f" ({step.area})" if step.area else ""
    lines = [
        f"<b>{step.level.label}</b>{area}",
        QCoreApplication.translate("LevelTimeline", "%s t/m %s") % (short_date(step.start), until),
    ]
    if step.reason:
        lines.append(QCoreApplication.translate("LevelTimeline", "Reden: %s") % step.reason)
    if step.decided_by:
        lines.append(
            QCoreApplication.translate("LevelTimeline", "Besloten door: %s") % step.decided_by
        )
    if step.meeting_label:
        lines.append(
            QCoreApplication.translate("LevelTimeline", "Vergadering: %s") % step.meeting_label
        )
    return "<br>".join(lines)


class LevelTimeline(QWidget):
    """A drawn chart of a pupil's support levels over the school years."""

    stepActivated = Signal(int)  # noqa: N815 - Qt naming; the assignment id of a clicked bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history: LevelHistory | None = None
        self._today = date.today()
        self._hits: list[_Hit] = []
        self._selected: int | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(420, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Niveauverloop"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    # -------------------------------------------------------------- data
    def set_history(self, history: LevelHistory | None, today: date | None = None) -> None:
        """Show ``history`` (None: nothing); ``today`` places the 'vandaag' line."""
        self._history = history
        if today is not None:
            self._today = today
        self._selected = None
        self.setAccessibleDescription(self.summary())
        self.update()

    def history(self) -> LevelHistory | None:
        """What is drawn."""
        return self._history

    def select_step(self, assignment_id: int | None) -> None:
        """Outline one bar (the row chosen in the table of moves)."""
        self._selected = assignment_id
        self.update()

    def summary(self) -> str:
        """The chart in words, for screen readers and tests."""
        h = self._history
        if h is None or not h.steps:
            return self.tr("Nog geen ondersteuningsniveau vastgelegd.")
        parts = []
        for step in h.steps:
            area = f" ({step.area})" if step.area else ""
            parts.append(
                self.tr("vanaf %s niveau %s%s") % (short_date(step.start), step.level.label, area)
            )
        return "; ".join(parts)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Wide and low, like a chart on paper."""
        return QSize(760, 300)

    # -------------------------------------------------------------- geometry
    def _levels(self) -> list[LevelInfo]:
        assert self._history is not None
        return self._history.levels

    def _span(self) -> tuple[date, date]:
        h = self._history
        assert h is not None
        first, _ = school_year_bounds(h.start)
        _, last = school_year_bounds(max(h.until, h.start))
        return first, last + timedelta(days=1)

    def _label_width(self, fm: QFontMetrics) -> int:
        widest = max((fm.horizontalAdvance(lvl.label) for lvl in self._levels()), default=80)
        return int(min(max(widest + 44, 120), max(140, self.width() * 0.34)))

    def _plot_rect(self, fm: QFontMetrics) -> QRectF:
        top = 10 + (fm.height() + 8 if self._history and len(self._history.areas) > 1 else 0)
        left = self._label_width(fm)
        return QRectF(
            left,
            top + fm.height(),
            max(10, self.width() - left - 16),
            max(10, self.height() - top - fm.height() - 2 * fm.height() - 14),
        )

    def _x(self, d: date, plot: QRectF) -> float:
        first, last = self._span()
        total = max(1, (last - first).days)
        return plot.left() + plot.width() * (d - first).days / total

    def _row(self, level: LevelInfo, plot: QRectF) -> tuple[float, float]:
        """Top and height of the band of a level (lowest level at the bottom)."""
        levels = self._levels()
        index = next((i for i, lvl in enumerate(levels) if lvl.id == level.id), 0)
        height = plot.height() / max(1, len(levels))
        return plot.bottom() - (index + 1) * height, height

    # -------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Draw bands, year grid, bars, steps, markers, today and the legend."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        self._hits = []
        h = self._history
        font = QFont(self.font())
        fm = QFontMetrics(font)
        if h is None or not h.steps or not h.levels:
            p.setPen(AXIS_TEXT)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.summary())
            p.end()
            return
        plot = self._plot_rect(fm)
        self._paint_bands(p, plot, fm)
        self._paint_years(p, plot, fm)
        self._paint_markers_of_time(p, plot, fm)
        whole = [s for s in h.steps if not s.area]
        self._paint_bars(p, plot, whole)
        for k, area in enumerate(a for a in h.areas if a):
            self._paint_area(p, plot, [s for s in h.steps if s.area == area], k)
        self._paint_legend(p, fm)
        p.end()

    def _paint_bands(self, p: QPainter, plot: QRectF, fm: QFontMetrics) -> None:
        for i, lvl in enumerate(self._levels()):
            top, height = self._row(lvl, plot)
            if i % 2 == 0:
                p.fillRect(QRectF(plot.left(), top, plot.width(), height), BAND)
            swatch = QRectF(8, top + height / 2 - 6, 12, 12)
            p.fillRect(swatch, level_color(lvl.color))
            p.setPen(QColor(0, 0, 0, 90))
            p.drawRect(swatch)
            p.setPen(AXIS_TEXT if not lvl.retired else QColor("#888888"))
            text_rect = QRectF(26, top, plot.left() - 32, height)
            label = fm.elidedText(lvl.label, Qt.TextElideMode.ElideRight, int(text_rect.width()))
            p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
        p.setPen(QPen(GRID, 1))
        p.drawRect(plot)

    def _paint_years(self, p: QPainter, plot: QRectF, fm: QFontMetrics) -> None:
        first, last = self._span()
        year = first
        while year < last:
            start, end = school_year_bounds(year)
            x0, x1 = self._x(start, plot), self._x(end + timedelta(days=1), plot)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(x0, plot.top()), QPointF(x0, plot.bottom() + 4))
            label = f"{start.year}-{start.year + 1}"
            if fm.horizontalAdvance(label) > x1 - x0 - 4:
                label = f"{start.year % 100:02d}/{(start.year + 1) % 100:02d}"
            if fm.horizontalAdvance(label) <= x1 - x0:
                p.setPen(AXIS_TEXT)
                p.drawText(
                    QRectF(x0, plot.bottom() + 4, x1 - x0, fm.height() + 2),
                    Qt.AlignmentFlag.AlignCenter,
                    label,
                )
            year = end + timedelta(days=1)
        p.setPen(AXIS_TEXT)
        p.drawText(
            QRectF(plot.left(), plot.bottom() + fm.height() + 8, plot.width(), fm.height() + 2),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("Schooljaar"),
        )

    def _paint_markers_of_time(self, p: QPainter, plot: QRectF, fm: QFontMetrics) -> None:
        h = self._history
        assert h is not None
        first, last = self._span()
        if h.left_on is not None and first <= h.left_on < last:
            x = self._x(h.left_on, plot)
            p.setPen(QPen(LEFT_LINE, 2))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            self._label_at(
                p, x, plot.top() - fm.height() - 1, self.tr("vertrokken"), LEFT_LINE, fm, plot
            )
        elif first <= self._today < last:
            x = self._x(self._today, plot)
            p.setPen(QPen(TODAY_LINE, 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            self._label_at(
                p, x, plot.top() - fm.height() - 1, self.tr("vandaag"), TODAY_LINE, fm, plot
            )

    def _label_at(
        self,
        p: QPainter,
        x: float,
        y: float,
        text: str,
        color: QColor,
        fm: QFontMetrics,
        plot: QRectF,
    ) -> None:
        width = fm.horizontalAdvance(text) + 4
        left = min(max(x - width / 2, plot.left()), plot.right() - width)
        p.setPen(color)
        p.drawText(QRectF(left, y, width, fm.height()), Qt.AlignmentFlag.AlignCenter, text)

    def _bar_end(self, step: LevelStep) -> date:
        h = self._history
        assert h is not None
        end = step.end or h.until
        return max(end, step.start)

    def _paint_bars(self, p: QPainter, plot: QRectF, steps: list[LevelStep]) -> None:
        previous: tuple[float, float] | None = None  # (x_end, y_center)
        for step in steps:
            top, height = self._row(step.level, plot)
            x0 = self._x(step.start, plot)
            x1 = max(self._x(self._bar_end(step), plot), x0 + 3)
            bar = QRectF(x0, top + height * 0.22, x1 - x0, height * 0.56)
            color = level_color(step.level.color)
            if previous is not None:
                # The step: a vertical joint from the previous level to this one.
                p.setPen(QPen(STEP_LINE, 2))
                p.drawLine(QPointF(x0, previous[1]), QPointF(x0, bar.center().y()))
            p.setPen(QPen(color.darker(150), 1))
            p.setBrush(color)
            p.drawRoundedRect(bar, 3, 3)
            if step.assignment_id == self._selected:
                p.setPen(QPen(QColor("#000000"), 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(bar.adjusted(-2, -2, 2, 2), 4, 4)
            self._paint_move_marker(p, step, x0, bar)
            self._hits.append(_Hit(bar, step))
            previous = (x1, bar.center().y())

    def _paint_move_marker(self, p: QPainter, step: LevelStep, x: float, bar: QRectF) -> None:
        size = min(7.0, bar.height() / 2)
        p.setPen(QPen(QColor("#ffffff"), 1))
        p.setBrush(STEP_LINE)
        if step.direction == "op":
            y = bar.top()
            triangle = QPolygonF(
                [QPointF(x - size, y + 1), QPointF(x + size, y + 1), QPointF(x, y - size * 1.4)]
            )
            p.drawPolygon(triangle)
        elif step.direction == "af":
            y = bar.bottom()
            triangle = QPolygonF(
                [QPointF(x - size, y - 1), QPointF(x + size, y - 1), QPointF(x, y + size * 1.4)]
            )
            p.drawPolygon(triangle)
        else:
            p.drawEllipse(QPointF(x, bar.center().y()), size * 0.6, size * 0.6)

    def _paint_area(self, p: QPainter, plot: QRectF, steps: list[LevelStep], k: int) -> None:
        style = AREA_PEN_STYLES[k % len(AREA_PEN_STYLES)]
        path_points: list[QPointF] = []
        for step in steps:
            top, height = self._row(step.level, plot)
            y = min(top + height * 0.84 + k * 3, top + height - 2)
            x0 = self._x(step.start, plot)
            x1 = max(self._x(self._bar_end(step), plot), x0 + 3)
            if path_points:
                path_points.append(QPointF(x0, path_points[-1].y()))
            path_points.append(QPointF(x0, y))
            color = level_color(step.level.color)
            p.setPen(QPen(color.darker(130), 3, style, Qt.PenCapStyle.FlatCap))
            p.drawLine(QPointF(x0, y), QPointF(x1, y))
            self._hits.append(_Hit(QRectF(x0, y - 4, x1 - x0, 8), step))
            path_points.append(QPointF(x1, y))
        # The joints between this area's steps, thin and grey.
        if len(path_points) > 2:
            path = QPainterPath(path_points[0])
            for pt in path_points[1:]:
                path.lineTo(pt)
            p.setPen(QPen(STEP_LINE, 1, style))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)

    def _paint_legend(self, p: QPainter, fm: QFontMetrics) -> None:
        h = self._history
        assert h is not None
        areas = [a for a in h.areas if a]
        if not areas:
            return
        x = self._label_width(fm)
        y = 8
        p.setPen(AXIS_TEXT)
        label = self.tr("Hele leerling")
        p.fillRect(QRectF(x, y + fm.height() / 2 - 4, 22, 8), QColor("#9e9e9e"))
        p.drawText(QPointF(x + 26, y + fm.ascent()), label)
        x += 26 + fm.horizontalAdvance(label) + 18
        for k, area in enumerate(areas):
            pen = QPen(
                QColor("#444444"),
                3,
                AREA_PEN_STYLES[k % len(AREA_PEN_STYLES)],
                Qt.PenCapStyle.FlatCap,
            )
            p.setPen(pen)
            p.drawLine(QPointF(x, y + fm.height() / 2), QPointF(x + 22, y + fm.height() / 2))
            p.setPen(AXIS_TEXT)
            p.drawText(QPointF(x + 26, y + fm.ascent()), area)
            x += 26 + fm.horizontalAdvance(area) + 18

    # -------------------------------------------------------------- interaction
    def step_at(self, pos: QPointF) -> LevelStep | None:
        """The step drawn at ``pos`` (area lines win over the bar under them)."""
        for hit in reversed(self._hits):
            if hit.rect.adjusted(-1, -2, 1, 2).contains(pos):
                return hit.step
        return None

    def event(self, event: QEvent) -> bool:
        """Tooltips with the level, the period, the reason and who decided."""
        if event.type() == QEvent.Type.ToolTip:
            help_event: QHelpEvent = event  # type: ignore[assignment]
            step = self.step_at(QPointF(help_event.pos()))
            if step is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(help_event.globalPos(), step_tooltip(step), self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A click on a bar selects its move in the table."""
        step = self.step_at(event.position())
        if step is not None:
            self.select_step(step.assignment_id)
            self.stepActivated.emit(step.assignment_id)
        super().mousePressEvent(event)
