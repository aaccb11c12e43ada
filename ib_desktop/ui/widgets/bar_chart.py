"""A small grouped bar chart drawn with QPainter.

PySide6-Essentials has no QtCharts (it is in the 500 MB Addons wheel), and matplotlib would bring
numpy and a second rendering stack for a handful of bars; a grouped bar chart is a few
rectangles, so it is drawn here: categories (school years) along the bottom, one bar per series
in each category, the value above each bar, a legend on top. It follows the palette (dark mode)
and its accessible description lists the values, for a screen reader.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"]


class BarChart(QWidget):
    """Grouped bars: ``set_data(categories, [(series name, values per category), ...])``."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.categories: list[str] = []
        self.series: list[tuple[str, list[float]]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(170)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 230)

    def set_data(self, categories: list[str], series: list[tuple[str, list[float]]]) -> None:
        """Show these values (one list per series, one value per category)."""
        self.categories = list(categories)
        self.series = [(name, [float(v) for v in values]) for name, values in series]
        self.setAccessibleName(self.title)
        self.setAccessibleDescription(
            "; ".join(
                f"{name}: "
                + ", ".join(
                    f"{c} {_num(v)}" for c, v in zip(self.categories, values, strict=False)
                )
                for name, values in self.series
            )
        )
        self.update()

    def bar_rects(self) -> list[tuple[str, str, QRectF]]:
        """(series, category, rectangle) of every bar, as painted (tests read this)."""
        plot = self._plot_rect()
        peak = max((v for _n, vals in self.series for v in vals), default=0.0) or 1.0
        n_cat, n_ser = max(len(self.categories), 1), max(len(self.series), 1)
        slot = plot.width() / n_cat
        bar = slot * 0.7 / n_ser
        out = []
        for si, (name, values) in enumerate(self.series):
            for ci, value in enumerate(values[: len(self.categories)]):
                h = plot.height() * value / peak
                x = plot.left() + ci * slot + slot * 0.15 + si * bar
                out.append((name, self.categories[ci], QRectF(x, plot.bottom() - h, bar - 2, h)))
        return out

    def _plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        top = fm.height() * 3 + 12  # title, legend, and room for the tallest bar's value
        height = max(10, self.height() - top - fm.height() - 10)
        return QRectF(8, top, max(10, self.width() - 16), height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        fm = self.fontMetrics()
        p.setPen(text)
        bold = p.font()
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(8, 2, self.width() - 16, fm.height() + 2), Qt.AlignmentFlag.AlignLeft,
                   self.title)  # fmt: skip
        p.setFont(self.font())
        x = 8.0
        y = fm.height() + 6
        for i, (name, _v) in enumerate(self.series):
            p.fillRect(QRectF(x, y + 3, 10, 10), QColor(COLORS[i % len(COLORS)]))
            p.drawText(QRectF(x + 14, y, fm.horizontalAdvance(name) + 4, fm.height() + 2), name)
            x += 30 + fm.horizontalAdvance(name)
        plot = self._plot_rect()
        p.setPen(pal.color(QPalette.ColorRole.Mid))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        names = [n for n, _v in self.series]
        for name, _category, rect in self.bar_rects():
            color = QColor(COLORS[names.index(name) % len(COLORS)])
            p.fillRect(rect, color)
        p.setPen(text)
        values = [v for _n, vals in self.series for v in vals[: len(self.categories)]]
        for (_name, _category, rect), value in zip(self.bar_rects(), values, strict=True):
            label = _num(value)
            p.drawText(QRectF(rect.left() - 10, rect.top() - fm.height() - 1, rect.width() + 20,
                              fm.height()), Qt.AlignmentFlag.AlignCenter, label)  # fmt: skip
        slot = plot.width() / max(len(self.categories), 1)
        for ci, category in enumerate(self.categories):
            p.drawText(QRectF(plot.left() + ci * slot, plot.bottom() + 3, slot, fm.height() + 2),
                       Qt.AlignmentFlag.AlignCenter, category)  # fmt: skip
        p.end()


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")
