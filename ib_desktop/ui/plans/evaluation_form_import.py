"""Evaluation forms by mail in *Evaluaties*: making the forms, and reviewing a returned one.

The review shows per goal of the returned form the pupil, what it is, the teacher's evaluation
and outcome, and what saving does ("nieuw", "leeg", "intussen gewijzigd", ...). A goal changed
in the app after the form was made shows the stored text beside the teacher's, and is only
overwritten when its box "Overschrijven" is ticked. Nothing is saved before "Opslaan".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import long_date
from ib_desktop.models import Outcome
from ib_desktop.services import plans
from ib_desktop.services.plans import evaluation_forms as ef
from ib_desktop.ui.widgets.table_model import ROW_ROLE, TableModel

_Index = QModelIndex | QPersistentModelIndex
#: The state of a goal on a returned form: source texts, translated when shown.
STATUS_LABELS = {
    ef.NEW: QT_TRANSLATE_NOOP("ReviewModel", "wordt opgeslagen"),
    ef.UNCHANGED: QT_TRANSLATE_NOOP("ReviewModel", "ongewijzigd"),
    ef.EMPTY: QT_TRANSLATE_NOOP("ReviewModel", "leeg: verandert niets"),
    ef.CONFLICT: QT_TRANSLATE_NOOP("ReviewModel", "intussen gewijzigd"),
    ef.INVALID: QT_TRANSLATE_NOOP("ReviewModel", "niet op te slaan"),
}
CONFLICT_COLOR = QColor("#b00020")
MUTED_COLOR = QColor("#5f6b5f")


class ReviewModel(TableModel):
    """The goals of a returned form; conflicts carry a check box "Overschrijven"."""

    COL_N, COL_PUPIL, COL_WHAT, COL_TEXT, COL_OUTCOME, COL_STATE, COL_OVERWRITE = range(7)
    ROW_ROLE = ROW_ROLE

    def __init__(self, rows: list[ef.ReviewRow], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = rows
        self._headers = [
            self.tr("Nr."),
            self.tr("Leerling"),
            self.tr("Wat"),
            self.tr("Evaluatie"),
            self.tr("Uitkomst"),
            self.tr("Stand"),
            self.tr("Overschrijven"),
        ]
        self.overwrite: set[int] = set()
        #: Outcomes chosen here for goals the teacher wrote without one.
        self.outcomes: dict[int, Outcome] = {}

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Only a conflict's "Overschrijven" can be ticked; a missing outcome can be chosen."""
        base = super().flags(index)
        if (
            index.isValid()
            and index.column() == self.COL_OUTCOME
            and self._rows[index.row()].needs_outcome
        ):
            return base | Qt.ItemFlag.ItemIsEditable
        if (
            index.isValid()
            and index.column() == self.COL_OVERWRITE
            and self._rows[index.row()].status == ef.CONFLICT
        ):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Texts, the state in colour, tool tips with the whole texts."""
        r = self.row_at(index)
        if r is None:
            return None
        col = index.column()
        if role == self.ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.EditRole and col == self.COL_OUTCOME:
            return r.outcome.value if r.outcome else ""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and col == self.COL_OUTCOME
            and r.needs_outcome
            and r.outcome is None
        ):
            return self.tr("kies…")
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.CheckStateRole and col == self.COL_OVERWRITE:
            if r.status != ef.CONFLICT:
                return None
            return Qt.CheckState.Checked if r.n in self.overwrite else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(r)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r)
        return None

    def _text(self, r: ef.ReviewRow, col: int) -> str | None:
        if col == self.COL_OVERWRITE:
            return None
        text = r.text.replace("\n", " ")
        return (
            str(r.n),
            r.pupil_name,
            r.what,
            text if len(text) <= 80 else text[:79] + "…",
            plans.outcome_label(r.outcome),
            QCoreApplication.translate("ReviewModel", STATUS_LABELS[r.status]),
        )[col]

    @staticmethod
    def _foreground(r: ef.ReviewRow) -> QBrush | None:
        """Red for what cannot be saved as it is, grey for what changes nothing."""
        if r.status in (ef.CONFLICT, ef.INVALID):
            return QBrush(CONFLICT_COLOR)
        if r.status in (ef.EMPTY, ef.UNCHANGED):
            return QBrush(MUTED_COLOR)
        return None

    def _tooltip(self, r: ef.ReviewRow) -> str | None:
        """The whole text, the note, and for a conflict what is stored now."""
        lines = [r.text] if r.text else []
        if r.note:
            lines.append(r.note)
        if r.status == ef.CONFLICT:
            lines.append(
                self.tr("Nu opgeslagen: %s (%s)")
                % (r.stored_text or "-", plans.outcome_label(r.stored_outcome) or "-")
            )
        return "\n\n".join(lines) or None

    def setData(  # noqa: N802 - Qt API
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Tick or untick "Overschrijven" of a conflict; choose a missing outcome."""
        if not index.isValid():
            return False
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.EditRole and index.column() == self.COL_OUTCOME:
            if not r.needs_outcome:
                return False
            r.outcome = Outcome(value) if value else None
            if r.outcome is None:
                self.outcomes.pop(r.n, None)
                r.status, r.note = ef.INVALID, self.tr("Geen uitkomst gekozen.")
            else:
                self.outcomes[r.n] = r.outcome
                r.status = ef.CONFLICT if r.changed_meanwhile else ef.NEW
                r.note = self.tr("Uitkomst gekozen bij het inlezen.")
            self.dataChanged.emit(
                self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1)
            )
            return True
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        if index.column() != self.COL_OVERWRITE or r.status != ef.CONFLICT:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        if checked:
            self.overwrite.add(r.n)
        else:
            self.overwrite.discard(r.n)
        self.dataChanged.emit(index, index, [role])
        return True


