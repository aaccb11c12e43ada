"""Part 7: youth care, Wlz and health insurance, the agreements and who leads."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import PART_FIELDS, OppPart
from ib_desktop.ui.opp.common import prose
from ib_desktop.ui.opp.parts.base import NotApplicableBox, PartPage


class CarePage(PartPage):
    """Part 7: youth care, Wlz and health insurance, the agreements and who leads."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.na = NotApplicableBox(
            self.tr("Niet van toepassing (geen zorg of hulp buiten school)"),
            self.tr("er is geen jeugdhulp, Wlz-zorg of zorg uit de zorgverzekering"),
        )
        self.watch(self.na.check)
        self.watch(self.na.reason)
        self.na.toggled.connect(self._on_na_toggled)
        self.form.addWidget(self.na)
        self.fields: dict[str, QWidget] = {}
        self.fields_box = QWidget()
        box = QVBoxLayout(self.fields_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        for name, label in PART_FIELDS["zorg"]:
            if name == "lead_by":
                edit: QWidget = self.watch(QLineEdit())
                edit.setPlaceholderText(
                    self.tr("Bijv. de IB-er, het sociaal wijkteam of de jeugdconsulent")
                )  # type: ignore[attr-defined]
            else:
                edit = self.watch(prose(min_lines=2))
            self.fields[name] = edit
            box.addWidget(self.labelled(label, edit, name=name))
        self.form.addWidget(self.fields_box)
        self.form.addStretch(1)

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        reason = svc.not_applicable_reason(data.coordination)
        self.na.set_state(reason)
        for name, edit in self.fields.items():
            value = getattr(data, name)
            if name == "coordination" and reason is not None:
                value = ""
            if isinstance(edit, QLineEdit):
                edit.setText(value)
            else:
                edit.setMarkdown(value)  # type: ignore[attr-defined]
        self._on_na_toggled(reason is not None)

    def collect(self, data: svc.OppVersionData) -> None:
        """The three laws, the agreements (or the reason it does not apply) and who leads."""
        for name, edit in self.fields.items():
            value = edit.text().strip() if isinstance(edit, QLineEdit) else edit.markdown()  # type: ignore[attr-defined]
            setattr(data, name, value)
        if self.na.is_checked():
            data.coordination = svc.mark_not_applicable(self.na.reason.text())

    @Slot(bool)
    def _on_na_toggled(self, on: bool) -> None:
        self.fields_box.setEnabled(not on and not self.read_only)
