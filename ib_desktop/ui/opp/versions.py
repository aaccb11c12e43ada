"""The versions of an OPP: the list with dates and status, opening one, comparing two.

Every evaluation makes a new version and keeps the old one unchanged. The list opens a version
in the editor (read-only when it is fixed or evaluated) and compares two in the diff view under
it. An editor opened here, or by :func:`open_version`, shows this window when asked
("Versies…"): the editor itself does not import this module.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import short_date
from ib_desktop.models import Opp
from ib_desktop.services import opp as svc
from ib_desktop.services.labels import STATUS_LABELS
from ib_desktop.ui.opp.common import ordinal
from ib_desktop.ui.opp.diff_view import OppDiffView
from ib_desktop.ui.opp.editor import OppEditorWindow
from ib_desktop.ui.widgets.table_model import (
    ROW_ROLE,
    Column,
    TableModel,
    proxy_for,
    select_source_row,
    table_view,
)
from ib_desktop.ui.widgets.window_size import size_window

#: Opens a version in its own window: (ctx, nav, version id) -> the window.
OpenVersion = Callable[[Any, Any, int], QWidget]


def open_version(
    ctx: Any, nav: Any, version_id: int, parent: QWidget | None = None
) -> OppEditorWindow:
    """A window on one version (read-only when it is fixed or evaluated)."""
    window = OppEditorWindow(ctx, nav, version_id, parent)
    window.versionsRequested.connect(partial(show_versions, window))
    return window


def show_versions(editor: OppEditorWindow, opp_id: int) -> OppVersionsWindow:
    """The versions of the editor's OPP in a window of their own (closed with the editor)."""
    window = OppVersionsWindow(editor.ctx, editor.nav, opp_id, parent=editor)
    window.show()
    window.raise_()
    editor.versions_window = window
    return window


class VersionTableModel(TableModel):
    """The versions of one OPP, newest last."""

    TR_CONTEXT = "opp"
    NUMBER, STATUS, CREATED, DISCUSSED, FIXED, EVALUATED, NEXT = range(7)
    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("opp", "Versie"), lambda v: str(v.number), sort=lambda v: v.number
        ),
        Column(QT_TRANSLATE_NOOP("opp", "Status"), lambda v: STATUS_LABELS[v.status.value]),
        Column(
            QT_TRANSLATE_NOOP("opp", "Gemaakt"),
            lambda v: short_date(v.created_at.date()),
            sort=lambda v: v.created_at.toordinal(),
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Besproken"),
            lambda v: short_date(v.discussed_on),
            sort=lambda v: ordinal(v.discussed_on),
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Vastgesteld"),
            lambda v: short_date(v.fixed_on),
            sort=lambda v: ordinal(v.fixed_on),
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Geëvalueerd"),
            lambda v: short_date(v.evaluated_on),
            sort=lambda v: ordinal(v.evaluated_on),
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Volgende evaluatie"),
            lambda v: short_date(v.next_evaluation_on),
            sort=lambda v: ordinal(v.next_evaluation_on),
        ),
    )


class OppVersionsWindow(QWidget):
    """The version history of one OPP with the diff view under it."""

    def __init__(
        self,
        ctx: Any,
        nav: Any,
        opp_id: int,
        parent: QWidget | None = None,
        *,
        open_version: OpenVersion = open_version,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.nav = nav
        self.opp_id = opp_id
        self._open_version = open_version
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
        window = self._open_version(self.ctx, self.nav, version_id)
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
