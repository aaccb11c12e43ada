"""The versions of an OPP: the list with dates and status, opening old versions, the diff view.

Every evaluation makes a new version and keeps the old one unchanged, so parents, the IB-er and
the samenwerkingsverband can see what changed: the diff view puts two versions side by side per
part, with deleted words struck through in red on the left and added words in green on the right.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import short_date
from ib_desktop.opp_parts import STATUS_LABELS
from ib_desktop.services import opp as svc
from ib_desktop.ui.opp_parts_pages import (
    proxy_for,
    select_source_row,
    table_view,
)
from ib_desktop.ui.widgets.table_model import ROW_ROLE, Column, TableModel
from ib_desktop.ui.widgets.window_size import size_window

DELETE_STYLE = "background-color:#fde2e1; color:#8a1c1c; text-decoration: line-through;"
INSERT_STYLE = "background-color:#dcf5df; color:#14532d; text-decoration: underline;"
HEAD_STYLE = "padding:4px; background:#f3f4f6"


def _ordinal(d: Any) -> int:
    return d.toordinal() if d else 0


class VersionTableModel(TableModel):
    """The versions of one OPP, newest last."""

    NUMBER, STATUS, CREATED, DISCUSSED, FIXED, EVALUATED, NEXT = range(7)
    COLUMNS = (
        Column("Versie", lambda v: str(v.number), sort=lambda v: v.number),
        Column("Status", lambda v: STATUS_LABELS[v.status.value]),
        Column(
            "Gemaakt",
            lambda v: short_date(v.created_at.date()),
            sort=lambda v: v.created_at.toordinal(),
        ),
        Column(
            "Besproken",
            lambda v: short_date(v.discussed_on),
            sort=lambda v: _ordinal(v.discussed_on),
        ),
        Column(
            "Vastgesteld", lambda v: short_date(v.fixed_on), sort=lambda v: _ordinal(v.fixed_on)
        ),
        Column(
            "Geëvalueerd",
            lambda v: short_date(v.evaluated_on),
            sort=lambda v: _ordinal(v.evaluated_on),
        ),
        Column(
            "Volgende evaluatie",
            lambda v: short_date(v.next_evaluation_on),
            sort=lambda v: _ordinal(v.next_evaluation_on),
        ),
    )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        """Translated column titles."""
        value = super().headerData(section, orientation, role)
        return self.tr(value) if isinstance(value, str) else value


def _segments_html(segments: tuple[svc.Segment, ...], keep: str) -> str:
    """One side of a field diff: equal text plus the deleted or the added words, marked."""
    out = []
    for s in segments:
        text = html.escape(s.text).replace("\n", "<br>")
        if s.op == "equal":
            out.append(text)
        elif s.op == keep:
            out.append(
                f"<span style='{DELETE_STYLE if keep == 'delete' else INSERT_STYLE}'>{text}</span>"
            )
    return "".join(out) or "<i style='color:#6b7280'>(leeg)</i>"


def diff_html(
    diffs: list[svc.PartDiff], old_label: str, new_label: str, *, only_changed: bool = True
) -> str:
    """The comparison of two versions as HTML: per part a table with both texts side by side."""
    changed = [d for d in diffs if d.changed]
    head = (
        f"<p>{len(changed)} van de {len(diffs)} delen zijn gewijzigd. "
        f"<span style='{DELETE_STYLE}'>Doorgestreept</span>: staat alleen in "
        f"{html.escape(old_label)}; "
        f"<span style='{INSERT_STYLE}'>onderstreept</span>: nieuw in {html.escape(new_label)}.</p>"
    )
    parts = [head]
    for d in diffs:
        if only_changed and not d.changed:
            continue
        state = "gewijzigd" if d.changed else "ongewijzigd"
        color = "#b45309" if d.changed else "#2e7d32"
        parts.append(
            f"<h3 style='margin-top:14px'>{d.number}. {html.escape(d.title)} "
            f"<span style='font-weight:normal; font-size:small; color:{color}'>"
            f"({state})</span></h3>"
        )
        if not d.changed:
            continue
        rows = [
            "<tr>"
            f"<th width='18%' align='left' style='padding:4px'></th>"
            f"<th width='41%' align='left' style='{HEAD_STYLE}'>{html.escape(old_label)}</th>"
            f"<th width='41%' align='left' style='{HEAD_STYLE}'>{html.escape(new_label)}</th>"
            "</tr>"
        ]
        for c in d.changes:
            rows.append(
                "<tr>"
                f"<td valign='top' style='padding:4px'><b>{html.escape(c.label)}</b></td>"
                f"<td valign='top' style='padding:4px'>{_segments_html(c.segments, 'delete')}</td>"
                f"<td valign='top' style='padding:4px'>{_segments_html(c.segments, 'insert')}</td>"
                "</tr>"
            )
        parts.append("<table width='100%' cellspacing='0' border='0'>" + "".join(rows) + "</table>")
    if only_changed and not changed:
        parts.append("<p><i>De twee versies zijn inhoudelijk gelijk.</i></p>")
    return "".join(parts)


class OppDiffView(QWidget):
    """Two versions chosen from combos, compared per part."""

    compared = Signal(int, int)  # old version id, new version id

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.old_combo = QComboBox()
        self.old_combo.setAccessibleName(self.tr("Oude versie"))
        self.new_combo = QComboBox()
        self.new_combo.setAccessibleName(self.tr("Nieuwe versie"))
        self.only_changed = QCheckBox(self.tr("Alleen gewijzigde &delen"))
        self.only_changed.setChecked(True)
        self.browser = QTextBrowser()
        self.browser.setObjectName("diffBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Verschillen"))
        self.diffs: list[svc.PartDiff] = []
        old_label = QLabel(self.tr("&Vergelijk versie"))
        old_label.setBuddy(self.old_combo)
        new_label = QLabel(self.tr("&met versie"))
        new_label.setBuddy(self.new_combo)
        row = QHBoxLayout()
        row.addWidget(old_label)
        row.addWidget(self.old_combo)
        row.addWidget(new_label)
        row.addWidget(self.new_combo)
        row.addSpacing(16)
        row.addWidget(self.only_changed)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.browser, 1)
        self.old_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.new_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.only_changed.toggled.connect(self._render)
        self._versions: list[svc.VersionSummary] = []
        self._labels: tuple[str, str] = ("", "")

    def set_versions(self, versions: list[svc.VersionSummary]) -> None:
        """The versions to choose from; compares the newest with the one before."""
        self._versions = versions
        for box in (self.old_combo, self.new_combo):
            box.blockSignals(True)
            box.clear()
            for v in versions:
                box.addItem(
                    self.tr("%d (%s)") % (v.number, STATUS_LABELS[v.status.value].lower()), v.id
                )
            box.blockSignals(False)
        if len(versions) >= 2:
            self.compare(versions[-2].id, versions[-1].id)
        else:
            self.browser.setHtml(
                "<p><i>"
                + self.tr(
                    "Er is nog maar één versie; na de eerste evaluatie kunt u hier versies "
                    "vergelijken."
                )
                + "</i></p>"
            )

    def compare(self, old_id: int, new_id: int) -> None:
        """Show the differences between two versions."""
        for box, vid in ((self.old_combo, old_id), (self.new_combo, new_id)):
            box.blockSignals(True)
            box.setCurrentIndex(box.findData(vid))
            box.blockSignals(False)
        with self.ctx.db.session() as s:
            self.diffs = svc.diff_versions(s, old_id, new_id)
        numbers = {v.id: v.number for v in self._versions}
        self._labels = (
            self.tr("versie %d") % numbers.get(old_id, 0),
            self.tr("versie %d") % numbers.get(new_id, 0),
        )
        self._render()
        self.compared.emit(old_id, new_id)

    def changed_parts(self) -> list[int]:
        """The numbers of the parts that differ in the comparison shown."""
        return [d.number for d in self.diffs if d.changed]

    @Slot()
    def _render(self, *_args: Any) -> None:
        if not self.diffs:
            return
        self.browser.setHtml(
            diff_html(self.diffs, *self._labels, only_changed=self.only_changed.isChecked())
        )

    @Slot()
    def _on_choice_changed(self, *_args: Any) -> None:
        old_id, new_id = self.old_combo.currentData(), self.new_combo.currentData()
        if old_id is not None and new_id is not None:
            self.compare(old_id, new_id)


class OppVersionsWindow(QWidget):
    """The version history of one OPP with the diff view under it."""

    def __init__(self, ctx: Any, nav: Any, opp_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.nav = nav
        self.opp_id = opp_id
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setObjectName("oppVersions")
        self._open_windows: list[QWidget] = []
        self.model = VersionTableModel(self)
        self.proxy = proxy_for(self.model, self)
        self.view = table_view(self.proxy, name=self.tr("Versies"), sortable=True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.sortByColumn(VersionTableModel.NUMBER, Qt.SortOrder.AscendingOrder)
        self.view.setMinimumHeight(120)
        self.open_button = QPushButton(self.tr("&Openen"))
        self.open_button.setToolTip(self.tr("De gekozen versie openen (Enter)"))
        self.compare_button = QPushButton(self.tr("&Vergelijken"))
        self.compare_button.setToolTip(
            self.tr(
                "Twee gekozen versies vergelijken (Ctrl+klik), of de gekozen versie met de vorige"
            )
        )
        self.diff = OppDiffView(ctx, self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        top = QWidget()
        top_lay = QVBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        top_lay.addWidget(self.title)
        top_lay.addWidget(self.view, 1)
        top_lay.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.diff)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([200, 560])
        lay = QVBoxLayout(self)
        lay.addWidget(splitter)
        self.open_button.clicked.connect(self._on_open)
        self.compare_button.clicked.connect(self._on_compare)
        self.view.doubleClicked.connect(self._on_open)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.view, activated=self._on_open)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self.view, activated=self._on_open)
        QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close)
        size_window(self, "opp_versions.OppVersionsWindow", 1100, 780)
        self.reload()

    def reload(self) -> None:
        """Read the versions again."""
        from ib_desktop.models import Opp

        with self.ctx.db.session() as s:
            versions = svc.list_versions(s, self.opp_id)
            opp = s.get(Opp, self.opp_id)
            name = opp.pupil.full_name if opp else ""
        self.setWindowTitle(self.tr("Versies van het OPP van %s – %s") % (name, APP_NAME))
        self.title.setText(
            f"<b>{html.escape(name)}</b> &nbsp; "
            + (self.tr("OPP gestart op %s") % short_date(opp.start_date) if opp else "")
        )
        self.model.set_rows(versions)
        if versions:
            select_source_row(self.view, len(versions) - 1)
        self.diff.set_versions(versions)

    def selected_versions(self) -> list[svc.VersionSummary]:
        """The chosen versions, oldest first."""
        rows = self.view.selectionModel().selectedRows()
        items = [self.proxy.data(index, ROW_ROLE) for index in rows]
        return sorted(items, key=lambda v: v.number)

    @Slot()
    def _on_open(self, *_args: Any) -> None:
        chosen = self.selected_versions()
        if not chosen:
            return
        self.open_version(chosen[-1].id)

    def open_version(self, version_id: int) -> QWidget:
        """Open one version in its own window (read-only when fixed or evaluated)."""
        from ib_desktop.ui.opp_editor import open_version

        window = open_version(self.ctx, self.nav, version_id)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.show()
        window.raise_()
        self._open_windows.append(window)
        window.destroyed.connect(lambda _=None, w=window: self._forget(w))
        return window

    def _forget(self, window: QWidget) -> None:
        self._open_windows = [w for w in self._open_windows if w is not window]

    @Slot()
    def _on_compare(self) -> None:
        chosen = self.selected_versions()
        if len(chosen) >= 2:
            self.diff.compare(chosen[0].id, chosen[-1].id)
            return
        if len(chosen) == 1 and chosen[0].previous_version_id:
            self.diff.compare(chosen[0].previous_version_id, chosen[0].id)
            return
        QMessageBox.information(
            self,
            APP_NAME,
            self.tr("Kies twee versies (Ctrl+klik) of een versie die een vorige versie heeft."),
        )


def _index_row(index: QModelIndex) -> int:  # pragma: no cover - small helper kept for symmetry
    return index.row()
