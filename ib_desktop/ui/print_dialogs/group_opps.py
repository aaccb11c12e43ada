"""Afdrukken > OPP's van een groep: every OPP of a group, previewed as one PDF or saved as files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.permissions import reads_restricted
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.print_dialogs.common import (
    FOLDER_SETTING,
    _groups_and_staff,
    _opp_count,
    _report_failed,
)
from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ib_desktop.ui.widgets.view_logging import PRINTED, account_role, log_views


@dataclass(frozen=True)
class GroupOppsChoice:
    """The group whose OPPs are printed, and how."""

    group_id: int
    group_name: str
    to_folder: bool = False
    include_sensitive: bool = False


class GroupOppsDialog(QDialog):
    """Asks for the group and whether to make one PDF or a file per pupil."""

    def __init__(self, groups: list[tuple[int, str, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OPP's van een groep afdrukken"))
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("groupCombo")
        first_with = -1
        for gid, name, n in groups:
            text = self.tr("Groep %s (%s)") % (
                name,
                _opp_count(n),
            )
            self.group_combo.addItem(text, (gid, name, n))
            if n and first_with < 0:
                first_with = self.group_combo.count() - 1
        if first_with >= 0:
            self.group_combo.setCurrentIndex(first_with)
        self.one_file = QRadioButton(
            self.tr("Eén PDF met alle OPP's (voorbeeld, afdrukken, opslaan)"), self
        )
        self.to_folder = QRadioButton(self.tr("Eén bestand per leerling in een map…"), self)
        self.one_file.setChecked(True)
        self.sensitive = QCheckBox(
            self.tr("Ook vertrouwelijke onderzoeken afdrukken (medisch, psychologisch)"), self
        )
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5f6368;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Maken"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        form = QFormLayout()
        form.addRow(self.tr("&Groep:"), self.group_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.one_file)
        layout.addWidget(self.to_folder)
        layout.addWidget(self.sensitive)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.group_combo.currentIndexChanged.connect(self._on_group_changed)
        self._on_group_changed(self.group_combo.currentIndex())

    @classmethod
    def get_choice(cls, parent: QWidget | None, ctx: AppContext) -> GroupOppsChoice | None:
        """Run the dialog; the choice, or None when cancelled."""
        groups, _staff = _groups_and_staff(ctx)
        dialog = cls(groups, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.choice()
        finally:
            dialog.deleteLater()

    def choice(self) -> GroupOppsChoice | None:
        """What the fields say now (None without groups)."""
        data = self.group_combo.currentData()
        if data is None:
            return None
        gid, name, _n = data
        return GroupOppsChoice(gid, name, self.to_folder.isChecked(), self.sensitive.isChecked())

    @Slot(int)
    def _on_group_changed(self, _index: int) -> None:
        data = self.group_combo.currentData()
        n = data[2] if data else 0
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(n > 0)
        self.hint.setText(
            self.tr("In deze groep loopt geen OPP.")
            if data and n == 0
            else self.tr("Alleen lopende OPP's, steeds de nieuwste versie.")
        )


def build_group_opps(
    ctx: AppContext, parent: QWidget | None, choice: GroupOppsChoice
) -> list[tuple[Any, bytes]] | None:
    """Every running OPP of the group, pupil by pupil with progress; None when cancelled."""
    from ib_desktop.reports import batch

    with ctx.db.session() as s:
        items = batch.group_items(s, choice.group_id, "opp")
    if not items:
        QMessageBox.information(
            parent,
            APP_NAME,
            QCoreApplication.translate("print_dialogs", "In groep %s loopt geen OPP.")
            % choice.group_name,
        )
        return None
    dialog = QProgressDialog(
        QCoreApplication.translate("print_dialogs", "OPP's maken…"),
        QCoreApplication.translate("print_dialogs", "Annuleren"),
        0,
        len(items),
        parent,
    )
    dialog.setWindowTitle(APP_NAME)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)

    def before_each(n: int, item: Any) -> bool:
        dialog.setValue(n)
        dialog.setLabelText(
            QCoreApplication.translate("print_dialogs", "OPP van %s (%d van %d)…")
            % (item.pupil_name, n + 1, len(items))
        )
        QApplication.processEvents()
        return not dialog.wasCanceled()

    # A role that may not read sensitive reports never prints them, whatever the box says.
    include_sensitive = choice.include_sensitive and reads_restricted(account_role(ctx))

    def build(item: Any) -> bytes:
        with ctx.db.session() as s:
            pdf = batch.build_one(
                s,
                "opp",
                item.record_id,
                today=ctx.today(),
                include_sensitive=include_sensitive,
            )
            log_views(s, ctx, [item.pupil_id], PRINTED, f"OPP (groep {choice.group_name})")
            return pdf

    try:
        # One broken document must not sink the batch: it is named, and the rest is printed.
        result = batch.build_all(items, build, before_each=before_each)
        if result.cancelled:
            return None
        dialog.setValue(len(items))
        QApplication.processEvents()
        if dialog.wasCanceled():
            return None
    finally:
        dialog.close()
        dialog.deleteLater()
    if result.failed:
        lines = "\n".join(f"• {f.item.pupil_name}: {f.reason}" for f in result.failed)
        QMessageBox.warning(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "print_dialogs", "Deze OPP's konden niet worden gemaakt; de andere wel:\n\n%s"
            )
            % lines,
        )
    return result.done


def group_opps_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Menu "Afdrukken > OPP's van een groep…"."""
    from ib_desktop.reports import ReportNotFoundError, batch

    choice = GroupOppsDialog.get_choice(parent, ctx)
    if choice is None:
        return
    folder: Path | None = None
    if choice.to_folder:
        settings = QSettings()
        start = settings.value(FOLDER_SETTING) or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(
            parent, QCoreApplication.translate("print_dialogs", "Map kiezen voor de OPP's"), start
        )
        if not chosen:
            return
        folder = Path(chosen)
        settings.setValue(FOLDER_SETTING, str(folder))
    try:
        results = build_group_opps(ctx, parent, choice)
    except ReportNotFoundError as exc:
        _report_failed(parent, exc)
        return
    if results is None:
        return
    if folder is None:
        pdf = batch.combine((item.pupil_name, data) for item, data in results)
        PdfPreviewDialog.preview(
            parent,
            pdf,
            QCoreApplication.translate("print_dialogs", "OPP's groep %s") % choice.group_name,
            f"OPP's groep {choice.group_name}",
        )
        return
    names = batch.file_names("opp", [item for item, _ in results])
    existing = [
        names[item.pupil_id] for item, _ in results if (folder / names[item.pupil_id]).exists()
    ]
    if existing:
        answer = QMessageBox.question(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "print_dialogs",
                "In deze map staan al %d bestand(en) met dezelfde naam, zoals '%s'. Vervangen?",
            )
            % (len(existing), existing[0]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
    try:
        for item, data in results:
            batch.write_atomic(folder / names[item.pupil_id], data)
    except OSError as exc:
        QMessageBox.warning(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "print_dialogs", "De bestanden konden niet worden opgeslagen in '%s': %s"
            )
            % (str(folder), exc.strerror or str(exc)),
        )
        return
    QMessageBox.information(
        parent,
        APP_NAME,
        QCoreApplication.translate("print_dialogs", "%s opgeslagen in %s.")
        % (_opp_count(len(results)), str(folder)),
    )
