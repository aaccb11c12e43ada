"""The dashboard's privacy cards: open inzage requests, and files whose retention has passed.

The inzage card lists the open requests with their last day (late ones in red); a click opens
the pupil file. The retention card says how many files may be deleted (and when the next ones
follow); its button shows the list and deletes them after confirmation, keeping a record
without personal data for each.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import backup_retention
from ib_desktop.backup_retention import ExpiredBackups
from ib_desktop.dates import long_date, short_date
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.services.privacy import inzage, retention
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.dashboard import ALERT_COLOR, Card
from ib_desktop.ui.widgets.table_model import Column, TableModel, proxy_for, table_view
from ib_desktop.ui.widgets.window_size import size_window


class PrivacyCards:
    """Two cards on the dashboard, filled from their own short read."""

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget) -> None:
        self.ctx = ctx
        self.nav = nav
        self.parent = parent
        tr = QCoreApplication.translate
        self.inzage_card = Card(
            tr("PrivacyCards", "Inzageverzoeken van ouders"),
            tr("PrivacyCards", "Geen open verzoeken om inzage."),
        )
        self.inzage_card.setObjectName("dashboard-card")
        self.retention_card = Card(
            tr("PrivacyCards", "Bewaartermijn verstreken"),
            tr("PrivacyCards", "Geen dossiers die nu verwijderd moeten worden."),
        )
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.retention_card.layout().insertWidget(3, self.next_label)  # under the entries
        self.backups_label = QLabel()
        self.backups_label.setWordWrap(True)
        self.backups_label.setObjectName("expired-backups")
        self.retention_card.layout().insertWidget(4, self.backups_label)
        self.requests: list[inzage.RequestRow] = []
        self.overview: retention.RetentionOverview | None = None
        self.backups: ExpiredBackups | None = None

    def cards(self) -> tuple[Card, Card]:
        """Both cards, in reading order."""
        return (self.inzage_card, self.retention_card)

    def refresh(self) -> None:
        """Read the open requests and the retention overview again."""
        tr = QCoreApplication.translate
        today = self.ctx.today()
        with self.ctx.db.session() as s:
            self.requests = inzage.open_requests(s, self.ctx.school_id)
            self.overview = retention.overview(s, self.ctx.school_id, today=today, upcoming=3)
        entries = []
        late = []
        for row in self.requests:
            when = tr("PrivacyCards", "uiterlijk %s") % long_date(row.due_on)
            if row.is_late(today):
                when = tr("PrivacyCards", "te laat sinds %s") % short_date(row.due_on)
            text = f"{row.pupil} · {row.requested_by} · {when}"
            tip = tr("PrivacyCards", "Ontvangen op %s. Klik om het leerlingdossier te openen.") % (
                short_date(row.received_on)
            )
            entries.append((text, tip, self._pupil_opener(row.pupil_id)))
            late.append(row.is_late(today))
        self.inzage_card.set_entries(len(entries), entries, "", None)
        for button, is_late in zip(self.inzage_card.buttons, late, strict=False):
            if is_late:
                button.setStyleSheet(f"color: {ALERT_COLOR}; font-weight: bold;")
        due = self.overview.due
        due_entries = [
            (
                tr("PrivacyCards", "%s · mag weg sinds %s")
                % (item.name, short_date(item.delete_after)),
                tr("PrivacyCards", "Vertrokken op %s (%s).")
                % (short_date(item.left_on), tr("RetentionModel", item.rule)),
                self._on_review,
            )
            for item in due
        ]
        self.retention_card.set_entries(
            len(due), due_entries, tr("PrivacyCards", "Bekijken en verwijderen…"), self._on_review
        )
        upcoming = self.overview.upcoming
        self.next_label.setText(
            tr("PrivacyCards", "Daarna vanaf %s") % short_date(upcoming[0].delete_after)
            if upcoming
            else ""
        )
        self.next_label.setVisible(bool(upcoming))
        self._show_backups(today)

    def _show_backups(self, today: date) -> None:
        """The backups past the longest term: the app's go with the deletion, manual are listed."""
        tr = QCoreApplication.translate
        assert self.overview is not None
        self.backups = None
        where = backup_retention.for_database(self.ctx.db)
        if where is not None:
            try:
                self.backups = backup_retention.expired_backups(
                    *where, years=self.overview.longest_years, today=today
                )
            except OSError:
                self.backups = None  # an unreachable backup folder: the backup page says so
        old = self.backups
        if old is None or not old.total:
            self.backups_label.setVisible(False)
            return
        parts = []
        if old.own:
            parts.append(
                tr("PrivacyCards", "%d automatische back-up(s) ouder dan %d jaar gaan mee weg.")
                % (len(old.own), self.overview.longest_years)
            )
        if old.manual:
            parts.append(
                tr("PrivacyCards", "%d handmatige back-up(s) ouder dan %d jaar: verwijder ze zelf.")
                % (len(old.manual), self.overview.longest_years)
            )
        self.backups_label.setText(" ".join(parts))
        self.backups_label.setToolTip("\n".join(str(b.path) for b in old.manual))
        self.backups_label.setStyleSheet(f"color: {ALERT_COLOR};")
        self.backups_label.setVisible(True)
        if old.own:
            self.retention_card.more.setVisible(True)

    def _pupil_opener(self, pupil_id: int) -> Callable[[], None]:
        return lambda: self.nav.open_pupil(pupil_id)

    @Slot()
    def _on_review(self) -> None:
        if self.overview is None:
            return
        own = self.backups.own if self.backups is not None else []
        if not self.overview.due and not own:
            return
        if RetentionDialog.confirm_and_delete(self.ctx, self.overview, self.parent, self.backups):
            self.nav.notify_changed()
        self.refresh()


