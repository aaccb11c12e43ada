"""The first run: a short wizard that sets up the school, or opens a demo school instead.

Called by ``app.choose_school`` when the database holds no school yet. It asks for the school's
name, BRIN number, samenwerkingsverband and holiday region, and the support structure: one of the
shipped templates (shown level by level) or one built from scratch, which starts with a single
level the IB-er extends later under Instellingen.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ib_desktop import APP_NAME
from ib_desktop.models import Region
from ib_desktop.resources import structure_templates
from ib_desktop.services.school_settings import brin_problem
from ib_desktop.storage import Database
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.level_style import documents_phrase, role_label, tier_label
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ValidationErrors

PAGE_WELCOME, PAGE_SCHOOL, PAGE_STRUCTURE, PAGE_DEMO, PAGE_DONE = range(5)
NEXT_IMPORT, NEXT_BY_HAND = "import", "groepen"
NEXT_STEP_KEY = "eerste_start/vervolg"  # the wizard's last choice, done once the window shows
SCRATCH = ""  # the structure choice "build it myself"
DEMO_STEPS = (
    "Groepen en leerkrachten",
    "Leerlingen",
    "Ondersteuningsniveaus en documenten",
    "Vergaderingen",
    "OPP's",
)


def levels_html(template: dict) -> str:
    """A template's levels as a small table: colour, number, name, tier, documents."""
    rows = []
    for n, lvl in enumerate(template["levels"], start=1):
        docs = lvl.get("required_documents") or []
        joiner = (
            QCoreApplication.translate("first_run", "of")
            if lvl.get("requires_any")
            else QCoreApplication.translate("first_run", "en")
        )
        color = lvl.get("color", "#9e9e9e")
        need = (
            documents_phrase(docs, joiner)
            if docs
            else QCoreApplication.translate("first_run", "geen documenten vereist")
        )
        details = [
            tier_label(lvl["tier"]),
            need,
            QCoreApplication.translate("first_run", "verantwoordelijk: %s")
            % role_label(lvl["responsible_role"]).lower(),
        ]
        if lvl.get("parent_meeting_weeks"):
            details.append(
                QCoreApplication.translate("first_run", "oudergesprek elke %d weken")
                % lvl["parent_meeting_weeks"]
            )
        rows.append(
            "<tr>"
            f"<td style='background:{html.escape(color)}' width='14'>&nbsp;</td>"
            f"<td><b>{n}</b></td>"
            f"<td><b>{html.escape(lvl['name'])}</b><br>"
            f"<span style='color:#555'>{html.escape(' · '.join(details))}</span></td>"
            "</tr>"
        )
    return "<table cellspacing='4' cellpadding='2'>" + "".join(rows) + "</table>"


class WelcomePage(QWizardPage):
    """A new school, or the demo school to try the program."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welkom bij IB Desktop"))
        self.setSubTitle(self.tr("Deze database bevat nog geen school. Wat wilt u doen?"))
        self.new_radio = QRadioButton(self.tr("&Onze school inrichten"))
        self.demo_radio = QRadioButton(
            self.tr("De &demoschool openen (fictieve leerlingen, om het programma te leren kennen)")
        )
        self.new_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.new_radio)
        group.addButton(self.demo_radio)
        hint = QLabel(
            self.tr(
                "U kunt de gegevens van de school en de ondersteuningsstructuur later altijd "
                "aanpassen onder Instellingen."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.new_radio)
        layout.addWidget(self.demo_radio)
        layout.addSpacing(12)
        layout.addWidget(hint)
        layout.addStretch(1)

    def nextId(self) -> int:  # noqa: N802
        """The demo skips the school's details."""
        return PAGE_DEMO if self.demo_radio.isChecked() else PAGE_SCHOOL


