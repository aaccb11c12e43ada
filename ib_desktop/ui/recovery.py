"""Unsaved edits survive a crash: the editors' guard and the offer at start-up.

Every editor makes one :class:`RecoveryGuard`, calls ``changed()`` on each edit, ``saved()`` after
a successful save and ``discard()`` when the user throws the changes away. When an editor opens it
asks :meth:`RecoveryGuard.pending_for` (or the friendlier :func:`ask_restore`) whether a crash
left edits for it. At start-up :func:`offer_recovered` lists what a crash left behind and opens
the matching editors, which then apply the edits themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.recovery import RecoveryEntry, RecoveryStore

log = logging.getLogger(__name__)

#: How long after an edit the payload is written; edits in between are written together.
DEFAULT_DELAY_MS = 1000


def store_for(ctx: Any) -> RecoveryStore:
    """The recovery store of the context's database."""
    return RecoveryStore(ctx.db.url, key=getattr(ctx.db, "encryption_key", None))


def moment_text(entry: RecoveryEntry) -> str:
    """ "18 november 2026 om 14:05", the moment the edits were last kept."""
    return QCoreApplication.translate("recovery", "%s om %s") % (
        long_date(entry.saved_at.date()),
        entry.saved_at.strftime("%H:%M"),
    )


class RecoveryGuard(QObject):
    """Keeps an editor's unsaved edits in the recovery store.

    A crash loses at most the field being typed.

    Writing is throttled, not postponed without end: the first edit starts a timer of about a
    second and everything typed until it fires is written at once, so even continuous typing is
    on disk within a second. A failing disk never disturbs the editor: ``writeFailed`` is emitted
    once per run of failures and the next edit tries again.
    """

    written = Signal(str)  # key
    writeFailed = Signal(str)  # noqa: N815 - Qt naming; a Dutch message

    def __init__(
        self,
        ctx: Any,
        key: str,
        title: str,
        collect: Callable[[], dict],
        parent: QObject,
        *,
        delay_ms: int = DEFAULT_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._store = store_for(ctx)
        self.key = key
        self.title = title
        self._collect = collect
        self._failing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timeout)

    # -------------------------------------------------------------- the contract
    def changed(self) -> None:
        """An edit happened: the payload is written within about a second."""
        if not self._timer.isActive():
            self._timer.start()

    def saved(self) -> None:
        """The editor saved: its entry is no longer needed."""
        self._timer.stop()
        self._store.remove(self.key)

    def discard(self) -> None:
        """The user threw the changes away: forget them here too."""
        self._timer.stop()
        self._store.remove(self.key)

    @staticmethod
    def pending_for(ctx: Any, key: str) -> dict | None:
        """A payload left by a crash for ``key``, to offer back when the editor opens."""
        entry = store_for(ctx).get(key)
        return entry.payload if entry is not None else None

    # -------------------------------------------------------------- extras
    @staticmethod
    def pending_entry(ctx: Any, key: str) -> RecoveryEntry | None:
        """Like :meth:`pending_for`, with the title and the moment the edits were kept."""
        return store_for(ctx).get(key)

    def set_key(self, key: str, title: str | None = None) -> None:
        """A new document got its id on the first save: go on under the new key."""
        if key == self.key:
            if title:
                self.title = title
            return
        self._store.remove(self.key)
        self.key = key
        if title:
            self.title = title

    def is_pending(self) -> bool:
        """An edit is waiting for the timer."""
        return self._timer.isActive()

    def flush(self) -> bool:
        """Write now what is waiting (e.g. before a risky operation); True when written."""
        self._timer.stop()
        return self._write()

    @Slot()
    def _on_timeout(self) -> None:
        self._write()

    def _write(self) -> bool:
        try:
            payload = self._collect()
        except Exception:  # noqa: BLE001 - an editor bug must not lose the editor
            log.exception("Herstelgegevens van %s konden niet worden verzameld", self.key)
            return False
        try:
            self._store.put(self.key, self.title, payload)
        except (OSError, TypeError, ValueError) as exc:
            log.warning("Herstelgegevens van %s niet bewaard: %s", self.key, exc)
            if not self._failing:
                self._failing = True
                self.writeFailed.emit(
                    QCoreApplication.translate(
                        "recovery",
                        "Uw wijzigingen konden niet tussentijds worden bewaard (%s). "
                        "Sla het document op zodra het kan.",
                    )
                    % (getattr(exc, "strerror", None) or exc)
                )
            return False
        self._failing = False
        self.written.emit(self.key)
        return True


