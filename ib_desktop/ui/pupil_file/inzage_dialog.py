"""Inzage in the pupil file: the register of the parents' requests and the copy they receive.

The table lists the pupil's requests with their last day (red once late). A new request is
registered from the form under it (which guardian with gezag, received on); a selected one can
be extended by two months with a reason, or marked done. "Kopie maken (ZIP)…" writes the whole
file as PDF and JSON to a place the user chooses, optionally with a password.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import short_date
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.services.privacy import inzage
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.table_model import (
    Column,
    TableModel,
    proxy_for,
    select_source_row,
    selected_source_row,
    table_view,
)
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ValidationErrors

LATE_COLOR = "#b00020"
MIN_PASSWORD = 8


def _state(row: inzage.RequestRow) -> str:
    if row.done_on is not None:
        return QCoreApplication.translate("InzageModel", "afgehandeld %s") % short_date(row.done_on)
    if row.extended_on is not None:
        return QCoreApplication.translate("InzageModel", "verlengd")
    return QCoreApplication.translate("InzageModel", "open")


class InzageModel(TableModel):
    """The pupil's requests; the last day in red when an open request is late."""

    TR_CONTEXT = "InzageModel"
    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("InzageModel", "Ontvangen"),
            lambda r: short_date(r.received_on),
            lambda r: r.received_on,
        ),
        Column(QT_TRANSLATE_NOOP("InzageModel", "Door"), lambda r: r.requested_by),
        Column(
            QT_TRANSLATE_NOOP("InzageModel", "Uiterlijk"),
            lambda r: short_date(r.due_on),
            lambda r: r.due_on,
        ),
        Column(
            QT_TRANSLATE_NOOP("InzageModel", "Stand"), _state, tooltip=lambda r: r.extension_reason
        ),
    )

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today

    def extra_data(self, item: inzage.RequestRow, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and item.is_late(self.today):
            return QBrush(QColor(LATE_COLOR))
        return None


class InzageDialog(QDialog):
    """The register and the export for one pupil."""

    def __init__(
        self, ctx: AppContext, pupil_id: int, pupil_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.pupil_name = pupil_name
        self.errors = ErrorMap()
        self.setWindowTitle(self.tr("Inzage – %s") % pupil_name)
        self.setObjectName("inzage-dialog")
        size_window(self, "pupil_file.InzageDialog", 760, 560)

        intro = QLabel(
            self.tr(
                "Ouders met gezag hebben recht op inzage in het dossier (AVG artikel 15). "
                "Beantwoord een verzoek binnen een maand; bij een ingewikkeld verzoek mag de "
                "termijn één keer met twee maanden worden verlengd, met een reden."
            )
        )
        intro.setWordWrap(True)
        self.model = InzageModel(ctx.today(), self)
        self.view = table_view(proxy_for(self.model, self), name=self.tr("Inzageverzoeken"))
        self.view.setMinimumHeight(140)

        self.extend_button = QPushButton(self.tr("Termijn &verlengen…"))
        self.done_button = QPushButton(self.tr("&Afgehandeld"))
        self.export_button = QPushButton(self.tr("&Kopie maken (ZIP)…"))
        self.export_button.setToolTip(
            self.tr("Het hele dossier als leesbare PDF en als JSON, in één ZIP (Ctrl+E)")
        )
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.extend_button)
        row_buttons.addWidget(self.done_button)
        row_buttons.addStretch(1)
        row_buttons.addWidget(self.export_button)

        self.guardian_box = QComboBox()
        self.guardian_box.setAccessibleName(self.tr("Ouder of verzorger met gezag"))
        self.received_field = DateField(ctx.today(), required=True, today=ctx.today)
        self.add_button = QPushButton(self.tr("Verzoek &registreren"))
        form = QFormLayout()
        form.addRow(self.tr("Door (met gezag):"), self.errors.wrap("guardian", self.guardian_box))
        form.addRow(self.tr("Ontvangen op:"), self.errors.wrap("received_on", self.received_field))
        form.addRow("", self.add_button)
        new_box = QGroupBox(self.tr("Nieuw verzoek"))
        new_box.setLayout(form)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(new_box)
        layout.addWidget(close)

        self.add_button.clicked.connect(self._on_add)
        self.extend_button.clicked.connect(self._on_extend)
        self.done_button.clicked.connect(self._on_done)
        self.export_button.clicked.connect(self._on_export)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        QShortcut(QKeySequence("Ctrl+E"), self, self._on_export)
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self, select_id: int | None = None) -> None:
        """Read the requests and the guardians with gezag again."""
        with self.ctx.db.session() as s:
            rows = inzage.pupil_requests(s, self.pupil_id)
            guardians = inzage.custody_guardians(s, self.pupil_id)
        self.model.set_rows(rows)
        self.guardian_box.clear()
        for guardian_id, name in guardians:
            self.guardian_box.addItem(name, guardian_id)
        self.add_button.setEnabled(bool(guardians))
        if not guardians:
            self.errors.show({"guardian": self.tr("Er staat geen ouder met gezag in het dossier.")})
        if select_id is not None:
            select_source_row(self.view, self.model.row_of(select_id))
        self._update_buttons()

    def selected(self) -> inzage.RequestRow | None:
        """The request selected in the table."""
        row = selected_source_row(self.view)
        return self.model.row_at(row) if row >= 0 else None

    @Slot()
    def _update_buttons(self) -> None:
        row = self.selected()
        self.extend_button.setEnabled(
            row is not None
            and row.is_open
            and row.extended_on is None
            and self.ctx.today() <= inzage.due_date(row.received_on)  # within the first month
        )
        self.done_button.setEnabled(row is not None and row.is_open)

    # ------------------------------------------------------------------ actions
    @Slot()
    def _on_add(self) -> None:
        self.errors.clear()
        problem = self.received_field.problem()
        if problem:
            self.errors.show({"received_on": problem})
            return
        try:
            with self.ctx.db.session() as s:
                row = inzage.add_request(
                    s,
                    self.pupil_id,
                    self.guardian_box.currentData(),
                    self.received_field.value(),
                    today=self.ctx.today(),
                )
        except ValidationErrors as exc:
            for message in self.errors.show(exc.errors):
                QMessageBox.warning(self, self.tr("Inzage"), message)
            return
        self.reload(select_id=row.id)

    @Slot()
    def _on_extend(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("Termijn verlengen"),
            self.tr("Waarom is meer tijd nodig? (De termijn wordt %s.)")
            % short_date(inzage.due_date(row.received_on, extended=True)),
        )
        if not ok:
            return
        self._save(
            lambda s: inzage.extend_request(
                s,
                row.id,
                reason,
                extended_on=self.ctx.today(),
                today=self.ctx.today(),
                expected_version=row.version,
            )
        )

    @Slot()
    def _on_done(self) -> None:
        row = self.selected()
        if row is None:
            return
        self._save(
            lambda s: inzage.complete_request(
                s, row.id, self.ctx.today(), today=self.ctx.today(), expected_version=row.version
            )
        )

    def _save(self, write) -> None:  # noqa: ANN001 - a callable taking the session
        try:
            with self.ctx.db.session() as s:
                result = write(s)
        except (ValidationErrors, RuntimeError) as exc:
            errors = exc.errors if isinstance(exc, ValidationErrors) else {"": str(exc)}
            QMessageBox.warning(self, self.tr("Inzage"), "\n".join(errors.values()))
            self.reload()
            return
        self.reload(select_id=result.id)

    @Slot()
    def _on_export(self) -> None:
        default = Path.home() / f"inzage {self.pupil_name}.zip"
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Kopie van het dossier opslaan"), str(default), self.tr("ZIP (*.zip)")
        )
        if not name:
            return
        target = Path(name if name.lower().endswith(".zip") else name + ".zip")
        password = PasswordDialog.get_password(self)
        if password is False:
            return
        from ib_desktop.inzage_export import export_inzage

        try:
            result = export_inzage(
                self.ctx.db,
                self.pupil_id,
                target,
                password=password or None,
                today=self.ctx.today(),
            )
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Inzage"),
                self.tr("De kopie kon niet worden opgeslagen in %s (%s). Kies een andere plek.")
                % (target.parent, exc.strerror or exc),
            )
            return
        QMessageBox.information(
            self,
            self.tr("Inzage"),
            self.tr("De kopie is opgeslagen: %s (%d gegevens). Alleen u kunt het bestand lezen.")
            % (os.fspath(result.path), result.rows),
        )


