"""Saving in the OPP editor: the save with its conflict dialog, crash recovery, closing.

:class:`SavingActions` is a part of :class:`~ib_desktop.ui.opp.editor.OppEditorWindow`. A save
stores the whole version in one short session; a validation error is shown beside its field on
the page of its part. Unsaved edits are kept for crash recovery while the user types and are
never dropped silently when the window closes.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QTextEdit

from ib_desktop import APP_NAME
from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import NOT_APPLICABLE_FIELDS, PART_FIELDS, PARTS
from ib_desktop.ui.opp.parts.goals import GoalsPage
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, SaveOutcome, save_or_choose
from ib_desktop.ui.widgets.date_field import check_dates
from ib_desktop.validation import (
    ConcurrentEditError,
    ReadOnlyError,
    ValidationError,
    ValidationErrors,
)


def part_for_error(key: str) -> int | None:
    """The part number a validation error belongs to (None when it belongs to none)."""
    if key.startswith("deel_"):
        return int(key.split("_", 1)[1])
    if key.startswith(("toestemming_", "handtekening_")):
        return 13
    if key.startswith("doel_"):
        return 9
    for part in PARTS:
        if any(name == key for name, _l in PART_FIELDS[part.key]):
            return part.number
    for part_key, name in NOT_APPLICABLE_FIELDS.items():
        if name == key:
            return next(p.number for p in PARTS if p.key == part_key)
    return None


class SavingActions:
    """Saving, recovery and closing of the OPP editor (mixed into the window they drive)."""

    def _setup_recovery(self) -> None:
        if self._guard is not None:
            # The previous version was saved, fixed or evaluated: nothing of it is pending.
            self._guard.discard()
            self._guard.deleteLater()
            self._guard = None
        if self.read_only:
            return
        from ib_desktop.ui.recovery import RecoveryGuard, ask_restore

        key = f"opp_version:{self.data.id}"
        payload = ask_restore(self.ctx, key, self)
        self._guard = RecoveryGuard(self.ctx, key, self._title_text(), self._recovery_payload, self)
        if payload:
            try:
                restored = svc.data_from_dict(payload)
            except (KeyError, TypeError, ValueError):
                return
            restored.previous_goals = self.data.previous_goals
            restored.opp_start_date = self.data.opp_start_date
            restored.opp_end_date = self.data.opp_end_date
            restored.opp_end_reason = self.data.opp_end_reason
            # Consent and signatures were stored when given: the database has the last word.
            restored.consents = self.data.consents
            restored.signatures = self.data.signatures
            self._show(restored, self._pupil, dirty=True)
            self.statusBar().showMessage(
                self.tr("Niet-opgeslagen wijzigingen teruggezet; sla op om ze te bewaren."), 8000
            )

    def _recovery_payload(self) -> dict:
        return svc.data_to_dict(self.collect())

    @Slot()
    def _on_save(self) -> None:
        self.save()

    def save(self) -> bool:
        """Store the edits; True when saved (or nothing to save)."""
        if self.read_only:
            self._explain_read_only()
            return False
        if not check_dates(self):
            return False  # the date field says what is wrong beside it
        data = self.collect()
        for page in self.pages:
            page.errors.clear()
        outcome = self._store(data)
        if outcome is None:
            return False
        if not outcome.saved or outcome.result is None:
            if outcome.choice is ConflictChoice.THEIRS:  # the version the other person saved
                self._show_theirs(data.id, outcome.conflict.who if outcome.conflict else "")
            return False
        self._after_save(outcome.result)
        return True

    def _store(self, data: svc.OppVersionData) -> SaveOutcome[svc.OppVersionData] | None:
        """Save ``data`` (the user settles a conflict); None when refused, with the reason shown."""

        def store(version: int | None) -> svc.OppVersionData:
            if version is not None:
                data.lock_version = version
            with self.ctx.db.session() as s:
                return svc.save_version(s, data, actor=self.ctx.actor)

        try:
            return save_or_choose(self, store, data.lock_version)
        except ValidationErrors as exc:
            self._show_errors(exc.errors, self.tr("Het OPP is niet opgeslagen:"))
        except ValidationError as exc:
            self._show_errors({exc.field: exc.message}, self.tr("Het OPP is niet opgeslagen:"))
        except ConcurrentEditError as exc:
            QMessageBox.critical(self, APP_NAME, str(exc))
        except ReadOnlyError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            self.load(data.id)
        return None

    def _explain_read_only(self) -> None:
        QMessageBox.information(
            self,
            APP_NAME,
            self.tr(
                "Dit OPP is beëindigd en kan alleen nog worden ingezien. Maak de beëindiging "
                "eerst ongedaan om het te wijzigen."
            )
            if self.data.is_ended
            else self.tr("Deze versie is vastgesteld en kan niet meer worden gewijzigd."),
        )

    def _show_theirs(self, version_id: int, who: str) -> None:
        """After a conflict the user took the other person's version: show it."""
        self.load(version_id)
        self.statusBar().showMessage(
            self.tr("De opgeslagen versie van %s staat weer in het venster.") % who, 6000
        )
        self.nav.notify_changed()

    def _after_save(self, saved: svc.OppVersionData) -> None:
        focus = QApplication.focusWidget()
        cursor_pos = focus.textCursor().position() if isinstance(focus, QTextEdit) else None
        part = self.current_part()
        goals_page = self.page(9)
        goal_row = goals_page._current if isinstance(goals_page, GoalsPage) else -1
        self._show(saved, self._pupil)
        if isinstance(goals_page, GoalsPage) and goal_row >= 0:
            goals_page.select_goal(goal_row)
        self.go_to_part(part)
        if focus is not None and focus.isVisible():
            focus.setFocus()
            if cursor_pos is not None and isinstance(focus, QTextEdit):
                cursor = focus.textCursor()
                cursor.setPosition(min(cursor_pos, len(focus.toPlainText())))
                focus.setTextCursor(cursor)
        if self._guard is not None:
            self._guard.saved()
        self.statusBar().showMessage(self.tr("Opgeslagen."), 4000)
        self.saved.emit(saved.id)
        self.nav.notify_changed()

    def _show_errors(self, errors: dict[str, str], head: str) -> None:
        first_part = None
        for page in self.pages:
            mine = {k: v for k, v in errors.items() if part_for_error(k) == page.part.number}
            if mine:
                first_part = first_part or page.part.number
                page.show_errors(mine)
        if first_part is not None:
            self.go_to_part(first_part)
        QMessageBox.warning(self, APP_NAME, head + "\n\n• " + "\n• ".join(errors.values()))

    def _save_first(self) -> bool:
        return not self._dirty or self.save()

    def may_close(self) -> bool:
        """Ask what to do with unsaved edits; False when the window should stay open."""
        if not self._dirty or self.read_only:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Niet-opgeslagen wijzigingen"),
            self.tr("Het OPP van %s heeft wijzigingen die nog niet zijn opgeslagen. Opslaan?")
            % self.data.pupil_name,
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Yes):
            return self.save()
        if answer in (QMessageBox.StandardButton.Discard, QMessageBox.StandardButton.No):
            if self._guard is not None:
                self._guard.discard()
            return True
        return False
