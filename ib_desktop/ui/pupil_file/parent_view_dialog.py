"""Zienswijze ouders: the parents' own view added to a record of the file (issue 19).

Opened from a record tab ("Zienswijze ouders…") for the selected record; the views given
earlier are shown above the form, the new one is saved at once with its date and guardian.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QWidget

from ib_desktop.dates import long_date
from ib_desktop.services import pupil as pf
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.pupil_file.form_helpers import plain_edit
from ib_desktop.ui.pupil_file.record_dialog import RecordDialog
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.view_logging import account_role


class ParentViewDialog(RecordDialog):
    """Add the parents' view to one record: guardian, date, their words."""

    TITLE_NEW = QT_TRANSLATE_NOOP("RecordDialog", "Zienswijze ouders toevoegen")
    TITLE_EDIT = QT_TRANSLATE_NOOP("RecordDialog", "Zienswijze ouders wijzigen")
    WHAT = QT_TRANSLATE_NOOP("RecordDialog", "de zienswijze van de ouders")
    ID_NAME = "view_id"

    entity = ""
    entity_id = 0
    about = ""
    earlier: list[pf.ParentViewData]

    def _build(self) -> None:
        self.about_label = QLabel()
        self.about_label.setWordWrap(True)
        self.about_label.setObjectName("parent-view-about")
        self.form.addRow(self.about_label)
        self.guardian_combo = QComboBox()
        self.guardian_combo.addItem(self.tr("Kies de ouder/verzorger"), None)
        with self.ctx.db.session() as s:
            for gid, name in pf.guardian_choices(s, self.pupil_id):
                self.guardian_combo.addItem(name, gid)
        self.row(self.tr("&Van:"), "guardian_id", self.guardian_combo)
        self.date_edit = self.row(self.tr("&Datum:"), "given_on", DateField())
        self.text_edit = self.row(self.tr("&Zienswijze:"), "text", plain_edit(6))
        self.text_edit.setPlaceholderText(
            self.tr("In de woorden van de ouders: waar zij het mee eens of oneens zijn, en waarom")
        )

    def _default(self) -> pf.ParentViewData:
        return pf.ParentViewData(entity=self.entity, entity_id=self.entity_id)

    def _fill(self, data: pf.ParentViewData) -> None:
        earlier = "".join(
            f"<p><i>{v.guardian_name}, {long_date(v.given_on)}:</i> "
            f"{(v.text or self.tr('vertrouwelijk')).replace(chr(10), '<br>')}</p>"
            for v in self.earlier
        )
        self.about_label.setText(
            self.tr("Bij: <b>%s</b>") % self.about
            + (self.tr("<br>Eerder gegeven:") + earlier if earlier else "")
        )
        self.date_edit.set_value(data.given_on or self.ctx.today())

    def _collect(self, errors: dict[str, str]) -> pf.ParentViewData:
        return pf.ParentViewData(
            entity=self.entity,
            entity_id=self.entity_id,
            given_on=self.date_value(self.date_edit, "given_on", errors),
            guardian_id=self.guardian_combo.currentData(),
            text=self.text_edit.toPlainText(),
        )

    def _store(self, session: Any, data: pf.ParentViewData) -> int:
        return pf.save_parent_view(
            session,
            self.pupil_id,
            data,
            today=self.ctx.today(),
            actor=self.ctx.actor,
            role=account_role(self.ctx),
        )

    @classmethod
    def add_to(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        pupil_id: int,
        entity: str,
        record: Any,
        about: str,
        record_id: int | None = None,
    ) -> int | None:
        """Run the dialog for ``record`` of kind ``entity``; the new view's id, or None.

        ``record_id`` when the row names its record otherwise than ``id`` (a level step).
        """
        dialog = cls.__new__(cls)
        dialog.entity, dialog.about = entity, about
        dialog.entity_id = record_id if record_id is not None else record.id
        dialog.earlier = list(getattr(record, "parent_views", []))
        cls.__init__(dialog, parent, ctx, pupil_id)
        if not dialog.load():
            return None
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.saved_id
        return None