class PasswordDialog(QDialog):
    """Ask whether the ZIP gets a password, and which (typed twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Wachtwoord voor de ZIP"))
        self.use = QCheckBox(self.tr("Met een &wachtwoord beveiligen (aanbevolen)"))
        self.use.setChecked(True)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {LATE_COLOR};")
        self.message.setWordWrap(True)
        hint = QLabel(
            self.tr(
                "Geef het wachtwoord apart aan de ouders (niet in dezelfde e-mail). Openen kan "
                "met 7-Zip of de Archiefhulp van macOS."
            )
        )
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.use)
        form.addRow(self.tr("Wachtwoord:"), self.first)
        form.addRow(self.tr("Nog een keer:"), self.second)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.use.toggled.connect(self.first.setEnabled)
        self.use.toggled.connect(self.second.setEnabled)

    @Slot()
    def _on_ok(self) -> None:
        if self.use.isChecked():
            if len(self.first.text()) < MIN_PASSWORD:
                self.message.setText(
                    self.tr("Kies een wachtwoord van minstens %d tekens.") % MIN_PASSWORD
                )
                self.first.setFocus()
                return
            if self.first.text() != self.second.text():
                self.message.setText(self.tr("De twee wachtwoorden zijn niet gelijk."))
                self.second.setFocus()
                return
        self.accept()

    def password(self) -> str:
        """The chosen password, empty for none."""
        return self.first.text() if self.use.isChecked() else ""

    @classmethod
    def get_password(cls, parent: QWidget | None = None) -> str | bool:
        """The password ("" for none), or False when cancelled."""
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return dialog.password()
