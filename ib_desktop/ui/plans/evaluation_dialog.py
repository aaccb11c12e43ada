"""Entering the evaluation behind one schedule moment, without opening the whole document.

A teacher evaluating a korte interventie, a groeidocument period (all its goals at once) or an OPP
goal needs the goal and what was done as context, and only the evaluation fields to write in.
:class:`EvaluationForm` is that form; the teachers' screen shows it beside its list, and
:class:`EvaluationDialog` shows it for one moment (the agenda opens it for an overdue item).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.services import plans
from ib_desktop.services.versioned import EditConflict
from ib_desktop.storage import DatabaseError
from ib_desktop.ui.plans.fields import (
    OptionalDateEdit,
    align_form_labels,
    combo_outcome,
    labelled_row,
    outcome_combo,
    set_combo_outcome,
    set_staff,
    staff_combo,
)
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, ConflictDialog
from ib_desktop.ui.widgets.date_field import check_dates
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.rich_text import RichTextEdit
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors

OVERDUE_STYLE = "color: #b00020; font-weight: bold;"
CONTEXT_STYLE = "color: #444444;"
CARRIED_STYLE = "color:#7a4b00;"


def due_text(task: plans.EvaluationTask, today: date) -> str:
    """ "evalueren op 12 november 2026 (6 dagen te laat)"."""
    days = (today - task.due).days
    text = f"evalueren op {long_date(task.due)}"
    if task.complete:
        return text + " (ingevuld)"
    if days > 0:
        return text + (" (1 dag te laat)" if days == 1 else f" ({days} dagen te laat)")
    if days == 0:
        return text + " (vandaag)"
    return text


class TargetBlock(QGroupBox):
    """One goal: its doel and uitvoering to read, its evaluation and outcome to write."""

    def __init__(
        self, target: plans.EvaluationTarget, errors: ErrorMap, parent: QWidget | None = None
    ) -> None:
        super().__init__(target.label, parent)
        self.target = target
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if target.carried_over_note:
            note = QLabel("\u21bb " + target.carried_over_note)
            note.setStyleSheet(CARRIED_STYLE)
            form.addRow("", note)
        self.goal_view = self._context(target.goal)
        form.addRow(self.tr("Doel:"), self.goal_view)
        if target.execution.strip():
            label = self.tr("Tussendoelen:") if target.kind == "oppdoel" else self.tr("Uitvoering:")
            self.execution_view = self._context(target.execution)
            form.addRow(label, self.execution_view)
        self.evaluation_edit = RichTextEdit(min_lines=3, max_lines=12)
        self.evaluation_edit.setMarkdown(target.evaluation)
        self.evaluation_edit.setPlaceholderText(
            self.tr("Is het doel gehaald? Wat werkte, wat niet, hoe verder?")
        )
        self.evaluation_edit.setAccessibleName(self.tr("%s: evaluatie") % target.label)
        self.outcome_combo = outcome_combo()
        set_combo_outcome(self.outcome_combo, target.outcome)
        self.outcome_combo.setAccessibleName(self.tr("%s: uitkomst") % target.label)
        ev = errors.wrap(f"{target.key}:evaluation", self.evaluation_edit)
        ev.setFocusProxy(None)
        oc = errors.wrap(f"{target.key}:outcome", self.outcome_combo)
        oc.setFocusProxy(None)
        form.addRow(self.tr("Evaluatie:"), ev)
        form.addRow(self.tr("Uitkomst:"), labelled_row(oc))
        self.form = form

    def _context(self, text: str) -> RichTextEdit:
        view = RichTextEdit(min_lines=1, max_lines=8)
        view.setMarkdown(text or self.tr("(niet ingevuld)"))
        view.setReadOnly(True)
        view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        view.setStyleSheet(CONTEXT_STYLE)
        return view

    def value(self) -> tuple[str, Any]:
        """(evaluation, outcome) as typed."""
        return self.evaluation_edit.markdown(), combo_outcome(self.outcome_combo)


class EvaluationForm(QWidget):
    """The evaluation of one task: context read-only, evaluation fields editable."""

    def __init__(
        self, ctx: Any, staff: list[plans.StaffChoice], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.staff = staff
        self.task: plans.EvaluationTask | None = None
        self.errors = ErrorMap()
        self.blocks: list[TargetBlock] = []
        self._baseline: dict[str, Any] = {}
        # The person working ("Ik ben") evaluates, unless a task says otherwise.
        self.default_evaluator: int | None = getattr(ctx, "user_staff_id", None)

        self.pupil_label = QLabel()
        font = self.pupil_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.pupil_label.setFont(font)
        self.pupil_label.setObjectName("evaluation-pupil")
        self.what_label = QLabel()
        self.what_label.setWordWrap(True)
        self.due_label = QLabel()
        self.read_only_label = QLabel()
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setStyleSheet(
            "background:#eeeeee; padding:6px; border:1px solid #cccccc;"
        )
        self.read_only_label.hide()
        self.general_error = QLabel()
        self.general_error.setStyleSheet("color: #b00020;")
        self.general_error.setWordWrap(True)
        self.general_error.hide()

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.body)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.by_combo = staff_combo(staff, editable=False, empty="\u2014")
        self.by_combo.setAccessibleName(self.tr("Geëvalueerd door"))
        self.on_edit = OptionalDateEdit()
        self.on_edit.setAccessibleName(self.tr("Geëvalueerd op"))
        on_w = self.errors.wrap("evaluated_on", self.on_edit)
        on_w.setFocusProxy(None)
        who = QHBoxLayout()
        who.addWidget(QLabel(self.tr("Geëvalueerd door")))
        who.addWidget(self.by_combo)
        who.addWidget(QLabel(self.tr("op")))
        who.addWidget(on_w)
        who.addStretch(1)

        lay = QVBoxLayout(self)
        lay.addWidget(self.pupil_label)
        lay.addWidget(self.what_label)
        lay.addWidget(self.due_label)
        lay.addWidget(self.read_only_label)
        lay.addWidget(self.general_error)
        lay.addWidget(self.scroll, 1)
        lay.addLayout(who)

    # ------------------------------------------------------------------ showing a task
    def set_task(self, task: plans.EvaluationTask | None, *, evaluator: int | None = None) -> None:
        """Show a task (None: an empty form)."""
        self.task = task
        self.errors.clear()
        self.errors.fields = {k: v for k, v in self.errors.fields.items() if k == "evaluated_on"}
        self.general_error.hide()
        for block in self.blocks:
            block.setParent(None)
            block.deleteLater()
        self.blocks = []
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if task is None:
            self.pupil_label.setText("")
            self.what_label.setText("")
            self.due_label.setText("")
            self.read_only_label.hide()
            self.by_combo.setEnabled(False)
            self.on_edit.setEnabled(False)
            self._baseline = self.collect()
            return
        today = self.ctx.today()
        self.pupil_label.setText(task.pupil_name)
        group = self.tr("groep %s") % task.group_name if task.group_name else ""
        self.what_label.setText(" \u00b7 ".join(p for p in (group, task.document_title) if p))
        self.due_label.setText(due_text(task, today))
        self.due_label.setStyleSheet(OVERDUE_STYLE if task.is_overdue(today) else "")
        for target in task.targets:
            block = TargetBlock(target, self.errors)
            if len(task.targets) == 1:
                block.setTitle("")  # the header above already says what it is
            block.evaluation_edit.textChanged.connect(self._on_edited)
            self.blocks.append(block)
            self.body_layout.addWidget(block)
            block.show()  # now, not after the next event loop turn: the form is already shown
        self.body_layout.addStretch(1)
        align_form_labels(*(b.form for b in self.blocks))
        first = task.targets[0] if task.targets else None
        by = (
            first.evaluated_by_id
            if first and first.evaluated_by_id
            else (evaluator or self.default_evaluator)
        )
        set_staff(self.by_combo, by)
        self.on_edit.set_value(first.evaluated_on if first and first.evaluated_on else today)
        read_only = task.read_only
        self.read_only_label.setText(
            task.read_only_reason
            + " "
            + self.tr("De evaluatie kan hier niet meer worden gewijzigd.")
        )
        self.read_only_label.setVisible(read_only)
        for block in self.blocks:
            block.evaluation_edit.setReadOnly(read_only)
            block.outcome_combo.setEnabled(not read_only)
        self.by_combo.setEnabled(not read_only and task.source_kind != plans.OPP_VERSION_ENTITY)
        self.on_edit.setEnabled(not read_only and task.source_kind != plans.OPP_VERSION_ENTITY)
        order: list[QWidget] = []
        for block in self.blocks:
            order += [block.evaluation_edit, block.outcome_combo]
        order += [self.by_combo, self.on_edit]
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self._baseline = self.collect()

    def first_field(self) -> QWidget | None:
        """Where typing starts: the first evaluation."""
        return self.blocks[0].evaluation_edit if self.blocks else None

    # ------------------------------------------------------------------ values
    def values(self) -> dict[str, tuple[str, Any]]:
        """Per target key (evaluation, outcome) as typed."""
        return {b.target.key: b.value() for b in self.blocks}

    def collect(self) -> dict[str, Any]:
        """Everything the user can change here."""
        return {
            "values": {k: (t, o.value if o else None) for k, (t, o) in self.values().items()},
            "by": self.by_combo.currentData(),
            "on": self.on_edit.value(),
        }

    def is_dirty(self) -> bool:
        """Something was typed since the task was shown or saved."""
        return (
            self.task is not None and not self.task.read_only and self.collect() != self._baseline
        )

    # ------------------------------------------------------------------ saving
    def save(self) -> bool:
        """Write the evaluation fields; errors are shown and nothing typed is lost."""
        task = self.task
        if task is None or task.read_only or not check_dates(self):
            return False  # a date field says what is wrong beside it
        self.errors.clear()
        self.general_error.hide()
        while True:
            try:
                saved = self._store(task)
                break
            except ValidationErrors as exc:
                self._show_errors(exc.errors)
                return False
            except EditConflict as conflict:
                choice = ConflictDialog.choose(self, conflict)
                if choice is ConflictChoice.MINE and conflict.current_version is not None:
                    # On purpose: this goal's evaluation goes over the other person's.
                    task = self._with_version(task, conflict.record_id, conflict.current_version)
                    self.task = task
                    continue
                if choice is ConflictChoice.THEIRS:
                    self._keep_theirs(conflict)
                return False
            except (ConcurrentEditError, ReadOnlyError, LookupError) as exc:
                QMessageBox.warning(self, self.tr("Niet opgeslagen"), str(exc))
                return False
            except DatabaseError as exc:  # the server is away, the disk is full...
                # The typed evaluations stay in the form; the message says so.
                self.general_error.setText(str(exc))
                self.general_error.show()
                QMessageBox.warning(self, self.tr("Niet opgeslagen"), str(exc))
                return False
        self._show_saved(saved)
        return True

    def _store(self, task: plans.EvaluationTask) -> plans.EvaluationTask:
        """Save the typed evaluations of the task's goals; the saved task comes back.

        One unit of work that the database may run again when thirty teachers save at once.
        """
        values = self.values()
        by = self.by_combo.currentData()
        on = self.on_edit.value() or self.ctx.today()
        return self.ctx.db.run(
            lambda s: plans.save_evaluation_task(
                s, task, values, evaluated_by_id=by, evaluated_on=on, today=self.ctx.today(),
                actor=self.ctx.actor,
            )
        )  # fmt: skip

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its goal; the rest under the form."""
        unplaced = self.errors.show(errors)
        if unplaced:
            self.general_error.setText("\n".join(unplaced))
            self.general_error.show()

    def _show_saved(self, saved: plans.EvaluationTask) -> None:
        """The form takes the stored goals as its saved state."""
        self.task = saved
        for block in self.blocks:
            match = next((t for t in saved.targets if t.key == block.target.key), None)
            if match is not None:
                block.target = match
                block.evaluation_edit.mark_saved(match.evaluation)
        self.due_label.setText(due_text(saved, self.ctx.today()))
        self.due_label.setStyleSheet("")
        self._baseline = self.collect()

    @staticmethod
    def _with_version(
        task: plans.EvaluationTask, record_id: int | None, version: int
    ) -> plans.EvaluationTask:
        """The task with one target's loaded version replaced (to overwrite it on purpose)."""
        targets = [replace(t, version=version) if t.id == record_id else t for t in task.targets]
        return replace(task, targets=targets)

    def _keep_theirs(self, conflict: EditConflict) -> None:
        """Show the stored evaluation of the goal in conflict; other goals keep what was typed."""
        task = self.task
        if task is None or task.moment is None:
            return
        with self.ctx.db.session() as s:
            fresh = plans.load_evaluation_task(s, task.moment)
        stored = {t.id: t for t in fresh.targets} if fresh is not None else {}
        theirs = stored.get(conflict.record_id) if conflict.record_id is not None else None
        if fresh is None or theirs is None:
            self.set_task(fresh)  # the goal is gone: show what there is now
            return
        for block in self.blocks:
            if block.target.id == theirs.id:
                block.target = theirs
                block.evaluation_edit.setMarkdown(theirs.evaluation)
                block.evaluation_edit.mark_saved(theirs.evaluation)
                set_combo_outcome(block.outcome_combo, theirs.outcome)
        targets = [theirs if t.id == theirs.id else t for t in task.targets]
        self.task = replace(task, targets=targets)
        # That goal now shows what is stored, so it counts as unchanged; the rest stays as typed.
        shown = self.collect()["values"][theirs.key]
        baseline = dict(self._baseline)
        baseline["values"] = {**baseline.get("values", {}), theirs.key: shown}
        self._baseline = baseline

    @Slot()
    def _on_edited(self) -> None:
        """Writing an evaluation: date today (unless the user chose another)."""
        if self.on_edit.value() is None:
            self.on_edit.set_value(self.ctx.today())


