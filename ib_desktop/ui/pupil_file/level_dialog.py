"""Op-/afschalen: move a pupil to another level of the school's support staircase.

The dialog asks what every move needs (new level, date, reason, who decided) and optionally the
area and the meeting where it was decided (an existing one, or a new one made in the same
transaction). While the IB-er chooses, it says whether this is opschalen or afschalen and whether
the new level requires a document the pupil lacks; after saving it offers to start that document.

    change = LevelChangeDialog.change(parent, ctx, pupil_id, nav=nav)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.models import DocumentKind, MeetingKind, PupilStatus
from ib_desktop.services import pupil as pf
from ib_desktop.services.levels import DOCUMENT_LABELS, LevelChange, missing_label, required_missing
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.pupil_file.form_helpers import confirm, level_icon, plain_edit, show_problems
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.staff_picker import StaffPicker
from ib_desktop.validation import ValidationErrors

NEW_MEETING_KINDS = [
    MeetingKind.KINDBESPREKING,
    MeetingKind.OT,
    MeetingKind.MDO,
    MeetingKind.OUDERGESPREK,
]
WARNING_BOX = (
    "QLabel { background: #fff4e5; border: 1px solid #f0b35a; border-radius: 4px; padding: 6px; }"
)
INFO_BOX = (
    "QLabel { background: #eef4fb; border: 1px solid #b6cde8; border-radius: 4px; padding: 6px; }"
)


class LevelChangeDialog(QDialog):
    """New level, date, reason, who decided, area and meeting; warns about missing documents."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, pupil_id: int) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.result_change: LevelChange | None = None
        self.errors = ErrorMap()
        with ctx.db.session() as s:
            self.info: dict[str, Any] = pf.pupil_level_context(s, pupil_id, today=ctx.today())
        self.setWindowTitle(self.tr("Op-/afschalen - %s") % self.info["name"])
        self.setMinimumWidth(600)

        header = QLabel(
            f"<b>{self.info['name']}</b>"
            + (self.tr(" &middot; groep %s") % self.info["group"] if self.info["group"] else "")
        )
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)

        form = self._build_form()
        form.addRow(*self._build_meeting_rows())
        self._build_notes()
        self._build_buttons()

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.current_label)
        layout.addLayout(form)
        layout.addWidget(self.history_label)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.buttons)

        self.setTabOrder(self.area_combo, self.level_combo)
        self.setTabOrder(self.level_combo, self.date_edit)
        self.setTabOrder(self.date_edit, self.reason_edit)
        self.setTabOrder(self.reason_edit, self.decided_combo)
        self.setTabOrder(self.decided_combo, self.no_meeting)

        self.area_combo.currentIndexChanged.connect(self._on_area_changed)
        self.level_combo.currentIndexChanged.connect(self._on_level_changed)
        self.meeting_group.buttonToggled.connect(self._on_meeting_mode)
        self.date_edit.textChanged.connect(self._on_date_changed)
        self._on_area_changed()
        self._on_meeting_mode()
        self._initial = self._state()
        self.level_combo.setFocus()

    def _build_form(self) -> QFormLayout:
        """Area, new level, direction, date, reason and who decided."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.area_combo = QComboBox()
        self.area_combo.addItem(self.tr("Hele leerling"), "")
        for area in self.info["areas"]:
            self.area_combo.addItem(area, area)
        self._add(form, self.tr("&Geldt voor:"), "area", self.area_combo)
        self.level_combo = QComboBox()
        self._add(form, self.tr("&Nieuw niveau:"), "level", self.level_combo)
        self.direction_label = QLabel()
        self.direction_label.setObjectName("direction")
        form.addRow("", self.direction_label)
        self.date_edit = DateField(self.ctx.today())
        self._add(form, self.tr("&Datum besluit:"), "start_date", self.date_edit)
        self.reason_edit = plain_edit(4)
        self.reason_edit.setMaximumHeight(self.reason_edit.fontMetrics().lineSpacing() * 7 + 12)
        self.reason_edit.setPlaceholderText(
            self.tr("Waarom gaat de leerling naar dit niveau? Bijv. de uitkomst van de evaluatie.")
        )
        self._add(form, self.tr("&Reden:"), "reason", self.reason_edit)
        self.decided_combo = self._build_decider()
        self._add(form, self.tr("&Besloten door:"), "decided_by", self.decided_combo)
        return form

    def _build_decider(self) -> StaffPicker:
        """Who decided: the person working, else the actor by name, else the IB-er."""
        ctx = self.ctx
        roles = {
            "ib": self.tr("IB-er"),
            "directie": self.tr("directie"),
            "leerkracht": self.tr("leerkracht"),
        }
        picker = StaffPicker(
            [(sid, f"{name} ({roles.get(role, role)})") for sid, name, role in self.info["staff"]]
        )
        names = [name for _sid, name, _role in self.info["staff"]]
        ib_rows = [i for i, (_sid, _n, role) in enumerate(self.info["staff"]) if role == "ib"]
        # The person working (chosen with "Ik ben") records the decision; until someone chose,
        # the school's IB-er, who usually decides.
        my_id = getattr(ctx, "user_staff_id", None)
        me = picker.findData(my_id) if my_id else -1
        default_index = (
            me
            if me >= 0
            else names.index(ctx.actor)
            if ctx.actor in names
            else (ib_rows[0] if ib_rows else -1)
        )
        picker.setCurrentIndex(default_index)
        return picker

    def _build_meeting_rows(self) -> tuple[QLabel, QFrame]:
        """The meeting: none, an existing one of this pupil, or a new one."""
        ctx = self.ctx
        meeting_box = QFrame()
        grid = QGridLayout(meeting_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.no_meeting = QRadioButton(self.tr("Geen &vergadering"))
        self.existing_meeting = QRadioButton(self.tr("Bestaande vergadering:"))
        self.new_meeting = QRadioButton(self.tr("Nieuwe vergadering:"))
        self.meeting_group = QButtonGroup(self)
        for b in (self.no_meeting, self.existing_meeting, self.new_meeting):
            self.meeting_group.addButton(b)
        self.meeting_combo = QComboBox()
        self.meeting_combo.setAccessibleName(self.tr("Bestaande vergadering"))
        for m in self.info["meetings"]:
            self.meeting_combo.addItem(pf.meeting_label(m), m.id)
        self.meeting_kind_combo = QComboBox()
        self.meeting_kind_combo.setAccessibleName(self.tr("Soort nieuwe vergadering"))
        for kind in NEW_MEETING_KINDS:
            self.meeting_kind_combo.addItem(self.tr(pf.MEETING_KIND_LABELS[kind]), kind)
        self.meeting_date_edit = DateField(ctx.today())
        self.meeting_date_edit.setAccessibleName(self.tr("Datum nieuwe vergadering"))
        grid.addWidget(self.no_meeting, 0, 0, 1, 3)
        grid.addWidget(self.existing_meeting, 1, 0)
        grid.addWidget(self.errors.wrap("meeting", self.meeting_combo), 1, 1, 1, 2)
        grid.addWidget(self.new_meeting, 2, 0)
        grid.addWidget(self.errors.wrap("meeting_kind", self.meeting_kind_combo), 2, 1)
        on_label = QLabel(self.tr("op"))
        grid.addWidget(on_label, 2, 2)
        grid.addWidget(self.errors.wrap("meeting_date", self.meeting_date_edit), 2, 3)
        grid.setColumnStretch(1, 1)
        meeting_label = QLabel(self.tr("Vergadering:"))
        meeting_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        recent = [
            m
            for m in self.info["meetings"]
            if m.date <= ctx.today() and (ctx.today() - m.date).days <= 14
        ]
        if recent:
            self.existing_meeting.setChecked(True)
            self.meeting_combo.setCurrentIndex(self.meeting_combo.findData(recent[0].id))
        else:
            self.no_meeting.setChecked(True)
        self.existing_meeting.setEnabled(self.meeting_combo.count() > 0)
        return meeting_label, meeting_box

    def _build_notes(self) -> None:
        """The boxes about missing documents and about a move placed in the past."""
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missing")
        self.missing_label.setWordWrap(True)
        self.missing_label.setTextFormat(Qt.TextFormat.RichText)
        self.missing_label.setStyleSheet(WARNING_BOX)
        self.missing_label.hide()
        self.history_label = QLabel()
        self.history_label.setObjectName("backdated")
        self.history_label.setWordWrap(True)
        self.history_label.setStyleSheet(INFO_BOX)
        self.history_label.hide()

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Opslaan"))
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _add(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        lbl = QLabel(label)
        lbl.setBuddy(widget)
        if name == "reason":
            lbl.setAlignment(Qt.AlignmentFlag.AlignTop)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow(lbl, self.errors.wrap(name, widget))

    # -------------------------------------------------------------- state
    def current_step(self) -> pf.LevelStep | None:
        """The open level of the chosen area (None: no level yet)."""
        return self.info["current"].get(self.area_combo.currentData() or "")

    def chosen_date(self) -> date | None:
        """The decision date typed (None while empty or unreadable)."""
        try:
            return self.date_edit.value()
        except ValueError:
            return None

    def backdated(self) -> tuple[pf.LevelStep | None, pf.LevelStep] | None:
        """For a date before the current level started: (the step running then, the next one).

        Such a move goes into the history between those two; None for an ordinary move.
        """
        current, when = self.current_step(), self.chosen_date()
        if current is None or when is None or when >= current.start:
            return None
        steps = self.info.get("steps", {}).get(self.area_combo.currentData() or "", [])
        before = next(
            (st for st in reversed(steps) if st.start < when and (st.end is None or when < st.end)),
            None,
        )
        after = next((st for st in steps if st.start > when), current)
        return before, after

    def chosen_level(self) -> pf.LevelInfo | None:
        """The level chosen in the combo."""
        level_id = self.level_combo.currentData()
        return next((lvl for lvl in self.info["levels"] if lvl.id == level_id), None)

    def direction(self) -> str:
        """ "op", "af", "start" or "" (same level)."""
        level, current = self.chosen_level(), self.current_step()
        if level is None:
            return ""
        placed = self.backdated()
        if placed is not None:
            current = placed[0]
        if current is None:
            return "start"
        if level.id == current.level.id:
            return ""
        return "op" if level.position > current.level.position else "af"

    def missing(self) -> list[str]:
        """Document kinds the chosen level requires and the pupil lacks."""
        level = self.chosen_level()
        if level is None:
            return []
        return required_missing(level, self.info["present"])  # type: ignore[arg-type]

    def _state(self) -> tuple:
        return (
            self.area_combo.currentIndex(),
            self.level_combo.currentIndex(),
            self.date_edit.text(),
            self.reason_edit.toPlainText(),
            self.decided_combo.currentText(),
            self.meeting_group.checkedId(),
        )

    # -------------------------------------------------------------- slots
    @Slot()
    def _on_area_changed(self) -> None:
        current = self.current_step()
        area = self.area_combo.currentData() or ""
        what = area if area else self.tr("de hele leerling")
        if current is None:
            self.current_label.setText(self.tr("Voor %s is nog geen niveau vastgelegd.") % what)
        else:
            self.current_label.setText(
                self.tr("Huidig niveau voor %s: <b>%s</b> (sinds %s)")
                % (what, current.level.label, long_date(current.start))
            )
        # Fill the level list again, marking the current level and choosing a sensible default.
        self.level_combo.blockSignals(True)
        self.level_combo.clear()
        default = 0
        for i, lvl in enumerate(self.info["levels"]):
            text = lvl.label
            if current is not None and lvl.id == current.level.id:
                text += self.tr("  (huidig niveau)")
            self.level_combo.addItem(level_icon(lvl.color), text, lvl.id)
            if current is not None and lvl.position == current.level.position + 1:
                default = i
        if current is not None and default == 0:
            # At the top already: the likely move is one step down.
            default = max(
                0,
                next(
                    (i for i, lvl in enumerate(self.info["levels"]) if lvl.id == current.level.id),
                    1,
                )
                - 1,
            )
        self.level_combo.setCurrentIndex(default)
        self.level_combo.blockSignals(False)
        self._on_level_changed()

    @Slot()
    def _on_level_changed(self) -> None:
        level, current = self.chosen_level(), self.current_step()
        direction = self.direction()
        placed = self.backdated()
        if placed is not None:
            current = placed[0]
        if level is None:
            self.direction_label.setText("")
        elif direction == "op":
            self.direction_label.setText(
                self.tr(
                    "<span style='color:#b71c1c'>&#9650; <b>Opschalen</b></span> van niveau %d "
                    "naar niveau %d"
                )
                % (current.level.position, level.position)  # type: ignore[union-attr]
            )
        elif direction == "af":
            self.direction_label.setText(
                self.tr(
                    "<span style='color:#1b5e20'>&#9660; <b>Afschalen</b></span> van niveau %d "
                    "naar niveau %d"
                )
                % (current.level.position, level.position)  # type: ignore[union-attr]
            )
        elif direction == "start":
            self.direction_label.setText(self.tr("Eerste niveau: niveau %d") % level.position)
        else:
            self.direction_label.setText(
                self.tr("<span style='color:#b00020'>De leerling staat al op dit niveau.</span>")
            )
        if level is not None and placed is not None:
            self.history_label.setText(
                self.tr(
                    "Deze datum ligt vóór het huidige niveau: niveau %s komt in de geschiedenis "
                    "van %s tot %s (toen begon niveau %s)."
                )
                % (
                    level.label,
                    long_date(self.chosen_date()),  # type: ignore[arg-type]
                    long_date(placed[1].start),
                    placed[1].level.label,
                )
            )
            self.history_label.show()
        else:
            self.history_label.hide()
        # A level in the past asks for no document now.
        missing = self.missing() if placed is None else []
        if level is not None and missing:
            self.missing_label.setText(
                self.tr(
                    "&#9888; Niveau %s vraagt om een %s. Deze leerling heeft dat nog niet "
                    "(of het is afgesloten). Na het opslaan kunt u het meteen starten."
                )
                % (level.label, missing_label(missing))
            )
            self.missing_label.show()
        else:
            self.missing_label.hide()

    @Slot()
    def _on_meeting_mode(self, *_args: Any) -> None:
        existing = self.existing_meeting.isChecked()
        new = self.new_meeting.isChecked()
        self.meeting_combo.setEnabled(existing)
        self.meeting_kind_combo.setEnabled(new)
        self.meeting_date_edit.setEnabled(new)

    @Slot(str)
    def _on_date_changed(self, text: str) -> None:
        # A new meeting is usually on the day of the decision: keep them together until changed.
        if not self.meeting_date_edit.isModified():
            self.meeting_date_edit.setText(text)
        self._on_level_changed()  # a date before the current level puts the move in the past

    # -------------------------------------------------------------- saving
    def _decided_by(self) -> tuple[int | None, str]:
        # A member of staff picked or typed by name; otherwise the name as typed (SWV, ...).
        staff_id = self.decided_combo.staff_id()
        if staff_id is not None:
            return staff_id, ""
        return None, self.decided_combo.currentText().strip()

    @Slot()
    def accept(self) -> None:
        """Save the move in one transaction; bad input stays in the dialog, next to its field."""
        errors: dict[str, str] = {}
        try:
            start = self.date_edit.value()
        except ValueError as exc:
            errors["start_date"] = str(exc)
            start = None
        meeting_id = None
        kind = None
        meeting_date = None
        if self.existing_meeting.isChecked():
            meeting_id = self.meeting_combo.currentData()
            if meeting_id is None:
                errors["meeting"] = self.tr("Kies een vergadering.")
        elif self.new_meeting.isChecked():
            kind = self.meeting_kind_combo.currentData()
            try:
                meeting_date = self.meeting_date_edit.value()
            except ValueError as exc:
                errors["meeting_date"] = str(exc)
        if errors:
            show_problems(self.errors, errors)
            return
        decided_id, decided_name = self._decided_by()
        try:
            with self.ctx.db.session() as s:
                self.result_change = pf.decide_level(
                    s,
                    self.pupil_id,
                    level_id=self.level_combo.currentData(),
                    start_date=start,
                    reason=self.reason_edit.toPlainText(),
                    decided_by_id=decided_id,
                    decided_by_name=decided_name,
                    area=self.area_combo.currentData() or "",
                    meeting_id=meeting_id,
                    new_meeting_kind=kind,
                    new_meeting_date=meeting_date,
                    today=self.ctx.today(),
                    actor=self.ctx.actor,
                )
        except ValidationErrors as exc:
            for message in show_problems(self.errors, exc.errors):
                QMessageBox.warning(self, APP_NAME, message)
            return
        except pf.RecordGoneError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        super().accept()

    @Slot()
    def reject(self) -> None:
        """Cancel; a typed reason is not thrown away without asking."""
        if self._state() != self._initial and not confirm(
            self,
            self.tr("Op-/afschalen"),
            self.tr("Het nieuwe niveau is nog niet opgeslagen. Wat u heeft ingevuld weggooien?"),
        ):
            return
        super().reject()

    # -------------------------------------------------------------- entry point
    @classmethod
    def change(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        pupil_id: int,
        nav: Navigator | None = None,
    ) -> LevelChange | None:
        """Run the dialog; the change made, or None. With ``nav`` it offers missing documents."""
        with ctx.db.session() as s:
            status = pf.pupil_level_context(s, pupil_id, today=ctx.today())["status"]
        if status == PupilStatus.VERTROKKEN:
            QMessageBox.information(
                parent, APP_NAME, QCoreApplication.translate("level_dialog", pf.READ_ONLY_MESSAGE)
            )
            return None
        dialog = cls(parent, ctx, pupil_id)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_change is None:
            return None
        change = dialog.result_change
        if nav is not None and change.missing:
            level = dialog.chosen_level()
            offer_missing_documents(
                parent, nav, pupil_id, change.missing, level.label if level else ""
            )
        return change


def choose_document(parent: QWidget | None, kinds: list[str], level_label: str) -> str | None:
    """Which of several allowed documents to start (level 2: korte interventie or groeidocument)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(APP_NAME)
    box.setText(
        QCoreApplication.translate("level_dialog", "Niveau %s vraagt om een %s.")
        % (level_label, missing_label(kinds))
    )
    box.setInformativeText(
        QCoreApplication.translate("level_dialog", "Welk document wilt u nu starten?")
    )
    buttons = {}
    for kind in kinds:
        label = DOCUMENT_LABELS[DocumentKind(kind)]
        button = box.addButton(
            QCoreApplication.translate("level_dialog", "%s starten")
            % (label[:1].upper() + label[1:]),
            QMessageBox.ButtonRole.AcceptRole,
        )
        buttons[button] = kind
    later = box.addButton(
        QCoreApplication.translate("level_dialog", "Later"), QMessageBox.ButtonRole.RejectRole
    )
    box.setEscapeButton(later)
    box.exec()
    return buttons.get(box.clickedButton())


def offer_missing_documents(
    parent: QWidget | None, nav: Navigator, pupil_id: int, missing: list[str], level_label: str
) -> str | None:
    """After a move: offer to start the document the new level requires; the kind started."""
    if not missing:
        return None
    if len(missing) == 1:
        kind = missing[0]
        label = DOCUMENT_LABELS[DocumentKind(kind)]
        answer = QMessageBox.question(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "level_dialog",
                "Niveau %s vraagt om een %s, en deze leerling heeft dat nog niet.\n\nWilt u "
                "het %s nu starten?",
            )
            % (level_label, label, label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        chosen = kind if answer == QMessageBox.StandardButton.Yes else None
    else:
        chosen = choose_document(parent, missing, level_label)
    if chosen is not None:
        nav.open_document(chosen, pupil_id=pupil_id)
    return chosen
