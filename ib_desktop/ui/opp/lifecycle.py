"""The life cycle of an OPP in its editor: discussed, fixed, evaluated, ended, signed.

:class:`LifecycleActions` is a part of :class:`~ib_desktop.ui.opp.editor.OppEditorWindow`: the
status-bar buttons "Besproken met ouders…", "Vaststellen…" and "Evalueren → nieuwe versie…",
"OPP beëindigen…" (or "Beëindiging ongedaan maken…"), and the legal acts of part 13 (consent and
signatures), which are stored at once rather than kept as a draft. Each action opens its own
short session.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.models import OppStatus, Pupil, School
from ib_desktop.services import opp as svc
from ib_desktop.ui.opp.conversation_dialog import DiscussedDialog
from ib_desktop.ui.opp.end_dialog import OppEndDialog
from ib_desktop.ui.opp.lifecycle_dialogs import EvaluateDialog, FixDialog
from ib_desktop.ui.opp.parts.signatures import SignaturesPage
from ib_desktop.validation import (
    ConcurrentEditError,
    ReadOnlyError,
    ValidationError,
    ValidationErrors,
)


class LifecycleActions:
    """The life-cycle actions of the OPP editor (mixed into the window, which they drive)."""

    # -------------------------------------------------------------- life cycle
    @Slot()
    def _on_discussed(self) -> None:
        if self.read_only or not self._save_first():
            return
        conversation = DiscussedDialog.ask(self, self.ctx.today())
        if conversation is None:
            return
        on = conversation.date
        try:
            with self.ctx.db.session() as s:
                data = svc.mark_discussed(
                    s,
                    self.data.id,
                    on=on,
                    participants=conversation.participants,
                    summary=conversation.summary,
                    lock_version=self.data.lock_version,
                    today=self.ctx.today(),
                    actor=self.ctx.actor,
                )
        except (ValidationError, ReadOnlyError, ConcurrentEditError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self._show(data, self._pupil)
        self.statusBar().showMessage(
            self.tr("Vastgelegd: besproken met ouders op %s.") % long_date(on), 6000
        )
        self.nav.notify_changed()

    def fix_problems(self) -> svc.OppNotReady | None:
        """What stands in the way of fixing the version as it is saved (None: nothing)."""
        with self.ctx.db.session() as s:
            data = svc.load_version(s, self.data.id)
            pupil = svc.pupil_part_data(s, data)
        errors, parts = svc.fix_problems(data, pupil)
        return svc.OppNotReady(errors, parts) if errors else None

    def _explain_not_ready(self, problem: svc.OppNotReady) -> None:
        if problem.parts:
            self.go_to_part(problem.parts[0], focus=True)
        elif "besproken" in problem.errors:
            self.go_to_part(11)
        consent = next((k for k in problem.errors if k.startswith("toestemming_")), None)
        if consent and isinstance(self.page(13), SignaturesPage):
            self.page(13).select_guardian(int(consent.split("_")[1]))
        QMessageBox.warning(
            self,
            self.tr("OPP nog niet vast te stellen"),
            self.tr("Het OPP kan nog niet worden vastgesteld. Dit ontbreekt nog:")
            + "\n\n• "
            + "\n• ".join(problem.errors.values()),
        )

    @Slot()
    def _on_fix(self) -> None:
        if self.read_only or not self._save_first():
            return
        problem = self.fix_problems()
        if problem is not None:
            self._explain_not_ready(problem)
            return
        answer = FixDialog.ask(self, self.ctx.today(), self._evaluations_per_year())
        if answer is None:
            return
        fixed_on, next_on = answer
        try:
            with self.ctx.db.session() as s:
                data = svc.fix_version(
                    s, self.data.id, on=fixed_on, next_evaluation_on=next_on,
                    lock_version=self.data.lock_version, actor=self.ctx.actor,
                )  # fmt: skip
        except svc.OppNotReady as exc:
            self._explain_not_ready(exc)
            return
        except (ReadOnlyError, ConcurrentEditError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        with self.ctx.db.session() as s:
            pupil_data = svc.pupil_part_data(s, data)
        if self._guard is not None:
            self._guard.discard()
        self._env.pupil_file_editable = False
        self._show(data, pupil_data)
        self._setup_recovery()
        self.statusBar().showMessage(self.tr("Het OPP is vastgesteld."), 6000)
        self.nav.notify_changed()

    def _evaluations_per_year(self) -> int:
        """The school's rhythm of OPP evaluations (twice a year when unknown)."""
        with self.ctx.db.session() as s:
            pupil = s.get(Pupil, self.data.pupil_id)
            school = s.get(School, pupil.school_id) if pupil else None
            return school.opp_evaluations_per_year if school else 2

    @Slot()
    def _on_evaluate(self) -> None:
        d = self.data
        if d.status != OppStatus.VASTGESTELD:
            return
        answer = EvaluateDialog.ask(self, d, self.ctx.today())
        if answer is None:
            return
        on, results, open_only = answer
        try:
            with self.ctx.db.session() as s:
                new = svc.evaluate_version(
                    s,
                    d.id,
                    on=on,
                    results=results,
                    lock_version=d.lock_version,
                    actor=self.ctx.actor,
                    open_goals_only=open_only,
                )
        except ValidationErrors as exc:
            QMessageBox.warning(self, APP_NAME, "\n".join(exc.errors.values()))
            return
        except (ValidationError, ConcurrentEditError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.load(new.id)
        self.go_to_part(12)
        self.statusBar().showMessage(
            self.tr("Versie %d is geëvalueerd; u werkt nu in versie %d.") % (d.number, new.number),
            8000,
        )
        self.nav.notify_changed()

    # -------------------------------------------------------------- ending the OPP
    @Slot()
    def _on_end_or_reopen(self) -> None:
        if self.data.is_ended:
            self.reopen_opp()
        else:
            self.end_opp()

    def end_opp(self) -> bool:
        """Ask for the end date and the reason, confirm, and end the OPP; True when ended."""
        d = self.data
        if d.is_ended or self._pupil_left or (not self.read_only and not self._save_first()):
            return False
        opp_id = d.opp_id

        def submit(end: date, reason: str) -> dict[str, str]:
            try:
                with self.ctx.db.session() as s:
                    svc.end_opp(
                        s, opp_id, end_date=end, reason=reason, today=self.ctx.today(),
                        actor=self.ctx.actor,
                    )  # fmt: skip
            except ValidationErrors as exc:
                return exc.errors
            except ValidationError as exc:
                return {exc.field: exc.message}
            except (ReadOnlyError, LookupError) as exc:
                return {"status": str(exc)}
            return {}

        ended = OppEndDialog.ask(
            self,
            pupil_name=d.pupil_name,
            today=self.ctx.today(),
            start_date=d.opp_start_date or self.ctx.today(),
            submit=submit,
        )
        if not ended:
            return False
        self.load(d.id)
        self.statusBar().showMessage(
            self.tr("Het OPP is beëindigd op %s.") % long_date(self.data.opp_end_date), 8000
        )
        self.nav.notify_changed()
        return True

    def reopen_opp(self) -> bool:
        """Confirm, and undo the end of the OPP; True when it runs again."""
        d = self.data
        if not d.is_ended or self._pupil_left:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Beëindiging ongedaan maken"),
            self.tr(
                "Het OPP van %s is beëindigd op %s. De beëindiging ongedaan maken?\n\n"
                "Het OPP loopt dan weer: het wordt weer gepland en een conceptversie kan weer "
                "worden bewerkt. De beëindiging blijft in de geschiedenis staan."
            )
            % (d.pupil_name, long_date(d.opp_end_date)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            with self.ctx.db.session() as s:
                svc.reopen_opp(s, d.opp_id, actor=self.ctx.actor)
        except (ValidationError, ReadOnlyError, LookupError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return False
        self.load(d.id)
        self.statusBar().showMessage(self.tr("Het OPP loopt weer."), 8000)
        self.nav.notify_changed()
        return True

    @Slot(str, object)
    def _on_legal_act(self, kind: str, payload: Any) -> None:
        """Consent or a signature is a legal act: store it now, apart from the draft.

        Only part 13 is reloaded from what was stored; the text typed elsewhere stays unsaved
        (and the window dirty), and the version's lock is unchanged, so the user's own Opslaan
        afterwards is no conflict.
        """
        if self.read_only:
            return
        try:
            stored, message = self._store_legal_act(kind, payload)
        except ValidationErrors as exc:
            self._show_errors(exc.errors, self.tr("Niet vastgelegd:"))
            return
        except ValidationError as exc:
            self._show_errors({exc.field: exc.message}, self.tr("Niet vastgelegd:"))
            return
        except (ConcurrentEditError, ReadOnlyError, LookupError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.data.consents = stored.consents
        self.data.signatures = stored.signatures
        page = self.page(13)
        page.load(self.data, self._pupil, self._env)
        page.set_read_only(self.read_only)
        self._update_statuses()
        self._update_buttons()
        if self._guard is not None and self._dirty:
            self._guard.changed()
        self.statusBar().showMessage(message + " " + self.tr("Dit is meteen opgeslagen."), 6000)
        self.nav.notify_changed()

    def _store_legal_act(self, kind: str, payload: Any) -> tuple[svc.OppVersionData, str]:
        """Store consent, a signature or its removal; the version as stored and what to say."""
        today = self.ctx.today()
        with self.ctx.db.session() as s:
            if kind == "consent":
                stored = svc.record_consent(
                    s, self.data.id, payload.guardian_id, consent=payload.consent,
                    on=payload.date, view=payload.view, today=today, actor=self.ctx.actor,
                )  # fmt: skip
                return stored, self.tr("Toestemming van %s vastgelegd.") % payload.guardian_name
            if kind == "signature":
                stored = svc.add_signature(
                    s, self.data.id, payload, today=today, actor=self.ctx.actor
                )
                return stored, self.tr("Handtekening van %s vastgelegd.") % payload.name
            stored = svc.remove_signature(s, self.data.id, payload.id, actor=self.ctx.actor)
            return stored, self.tr("Handtekening van %s verwijderd.") % payload.name
