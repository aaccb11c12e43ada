"""Part 4: the arrangement or TLV, its dates, funding category and funder."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import ARRANGEMENT_KINDS, FUNDING_CATEGORIES, OppPart
from ib_desktop.ui.opp.common import OptionalDateEdit, combo, prose
from ib_desktop.ui.opp.parts.base import NotApplicableBox, PartPage


class ArrangementPage(PartPage):
    """Part 4: the arrangement or TLV with its dates, funding category and funder."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.na = NotApplicableBox(
            self.tr("Niet van toepassing (geen arrangement of TLV)"),
            self.tr("de ondersteuning komt uit de eigen middelen van de school"),
        )
        self.watch(self.na.check)
        self.watch(self.na.reason)
        self.na.toggled.connect(self._on_na_toggled)
        self.kind = self.watch(combo(ARRANGEMENT_KINDS))
        self.kind.lineEdit().setPlaceholderText(
            self.tr("Bijv. arrangement op de eigen school of TLV SBO")
        )
        self.granted = self.watch(OptionalDateEdit())
        self.start = self.watch(OptionalDateEdit())
        self.end = self.watch(OptionalDateEdit())
        self.category = self.watch(combo(("",) + FUNDING_CATEGORIES))
        self.kind.setMinimumWidth(340)
        self.category.setMinimumWidth(160)
        self.funder = self.watch(QLineEdit())
        self.funder.setPlaceholderText(self.tr("Bijv. het samenwerkingsverband"))
        self.notes = self.watch(prose(min_lines=3))
        grid = QFormLayout()
        grid.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        grid.addRow(self.tr("&Soort inzet:"), self.kind)
        grid.addRow(self.tr("&Toegekend op:"), self.granted)
        term = QWidget()
        term_lay = QHBoxLayout(term)
        term_lay.setContentsMargins(0, 0, 0, 0)
        term_lay.addWidget(self.start)
        term_lay.addWidget(QLabel(self.tr("tot en met")))
        term_lay.addWidget(self.errors.wrap("arrangement_end", self.end))
        term_lay.addStretch(1)
        grid.addRow(self.tr("&Looptijd van:"), term)
        grid.addRow(self.tr("&Bekostigingscategorie:"), self.category)
        grid.addRow(self.tr("Bekostigd &door:"), self.funder)
        for label, w in (
            (self.tr("Soort inzet"), self.kind),
            (self.tr("Toegekend op"), self.granted),
            (self.tr("Looptijd van"), self.start),
            (self.tr("Looptijd tot en met"), self.end),
            (self.tr("Bekostigingscategorie"), self.category),
            (self.tr("Bekostigd door"), self.funder),
        ):
            w.setAccessibleName(label)
        self.form.addWidget(self.na)
        self.fields_box = QWidget()
        self.fields_box.setLayout(grid)
        self.form.addWidget(self.fields_box)
        self.form.addWidget(
            self.labelled(self.tr("Toelichting (wat houdt de inzet concreet in?)"), self.notes)
        )
        self.form.addStretch(1)

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        reason = svc.not_applicable_reason(data.arrangement_notes)
        self.na.set_state(reason)
        self.kind.setCurrentText(data.arrangement_kind)
        self.granted.set_value(data.arrangement_granted_on)
        self.start.set_value(data.arrangement_start)
        self.end.set_value(data.arrangement_end)
        self.category.setCurrentText(data.funding_category)
        self.funder.setText(data.funder)
        self.notes.setMarkdown("" if reason is not None else data.arrangement_notes)
        self._on_na_toggled(reason is not None)

    def collect(self, data: svc.OppVersionData) -> None:
        """Kind, dates, funding and notes (or the "niet van toepassing" reason)."""
        data.arrangement_kind = self.kind.currentText().strip()
        data.arrangement_granted_on = self.granted.value()
        data.arrangement_start = self.start.value()
        data.arrangement_end = self.end.value()
        data.funding_category = self.category.currentText().strip()
        data.funder = self.funder.text().strip()
        if self.na.is_checked():
            data.arrangement_notes = svc.mark_not_applicable(self.na.reason.text())
        else:
            data.arrangement_notes = self.notes.markdown()

    @Slot(bool)
    def _on_na_toggled(self, on: bool) -> None:
        editable = not self.read_only
        self.fields_box.setEnabled(not on and editable)
        self.notes.setEnabled(not on and editable)
