"""Step 3 of the import wizard: what will happen, per section; leavers are confirmed and
possible twins decided here, and "Importeren" applies the plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.importer import (
    ImportCancelledError,
    ImportPlan,
    ImportRefusedError,
    apply_plan,
    write_rejected_csv,
)
from ib_desktop.ui.import_wizard.section_models import (
    LeaverModel,
    SectionModel,
    TwinModel,
    section_title,
    sorted_view,
)
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import FieldWithError

if TYPE_CHECKING:
    from ib_desktop.ui.import_wizard.wizard import ImportWizard

WARNING_STYLE = "color: #8a5300;"


class PreviewPage(QWizardPage):
    """Step 3: what will happen, per section; leavers are confirmed here one by one."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.leaver_model: LeaverModel | None = None
        self.twin_model: TwinModel | None = None
        self.models: dict[str, SectionModel] = {}
        self.views: dict[str, QTableView] = {}
        self.setTitle(self.tr("Voorvertoning"))
        self.setSubTitle(
            self.tr(
                "Controleer wat er gaat gebeuren. Er is nog niets gewijzigd; dat gebeurt pas "
                "met 'Importeren'."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Importeren"))
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("import-summary")
        self.summary_label.setWordWrap(True)
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("import-warnings")
        self.warning_label.setStyleSheet(WARNING_STYLE)
        self.warning_label.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("import-tabs")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.tabs, 1)

        # "Vertrekt" and "Afgewezen" carry their own buttons.
        self.check_all_button = QPushButton(self.tr("&Alles aanvinken"))
        self.check_none_button = QPushButton(self.tr("&Niets aanvinken"))
        self.export_button = QPushButton(self.tr("&Exporteren…"))
        self.export_button.setObjectName("import-export-rejected")
        self.export_button.setToolTip(
            self.tr("Sla de afgewezen rijen op als CSV om ze in het LVS of in Excel te verbeteren")
        )
        self.leaver_hint = QLabel()
        self.leaver_hint.setWordWrap(True)
        self.left_on_edit = DateField(None)
        self.left_on_edit.setObjectName("import-left-on")
        self.left_on_edit.setAccessibleName(self.tr("Vertrekdatum"))
        self.left_on_field = FieldWithError(self.left_on_edit)
        self.left_on_label = QLabel(self.tr("Ver&trekdatum:"))
        self.left_on_label.setBuddy(self.left_on_edit)
        self.twin_hint = QLabel(
            self.tr(
                "Deze leerlingen lijken op een leerling die al in IB Desktop staat (zelfde naam "
                "en geboortedatum) maar hebben een ander leerlingnummer. Vink per leerling aan "
                "of het dezelfde leerling is (het dossier krijgt het nieuwe nummer) of een "
                "andere (er komt een nieuwe leerling bij)."
            )
        )
        self.twin_hint.setWordWrap(True)
        self.check_all_button.clicked.connect(self._on_check_all)
        self.check_none_button.clicked.connect(self._on_check_none)
        self.export_button.clicked.connect(self._on_export_rejected)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Show the plan made on the previous page."""
        plan = self._wizard.plan
        assert plan is not None
        self._clear_tabs()
        sections: dict[str, Sequence[Any]] = {
            "nieuw": plan.new,
            "gewijzigd": plan.changed,
            "ongewijzigd": plan.unchanged,
            "vertrekt": plan.leavers,
            "afgewezen": plan.rejected,
        }
        self.twin_model = None
        if plan.twins:
            sections["twijfel"] = plan.twins
        for key, items in sections.items():
            self._add_section(plan, key, items)
        first = next((i for i, k in enumerate(sections) if sections[k] and k != "ongewijzigd"), 0)
        if plan.twins:
            first = list(sections).index("twijfel")  # to decide before anything else
        self.tabs.setCurrentIndex(first)
        self.summary_label.setText(self._summary(plan))
        self.warning_label.setText("\n".join(plan.warnings))
        self.warning_label.setVisible(bool(plan.warnings))

    def _clear_tabs(self) -> None:
        """Coming back after changing the mapping: rebuild the tabs (the buttons are kept)."""
        for button in (
            self.check_all_button,
            self.check_none_button,
            self.export_button,
            self.leaver_hint,
            self.left_on_label,
            self.left_on_field,
            self.twin_hint,
        ):
            button.setParent(None)
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()
        self.models.clear()
        self.views.clear()

    def _section_model(self, plan: ImportPlan, key: str, items: Sequence[Any]) -> SectionModel:
        """The leavers and twins have models of their own (check boxes); the rest are lists."""
        if key == "vertrekt":
            self.leaver_model = LeaverModel(plan.leavers, self)
            return self.leaver_model
        if key == "twijfel":
            self.twin_model = TwinModel(plan.twins, self)
            return self.twin_model
        return SectionModel(key, items, self)

    def _add_section(self, plan: ImportPlan, key: str, items: Sequence[Any]) -> None:
        """One tab: the section's table, with the hint and buttons it carries."""
        model = self._section_model(plan, key, items)
        self.models[key] = model
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(6, 6, 6, 6)
        view = sorted_view(model, SectionModel.SortRole, page)
        view.setObjectName(f"import-view-{key}")
        view.setAccessibleName(section_title(key))
        self.views[key] = view
        if key == "afgewezen" and len(items) <= 500:
            # Reasons can be long; a few hundred rows can show them in full.
            view.setWordWrap(True)
        if key == "twijfel":
            lay.addWidget(self.twin_hint)
        if key == "vertrekt":
            self._add_leaver_controls(plan, lay)
        lay.addWidget(view, 1)
        if key == "afgewezen":
            self._add_rejected_controls(plan, lay)
        for col in range(model.columnCount() - 1):
            view.resizeColumnToContents(col)
            # A reason must be readable in full; names and dates need less room.
            cap = 560 if key == "afgewezen" else 320
            view.setColumnWidth(col, min(view.columnWidth(col) + 12, cap))
        if view.wordWrap():
            view.resizeRowsToContents()
        self.tabs.addTab(page, f"{section_title(key)} ({len(items)})")

    def _add_leaver_controls(self, plan: ImportPlan, lay: QVBoxLayout) -> None:
        """Above the leavers: what checking means, (un)check all, and the date of leaving."""
        when = long_date(plan.left_on or plan.today)
        self.left_on_edit.set_value(plan.left_on or plan.today)
        self.left_on_field.set_error("")
        self.leaver_hint.setText(
            self.tr(
                "Deze leerlingen staan niet meer in het bestand. Vink aan wie echt "
                "vertrokken is: die leerlingen krijgen de status 'vertrokken' per de "
                "vertrekdatum hieronder (voorgesteld: %1, het einde van het vorige "
                "schooljaar). Het dossier blijft bewaard."
            ).replace("%1", when)
            if plan.full_export
            else self.tr("Dit is geen volledige export: er worden geen vertrekkers voorgesteld.")
        )
        lay.addWidget(self.leaver_hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_all_button)
        buttons.addWidget(self.check_none_button)
        buttons.addSpacing(18)
        buttons.addWidget(self.left_on_label)
        buttons.addWidget(self.left_on_field)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.check_all_button.setEnabled(bool(plan.leavers))
        self.check_none_button.setEnabled(bool(plan.leavers))

    def _add_rejected_controls(self, plan: ImportPlan, lay: QVBoxLayout) -> None:
        """Below the rejected rows: what to do about them, and the button to save them."""
        buttons = QHBoxLayout()
        hint = QLabel(
            self.tr(
                "Deze rijen worden niet geïmporteerd. Verbeter ze in het LVS en importeer opnieuw."
            )
        )
        hint.setWordWrap(True)
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.export_button)
        self.export_button.setEnabled(bool(plan.rejected))
        lay.addLayout(buttons)

    def _summary(self, plan: ImportPlan) -> str:
        c = plan.counts
        text = (
            self.tr(
                "%1 (%2 rijen), schooljaar %3: %4 nieuw, %5 gewijzigd, %6 ongewijzigd, "
                "%7 vertrekt, %8 afgewezen."
            )
            .replace("%1", plan.path.name)
            .replace("%2", str(plan.rows_read))
            .replace("%3", plan.school_year)
            .replace("%4", str(c["nieuw"]))
            .replace("%5", str(c["gewijzigd"]))
            .replace("%6", str(c["ongewijzigd"]))
            .replace("%7", str(c["vertrekt"]))
            .replace("%8", str(c["afgewezen"]))
        )
        if plan.twins:
            text += " " + self.tr("Te beslissen onder 'Twijfel': %1.").replace(
                "%1", str(len(plan.twins))
            )
        if plan.new_groups:
            text += " " + self.tr("Nieuwe groepen: %1.").replace(
                "%1", ", ".join(g.name for g in plan.new_groups)
            )
        if plan.new_teachers:
            text += " " + self.tr("Nieuwe leerkrachten: %1.").replace(
                "%1", ", ".join(t.full_name for t in plan.new_teachers)
            )
        return text

    @Slot()
    def _on_check_all(self) -> None:
        if self.leaver_model is not None:
            self.leaver_model.set_all(True)

    @Slot()
    def _on_check_none(self) -> None:
        if self.leaver_model is not None:
            self.leaver_model.set_all(False)

    @Slot()
    def _on_export_rejected(self) -> None:
        plan = self._wizard.plan
        if plan is None or not plan.rejected:
            return
        suggested = str(plan.path.with_name(plan.path.stem + "-afgewezen.csv"))
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Afgewezen rijen opslaan"), suggested, self.tr("CSV-bestand (*.csv)")
        )
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        try:
            write_rejected_csv(plan, path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                APP_NAME,
                self.tr("Het bestand kan niet worden opgeslagen: %1").replace(
                    "%1", exc.strerror or str(exc)
                ),
            )
            return
        QMessageBox.information(
            self,
            APP_NAME,
            self.tr("%1 afgewezen rijen opgeslagen in %2.")
            .replace("%1", str(len(plan.rejected)))
            .replace("%2", path),
        )

    def confirmed_leavers(self) -> list[int]:
        """The pupils checked as having left."""
        return self.leaver_model.confirmed() if self.leaver_model else []

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Apply the plan, with a progress dialog that can cancel (then nothing changes)."""
        plan = self._wizard.plan
        assert plan is not None
        if not self._twins_decided():
            return False
        confirmed = self.confirmed_leavers()
        left_on = None
        if confirmed:
            left_on = self._left_on()
            if left_on is None or not self._leavers_agreed(plan, confirmed):
                return False
        return self._apply(plan, confirmed, left_on)

    def _twins_decided(self) -> bool:
        """Every possible twin has a decision; else the tab is shown and the IB-er told."""
        if self.twin_model is None or not self.twin_model.undecided():
            return True
        self.tabs.setCurrentIndex(self.tabs.count() - 1)
        QMessageBox.warning(
            self,
            APP_NAME,
            self.tr(
                "Geef bij elke leerling onder 'Twijfel' aan of het dezelfde leerling is als "
                "die in IB Desktop, of een andere. Nog %1 te beslissen."
            ).replace("%1", str(len(self.twin_model.undecided()))),
        )
        return False

    def _left_on(self) -> date | None:
        """The date of leaving typed; None (and the field shows why) when there is none."""
        left_on = None
        try:
            left_on = self.left_on_edit.value()
        except ValueError as exc:
            self.left_on_field.set_error(str(exc))
        else:
            if left_on is None:
                self.left_on_field.set_error(self.tr("Vul de vertrekdatum in."))
        if left_on is None:
            self.tabs.setCurrentIndex(3)
            self.left_on_edit.setFocus()
        return left_on

    def _leavers_agreed(self, plan: ImportPlan, confirmed: list[int]) -> bool:
        """Asked first: a large share of the school leaving, and any pupil leaving at all."""
        if plan.many_leavers(len(confirmed)) and not self._yes(
            self.tr("%1 Weet u zeker dat al deze leerlingen vertrokken zijn?").replace(
                "%1", plan.leaver_share_text(len(confirmed))
            )
        ):
            return False
        return self._yes(
            self.tr(
                "%1 leerling(en) krijgen de status 'vertrokken'. Hun dossier blijft bewaard "
                "en wordt alleen-lezen. Doorgaan met importeren?"
            ).replace("%1", str(len(confirmed)))
        )

    def _yes(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            APP_NAME,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _progress_dialog(self) -> QProgressDialog:
        progress = QProgressDialog(
            self.tr("Leerlingen importeren…"), self.tr("Afbreken"), 0, 100, self
        )
        progress.setWindowTitle(APP_NAME)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        return progress

    def _apply(self, plan: ImportPlan, confirmed: list[int], left_on: date | None) -> bool:
        """Carry the plan out (made again with the twins' decisions); False when refused."""
        progress = self._progress_dialog()

        def report(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            QCoreApplication.processEvents()
            if progress.wasCanceled():
                raise ImportCancelledError()

        ctx = self._wizard.ctx
        try:
            if self.twin_model is not None:
                # The decisions change what the rows do: make the plan again with them.
                plan = self._wizard.make_plan(self.twin_model.decisions())
                self._wizard.plan = plan
                proposed = {lv.pupil_id for lv in plan.leavers}
                confirmed = [pid for pid in confirmed if pid in proposed]
            result = apply_plan(
                ctx.db,
                plan,
                confirmed_leavers=confirmed,
                actor=ctx.actor,
                left_on=left_on,
                progress=report,
            )
        except ImportRefusedError as exc:
            progress.close()
            QMessageBox.warning(self, APP_NAME, str(exc))
            return False
        progress.close()
        self._wizard.result_ = result
        self._wizard.imported.emit(result)
        return True
