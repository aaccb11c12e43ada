"""The record tabs of the pupil file: guardians, care, school career, assessments, meetings,
documents.

Records are edited in the small dialogs of :mod:`ib_desktop.ui.pupil_file.child_dialogs`, which
save at once; documents open in their own editor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, short_date
from ib_desktop.permissions import reads_restricted
from ib_desktop.services import pupil as pf
from ib_desktop.ui.pupil_file.child_dialogs import (
    AssessmentDialog,
    CareProviderDialog,
    GuardianDialog,
    HistoryDialog,
    MeetingDialog,
)
from ib_desktop.ui.pupil_file.columns import (
    ASSESSMENT_COLUMNS,
    CARE_COLUMNS,
    DOCUMENT_COLUMNS,
    GUARDIAN_COLUMNS,
    HISTORY_COLUMNS,
    MEETING_COLUMNS,
    MEMBERSHIP_COLUMNS,
)
from ib_desktop.ui.pupil_file.form_helpers import (
    confirm,
)
from ib_desktop.ui.pupil_file.record_table import RecordTab, RecordTableModel
from ib_desktop.validation import ReadOnlyError

RECORD_SPECS: dict[str, tuple[type, Callable[..., Any], str]] = {
    # tab key: (dialog, delete function, what, for the confirmation)
    "guardians": (
        GuardianDialog,
        pf.delete_guardian,
        QT_TRANSLATE_NOOP("RecordSpecs", "ouder/verzorger"),
    ),
    "care": (
        CareProviderDialog,
        pf.delete_care_provider,
        QT_TRANSLATE_NOOP("RecordSpecs", "hulpverlening"),
    ),
    "history": (
        HistoryDialog,
        pf.delete_history,
        QT_TRANSLATE_NOOP("RecordSpecs", "stap in de schoolloopbaan"),
    ),
    "assessments": (
        AssessmentDialog,
        pf.delete_assessment,
        QT_TRANSLATE_NOOP("RecordSpecs", "onderzoek"),
    ),
    "meetings": (MeetingDialog, pf.delete_meeting, QT_TRANSLATE_NOOP("RecordSpecs", "vergadering")),
}


#: The record tabs whose records take a zienswijze ouders, and the kind the service names.
PARENT_VIEW_KINDS = {"assessments": "assessment", "meetings": "meeting", "care": "care_provider"}


def _describe(key: str, row: Any) -> str:
    if key == "guardians":
        return row.name
    if key == "care":
        return row.organisation
    if key == "history":
        return row.institution
    if key == "assessments":
        return f"{row.kind} ({short_date(row.date)})"
    return pf.meeting_label(row)


class RecordsMixin:
    """The record and document tabs of :class:`PupilFileWindow`.

    Owns ``record_tabs``, ``documents_tab``, ``new_document_buttons`` and the school-career page;
    uses the window's ``ctx``, ``nav``, ``file``, ``pupil_id``, ``reload`` and ``_changed``.
    """

    def _build_record_tabs(self) -> None:
        """Guardians, care, school career, assessments and meetings, each a tab."""
        self.record_tabs: dict[str, RecordTab] = {}
        specs = [
            (
                "guardians",
                GUARDIAN_COLUMNS,
                QCoreApplication.translate("PupilFileWindow", "Ouder/verzorger &toevoegen…"),
                QCoreApplication.translate("PupilFileWindow", "Ouders/verzorgers"),
                QCoreApplication.translate(
                    "PupilFileWindow", "Alleen ouders/verzorgers met gezag ondertekenen het OPP."
                ),
                0,
                False,
            ),
            (
                "care",
                CARE_COLUMNS,
                QCoreApplication.translate("PupilFileWindow", "Hulpverlening &toevoegen…"),
                QCoreApplication.translate("PupilFileWindow", "Hulpverlening"),
                QCoreApplication.translate(
                    "PupilFileWindow",
                    "Hulpverlening bij de leerling, op school en in het gezin (OPP deel 1).",
                ),
                4,
                True,
            ),
            (
                "history",
                HISTORY_COLUMNS,
                QCoreApplication.translate("PupilFileWindow", "Stap &toevoegen…"),
                QCoreApplication.translate("PupilFileWindow", "Schoolloopbaan"),
                "",
                2,
                False,
            ),
            (
                "assessments",
                ASSESSMENT_COLUMNS,
                QCoreApplication.translate("PupilFileWindow", "Onderzoek &toevoegen…"),
                QCoreApplication.translate("PupilFileWindow", "Onderzoek"),
                QCoreApplication.translate(
                    "PupilFileWindow",
                    "Gevoelige (medische of psychologische) verslagen tonen hun conclusie "
                    "alleen als u het onderzoek opent.",
                )
                if reads_restricted(self.role)
                else QCoreApplication.translate(
                    "PupilFileWindow",
                    "Gevoelige (medische of psychologische) verslagen zijn alleen te lezen voor "
                    "de intern begeleider en de directie; u ziet wel dat ze er zijn.",
                ),
                0,
                True,
            ),
            (
                "meetings",
                MEETING_COLUMNS,
                QCoreApplication.translate("PupilFileWindow", "Vergadering &toevoegen…"),
                QCoreApplication.translate("PupilFileWindow", "Vergaderingen"),
                "",
                0,
                True,
            ),
        ]
        for key, columns, add_text, title, intro, sort_col, desc in specs:
            tab = RecordTab(
                columns,
                add_text=add_text,
                name=key,
                intro=intro,
                sort_column=sort_col,
                descending=desc,
            )
            tab.addRequested.connect(lambda k=key: self._on_add_record(k))
            tab.editRequested.connect(lambda row, k=key: self._on_edit_record(k, row))
            tab.removeRequested.connect(lambda row, k=key: self._on_remove_record(k, row))
            if key in PARENT_VIEW_KINDS:
                self._add_parent_view_button(key, tab)
            self.record_tabs[key] = tab
            if key == "history":
                self.tabs.addTab(self._build_history_page(tab), title)
            else:
                self.tabs.addTab(tab, title)

    def _add_parent_view_button(self, key: str, tab: RecordTab) -> None:
        """ "Zienswijze ouders…": the parents' own view on the selected record (issue 19)."""
        button = QPushButton(
            QCoreApplication.translate("PupilFileWindow", "&Zienswijze ouders…")
        )
        button.setObjectName(f"{key}-parent-view")
        button.setToolTip(
            QCoreApplication.translate(
                "PupilFileWindow",
                "Ouders mogen hun eigen zienswijze toevoegen aan een oordeel in het dossier; "
                "die staat naast het oordeel en gaat mee op papier.",
            )
        )
        button.clicked.connect(lambda _=False, k=key: self._on_parent_view(k))
        tab.buttons.insertWidget(tab.buttons.count() - 1, button)
        tab.view.selectionModel().selectionChanged.connect(
            lambda *_a, t=tab, b=button: b.setEnabled(t.current() is not None and not t.read_only)
        )
        button.setEnabled(False)
        if not hasattr(self, "parent_view_buttons"):
            self.parent_view_buttons: dict[str, QPushButton] = {}
        self.parent_view_buttons[key] = button

    def _on_parent_view(self, key: str) -> None:
        from ib_desktop.ui.pupil_file.parent_view_dialog import ParentViewDialog

        row = self.record_tabs[key].current()
        if row is None or (self.file is not None and self.file.read_only):
            return
        if ParentViewDialog.add_to(
            self, self.ctx, self.pupil_id, PARENT_VIEW_KINDS[key], row, _describe(key, row)
        ) is not None:
            self.reload()
            self._changed()

    def _build_history_page(self, tab: RecordTab) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.career_label = QLabel()
        self.career_label.setWordWrap(True)
        lay.addWidget(self.career_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(tab)
        groups = QWidget()
        groups_lay = QVBoxLayout(groups)
        groups_lay.setContentsMargins(9, 0, 9, 9)
        title = QLabel(
            QCoreApplication.translate(
                "PupilFileWindow", "<b>Groepen op deze school per schooljaar</b>"
            )
        )
        self.membership_model = RecordTableModel(MEMBERSHIP_COLUMNS, self)
        self.membership_view = QTableView()
        self.membership_view.setObjectName("memberships-table")
        self.membership_view.setAccessibleName(
            QCoreApplication.translate("PupilFileWindow", "Groepen per schooljaar")
        )
        self.membership_view.setModel(self.membership_model)
        self.membership_view.verticalHeader().hide()
        self.membership_view.horizontalHeader().setStretchLastSection(True)
        self.membership_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.membership_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        groups_lay.addWidget(title)
        groups_lay.addWidget(self.membership_view)
        splitter.addWidget(groups)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        lay.addWidget(splitter, 1)
        return page

    def _build_documents(self) -> QWidget:
        tab = RecordTab(
            DOCUMENT_COLUMNS, add_text="", name="documents", sort_column=3, descending=True
        )
        tab.add_button.hide()
        tab.remove_button.hide()
        tab.edit_text = tab.view_text = QCoreApplication.translate("PupilFileWindow", "&Openen")
        tab.edit_button.setText(tab.edit_text)
        tab.editRequested.connect(self._on_open_document)
        tab.model.muted = lambda d: not d.is_open
        self.new_document_buttons: dict[str, QPushButton] = {}
        for kind, text in (
            (
                "korte_interventie",
                QCoreApplication.translate("PupilFileWindow", "Nieuwe &korte interventie…"),
            ),
            (
                "groeidocument",
                QCoreApplication.translate("PupilFileWindow", "Nieuw &groeidocument…"),
            ),
            ("opp", QCoreApplication.translate("PupilFileWindow", "Nieuw O&PP…")),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind: self._on_new_document(k))
            tab.buttons.insertWidget(tab.buttons.count() - 1, button)
            self.new_document_buttons[kind] = button
        self.documents_tab = tab
        return tab

    def _fill_records(self, file: pf.PupilFile) -> None:
        self.record_tabs["guardians"].set_rows(
            file.guardians,
            QCoreApplication.translate("PupilFileWindow", "Nog geen ouders/verzorgers vastgelegd."),
        )
        self.record_tabs["care"].set_rows(
            file.care_providers,
            QCoreApplication.translate("PupilFileWindow", "Geen hulpverlening vastgelegd."),
        )
        self.record_tabs["history"].set_rows(
            file.history,
            QCoreApplication.translate(
                "PupilFileWindow", "Nog geen eerdere scholen of voorschoolse periode vastgelegd."
            ),
        )
        self.record_tabs["assessments"].set_rows(
            file.assessments,
            QCoreApplication.translate("PupilFileWindow", "Geen onderzoek vastgelegd."),
        )
        self.record_tabs["meetings"].set_rows(
            file.meetings,
            QCoreApplication.translate(
                "PupilFileWindow", "Nog geen vergaderingen over deze leerling."
            ),
        )
        self.record_tabs["care"].model.muted = lambda c: bool(
            c.end_date and c.end_date < self.ctx.today()
        )
        self.membership_model.set_rows(file.memberships)
        self.career_label.setText(
            QCoreApplication.translate(
                "PupilFileWindow",
                "Eerste schooldag: <b>%s</b> &nbsp;·&nbsp; Ingeschreven op deze school: <b>%s</b>",
            )
            % (
                long_date(file.data.first_school_day)
                or QCoreApplication.translate("PupilFileWindow", "onbekend"),
                long_date(file.data.enrolled_on)
                or QCoreApplication.translate("PupilFileWindow", "onbekend"),
            )
        )
        self.documents_tab.set_rows(
            file.documents,
            QCoreApplication.translate(
                "PupilFileWindow", "Nog geen korte interventies, groeidocumenten of OPP's."
            ),
        )

    @Slot()
    def _on_add_record(self, key: str) -> None:
        dialog_cls = RECORD_SPECS[key][0]
        if dialog_cls.edit(self, self.ctx, self.pupil_id) is not None:
            self.reload()
            self._changed()

    def _on_edit_record(self, key: str, row: Any) -> None:
        dialog_cls = RECORD_SPECS[key][0]
        if self.file is not None and self.file.read_only:
            dialog_cls.view(self, self.ctx, self.pupil_id, row.id)
            return
        if dialog_cls.edit(self, self.ctx, self.pupil_id, row.id) is not None:
            self.reload()
            self._changed()
        else:
            self.reload()  # it may have been removed elsewhere

    def _on_remove_record(self, key: str, row: Any) -> None:
        _dialog, delete, what = RECORD_SPECS[key]
        extra = ""
        if key == "meetings" and row.other_pupils:
            extra = QCoreApplication.translate(
                "PupilFileWindow",
                "\n\nDe vergadering gaat ook over andere leerlingen; zij houden haar.",
            )
        if not confirm(
            self,
            QCoreApplication.translate("PupilFileWindow", "Verwijderen"),
            QCoreApplication.translate("PupilFileWindow", "%s '%s' verwijderen uit het dossier?")
            % (QCoreApplication.translate("RecordSpecs", what).capitalize(), _describe(key, row))
            + extra,
        ):
            return
        try:
            with self.ctx.db.session() as s:
                if key in ("care", "assessments", "meetings"):
                    delete(s, self.pupil_id, row.id, actor=self.ctx.actor, role=self.role)
                else:
                    delete(s, self.pupil_id, row.id, actor=self.ctx.actor)
        except (ReadOnlyError, pf.RecordGoneError, pf.RestrictedError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
        self.reload()
        self._changed()

    # -------------------------------------------------------------- documents
    def _on_open_document(self, row: pf.DocumentRow) -> None:
        self.nav.open_document(row.kind, row.open_id)

    def _on_new_document(self, kind: str) -> None:
        if kind == "opp" and self.file is not None:
            running = [d for d in self.file.documents if d.kind == "opp" and d.is_open]
            if running:
                if confirm(
                    self,
                    QCoreApplication.translate("PupilFileWindow", "Nieuw OPP"),
                    QCoreApplication.translate(
                        "PupilFileWindow",
                        "Deze leerling heeft al een lopend OPP. Een nieuwe versie maakt u in "
                        "dat OPP. Het lopende OPP openen?",
                    ),
                ):
                    self.nav.open_document("opp", running[0].open_id)
                return
        self.nav.open_document(kind, pupil_id=self.pupil_id)
