"""The pupil file (leerlingdossier): one window per pupil with everything the school keeps.

A header says who the pupil is and where they stand (group, age, level in its colour, status);
tabs hold the personal data, guardians, care providers, school career, assessments, meetings,
documents and the level timeline with the table of moves. Personal data is edited in place and
saved with Ctrl+S (optimistic locking on ``Pupil.version``); the other records are edited in
small dialogs that save at once. Closing with unsaved changes asks Opslaan / Niet opslaan /
Annuleren, and a crash loses at most the field being typed (the recovery guard).

A pupil who left is shown read-only with a banner until the file is deleted on purpose.

The window is put together here from one mixin per part, each in its own module: ``header``
(name, chips, banners), ``personal_tab``, ``records_tabs`` (records and documents),
``levels_tab``, ``lifecycle`` (leaving, returning, deleting) and ``printing``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.permissions import reads_restricted, writes_care_file
from ib_desktop.services import pupil as pf
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.pupil_file.form_helpers import ask_unsaved, make_read_only
from ib_desktop.ui.pupil_file.header import HeaderMixin
from ib_desktop.ui.pupil_file.levels_tab import LevelsMixin
from ib_desktop.ui.pupil_file.lifecycle import LifecycleMixin
from ib_desktop.ui.pupil_file.personal_tab import PersonalDataMixin
from ib_desktop.ui.pupil_file.printing import PrintingMixin
from ib_desktop.ui.pupil_file.records_tabs import RecordsMixin
from ib_desktop.ui.pupil_file.view_log_tab import ViewLogMixin
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.view_logging import OPENED, account_role, log_views
from ib_desktop.ui.widgets.window_size import size_window


class PupilFileWindow(
    HeaderMixin,
    PersonalDataMixin,
    RecordsMixin,
    LevelsMixin,
    LifecycleMixin,
    PrintingMixin,
    ViewLogMixin,
    QMainWindow,
):
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
        #: The account role of the person working: what the services blank for them.
        self.role = account_role(ctx)
        self._open_logged = False
        self.setObjectName("pupil-file")
        size_window(self, "pupil_file.PupilFileWindow", 1080, 760)

        self._build_actions()
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.addWidget(self._build_header())
        self._build_banners(outer)

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
        self.swv_packet_action = action(
            self.tr("SWV-pakket voor de commissie…"),
            self._on_print_swv_packet,
            tip=self.tr(
                "Wat de commissie van toelating nodig heeft, in ten hoogste 12 pagina's; "
                "zonder BSN en zonder niet-vrijgegeven verslagen"
            ),
        )
        self.reload_action = action(
            self.tr("Opnieuw laden"),
            self._on_reload,
            QKeySequence.StandardKey.Refresh,
            self.tr("Het dossier opnieuw uit de database lezen (F5)"),
        )
        self.inzage_action = action(
            self.tr("Inzage…"),
            self._on_inzage,
            QKeySequence("Ctrl+Shift+I"),
            self.tr("Inzageverzoeken van ouders en de kopie van het dossier (Ctrl+Shift+I)"),
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
        print_menu.addActions(
            [self.profile_action, self.opp_summary_action, self.swv_packet_action]
        )
        self.print_action.setMenu(print_menu)
        toolbar.addAction(self.inzage_action)
        toolbar.addSeparator()
        for a in (self.leave_action, self.reactivate_action, self.delete_action):
            toolbar.addAction(a)
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        toolbar.addWidget(spacer)
        toolbar.addAction(self.close_action)

    def _build_tabs(self) -> None:
        self.tabs.addTab(self._build_personal(), self.tr("Persoonsgegevens"))
        self._build_record_tabs()
        self.tabs.addTab(self._build_documents(), self.tr("Documenten"))
        self.tabs.addTab(self._build_levels(), self.tr("Niveaus"))
        self._build_view_log(reads_restricted(self.role))
        self.tabs.setCurrentIndex(0)
        # Alt+1 ... Alt+8 jump to a tab (Ctrl+PgUp/PgDown walk through them, as in every tab bar).
        for index in range(self.tabs.count()):
            jump = QAction(self)
            jump.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            jump.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(jump)
            self.tabs.setTabToolTip(index, self.tr("Alt+%d") % (index + 1))

    @Slot()
    def _on_inzage(self) -> None:
        """The register of the parents' requests and the copy of the file (also when left)."""
        from ib_desktop.ui.pupil_file.inzage_dialog import InzageDialog

        if self.file is None:
            return
        dialog = InzageDialog(self.ctx, self.pupil_id, self.file.full_name, self)
        dialog.exec()
        self._changed()

    # -------------------------------------------------------------- loading
    def reload(self, *, form: bool | None = None) -> bool:
        """Read the file again; the form is refilled only when it holds no unsaved edits."""
        try:
            with self.ctx.db.session() as s:
                file = pf.load_pupil_file(s, self.pupil_id, today=self.ctx.today(), role=self.role)
                groups = pf.group_choices(s, self.ctx.school_id, self.ctx.today())
                if not self._open_logged:
                    # Opening the file is one line in the view log, in this same transaction.
                    log_views(s, self.ctx, [self.pupil_id], OPENED, "leerlingdossier")
                    s.flush()
                    self._open_logged = True
                self._fill_view_log(s, self.role)
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
        self._fill_levels(file)
        if form or (form is None and not self._dirty):
            self._fill_form(file, groups)
        self._apply_read_only(file.read_only)
        return True

    def _apply_read_only(self, read_only: bool) -> None:
        """A departed pupil's file is read-only; a teacher's account reads it all but writes
        no pupil data, levels or documents (``permissions.writes_care_file``): those buttons
        stay in sight, disabled, with the reason as their tooltip."""
        care = writes_care_file(self.role)
        locked = read_only or not care
        why = self.tr(
            "Als leerkracht kunt u dit bekijken maar niet wijzigen; leerlinggegevens, niveaus "
            "en documenten wijzigen de intern begeleider en de directie."
        )
        for w in self._form_widgets():
            make_read_only(w, locked)
        self.save_button.setVisible(not read_only)
        self.revert_button.setVisible(not read_only)
        self.save_button.setEnabled(care)
        self.revert_button.setEnabled(care)
        self.save_action.setEnabled(not locked)
        self.level_action.setEnabled(not locked)
        self.leave_action.setVisible(not read_only)
        self.reactivate_action.setVisible(read_only)
        self.delete_action.setVisible(read_only)
        for a in (self.leave_action, self.reactivate_action, self.delete_action):
            a.setEnabled(care)
        for tab in self.record_tabs.values():
            tab.set_read_only(locked)
        self.levels_tab.set_read_only(locked)
        buttons = [*self.new_document_buttons.values(), self.save_button, self.revert_button]
        for button in self.new_document_buttons.values():
            button.setEnabled(not locked)
        if not care:
            for button in buttons:
                button.setToolTip(why)
            for a in (self.save_action, self.level_action, self.leave_action):
                a.setToolTip(why)

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
