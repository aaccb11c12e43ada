"""The parts that are prose (5, 6 and 10): one rich-text field per column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import PART_FIELDS, OppPart
from ib_desktop.ui.opp.common import prose
from ib_desktop.ui.opp.parts.base import PartPage
from ib_desktop.ui.widgets.rich_text import RichTextEdit


class TextFieldsPage(PartPage):
    """Parts that are prose: one labelled rich-text field per column (5, 6, 10)."""

    HELP = {
        "factoren": QT_TRANSLATE_NOOP(
            "opp",
            "Wat helpt de leerling (bevorderend) en wat staat de ontwikkeling in de weg "
            "(belemmerend)? Denk aan de leerling zelf, de groep, de school en thuis.",
        ),
        "behoeften": QT_TRANSLATE_NOOP(
            "opp",
            "Wat heeft de leerling nodig? Beschrijf het per aspect; staat er bij een aspect "
            "niets bijzonders, schrijf dat dan op.",
        ),
        "aanpassingen": QT_TRANSLATE_NOOP(
            "opp",
            "Waarin wijkt het programma af van dat van de groep (eigen leerlijn, verlengde "
            "instructie, compacten, hulpmiddelen)?",
        ),
    }

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.fields: dict[str, RichTextEdit] = {}
        if part.key in self.HELP:
            help_label = QLabel(QCoreApplication.translate("opp", self.HELP[part.key]))
            help_label.setWordWrap(True)
            self.form.addWidget(help_label)
        specs = PART_FIELDS[part.key]
        for name, label in specs:
            edit = self.watch(prose(min_lines=4 if len(specs) < 3 else 3))
            self.fields[name] = edit
            self.form.addWidget(self.labelled(label, edit, name=name))
        self.form.addStretch(1)

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        for name, edit in self.fields.items():
            edit.setMarkdown(getattr(data, name))

    def collect(self, data: svc.OppVersionData) -> None:
        """Every field's Markdown."""
        for name, edit in self.fields.items():
            setattr(data, name, edit.markdown())
