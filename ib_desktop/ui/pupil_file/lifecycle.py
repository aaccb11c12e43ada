"""Leaving school, coming back and deleting the file, as actions of the pupil file window.

The dialogs themselves live in :mod:`ib_desktop.ui.pupil_file.lifecycle_dialogs`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QMessageBox,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.services import pupil as pf
from ib_desktop.ui.pupil_file.form_helpers import (
    ask_unsaved,
    confirm,
)
from ib_desktop.ui.pupil_file.lifecycle_dialogs import DeleteFileDialog, LeaveSchoolDialog
from ib_desktop.validation import ConcurrentEditError, ValidationErrors


class LifecycleMixin:
    """Leerling vertrekt, Terugzetten naar actief, Dossier verwijderen.

    Unsaved personal data is saved or thrown away first (``save``, ``_set_dirty`` and the recovery
    ``guard`` of ``personal_tab``); after a change the window reloads and tells the others.
    """

    # -------------------------------------------------------------- leaving and returning
    def _ask_save_first(self, what: str) -> bool:
        """Unsaved personal data must be saved (or thrown away) before ``what``."""
        if not self._dirty:
            return True
        answer = ask_unsaved(
            self, QCoreApplication.translate("PupilFileWindow", "de persoonsgegevens")
        )
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
                QCoreApplication.translate(
                    "PupilFileWindow", "Vertrek vastgelegd; het dossier wordt bewaard tot %s."
                )
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
            QCoreApplication.translate("PupilFileWindow", "Terugzetten naar actief"),
            QCoreApplication.translate(
                "PupilFileWindow",
                "%s weer als actieve leerling inschrijven? Het vertrek wordt teruggedraaid en "
                "het dossier kan weer worden gewijzigd. Dit wordt in de geschiedenis "
                "vastgelegd.",
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
                QCoreApplication.translate(
                    "PupilFileWindow",
                    "Het dossier is verwijderd. Er is vastgelegd dat dit is gebeurd.",
                ),
            )
            self.close()
