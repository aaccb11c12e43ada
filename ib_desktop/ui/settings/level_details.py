"""The details of one level in the support-structure editor: its name, rhythm and documents.

:class:`LevelDetails` shows the selected level of the draft and writes what the user changes
back into it; the editor keeps the draft, the list and the saving.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.models import DocumentKind, StaffRole, Tier
from ib_desktop.services.structure import LevelDraft, LevelUsage
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.level_style import role_label, swatch, tier_label


def set_buddies(form: QFormLayout) -> None:
    """Let the &-letters of the labels jump to their fields."""
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        fieldw = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label and fieldw and isinstance(label.widget(), QLabel) and fieldw.widget():
            label.widget().setBuddy(fieldw.widget())


class LevelDetails(QGroupBox):
    """The fields of one level; messages go beside them through the editor's ``errors``."""

    def __init__(self, errors: ErrorMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Niveau"))
        self.setMaximumWidth(460)
        self.setMinimumWidth(380)
        self.level_name = QLineEdit()
        self.level_name.setAccessibleName(self.tr("Naam van het niveau"))
        self.level_description = QPlainTextEdit()
        self.level_description.setTabChangesFocus(True)
        self.level_description.setAccessibleName(self.tr("Omschrijving van het niveau"))
        self.level_description.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.level_description.setMaximumHeight(self.fontMetrics().lineSpacing() * 7 + 12)
        self.level_description.setPlaceholderText(
            self.tr("Wat betekent dit niveau, wanneer gaat een leerling erheen of terug?")
        )
        self.tier_combo = QComboBox()
        for tier in Tier:
            self.tier_combo.addItem(tier_label(tier), tier.value)
        self.role_combo = QComboBox()
        for role in (
            StaffRole.LEERKRACHT,
            StaffRole.IB,
            StaffRole.DIRECTIE,
            StaffRole.ONDERWIJSASSISTENT,
            StaffRole.OVERIG,
        ):
            self.role_combo.addItem(role_label(role), role.value)
        self.weeks_edit = QLineEdit()
        self.weeks_edit.setAccessibleName(self.tr("Oudergesprek elke zoveel weken"))
        self.weeks_edit.setPlaceholderText(self.tr("geen vast ritme"))
        self.weeks_edit.setToolTip(self.tr("Laat leeg als er geen vaste oudergesprekken zijn."))
        self.weeks_edit.setMaximumWidth(150)
        weeks_row = QWidget()
        weeks_layout = QHBoxLayout(weeks_row)
        weeks_layout.setContentsMargins(0, 0, 0, 0)
        weeks_layout.addWidget(errors.wrap("parent_meeting_weeks", self.weeks_edit))
        weeks_unit = QLabel(self.tr("weken"))
        weeks_unit.setContentsMargins(0, 5, 0, 0)
        weeks_layout.addWidget(weeks_unit, 0, Qt.AlignmentFlag.AlignTop)
        weeks_layout.addStretch(1)
        self.doc_checks: dict[str, QCheckBox] = {}
        docs = QWidget()
        docs_layout = QVBoxLayout(docs)
        docs_layout.setContentsMargins(0, 0, 0, 0)
        docs_layout.setSpacing(2)
        for kind, text in (
            (DocumentKind.KORTE_INTERVENTIE, self.tr("Korte interventie")),
            (DocumentKind.GROEIDOCUMENT, self.tr("Groeidocument")),
            (DocumentKind.OPP, self.tr("OPP (ontwikkelingsperspectiefplan)")),
        ):
            check = QCheckBox(text)
            self.doc_checks[kind.value] = check
            docs_layout.addWidget(check)
        self.any_check = QCheckBox(self.tr("Eén van deze documenten is genoeg"))
        docs_layout.addWidget(self.any_check)
        self.color_button = QPushButton()
        self.color_button.setAccessibleName(self.tr("Kleur"))
        self.color_button.setToolTip(self.tr("Kleur van het niveau in lijsten en grafieken"))
        self.usage_label = QLabel()
        self.usage_label.setWordWrap(True)
        self.usage_label.setStyleSheet("color: #555555;")

        details_layout = QVBoxLayout(self)
        form = QFormLayout()
        details_layout.addLayout(form)
        details_layout.addStretch(1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Naa&m:"), errors.wrap("level_name", self.level_name))
        form.addRow(self.tr("Omschr&ijving:"), self.level_description)
        form.addRow(self.tr("Laag bij het &SWV:"), self.tier_combo)
        form.addRow(self.tr("&Verantwoordelijk:"), self.role_combo)
        form.addRow(self.tr("&Oudergesprek elke:"), weeks_row)
        form.addRow(self.tr("&Documenten:"), docs)
        form.addRow(self.tr("&Kleur:"), errors.wrap("color", self.color_button))
        form.addRow("", self.usage_label)
        set_buddies(form)

    def show_level(self, lvl: LevelDraft) -> None:
        """Show a level in the fields."""
        self.level_name.setText(lvl.name)
        self.level_description.setPlainText(lvl.description)
        self.tier_combo.setCurrentIndex(self.tier_combo.findData(Tier(lvl.tier).value))
        self.role_combo.setCurrentIndex(
            self.role_combo.findData(StaffRole(lvl.responsible_role).value)
        )
        weeks = lvl.parent_meeting_weeks
        self.weeks_edit.setText("" if weeks is None else str(weeks))
        for kind, check in self.doc_checks.items():
            check.setChecked(kind in lvl.required_documents)
        self.any_check.setChecked(lvl.requires_any)
        self.any_check.setEnabled(len(lvl.required_documents) > 1)
        self.show_color(lvl.color)

    def apply_to(self, lvl: LevelDraft) -> None:
        """Write the fields into the level (an unusable rhythm is kept as typed, for the check)."""
        lvl.name = self.level_name.text()
        lvl.description = self.level_description.toPlainText()
        lvl.tier = Tier(self.tier_combo.currentData())
        lvl.responsible_role = StaffRole(self.role_combo.currentData())
        text = self.weeks_edit.text().strip()
        lvl.parent_meeting_weeks = int(text) if text.isdigit() and int(text) > 0 else (text or None)
        lvl.required_documents = [k for k, c in self.doc_checks.items() if c.isChecked()]
        self.any_check.setEnabled(len(lvl.required_documents) > 1)
        lvl.requires_any = self.any_check.isChecked() and len(lvl.required_documents) > 1

    def show_color(self, color: str) -> None:
        """The colour on its button, as a swatch and a name."""
        self.color_button.setIcon(swatch(color, 16))
        self.color_button.setText(color)

    def show_usage(self, lvl: LevelDraft | None, use: LevelUsage | None) -> None:
        """How many pupils stand on the level now and ever, and what retiring it means."""
        if lvl is None or use is None:
            self.usage_label.setText("")
            return
        parts = []
        if lvl.id is None:
            parts.append(self.tr("Nieuw niveau; wordt bewaard bij Opslaan."))
        elif not use.in_use:
            parts.append(self.tr("Er heeft nog nooit een leerling op dit niveau gestaan."))
        else:
            parts.append(
                self.tr("%d leerlingen staan nu op dit niveau; %d hebben er ooit op gestaan.")
                % (use.now, use.ever)
            )
        if lvl.retired:
            parts.append(
                self.tr(
                    "Buiten gebruik: de geschiedenis blijft bewaard, maar het niveau kan niet "
                    "meer worden gekozen."
                )
            )
            if use.now:
                parts.append(self.tr("Wie er nu op staat, blijft daar tot u op- of afschaalt."))
        self.usage_label.setText(" ".join(parts))
