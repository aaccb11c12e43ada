"""Instellingen > Groepen en medewerkers: groups per school year and the staff, by hand.

Left the groups of a school year (name, jaargroepen, one or more teachers), right the staff
(name, function, active). Choosing a row puts it in the form below the table; "Nieuwe groep" and
"Nieuwe medewerker" empty the form. Each save is one short transaction; problems are shown in
Dutch beside the field. The move to the next school year is a preview the user confirms
(:mod:`ib_desktop.ui.school_year_move`). An LVS import fills the same tables.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.models import StaffRole
from ib_desktop.services import groups as gs
from ib_desktop.services import staff as st
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, save_or_choose
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.table_model import ROW_ROLE, TableModel
from ib_desktop.validation import ValidationErrors

_Index = QModelIndex | QPersistentModelIndex
GREY = QColor("#757575")


class GroupsModel(TableModel):
    """The groups of one school year."""

    COL_NAME, COL_GRADES, COL_TEACHERS, COL_PUPILS = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = [
            self.tr("Groep"), self.tr("Jaargroep"), self.tr("Leerkracht(en)"), self.tr("Leerlingen")
        ]  # fmt: skip
        self._rows: list[gs.GroupRow] = []

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Texts, and the row itself under ``ROW_ROLE``."""
        r = self.row_at(index)
        if r is None:
            return None
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.name, r.grades, r.teacher_names or self.tr("(nog geen)"), str(r.pupils))[
                index.column()
            ]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.COL_PUPILS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class StaffModel(TableModel):
    """Every member of staff; the inactive ones in grey."""

    COL_NAME, COL_ROLE, COL_GROUPS, COL_ACTIVE = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = [self.tr("Naam"), self.tr("Functie"), self.tr("Groep"), self.tr("Actief")]
        self._rows: list[st.StaffRow] = []

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Texts, grey for people who no longer work here, the row under ``ROW_ROLE``."""
        r = self.row_at(index)
        if r is None:
            return None
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            active = self.tr("ja") if r.active else self.tr("nee")
            return (r.name, r.role_label, r.groups, active)[index.column()]  # the service's label
        if role == Qt.ItemDataRole.ForegroundRole and not r.active:
            return QBrush(GREY)
        return None


def _table(model: TableModel, name: str, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    for col in range(model.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _form_row(form: QFormLayout, text: str, widget: QWidget, buddy: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(buddy)
    form.addRow(label, widget)


class GroupsStaffTab(QWidget):
    """Groups per school year and the staff, entered and changed by hand."""

    changed = Signal()

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.group_errors = ErrorMap()
        self.staff_errors = ErrorMap()
        self._group_id: int | None = None  # the group in the form (None: a new one)
        self._group_version: int | None = None  # its version when the form was filled
        self._staff_id: int | None = None
        self._staff_version: int | None = None
        self._grades_auto = True  # the jaargroep follows the name until typed by hand
        self._all_staff: list[st.StaffRow] = []
        self._active_staff: list[st.StaffRow] = []
        self._last_move: str | None = None
        self._build()
        self.reload()
        self._fill_group_form(None)
        self._fill_staff_form(None)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        intro = QLabel(
            self.tr(
                "Groepen per schooljaar met hun leerkrachten, en de medewerkers van de school. "
                "Een import uit het LVS vult dezelfde lijsten."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555555;")

        # Groups
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName(self.tr("Schooljaar"))
        year_label = QLabel(self.tr("&Schooljaar:"))
        year_label.setBuddy(self.year_combo)
        self.move_button = QPushButton(self.tr("Naar volgend schooljaar…"))
        self.move_button.setToolTip(
            self.tr("Groepen kopiëren en de leerlingen een jaar verder zetten (met voorvertoning)")
        )
        self.undo_move_button = QPushButton(self.tr("Overgang terugdraaien…"))
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year_combo)
        top.addStretch(1)
        top.addWidget(self.move_button)
        top.addWidget(self.undo_move_button)
        self.groups_model = GroupsModel(self)
        self.groups_table = _table(self.groups_model, self.tr("Groepen"), GroupsModel.COL_TEACHERS)
        self.groups_table.setObjectName("groups-table")

        self.group_name_edit = QLineEdit()
        self.group_name_edit.setAccessibleName(self.tr("Naam van de groep"))
        self.group_name_edit.setPlaceholderText(self.tr("bijv. 5, 7A of 1/2"))
        self.group_name_edit.setMaxLength(gs.GROUP_NAME_MAX + 10)
        self.group_grades_edit = QLineEdit()
        self.group_grades_edit.setAccessibleName(self.tr("Jaargroep(en)"))
        self.group_grades_edit.setPlaceholderText(self.tr("bijv. 5, of 1/2 (combinatiegroep)"))
        self.teachers_list = QListWidget()
        self.teachers_list.setAccessibleName(self.tr("Leerkrachten van de groep"))
        self.teachers_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 8)
        group_form = QFormLayout()
        group_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        _form_row(
            group_form, self.tr("&Naam:"),
            self.group_errors.wrap("name", self.group_name_edit), self.group_name_edit,
        )  # fmt: skip
        _form_row(
            group_form, self.tr("&Jaargroep(en):"),
            self.group_errors.wrap("grades", self.group_grades_edit), self.group_grades_edit,
        )  # fmt: skip
        _form_row(
            group_form, self.tr("&Leerkracht(en):"),
            self.group_errors.wrap("teachers", self.teachers_list), self.teachers_list,
        )  # fmt: skip
        self.group_status = QLabel()
        self.new_group_button = QPushButton(self.tr("Nieuwe groep"))
        self.save_group_button = QPushButton(self.tr("Groep opslaan"))
        self.delete_group_button = QPushButton(self.tr("Verwijderen…"))
        group_buttons = QHBoxLayout()
        group_buttons.addWidget(self.new_group_button)
        group_buttons.addWidget(self.delete_group_button)
        group_buttons.addStretch(1)
        group_buttons.addWidget(self.save_group_button)
        groups_box = QGroupBox(self.tr("Groepen"))
        gl = QVBoxLayout(groups_box)
        gl.addLayout(top)
        gl.addWidget(self.groups_table, 1)
        gl.addLayout(group_form)
        gl.addWidget(self.group_status)
        gl.addLayout(group_buttons)

        # Staff
        self.staff_model = StaffModel(self)
        self.staff_table = _table(self.staff_model, self.tr("Medewerkers"), StaffModel.COL_NAME)
        self.staff_table.setObjectName("staff-table")
        self.staff_name_edit = QLineEdit()
        self.staff_name_edit.setAccessibleName(self.tr("Naam van de medewerker"))
        self.staff_name_edit.setPlaceholderText(self.tr("bijv. Joke de Vries"))
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName(self.tr("Functie"))
        for role, text in st.STAFF_ROLE_LABELS.items():
            self.role_combo.addItem(text, role.value)  # the service's Dutch label
        self.active_check = QCheckBox(self.tr("Werkt op school (actief)"))
        self.active_check.setChecked(True)
        staff_form = QFormLayout()
        staff_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        _form_row(
            staff_form, self.tr("Na&am:"),
            self.staff_errors.wrap("name", self.staff_name_edit), self.staff_name_edit,
        )  # fmt: skip
        _form_row(
            staff_form, self.tr("&Functie:"),
            self.staff_errors.wrap("role", self.role_combo), self.role_combo,
        )  # fmt: skip
        staff_form.addRow("", self.active_check)
        self.staff_status = QLabel()
        self.new_staff_button = QPushButton(self.tr("Nieuwe medewerker"))
        self.save_staff_button = QPushButton(self.tr("Medewerker opslaan"))
        staff_buttons = QHBoxLayout()
        staff_buttons.addWidget(self.new_staff_button)
        staff_buttons.addStretch(1)
        staff_buttons.addWidget(self.save_staff_button)
        staff_box = QGroupBox(self.tr("Medewerkers"))
        sl = QVBoxLayout(staff_box)
        sl.addWidget(self.staff_table, 1)
        sl.addLayout(staff_form)
        sl.addWidget(self.staff_status)
        sl.addLayout(staff_buttons)

        columns = QHBoxLayout()
        columns.addWidget(groups_box, 3)
        columns.addWidget(staff_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)

        self.year_combo.currentIndexChanged.connect(self._on_year_changed)
        self.groups_table.selectionModel().currentRowChanged.connect(self._on_group_row)
        self.staff_table.selectionModel().currentRowChanged.connect(self._on_staff_row)
        self.group_name_edit.textEdited.connect(self._on_group_name_edited)
        self.group_grades_edit.textEdited.connect(self._on_grades_edited)
        self.new_group_button.clicked.connect(self.new_group)
        self.save_group_button.clicked.connect(self.save_group)
        self.delete_group_button.clicked.connect(self.delete_group)
        self.new_staff_button.clicked.connect(self.new_staff)
        self.save_staff_button.clicked.connect(self.save_staff)
        self.move_button.clicked.connect(self._on_move)
        self.undo_move_button.clicked.connect(self._on_undo_move)

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        """Read years, groups and staff again (keeps the chosen year)."""
        from ib_desktop.services.school_year import last_move

        keep = self.year_id()
        with self.ctx.db.session() as s:
            years = gs.school_years(s, self.ctx.today())
            staff = st.list_staff(s, self.ctx.school_id)
            self._last_move = last_move(s)
        today = self.ctx.today()
        current = next((y.id for y in years if y.start_date <= today <= y.end_date), None)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(y.label, y.id)
        index = self.year_combo.findData(keep if keep is not None else current)
        self.year_combo.setCurrentIndex(max(index, 0))
        self.year_combo.blockSignals(False)
        self.staff_model.set_rows(staff)
        self._all_staff = staff
        self._active_staff = [r for r in staff if r.active]
        self.undo_move_button.setVisible(self._last_move is not None)
        self._load_groups()

    def _load_groups(self) -> None:
        """The groups of the chosen year; the form keeps what is typed in it."""
        year = self.year_id()
        rows: list[gs.GroupRow] = []
        if year is not None:
            with self.ctx.db.session() as s:
                rows = gs.list_groups(s, self.ctx.school_id, year)
        self.groups_model.set_rows(rows)
        row = self.groups_model.row_of(self._group_id)
        if row >= 0:
            self.groups_table.blockSignals(True)
            self.groups_table.selectRow(row)
            self.groups_table.blockSignals(False)
        self._fill_teachers(set(self.checked_teachers()) if self.teachers_list.count() else set())

    def year_id(self) -> int | None:
        """The school year whose groups are shown."""
        return self.year_combo.currentData()

    def select_year(self, label: str) -> None:
        """Show the groups of the year with this label ("2027-2028")."""
        self.year_combo.setCurrentIndex(self.year_combo.findText(label))

    # ------------------------------------------------------------------ groups
    def _fill_group_form(self, row: gs.GroupRow | None) -> None:
        self.group_errors.clear()
        self._group_id = row.id if row else None
        self._group_version = row.version if row else None
        self.group_name_edit.setText(row.name if row else "")
        self.group_grades_edit.setText(row.grades if row else "")
        self._grades_auto = row is None
        self._fill_teachers(set(row.teacher_ids) if row else set())
        self.delete_group_button.setEnabled(row is not None)
        self.save_group_button.setText(
            self.tr("Groep opslaan") if row else self.tr("Groep toevoegen")
        )

    def _fill_teachers(self, chosen: set[int]) -> None:
        """The staff to tick as the group's teachers; ``chosen`` are ticked."""
        self.teachers_list.clear()
        people = list(self._active_staff)
        # Someone no longer active stays visible on the group they are still linked to.
        inactive = {r.id: r for r in self._all_staff if not r.active}
        people += [inactive[sid] for sid in sorted(chosen) if sid in inactive]
        people.sort(key=lambda p: p.id not in chosen)  # the group's own teachers on top
        for person in people:
            item = QListWidgetItem(person.label)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked
            )
            self.teachers_list.addItem(item)
        if not people:
            item = QListWidgetItem(self.tr("Voeg eerst medewerkers toe (rechts)."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.teachers_list.addItem(item)

    def check_teacher(self, staff_id: int, checked: bool = True) -> None:
        """Tick (or untick) a teacher of the group in the form."""
        for i in range(self.teachers_list.count()):
            item = self.teachers_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == staff_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_teachers(self) -> list[int]:
        """The teachers ticked in the form, in list order."""
        out = []
        for i in range(self.teachers_list.count()):
            item = self.teachers_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    @Slot(int)
    def _on_year_changed(self, _index: int) -> None:
        self._group_id = None
        self._load_groups()
        self._fill_group_form(None)

    @Slot(QModelIndex, QModelIndex)
    def _on_group_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._fill_group_form(current.data(ROW_ROLE) if current.isValid() else None)
        self.group_status.clear()

    @Slot(str)
    def _on_group_name_edited(self, text: str) -> None:
        if self._grades_auto:
            self.group_grades_edit.setText(gs.grades_from_name(text))
        self.group_errors.show({})

    @Slot(str)
    def _on_grades_edited(self, _text: str) -> None:
        self._grades_auto = False

    @Slot()
    def new_group(self) -> None:
        """Empty the form for a new group."""
        self.groups_table.clearSelection()
        self.groups_table.setCurrentIndex(QModelIndex())
        self._fill_group_form(None)
        self.group_status.clear()
        self.group_name_edit.setFocus()

    @Slot()
    def save_group(self) -> bool:
        """Save the group in the form; problems appear beside their field."""
        year = self.year_id()
        if year is None:
            return False
        data = gs.GroupData(
            self.group_name_edit.text(), self.group_grades_edit.text(), self.checked_teachers()
        )

        def save(version: int | None) -> gs.GroupRow:
            data.version = version
            with self.ctx.db.session() as s:
                return gs.save_group(
                    s, self.ctx.school_id, year, data, group_id=self._group_id,
                    actor=self.ctx.actor,
                )  # fmt: skip

        try:
            outcome = save_or_choose(self, save, self._group_version)
        except ValidationErrors as exc:
            for message in self.group_errors.show(exc.errors):
                QMessageBox.warning(self, APP_NAME, message)
            return False
        if not outcome.saved or outcome.result is None:
            if outcome.choice is ConflictChoice.THEIRS:  # show what the other person saved
                self.reload()
                found = self.groups_model.row_of(self._group_id)
                self._fill_group_form(
                    self.groups_model.index(found, 0).data(ROW_ROLE) if found >= 0 else None
                )
                self.group_status.setText(
                    self.tr("De opgeslagen versie staat weer in het formulier.")
                )
            return False
        row = outcome.result
        self._group_id = row.id
        self._after_save()
        self._fill_group_form(row)
        self.group_status.setText(self.tr("Groep %s is opgeslagen.") % row.name)
        return True

    @Slot()
    def delete_group(self) -> bool:
        """Delete the chosen group after asking; a group with pupils is refused, with reason."""
        if self._group_id is None:
            return False
        with self.ctx.db.session() as s:
            problem = gs.delete_problem(s, self._group_id)
        name = self.group_name_edit.text()
        if problem:
            QMessageBox.information(self, self.tr("Groep verwijderen"), problem)
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Groep verwijderen"),
            self.tr("Groep %s verwijderen? Er zitten geen leerlingen in.") % name,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            with self.ctx.db.session() as s:
                gs.delete_group(s, self._group_id, actor=self.ctx.actor)
        except ValidationErrors as exc:
            QMessageBox.information(self, self.tr("Groep verwijderen"), exc.errors["group"])
            return False
        self._group_id = None
        self._after_save()
        self._fill_group_form(None)
        self.group_status.setText(self.tr("Groep %s is verwijderd.") % name)
        return True

    # ------------------------------------------------------------------ staff
    def _fill_staff_form(self, row: st.StaffRow | None) -> None:
        self.staff_errors.clear()
        self._staff_id = row.id if row else None
        self._staff_version = row.version if row else None
        self.staff_name_edit.setText(row.name if row else "")
        role = row.role if row else StaffRole.LEERKRACHT
        self.role_combo.setCurrentIndex(self.role_combo.findData(role.value))
        self.active_check.setChecked(row.active if row else True)
        self.save_staff_button.setText(
            self.tr("Medewerker opslaan") if row else self.tr("Medewerker toevoegen")
        )

    @Slot(QModelIndex, QModelIndex)
    def _on_staff_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._fill_staff_form(current.data(ROW_ROLE) if current.isValid() else None)
        self.staff_status.clear()

    @Slot()
    def new_staff(self) -> None:
        """Empty the form for a new member of staff."""
        self.staff_table.clearSelection()
        self.staff_table.setCurrentIndex(QModelIndex())
        self._fill_staff_form(None)
        self.staff_status.clear()
        self.staff_name_edit.setFocus()

    @Slot()
    def save_staff(self) -> bool:
        """Save the person in the form; problems appear beside their field."""
        data = st.StaffData(
            self.staff_name_edit.text(),
            StaffRole(self.role_combo.currentData()),
            self.active_check.isChecked(),
        )

        def save(version: int | None) -> st.StaffRow:
            data.version = version
            with self.ctx.db.session() as s:
                return st.save_staff(
                    s, self.ctx.school_id, data, staff_id=self._staff_id, actor=self.ctx.actor
                )

        try:
            outcome = save_or_choose(self, save, self._staff_version)
        except ValidationErrors as exc:
            for message in self.staff_errors.show(exc.errors):
                QMessageBox.warning(self, APP_NAME, message)
            return False
        if not outcome.saved or outcome.result is None:
            if outcome.choice is ConflictChoice.THEIRS:  # show what the other person saved
                self.reload()
                found = self.staff_model.row_of(self._staff_id)
                self._fill_staff_form(
                    self.staff_model.index(found, 0).data(ROW_ROLE) if found >= 0 else None
                )
                self.staff_status.setText(
                    self.tr("De opgeslagen versie staat weer in het formulier.")
                )
            return False
        row = outcome.result
        self._after_save()
        # Ready for the next person: typing names one after the other is the common case.
        self.new_staff()
        self.staff_status.setText(self.tr("%s is opgeslagen.") % row.name)
        return True

    # ------------------------------------------------------------------ school year
    @Slot()
    def _on_move(self) -> None:
        from ib_desktop.ui.school_year_move import SchoolYearMoveDialog

        result = SchoolYearMoveDialog.run(self.ctx, self)
        if result is not None:
            self._after_save()
            self.select_year(result.target_label)

    @Slot()
    def _on_undo_move(self) -> None:
        from ib_desktop.ui.school_year_move import undo_last_move

        if undo_last_move(self.ctx, self):
            self._after_save()

    # ------------------------------------------------------------------ after a change
    def _after_save(self) -> None:
        self.reload()
        self.changed.emit()
        notify = getattr(self.nav, "notify_changed", None)
        if notify is not None:
            notify()
