"""Part 8: the uitstroomperspectief, its onderbouwing and the expected level per subject."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QWidget,
)

from ib_desktop.models import OutflowPerspective
from ib_desktop.services import opp as svc
from ib_desktop.services.labels import OUTFLOW_LABELS
from ib_desktop.services.opp.parts import DEFAULT_SUBJECTS, SUBJECT_LEVEL_SUGGESTIONS, OppPart
from ib_desktop.ui.opp.common import combo, prose
from ib_desktop.ui.opp.parts.base import PartPage
from ib_desktop.ui.widgets.table_model import (
    Column,
    TableModel,
    proxy_for,
    selected_source_row,
    table_view,
)


@dataclass
class SubjectLevel:
    """A line of part 8: the expected level for one subject."""

    subject: str
    level: str = ""


class SubjectLevelModel(TableModel):
    """Part 8: subject and expected level, edited in place."""

    TR_CONTEXT = "opp"
    SUBJECT, LEVEL = range(2)
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("opp", "Vak"), lambda r: r.subject),
        Column(QT_TRANSLATE_NOOP("opp", "Verwacht niveau"), lambda r: r.level),
    )

    read_only = False

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Cells are editable unless the version is frozen."""
        base = super().flags(index)
        if index.isValid() and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:  # noqa: N802
        """Store an edited subject or level."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        item = self._rows[index.row()]
        text = str(value or "").strip()
        if index.column() == self.SUBJECT:
            item.subject = text
        else:
            item.level = text
        self.dataChanged.emit(index, index)
        return True


class LevelDelegate(QStyledItemDelegate):
    """An editable combo with the usual levels (1F, 2F, 1S, E6, ...)."""

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802
        """A combo box with suggestions."""
        editor = combo(SUBJECT_LEVEL_SUGGESTIONS)
        editor.setParent(parent)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        """Show the current level."""
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model: QAbstractTableModel, index: QModelIndex) -> None:  # noqa: N802
        """Store the chosen or typed level."""
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]


class OutflowPage(PartPage):
    """Part 8: the uitstroomperspectief with its onderbouwing and the expected level per subject."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.outflow = self.watch(QComboBox())
        self.outflow.addItem(self.tr("— kies het uitstroomperspectief —"), None)
        for value in (
            OutflowPerspective.PRO, OutflowPerspective.VMBO_BB, OutflowPerspective.VMBO_KB,
            OutflowPerspective.VMBO_GT, OutflowPerspective.HAVO, OutflowPerspective.VWO,
            OutflowPerspective.SO, OutflowPerspective.VSO,
        ):  # fmt: skip
            self.outflow.addItem(OUTFLOW_LABELS[value.value], value.value)
        self.rationale = self.watch(prose(min_lines=4))
        self.levels = SubjectLevelModel(self)
        self.levels.dataChanged.connect(self._on_levels_changed)
        self.levels.rowsInserted.connect(self._on_levels_changed)
        self.levels.rowsRemoved.connect(self._on_levels_changed)
        self.levels_proxy = proxy_for(self.levels, self)
        self.levels_view = table_view(self.levels_proxy, name=self.tr("Verwacht niveau per vak"))
        self.levels_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.levels_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.levels_view.setItemDelegateForColumn(
            SubjectLevelModel.LEVEL, LevelDelegate(self.levels_view)
        )
        self.levels_view.horizontalHeader().setSectionResizeMode(
            SubjectLevelModel.SUBJECT, QHeaderView.ResizeMode.Interactive
        )
        self.levels_view.setColumnWidth(SubjectLevelModel.SUBJECT, 220)
        self.levels_view.setMinimumHeight(170)
        self._inputs.append(self.levels_view)
        self.add_subject = self.edit_button(QPushButton(self.tr("Vak &toevoegen")))
        self.remove_subject = self.edit_button(QPushButton(self.tr("Vak &verwijderen")))
        self.add_subject.clicked.connect(self._on_add_subject)
        self.remove_subject.clicked.connect(self._on_remove_subject)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("&Uitstroomperspectief:")))
        row.itemAt(0).widget().setBuddy(self.outflow)  # type: ignore[union-attr]
        row.addWidget(self.outflow, 1)
        self.outflow.setAccessibleName(self.tr("Uitstroomperspectief"))
        self.form.addLayout(row)
        self.form.addWidget(self.labelled(self.tr("Onderbouwing (algemeen)"), self.rationale))
        levels_label = QLabel(
            f"<b>{self.tr('Verwacht niveau per vak')}</b> &nbsp; "
            + self.tr("(dubbelklik of typ om te wijzigen; bijv. 1F, 2F, E6)")
        )
        self.form.addWidget(levels_label)
        self.form.addWidget(self.levels_view)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_subject)
        buttons.addWidget(self.remove_subject)
        buttons.addStretch(1)
        self.form.addLayout(buttons)
        self.form.addStretch(1)

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        index = self.outflow.findData(data.outflow.value if data.outflow else None)
        self.outflow.setCurrentIndex(max(0, index))
        self.rationale.setMarkdown(data.outflow_rationale)
        rows = [SubjectLevel(k, v) for k, v in data.subject_levels.items()]
        if not rows and not data.is_frozen:
            rows = [SubjectLevel(s) for s in DEFAULT_SUBJECTS[:3]]
        self.levels.set_rows(rows)

    def collect(self, data: svc.OppVersionData) -> None:
        """Perspective, onderbouwing and the levels (rows without a subject are dropped)."""
        value = self.outflow.currentData()
        data.outflow = OutflowPerspective(value) if value else None
        data.outflow_rationale = self.rationale.markdown()
        data.subject_levels = {
            r.subject.strip(): r.level.strip() for r in self.levels.rows() if r.subject.strip()
        }

    def set_read_only(self, read_only: bool) -> None:
        """The level table is read-only too."""
        super().set_read_only(read_only)
        self.levels.read_only = read_only
        self.levels_view.setEnabled(True)

    @Slot()
    def _on_levels_changed(self, *_args: Any) -> None:
        self._on_input_changed()

    @Slot()
    def _on_add_subject(self) -> None:
        used = {r.subject for r in self.levels.rows()}
        suggestion = next((s for s in DEFAULT_SUBJECTS if s not in used), "")
        row = self.levels.append(SubjectLevel(suggestion))
        index = self.levels_proxy.mapFromSource(
            self.levels.index(
                row, SubjectLevelModel.SUBJECT if not suggestion else SubjectLevelModel.LEVEL
            )
        )
        self.levels_view.setCurrentIndex(index)
        self.levels_view.setFocus()
        self.levels_view.edit(index)

    @Slot()
    def _on_remove_subject(self) -> None:
        row = selected_source_row(self.levels_view)
        if row < 0:
            index = self.levels_view.currentIndex()
            row = self.levels_proxy.mapToSource(index).row() if index.isValid() else -1
        if row >= 0:
            self.levels.remove(row)