def ask_save(parent: QWidget, form: EvaluationForm) -> bool:
    """Unsaved evaluation: save, throw away, or stay; True when it is fine to go on."""
    if not form.is_dirty():
        return True
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("EvaluationForm", "Evaluatie opslaan?"),
        QCoreApplication.translate(
            "EvaluationForm", "De evaluatie van %s is nog niet opgeslagen. Opslaan?"
        )
        % (form.task.pupil_name if form.task else ""),
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    if answer == QMessageBox.StandardButton.Save:
        return form.save()
    return answer == QMessageBox.StandardButton.Discard


class EvaluationDialog(QDialog):
    """The evaluation of one schedule moment."""

    def __init__(
        self,
        ctx: Any,
        task: plans.EvaluationTask,
        staff: list[plans.StaffChoice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Evaluatie - %s") % task.pupil_name)
        self.saved = False
        self.form = EvaluationForm(ctx, staff, self)
        self.form.set_task(task, evaluator=task.responsible_id)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            self.tr("Opslaan"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = buttons.addButton(
            self.tr("Sluiten") if task.read_only else self.tr("Annuleren"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.setEnabled(not task.read_only)
        self.save_button.setToolTip(self.tr("Opslaan (Ctrl+S of Ctrl+Enter)"))
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        for keys in (
            QKeySequence.StandardKey.Save,
            QKeySequence("Ctrl+Return"),
            QKeySequence("Ctrl+Enter"),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.activated.connect(self._on_save)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form, 1)
        lay.addWidget(buttons)
        size_window(self, "evaluation_dialog.EvaluationDialog", 720, 640)
        first = self.form.first_field()
        if first is not None and not task.read_only:
            first.setFocus()

    @Slot()
    def _on_save(self) -> None:
        if self.form.save():
            self.saved = True
            self.accept()

    def reject(self) -> None:
        """Esc or Annuleren: unsaved text is not dropped without asking."""
        if ask_save(self, self.form):
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """The window's close button asks too."""
        if ask_save(self, self.form):
            event.accept()
        else:
            event.ignore()

    @classmethod
    def enter(cls, parent: QWidget | None, ctx: Any, moment: Any) -> bool:
        """Enter the evaluation for one schedule moment; True when something was saved."""
        try:
            with ctx.db.session() as s:
                task = plans.load_evaluation_task(s, moment)
                staff = plans.staff_choices(s, ctx.school_id)
        except LookupError as exc:
            QMessageBox.warning(parent, APP_NAME, str(exc))
            return False
        if task is None or not task.targets:
            QMessageBox.information(
                parent,
                APP_NAME,
                QCoreApplication.translate(
                    "EvaluationDialog",
                    "Bij dit moment is hier niets te evalueren: het document is er niet meer of "
                    "heeft nog geen doelen. Open het document zelf om het te bekijken.",
                ),
            )
            return False
        dialog = cls(ctx, task, staff, parent)
        dialog.exec()
        if dialog.saved:
            notify = getattr(parent, "notify_changed", None)
            if notify is None and parent is not None:
                notify = getattr(parent.window(), "notify_changed", None)
            if notify is not None:
                notify()
        return dialog.saved
