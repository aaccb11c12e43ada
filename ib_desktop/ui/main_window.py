"""The main window: a calm side bar of pages, menus, and the windows of open files.

Pages and document editors live in their own modules and are imported when first shown, so the
window appears quickly. Each page class takes ``(ctx, nav, parent)``; each editor module has
``open_editor(ctx, nav, *, doc_id=None, pupil_id=None) -> QWidget``; each menu action is a
function ``(ctx, nav, parent) -> None``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ib_desktop import APP_NAME, permissions
from ib_desktop.ui.widgets.window_size import size_window

if TYPE_CHECKING:
    from ib_desktop.ui.context import AppContext

NAV_STYLE = """
QListWidget#navigation { border: none; background: palette(window); font-size: 11pt; }
QListWidget#navigation::item { padding: 8px 14px; border-radius: 4px; margin: 1px 6px; }
QListWidget#navigation::item:selected {
    background: palette(highlight); color: palette(highlighted-text);
}
"""

# key, title (translated when shown), "module:Class"
PAGES: list[tuple[str, str, str]] = [
    (
        "overzicht",
        QT_TRANSLATE_NOOP("MainWindow", "Overzicht"),
        "ib_desktop.ui.dashboard:DashboardPage",
    ),
    (
        "leerlingen",
        QT_TRANSLATE_NOOP("MainWindow", "Leerlingen"),
        "ib_desktop.ui.pupil_list.page:PupilListPage",
    ),
    (
        "groepen",
        QT_TRANSLATE_NOOP("MainWindow", "Groepen"),
        "ib_desktop.ui.group_overview:GroupOverviewPage",
    ),
    ("agenda", QT_TRANSLATE_NOOP("MainWindow", "Agenda"), "ib_desktop.ui.agenda:AgendaPage"),
    (
        "vergaderingen",
        QT_TRANSLATE_NOOP("MainWindow", "Vergaderingen"),
        "ib_desktop.ui.meetings:MeetingsPage",
    ),
    (
        "evaluaties",
        QT_TRANSLATE_NOOP("MainWindow", "Evaluaties"),
        "ib_desktop.ui.plans.evaluations:EvaluationsPage",
    ),
    (
        "kengetallen",
        QT_TRANSLATE_NOOP("MainWindow", "Kengetallen"),
        "ib_desktop.ui.figures:FiguresPage",
    ),
    (
        "instellingen",
        QT_TRANSLATE_NOOP("MainWindow", "Instellingen"),
        "ib_desktop.ui.settings.page:SettingsPage",
    ),
]

DOCUMENT_EDITORS = {
    "korte_interventie": "ib_desktop.ui.plans.intervention_editor",
    "groeidocument": "ib_desktop.ui.plans.growth_editor",
    "opp": "ib_desktop.ui.opp.entry",
}

# menu, text, shortcut, "module:function"
ACTIONS: list[tuple[str, str, str, str]] = [
    (
        QT_TRANSLATE_NOOP("MainWindow", "Bestand"),
        QT_TRANSLATE_NOOP("MainWindow", "Nieuwe leerling…"),
        "Ctrl+N",
        "ib_desktop.ui.pupil_file.lifecycle_dialogs:new_pupil_action",
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "Bestand"),
        QT_TRANSLATE_NOOP("MainWindow", "Leerlingen importeren…"),
        "Ctrl+I",
        "ib_desktop.ui.import_wizard:import_action",
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "Bestand"),
        QT_TRANSLATE_NOOP("MainWindow", "Wie ben ik?…"),
        "",
        "ib_desktop.ui.widgets.staff_picker:choose_user_action",
    ),
    (QT_TRANSLATE_NOOP("MainWindow", "Bestand"), "-", "", ""),
    (
        QT_TRANSLATE_NOOP("MainWindow", "Bestand"),
        QT_TRANSLATE_NOOP("MainWindow", "Back-up maken"),
        "Ctrl+B",
        "ib_desktop.ui.backup:backup_action",
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "Bestand"),
        QT_TRANSLATE_NOOP("MainWindow", "Back-up terugzetten…"),
        "",
        "ib_desktop.ui.backup:restore_action",
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "Afdrukken"),
        QT_TRANSLATE_NOOP("MainWindow", "Evaluatieplanning…"),
        "Ctrl+P",
        "ib_desktop.ui.print_dialogs:schedule_action",
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "Afdrukken"),
        QT_TRANSLATE_NOOP("MainWindow", "OPP's van een groep…"),
        "",
        "ib_desktop.ui.print_dialogs:group_opps_action",
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "Afdrukken"),
        QT_TRANSLATE_NOOP("MainWindow", "Groepsoverzicht…"),
        "",
        "ib_desktop.ui.print_dialogs:group_overview_action",
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "Afdrukken"),
        QT_TRANSLATE_NOOP("MainWindow", "OPP-register opslaan…"),
        "",
        "ib_desktop.ui.opp.register_action:save_opp_register_action",
    ),
]


#: Pages and menu actions only some account roles get (``ib_desktop.permissions``; accounts
#: off: everyone). A teacher's screens show their own groups; what is about the whole school or
#: changes it (figures, import, back-ups, the OPP register, a new pupil) is hidden for them,
#: and the services refuse it too.
ROLE_RULES: dict[str, Callable[[Any], bool]] = {
    "kengetallen": permissions.reads_whole_school,
    "ib_desktop.ui.pupil_file.lifecycle_dialogs:new_pupil_action": permissions.writes_care_file,
    "ib_desktop.ui.import_wizard:import_action": permissions.writes_care_file,
    "ib_desktop.ui.backup:backup_action": permissions.writes_care_file,
    "ib_desktop.ui.backup:restore_action": permissions.writes_care_file,
    "ib_desktop.ui.opp.register_action:save_opp_register_action": permissions.reads_whole_school,
}


def role_allows(ctx: Any, key_or_path: str) -> bool:
    """Whether the logged-in role gets this page or action (True with accounts off)."""
    rule = ROLE_RULES.get(key_or_path)
    return rule is None or bool(rule(getattr(ctx, "account_role", None)))


def load_symbol(path: str) -> Any:
    """Import "package.module:Name" and return the attribute; None when not present."""
    module_name, _, name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, name, None)


def resolve_symbol(path: str) -> Any:
    """Import "package.module:Name" and return the attribute; raises when either is missing.

    The strict twin of :func:`load_symbol`, for the registry's test: a misspelt module or
    name fails there instead of leaving a page or a menu item that does nothing.
    """
    module_name, sep, name = path.partition(":")
    if not sep or not module_name or not name:
        raise ValueError(f"'{path}' is not of the form 'package.module:Name'")
    module = importlib.import_module(module_name)
    if not hasattr(module, name):
        raise AttributeError(f"'{module_name}' has no '{name}' (registered as '{path}')")
    return getattr(module, name)


def registered_symbols() -> list[str]:
    """Every "module:Name" the window loads when first needed.

    The pages (classes), the editors' ``open_editor`` functions and the menu actions. Loading
    them lazily keeps the start fast; ``tests/ui/test_main_window_registry.py`` imports each.
    """
    paths = [path for _key, _title, path in PAGES]
    paths += [f"{module}:open_editor" for module in DOCUMENT_EDITORS.values()]
    paths += [path for _menu, _text, _shortcut, path in ACTIONS if path]
    return paths


class MainWindow(QMainWindow):
    """The IB-er's main window."""

    dataChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        """Build the window; with ``ctx`` None it shows at once and gets its data in attach().

        Showing the shell before the database is opened keeps start-up close to a bare Qt
        program: SQLAlchemy and the models load while the window is already on screen.
        """
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self._pages: dict[str, QWidget] = {}
        self._windows: dict[tuple[str, int], QWidget] = {}
        self.live: Any = None  # LiveRefresh on a server database: other people's saves
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(QSize(900, 600))

        self.nav_list = QListWidget()
        self.nav_list.setObjectName("navigation")
        self.nav_list.setMaximumWidth(220)
        self.nav_list.setMinimumWidth(160)
        self.nav_list.setAccessibleName(self.tr("Navigatie"))
        self.nav_list.setStyleSheet(NAV_STYLE)
        self.stack = QStackedWidget()
        for index, (key, title, _path) in enumerate(PAGES):
            item = QListWidgetItem(self.tr(title))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(self.tr("%s (Ctrl+%d)") % (self.tr(title), index + 1))
            self.nav_list.addItem(item)
            placeholder = QLabel(self.tr("Bezig met laden…"))
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            placeholder.setObjectName(f"placeholder-{key}")
            self.stack.addWidget(placeholder)
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            shortcut.triggered.connect(lambda _=False, k=key: self.show_page(k))
            self.addAction(shortcut)
        splitter = QSplitter()
        splitter.addWidget(self.nav_list)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self._build_menus()
        self.nav_list.currentRowChanged.connect(self._on_nav_row_changed)
        self._restore_geometry()
        keys = [k for k, _t, _p in PAGES]
        last = str(QSettings().value("main_window/page", "overzicht"))
        self.nav_list.setCurrentRow(keys.index(last) if last in keys else 0)
        if ctx is not None:
            self.attach(ctx)
        else:
            self._set_actions_enabled(False)

    def _set_actions_enabled(self, enabled: bool) -> None:
        """Menu actions need the database: until it is attached they wait, visibly. An action
        the logged-in role may not use stays hidden and off (its shortcut too)."""
        for action in self._data_actions:
            allowed = self.ctx is None or role_allows(self.ctx, str(action.data()))
            action.setVisible(allowed)
            action.setEnabled(enabled and allowed)
        if self.ctx is not None:
            for row, (key, _title, _path) in enumerate(PAGES):
                self.nav_list.item(row).setHidden(not role_allows(self.ctx, key))
        if not enabled:
            self.statusBar().showMessage(self.tr("Bezig met laden…"))

    def show_preview(self, key: str, data: Any) -> QWidget | None:
        """Show a page's first-paint rows (``PupilListData``) before the database is attached.

        Only the pupil list has a preview; the page becomes the real one in :meth:`attach`.
        """
        if self.ctx is not None or key != "leerlingen" or self.current_page_key() != key:
            return None
        from ib_desktop.ui.pupil_list.page import PupilListPage

        index = [k for k, _t, _p in PAGES].index(key)
        widget = PupilListPage(None, self, self, preview=data)
        old = self.stack.widget(index)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.stack.insertWidget(index, widget)
        self.stack.setCurrentWidget(widget)
        self._pages[key] = widget
        return widget

    def drop_preview(self) -> None:
        """Take a first paint's rows away again (the database was refused after all)."""
        for key, widget in list(self._pages.items()):
            if getattr(widget, "is_preview", False):
                index = [k for k, _t, _p in PAGES].index(key)
                placeholder = QLabel(self.tr("Bezig met laden…"))
                placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
                placeholder.setObjectName(f"placeholder-{key}")
                self.stack.removeWidget(widget)
                widget.hide()
                widget.deleteLater()
                self.stack.insertWidget(index, placeholder)
                self.stack.setCurrentIndex(max(self.nav_list.currentRow(), 0))
                del self._pages[key]

    def preview_page(self) -> QWidget | None:
        """The page that shows first-paint rows, if any."""
        return next((w for w in self._pages.values() if getattr(w, "is_preview", False)), None)

    def attach(self, ctx: AppContext) -> None:
        """Connect the window to an open database and school, and show the first page."""
        key = PAGES[max(self.nav_list.currentRow(), 0)][0]
        self.ctx = ctx
        self._set_actions_enabled(True)
        self._listen(ctx)
        for widget in self._pages.values():
            if getattr(widget, "is_preview", False):
                widget.attach(ctx)  # the first paint's rows give way to the full load
        self.setWindowTitle(self.tr("%s - %s") % (APP_NAME, self._school_name()))
        # The label: a server URL is a tuple to "%", and its password must not show.
        self.statusBar().showMessage(self.tr("Database: %s") % ctx.db.label)
        if hasattr(self, "user_button"):  # attached before (another database)
            self.show_current_user()
            self.show_page(key)
            return
        self.user_button = QPushButton()
        self.user_button.setObjectName("current-user")
        self.user_button.setFlat(True)
        self.user_button.setToolTip(self.tr("Kies wie u bent (Bestand > Wie ben ik?)"))
        self.user_button.clicked.connect(
            lambda: self.run_action("ib_desktop.ui.widgets.staff_picker:choose_user_action")
        )
        self.statusBar().addPermanentWidget(self.user_button)
        self.show_current_user()
        self.show_page(key)

    def show_current_user(self) -> None:
        """Say in the status bar who is working ("Ik ben: …"), or that nobody chose yet."""
        if self.ctx is None or not hasattr(self, "user_button"):
            return
        user = self.ctx.user
        access = getattr(self.ctx, "access", None)
        if access is not None:  # logged in: the account says who works
            self.user_button.setText(
                self.tr("Ingelogd als %s") % (user.name if user else access.login)
            )
            return
        self.user_button.setText(
            self.tr("Ik ben: %s") % user.name if user else self.tr("Ik ben: (nog niet gekozen)")
        )

    # ------------------------------------------------------------------ navigation
    def _school_name(self) -> str:
        from ib_desktop.services.school import get_school

        with self.ctx.db.session() as s:
            school = get_school(s, self.ctx.school_id)
            return school.name if school else ""

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built on first use."""
        if key in self._pages:
            return self._pages[key]
        index = [k for k, _t, _p in PAGES].index(key)
        cls = load_symbol(PAGES[index][2])
        if cls is None:
            widget: QWidget = QLabel(self.tr("Dit onderdeel is nog niet beschikbaar."))
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        else:
            widget = cls(self.ctx, self, self)
        old = self.stack.widget(index)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.stack.insertWidget(index, widget)
        self._pages[key] = widget
        return widget

    def show_page(self, key: str) -> None:
        """Switch to a page (building it when needed)."""
        keys = [k for k, _t, _p in PAGES]
        if self.ctx is not None and not role_allows(self.ctx, key):
            key = keys[0]  # a page the role does not get (a shortcut, a remembered page)
        index = keys.index(key)
        if self.ctx is None:  # still starting: move the selection (and a first paint's page)
            self.nav_list.setCurrentRow(index)
            self.stack.setCurrentIndex(index)
            return
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        if self.nav_list.currentRow() != index:
            self.nav_list.blockSignals(True)
            self.nav_list.setCurrentRow(index)
            self.nav_list.blockSignals(False)

    def current_page_key(self) -> str:
        """Key of the page that is showing (or selected while starting)."""
        if self.ctx is None:
            return PAGES[max(self.nav_list.currentRow(), 0)][0]
        return PAGES[self.stack.currentIndex()][0]

    @Slot(int)
    def _on_nav_row_changed(self, row: int) -> None:
        if row >= 0:
            self.show_page(PAGES[row][0])

    # ------------------------------------------------------------------ windows
    def _track(self, key: tuple[str, int], window: QWidget) -> QWidget:
        self._windows[key] = window
        window.destroyed.connect(lambda _=None, w=window: self._forget(w))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _forget(self, window: QWidget) -> None:
        for key in [k for k, w in self._windows.items() if w is window]:
            del self._windows[key]

    @staticmethod
    def _window_doc_id(window: QWidget) -> int | None:
        """The id of the document an editor shows (None while it is new and unsaved)."""
        fn = getattr(window, "doc_id", None)
        if callable(fn):
            return fn()
        data = getattr(window, "data", None)
        return getattr(data, "opp_id", None)

    def _rekey_new_documents(self) -> None:
        """A new document saved for the first time is found again under its real id."""
        for (kind, key_id), window in list(self._windows.items()):
            if kind != "pupil" and key_id < 0:
                real = self._window_doc_id(window)
                if real is not None and (kind, real) not in self._windows:
                    del self._windows[(kind, key_id)]
                    self._windows[(kind, real)] = window

    def open_pupil(self, pupil_id: int) -> None:
        """Show the pupil file (one window per pupil)."""
        if self.ctx is None:
            return
        key = ("pupil", pupil_id)
        if key in self._windows:
            w = self._windows[key]
            w.show()
            w.raise_()
            w.activateWindow()
            return
        cls = load_symbol("ib_desktop.ui.pupil_file.shell:PupilFileWindow")
        if cls is None:
            QMessageBox.information(
                self, APP_NAME, self.tr("Het leerlingdossier is nog niet beschikbaar.")
            )
            return
        self._track(key, cls(self.ctx, self, pupil_id))

    def open_document(
        self, kind: str, doc_id: int | None = None, *, pupil_id: int | None = None
    ) -> None:
        """Open an editor for a document, or a new document of ``kind`` for ``pupil_id``."""
        if self.ctx is None:
            return
        module_name = DOCUMENT_EDITORS.get(str(kind))
        opener: Callable[..., QWidget] | None = (
            load_symbol(f"{module_name}:open_editor") if module_name else None
        )
        if opener is None:
            QMessageBox.information(self, APP_NAME, self.tr("Deze editor is nog niet beschikbaar."))
            return
        if doc_id is not None and (str(kind), doc_id) in self._windows:
            w = self._windows[(str(kind), doc_id)]
            w.show()
            w.raise_()
            w.activateWindow()
            return
        window = opener(self.ctx, self, doc_id=doc_id, pupil_id=pupil_id)
        if window is None:
            return
        real = doc_id if doc_id is not None else self._window_doc_id(window)
        existing = self._windows.get((str(kind), real)) if real is not None else None
        if existing is not None and existing is not window:
            # The pupil's document was already open (e.g. its OPP): show that window.
            window.deleteLater()
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return
        self._track((str(kind), real if real is not None else -id(window)), window)

    def open_windows(self) -> list[QWidget]:
        """The pupil files and editors that are open."""
        return list(self._windows.values())

    def _listen(self, ctx: AppContext) -> None:
        """On PostgreSQL: refresh the open lists when someone else saves (LISTEN/NOTIFY)."""
        if self.live is not None:
            self.live.stop()
            self.live = None
        if ctx.db.engine.dialect.name == "sqlite":
            return  # one laptop, one app: every save is this window's own
        from ib_desktop.ui.live_refresh import LiveRefresh

        self.live = LiveRefresh(ctx.db.engine, self)
        self.live.changed.connect(self._on_saved_elsewhere)

    @Slot(object)
    def _on_saved_elsewhere(self, _pupils: object) -> None:
        """Someone else saved: the pages read again, keeping selection, filters and typing."""
        self.notify_changed()

    def notify_changed(self) -> None:
        """Tell every page that data changed."""
        self._rekey_new_documents()
        self.dataChanged.emit()

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        menus: dict[str, Any] = {}
        self._data_actions: list[QAction] = []
        for menu_name, text, shortcut, path in ACTIONS:
            menu = menus.get(menu_name) or self.menuBar().addMenu(self.tr(menu_name))
            menus[menu_name] = menu
            if text == "-":
                menu.addSeparator()
                continue
            action = QAction(self.tr(text), self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setData(path)
            action.triggered.connect(lambda _=False, p=path: self.run_action(p))
            menu.addAction(action)
            self._data_actions.append(action)
        file_menu = menus["Bestand"]
        file_menu.addSeparator()
        quit_action = QAction(self.tr("Afsluiten"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("Help"))
        about = QAction(self.tr("Over IB Desktop"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self._menus = menus

    def run_action(self, path: str) -> None:
        """Run a menu action "module:function" with (ctx, nav, parent)."""
        if self.ctx is None:
            return
        if not role_allows(self.ctx, path):
            QMessageBox.information(
                self, APP_NAME, self.tr("Dit is voor de intern begeleider en de directie.")
            )
            return
        fn = load_symbol(path)
        if fn is None:
            QMessageBox.information(
                self, APP_NAME, self.tr("Deze functie is nog niet beschikbaar.")
            )
            return
        fn(self.ctx, self, self)

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("Over IB Desktop"), self.about_text())

    def about_text(self) -> str:
        """The about box: version, the database in use, and where data and backups live."""
        from html import escape

        from PySide6 import __version__ as pyside_version

        from ib_desktop.about import about_info

        info = about_info(self.ctx.db.url if self.ctx else None)
        rows = (
            (self.tr("Database"), info.database),
            (self.tr("Gegevensmap"), str(info.data_folder)),
            (self.tr("Back-ups"), str(info.backup_folder)),
            (self.tr("Herstelmap"), str(info.recovery_folder)),
            (self.tr("Python / Qt"), f"{info.python} / {pyside_version}"),
        )
        table = "".join(
            f"<tr><td><b>{escape(k)}</b>&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in rows
        )
        return (
            self.tr(
                "<h3>IB Desktop %s</h3><p>Leerlingondersteuning voor de intern begeleider: "
                "ondersteuningsniveaus, groeidocumenten, OPP's en evaluaties.</p>"
            )
            % escape(info.version)
            + f"<table>{table}</table>"
        )

    # ------------------------------------------------------------------ state
    def _restore_geometry(self) -> None:
        # The size of last time, else 1280x800; either way no larger than the screen.
        size_window(self, "main_window", 1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Close the open files first: each may ask to keep unsaved changes."""
        for window in list(self._windows.values()):
            if not window.close():
                event.ignore()
                return
        QSettings().setValue("main_window/page", self.current_page_key())
        if self.live is not None:
            self.live.stop()
            self.live = None
        event.accept()
