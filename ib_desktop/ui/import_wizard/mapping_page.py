"""Step 2 of the import wizard: say what each column holds (guessed, or remembered from last
time); the plan is made when the page is left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from ib_desktop.importer import (
    ImportRefusedError,
    cell_text,
    initial_mapping,
    mapping_problems,
    save_mapping,
)
from ib_desktop.ui.import_wizard.mapping_model import FieldComboDelegate, MappingTableModel
from ib_desktop.ui.widgets.forms import ERROR_STYLE

if TYPE_CHECKING:
    from ib_desktop.ui.import_wizard.wizard import ImportWizard

#: How many different example values of a column are shown.
EXAMPLES = 3


class MappingPage(QWizardPage):
    """Step 2: say what each column holds (guessed, or remembered from last time)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.model: MappingTableModel | None = None
        self.setTitle(self.tr("Kolommen koppelen"))
        self.setSubTitle(
            self.tr(
                "Geef bij elke kolom van het bestand aan wat erin staat. IB Desktop heeft dat al "
                "geraden; kolommen op 'Niet importeren' worden overgeslagen."
            )
        )
        self.source_label = QLabel(self)
        self.source_label.setObjectName("import-source")
        self.source_label.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setObjectName("import-mapping")
        self.view.setItemDelegateForColumn(
            MappingTableModel.COL_FIELD, FieldComboDelegate(self.view)
        )
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setAccessibleName(self.tr("Koppeling van kolommen"))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("import-mapping-error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_label)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Fill the table from the file that was read on the previous page."""
        table = self._wizard.table
        assert table is not None
        if table.mapping is not None:
            mapping, remembered = dict(table.mapping), False  # EDEXML: fixed by the format
        else:
            with self._wizard.ctx.db.session() as s:
                mapping, remembered = initial_mapping(s, table.headers)
        examples = []
        for i in range(len(table.headers)):
            # Different values say more than the first three rows ("M | M | M").
            values = dict.fromkeys(cell_text(v) for v in table.column_values(i, limit=500))
            examples.append([v for v in values if v][:EXAMPLES])
        self.model = MappingTableModel(table.headers, examples, mapping, self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(MappingTableModel.SortRole)
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(MappingTableModel.COL_HEADER, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(
            MappingTableModel.COL_HEADER, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(MappingTableModel.COL_EXAMPLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MappingTableModel.COL_FIELD, QHeaderView.ResizeMode.Fixed)
        self.view.setColumnWidth(MappingTableModel.COL_FIELD, 230)
        probe = QComboBox()
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(probe.sizeHint().height() + 6)
        probe.deleteLater()
        for row in range(proxy.rowCount()):
            self.view.openPersistentEditor(proxy.index(row, MappingTableModel.COL_FIELD))
        self.model.mappingChanged.connect(self._on_mapping_changed)
        self.model.dataChanged.connect(self._on_model_data_changed)
        text = self.tr("%1: %2, %3 rijen met gegevens.").replace("%1", table.path.name)
        text = text.replace("%2", table.description).replace("%3", str(len(table.rows)))
        if remembered:
            text += " " + self.tr("De koppeling van de vorige keer is weer gebruikt.")
        for note in table.notes:
            text += " " + note
        self.source_label.setText(text)
        self._on_mapping_changed()

    @Slot()
    def _on_mapping_changed(self) -> None:
        problems = mapping_problems(self.model.mapping()) if self.model else []
        self.error_label.setText("\n".join(problems))
        self.error_label.setVisible(bool(problems))
        self.completeChanged.emit()

    @Slot(QModelIndex, QModelIndex)
    def _on_model_data_changed(self, top: QModelIndex, _bottom: QModelIndex) -> None:
        # A field taken away from another column: show it in that column's combo too.
        proxy = self.view.model()
        for row in range(proxy.rowCount()):
            editor = self.view.indexWidget(proxy.index(row, MappingTableModel.COL_FIELD))
            if isinstance(editor, QComboBox):
                value = (
                    proxy.index(row, MappingTableModel.COL_FIELD).data(Qt.ItemDataRole.EditRole)
                    or ""
                )
                if editor.currentData() != value:
                    editor.blockSignals(True)
                    editor.setCurrentIndex(max(editor.findData(value), 0))
                    editor.blockSignals(False)

    def combo_for(self, header: str) -> QComboBox | None:
        """The field combo box of the column with this header (for tests and accessibility)."""
        proxy = self.view.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, MappingTableModel.COL_HEADER).data() == header:
                widget = self.view.indexWidget(proxy.index(row, MappingTableModel.COL_FIELD))
                return widget if isinstance(widget, QComboBox) else None
        return None

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """Only a mapping that can recognise pupils may go on."""
        return self.model is not None and not mapping_problems(self.model.mapping())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Remember the mapping and make the plan (reading the database only)."""
        assert self.model is not None
        assert self._wizard.table is not None
        mapping = self.model.mapping()
        ctx = self._wizard.ctx
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with ctx.db.session() as s:
                save_mapping(s, self._wizard.table.headers, mapping)
            self._wizard.mapping = mapping
            plan = self._wizard.make_plan()
        except ImportRefusedError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._wizard.plan = plan
        return True
