"""Step 4 of the import wizard: what was imported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizardPage

if TYPE_CHECKING:
    from ib_desktop.ui.import_wizard.wizard import ImportWizard


class DonePage(QWizardPage):
    """Step 4: what was imported."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Klaar"))
        self.setSubTitle(self.tr("De leerlingen zijn geïmporteerd."))
        self.result_label = QLabel(self)
        self.result_label.setObjectName("import-result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_label)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Show the numbers of the import."""
        r = self._wizard.result_
        plan = self._wizard.plan
        if r is None or plan is None:
            return
        lines = [
            self.tr("Nieuwe leerlingen: %1").replace("%1", str(r.created)),
            self.tr("Bijgewerkt: %1").replace("%1", str(r.updated)),
            self.tr("Ongewijzigd: %1").replace("%1", str(r.unchanged)),
            self.tr("Als vertrokken gemarkeerd: %1").replace("%1", str(r.left)),
            self.tr("Nieuwe groepen: %1").replace("%1", str(r.groups_created)),
            self.tr("Nieuwe leerkrachten: %1").replace("%1", str(r.teachers_created)),
        ]
        if r.rejected:
            lines.append(
                self.tr(
                    "%1 rij(en) zijn niet geïmporteerd; verbeter ze en importeer het bestand "
                    "opnieuw."
                ).replace("%1", str(r.rejected))
            )
        if not (r.created or r.updated or r.left):
            lines.insert(
                0, self.tr("Alles was al bijgewerkt: er is niets veranderd aan de leerlingen.")
            )
        self.result_label.setText("\n".join(lines))


# ----------------------------------------------------------------------------- the wizard
