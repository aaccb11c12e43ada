"""The pupil file (leerlingdossier): one window per pupil with everything the school keeps.

A header says who the pupil is and where they stand (group, age, level in its colour, status);
tabs hold the personal data, guardians, care providers, school career, assessments, meetings,
documents and the level timeline with the table of moves. Personal data is edited in place and
saved with Ctrl+S (optimistic locking on ``Pupil.version``); the other records are edited in
small dialogs that save at once. Closing with unsaved changes asks Opslaan / Niet opslaan /
Annuleren, and a crash loses at most the field being typed (the recovery guard).

A pupil who left is shown read-only with a banner until the file is deleted on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QColor, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, short_date
from ib_desktop.models import DocumentKind, PupilStatus
from ib_desktop.services import pupil as pf
from ib_desktop.services.levels import DOCUMENT_LABELS, missing_label
from ib_desktop.services.versioned import EditConflict
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.level_timeline import LevelTimeline, text_color_for
from ib_desktop.ui.pupil_dialogs import (
    AssessmentDialog,
    CareProviderDialog,
    DateField,
    DeleteFileDialog,
    GuardianDialog,
    HistoryDialog,
    LeaveSchoolDialog,
    MeetingDialog,
    NewPupilDialog,
    ask_unsaved,
    confirm,
    level_icon,
    make_read_only,
    name_fields,
    plain_edit,
    show_problems,
)
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, ConflictDialog
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
MUTED = QColor("#757575")


# ---------------------------------------------------------------------------- table model


@dataclass(frozen=True)
class Column:
    """One column of a record table: its title, text, sort value and optional extras."""

    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    icon: Callable[[Any], QIcon | None] | None = None
    tooltip: Callable[[Any], str] | None = None


def _date_sort(d: date | None) -> int:
    return d.toordinal() if d else 0


def date_column(title: str, get: Callable[[Any], date | None]) -> Column:
    """A column of dates shown as 12-03-2026 and sorted by date."""
    return Column(title, lambda r: short_date(get(r)), lambda r: _date_sort(get(r)))


class RecordTableModel(QAbstractTableModel):
    """A read-only table over a list of row objects (dataclasses from the service).

    ``ROW_ROLE`` returns the row object, ``SORT_ROLE`` a native Python value to sort on.
    """

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.rows: list[Any] = []
        self.muted: Callable[[Any], bool] = lambda _row: False

    def set_rows(self, rows: list[Any]) -> None:
        """Replace all rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of rows (none under a valid parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of columns."""
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        """Column titles."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Text, sort value, row object, icon, tooltip and muted colour of a cell."""
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            value = column.sort(row) if column.sort else column.text(row)
            return value.casefold() if isinstance(value, str) else value
        if role == Qt.ItemDataRole.DecorationRole and column.icon is not None:
            return column.icon(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row) or None
            text = column.text(row)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.ForegroundRole and self.muted(row):
            return MUTED
        return None

    def row_object(self, row: int) -> Any:
        """The row object at ``row``."""
        return self.rows[row]


class RecordTab(QWidget):
    """A table of records with Toevoegen / Bewerken / Verwijderen (Enter edits, Delete removes)."""

    addRequested = Signal()  # noqa: N815 - Qt naming
    editRequested = Signal(object)  # noqa: N815
    removeRequested = Signal(object)  # noqa: N815

    def __init__(
        self,
        columns: list[Column],
        *,
        add_text: str,
        name: str,
        intro: str = "",
        sort_column: int = 0,
        descending: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = RecordTableModel(columns, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView()
        self.view.setObjectName(f"{name}-table")
        self.view.setAccessibleName(name)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(
            sort_column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.add_button = QPushButton(add_text)
        self.edit_button = QPushButton(self.tr("&Bewerken…"))
        self.remove_button = QPushButton(self.tr("&Verwijderen…"))
        self.add_button.clicked.connect(self.addRequested)
        self.edit_button.clicked.connect(self._on_edit)
        self.remove_button.clicked.connect(self._on_remove)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.edit_button)
        self.buttons.addWidget(self.remove_button)
        self.buttons.addStretch(1)
        self.empty_label = QLabel()
        self.empty_label.setStyleSheet("color: #757575;")
        layout = QVBoxLayout(self)
        if intro:
            intro_label = QLabel(intro)
            intro_label.setWordWrap(True)
            intro_label.setStyleSheet("color: #555555;")
            layout.addWidget(intro_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(self.buttons)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.read_only = False
        self.edit_text = self.tr("&Bewerken…")
        self.view_text = self.tr("&Bekijken…")
        self._on_selection()

    def set_rows(self, rows: list[Any], empty_text: str = "") -> None:
        """Show ``rows``, keeping the selected record selected when it is still there."""
        selected = self.current()
        key = getattr(selected, "id", None) if selected is not None else None
        self.model.set_rows(rows)
        self.empty_label.setText(empty_text if not rows else "")
        self.empty_label.setVisible(not rows and bool(empty_text))
        if not self.view.property("sized") and rows:
            self.view.resizeColumnsToContents()
            header = self.view.horizontalHeader()
            for col in range(self.model.columnCount()):
                header.resizeSection(col, min(header.sectionSize(col) + 12, 320))
            self.view.setProperty("sized", True)
        if key is not None:
            self.select_where(lambda r: getattr(r, "id", None) == key)
        self._on_selection()

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        """Select the first row for which ``predicate`` is true."""
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(ROW_ROLE)
            if predicate(row):
                self.view.selectRow(r)
                self.view.scrollTo(self.proxy.index(r, 0))
                return True
        return False

    def current(self) -> Any:
        """The selected row object (None when nothing is selected)."""
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            rows = self.view.selectionModel().selectedRows()
            if not rows:
                return None
            index = rows[0]
        return index.data(ROW_ROLE)

    def set_read_only(self, read_only: bool) -> None:
        """A read-only file shows records but offers no changes."""
        self.read_only = read_only
        self.add_button.setEnabled(not read_only)
        self._on_selection()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Enter edits the selected record, Delete removes it."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_edit()
            return
        if event.key() == Qt.Key.Key_Delete and not self.read_only:
            self._on_remove()
            return
        super().keyPressEvent(event)

    @Slot()
    def _on_selection(self, *_args: Any) -> None:
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.edit_button.setText(self.view_text if self.read_only else self.edit_text)
        self.remove_button.setEnabled(has and not self.read_only)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.editRequested.emit(row)

    @Slot()
    def _on_edit(self) -> None:
        row = self.current()
        if row is not None:
            self.editRequested.emit(row)

    @Slot()
    def _on_remove(self) -> None:
        row = self.current()
        if row is not None and not self.read_only:
            self.removeRequested.emit(row)


# ---------------------------------------------------------------------------- columns

GUARDIAN_COLUMNS = [
    Column("Naam", lambda g: g.name),
    Column("Relatie", lambda g: g.relation),
    Column("Gezag", lambda g: "ja" if g.has_custody else "nee", lambda g: g.has_custody),
    Column("Telefoon", lambda g: g.phone),
    Column("E-mail", lambda g: g.email),
    Column("Adres", lambda g: g.address),
    Column("Notities", lambda g: g.notes.split("\n")[0], tooltip=lambda g: g.notes),
]

CARE_COLUMNS = [
    Column("Rondom", lambda c: pf.CARE_SCOPE_LABELS[c.scope]),
    Column("Organisatie", lambda c: c.organisation),
    Column("Contactpersoon", lambda c: c.contact_name),
    Column("Soort hulp", lambda c: c.kind),
    date_column("Van", lambda c: c.start_date),
    date_column("Tot en met", lambda c: c.end_date),
    Column("Notities", lambda c: c.notes.split("\n")[0], tooltip=lambda c: c.notes),
]

HISTORY_COLUMNS = [
    Column("Soort", lambda h: pf.HISTORY_KIND_LABELS[h.kind]),
    Column("School/voorziening", lambda h: h.institution),
    date_column("Van", lambda h: h.start_date),
    date_column("Tot en met", lambda h: h.end_date),
    Column("Toelichting", lambda h: h.notes.split("\n")[0], tooltip=lambda h: h.notes),
]

MEMBERSHIP_COLUMNS = [
    Column("Schooljaar", lambda m: m.school_year),
    Column("Groep", lambda m: m.group_name),
    Column("Leerkracht(en)", lambda m: m.teachers),
]


def _conclusion(a: pf.AssessmentData) -> str:
    if a.sensitive:
        return "Vertrouwelijk - open het onderzoek om de conclusie te lezen"
    return a.conclusion.split("\n")[0]


ASSESSMENT_COLUMNS = [
    date_column("Datum", lambda a: a.date),
    Column("Soort onderzoek", lambda a: a.kind),
    Column("Uitgevoerd door", lambda a: a.performed_by),
    Column("Verklaring", lambda a: pf.DECLARATION_LABELS[a.declaration]),
    Column("Gevoelig", lambda a: "gevoelig" if a.sensitive else "", lambda a: a.sensitive),
    Column("Conclusie", _conclusion, tooltip=lambda a: "" if a.sensitive else a.conclusion),
]

MEETING_COLUMNS = [
    date_column("Datum", lambda m: m.date),
    Column("Soort", lambda m: pf.MEETING_KIND_LABELS[m.kind]),
    Column("Titel", lambda m: m.title),
    Column("Gehouden", lambda m: "gehouden" if m.held else "gepland", lambda m: m.held),
    Column("Besluiten", lambda m: m.decisions.split("\n")[0], tooltip=lambda m: m.decisions),
    Column(
        "Ook over",
        lambda m: f"{m.other_pupils} andere leerling(en)" if m.other_pupils else "",
        lambda m: m.other_pupils,
    ),
]

DOCUMENT_COLUMNS = [
    Column(
        "Soort",
        lambda d: {
            "korte_interventie": "Korte interventie",
            "groeidocument": "Groeidocument",
            "opp": "OPP",
        }[d.kind],
    ),
    Column("Omschrijving", lambda d: d.title),
    Column("Status", lambda d: d.status),
    date_column("Van", lambda d: d.start),
    date_column("Tot", lambda d: d.end),
]

DIRECTION_TEXT = {"op": "▲ opschalen", "af": "▼ afschalen", "start": "start"}

LEVEL_COLUMNS = [
    date_column("Datum", lambda s: s.start),
    Column(
        "Van",
        lambda s: s.previous.label if s.previous else "",
        icon=lambda s: level_icon(s.previous.color) if s.previous else None,
    ),
    Column(
        "Naar",
        lambda s: s.level.label,
        lambda s: s.level.position,
        icon=lambda s: level_icon(s.level.color),
    ),
    Column("Richting", lambda s: DIRECTION_TEXT.get(s.direction, "")),
    Column("Reden", lambda s: s.reason.split("\n")[0], tooltip=lambda s: s.reason),
    Column("Besloten door", lambda s: s.decided_by),
    Column("Vergadering", lambda s: s.meeting_label),
    Column("Geldt voor", lambda s: s.area or "hele leerling"),
    date_column("Tot", lambda s: s.end),
]

RECORD_SPECS: dict[str, tuple[type, Callable[..., Any], str]] = {
    # tab key: (dialog, delete function, what, for the confirmation)
    "guardians": (GuardianDialog, pf.delete_guardian, "ouder/verzorger"),
    "care": (CareProviderDialog, pf.delete_care_provider, "hulpverlening"),
    "history": (HistoryDialog, pf.delete_history, "stap in de schoolloopbaan"),
    "assessments": (AssessmentDialog, pf.delete_assessment, "onderzoek"),
    "meetings": (MeetingDialog, pf.delete_meeting, "vergadering"),
}


def _describe(key: str, row: Any) -> str:
    if key == "guardians":
        return row.name
    if key == "care":
        return row.organisation
    if key == "history":
        return row.institution
    if key == "assessments":
        return f"{row.kind} ({short_date(row.date)})"
    return pf.meeting_label(row)


# ---------------------------------------------------------------------------- the window


class PupilFileWindow(QMainWindow):
    """The file of one pupil, in a window of its own."""

    saved = Signal(int)  # pupil id, after any change was saved

    def __init__(
        self, ctx: AppContext, nav: Navigator, pupil_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.pupil_id = pupil_id
        self.file: pf.PupilFile | None = None
        self._version: int | None = None
        self._dirty = False
        self._filling = False
        self.errors = ErrorMap()
        self.setObjectName("pupil-file")
        size_window(self, "pupil_file.PupilFileWindow", 1080, 760)

        self._build_actions()
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.addWidget(self._build_header())
        self.left_banner = self._banner("#fdecea", "#e0a3a0")
        self.left_text = QLabel()
        self.left_text.setWordWrap(True)
        self.left_text.setTextFormat(Qt.TextFormat.RichText)
        self.reactivate_button = QPushButton(self.tr("&Terugzetten naar actief…"))
        self.delete_button = QPushButton(self.tr("Dossier &verwijderen…"))
        self.reactivate_button.clicked.connect(self._on_reactivate)
        self.delete_button.clicked.connect(self._on_delete_file)
        lay = self.left_banner.layout()
        lay.addWidget(self.left_text, 1)
        lay.addWidget(self.reactivate_button)
        lay.addWidget(self.delete_button)
        outer.addWidget(self.left_banner)
        self.missing_banner = self._banner("#fff4e5", "#f0b35a")
        self.missing_text = QLabel()
        self.missing_text.setWordWrap(True)
        self.missing_text.setTextFormat(Qt.TextFormat.RichText)
        self.missing_banner.layout().addWidget(self.missing_text, 1)
        self.missing_buttons: list[QPushButton] = []
        outer.addWidget(self.missing_banner)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._build_tabs()
        outer.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.statusBar()

        from ib_desktop.ui.recovery import RecoveryGuard

        self.guard = RecoveryGuard(
            ctx, f"pupil:{pupil_id}", self.tr("Leerlingdossier"), self._recovery_payload, self
        )
        # Other windows save too (a document editor, the list): show their changes here.
        self._own_change = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self._on_external_change)
        changed_signal = getattr(nav, "dataChanged", None)
        if changed_signal is not None:
            changed_signal.connect(self._on_data_changed)
        self.reload(form=True)
        if self.file is not None:
            self.guard.title = self.tr("Leerlingdossier %s") % self.file.full_name
            QTimer.singleShot(0, self._offer_recovery)

    # -------------------------------------------------------------- building
    def _build_actions(self) -> None:
        toolbar = QToolBar(self.tr("Dossier"))
        toolbar.setObjectName("pupil-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)

        def action(
            text: str, slot: Callable[[], Any], shortcut: Any = None, tip: str = ""
        ) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
                a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if tip:
                a.setToolTip(tip)
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.save_action = action(
            self.tr("Opslaan"),
            self.save,
            QKeySequence.StandardKey.Save,
            self.tr("Persoonsgegevens opslaan (Ctrl+S)"),
        )
        self.level_action = action(
            self.tr("Op-/afschalen…"),
            self._on_change_level,
            QKeySequence("Ctrl+L"),
            self.tr("Het ondersteuningsniveau wijzigen (Ctrl+L)"),
        )
        self.print_action = action(
            self.tr("Afdrukken…"),
            self._on_print,
            QKeySequence.StandardKey.Print,
            self.tr("Leerlingoverzicht afdrukken (Ctrl+P)"),
        )
        self.profile_action = action(
            self.tr("Eén pagina voor overleg"),
            self._on_print_profile,
            tip=self.tr("Het profiel van de leerling op één A4 voor een bespreking"),
        )
        self.opp_summary_action = action(
            self.tr("OPP-samenvatting voor ouders"),
            self._on_print_opp_summary,
            tip=self.tr("Het OPP in gewone taal op één A4, met het toestemmingsvak"),
        )
        self.reload_action = action(
            self.tr("Opnieuw laden"),
            self._on_reload,
            QKeySequence.StandardKey.Refresh,
            self.tr("Het dossier opnieuw uit de database lezen (F5)"),
        )
        self.leave_action = action(self.tr("Leerling vertrekt…"), self._on_leave)
        self.reactivate_action = action(self.tr("Terugzetten naar actief…"), self._on_reactivate)
        self.delete_action = action(self.tr("Dossier verwijderen…"), self._on_delete_file)
        self.close_action = action(
            self.tr("Sluiten"),
            self.close,
            [QKeySequence("Ctrl+W"), QKeySequence(Qt.Key.Key_Escape)],
            self.tr("Venster sluiten (Ctrl+W of Esc)"),
        )
        for a in (self.save_action, self.level_action, self.print_action, self.reload_action):
            toolbar.addAction(a)
        # The print button's menu: the overview (also the button itself) and the one-pagers.
        print_menu = QMenu(self)
        print_menu.addAction(self.tr("Leerlingoverzicht…"), self._on_print)
        print_menu.addActions([self.profile_action, self.opp_summary_action])
        self.print_action.setMenu(print_menu)
        toolbar.addSeparator()
        for a in (self.leave_action, self.reactivate_action, self.delete_action):
            toolbar.addAction(a)
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        toolbar.addWidget(spacer)
        toolbar.addAction(self.close_action)

    def _build_header(self) -> QWidget:
        header = QFrame()
        header.setObjectName("pupil-header")
        lay = QHBoxLayout(header)
        lay.setContentsMargins(4, 4, 4, 8)
        left = QVBoxLayout()
        self.name_label = QLabel()
        self.name_label.setObjectName("pupil-name")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("pupil-facts")
        self.facts_label.setStyleSheet("color: #444444;")
        left.addWidget(self.name_label)
        left.addWidget(self.facts_label)
        lay.addLayout(left, 1)
        self.level_chip = QLabel()
        self.level_chip.setObjectName("level-chip")
        self.status_chip = QLabel()
        self.status_chip.setObjectName("status-chip")
        for chip in (self.level_chip, self.status_chip):
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(chip, 0, Qt.AlignmentFlag.AlignVCenter)
        return header

    def _banner(self, background: str, border: str) -> QFrame:
        frame = QFrame()
        frame.setStyleSheet(
            "QFrame "
            f"{{ background: {background}; border: 1px solid {border}; border-radius: 4px; }} "
            f"QLabel {{ border: none; }}"
        )
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(10, 6, 10, 6)
        frame.hide()
        return frame

    def _build_tabs(self) -> None:
        self.tabs.addTab(self._build_personal(), self.tr("Persoonsgegevens"))
        self.record_tabs: dict[str, RecordTab] = {}
        specs = [
            (
                "guardians",
                GUARDIAN_COLUMNS,
                self.tr("Ouder/verzorger &toevoegen…"),
                self.tr("Ouders/verzorgers"),
                self.tr("Alleen ouders/verzorgers met gezag ondertekenen het OPP."),
                0,
                False,
            ),
            (
                "care",
                CARE_COLUMNS,
                self.tr("Hulpverlening &toevoegen…"),
                self.tr("Hulpverlening"),
                self.tr("Hulpverlening bij de leerling, op school en in het gezin (OPP deel 1)."),
                4,
                True,
            ),
            (
                "history",
                HISTORY_COLUMNS,
                self.tr("Stap &toevoegen…"),
                self.tr("Schoolloopbaan"),
                "",
                2,
                False,
            ),
            (
                "assessments",
                ASSESSMENT_COLUMNS,
                self.tr("Onderzoek &toevoegen…"),
                self.tr("Onderzoek"),
                self.tr(
                    "Gevoelige (medische of psychologische) verslagen tonen hun conclusie "
                    "alleen als u het onderzoek opent."
                ),
                0,
                True,
            ),
            (
                "meetings",
                MEETING_COLUMNS,
                self.tr("Vergadering &toevoegen…"),
                self.tr("Vergaderingen"),
                "",
                0,
                True,
            ),
        ]
        for key, columns, add_text, title, intro, sort_col, desc in specs:
            tab = RecordTab(
                columns,
                add_text=add_text,
                name=key,
                intro=intro,
                sort_column=sort_col,
                descending=desc,
            )
            tab.addRequested.connect(lambda k=key: self._on_add_record(k))
            tab.editRequested.connect(lambda row, k=key: self._on_edit_record(k, row))
            tab.removeRequested.connect(lambda row, k=key: self._on_remove_record(k, row))
            self.record_tabs[key] = tab
            if key == "history":
                self.tabs.addTab(self._build_history_page(tab), title)
            else:
                self.tabs.addTab(tab, title)
        self.tabs.addTab(self._build_documents(), self.tr("Documenten"))
        self.tabs.addTab(self._build_levels(), self.tr("Niveaus"))
        self.tabs.setCurrentIndex(0)
        # Alt+1 ... Alt+8 jump to a tab (Ctrl+PgUp/PgDown walk through them, as in every tab bar).
        for index in range(self.tabs.count()):
            jump = QAction(self)
            jump.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            jump.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(jump)
            self.tabs.setTabToolTip(index, self.tr("Alt+%d") % (index + 1))

    def _build_personal(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.names = name_fields(self.errors, self)
        label = QLabel(self.tr("&Naam:"))
        label.setBuddy(self.names.first)
        form.addRow(label, self.names.row)
        self.gender_combo = QComboBox()
        for value, text in pf.GENDER_LABELS.items():
            self.gender_combo.addItem(self.tr(text), value)
        self.birth_edit = DateField()
        self.first_day_edit = DateField()
        self.enrolled_edit = DateField()
        self.lvs_edit = QLineEdit()
        self.lvs_edit.setMaximumWidth(220)
        self.group_combo = QComboBox()
        self.family_edit = plain_edit(3)
        self.family_edit.setMaximumHeight(self.family_edit.fontMetrics().lineSpacing() * 6 + 12)
        self.family_edit.setPlaceholderText(
            self.tr(
                "Bijv. woont bij moeder en stiefvader, twee oudere broers; om het weekend bij "
                "vader."
            )
        )
        self.notes_edit = plain_edit(4)
        for text, name, widget in (
            (self.tr("&Geslacht:"), "gender", self.gender_combo),
            (self.tr("Ge&boortedatum:"), "birth_date", self.birth_edit),
            (self.tr("&Eerste schooldag:"), "first_school_day", self.first_day_edit),
            (self.tr("&Ingeschreven op:"), "enrolled_on", self.enrolled_edit),
            (self.tr("&LVS-nummer:"), "lvs_id", self.lvs_edit),
            (self.tr("G&roep:"), "group_id", self.group_combo),
            (self.tr("Gezinssa&menstelling:"), "family_composition", self.family_edit),
            (self.tr("Notitie&s:"), "notes", self.notes_edit),
        ):
            lbl = QLabel(text)
            lbl.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(lbl, self.errors.wrap(name, widget))
        self.gender_combo.setMaximumWidth(260)
        self.group_combo.setMaximumWidth(260)
        self.save_button = QPushButton(self.tr("Opslaan"))
        self.save_button.setToolTip(self.tr("Ctrl+S"))
        self.revert_button = QPushButton(self.tr("Wijzigingen ongedaan maken"))
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._on_revert)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #555555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.saved_label, 1)
        inner = QWidget()
        inner_lay = QVBoxLayout(inner)
        inner_lay.addLayout(form)
        inner_lay.addLayout(buttons)
        inner_lay.addStretch(1)
        inner.setMaximumWidth(820)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll)
        for edit in (
            self.names.first,
            self.names.tussenvoegsel,
            self.names.last,
            self.birth_edit,
            self.first_day_edit,
            self.enrolled_edit,
            self.lvs_edit,
        ):
            edit.textChanged.connect(self._on_form_edited)
        for combo in (self.gender_combo, self.group_combo):
            combo.currentIndexChanged.connect(self._on_form_edited)
        for text_edit in (self.family_edit, self.notes_edit):
            text_edit.textChanged.connect(self._on_form_edited)
        return page

    def _form_widgets(self) -> list[QWidget]:
        return [
            self.names.first,
            self.names.tussenvoegsel,
            self.names.last,
            self.gender_combo,
            self.birth_edit,
            self.first_day_edit,
            self.enrolled_edit,
            self.lvs_edit,
            self.group_combo,
            self.family_edit,
            self.notes_edit,
        ]

    def _build_history_page(self, tab: RecordTab) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.career_label = QLabel()
        self.career_label.setWordWrap(True)
        lay.addWidget(self.career_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(tab)
        groups = QWidget()
        groups_lay = QVBoxLayout(groups)
        groups_lay.setContentsMargins(9, 0, 9, 9)
        title = QLabel(self.tr("<b>Groepen op deze school per schooljaar</b>"))
        self.membership_model = RecordTableModel(MEMBERSHIP_COLUMNS, self)
        self.membership_view = QTableView()
        self.membership_view.setObjectName("memberships-table")
        self.membership_view.setAccessibleName(self.tr("Groepen per schooljaar"))
        self.membership_view.setModel(self.membership_model)
        self.membership_view.verticalHeader().hide()
        self.membership_view.horizontalHeader().setStretchLastSection(True)
        self.membership_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.membership_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        groups_lay.addWidget(title)
        groups_lay.addWidget(self.membership_view)
        splitter.addWidget(groups)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        lay.addWidget(splitter, 1)
        return page

    def _build_documents(self) -> QWidget:
        tab = RecordTab(
            DOCUMENT_COLUMNS, add_text="", name="documents", sort_column=3, descending=True
        )
        tab.add_button.hide()
        tab.remove_button.hide()
        tab.edit_text = tab.view_text = self.tr("&Openen")
        tab.edit_button.setText(tab.edit_text)
        tab.editRequested.connect(self._on_open_document)
        tab.model.muted = lambda d: not d.is_open
        self.new_document_buttons: dict[str, QPushButton] = {}
        for kind, text in (
            ("korte_interventie", self.tr("Nieuwe &korte interventie…")),
            ("groeidocument", self.tr("Nieuw &groeidocument…")),
            ("opp", self.tr("Nieuw O&PP…")),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind: self._on_new_document(k))
            tab.buttons.insertWidget(tab.buttons.count() - 1, button)
            self.new_document_buttons[kind] = button
        self.documents_tab = tab
        return tab

    def _build_levels(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.timeline = LevelTimeline()
        self.timeline.setObjectName("level-timeline")
        splitter.addWidget(self.timeline)
        self.levels_tab = RecordTab(
            LEVEL_COLUMNS,
            add_text=self.tr("&Op-/afschalen…"),
            name="levels",
            sort_column=0,
            descending=True,
        )
        self.levels_tab.remove_button.setText(self.tr("&Laatste wijziging ongedaan maken…"))
        self.levels_tab.edit_button.hide()
        self.levels_tab.addRequested.connect(self._on_change_level)
        self.levels_tab.removeRequested.connect(self._on_undo_level)
        self.levels_tab.view.selectionModel().selectionChanged.connect(self._on_level_row_selected)
        self.timeline.stepActivated.connect(
            lambda aid: self.levels_tab.select_where(lambda s: s.assignment_id == aid)
        )
        splitter.addWidget(self.levels_tab)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        lay.addWidget(splitter)
        return page

    # -------------------------------------------------------------- loading
    def reload(self, *, form: bool | None = None) -> bool:
        """Read the file again; the form is refilled only when it holds no unsaved edits."""
        try:
            with self.ctx.db.session() as s:
                file = pf.load_pupil_file(s, self.pupil_id, today=self.ctx.today())
                groups = pf.group_choices(s, self.ctx.school_id, self.ctx.today())
        except pf.RecordGoneError as exc:
            self.file = None
            self.setWindowTitle(self.tr("Leerlingdossier"))
            self.name_label.setText(str(exc))
            self.tabs.setEnabled(False)
            for a in self.actions():
                if a is not self.close_action:
                    a.setEnabled(False)
            return False
        self.file = file
        self._fill_header(file)
        self._fill_records(file)
        if form or (form is None and not self._dirty):
            self._fill_form(file, groups)
        self._apply_read_only(file.read_only)
        return True

    def _fill_header(self, file: pf.PupilFile) -> None:
        self.setWindowTitle(self.tr("%s - Leerlingdossier[*]") % file.full_name)
        self.name_label.setText(file.full_name)
        facts = []
        if file.group_name:
            group_text = self.tr("laatst in groep %s") if file.read_only else self.tr("groep %s")
            facts.append(group_text % file.group_name)
        if file.teacher_names:
            facts.append(file.teacher_names)
        if file.age is not None:
            facts.append(
                self.tr("%d jaar (geboren %s)") % (file.age, long_date(file.data.birth_date))
            )
        if file.data.lvs_id:
            facts.append(self.tr("LVS %s") % file.data.lvs_id)
        self.facts_label.setText("  ·  ".join(facts))
        current = file.levels.current() if file.levels else None
        if current is not None and not file.read_only:
            bg = QColor(current.level.color)
            fg = text_color_for(bg)
            self.level_chip.setText(
                self.tr("Niveau %s\nsinds %s") % (current.level.label, long_date(current.start))
            )
            self.level_chip.setStyleSheet(
                f"QLabel {{ background: {bg.name()}; color: {fg.name()}; border-radius: 6px; "
                "padding: 6px 12px; font-weight: bold; }"
            )
            self.level_chip.setToolTip(current.reason)
            self.level_chip.show()
        elif file.read_only and file.levels and file.levels.steps:
            last = file.levels.steps[-1]
            self.level_chip.setText(self.tr("Laatste niveau\n%s") % last.level.label)
            self.level_chip.setStyleSheet(
                "QLabel { background: #eeeeee; color: #333333; border-radius: 6px; padding: "
                "6px 12px; }"
            )
            self.level_chip.show()
        else:
            self.level_chip.setText(self.tr("Geen niveau"))
            self.level_chip.setStyleSheet(
                "QLabel { background: #eeeeee; color: #333333; border-radius: 6px; padding: "
                "6px 12px; }"
            )
        if file.read_only:
            self.status_chip.setText(self.tr("Vertrokken"))
            self.status_chip.setStyleSheet(
                "QLabel { background: #8e0000; color: white; border-radius: 6px; padding: 6px "
                "12px; font-weight: bold; }"
            )
        else:
            status = {
                PupilStatus.ACTIEF: self.tr("Actief"),
                PupilStatus.AANGEMELD: self.tr("Aangemeld"),
            }.get(file.status, str(file.status))
            self.status_chip.setText(status)
            self.status_chip.setStyleSheet(
                "QLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid #a5d6a7; "
                "border-radius: 6px; padding: 6px 12px; }"
            )
        # The banner of a pupil who left.
        if file.read_only:
            text = self.tr("<b>Deze leerling heeft de school verlaten</b> op %s") % long_date(
                file.left_on
            )
            if file.left_destination:
                text += self.tr(" (bestemming: %s)") % file.left_destination
            text += self.tr(". Het dossier is alleen-lezen.")
            if file.delete_after:
                if file.delete_after <= self.ctx.today():
                    text += self.tr(
                        " De bewaartermijn is verstreken sinds %s: het dossier kan worden "
                        "verwijderd."
                    ) % long_date(file.delete_after)
                else:
                    text += self.tr(" Het wordt bewaard tot %s.") % long_date(file.delete_after)
            self.left_text.setText(text)
            self.left_banner.show()
        else:
            self.left_banner.hide()
        # Missing documents for the current level.
        for button in self.missing_buttons:
            button.deleteLater()
        self.missing_buttons = []
        if file.missing_documents and current is not None:
            self.missing_text.setText(
                self.tr("&#9888; Niveau %s vraagt om een %s; dat ontbreekt nog voor deze leerling.")
                % (current.level.label, missing_label(file.missing_documents))
            )
            for kind in file.missing_documents:
                label = DOCUMENT_LABELS[DocumentKind(kind)]
                button = QPushButton(self.tr("%s starten") % (label[:1].upper() + label[1:]))
                button.clicked.connect(lambda _=False, k=kind: self._on_new_document(k))
                self.missing_banner.layout().addWidget(button)
                self.missing_buttons.append(button)
            self.missing_banner.show()
        else:
            self.missing_banner.hide()

    def _fill_records(self, file: pf.PupilFile) -> None:
        self.record_tabs["guardians"].set_rows(
            file.guardians, self.tr("Nog geen ouders/verzorgers vastgelegd.")
        )
        self.record_tabs["care"].set_rows(
            file.care_providers, self.tr("Geen hulpverlening vastgelegd.")
        )
        self.record_tabs["history"].set_rows(
            file.history, self.tr("Nog geen eerdere scholen of voorschoolse periode vastgelegd.")
        )
        self.record_tabs["assessments"].set_rows(
            file.assessments, self.tr("Geen onderzoek vastgelegd.")
        )
        self.record_tabs["meetings"].set_rows(
            file.meetings, self.tr("Nog geen vergaderingen over deze leerling.")
        )
        self.record_tabs["care"].model.muted = lambda c: bool(
            c.end_date and c.end_date < self.ctx.today()
        )
        self.membership_model.set_rows(file.memberships)
        self.career_label.setText(
            self.tr(
                "Eerste schooldag: <b>%s</b> &nbsp;·&nbsp; Ingeschreven op deze school: <b>%s</b>"
            )
            % (
                long_date(file.data.first_school_day) or self.tr("onbekend"),
                long_date(file.data.enrolled_on) or self.tr("onbekend"),
            )
        )
        self.documents_tab.set_rows(
            file.documents, self.tr("Nog geen korte interventies, groeidocumenten of OPP's.")
        )
        steps = list(file.levels.steps) if file.levels else []
        self.levels_tab.set_rows(steps, self.tr("Nog geen niveau vastgelegd."))
        self.timeline.set_history(file.levels, self.ctx.today())

    def _fill_form(self, file: pf.PupilFile, groups: list[tuple[int, str]]) -> None:
        self._filling = True
        try:
            data = file.data
            self.names.first.setText(data.first_name)
            self.names.tussenvoegsel.setText(data.tussenvoegsel)
            self.names.last.setText(data.last_name)
            index = self.gender_combo.findData(data.gender)
            self.gender_combo.setCurrentIndex(max(0, index))
            self.birth_edit.set_value(data.birth_date)
            self.first_day_edit.set_value(data.first_school_day)
            self.enrolled_edit.set_value(data.enrolled_on)
            self.lvs_edit.setText(data.lvs_id)
            self.group_combo.clear()
            self.group_combo.addItem(self.tr("(geen groep)"), None)
            for gid, name in groups:
                self.group_combo.addItem(self.tr("Groep %s") % name, gid)
            if data.group_id is not None and self.group_combo.findData(data.group_id) < 0:
                self.group_combo.addItem(
                    self.tr("Groep %s (ander schooljaar)") % file.group_name, data.group_id
                )
            self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(data.group_id)))
            self.family_edit.setPlainText(data.family_composition)
            self.notes_edit.setPlainText(data.notes)
        finally:
            self._filling = False
        self._version = file.version
        self._set_dirty(False)
        self.errors.clear()
        with self.ctx.db.session() as s:
            _errors, warnings = pf.check_pupil(
                s, self.ctx.school_id, data, today=self.ctx.today(), pupil_id=self.pupil_id
            )
        show_problems(self.errors, {}, warnings)

    def _apply_read_only(self, read_only: bool) -> None:
        for w in self._form_widgets():
            make_read_only(w, read_only)
        self.save_button.setVisible(not read_only)
        self.revert_button.setVisible(not read_only)
        self.save_action.setEnabled(not read_only)
        self.level_action.setEnabled(not read_only)
        self.leave_action.setVisible(not read_only)
        self.reactivate_action.setVisible(read_only)
        self.delete_action.setVisible(read_only)
        for tab in self.record_tabs.values():
            tab.set_read_only(read_only)
        self.levels_tab.set_read_only(read_only)
        for button in self.new_document_buttons.values():
            button.setEnabled(not read_only)

    # -------------------------------------------------------------- the form
    def is_dirty(self) -> bool:
        """The personal data holds edits that are not saved."""
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.setWindowModified(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.saved_label.setText(self.tr("Niet opgeslagen wijzigingen"))

    @Slot()
    def _on_form_edited(self, *_args: Any) -> None:
        if self._filling or (self.file is not None and self.file.read_only):
            return
        self._set_dirty(True)
        self.guard.changed()

    def form_data(self, errors: dict[str, str]) -> pf.PupilData:
        """The personal data in the form; unreadable dates go into ``errors``."""
        data = pf.PupilData(
            first_name=self.names.first.text(),
            tussenvoegsel=self.names.tussenvoegsel.text(),
            last_name=self.names.last.text(),
            gender=self.gender_combo.currentData() or "",
            group_id=self.group_combo.currentData(),
            lvs_id=self.lvs_edit.text(),
            family_composition=self.family_edit.toPlainText(),
            notes=self.notes_edit.toPlainText(),
        )
        for name, edit in (
            ("birth_date", self.birth_edit),
            ("first_school_day", self.first_day_edit),
            ("enrolled_on", self.enrolled_edit),
        ):
            try:
                setattr(data, name, edit.value())
            except ValueError as exc:
                errors[name] = str(exc)
        return data

    @Slot()
    def save(self) -> bool:
        """Save the personal data (Ctrl+S); False when it could not be saved (reason shown)."""
        if self.file is None or self.file.read_only:
            return False
        if not self._dirty:
            return True
        errors: dict[str, str] = {}
        data = self.form_data(errors)
        if errors:
            self._show_form_errors(errors)
            return False
        expected = self._version or 0
        try:
            while True:
                try:
                    with self.ctx.db.session() as s:
                        self._version, warnings = pf.update_pupil(
                            s,
                            self.pupil_id,
                            data,
                            expected_version=expected,
                            today=self.ctx.today(),
                            actor=self.ctx.actor,
                        )
                    break
                except EditConflict as conflict:
                    choice = ConflictDialog.choose(self, conflict)
                    if choice is ConflictChoice.MINE and conflict.current_version is not None:
                        expected = conflict.current_version  # overwrite, on purpose
                        continue
                    if choice is ConflictChoice.THEIRS:
                        # The other version stays: show it, nothing of this form is kept.
                        self.guard.discard()
                        self._set_dirty(False)
                        self.reload(form=True)
                        self.statusBar().showMessage(
                            self.tr("De versie van %s is gehouden.") % conflict.who, 5000
                        )
                        return True
                    return False  # back to editing, the form keeps every change
        except ValidationErrors as exc:
            self._show_form_errors(exc.errors)
            return False
        except (ConcurrentEditError, ReadOnlyError, pf.RecordGoneError) as exc:
            QMessageBox.warning(
                self,
                APP_NAME,
                str(exc)
                + "\n\n"
                + self.tr(
                    "Uw wijzigingen staan nog in het venster. Met 'Opnieuw laden' (F5) haalt u "
                    "de opgeslagen gegevens op."
                ),
            )
            return False
        self.guard.saved()
        self._set_dirty(False)
        self.reload(form=True)
        show_problems(self.errors, {}, warnings)
        self.saved_label.setText(self.tr("Opgeslagen"))
        self.statusBar().showMessage(self.tr("Persoonsgegevens opgeslagen."), 5000)
        self._changed()
        return True

    def _show_form_errors(self, errors: dict[str, str]) -> None:
        self.tabs.setCurrentIndex(0)
        for message in show_problems(self.errors, errors):
            QMessageBox.warning(self, APP_NAME, message)

    @Slot()
    def _on_revert(self) -> None:
        if self._dirty and confirm(
            self,
            self.tr("Wijzigingen ongedaan maken"),
            self.tr("De niet-opgeslagen wijzigingen in de persoonsgegevens weggooien?"),
        ):
            self.guard.discard()
            self._set_dirty(False)
            self.reload(form=True)

    @Slot()
    def _on_reload(self) -> None:
        if self._dirty and not confirm(
            self,
            self.tr("Opnieuw laden"),
            self.tr(
                "Bij opnieuw laden gaan de niet-opgeslagen wijzigingen in de persoonsgegevens "
                "verloren. Doorgaan?"
            ),
        ):
            return
        if self._dirty:
            self.guard.discard()
        self._set_dirty(False)
        self.reload(form=True)

    # -------------------------------------------------------------- recovery
    def _recovery_payload(self) -> dict[str, Any]:
        return {
            "first_name": self.names.first.text(),
            "tussenvoegsel": self.names.tussenvoegsel.text(),
            "last_name": self.names.last.text(),
            "gender": self.gender_combo.currentData() or "",
            "birth_date": self.birth_edit.text(),
            "first_school_day": self.first_day_edit.text(),
            "enrolled_on": self.enrolled_edit.text(),
            "lvs_id": self.lvs_edit.text(),
            "group_id": self.group_combo.currentData(),
            "family_composition": self.family_edit.toPlainText(),
            "notes": self.notes_edit.toPlainText(),
        }

    def apply_recovered(self, payload: dict[str, Any]) -> None:
        """Put edits kept after a crash back into the form (saved only when the user saves)."""
        texts = {
            "first_name": self.names.first,
            "tussenvoegsel": self.names.tussenvoegsel,
            "last_name": self.names.last,
            "birth_date": self.birth_edit,
            "first_school_day": self.first_day_edit,
            "enrolled_on": self.enrolled_edit,
            "lvs_id": self.lvs_edit,
        }
        for key, edit in texts.items():
            if key in payload:
                edit.setText(str(payload[key] or ""))
        if "gender" in payload:
            self.gender_combo.setCurrentIndex(max(0, self.gender_combo.findData(payload["gender"])))
        if "group_id" in payload:
            self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(payload["group_id"])))
        if "family_composition" in payload:
            self.family_edit.setPlainText(payload["family_composition"] or "")
        if "notes" in payload:
            self.notes_edit.setPlainText(payload["notes"] or "")
        self._set_dirty(True)
        self.tabs.setCurrentIndex(0)

    @Slot()
    def _offer_recovery(self) -> None:
        if self.file is None or self.file.read_only:
            return
        from ib_desktop.ui.recovery import ask_restore

        payload = ask_restore(self.ctx, self.guard.key, self)
        if payload:
            self.apply_recovered(payload)

    # -------------------------------------------------------------- records
    def _changed(self) -> None:
        self.saved.emit(self.pupil_id)
        self._own_change = True
        try:
            self.nav.notify_changed()
        finally:
            self._own_change = False

    @Slot()
    def _on_data_changed(self) -> None:
        if not self._own_change:
            self._reload_timer.start()

    @Slot()
    def _on_external_change(self) -> None:
        # Unsaved personal data stays as typed; the lists and the header follow the database.
        if self.file is not None:
            self.reload()

    @Slot()
    def _on_add_record(self, key: str) -> None:
        dialog_cls = RECORD_SPECS[key][0]
        if dialog_cls.edit(self, self.ctx, self.pupil_id) is not None:
            self.reload()
            self._changed()

    def _on_edit_record(self, key: str, row: Any) -> None:
        dialog_cls = RECORD_SPECS[key][0]
        if self.file is not None and self.file.read_only:
            dialog_cls.view(self, self.ctx, self.pupil_id, row.id)
            return
        if dialog_cls.edit(self, self.ctx, self.pupil_id, row.id) is not None:
            self.reload()
            self._changed()
        else:
            self.reload()  # it may have been removed elsewhere

    def _on_remove_record(self, key: str, row: Any) -> None:
        _dialog, delete, what = RECORD_SPECS[key]
        extra = ""
        if key == "meetings" and row.other_pupils:
            extra = self.tr("\n\nDe vergadering gaat ook over andere leerlingen; zij houden haar.")
        if not confirm(
            self,
            self.tr("Verwijderen"),
            self.tr("%s '%s' verwijderen uit het dossier?")
            % (what.capitalize(), _describe(key, row))
            + extra,
        ):
            return
        try:
            with self.ctx.db.session() as s:
                delete(s, self.pupil_id, row.id, actor=self.ctx.actor)
        except (ReadOnlyError, pf.RecordGoneError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
        self.reload()
        self._changed()

    # -------------------------------------------------------------- documents
    def _on_open_document(self, row: pf.DocumentRow) -> None:
        self.nav.open_document(row.kind, row.open_id)

    def _on_new_document(self, kind: str) -> None:
        if kind == "opp" and self.file is not None:
            running = [d for d in self.file.documents if d.kind == "opp" and d.is_open]
            if running:
                if confirm(
                    self,
                    self.tr("Nieuw OPP"),
                    self.tr(
                        "Deze leerling heeft al een lopend OPP. Een nieuwe versie maakt u in "
                        "dat OPP. Het lopende OPP openen?"
                    ),
                ):
                    self.nav.open_document("opp", running[0].open_id)
                return
        self.nav.open_document(kind, pupil_id=self.pupil_id)

    # -------------------------------------------------------------- levels
    @Slot()
    def _on_change_level(self) -> None:
        if self.file is None or self.file.read_only:
            return
        from ib_desktop.ui.level_dialog import LevelChangeDialog

        change = LevelChangeDialog.change(self, self.ctx, self.pupil_id, nav=self.nav)
        if change is not None:
            self.reload()
            self.tabs.setCurrentWidget(self.timeline.parentWidget().parentWidget())
            self.levels_tab.select_where(lambda s: s.assignment_id == change.assignment_id)
            self._changed()

    def _on_undo_level(self, step: pf.LevelStep) -> None:
        current = self.file.levels.current(step.area) if self.file and self.file.levels else None
        if current is None or current.assignment_id != step.assignment_id:
            current = current or step
            QMessageBox.information(
                self,
                APP_NAME,
                self.tr(
                    "Alleen de laatste wijziging kan ongedaan worden gemaakt; dat is die van "
                    "%s (%s)."
                )
                % (short_date(current.start), current.level.label),
            )
            return
        if not confirm(
            self,
            self.tr("Laatste wijziging ongedaan maken"),
            self.tr(
                "De wijziging naar niveau %s van %s wordt verwijderd en het vorige niveau "
                "loopt weer door. Alleen doen bij een vergissing. Doorgaan?"
            )
            % (step.level.label, short_date(step.start)),
        ):
            return
        try:
            with self.ctx.db.session() as s:
                pf.undo_last_level_change(s, self.pupil_id, step.area, actor=self.ctx.actor)
        except ValidationErrors as exc:
            QMessageBox.information(self, APP_NAME, "\n".join(exc.errors.values()))
            return
        except (ReadOnlyError, pf.RecordGoneError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.reload()
        self._changed()

    @Slot()
    def _on_level_row_selected(self, *_args: Any) -> None:
        step = self.levels_tab.current()
        self.timeline.select_step(step.assignment_id if step is not None else None)

    # -------------------------------------------------------------- leaving and returning
    def _ask_save_first(self, what: str) -> bool:
        """Unsaved personal data must be saved (or thrown away) before ``what``."""
        if not self._dirty:
            return True
        answer = ask_unsaved(self, self.tr("de persoonsgegevens"))
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.guard.discard()
            self._set_dirty(False)
            self.reload(form=True)
            return True
        return False

    @Slot()
    def _on_leave(self) -> None:
        if self.file is None or self.file.read_only or not self._ask_save_first("vertrek"):
            return
        delete_after = LeaveSchoolDialog.leave(self, self.ctx, self.pupil_id, self._version)
        if delete_after is not None:
            self.reload(form=True)
            self.statusBar().showMessage(
                self.tr("Vertrek vastgelegd; het dossier wordt bewaard tot %s.")
                % long_date(delete_after),
                8000,
            )
            self._changed()

    @Slot()
    def _on_reactivate(self) -> None:
        if self.file is None or not self.file.read_only:
            return
        if not confirm(
            self,
            self.tr("Terugzetten naar actief"),
            self.tr(
                "%s weer als actieve leerling inschrijven? Het vertrek wordt teruggedraaid en "
                "het dossier kan weer worden gewijzigd. Dit wordt in de geschiedenis "
                "vastgelegd."
            )
            % self.file.full_name,
        ):
            return
        try:
            with self.ctx.db.session() as s:
                pf.reactivate(
                    s,
                    self.pupil_id,
                    expected_version=self.file.version,
                    today=self.ctx.today(),
                    actor=self.ctx.actor,
                )
        except (ValidationErrors, ConcurrentEditError, pf.RecordGoneError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.reload(form=True)
        self._changed()

    @Slot()
    def _on_delete_file(self) -> None:
        if self.file is None or not self.file.read_only:
            return
        if DeleteFileDialog.delete(self, self.ctx, self.pupil_id):
            self._set_dirty(False)
            self.guard.discard()
            self._changed()
            QMessageBox.information(
                self,
                APP_NAME,
                self.tr("Het dossier is verwijderd. Er is vastgelegd dat dit is gebeurd."),
            )
            self.close()

    # -------------------------------------------------------------- printing
    @Slot()
    def _on_print(self) -> None:
        if self.file is None:
            return
        from ib_desktop.reports import pupil_overview_pdf
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        with self.ctx.db.session() as s:
            pdf = pupil_overview_pdf(s, self.pupil_id, today=self.ctx.today())
        safe = "".join(c if c.isalnum() else "-" for c in self.file.full_name).strip("-")
        PdfPreviewDialog.preview(
            self,
            pdf,
            self.tr("Leerlingoverzicht %s") % self.file.full_name,
            f"leerlingoverzicht-{safe}.pdf",
        )

    @Slot()
    def _on_print_profile(self) -> None:
        self._print_one_page("profile")

    @Slot()
    def _on_print_opp_summary(self) -> None:
        self._print_one_page("opp-summary")

    def _print_one_page(self, what: str) -> None:
        """Build a one-page document and show it in the preview (a missing OPP: a message)."""
        if self.file is None:
            return
        from ib_desktop.reports import ReportNotFoundError, opp_summary_pdf, profile_pdf
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        build = profile_pdf if what == "profile" else opp_summary_pdf
        try:
            with self.ctx.db.session() as s:
                pdf = build(s, self.pupil_id, today=self.ctx.today())
        except ReportNotFoundError as exc:
            QMessageBox.information(self, self.tr("Afdrukken"), str(exc))
            return
        name = self.file.full_name
        safe = "".join(c if c.isalnum() else "-" for c in name).strip("-")
        if what == "profile":
            title, stem = self.tr("Eén pagina voor overleg %s") % name, f"overleg-{safe}"
        else:
            title, stem = self.tr("OPP-samenvatting voor ouders %s") % name, f"opp-ouders-{safe}"
        PdfPreviewDialog.preview(self, pdf, title, f"{stem}.pdf")

    # -------------------------------------------------------------- closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Never drop unsaved personal data silently: Opslaan / Niet opslaan / Annuleren."""
        if self._dirty and self.file is not None and not self.file.read_only:
            answer = ask_unsaved(self, self.tr("het dossier van %s") % self.file.full_name)
            if answer == QMessageBox.StandardButton.Save:
                if not self.save():
                    event.ignore()
                    return
            elif answer == QMessageBox.StandardButton.Discard:
                self.guard.discard()
                self._set_dirty(False)
            else:
                event.ignore()
                return
        event.accept()


# ---------------------------------------------------------------------------- menu action


def new_pupil_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Bestand > Nieuwe leerling… (Ctrl+N): add a pupil by hand and open the new file."""
    pupil_id = NewPupilDialog.create(parent, ctx)
    if pupil_id is not None:
        nav.notify_changed()
        nav.open_pupil(pupil_id)