class OutcomeDelegate(QStyledItemDelegate):
    """A choice of the outcomes for a goal the teacher wrote without one."""

    def createEditor(  # noqa: N802 - Qt API
        self, parent: QWidget, _option: QStyleOptionViewItem, _index: _Index
    ) -> QWidget:
        """A combo box with the outcomes."""
        combo = QComboBox(parent)
        combo.setAccessibleName(self.tr("Uitkomst"))
        combo.addItem(self.tr("\u2014 kies \u2014"), "")
        for outcome, label in plans.OUTCOME_LABELS.items():
            combo.addItem(label, outcome.value)  # the service's Dutch label
        # The choice counts at once (no Enter needed to keep it).
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:  # noqa: N802 - Qt API
        """Show the current choice."""
        assert isinstance(editor, QComboBox)
        editor.blockSignals(True)
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))
        editor.blockSignals(False)

    def setModelData(  # noqa: N802 - Qt API
        self, editor: QWidget, model: QAbstractItemModel, index: _Index
    ) -> None:
        """Hand the choice to the model."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


@dataclass
class Choices:
    """What the user chose in the review."""

    overwrite: set[int] = field(default_factory=set)
    outcomes: dict[int, Outcome] = field(default_factory=dict)


class EvaluationFormImportDialog(QDialog):
    """The review of a returned form; "Opslaan" accepts with the chosen overwrites."""

    def __init__(self, review: ef.Review, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ingevuld evaluatieformulier"))
        self.review = review
        intro = QLabel(
            self.tr("Formulier van <b>%s</b>, gemaakt op %s. %s.")
            % (review.teacher_name, long_date(review.form.made_on), review.summary())
        )
        intro.setWordWrap(True)
        self.model = ReviewModel(review.rows, self)
        self.table = QTableView()
        self.table.setObjectName("evaluation-form-review")
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Evaluaties uit het formulier"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setItemDelegateForColumn(ReviewModel.COL_OUTCOME, OutcomeDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReviewModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        hint = QLabel()
        hint.setWordWrap(True)
        hints = []
        if review.conflicts:
            hints.append(
                self.tr(
                    "%d doel(en) zijn in het programma gewijzigd nadat het formulier is gemaakt. "
                    "Die blijven zoals ze zijn, tenzij u 'Overschrijven' aanvinkt. Kies een rij "
                    "om beide teksten te zien."
                )
                % len(review.conflicts)
            )
        if any(r.needs_outcome for r in review.rows):
            hints.append(
                self.tr(
                    "Bij een evaluatie zonder uitkomst kunt u de uitkomst hier kiezen "
                    "(dubbelklik op 'kies…'); anders wordt die evaluatie niet opgeslagen."
                )
            )
        hint.setText(" ".join(hints))
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("evaluation-form-detail")
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName(self.tr("De hele evaluatie"))
        self.detail.setMaximumHeight(150)
        self.detail.setPlaceholderText(self.tr("Kies een rij om de hele evaluatie te zien."))
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("Opslaan"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setEnabled(
            bool(review.to_save)
            or bool(review.conflicts)
            or any(r.needs_outcome for r in review.rows)
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.detail)
        lay.addWidget(hint)
        lay.addWidget(self.buttons)
        self.resize(1000, 600)

    @Slot(QModelIndex, QModelIndex)
    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ReviewModel.ROW_ROLE) if current.isValid() else None
        if row is None:
            self.detail.clear()
            return
        parts = [
            f"{row.pupil_name} · {row.what}",
            self.tr("Evaluatie uit het formulier (%s):")
            % (plans.outcome_label(row.outcome) or "-"),
            row.text or self.tr("(leeg)"),
        ]
        if row.note:
            parts.append(row.note)
        if row.status == ef.CONFLICT:
            parts += [
                self.tr("Nu opgeslagen (%s):") % (plans.outcome_label(row.stored_outcome) or "-"),
                row.stored_text or self.tr("(leeg)"),
            ]
        self.detail.setPlainText("\n\n".join(parts))

    @classmethod
    def ask(cls, review: ef.Review, parent: QWidget | None = None) -> Choices | None:
        """Show the review; what the user chose after "Opslaan", None when cancelled."""
        dialog = cls(review, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return Choices(set(dialog.model.overwrite), dict(dialog.model.outcomes))
        finally:
            dialog.deleteLater()


# ---------------------------------------------------------------------------- the actions


def make_forms(page: Any, within_days: int) -> list[Path]:
    """Ask for a folder and write one form per teacher with evaluations due into it."""
    from ib_desktop.reports.batch import safe_filename, write_atomic
    from ib_desktop.reports.evaluation_forms import evaluation_form_pdf

    everyone = QCoreApplication.translate("EvaluationsPage", "Alle leerkrachten met evaluaties")
    names = {c.name: c.id for c in page.staff}
    who, ok = QInputDialog.getItem(
        page,
        QCoreApplication.translate("EvaluationsPage", "Evaluatieformulieren maken"),
        QCoreApplication.translate(
            "EvaluationsPage",
            "Een formulier per leerkracht met de evaluaties tot en met %s. Voor wie?",
        )
        % long_date(page.ctx.today() + timedelta(days=within_days)),
        [everyone, *names],
        0,
        False,
    )
    if not ok:
        return []
    folder = QFileDialog.getExistingDirectory(
        page,
        QCoreApplication.translate("EvaluationsPage", "Map voor de evaluatieformulieren"),
        str(Path.home()),
    )
    if not folder:
        return []
    with page.ctx.db.session() as s:
        forms = ef.make_forms(
            s,
            page.ctx.school_id,
            today=page.ctx.today(),
            within_days=within_days,
            teacher_id=names.get(who),
        )
        if forms:
            from ib_desktop.ui.widgets.view_logging import EXPORTED, log_views

            log_views(s, page.ctx, [None], EXPORTED, "Evaluatieformulieren")
    if not forms:
        QMessageBox.information(
            page,
            QCoreApplication.translate("EvaluationsPage", "Evaluatieformulieren"),
            QCoreApplication.translate(
                "EvaluationsPage",
                "Er zijn geen evaluaties te doen in deze periode: er is geen formulier gemaakt.",
            ),
        )
        return []
    written = []
    for form in forms:
        path = Path(folder) / (safe_filename(form.file_stem) + ".pdf")
        written.append(write_atomic(path, evaluation_form_pdf(form)))
    names = "\n".join(f"• {f.teacher_name}: {len(f.items)} doel(en)" for f in forms)
    QMessageBox.information(
        page,
        QCoreApplication.translate("EvaluationsPage", "Evaluatieformulieren"),
        QCoreApplication.translate(
            "EvaluationsPage",
            "%d formulier(en) gemaakt in %s:\n\n%s\n\nMail elke leerkracht zijn of haar "
            "formulier; lees het ingevulde formulier daarna in met 'Ingevuld formulier inlezen…'.",
        )
        % (len(forms), folder, names),
    )
    return written


def import_form(page: Any) -> int:
    """Ask for a returned form, show the review, and save it after "Opslaan"; returns saved."""
    from ib_desktop.services.versioned import EditConflict

    path, _filter = QFileDialog.getOpenFileName(
        page,
        QCoreApplication.translate("EvaluationsPage", "Ingevuld evaluatieformulier inlezen"),
        str(Path.home()),
        QCoreApplication.translate("EvaluationsPage", "PDF-formulier (*.pdf);;Alle bestanden (*)"),
    )
    if not path:
        return 0
    title = QCoreApplication.translate("EvaluationsPage", "Evaluatieformulier inlezen")
    try:
        form = ef.read_form(Path(path).read_bytes())
        with page.ctx.db.session() as s:
            review = ef.review_form(s, page.ctx.school_id, form)
    except OSError as exc:
        QMessageBox.warning(
            page,
            title,
            QCoreApplication.translate("EvaluationsPage", "Het bestand kan niet worden gelezen: %s")
            % exc,
        )
        return 0
    except ef.FormRefused as exc:
        QMessageBox.warning(page, title, str(exc))
        return 0
    choices = EvaluationFormImportDialog.ask(review, page)
    if choices is None:
        return 0
    try:
        with page.ctx.db.session() as s:
            result = ef.apply_form(
                s,
                page.ctx.school_id,
                form,
                today=page.ctx.today(),
                actor=page.ctx.actor,
                overwrite=choices.overwrite,
                outcomes=choices.outcomes,
            )
    except ef.FormRefused as exc:
        QMessageBox.warning(page, title, str(exc))
        return 0
    except EditConflict as exc:
        QMessageBox.warning(
            page,
            title,
            str(exc)
            + "\n\n"
            + QCoreApplication.translate("EvaluationsPage", "Lees het formulier opnieuw in."),
        )
        return 0
    QMessageBox.information(
        page,
        title,
        QCoreApplication.translate("EvaluationsPage", "%d evaluatie(s) van %s opgeslagen.")
        % (result.saved, review.teacher_name),
    )
    return result.saved
