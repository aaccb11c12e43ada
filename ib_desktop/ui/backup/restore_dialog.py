"""The dialog that picks the backup to put back (from the backup folder or another file)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import backup as bk
from ib_desktop.ui.backup.table import load_backups, make_backup_view, selected_backup
from ib_desktop.ui.widgets.window_size import size_window

log = logging.getLogger(__name__)


class RestoreDialog(QDialog):
    """Choose the backup to put back; lists date, kind, size, pupils and documents."""

    def __init__(
        self, folder: Path, stem: str, parent: QWidget | None = None, *, damaged: bool = False
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.stem = stem
        self.chosen: bk.BackupInfo | None = None
        self.setWindowTitle(self.tr("Back-up terugzetten"))
        size_window(self, "backup.RestoreDialog", 760, 440)
        intro = QLabel(
            self.tr(
                "Kies de back-up die u wilt terugzetten. De huidige database wordt eerst zelf als "
                "back-up bewaard, zodat u het terugzetten ongedaan kunt maken. Wat na de gekozen "
                "back-up is ingevoerd, staat daarna niet meer in de database."
            )
            if not damaged
            else self.tr(
                "Kies de back-up die u wilt terugzetten. De beschadigde database wordt niet "
                "overschreven maar opzij gezet en bewaard."
            )
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.view, self.model, self.proxy = make_backup_view(self)
        self.empty_label = QLabel(self.tr("Er zijn nog geen back-ups in deze map."))
        self.empty_label.setStyleSheet("color: palette(mid);")
        self.other_button = QPushButton(self.tr("Ander bestand…"))
        self.other_button.setAutoDefault(False)
        self.other_button.setToolTip(
            self.tr("Een back-up uit een andere map kiezen, bijvoorbeeld van een USB-stick")
        )
        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            self.tr("Terugzetten…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        self.buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore)
        self.other_button.clicked.connect(self._on_other)
        self.view.doubleClicked.connect(lambda _i: self._on_restore())
        bottom = QHBoxLayout()
        bottom.addWidget(self.other_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.folder_label)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.empty_label)
        lay.addLayout(bottom)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.reload()
        self.view.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Start in the list, so arrow keys choose and Enter restores."""
        super().showEvent(event)
        QTimer.singleShot(0, self.view.setFocus)

    def reload(self) -> None:
        """Read the backup folder again."""
        self.folder_label.setText(self.tr("Back-upmap: %s") % self.folder)
        self.model.set_backups(load_backups(self.folder, self.stem))
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if self.proxy.rowCount() > 0:
            self.view.selectRow(0)
        self._on_selection()

    @Slot()
    def _on_selection(self) -> None:
        self.restore_button.setEnabled(selected_backup(self.view) is not None)

    @Slot()
    def _on_restore(self) -> None:
        info = selected_backup(self.view)
        if info is None:
            return
        if info.counts is None:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("Deze back-up kan niet worden gebruikt: %s")
                % (info.problem or self.tr("onleesbaar")),
            )
            return
        self.chosen = info
        self.accept()

    @Slot()
    def _on_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Back-up kiezen"),
            str(self.folder),
            self.tr("IB Desktop-back-up (*.sqlite *.db);;Alle bestanden (*)"),
        )
        if not path:
            return
        chosen = Path(path)
        info = bk.describe(chosen)
        if info is None:
            try:
                counts = bk.read_counts(chosen)
                problem = None
            except Exception as exc:  # noqa: BLE001 - shown to the user
                counts, problem = None, str(exc)
            stat = chosen.stat()
            info = bk.BackupInfo(
                chosen,
                datetime.fromtimestamp(stat.st_mtime),
                bk.MANUAL,
                stat.st_size,
                counts,
                problem,
            )
        if info.counts is None:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("Dit bestand is geen bruikbare back-up van IB Desktop: %s")
                % (info.problem or self.tr("onleesbaar")),
            )
            return
        self.chosen = info
        self.accept()

    @classmethod
    def choose(
        cls, parent: QWidget | None, folder: Path, stem: str, *, damaged: bool = False
    ) -> bk.BackupInfo | None:
        """Run the dialog; the chosen backup, or None."""
        dialog = cls(folder, stem, parent, damaged=damaged)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.chosen
            return None
        finally:
            dialog.deleteLater()
