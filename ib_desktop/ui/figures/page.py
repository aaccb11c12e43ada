"""The Kengetallen page: the table schools report, several school years side by side.

Choose the school year and how many years; the table (De Balein's rows), two bar charts
(pupils, OPPs and MDO; evaluations on time and late) and the pupils per level per group of the
chosen year. "Opslaan als Excel…" and "Opslaan als PDF…" write the same as ``ib-desktop
figures``. The figures are a handful of set-based counts, read in one short session.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import school_year_label
from ib_desktop.services.figures import (
    Figures,
    fmt_value,
    level_rows,
    school_figures,
    sheet_rows,
    table_rows,
)
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.bar_chart import BarChart
from ib_desktop.ui.widgets.table_model import TableModel, table_view


class RowsModel(TableModel):
    """A plain table of rows whose first row is the heading (figures, levels per group)."""

    TR_CONTEXT = "Figures"

    def set_table(self, rows: list[list[object]], translate_first: bool = False) -> None:
        """Show ``rows[1:]`` under the heading ``rows[0]``."""
        self.beginResetModel()
        self._headers = [str(h) for h in rows[0]] if rows else []
        body = [list(r) for r in rows[1:]]
        if translate_first:
            for r in body:
                r[0] = QCoreApplication.translate("Figures", str(r[0]))
        self._rows = body
        self.endResetModel()

    def short_headers(self) -> None:
        """Headers "1. Basisondersteuning in de groep" become "Niveau 1"; the full name is the
        tooltip (five long level names do not fit side by side at 1366 pixels)."""
        self._tooltips: list[str] = list(self._headers)
        short = []
        for h in self._headers:
            number = h.split(".", 1)[0]
            short.append(self.tr("Niveau %s") % number if number.isdigit() else h)
        self._headers = short
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(short) - 1))

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]  # noqa: N802, E501
        tips = getattr(self, "_tooltips", [])
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(tips)
        ):
            return tips[section]
        return super().headerData(section, orientation, role)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        row = self.row_at(index)
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return fmt_value(row[index.column()]) if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class FiguresPage(QWidget):
    """Kengetallen: the table, charts and pupils per level per group."""

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.figures: Figures | None = None
        title = QLabel(self.tr("Kengetallen"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            self.tr("Voor het schoolondersteuningsprofiel, per teldatum (1 oktober).")
        )
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName(self.tr("Schooljaar"))
        current = int(school_year_label(ctx.today())[:4])
        for y in range(current, current - 10, -1):
            self.year_combo.addItem(f"{y}-{y + 1}")
        self.years_spin = QSpinBox()
        self.years_spin.setRange(1, 6)
        self.years_spin.setValue(3)
        self.years_spin.setAccessibleName(self.tr("Aantal schooljaren"))
        year_label = QLabel(self.tr("&Schooljaar:"))
        year_label.setBuddy(self.year_combo)
        count_label = QLabel(self.tr("&Jaren naast elkaar:"))
        count_label.setBuddy(self.years_spin)
        self.xlsx_button = QPushButton(self.tr("Opslaan als &Excel…"))
        self.pdf_button = QPushButton(self.tr("Opslaan als &PDF…"))
        bar = QHBoxLayout()
        for w in (year_label, self.year_combo, count_label, self.years_spin):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.xlsx_button)
        bar.addWidget(self.pdf_button)

        self.table_model = RowsModel(self)
        self.table = table_view(self.table_model, name="kengetallen")  # type: ignore[arg-type]
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.level_model = RowsModel(self)
        self.level_table = table_view(self.level_model, name="niveaus-per-groep")  # type: ignore[arg-type]
        self.level_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.level_title = QLabel()
        self.pupil_chart = BarChart(self.tr("Leerlingen, lopende OPP's en MDO"))
        self.eval_chart = BarChart(self.tr("Evaluaties op tijd en te laat"))

        grid = QGridLayout()
        grid.addWidget(self.table, 0, 0, 1, 2)
        grid.addWidget(self.pupil_chart, 1, 0)
        grid.addWidget(self.eval_chart, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        lower = QVBoxLayout()
        lower.addWidget(self.level_title)
        lower.addWidget(self.level_table)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addLayout(bar)
        layout.addLayout(grid, 4)
        layout.addLayout(lower, 2)

        self.year_combo.currentIndexChanged.connect(self.reload)
        self.years_spin.valueChanged.connect(self.reload)
        self.xlsx_button.clicked.connect(self._on_save_xlsx)
        self.pdf_button.clicked.connect(self._on_save_pdf)
        QShortcut(QKeySequence("F5"), self, self.reload)
        changed = getattr(nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self.reload)
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Count again for the chosen year(s)."""
        label = self.year_combo.currentText()
        with self.ctx.db.session() as s:
            self.figures = school_figures(
                s, self.ctx.school_id, label, years=self.years_spin.value(), today=self.ctx.today()
            )
        f = self.figures
        self.table_model.set_table(table_rows(f), translate_first=True)
        cats = [y.label for y in f.years]
        self.pupil_chart.set_data(
            cats,
            [
                (self.tr("Leerlingen"), [y.pupils for y in f.years]),
                (self.tr("Lopende OPP's"), [y.opps for y in f.years]),
                (self.tr("Besproken in MDO"), [y.mdo for y in f.years]),
            ],
        )
        self.eval_chart.set_data(
            cats,
            [
                (self.tr("Op tijd"), [y.on_time for y in f.years]),
                (self.tr("Te laat"), [y.late for y in f.years]),
            ],
        )
        last = f.years[-1]
        self.level_title.setText(
            self.tr("Leerlingen per niveau per groep op %s")
            % last.counting_date.strftime("%d-%m-%Y")
        )
        self.level_model.set_table(level_rows(last, f.levels))
        self.level_model.short_headers()

    def _ask_path(self, caption: str, suffix: str, filter_text: str) -> Path | None:
        label = self.year_combo.currentText()
        path, _ = QFileDialog.getSaveFileName(self, caption, f"kengetallen-{label}{suffix}",
                                              filter_text)  # fmt: skip
        if not path:
            return None
        if not path.lower().endswith(suffix):
            path += suffix
        return Path(path)

    @Slot()
    def _on_save_xlsx(self) -> None:
        from ib_desktop.spreadsheet_safety import write_xlsx

        path = self._ask_path(self.tr("Kengetallen opslaan"), ".xlsx",
                              self.tr("Excel-werkmap (*.xlsx)"))  # fmt: skip
        if path is None or self.figures is None:
            return
        try:
            write_xlsx(path, sheet_rows(self.figures), sheet_title="Kengetallen")
        except OSError as exc:
            self._failed(exc)

    @Slot()
    def _on_save_pdf(self) -> None:
        from ib_desktop.reports.batch import write_atomic
        from ib_desktop.reports.figures import figures_pdf
        from ib_desktop.services.school import get_school

        path = self._ask_path(self.tr("Kengetallen opslaan"), ".pdf", self.tr("PDF (*.pdf)"))
        if path is None or self.figures is None:
            return
        with self.ctx.db.session() as s:
            school = get_school(s, self.ctx.school_id)
            name = school.name if school else ""
        try:
            write_atomic(path, figures_pdf(self.figures, name, today=self.ctx.today()))
        except OSError as exc:
            self._failed(exc)

    def _failed(self, exc: OSError) -> None:
        QMessageBox.warning(
            self,
            self.tr("Kengetallen"),
            self.tr("Het bestand kon niet worden opgeslagen: %s") % (exc.strerror or exc),
        )
