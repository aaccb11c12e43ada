"""Instellingen > Back-ups: the folder, the list of backups, a backup or restore right now."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QUrl,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import backup as bk
from ib_desktop.ui.backup.actions import make_backup_interactively, restore_chosen
from ib_desktop.ui.backup.table import load_backups, make_backup_view, selected_backup
from ib_desktop.ui.backup.texts import describe_counts, moment

log = logging.getLogger(__name__)


class BackupSettingsTab(QWidget):
    """Instellingen > Back-ups: the folder, the list, and a backup right now."""

    def __init__(self, ctx: Any, nav: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        server = ctx.db.path is None

        folder_box = QGroupBox(self.tr("Back-upmap"))
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName(self.tr("Back-upmap"))
        self.change_button = QPushButton(self.tr("Wijzigen…"))
        self.default_button = QPushButton(self.tr("Standaardmap"))
        self.open_button = QPushButton(self.tr("Map openen"))
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.change_button)
        row.addWidget(self.default_button)
        row.addWidget(self.open_button)
        hint = QLabel(
            self.tr(
                "Kies bij voorkeur een map buiten deze laptop, zoals een netwerkmap van de school "
                "of een versleutelde USB-stick. IB Desktop maakt een back-up bij het openen en "
                "daarna elke dag, en bewaart de nieuwste van de laatste 7 dagen, 4 weken en 12 "
                "maanden. Back-ups die u zelf maakt blijven bewaard tot u ze verwijdert."
            )
        )
        hint.setWordWrap(True)
        self.space_label = QLabel()
        folder_lay = QVBoxLayout(folder_box)
        folder_lay.addLayout(row)
        folder_lay.addWidget(self.space_label)
        folder_lay.addWidget(hint)

        list_box = QGroupBox(self.tr("Back-ups van deze database"))
        self.view, self.model, self.proxy = make_backup_view(self)
        self.backup_button = QPushButton(self.tr("Nu back-up maken"))
        self.restore_button = QPushButton(self.tr("Terugzetten…"))
        self.delete_button = QPushButton(self.tr("Verwijderen…"))
        self.refresh_button = QPushButton(self.tr("Vernieuwen"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        list_lay = QVBoxLayout(list_box)
        list_lay.addWidget(self.view)
        list_lay.addLayout(buttons)

        self.server_label = QLabel(
            self.tr(
                "Deze database staat op een PostgreSQL-server. Back-ups daarvan maakt de "
                "beheerder van de server (de IT-partner van het schoolbestuur), met pg_dump of de "
                "back-ups van de server zelf. IB Desktop maakt en herstelt alleen back-ups van "
                "een database-bestand."
            )
        )
        self.server_label.setWordWrap(True)
        self.server_label.setVisible(server)

        lay = QVBoxLayout(self)
        lay.addWidget(self.server_label)
        lay.addWidget(folder_box)
        lay.addWidget(list_box, 1)
        folder_box.setEnabled(not server)
        list_box.setEnabled(not server)

        self.change_button.clicked.connect(self._on_change_folder)
        self.default_button.clicked.connect(self._on_default_folder)
        self.open_button.clicked.connect(self._on_open_folder)
        self.backup_button.clicked.connect(self._on_backup)
        self.restore_button.clicked.connect(self._on_restore)
        self.delete_button.clicked.connect(self._on_delete)
        self.refresh_button.clicked.connect(self.reload)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view, self._on_delete)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        order = [
            self.change_button, self.default_button, self.open_button, self.view,
            self.backup_button, self.restore_button, self.delete_button, self.refresh_button,
        ]  # fmt: skip
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if not server:
            self.reload()
        self._on_selection()

    def reload(self) -> None:
        """Read the folder and the backups again."""
        if self.ctx.db.path is None:
            return
        folder = bk.backup_folder()
        self.folder_edit.setText(str(folder))
        self.default_button.setEnabled(folder != bk.default_backup_folder())
        free = bk.folder_free_space(folder) if folder.is_dir() else None
        if not folder.is_dir() and folder != bk.default_backup_folder():
            self.space_label.setText(
                self.tr(
                    "Deze map is nu niet bereikbaar (is de USB-stick of netwerkmap aangesloten?)."
                )
            )
            self.space_label.setStyleSheet("color: #b00020;")
        else:
            self.space_label.setStyleSheet("")
            self.space_label.setText(
                self.tr("Vrije ruimte: %s") % bk.format_size(free) if free is not None else ""
            )
        self.model.set_backups(load_backups(folder, self.ctx.db.path.stem))
        self._on_selection()

    @Slot()
    def _on_selection(self) -> None:
        has = selected_backup(self.view) is not None
        self.restore_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    @Slot()
    def _on_change_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Back-upmap kiezen"), self.folder_edit.text()
        )
        if not chosen:
            return
        try:
            bk.set_backup_folder(Path(chosen))
        except bk.BackupError as exc:
            QMessageBox.warning(self, self.tr("Back-upmap"), str(exc))
            return
        self.reload()

    @Slot()
    def _on_default_folder(self) -> None:
        bk.set_backup_folder(None)
        self.reload()

    @Slot()
    def _on_open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder_edit.text()))

    @Slot()
    def _on_backup(self) -> None:
        make_backup_interactively(self.ctx, self)
        self.reload()

    @Slot()
    def _on_restore(self) -> None:
        info = selected_backup(self.view)
        if info is None:
            return
        if info.counts is None:
            QMessageBox.warning(
                self,
                self.tr("Back-up terugzetten"),
                self.tr("Deze back-up kan niet worden gebruikt: %s") % (info.problem or ""),
            )
            return
        restore_chosen(self.ctx, self.nav, self, info)
        self.reload()

    @Slot()
    def _on_delete(self) -> None:
        info = selected_backup(self.view)
        if info is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Back-up verwijderen"),
            self.tr("De back-up van %s (%s) definitief verwijderen?")
            % (moment(info.created), describe_counts(info)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            info.path.unlink()
            Path(str(info.path) + ".keys").unlink(missing_ok=True)  # an encrypted one's key file
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Back-up verwijderen"),
                self.tr("Verwijderen lukte niet: %s") % (exc.strerror or exc),
            )
        self.reload()
