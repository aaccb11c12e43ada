"""Instellingen: the school, its support structure, development areas, holidays and backups.

Each tab is a widget ``Cls(ctx, nav, parent)`` listed in :data:`SETTINGS_TABS` and built the first
time it is shown, so colleagues add a tab with one line. A tab that edits may offer
``has_unsaved_changes() -> bool``, ``save() -> bool`` and ``discard()``; the page then asks before
the main window closes with unsaved settings.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME, permissions
from ib_desktop.ui.context import AppContext, Navigator

# title, "module:Class" -- built lazily; a module that is not there yet is left out.
# The titles are source texts, translated when the tab is added.
SETTINGS_TABS: list[tuple[str, str]] = [
    (QT_TRANSLATE_NOOP("SettingsPage", "School"), "ib_desktop.ui.settings.school:SchoolTab"),
    (
        QT_TRANSLATE_NOOP("SettingsPage", "Ondersteuningsstructuur"),
        "ib_desktop.ui.settings.structure:StructureEditor",
    ),
    (
        QT_TRANSLATE_NOOP("SettingsPage", "Ontwikkelingsgebieden"),
        "ib_desktop.ui.settings.areas:AreasTab",
    ),
    (
        QT_TRANSLATE_NOOP("SettingsPage", "Groepen en medewerkers"),
        "ib_desktop.ui.settings.groups_staff:GroupsStaffTab",
    ),
    (
        QT_TRANSLATE_NOOP("SettingsPage", "Doelenbank"),
        "ib_desktop.ui.settings.writing:GoalBankTab",
    ),
    (
        QT_TRANSLATE_NOOP("SettingsPage", "Tekstblokken"),
        "ib_desktop.ui.settings.writing:TextBlocksTab",
    ),
    (QT_TRANSLATE_NOOP("SettingsPage", "Vakanties"), "ib_desktop.ui.settings.holidays:HolidaysTab"),
    (QT_TRANSLATE_NOOP("SettingsPage", "Back-ups"), "ib_desktop.ui.backup:BackupSettingsTab"),
    (QT_TRANSLATE_NOOP("SettingsPage", "Gebruikers"), "ib_desktop.ui.settings.users:UsersTab"),
]

#: Tabs only some account roles see (``ib_desktop.permissions``; accounts off: everyone).
#: A teacher keeps the writing aids they use when evaluating (Doelenbank, Tekstblokken); the
#: school's set-up, the groups and staff (with the move to the next school year), holidays and
#: back-ups are the IB-er's and the directie's, and their saves are refused to a teacher anyway.
TAB_RULES: dict[str, Callable[[Any], bool]] = {
    "ib_desktop.ui.settings.users:UsersTab": permissions.manages_accounts,
    "ib_desktop.ui.settings.school:SchoolTab": permissions.writes_care_file,
    "ib_desktop.ui.settings.structure:StructureEditor": permissions.writes_care_file,
    "ib_desktop.ui.settings.areas:AreasTab": permissions.writes_care_file,
    "ib_desktop.ui.settings.groups_staff:GroupsStaffTab": permissions.writes_care_file,
    "ib_desktop.ui.settings.holidays:HolidaysTab": permissions.writes_care_file,
    "ib_desktop.ui.backup:BackupSettingsTab": permissions.writes_care_file,
}


def _module_exists(path: str) -> bool:
    module_name = path.partition(":")[0]
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


class SettingsPage(QWidget):
    """The settings, one tab per subject, each built when first opened."""

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings-tabs")
        self.tabs.setDocumentMode(True)
        self._paths: list[str] = []
        self._built: dict[int, QWidget] = {}
        role = getattr(ctx, "account_role", None)
        for title, path in SETTINGS_TABS:
            if not _module_exists(path):
                continue
            if path in TAB_RULES and not TAB_RULES[path](role):
                continue
            placeholder = QWidget()
            self.tabs.addTab(placeholder, QCoreApplication.translate("SettingsPage", title))
            self._paths.append(path)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        if self.tabs.count():
            self._build(0)
        if isinstance(nav, QObject):
            nav.installEventFilter(self)

    # ------------------------------------------------------------------ tabs
    def titles(self) -> list[str]:
        """The titles of the tabs shown."""
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def tab(self, title: str) -> QWidget:
        """The tab with this title, built (and shown) on demand."""
        index = self.titles().index(title)
        self.tabs.setCurrentIndex(index)
        return self._build(index)

    def _build(self, index: int) -> QWidget:
        if index in self._built:
            return self._built[index]
        from ib_desktop.ui.main_window import load_symbol

        cls = load_symbol(self._paths[index])
        if cls is None:
            widget: QWidget = QLabel(self.tr("Dit onderdeel is nog niet beschikbaar."))
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        else:
            widget = cls(self.ctx, self.nav, self)
        title = self.tabs.tabText(index)
        old = self.tabs.widget(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, title)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        old.deleteLater()
        self._built[index] = widget
        return widget

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if index >= 0:
            self._build(index)

    # ------------------------------------------------------------------ unsaved changes
    def unsaved_tabs(self) -> list[tuple[str, QWidget]]:
        """The tabs with edits that are not saved yet."""
        out = []
        for index, widget in self._built.items():
            check = getattr(widget, "has_unsaved_changes", None)
            if check is not None and check():
                out.append((self.tabs.tabText(index), widget))
        return out

    def has_unsaved_changes(self) -> bool:
        """True when any tab has unsaved edits."""
        return bool(self.unsaved_tabs())

    def confirm_close(self) -> bool:
        """Ask what to do with unsaved settings; False when the user wants to stay."""
        dirty = self.unsaved_tabs()
        if not dirty:
            return True
        names = ", ".join(f"'{title}'" for title, _w in dirty)
        answer = QMessageBox.question(
            self,
            APP_NAME,
            self.tr("De instellingen %s hebben wijzigingen die nog niet zijn opgeslagen. Opslaan?")
            % names,
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            for _title, widget in dirty:
                if not widget.save():  # type: ignore[attr-defined]
                    self.tabs.setCurrentWidget(widget)
                    if hasattr(self.nav, "show_page"):
                        self.nav.show_page("instellingen")
                    return False
            return True
        if answer == QMessageBox.StandardButton.Discard:
            for _title, widget in dirty:
                widget.discard()  # type: ignore[attr-defined]
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Before the main window closes, make sure no setting is dropped silently."""
        if watched is self.nav and event.type() == QEvent.Type.Close and not self.confirm_close():
            event.ignore()
            return True
        return False
