"""The sections of the preview as tables: new, changed, unchanged, leaving (each with a check
box), possible twins (two check boxes) and rejected rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from ib_desktop.dates import short_date
from ib_desktop.importer import ChangedPupil, Leaver, NewPupil, UnchangedPupil
from ib_desktop.importer.plan import PossibleTwin
from ib_desktop.ui.import_wizard.mapping_model import TR_CONTEXT
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, Column, TableModel


def _date_sort(d: Any) -> int:
    return d.toordinal() if d else 0


def _changes_text(item: ChangedPupil) -> str:
    """ "groep: 4 → 5; naam: ..." (the report on the command line writes "->")."""
    empty = QCoreApplication.translate("ImportWizard", "(leeg)")
    return "; ".join(f"{c.field}: {c.old or empty} → {c.new or empty}" for c in item.changes)


def _pupil_sort(item: NewPupil | ChangedPupil | UnchangedPupil) -> str:
    n = item.data.name
    return f"{n.last_name}, {n.first_name}".casefold()


def _group_sort(item: NewPupil | UnchangedPupil) -> tuple[int, str]:
    group = item.data.group
    return (group.grade_low, group.name) if group else (0, "")


def _row_column() -> Column:
    return Column(QT_TRANSLATE_NOOP("ImportWizard", "Rij"), lambda i: str(i.row), lambda i: i.row)


def _birth_column(get: Callable[[Any], Any]) -> Column:
    return Column(
        QT_TRANSLATE_NOOP("ImportWizard", "Geboortedatum"),
        lambda i: short_date(get(i)),
        lambda i: _date_sort(get(i)),
    )


def _name_column() -> Column:
    return Column(QT_TRANSLATE_NOOP("ImportWizard", "Naam"), lambda i: i.name, _pupil_sort)


def _group_column() -> Column:
    return Column(
        QT_TRANSLATE_NOOP("ImportWizard", "Groep"), lambda i: i.data.group_name, _group_sort
    )


def _check_column(title: str) -> Column:
    return Column(title, lambda i: "", lambda i: 0)


SECTION_COLUMNS: dict[str, tuple[Column, ...]] = {
    "nieuw": (
        _row_column(),
        _name_column(),
        _birth_column(lambda i: i.data.birth_date),
        _group_column(),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Leerlingnummer"),
            lambda i: i.data.lvs_id or "",
            lambda i: i.data.lvs_id or "",
        ),
    ),
    "gewijzigd": (
        _row_column(),
        _name_column(),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Wijzigingen"),
            _changes_text,
            lambda i: i.summary.casefold(),
        ),
    ),
    "ongewijzigd": (
        _row_column(),
        _name_column(),
        _birth_column(lambda i: i.data.birth_date),
        _group_column(),
    ),
    "vertrekt": (
        _check_column(QT_TRANSLATE_NOOP("ImportWizard", "Vertrokken")),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Naam"),
            lambda i: i.name,
            lambda i: i.sort_name.casefold(),
        ),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Groep"),
            lambda i: i.group_name,
            lambda i: i.group_name,
        ),
        _birth_column(lambda i: i.birth_date),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Leerlingnummer"),
            lambda i: i.lvs_id,
            lambda i: i.lvs_id,
        ),
    ),
    "twijfel": (
        _check_column(QT_TRANSLATE_NOOP("ImportWizard", "Zelfde leerling")),
        _check_column(QT_TRANSLATE_NOOP("ImportWizard", "Andere leerling")),
        _row_column(),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Naam in het bestand"), lambda i: i.name, _pupil_sort
        ),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Leerlingnummer"),
            lambda i: i.lvs_id,
            lambda i: i.lvs_id,
        ),
        _birth_column(lambda i: i.data.birth_date),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Lijkt op"),
            lambda i: i.existing_name,
            lambda i: i.existing_name.casefold(),
        ),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Leerlingnummer in IB Desktop"),
            lambda i: i.existing_lvs_id,
            lambda i: i.existing_lvs_id,
        ),
    ),
    "afgewezen": (
        _row_column(),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Reden"),
            lambda i: i.reason,
            lambda i: i.reason.casefold(),
        ),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Gegevens in het bestand"),
            lambda i: "  |  ".join(v for v in i.values if v),
            lambda i: " ".join(i.values).casefold(),
        ),
    ),
}
#: The tab titles (source texts; translated where shown with :func:`section_title`).
SECTION_TITLES = {
    "nieuw": QT_TRANSLATE_NOOP("ImportWizard", "Nieuw"),
    "gewijzigd": QT_TRANSLATE_NOOP("ImportWizard", "Gewijzigd"),
    "ongewijzigd": QT_TRANSLATE_NOOP("ImportWizard", "Ongewijzigd"),
    "vertrekt": QT_TRANSLATE_NOOP("ImportWizard", "Vertrekt"),
    "afgewezen": QT_TRANSLATE_NOOP("ImportWizard", "Afgewezen"),
    "twijfel": QT_TRANSLATE_NOOP("ImportWizard", "Twijfel"),
}


def section_title(key: str) -> str:
    """The translated title of a section ("Nieuw")."""
    return QCoreApplication.translate(TR_CONTEXT, SECTION_TITLES[key])


def _checked(value: Any) -> bool:
    """A check state (or a bool) as set through ``setData``."""
    return Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value


class SectionModel(TableModel):
    """One section of the plan (new, changed, ...) as a table."""

    RowRole = ROW_ROLE
    SortRole = SORT_ROLE
    TR_CONTEXT = TR_CONTEXT

    def __init__(self, key: str, items: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.COLUMNS = SECTION_COLUMNS[key]
        self._rows = list(items)

    def item(self, row: int) -> Any:
        """The plan item of a row."""
        return self._rows[row]


class LeaverModel(SectionModel):
    """The proposed leavers, each with a check box: only checked pupils are marked as left."""

    confirmedChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(self, items: Sequence[Leaver], parent: QWidget | None = None) -> None:
        super().__init__("vertrekt", items, parent)
        self._confirmed: set[int] = set()

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Adds the check box in the first column."""
        if index.isValid() and index.column() == 0:
            pid = self._rows[index.row()].pupil_id
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if pid in self._confirmed else Qt.CheckState.Unchecked
            if role == self.SortRole:
                return 1 if pid in self._confirmed else 0
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self.tr("vertrokken") if pid in self._confirmed else self.tr("blijft")
        return super().data(index, role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """The first column is checkable."""
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(  # noqa: N802
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        """Check or uncheck a leaver."""
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        pid = self._rows[index.row()].pupil_id
        if _checked(value):
            self._confirmed.add(pid)
        else:
            self._confirmed.discard(pid)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.confirmedChanged.emit()
        return True

    def set_all(self, checked: bool) -> None:
        """Check or uncheck every leaver."""
        self._confirmed = {i.pupil_id for i in self._rows} if checked else set()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.confirmedChanged.emit()

    def confirmed(self) -> list[int]:
        """The pupils the IB-er confirmed as having left, in list order."""
        return [i.pupil_id for i in self._rows if i.pupil_id in self._confirmed]


class TwinModel(SectionModel):
    """Possible twins: a pupil in the file that looks like one in IB Desktop but has another
    pupil number. Per row the IB-er checks "Zelfde leerling" or "Andere leerling"."""

    decisionsChanged = Signal()  # noqa: N815 - Qt naming

    COL_SAME, COL_OTHER = 0, 1

    def __init__(self, items: Sequence[PossibleTwin], parent: QWidget | None = None) -> None:
        super().__init__("twijfel", items, parent)
        self._decisions: dict[str, bool] = {}

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """The two check boxes in the first columns."""
        if index.isValid() and index.column() in (self.COL_SAME, self.COL_OTHER):
            wanted = index.column() == self.COL_SAME
            decided = self._decisions.get(self._rows[index.row()].lvs_id)
            on = decided is not None and decided == wanted
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            if role == self.SortRole:
                return 1 if on else 0
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self.tr("aangevinkt") if on else self.tr("niet aangevinkt")
        return super().data(index, role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """The decision columns are checkable."""
        base = super().flags(index)
        if index.isValid() and index.column() in (self.COL_SAME, self.COL_OTHER):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(  # noqa: N802
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        """Check one of the two choices (which unchecks the other), or uncheck it."""
        if (
            not index.isValid()
            or index.column() not in (self.COL_SAME, self.COL_OTHER)
            or role != Qt.ItemDataRole.CheckStateRole
        ):
            return False
        key = self._rows[index.row()].lvs_id
        if _checked(value):
            self._decisions[key] = index.column() == self.COL_SAME
        else:
            self._decisions.pop(key, None)
        self.dataChanged.emit(
            self.index(index.row(), self.COL_SAME),
            self.index(index.row(), self.COL_OTHER),
            [Qt.ItemDataRole.CheckStateRole],
        )
        self.decisionsChanged.emit()
        return True

    def decisions(self) -> dict[str, bool]:
        """Pupil number in the file -> True (same pupil) or False (another pupil)."""
        return dict(self._decisions)

    def undecided(self) -> list[PossibleTwin]:
        """The rows without a decision yet."""
        return [t for t in self._rows if t.lvs_id not in self._decisions]


def sorted_view(model: QAbstractItemModel, sort_role: int, parent: QWidget) -> QTableView:
    """A table on a sort proxy, sorted on the first column, whole rows selected."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(sort_role)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view