class SchoolPage(QWizardPage):
    """Name, BRIN, samenwerkingsverband and holiday region."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("De school"))
        self.setSubTitle(self.tr("Deze gegevens staan op elk OPP en elk overzicht dat u afdrukt."))
        self.errors = ErrorMap()
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Naam van de school"))
        self.name_edit.setPlaceholderText(self.tr("bijv. OBS De Regenboog"))
        self.brin_edit = QLineEdit()
        self.brin_edit.setAccessibleName(self.tr("BRIN-nummer"))
        self.brin_edit.setPlaceholderText(self.tr("bijv. 12AB"))
        self.brin_edit.setMaxLength(6)
        self.brin_edit.setMaximumWidth(140)
        self.swv_edit = QLineEdit()
        self.swv_edit.setAccessibleName(self.tr("Samenwerkingsverband"))
        self.swv_edit.setPlaceholderText(self.tr("bijv. Samenwerkingsverband Passend Onderwijs"))
        self.region_combo = QComboBox()
        self.region_combo.setAccessibleName(self.tr("Vakantieregio"))
        for region, text in (
            (Region.NOORD, self.tr("Noord")),
            (Region.MIDDEN, self.tr("Midden")),
            (Region.ZUID, self.tr("Zuid")),
        ):
            self.region_combo.addItem(text, region.value)
        self.region_combo.setCurrentIndex(1)
        form = QFormLayout(self)
        rows = (
            (self.tr("&Naam van de school:"), self.errors.wrap("name", self.name_edit)),
            (self.tr("&BRIN-nummer:"), self.errors.wrap("brin", self.brin_edit)),
            (self.tr("&Samenwerkingsverband:"), self.swv_edit),
            (self.tr("&Vakantieregio:"), self.region_combo),
        )
        for text, widget in rows:
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        region_hint = QLabel(
            self.tr(
                "De regio bepaalt de schoolvakanties; evaluaties die erin vallen, schuiven door."
            )
        )
        region_hint.setWordWrap(True)
        region_hint.setStyleSheet("color: #555555;")
        form.addRow("", region_hint)
        self.name_edit.textEdited.connect(self._on_edited)
        self.brin_edit.textEdited.connect(self._on_edited)

    def problems(self) -> dict[str, str]:
        """What is wrong with the input, keyed by field."""
        errors = {}
        if not self.name_edit.text().strip():
            errors["name"] = self.tr("Vul de naam van de school in.")
        if problem := brin_problem(self.brin_edit.text()):
            errors["brin"] = problem
        return errors

    @Slot()
    def _on_edited(self) -> None:
        """Messages disappear as soon as the input is right."""
        errors = self.problems()
        for key, field in self.errors.fields.items():
            if field.error_label.isVisible() and key not in errors:
                field.set_error("")

    def validatePage(self) -> bool:  # noqa: N802
        """Go on only with a name and a well-formed BRIN number."""
        errors = self.problems()
        self.errors.show(errors)
        return not errors


class StructurePage(QWizardPage):
    """One of the shipped staircases, or one built from scratch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ondersteuningsstructuur"))
        self.setSubTitle(
            self.tr(
                "Kies de trap van ondersteuningsniveaus die het best past; "
                "u kunt hem daarna aanpassen."
            )
        )
        self.templates = structure_templates()
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        choices = QVBoxLayout()
        for key, template in self.templates.items():
            radio = QRadioButton(template["name"])
            radio.setProperty("template", key)
            self.radios[key] = radio
            self.group.addButton(radio)
            choices.addWidget(radio)
        scratch = QRadioButton(
            self.tr("Zelf opbouwen (begint met één niveau, uit te breiden onder Instellingen)")
        )
        scratch.setProperty("template", SCRATCH)
        self.radios[SCRATCH] = scratch
        self.group.addButton(scratch)
        choices.addWidget(scratch)
        first = next(iter(self.radios.values()))
        first.setChecked(True)
        self.preview = QLabel()
        self.preview.setObjectName("structure-preview")
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setStyleSheet("background: white; border: 1px solid #c8c8c8; padding: 6px;")
        self.preview.setMinimumHeight(200)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.preview, 1)
        self.group.buttonToggled.connect(self._on_choice)
        self._on_choice()

    def nextId(self) -> int:  # noqa: N802
        """The summary comes next (the demo page is another path)."""
        return PAGE_DONE

    def choice(self) -> str:
        """The chosen template key, or "" for a structure built from scratch."""
        checked = self.group.checkedButton()
        return str(checked.property("template")) if checked else SCRATCH

    def choose(self, key: str) -> None:
        """Pick a choice (as clicking it would)."""
        self.radios[key].setChecked(True)

    @Slot()
    def _on_choice(self, *_args: object) -> None:
        key = self.choice()
        if key == SCRATCH:
            self.preview.setText(
                self.tr(
                    "<p>U begint met één niveau, <b>Basisondersteuning in de groep</b>. Onder "
                    "Instellingen &gt; Ondersteuningsstructuur voegt u niveaus toe en legt u per "
                    "niveau vast wie verantwoordelijk is, hoe vaak u ouders spreekt en welke "
                    "documenten nodig zijn.</p>"
                )
            )
            return
        template = self.templates[key]
        self.preview.setText(
            f"<p>{html.escape(template.get('description', ''))}</p>" + levels_html(template)
        )


