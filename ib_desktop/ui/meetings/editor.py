"""One meeting: its fields, the agenda (proposed and chosen pupils), attendees, minutes and the
decisions per pupil that change a level, start a document or set a task; and its prints."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.models import MeetingKind
from ib_desktop.services.meetings import agenda, listing, minutes
from ib_desktop.services.pupil.labels import MEETING_KIND_LABELS
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.table_model import Column, TableModel, first_line, table_view
from ib_desktop.validation import ValidationErrors

DOCUMENTS = [
    ("korte_interventie", QT_TRANSLATE_NOOP("Meetings", "Korte interventie")),
    ("groeidocument", QT_TRANSLATE_NOOP("Meetings", "Groeidocument")),
    ("opp", QT_TRANSLATE_NOOP("Meetings", "OPP")),
]


class AgendaModel(TableModel):
    TR_CONTEXT = "Meetings"
    COLUMNS = [
        Column(QT_TRANSLATE_NOOP("Meetings", "Leerling"), lambda a: a.name),
        Column(QT_TRANSLATE_NOOP("Meetings", "Waarom"), lambda a: a.reason),
        Column(QT_TRANSLATE_NOOP("Meetings", "Besluit"), lambda a: first_line(a.decision, 60)),
    ]


class AttendeeModel(TableModel):
    TR_CONTEXT = "Meetings"
    COLUMNS = [
        Column(QT_TRANSLATE_NOOP("Meetings", "Naam"), lambda a: a.name),
        Column(QT_TRANSLATE_NOOP("Meetings", "Rol"), lambda a: a.role),
    ]


class MeetingEditor(QWidget):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.version: int | None = None
        self._notes = ""
        # the meeting's own fields
        self.kind_combo = QComboBox()
        for kind in listing.PAGE_KINDS:
            self.kind_combo.addItem(MEETING_KIND_LABELS[kind], kind)
        self.date_field = DateField()
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Titel"))
        self.held_check = QCheckBox(self.tr("&Gehouden"))
        self.header_error = QLabel()
        self.header_error.setStyleSheet("color: #b00020")
        self.header_error.setVisible(False)
        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.save_button.clicked.connect(self.save_header)
        self.delete_button = QPushButton(self.tr("Verwijderen"))
        self.delete_button.clicked.connect(self.delete)
        self.invite_button = QPushButton(self.tr("&Uitnodiging…"))
        self.invite_button.clicked.connect(lambda: self.print_sheet(invitation=True))
        self.minutes_button = QPushButton(self.tr("&Verslag…"))
        self.minutes_button.clicked.connect(lambda: self.print_sheet(invitation=False))
        head = QGridLayout()
        head.addWidget(QLabel(self.tr("Soort:")), 0, 0)
        head.addWidget(self.kind_combo, 0, 1)
        head.addWidget(QLabel(self.tr("Datum:")), 0, 2)
        head.addWidget(self.date_field, 0, 3)
        head.addWidget(self.held_check, 0, 4)
        head.addWidget(QLabel(self.tr("&Titel:")), 1, 0)
        head.addWidget(self.title_edit, 1, 1, 1, 4)
        head.itemAtPosition(1, 0).widget().setBuddy(self.title_edit)  # type: ignore[attr-defined]
        buttons = QHBoxLayout()
        for b in (self.save_button, self.invite_button, self.minutes_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._agenda_tab(), self.tr("&Agenda en besluiten"))
        self.tabs.addTab(self._attendee_tab(), self.tr("Aan&wezigen"))
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.header_error)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_header)
        self.setEnabled(False)

    # ------------------------------------------------------------------ building
    def _agenda_tab(self) -> QWidget:
        tab = QWidget()
        self.agenda_model = AgendaModel(self)
        self.agenda_table = table_view(self.agenda_model, name="agenda")  # type: ignore[arg-type]
        self.agenda_table.selectionModel().currentRowChanged.connect(self._on_pupil)
        self.proposed_model = AgendaModel(self)
        self.proposed_table = table_view(self.proposed_model, name="voorgesteld")  # type: ignore[arg-type]
        self.propose_button = QPushButton(self.tr("&Stel voor"))
        self.propose_button.clicked.connect(self.propose)
        self.accept_button = QPushButton(self.tr("Op de a&genda"))
        self.accept_button.clicked.connect(self.accept_proposed)
        self.pupil_combo = QComboBox()
        self.pupil_combo.setEditable(True)
        self.pupil_combo.setAccessibleName(self.tr("Leerling toevoegen"))
        self.add_pupil_button = QPushButton(self.tr("&Leerling toevoegen"))
        self.add_pupil_button.clicked.connect(self.add_pupil)
        self.remove_pupil_button = QPushButton(self.tr("Van de agenda"))
        self.remove_pupil_button.clicked.connect(self.remove_pupil)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Op de agenda")))
        left.addWidget(self.agenda_table, 3)
        row = QHBoxLayout()
        row.addWidget(self.pupil_combo, 1)
        row.addWidget(self.add_pupil_button)
        row.addWidget(self.remove_pupil_button)
        left.addLayout(row)
        prow = QHBoxLayout()
        prow.addWidget(QLabel(self.tr("Voorgesteld (wat aandacht vraagt)")))
        prow.addStretch(1)
        prow.addWidget(self.propose_button)
        prow.addWidget(self.accept_button)
        left.addLayout(prow)
        left.addWidget(self.proposed_table, 2)

        # per pupil: minutes, decision and what it sets going
        self.pupil_label = QLabel(self.tr("Kies een leerling op de agenda."))
        self.minutes_edit = QPlainTextEdit()
        self.minutes_edit.setAccessibleName(self.tr("Verslag"))
        self.decision_edit = QPlainTextEdit()
        self.decision_edit.setAccessibleName(self.tr("Besluit"))
        self.save_minutes_button = QPushButton(self.tr("Verslag op&slaan"))
        self.save_minutes_button.clicked.connect(self.save_minutes)
        self.level_combo = QComboBox()
        self.level_combo.setAccessibleName(self.tr("Nieuw niveau"))
        self.level_reason = QLineEdit()
        self.level_reason.setPlaceholderText(self.tr("Reden"))
        self.level_reason.setAccessibleName(self.tr("Reden niveauwijziging"))
        self.level_button = QPushButton(self.tr("Niveau &wijzigen"))
        self.level_button.clicked.connect(self.change_level)
        self.doc_combo = QComboBox()
        for key, label in DOCUMENTS:
            self.doc_combo.addItem(self.tr(label), key)
        self.doc_button = QPushButton(self.tr("Document &starten"))
        self.doc_button.clicked.connect(self.start_document)
        self.task_edit = QLineEdit()
        self.task_edit.setPlaceholderText(self.tr("Taak"))
        self.task_edit.setAccessibleName(self.tr("Taak"))
        self.task_date = DateField()
        self.task_button = QPushButton(self.tr("&Taak toevoegen"))
        self.task_button.clicked.connect(self.add_task)
        self.pupil_error = QLabel()
        self.pupil_error.setStyleSheet("color: #b00020")
        self.pupil_error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Verslag:"), self.minutes_edit)
        form.addRow(self.tr("Besluit:"), self.decision_edit)
        right = QVBoxLayout()
        right.addWidget(self.pupil_label)
        right.addLayout(form, 1)
        right.addWidget(self.save_minutes_button)
        grid = QGridLayout()
        grid.addWidget(self.level_combo, 0, 0, 1, 2)
        grid.addWidget(self.level_button, 0, 2)
        grid.addWidget(self.level_reason, 1, 0, 1, 3)
        grid.addWidget(self.doc_combo, 2, 0, 1, 2)
        grid.addWidget(self.doc_button, 2, 2)
        grid.addWidget(self.task_edit, 3, 0, 1, 3)
        grid.addWidget(self.task_date, 4, 0, 1, 2)
        grid.addWidget(self.task_button, 4, 2)
        right.addWidget(QLabel(self.tr("Besluit uitvoeren:")))
        right.addLayout(grid)
        right.addWidget(self.pupil_error)
        layout = QHBoxLayout(tab)
        layout.addLayout(left, 4)
        layout.addLayout(right, 5)
        return tab

    def _attendee_tab(self) -> QWidget:
        tab = QWidget()
        self.attendee_model = AttendeeModel(self)
        self.attendee_table = table_view(self.attendee_model, name="aanwezigen")  # type: ignore[arg-type]
        self.attendee_name = QLineEdit()
        self.attendee_name.setPlaceholderText(self.tr("Naam"))
        self.attendee_name.setAccessibleName(self.tr("Naam aanwezige"))
        self.attendee_role = QComboBox()
        self.attendee_role.setEditable(True)
        for role in minutes.ROLES:
            self.attendee_role.addItem(role)
        self.attendee_add = QPushButton(self.tr("Toevoegen"))
        self.attendee_add.clicked.connect(self.add_attendee)
        self.attendee_remove = QPushButton(self.tr("Verwijderen"))
        self.attendee_remove.clicked.connect(self.remove_attendee)
        row = QHBoxLayout()
        row.addWidget(self.attendee_name, 2)
        row.addWidget(self.attendee_role, 1)
        row.addWidget(self.attendee_add)
        row.addWidget(self.attendee_remove)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.attendee_table, 1)
        layout.addLayout(row)
        return tab

    # ------------------------------------------------------------------ loading
    def load(self, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        with self.ctx.db.session() as s:
            m = agenda.meeting_or_gone(s, meeting_id)
            self.version = m.version
            kind, day, title, held = MeetingKind(m.kind), m.date, m.title, m.held
            self._notes = m.notes  # kept as saved: this screen does not edit them
            lines = agenda.agenda_of(s, meeting_id)
            people = minutes.attendees(s, meeting_id)
            pupils = listing.pupil_choices(s, self.ctx.school_id)
            levels = listing.level_choices(s, self.ctx.school_id)
        index = self.kind_combo.findData(kind)
        self.kind_combo.setCurrentIndex(max(index, 0))
        self.date_field.set_value(day)
        self.task_date.set_value(day)
        self.title_edit.setText(title)
        self.held_check.setChecked(held)
        self.header_error.clear()
        self.agenda_model.set_rows(lines)
        self.attendee_model.set_rows(people)
        self.proposed_model.set_rows([])
        self.pupil_combo.clear()
        for pid, name in pupils:
            self.pupil_combo.addItem(name, pid)
        self.pupil_combo.setCurrentIndex(-1)
        self.level_combo.clear()
        for lid, label in levels:
            self.level_combo.addItem(label, lid)
        self._show_pupil(None)
        self.setEnabled(True)

    def _reload_agenda(self, select: int | None = None) -> None:
        with self.ctx.db.session() as s:
            lines = agenda.agenda_of(s, self.meeting_id)  # type: ignore[arg-type]
        self.agenda_model.set_rows(lines)
        row = next((i for i, a in enumerate(lines) if a.pupil_id == select), -1)
        if row >= 0:
            self.agenda_table.selectRow(row)
        self.saved.emit()

    def current_pupil(self):  # type: ignore[no-untyped-def]
        return self.agenda_model.row_at(self.agenda_table.currentIndex())

    def _on_pupil(self, index) -> None:  # type: ignore[no-untyped-def]
        self._show_pupil(self.agenda_model.row_at(index))

    def _show_pupil(self, line) -> None:  # type: ignore[no-untyped-def]
        self.pupil_error.clear()
        self.pupil_label.setText(f"<b>{line.name}</b>" if line else
                                 self.tr("Kies een leerling op de agenda."))  # fmt: skip
        self.minutes_edit.setPlainText(line.minutes if line else "")
        self.decision_edit.setPlainText(line.decision if line else "")
        for w in (self.minutes_edit, self.decision_edit, self.save_minutes_button,
                  self.level_button, self.doc_button, self.task_button):  # fmt: skip
            w.setEnabled(line is not None)

    # ------------------------------------------------------------------ actions
    def save_header(self) -> None:
        if self.meeting_id is None:
            return
        try:
            with self.ctx.db.session() as s:
                self.version = listing.save_header(
                    s, self.meeting_id, self.version, kind=self.kind_combo.currentData(),
                    day=self.date_field.value(), title=self.title_edit.text(), notes=self._notes,
                    held=self.held_check.isChecked(),
                )  # fmt: skip
        except ValidationErrors as exc:
            self.header_error.setText(" ".join(exc.errors.values()))
            self.header_error.setVisible(True)
            return
        except Exception as exc:  # an edit conflict: tell, keep what was typed
            self.header_error.setText(str(exc))
            self.header_error.setVisible(True)
            return
        self.header_error.clear()
        self.header_error.setVisible(False)
        self.saved.emit()

    def delete(self) -> None:
        if self.meeting_id is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Vergadering verwijderen"),
            self.tr("Deze vergadering met agenda, verslag en taken verwijderen?"),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        with self.ctx.db.session() as s:
            listing.delete_meeting(s, self.meeting_id)
        self.meeting_id = None
        self.setEnabled(False)
        self.saved.emit()

    def propose(self) -> None:
        with self.ctx.db.session() as s:
            lines = agenda.propose_pupils(s, self.meeting_id, today=self.ctx.today())  # type: ignore[arg-type]
        self.proposed_model.set_rows(lines)
        if not lines:
            self.pupil_error.setText(self.tr("Er vraagt nu geen leerling aandacht."))

    def accept_proposed(self) -> None:
        chosen = {i.row() for i in self.proposed_table.selectionModel().selectedRows()}
        rows = [self.proposed_model.row_at(i) for i in range(self.proposed_model.rowCount())]
        picked = [r for i, r in enumerate(rows) if not chosen or i in chosen]
        with self.ctx.db.session() as s:
            for line in picked:
                agenda.add_pupil(s, self.meeting_id, line.pupil_id, line.reason)  # type: ignore[arg-type]
        self.proposed_model.set_rows([r for r in rows if r not in picked])
        self._reload_agenda()

    def add_pupil(self) -> None:
        pid = self.pupil_combo.currentData()
        if pid is None:
            index = self.pupil_combo.findText(self.pupil_combo.currentText())
            pid = self.pupil_combo.itemData(index) if index >= 0 else None
        if pid is None:
            self.pupil_error.setText(self.tr("Kies een leerling uit de lijst."))
            return
        with self.ctx.db.session() as s:
            agenda.add_pupil(s, self.meeting_id, pid)  # type: ignore[arg-type]
        self._reload_agenda(pid)

    def remove_pupil(self) -> None:
        line = self.current_pupil()
        if line is None:
            return
        if line.minutes or line.decision:
            answer = QMessageBox.question(
                self, self.tr("Van de agenda"),
                self.tr("%s heeft een verslag of besluit. Toch van de agenda halen?") % line.name,
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
        with self.ctx.db.session() as s:
            agenda.remove_pupil(s, self.meeting_id, line.pupil_id)  # type: ignore[arg-type]
        self._reload_agenda()
        self._show_pupil(None)

    def save_minutes(self) -> None:
        line = self.current_pupil()
        if line is None:
            return
        with self.ctx.db.session() as s:
            minutes.save_minutes(s, self.meeting_id, line.pupil_id,  # type: ignore[arg-type]
                                 self.minutes_edit.toPlainText(),
                                 self.decision_edit.toPlainText(),
                                 actor=self.ctx.actor)  # fmt: skip
        self._reload_agenda(line.pupil_id)

    def _run(self, action) -> None:  # type: ignore[no-untyped-def]
        """Save the typed minutes first, then the decision's action; errors beside it."""
        line = self.current_pupil()
        if line is None:
            return
        try:
            with self.ctx.db.session() as s:
                minutes.save_minutes(s, self.meeting_id, line.pupil_id,  # type: ignore[arg-type]
                                     self.minutes_edit.toPlainText(),
                                     self.decision_edit.toPlainText(),
                                     actor=self.ctx.actor)  # fmt: skip
                action(s, line.pupil_id)
        except ValidationErrors as exc:
            self.pupil_error.setText(" ".join(exc.errors.values()))
            return
        except (LookupError, ValueError) as exc:
            self.pupil_error.setText(str(exc))
            return
        self._reload_agenda(line.pupil_id)
        self._show_pupil(self.current_pupil())

    def change_level(self) -> None:
        level_id = self.level_combo.currentData()
        reason = self.level_reason.text()
        self._run(lambda s, pid: minutes.decide_level(
            s, self.meeting_id, pid, level_id, reason, today=self.ctx.today(),
            actor=self.ctx.actor))  # fmt: skip
        if not self.pupil_error.text():
            self.level_reason.clear()

    def start_document(self) -> None:
        kind = self.doc_combo.currentData()
        self._run(lambda s, pid: minutes.start_document(
            s, self.meeting_id, pid, kind, today=self.ctx.today(),
            actor=self.ctx.actor))  # fmt: skip

    def add_task(self) -> None:
        due = self.task_date.value()
        if due is None:
            self.pupil_error.setText(self.tr("Vul een geldige datum in voor de taak."))
            return
        text = self.task_edit.text()
        self._run(lambda s, pid: minutes.add_task(s, self.meeting_id, text, due, pupil_id=pid))
        if not self.pupil_error.text():
            self.task_edit.clear()

    def add_attendee(self) -> None:
        people = list(self.attendee_model._rows)
        people.append(minutes.Attendee(self.attendee_name.text(), self.attendee_role.currentText()))
        self._save_attendees(people)

    def remove_attendee(self) -> None:
        row = self.attendee_table.currentIndex().row()
        people = list(self.attendee_model._rows)
        if 0 <= row < len(people):
            people.pop(row)
            self._save_attendees(people)

    def _save_attendees(self, people: list) -> None:  # type: ignore[type-arg]
        try:
            with self.ctx.db.session() as s:
                minutes.set_attendees(s, self.meeting_id, people)  # type: ignore[arg-type]
        except ValidationErrors:
            self.attendee_name.setFocus()
            self.attendee_name.setPlaceholderText(self.tr("Vul een naam in."))
            return
        self.attendee_model.set_rows(people)
        self.attendee_name.clear()

    def print_sheet(self, *, invitation: bool) -> None:
        if self.meeting_id is None:
            return
        from ib_desktop.reports.meetings import invitation_pdf, minutes_pdf
        from ib_desktop.services.meetings.sheet import meeting_sheet, record_print
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        what = "Uitnodiging" if invitation else "Verslag"
        with self.ctx.db.session() as s:
            sheet = meeting_sheet(s, self.meeting_id)
            pdf = invitation_pdf(sheet) if invitation else minutes_pdf(sheet)
            user = getattr(self.ctx, "user", None)
            record_print(s, sheet, what, actor=self.ctx.actor, login=getattr(user, "login", None))
        name = f"{what.lower()}-{sheet.date.isoformat()}.pdf"
        PdfPreviewDialog.preview(self, pdf, f"{what} {sheet.title}", name)