def _rule(item: retention.RetentionItem) -> str:
    return QCoreApplication.translate("RetentionModel", item.rule)


class RetentionModel(TableModel):
    """The files that may be deleted."""

    TR_CONTEXT = "RetentionModel"
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("RetentionModel", "Leerling"), lambda i: i.name),
        Column(QT_TRANSLATE_NOOP("RetentionModel", "Kenmerk"), lambda i: i.reference),
        Column(
            QT_TRANSLATE_NOOP("RetentionModel", "Vertrokken"),
            lambda i: short_date(i.left_on),
            lambda i: i.left_on,
        ),
        Column(
            QT_TRANSLATE_NOOP("RetentionModel", "Mag weg sinds"),
            lambda i: short_date(i.delete_after),
            lambda i: i.delete_after,
        ),
        Column(QT_TRANSLATE_NOOP("RetentionModel", "Termijn"), _rule),
    )


class RetentionDialog(QDialog):
    """The list of files past their term, with one button that deletes them all."""

    def __init__(
        self,
        overview: retention.RetentionOverview,
        today: date,
        parent: QWidget | None = None,
        backups: ExpiredBackups | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dossiers verwijderen na de bewaartermijn"))
        self.setObjectName("retention-dialog")
        size_window(self, "dashboard.RetentionDialog", 760, 480)
        intro = QLabel(
            self.tr(
                "De bewaartermijn van deze dossiers is voorbij (%d jaar na vertrek, %d jaar na "
                "een verwijzing naar SBO of SO). Verwijderen kan niet ongedaan worden gemaakt; "
                "van elk dossier blijft een verslag zonder persoonsgegevens."
            )
            % (overview.years, overview.years_special)
        )
        intro.setWordWrap(True)
        self.model = RetentionModel(self)
        self.model.set_rows(overview.due)
        self.view = table_view(proxy_for(self.model, self), name=self.tr("Te verwijderen"))
        self.view.resizeColumnsToContents()
        self.backups_label = QLabel(self._backup_text(overview, backups))
        self.backups_label.setWordWrap(True)
        self.backups_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own_backups = len(backups.own) if backups is not None else 0
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = self.buttons.addButton(
            self.tr("&Verwijderen"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.delete_button.setObjectName("delete-due")
        self.delete_button.clicked.connect(self._on_delete)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.backups_label)
        layout.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)

    def _backup_text(
        self, overview: retention.RetentionOverview, backups: ExpiredBackups | None
    ) -> str:
        if backups is None or not backups.total:
            return ""
        lines = []
        if backups.own:
            lines.append(
                self.tr(
                    "Ook %d automatische back-up(s) van vóór %s gaan weg: ze bevatten "
                    "dossiers die niet meer bewaard mogen worden."
                )
                % (len(backups.own), short_date(backups.cutoff.date()))
            )
        if backups.manual:
            lines.append(
                self.tr("Handmatige back-ups ouder dan %d jaar (verwijder ze zelf):")
                % overview.longest_years
            )
            lines += [f"  {b.path}" for b in backups.manual]
        return "\n".join(lines)

    @Slot()
    def _on_delete(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Definitief verwijderen"),
            self.tr(
                "%d dossier(s) en %d oude back-up(s) definitief verwijderen? Dit kan niet "
                "ongedaan worden gemaakt."
            )
            % (self.model.rowCount(), self.own_backups),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.accept()

    @classmethod
    def confirm_and_delete(
        cls,
        ctx: AppContext,
        overview: retention.RetentionOverview,
        parent: QWidget | None,
        backups: ExpiredBackups | None = None,
    ) -> bool:
        """Show the list; after confirmation delete exactly those files. True when deleted."""
        dialog = cls(overview, ctx.today(), parent, backups)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        with ctx.db.session() as s:
            records = retention.apply(
                s, ctx.school_id, today=ctx.today(), only=[i.pupil_id for i in overview.due]
            )
        removed: list = []
        where = backup_retention.for_database(ctx.db)
        if backups is not None and backups.own and where is not None:
            removed = backup_retention.rotate_expired(
                *where, years=overview.longest_years, today=ctx.today()
            )
        QMessageBox.information(
            parent,
            dialog.tr("Dossiers verwijderd"),
            dialog.tr(
                "%d dossier(s) en %d oude back-up(s) verwijderd; van elk dossier is het verslag "
                "zonder persoonsgegevens bewaard."
            )
            % (len(records), len(removed)),
        )
        return True
