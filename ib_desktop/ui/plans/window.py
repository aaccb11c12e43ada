"""What the korte-interventie and groeidocument editors share: saving, status, history, printing.

A plan window never keeps a session: it loads a dataclass from :mod:`ib_desktop.services.plans`,
lets the user edit the form, and hands the form back on save. The rules it keeps for the user:
Ctrl+S saves; closing with unsaved changes asks; a save refused because somebody else saved first
shows the Dutch message and leaves every typed word in the form; a closed document is read-only
until "Heropenen"; unsaved edits are kept by the recovery guard, so a crash loses at most a
second of typing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.models import DocumentStatus
from ib_desktop.services.plans import status_label
from ib_desktop.ui.plans.fields import StatusBanner
from ib_desktop.ui.plans.window_print import PrintHistoryMixin
from ib_desktop.ui.pupil_file.history_dialog import HistoryDialog
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, save_or_choose
from ib_desktop.ui.widgets.date_field import check_dates
from ib_desktop.ui.widgets.forms import ErrorMap
from ib_desktop.ui.widgets.rich_text import FormatToolBar
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.ui.writing.actions import WritingActions
from ib_desktop.ui.writing.autosave import Autosaver
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors


class PlanWindow(PrintHistoryMixin, QMainWindow):
    """Base of the plan editors; subclasses build the form and talk to the service."""

    #: Change-log entity and recovery key prefix ("korte_interventie" / "groeidocument").
    ENTITY = ""
    SETTINGS_KEY = "plan_window"
    #: The service's save and status functions of this kind of document (from services.plans,
    #: as staticmethods): ``save(session, data, today=, actor=)`` and
    #: ``set_status(session, id, status, version=, actor=, reason=)``, each returning the data.
    save_service: Callable[..., Any]
    status_service: Callable[..., Any]
    #: ``load(session, id)`` returning the data; set, the window follows saves made elsewhere.
    load_service: Callable[..., Any] | None = None

    def __init__(self, ctx: Any, nav: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.errors = ErrorMap()
        self.guard: Any = None
        self.history_dialog: HistoryDialog | None = None
        self._baseline: dict[str, Any] = {}
        self._loading = False
        self._conflict = False
        self._dirty_timer = QTimer(self)
        self._dirty_timer.setSingleShot(True)
        self._dirty_timer.setInterval(150)
        self._dirty_timer.timeout.connect(self._refresh_title)
        self._auto_saving = False
        self._build_actions()
        self.writing = WritingActions(
            self, self.toolbar, ctx, pupil_id=self.pupil_id, insert_goal=self.insert_bank_goal,
            goal_area=self.bank_goal_area, read_only=lambda: bool(self.read_only_reason()),
            editor=self.format_bar.editor,
        )  # fmt: skip
        self.autosaver = Autosaver(
            self, save=lambda: self.save(auto=True), can_save=self._can_autosave
        )
        # An evaluation written on the Evaluaties page (or any save elsewhere) shows here too.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload_from_database)
        changed = getattr(nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self._reload_timer.start)

    # ------------------------------------------------------------------ what subclasses provide
    #: The document as last loaded or saved (id, pupil_id, status, pupil_left, pupil_name).
    data: Any

    def doc_id(self) -> int | None:
        """Id of the document (None while it is new)."""
        return self.data.id

    def pupil_id(self) -> int:
        """The pupil the document is about."""
        return int(self.data.pupil_id)

    def status(self) -> DocumentStatus:
        """The document's status as last loaded or saved."""
        return DocumentStatus(self.data.status)

    def read_only_reason(self) -> str:
        """Why the form cannot be edited ("" when it can): closed, or the pupil left."""
        if self.data.pupil_left:
            return (
                QCoreApplication.translate(
                    "PlanWindow", "%s heeft de school verlaten; het dossier is alleen-lezen."
                )
                % self.data.pupil_name
            )
        if self.data.status == DocumentStatus.AFGESLOTEN:
            return QCoreApplication.translate("PlanWindow", "Afgesloten")
        return ""

    def document_title(self) -> str:
        """ "Korte interventie - Sanne de Vries"."""
        raise NotImplementedError

    def collect(self) -> dict[str, Any]:
        """The form's values as plain JSON-able data (for dirty checks and recovery)."""
        raise NotImplementedError

    def apply_payload(self, payload: dict[str, Any]) -> None:
        """Put recovered values back into the form (not saved until the user saves)."""
        raise NotImplementedError

    def form_data(self) -> Any:
        """The form as the service's data class (what ``save_service`` takes)."""
        raise NotImplementedError

    def populate(self, data: Any) -> None:
        """Fill the form from the service's data class (what the services return)."""
        raise NotImplementedError

    def set_fields_read_only(self, read_only: bool) -> None:
        """Make every input read-only (or editable again)."""
        raise NotImplementedError

    def save_to_database(self, version: int | None = None) -> None:
        """Save the form with the service (the new version comes back); errors pass unchanged.

        ``version`` overrides the loaded version: saving over the other person's change on
        purpose, after a conflict.
        """
        data = self.form_data()
        if version is not None:
            data = replace(data, version=version)
        with self.ctx.db.session() as s:
            self.data = self.save_service(s, data, today=self.ctx.today(), actor=self.ctx.actor)

    def change_status_in_database(self, status: DocumentStatus, reason: str) -> None:
        """Activate, close or reopen with the service; errors pass unchanged."""
        assert self.data.id is not None
        with self.ctx.db.session() as s:
            self.data = self.status_service(
                s, self.data.id, status, version=self.data.version, actor=self.ctx.actor,
                reason=reason,
            )  # fmt: skip

    def print_pdf(self, session: Any) -> bytes:
        """The printed document as PDF."""
        raise NotImplementedError

    def accept_form_as_saved(self) -> None:
        """After a save: the rich text fields take what they hold as their saved text."""

    def insert_bank_goal(self, goal: Any) -> None:
        """Put a goal chosen from the goal bank where this kind of document keeps its goal."""
        raise NotImplementedError

    def bank_goal_area(self) -> str | None:
        """The development area the goal picker starts with (None: all)."""
        return None

    # ------------------------------------------------------------------ toolbar and actions
    def _build_actions(self) -> None:
        bar = QToolBar(self.tr("Document"))
        bar.setObjectName("document-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        self.toolbar = bar

        def action(
            text: str, keys: QKeySequence | str | None, slot: Callable[[], Any], tip: str
        ) -> QAction:
            a = QAction(text, self)
            if keys:
                a.setShortcut(QKeySequence(keys))
            a.setToolTip(tip)
            a.triggered.connect(lambda _checked=False: slot())
            bar.addAction(a)
            return a

        self.save_action = action(
            self.tr("Opslaan"),
            QKeySequence.StandardKey.Save,
            self.save,
            self.tr("Opslaan (Ctrl+S)"),
        )
        self.print_action = action(
            self.tr("Afdrukken…"), QKeySequence.StandardKey.Print, self._on_print,
            self.tr("Afdrukken of als PDF bewaren (Ctrl+P)"),
        )  # fmt: skip
        self.history_action = action(
            self.tr("Geschiedenis"), "Ctrl+H", self._on_history,
            self.tr("Wie heeft wat gewijzigd, en wanneer (Ctrl+H)"),
        )  # fmt: skip
        bar.addSeparator()
        self.status_label = QLabel()
        self.status_label.setObjectName("status-label")
        self.status_label.setContentsMargins(8, 0, 8, 0)
        bar.addWidget(self.status_label)
        self.activate_action = action(
            self.tr("Activeren"), None, lambda: self.change_status(DocumentStatus.ACTIEF),
            self.tr("Het plan gaat in: het document wordt actief"),
        )  # fmt: skip
        self.close_doc_action = action(
            self.tr("Afsluiten…"), None, lambda: self.change_status(DocumentStatus.AFGESLOTEN),
            self.tr("Het plan is geëvalueerd en klaar; daarna is het alleen-lezen"),
        )  # fmt: skip
        self.reopen_action = action(
            self.tr("Heropenen…"), None, self._on_reopen,
            self.tr("Een afgesloten document weer bewerkbaar maken (wordt vastgelegd)"),
        )  # fmt: skip
        self.format_bar = FormatToolBar(self)
        self.format_bar.setMovable(False)
        self.addToolBar(self.format_bar)
        close = QAction(self.tr("Venster sluiten"), self)
        close.setShortcut(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)
        self.addAction(close)

    def wrap(self, name: str, field: QWidget) -> QWidget:
        """``field`` with room for its error message under it.

        The wrapper does not proxy the focus: a proxy in the focus chain would make Tab jump
        back to an earlier field. Labels get their field as buddy through :meth:`add_row`.
        """
        wrapper = self.errors.wrap(name, field)
        wrapper.setFocusProxy(None)
        return wrapper

    @staticmethod
    def add_row(
        form: QFormLayout, text: str, widget: QWidget, buddy: QWidget | None = None
    ) -> None:
        """A form row whose label's Alt+letter jumps to ``buddy``."""
        form.addRow(text, widget)
        label = form.labelForField(widget)
        if isinstance(label, QLabel) and buddy is not None:
            label.setBuddy(buddy)

    def banner(self) -> QLabel:
        """The status line above the form: what state the document is in and what that means."""
        self._banner = StatusBanner()
        return self._banner

    # ------------------------------------------------------------------ state shown
    def refresh_state(self) -> None:
        """Status, read-only state, buttons and title after loading, saving or a status change."""
        status = self.status()
        reason = self.read_only_reason()
        read_only = bool(reason)
        self.set_fields_read_only(read_only)
        self.status_label.setText(self.tr("Status: %s") % status_label(status))
        is_new = self.doc_id() is None
        left = reason and status != DocumentStatus.AFGESLOTEN
        self.save_action.setEnabled(not read_only)
        self.history_action.setEnabled(not is_new)
        self.activate_action.setVisible(status == DocumentStatus.CONCEPT)
        self.activate_action.setEnabled(not read_only)
        self.close_doc_action.setVisible(status == DocumentStatus.ACTIEF)
        self.close_doc_action.setEnabled(not read_only)
        self.reopen_action.setVisible(status == DocumentStatus.AFGESLOTEN)
        self.reopen_action.setEnabled(not left)
        banner = getattr(self, "_banner", None)
        if banner is not None:
            banner.show_state(status, reason, is_new)
        self.format_bar.refresh()
        self._refresh_title()

    def is_dirty(self) -> bool:
        """The form differs from what was last loaded or saved."""
        return self.collect() != self._baseline

    def set_baseline(self) -> None:
        """The form as it is now counts as saved."""
        self._baseline = self.collect()
        self._refresh_title()

    @Slot()
    def _refresh_title(self) -> None:
        mark = " *" if self._baseline and self.is_dirty() else ""
        self.setWindowTitle(f"{self.document_title()}{mark} - {APP_NAME}")

    @Slot()
    def on_edited(self) -> None:
        """Any field changed: keep the edits for recovery and mark the title."""
        if self._loading:
            return
        if self.guard is not None:
            self.guard.changed()
        self._dirty_timer.start()
        self.autosaver.edited()

    def _can_autosave(self) -> bool:
        return not self.read_only_reason() and not self._conflict and self.is_dirty()

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Fill the form without counting it as an edit."""
        was_loading, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = was_loading

    # ------------------------------------------------------------------ recovery
    def recovery_key(self) -> str:
        """ "korte_interventie:12", or "...:new-pupil-7" for a new document."""
        ident = self.doc_id()
        return f"{self.ENTITY}:{ident if ident is not None else f'new-pupil-{self.pupil_id()}'}"

    def start_recovery(self) -> None:
        """Offer edits a crash left behind, then keep new edits safe."""
        try:
            from ib_desktop.ui.recovery import RecoveryGuard, ask_restore
        except ImportError:  # pragma: no cover - the recovery module ships with the app
            return
        if not self.read_only_reason():
            payload = ask_restore(self.ctx, self.recovery_key(), self)
            if payload:
                with self.loading():
                    self.apply_payload(payload)
                self._refresh_title()
        self.guard = RecoveryGuard(
            self.ctx, self.recovery_key(), self.document_title(), self.collect, self
        )

    # ------------------------------------------------------------------ saving
    def save(self, *, auto: bool = False) -> bool:
        """Save the form; True on success. Errors are shown, and nothing typed is lost.

        ``auto``: the autosave's call; invalid input is then told beside the fields and in the
        status bar only (no message box while the user types), and a conflict stops autosave.
        """
        if self.read_only_reason() or not check_dates(self):
            return False  # a date field says what is wrong beside it
        self.errors.clear()
        was_new = self.doc_id() is None
        self._auto_saving = auto
        try:
            with self.autosaver.held():
                outcome = save_or_choose(self, self.save_to_database, None)
        except ValidationErrors as exc:
            self.show_errors(exc.errors)
            return False
        except ConcurrentEditError as exc:
            self._conflict = True
            self.autosaver.stop()
            self._say_not_saved_for_conflict()
            QMessageBox.warning(self, self.tr("Niet opgeslagen"), str(exc))
            return False
        except (ReadOnlyError, LookupError) as exc:
            self.autosaver.stop()
            QMessageBox.warning(self, self.tr("Niet opgeslagen"), str(exc))
            return False
        finally:
            self._auto_saving = False
        if not outcome.saved:
            self._conflict = True
            self.autosaver.stop()
            if outcome.choice is ConflictChoice.THEIRS:
                self._show_stored()
            else:  # "Verder bewerken": the typing stays, nothing saved
                self._say_not_saved_for_conflict()
            return False
        self.autosaver.resume()
        self._after_save(was_new, auto=auto)
        return True

    def _say_not_saved_for_conflict(self) -> None:
        self.statusBar().showMessage(
            self.tr("Niet opgeslagen: iemand anders heeft dit document gewijzigd.")
        )

    def _after_save(self, was_new: bool, *, auto: bool = False) -> None:
        """The form counts as saved; recovery follows a new document's key."""
        self._conflict = False
        self.accept_form_as_saved()
        self.set_baseline()
        if self.guard is not None:
            if was_new:
                self.guard.set_key(self.recovery_key(), self.document_title())
            self.guard.saved()
        self.refresh_state()
        at = datetime.now().strftime("%H:%M")
        if auto:
            self.statusBar().showMessage(self.tr("Automatisch opgeslagen om %s") % at)
        else:
            self.statusBar().showMessage(self.tr("Opgeslagen om %s") % at, 8000)
        self._notify()

    def _show_stored(self) -> None:
        """After "Hun versie houden": the form shows what is stored, the edits are dropped."""
        ident = self.doc_id()
        if self.load_service is None or ident is None:
            return
        with self.ctx.db.session() as s:
            self.data = self.load_service(s, ident)
        with self.loading():
            self.populate(self.data)
        self.accept_form_as_saved()
        self.set_baseline()
        if self.guard is not None:
            self.guard.saved()  # nothing of the dropped edits is kept for recovery
        self.refresh_state()
        self.statusBar().showMessage(self.tr("De opgeslagen versie staat weer in het venster."))
        self._notify()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its field; the rest in one message box."""
        focus = QApplication.focusWidget()
        unplaced = self.errors.show(errors)
        if self._auto_saving:
            if focus is not None:
                focus.setFocus()  # the user types on where they were
            self.statusBar().showMessage(
                self.tr("Niet automatisch opgeslagen: %s")
                % " ".join(unplaced or [self.tr("verbeter de rood gemarkeerde velden.")])
            )
        elif unplaced:
            QMessageBox.warning(self, self.tr("Niet opgeslagen"), "\n".join(unplaced))
        else:
            self.statusBar().showMessage(
                self.tr("Niet opgeslagen: verbeter de rood gemarkeerde velden."), 8000
            )

    def _notify(self) -> None:
        notify = getattr(self.nav, "notify_changed", None)
        if notify is not None:
            notify()

    # ------------------------------------------------------------------ status
    #: Title and question per status change: source texts, translated when asked.
    STATUS_QUESTIONS = {
        DocumentStatus.ACTIEF: (
            QT_TRANSLATE_NOOP("PlanWindow", "Activeren"),
            QT_TRANSLATE_NOOP(
                "PlanWindow",
                "Het plan gaat in en de evaluatie wordt ingepland op de einddatum. Activeren?",
            ),
        ),
        DocumentStatus.AFGESLOTEN: (
            QT_TRANSLATE_NOOP("PlanWindow", "Afsluiten"),
            QT_TRANSLATE_NOOP(
                "PlanWindow",
                "Na het afsluiten is het document alleen-lezen; heropenen kan later, en wordt "
                "dan vastgelegd in de geschiedenis. Afsluiten?",
            ),
        ),
    }
    REOPEN_QUESTION = (
        QT_TRANSLATE_NOOP("PlanWindow", "Heropenen"),
        QT_TRANSLATE_NOOP("PlanWindow", "Het document weer bewerkbaar maken?"),
    )

    def change_status(
        self, status: DocumentStatus, *, reason: str = "", confirm: bool = True
    ) -> bool:
        """Activate or close the document (saving pending edits first); True when it changed."""
        if confirm:
            title, question = self.STATUS_QUESTIONS.get(status, self.REOPEN_QUESTION)
            answer = QMessageBox.question(
                self,
                QCoreApplication.translate("PlanWindow", title),
                QCoreApplication.translate("PlanWindow", question),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if (
            not self.read_only_reason()
            and (self.doc_id() is None or self.is_dirty())
            and not self.save()
        ):
            return False
        self.errors.clear()
        try:
            self.change_status_in_database(status, reason)
        except ValidationErrors as exc:
            self.errors.show(exc.errors)
            QMessageBox.warning(
                self,
                self.tr("Status niet gewijzigd"),
                self.tr("De status is niet gewijzigd:")
                + "\n"
                + "\n".join(f"\u2022 {m}" for m in exc.errors.values()),
            )
            return False
        except (ConcurrentEditError, ReadOnlyError, LookupError) as exc:
            QMessageBox.warning(self, self.tr("Status niet gewijzigd"), str(exc))
            return False
        with self.loading():
            self.reload_form()
        self.set_baseline()
        self.refresh_state()
        self.statusBar().showMessage(self.tr("Status: %s") % status_label(self.status()), 8000)
        self._notify()
        return True

    def reload_form(self) -> None:
        """Show the document's data as last returned by the service (after a status change)."""
        self.populate(self.data)

    @Slot()
    def reload_from_database(self) -> bool:
        """Show what is stored now when it changed elsewhere; True when the form was refreshed.

        Unsaved edits are never overwritten: a window with changes keeps them (saving then
        says that someone else saved first, as before).
        """
        ident = self.doc_id()
        if self.load_service is None or ident is None or self.is_dirty():
            return False
        try:
            with self.ctx.db.session() as s:
                data = self.load_service(s, ident)
        except (LookupError, ReadOnlyError):
            return False
        if data == self.data:
            return False
        with self.loading():
            self.populate(data)
        self.accept_form_as_saved()
        self.set_baseline()
        self.refresh_state()
        return True

    @Slot()
    def _on_reopen(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Heropenen"),
            self.tr(
                "Dit document is afgesloten. Heropenen maakt het weer bewerkbaar; dat wordt met "
                "uw naam en de datum in de geschiedenis vastgelegd. Heropenen?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.change_status(
                DocumentStatus.ACTIEF,
                reason=self.tr("Heropend door %s") % self.ctx.actor,
                confirm=False,
            )

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Unsaved changes are never dropped silently."""
        self.autosaver.timer.stop()  # the question below decides what happens to the edits
        if not self.read_only_reason() and self.is_dirty():
            answer = QMessageBox.question(
                self,
                self.tr("Wijzigingen opslaan?"),
                self.tr("%s heeft wijzigingen die nog niet zijn opgeslagen. Opslaan?")
                % self.document_title(),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Save:
                if not self.save():
                    event.ignore()
                    return
            elif answer == QMessageBox.StandardButton.Discard:
                if self.guard is not None:
                    self.guard.discard()
            else:
                event.ignore()
                return
        elif self.guard is not None:
            self.guard.discard()
        event.accept()

    def restore_geometry(self, default: QSize) -> None:
        """The size the user gave this kind of window last time (never larger than the screen)."""
        size_window(self, self.SETTINGS_KEY, default.width(), default.height())
