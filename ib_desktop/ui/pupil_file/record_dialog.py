"""The base of the pupil file's small edit dialogs: a form, errors beside fields, Opslaan.

Each dialog is self-contained (its own short session, no navigator needed), so the OPP editor can
reuse them to complete parts 1-3 without leaving the OPP. :meth:`RecordDialog.edit` runs one and
returns the saved id or None; a change someone else saved in between is shown in the conflict
dialog instead of silently overwritten. Bad input is shown in Dutch right under the field;
cancelling with changes asks first.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.services import pupil as pf
from ib_desktop.services.versioned import EditConflict
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.pupil_file.form_helpers import (
    confirm,
    make_read_only,
    show_problems,
    widget_state,
)
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, ConflictDialog
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors


class RecordDialog(QDialog):
    """Base of the small edit dialogs: a form, errors beside fields, Opslaan/Annuleren."""

    savedRecord = Signal(int)  # noqa: N815 - Qt naming

    #: Window titles and what the dialog is about, marked with
    #: ``QT_TRANSLATE_NOOP("RecordDialog", ...)`` and translated when shown.
    TITLE_NEW: ClassVar[str] = ""
    TITLE_EDIT: ClassVar[str] = ""
    WHAT: ClassVar[str] = QT_TRANSLATE_NOOP("RecordDialog", "deze gegevens")
    ID_NAME: ClassVar[str] = "record_id"

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        pupil_id: int,
        record_id: int | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.record_id = record_id
        self.read_only = read_only
        self.saved_id: int | None = None
        #: The record's version as loaded: the save hands it back, so a change someone else
        #: saved in between is shown instead of silently overwritten.
        self.loaded_version: int | None = None
        self.errors = ErrorMap()
        self.setWindowTitle(
            QCoreApplication.translate(
                "RecordDialog", self.TITLE_EDIT if record_id else self.TITLE_NEW
            )
        )
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.buttons = QDialogButtonBox()
        if read_only:
            close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setText(QCoreApplication.translate("RecordDialog", "Sluiten"))
            self.buttons.rejected.connect(self.reject)
        else:
            self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
            self.save_button.setText(QCoreApplication.translate("RecordDialog", "Opslaan"))
            self.save_button.setDefault(True)
            cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText(QCoreApplication.translate("RecordDialog", "Annuleren"))
            self.buttons.accepted.connect(self.accept)
            self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._build()
        self._initial: Any = None

    # -------------------------------------------------------------- for subclasses
    def _build(self) -> None:
        raise NotImplementedError

    def _load(self, session: Any) -> Any:
        """The record's data (called only when editing)."""
        raise NotImplementedError

    def _default(self) -> Any:
        raise NotImplementedError

    def _fill(self, data: Any) -> None:
        raise NotImplementedError

    def _collect(self, errors: dict[str, str]) -> Any:
        """The data in the fields; unreadable input goes into ``errors``."""
        raise NotImplementedError

    def _store(self, session: Any, data: Any) -> int:
        raise NotImplementedError

    # -------------------------------------------------------------- helpers
    def row(self, label: str, name: str, widget: QWidget) -> QWidget:
        """Add a labelled field whose errors show under it."""
        wrapper = self.errors.wrap(name, widget)
        lbl = QLabel(label)
        lbl.setBuddy(widget)
        self.form.addRow(lbl, wrapper)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        return widget

    def date_value(self, field: DateField, name: str, errors: dict[str, str]) -> date | None:
        """The date of a field; a Dutch message in ``errors`` when the text is no date."""
        try:
            return field.value()
        except ValueError as exc:
            errors[name] = str(exc)
            return None

    def _state(self) -> Any:
        return [widget_state(w.field) for w in self.errors.fields.values()]

    def load(self) -> bool:
        """Fill the fields; False (after telling the user) when the record is gone."""
        try:
            if self.record_id is None:
                data = self._default()
            else:
                with self.ctx.db.session() as s:
                    data = self._load(s)
        except pf.RecordGoneError as exc:
            QMessageBox.warning(self.parentWidget(), APP_NAME, str(exc))
            return False
        self.loaded_version = getattr(data, "version", None)
        self._fill(data)
        if getattr(data, "restricted", False):
            self._show_restricted()
        if self.read_only:
            for w in self.errors.fields.values():
                make_read_only(w.field, True)
        self._initial = self._state()
        return True

    def _show_restricted(self) -> None:
        """A record the person may not read: its fields shown read-only, with the reason.

        The services blanked the content (issue 19); nothing here can save the blanks back.
        """
        self.read_only = True
        save = getattr(self, "save_button", None)
        if save is not None:
            save.hide()
            for button in self.buttons.buttons():
                if button is not save:
                    button.setText(QCoreApplication.translate("RecordDialog", "Sluiten"))
        self.note.setText(
            QCoreApplication.translate(
                "RecordDialog",
                "<b>Vertrouwelijk.</b> Dit verslag of deze aantekening is alleen te lezen voor de "
                "intern begeleider en de directie. U ziet dat het bestaat, niet wat erin staat.",
            )
        )
        self.note.setObjectName("restricted-note")
        self.note.show()

    def is_dirty(self) -> bool:
        """True when a field differs from what was loaded."""
        return not self.read_only and self._state() != self._initial

    # -------------------------------------------------------------- slots
    @Slot()
    def accept(self) -> None:
        """Validate and save in one short session; stay open on bad input."""
        if self.read_only:
            super().reject()
            return
        errors: dict[str, str] = {}
        data = self._collect(errors)
        if errors:
            show_problems(self.errors, errors)
            return
        if hasattr(data, "version"):
            data.version = self.loaded_version
        saved = self._save(data)
        if saved is None:
            return
        self.saved_id = saved
        self.savedRecord.emit(saved)
        super().accept()

    def _save(self, data: Any) -> int | None:
        """Store ``data`` in a short session; None when it was not saved (the reason shown).

        A conflict with someone else's save asks which version stays: mine saves again over
        theirs, theirs closes the dialog without saving, "edit" goes back to the fields.
        """
        while True:
            try:
                with self.ctx.db.session() as s:
                    return self._store(s, data)
            except ValidationErrors as exc:
                for message in show_problems(self.errors, exc.errors):
                    QMessageBox.warning(self, APP_NAME, message)
                return None
            except EditConflict as conflict:
                choice = ConflictDialog.choose(self, conflict)
                if choice is ConflictChoice.MINE and conflict.current_version is not None:
                    # On purpose: save again over the version the other person saved.
                    data.version = self.loaded_version = conflict.current_version
                    continue
                if choice is ConflictChoice.THEIRS:
                    # The other version stays; the caller shows it when it reloads.
                    self.saved_id = self.record_id
                    super().accept()
                return None  # ConflictChoice.EDIT: back to the fields, nothing lost
            except (
                ReadOnlyError, pf.RecordGoneError, ConcurrentEditError, pf.RestrictedError
            ) as exc:
                QMessageBox.warning(self, APP_NAME, str(exc))
                return None

    @Slot()
    def reject(self) -> None:
        """Cancel; with unsaved changes only after the user agrees to throw them away."""
        if self.is_dirty() and not confirm(
            self,
            QCoreApplication.translate("RecordDialog", "Wijzigingen weggooien?"),
            QCoreApplication.translate(
                "RecordDialog",
                "U heeft %s gewijzigd maar nog niet opgeslagen. Wijzigingen weggooien?",
            )
            % QCoreApplication.translate("RecordDialog", self.WHAT),
        ):
            return
        super().reject()

    # -------------------------------------------------------------- entry points
    @classmethod
    def edit(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        pupil_id: int,
        record_id: int | None = None,
        **named_id: int | None,
    ) -> int | None:
        """Run the dialog (new record without an id); the saved id, or None.

        The id may also be named after the record (``guardian_id=``, ``care_id=``,
        ``entry_id=``, ``assessment_id=``, ``meeting_id=``), as the OPP editor calls it.
        """
        if named_id:
            if set(named_id) != {cls.ID_NAME}:
                raise TypeError(
                    f"{cls.__name__}.edit() takes {cls.ID_NAME}=, not {sorted(named_id)}"
                )
            record_id = named_id[cls.ID_NAME]
        dialog = cls(parent, ctx, pupil_id, record_id)
        if not dialog.load():
            return None
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.saved_id
        return None

    @classmethod
    def view(cls, parent: QWidget | None, ctx: AppContext, pupil_id: int, record_id: int) -> None:
        """Show a record without the possibility to change it (file of a pupil who left)."""
        dialog = cls(parent, ctx, pupil_id, record_id, read_only=True)
        if dialog.load():
            dialog.exec()