def ask_restore(ctx: Any, key: str, parent: QWidget | None) -> dict | None:
    """Ask whether to restore what a crash left for ``key``; the payload, or None.

    "Nee" throws the kept edits away. "Ja" leaves them in the store until the editor saves, so a
    second crash before saving still loses nothing.
    """
    entry = store_for(ctx).get(key)
    if entry is None:
        return None
    answer = QMessageBox.question(
        parent,
        APP_NAME,
        QCoreApplication.translate(
            "recovery",
            "Er zijn wijzigingen in '%s' die niet zijn opgeslagen, bewaard op %s "
            "(het programma is toen onverwacht gestopt).\n\n"
            "Wilt u deze wijzigingen terugzetten? Ze worden pas bewaard als u opslaat.",
        )
        % (entry.title or key, moment_text(entry)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer == QMessageBox.StandardButton.Yes:
        return entry.payload
    store_for(ctx).remove(key)
    return None


# ---------------------------------------------------------------------------- start-up offer
def open_entry(ctx: Any, nav: Any, entry: RecoveryEntry) -> bool:
    """Open the editor or pupil file an entry belongs to; False when the key is unknown."""
    kind, ident = entry.kind, entry.ident
    try:
        if kind == "pupil" and ident.isdigit():
            nav.open_pupil(int(ident))
            return True
        if kind in ("korte_interventie", "groeidocument"):
            if ident.isdigit():
                nav.open_document(kind, int(ident))
                return True
            if ident.startswith("new-pupil-") and ident[len("new-pupil-") :].isdigit():
                nav.open_document(kind, pupil_id=int(ident[len("new-pupil-") :]))
                return True
        if kind == "opp_version" and ident.isdigit():
            from ib_desktop.models import OppVersion

            with ctx.db.session() as s:
                version = s.get(OppVersion, int(ident))
                opp_id = version.opp_id if version is not None else None
            if opp_id is not None:
                nav.open_document("opp", opp_id)
                return True
        if (
            kind == "opp"
            and ident.startswith("new-pupil-")
            and ident[len("new-pupil-") :].isdigit()
        ):
            nav.open_document("opp", pupil_id=int(ident[len("new-pupil-") :]))
            return True
    except Exception:  # noqa: BLE001 - one broken entry must not stop the others
        log.exception("Herstelde wijzigingen van %s konden niet worden geopend", entry.key)
    return False


class RecoveredEditsDialog(QDialog):
    """Lists the unsaved edits a crash left behind; the user opens, keeps or throws them away."""

    OPEN, LATER, DISCARD = "open", "later", "discard"

    def __init__(self, entries: list[RecoveryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Niet-opgeslagen wijzigingen"))
        self.setMinimumWidth(520)
        self.entries = entries
        self.choice = self.LATER
        intro = QLabel(
            self.tr(
                "IB Desktop is de vorige keer onverwacht gestopt. Van de volgende documenten zijn "
                "wijzigingen bewaard die nog niet waren opgeslagen. Open ze om de wijzigingen te "
                "bekijken en op te slaan."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Niet-opgeslagen wijzigingen"))
        for entry in entries:
            item = QListWidgetItem(
                self.tr("%s — bewaard op %s") % (entry.title or entry.key, moment_text(entry))
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            self.list.addItem(item)
        buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("Openen"))
        self.open_button.setDefault(True)
        self.later_button = QPushButton(self.tr("Later"))
        self.discard_button = QPushButton(self.tr("Weggooien…"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.open_button.clicked.connect(self._on_open)
        self.later_button.clicked.connect(self.reject)
        self.discard_button.clicked.connect(self._on_discard)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.list)
        lay.addWidget(buttons)

    def checked(self) -> list[RecoveryEntry]:
        """The entries whose box is ticked."""
        keys = {
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        }
        return [e for e in self.entries if e.key in keys]

    @Slot()
    def _on_open(self) -> None:
        self.choice = self.OPEN
        self.accept()

    @Slot()
    def _on_discard(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Wijzigingen weggooien"),
            self.tr(
                "De aangevinkte niet-opgeslagen wijzigingen worden definitief weggegooid. "
                "Wat al was opgeslagen blijft bewaard. Doorgaan?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.choice = self.DISCARD
            self.accept()

    @classmethod
    def choose(
        cls, parent: QWidget | None, entries: list[RecoveryEntry]
    ) -> tuple[str, list[RecoveryEntry]]:
        """Run the dialog: ("open" | "later" | "discard", the ticked entries)."""
        dialog = cls(entries, parent)
        dialog.exec()
        return dialog.choice, dialog.checked()


def offer_recovered(ctx: Any, nav: Any, parent: QWidget | None) -> int:
    """At start: offer the unsaved edits a crash left behind; returns how many were opened."""
    store = store_for(ctx)
    entries = store.entries()
    if not entries:
        return 0
    choice, chosen = RecoveredEditsDialog.choose(parent, entries)
    if choice == RecoveredEditsDialog.DISCARD:
        for entry in chosen:
            store.remove(entry.key)
        return 0
    if choice != RecoveredEditsDialog.OPEN:
        return 0
    opened = 0
    unknown: list[RecoveryEntry] = []
    for entry in chosen:
        if open_entry(ctx, nav, entry):
            opened += 1
        else:
            unknown.append(entry)
    if unknown:
        QMessageBox.warning(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "recovery",
                "Deze wijzigingen horen bij een document dat niet meer bestaat of niet kan "
                "worden geopend; ze blijven bewaard:\n%s",
            )
            % "\n".join(f"- {e.title or e.key}" for e in unknown),
        )
    return opened
