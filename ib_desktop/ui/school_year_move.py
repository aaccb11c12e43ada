"""The move to the next school year, as a preview the user checks and confirms.

The preview lists every pupil with the group now, the jaargroep (marked when estimated from the
age, in a combination group) and the group next year, which can be changed per pupil; group 8
leaves on 31 July. A backup is made first, and the move can be taken back afterwards
("Overgang terugdraaien").
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, short_date
from ib_desktop.services import school_year as sy
from ib_desktop.ui.widgets.forms import ok_cancel_buttons
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ValidationErrors

BACKUP_REASON = "voor-schooljaarovergang"
WARNING = QColor("#b00020")


class SchoolYearMoveDialog(QDialog):
    """The preview of the move; "Overgang maken" carries it out."""

    COL_PUPIL, COL_NOW, COL_GRADE, COL_NEXT = range(4)

    def __init__(self, ctx: Any, plan: sy.MovePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.result_move: sy.MoveResult | None = None
        self.backup_path: str = ""
        self.setWindowTitle(self.tr("Naar schooljaar %s - voorvertoning") % plan.target_label)
        self.summary = QLabel()
        self.summary.setObjectName("move-summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(len(plan.moves), 4)
        self.table.setObjectName("move-table")
        self.table.setAccessibleName(self.tr("Leerlingen naar het nieuwe schooljaar"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Leerling"), self.tr("Groep nu"), self.tr("Jaargroep"),
             self.tr("Volgend schooljaar")]
        )  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_PUPIL, QHeaderView.ResizeMode.Stretch)
        self.combos: dict[int, QComboBox] = {}
        for row, m in enumerate(plan.moves):
            self._fill_row(row, m)
        note = QLabel(
            self.tr(
                "Vóór de overgang wordt een back-up gemaakt, en u kunt de overgang daarna "
                "terugdraaien onder Instellingen > Groepen en medewerkers."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(note)
        buttons = ok_cancel_buttons(self, self.tr("Overgang maken"), self._on_ok)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        lay.addWidget(buttons)
        self._update_summary()
        size_window(self, "school_year_move.SchoolYearMoveDialog", 820, 600)

    def _fill_row(self, row: int, m: sy.PupilMove) -> None:
        self.table.setItem(row, self.COL_PUPIL, QTableWidgetItem(m.sort_name))
        self.table.setItem(row, self.COL_NOW, QTableWidgetItem(m.from_group))
        grade = str(m.grade) + (self.tr(" (geschat op leeftijd)") if m.grade_estimated else "")
        grade_item = QTableWidgetItem(grade)
        if m.grade_estimated:
            grade_item.setToolTip(
                self.tr(
                    "In een combinatiegroep is de jaargroep niet vastgelegd; hij is geschat op de "
                    "leeftijd op 1 oktober. Kies zo nodig een andere groep voor volgend jaar."
                )
            )
        self.table.setItem(row, self.COL_GRADE, grade_item)
        if m.leaves:
            item = QTableWidgetItem(
                self.tr("vertrekt op %s (einde groep 8)") % short_date(self.plan.leave_date)
            )
            self.table.setItem(row, self.COL_NEXT, item)
            return
        combo = QComboBox()
        combo.setAccessibleName(self.tr("Groep volgend jaar voor %s") % m.name)
        combo.addItem(self.tr("(geen groep)"), None)
        for name, _low, _high in self.plan.target_groups:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(m.to_group), 0) if m.to_group else 0)
        combo.currentIndexChanged.connect(self._update_summary)
        self.combos[m.pupil_id] = combo
        self.table.setCellWidget(row, self.COL_NEXT, combo)

    def destinations(self) -> dict[int, str | None]:
        """The group next year per pupil, as chosen in the preview."""
        return {pid: combo.currentData() for pid, combo in self.combos.items()}

    def without_group(self) -> list[sy.PupilMove]:
        """Pupils who move up but get no group."""
        chosen = self.destinations()
        return [m for m in self.plan.moves if not m.leaves and not chosen.get(m.pupil_id)]

    @Slot()
    def _update_summary(self, *_args: object) -> None:
        p = self.plan
        copies = ", ".join(html.escape(c.name) for c in p.group_copies)
        lines = [
            self.tr("<b>Van %s naar %s.</b>") % (p.source_label, p.target_label),
            (
                self.tr("%d groepen worden gekopieerd, met hun leerkrachten: %s.")
                % (len(p.group_copies), copies)
                if p.group_copies
                else self.tr("De groepen van %s bestaan al.") % p.target_label
            ),
            self.tr("%d leerlingen gaan een jaar verder.") % (len(p.moves) - len(p.leavers)),
            self.tr("%d leerlingen van groep 8 vertrekken op %s.")
            % (len(p.leavers), long_date(p.leave_date)),
        ]
        start = date(int(p.target_label[:4]), 8, 1)
        if self.ctx.today() < start:
            lines.append(
                self.tr(
                    "Let op: %s begint op %s. Na de overgang staan de leerlingen al in hun "
                    "nieuwe groep."
                )
                % (p.target_label, long_date(start))
            )
        missing = self.without_group()
        if missing:
            lines.append(
                "<span style='color:#b00020'>"
                + self.tr("%d leerlingen hebben volgend jaar nog geen groep.") % len(missing)
                + "</span>"
            )
        self.summary.setText("<br>".join(lines))
        names = {m.pupil_id for m in missing}
        for row, m in enumerate(p.moves):
            item = self.table.item(row, self.COL_PUPIL)
            if item is not None:
                item.setForeground(QBrush(WARNING) if m.pupil_id in names else QBrush())

    @Slot()
    def _on_ok(self) -> None:
        missing = self.without_group()
        if missing:
            answer = QMessageBox.question(
                self,
                APP_NAME,
                self.tr(
                    "%d leerlingen krijgen volgend jaar nog geen groep (o.a. %s). U kunt ze later "
                    "in een groep zetten. Toch doorgaan?"
                )
                % (len(missing), missing[0].name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        if not self._backup_first():
            return
        try:
            with self.ctx.db.session() as s:
                self.result_move = sy.apply_move(
                    s,
                    self.plan,
                    destinations=self.destinations(),
                    today=self.ctx.today(),
                    actor=self.ctx.actor,
                )
        except (sy.StaleMoveError, ValidationErrors) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.accept()

    def _backup_first(self) -> bool:
        """A backup before the move; without one the user decides (the undo still exists)."""
        from ib_desktop.backup import BackupError, make_backup

        try:
            info = make_backup(self.ctx.db, reason=BACKUP_REASON)
        except BackupError as exc:
            answer = QMessageBox.question(
                self,
                APP_NAME,
                self.tr(
                    "Er kon geen back-up worden gemaakt:\n%s\n\nDe overgang kan daarna wel worden "
                    "teruggedraaid. Toch doorgaan?"
                )
                % exc,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            return answer == QMessageBox.StandardButton.Yes
        self.backup_path = str(info.path)
        return True

    @classmethod
    def run(cls, ctx: Any, parent: QWidget | None = None) -> sy.MoveResult | None:
        """Make the preview, show it, and carry it out when confirmed; the result or None."""
        try:
            with ctx.db.session() as s:
                plan = sy.plan_move(s, ctx.school_id)
        except ValidationErrors as exc:
            QMessageBox.information(parent, APP_NAME, str(exc))
            return None
        dialog = cls(ctx, plan, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_move is None:
                return None
            r = dialog.result_move
            QMessageBox.information(
                parent,
                APP_NAME,
                QCoreApplication.translate(
                    "SchoolYearMoveDialog",
                    "De overgang naar %s is gemaakt: %d groepen gekopieerd, %d leerlingen een "
                    "jaar verder, %d leerlingen vertrokken.",
                )
                % (r.target_label, r.groups_copied, r.moved, r.left),
            )
            return r
        finally:
            dialog.deleteLater()


def undo_last_move(ctx: Any, parent: QWidget | None = None) -> bool:
    """Ask, then take back the newest move to a school year; True when done."""
    with ctx.db.session() as s:
        label = sy.last_move(s)
    if label is None:
        return False
    answer = QMessageBox.question(
        parent,
        APP_NAME,
        QCoreApplication.translate(
            "school_year_move",
            "De overgang naar %s terugdraaien? De leerlingen gaan terug naar hun groep, de "
            "leerlingen van groep 8 staan weer ingeschreven en de gekopieerde groepen zonder "
            "leerlingen verdwijnen.",
        )
        % label,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        with ctx.db.session() as s:
            sy.undo_move(s, ctx.school_id, label, today=ctx.today(), actor=ctx.actor)
    except ValidationErrors as exc:
        QMessageBox.warning(parent, APP_NAME, str(exc))
        return False
    return True