class DemoPage(QWizardPage):
    """How big the demo school is and which staircase it uses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Demoschool"))
        self.setSubTitle(
            self.tr(
                "Een fictieve school met leerlingen, documenten en evaluaties, om het programma "
                "uit te proberen. Gebruik voor de echte school een eigen database."
            )
        )
        self.pupils_spin = QSpinBox()
        self.pupils_spin.setRange(20, 5000)
        self.pupils_spin.setSingleStep(20)
        self.pupils_spin.setValue(400)
        self.pupils_spin.setSuffix(self.tr(" leerlingen"))
        self.structure_combo = QComboBox()
        for key, template in structure_templates().items():
            self.structure_combo.addItem(template["name"], key)
        form = QFormLayout(self)
        for text, widget in (
            (self.tr("&Grootte:"), self.pupils_spin),
            (self.tr("&Structuur:"), self.structure_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.setFinalPage(True)

    def nextId(self) -> int:  # noqa: N802
        """The last page of the demo path."""
        return -1


class DonePage(QWizardPage):
    """A summary before the school is made, and where to go next: import or enter by hand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Klaar om te beginnen"))
        self.setSubTitle(self.tr("Klik op Voltooien om de school aan te maken."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        then = QLabel(
            self.tr("<b>Daarna:</b> leerlingen komen in een groep zodra er groepen zijn.")
        )
        then.setWordWrap(True)
        self.import_radio = QRadioButton(
            self.tr("Leerlingen, groepen en leerkrachten &importeren uit het LVS (aanbevolen)")
        )
        self.by_hand_radio = QRadioButton(
            self.tr("&Groepen en medewerkers zelf invoeren (Instellingen)")
        )
        self.later_radio = QRadioButton(self.tr("Eerst &rondkijken"))
        self.import_radio.setChecked(True)
        self.next_group = QButtonGroup(self)
        for radio, step in (
            (self.import_radio, NEXT_IMPORT),
            (self.by_hand_radio, NEXT_BY_HAND),
            (self.later_radio, ""),
        ):
            radio.setProperty("step", step)
            self.next_group.addButton(radio)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addSpacing(12)
        layout.addWidget(then)
        layout.addWidget(self.import_radio)
        layout.addWidget(self.by_hand_radio)
        layout.addWidget(self.later_radio)
        layout.addStretch(1)

    def next_step(self) -> str:
        """ "import", "groepen" or "" (look around first)."""
        checked = self.next_group.checkedButton()
        return str(checked.property("step")) if checked else ""

    def initializePage(self) -> None:  # noqa: N802
        """Show what will be made."""
        wizard: FirstRunWizard = self.wizard()  # type: ignore[assignment]
        school, structure = wizard.school_page, wizard.structure_page
        key = structure.choice()
        structure_name = (
            structure.templates[key]["name"] if key else self.tr("zelf opbouwen, met één niveau")
        )
        rows = [
            (self.tr("School"), school.name_edit.text().strip()),
            (
                self.tr("BRIN-nummer"),
                school.brin_edit.text().strip().upper() or self.tr("(niet ingevuld)"),
            ),
            (
                self.tr("Samenwerkingsverband"),
                school.swv_edit.text().strip() or self.tr("(niet ingevuld)"),
            ),
            (self.tr("Vakantieregio"), school.region_combo.currentText()),
            (self.tr("Ondersteuningsstructuur"), structure_name),
        ]
        self.summary.setText(
            "<table cellspacing='6'>"
            + "".join(
                f"<tr><td>{html.escape(k)}:</td><td><b>{html.escape(v)}</b></td></tr>"
                for k, v in rows
            )
            + "</table>"
        )


class FirstRunWizard(QWizard):
    """The first-run wizard; ``school_id`` holds the school made when it was accepted."""

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today or date.today()
        self.school_id: int | None = None
        self.setWindowTitle(self.tr("%s - eerste keer") % APP_NAME)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Volgende >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< V&orige"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Vol&tooien"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Annuleren"))
        self.welcome_page = WelcomePage()
        self.school_page = SchoolPage()
        self.structure_page = StructurePage()
        self.demo_page = DemoPage()
        self.done_page = DonePage()
        self.setPage(PAGE_WELCOME, self.welcome_page)
        self.setPage(PAGE_SCHOOL, self.school_page)
        self.setPage(PAGE_STRUCTURE, self.structure_page)
        self.setPage(PAGE_DEMO, self.demo_page)
        self.setPage(PAGE_DONE, self.done_page)
        self.setStartId(PAGE_WELCOME)
        size_window(self, "first_run.FirstRunWizard", 680, 560)

    @classmethod
    def run(
        cls, db: Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> int | None:
        """Show the wizard; the id of the school made, or None when cancelled."""
        wizard = cls(db, parent, today=today)
        if wizard.exec() == QWizard.DialogCode.Accepted:
            return wizard.school_id
        return None

    def accept(self) -> None:
        """Make the school (or the demo school); stay open when that fails."""
        try:
            if self.welcome_page.demo_radio.isChecked():
                self.school_id = self._make_demo()
            else:
                self.school_id = self._make_school()
        except ValidationErrors as exc:
            self.school_page.errors.show(exc.errors)
            QMessageBox.warning(self, APP_NAME, "\n".join(exc.errors.values()))
            return
        if self.school_id is None:
            return
        super().accept()

    def _make_school(self) -> int:
        from ib_desktop.services.school import create_school
        from ib_desktop.services.structure import ensure_first_level

        page = self.school_page
        key = self.structure_page.choice()
        with self.db.session() as s:
            school = create_school(
                s,
                page.name_edit.text(),
                brin=page.brin_edit.text(),
                swv_name=page.swv_edit.text(),
                region=Region(page.region_combo.currentData()),
                structure_template=key or None,
                today=self.today,
            )
            if not key:
                ensure_first_level(s, school.id)
            step = self.done_page.next_step()
            if step:
                from ib_desktop.models import Setting

                s.add(Setting(key=NEXT_STEP_KEY, value=step))
            return school.id

    def _make_demo(self) -> int | None:
        from ib_desktop.demo import generate

        progress = QProgressDialog(
            self.tr("De demoschool wordt gemaakt…"), "", 0, len(DEMO_STEPS) + 1, self
        )
        progress.setWindowTitle(APP_NAME)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)
        QApplication.processEvents()
        step = {"n": 0}

        def report(message: str) -> None:
            step["n"] += 1
            progress.setLabelText(self.tr("De demoschool wordt gemaakt: %s…") % message.lower())
            progress.setValue(min(step["n"], len(DEMO_STEPS)))
            QApplication.processEvents()

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = generate(
                self.db,
                pupils=self.demo_page.pupils_spin.value(),
                structure=str(self.demo_page.structure_combo.currentData()),
                today=self.today,
                progress=report,
            )
        finally:
            QApplication.restoreOverrideCursor()
            progress.setValue(len(DEMO_STEPS) + 1)
            progress.close()
        return result.school_id


def run_first_run(db: Database, parent: QWidget | None = None) -> int | None:
    """Set up the first school of an empty database; its id, or None when cancelled."""
    return FirstRunWizard.run(db, parent)


def continue_first_run(ctx: Any, window: Any) -> str:
    """Once the main window shows: go where the wizard's last page pointed; returns the step.

    The import wizard opens, or Instellingen > Groepen en medewerkers; the choice is used once.
    """
    from ib_desktop.models import Setting

    with ctx.db.session() as s:
        setting = s.get(Setting, NEXT_STEP_KEY)
        if setting is None:
            return ""
        step = str(setting.value or "")
        s.delete(setting)
    if step == NEXT_IMPORT:
        window.run_action("ib_desktop.ui.import_wizard:import_action")
    elif step == NEXT_BY_HAND:
        window.show_page("instellingen")
        page = window.page("instellingen")
        if hasattr(page, "tab"):
            page.tab("Groepen en medewerkers")
    return step
