"""Step 1 of the import wizard: choose the export file, the school year it describes and
whether it holds every pupil."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from ib_desktop.dates import school_year_bounds, school_year_label, short_date
from ib_desktop.importer import ImportRefusedError, Table, read_table
from ib_desktop.ui.import_wizard.mapping_model import TR_CONTEXT
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import FieldWithError

if TYPE_CHECKING:
    from ib_desktop.ui.import_wizard.wizard import ImportWizard

FILE_FILTER = QT_TRANSLATE_NOOP(
    "ImportWizard", "Leerlinglijsten (*.csv *.txt *.xlsx *.xml);;Alle bestanden (*)"
)


class FilePage(QWizardPage):
    """Step 1: choose the export file."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self._followed: set[str] = set()
        self.setTitle(self.tr("Bestand kiezen"))
        self.setSubTitle(
            self.tr(
                "Kies de leerlinglijst die u uit het leerlingvolgsysteem (bijvoorbeeld ParnasSys "
                "of ESIS) hebt geëxporteerd: een CSV- of Excel-bestand, of EDEX.XML."
            )
        )
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("import-path")
        self.path_edit.setPlaceholderText(self.tr("Pad naar de export (.csv, .xlsx of .xml)"))
        self.path_edit.setAccessibleName(self.tr("Bestand"))
        self.path_edit.setClearButtonEnabled(True)
        # The field (with its error label) before the button, so that Tab goes field, button.
        self.path_field = FieldWithError(self.path_edit, self)
        self.browse_button = QPushButton(self.tr("B&laderen…"), self)
        self.browse_button.setObjectName("import-browse")
        row = QHBoxLayout()
        row.addWidget(self.path_field, 1)
        row.addWidget(self.browse_button, 0, Qt.AlignmentFlag.AlignTop)
        label = QLabel(self.tr("&Bestand:"), self)
        label.setBuddy(self.path_edit)

        # Which school year the export describes: the groups are put in that year, so that a
        # list for next year never moves pupils up a group inside this one.
        today = wizard.ctx.today()
        self.year_combo = QComboBox(self)
        self.year_combo.setObjectName("import-school-year")
        self.year_combo.setAccessibleName(self.tr("Schooljaar van de export"))
        current_start = school_year_bounds(today)[0].year
        for start in (current_start - 1, current_start, current_start + 1):
            self.year_combo.addItem(f"{start}-{start + 1}", start)
        self.year_combo.setCurrentIndex(1)
        year_label = QLabel(self.tr("&Schooljaar:"), self)
        year_label.setBuddy(self.year_combo)
        self.date_edit = DateField(today, self)
        self.date_edit.setObjectName("import-export-date")
        self.date_edit.setAccessibleName(self.tr("Datum van de export"))
        self.date_field = FieldWithError(self.date_edit, self)
        date_label = QLabel(self.tr("&Datum van de export:"), self)
        date_label.setBuddy(self.date_edit)
        date_hint = QLabel(
            self.tr(
                "De dag waarop de gegevens in het bestand gelden. De groepen worden in dit "
                "schooljaar gezet; eerdere schooljaren blijven zoals ze waren."
            ),
            self,
        )
        date_hint.setWordWrap(True)
        year_row = QHBoxLayout()
        year_row.addWidget(year_label)
        year_row.addWidget(self.year_combo)
        year_row.addSpacing(18)
        year_row.addWidget(date_label)
        year_row.addWidget(self.date_field)
        year_row.addStretch(1)

        self.full_check = QCheckBox(
            self.tr("Dit bestand bevat álle leerlingen van de school (volledige export)"), self
        )
        self.full_check.setObjectName("import-full-export")
        # Off unless the IB-er says so: a partial list must never propose half the school
        # as leavers.
        self.full_check.setChecked(False)
        hint = QLabel(
            self.tr(
                "Alleen bij een volledige export worden leerlingen die niet meer in het bestand "
                "staan voorgesteld als vertrokken. U bevestigt dat zelf per leerling; er wordt "
                "nooit iets verwijderd."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setIndent(22)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addLayout(year_row)
        layout.addWidget(date_hint)
        layout.addSpacing(12)
        layout.addWidget(self.full_check)
        layout.addWidget(hint)
        layout.addStretch(1)

        self.path_edit.textChanged.connect(self._on_path_changed)
        self.browse_button.clicked.connect(self._on_browse)
        self.year_combo.currentIndexChanged.connect(self._on_year_changed)
        self.date_edit.textChanged.connect(lambda _t: self.date_field.set_error(""))
        self.setTabOrder(self.path_edit, self.browse_button)
        self.setTabOrder(self.browse_button, self.year_combo)
        self.setTabOrder(self.year_combo, self.date_edit)
        self.setTabOrder(self.date_edit, self.full_check)

    def school_year(self) -> str:
        """The chosen school year, "2026-2027"."""
        return self.year_combo.currentText()

    @Slot(int)
    def _on_year_changed(self, _index: int) -> None:
        """Keep the date inside the chosen year: today, or the year's first or last day."""
        start, end = school_year_bounds(self.school_year())
        self.date_field.set_error("")
        try:
            current = self.date_edit.value()
        except ValueError:
            current = None
        if current is not None and start <= current <= end:
            return
        today = self._wizard.ctx.today()
        if start <= today <= end:
            self.date_edit.set_value(today)
        else:
            self.date_edit.set_value(start if start > today else end)

    def export_date(self) -> date | None:
        """The date typed, when it is a date inside the chosen school year; else shows why."""
        try:
            day = self.date_edit.value()
        except ValueError as exc:
            self.date_field.set_error(str(exc))
            return None
        if day is None:
            self.date_field.set_error(self.tr("Vul de datum in waarop de export gemaakt is."))
            return None
        if school_year_label(day) != self.school_year():
            self.date_field.set_error(
                self.tr("%1 ligt niet in schooljaar %2.")
                .replace("%1", short_date(day))
                .replace("%2", self.school_year())
            )
            return None
        self.date_field.set_error("")
        return day

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """A path must be filled in."""
        return bool(self.path_edit.text().strip())

    @Slot(str)
    def _on_path_changed(self, _text: str) -> None:
        self.path_field.set_error("")
        self.completeChanged.emit()

    @Slot()
    def _on_browse(self) -> None:
        settings = QSettings()
        start = self.path_edit.text().strip() or str(
            settings.value("import/last_dir", str(Path.home()))
        )
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Export kiezen"),
            start,
            QCoreApplication.translate(TR_CONTEXT, FILE_FILTER),
        )
        if path:
            self.path_edit.setText(path)
            settings.setValue("import/last_dir", str(Path(path).parent))

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Read the file now, so that a file that cannot be read is explained right here."""
        path = self.path_edit.text().strip()
        day = self.export_date()
        if day is None:
            self.date_edit.setFocus()
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            table = read_table(path)
        except ImportRefusedError as exc:
            self.path_field.set_error(str(exc))
            self.path_edit.setFocus()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if self._follow_file_year(table):
            return False
        self._wizard.table = table
        self._wizard.full_export = self.full_check.isChecked()
        self._wizard.export_date = day
        return True

    def _follow_file_year(self, table: Table) -> bool:
        """An EDEXML file names its school year: choose that year once, and say so.

        True when the choice was changed (the page stays, so the IB-er sees the new year and
        date before going on); a year chosen afterwards is respected.
        """
        key = str(table.path)
        if not table.school_year or key in self._followed:
            return False
        self._followed.add(key)
        index = self.year_combo.findText(table.school_year)
        if index < 0 or table.school_year == self.school_year():
            return False
        self.year_combo.setCurrentIndex(index)
        self.date_field.set_error(
            self.tr(
                "Het bestand beschrijft schooljaar %1: het schooljaar en de datum zijn "
                "aangepast. Controleer ze en klik op Volgende."
            ).replace("%1", table.school_year)
        )
        self.date_edit.setFocus()
        return True
