"""The OPP editor: the 13 parts with their completeness, the life cycle, printing, versions.

One window per OPP version. The side list shows per part whether it is complete (✓) or what it
still lacks (!), and updates while the user types. The status bar carries the life cycle:
"Besproken met ouders…", "Vaststellen…" (refused with exactly what is missing) and "Evalueren →
nieuwe versie…". A fixed version opens read-only with a banner. "OPP beëindigen…" ends the whole
OPP (it is no longer planned and opens read-only with a banner) and "Beëindiging ongedaan
maken…" lets it run again. The window keeps no session: each action opens a short one through
``ctx.db.session()``. The life-cycle actions live in :mod:`ib_desktop.ui.opp.lifecycle`; "Versies…"
asks (``versionsRequested``) whoever opened the window to show the versions.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, short_date
from ib_desktop.models import OppStatus, Pupil, PupilStatus
from ib_desktop.services import opp as svc
from ib_desktop.services.labels import STATUS_LABELS
from ib_desktop.ui.opp.common import esc
from ib_desktop.ui.opp.lifecycle import LifecycleActions
from ib_desktop.ui.opp.parts import make_pages
from ib_desktop.ui.opp.parts.base import PageEnv, PartPage
from ib_desktop.ui.opp.parts.signatures import SignaturesPage
from ib_desktop.ui.opp.saving import SavingActions
from ib_desktop.ui.opp.side_list import PartsList
from ib_desktop.ui.widgets.window_size import size_window


class OppEditorWindow(LifecycleActions, SavingActions, QMainWindow):
    """An OPP version with its 13 parts; read-only when the version is fixed or evaluated."""

    saved = Signal(int)  # version id
    versionChanged = Signal(int)  # noqa: N815 - Qt naming; the window now shows another version
    versionsRequested = Signal(int)  # noqa: N815 - Qt naming; "Versies…" for this OPP id

    def __init__(self, ctx: Any, nav: Any, version_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._data: svc.OppVersionData | None = None
        self._pupil: dict[str, Any] = {}
        self._statuses: list[svc.PartStatus] = []
        self._dirty = False
        self._loading = False
        self._newest = True
        self._guard: Any = None
        self._pupil_left = False
        self.read_only = False
        self.versions_window: QWidget | None = None
        self.setObjectName("oppEditor")
        size_window(self, "opp_editor.OppEditorWindow", 1240, 820)

        self.banner = QLabel()
        self.banner.setObjectName("frozenBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#frozenBanner { background: #e8eefc; border: 1px solid #9db4e8; "
            "padding: 8px 12px; color: #13294b; }"
        )
        self.banner.hide()
        self.header = QLabel()
        self.header.setObjectName("oppHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)

        self.parts_list = PartsList()
        self.summary = QLabel()
        self.summary.setObjectName("completenessSummary")
        self.summary.setWordWrap(True)
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(self.parts_list, 1)
        left_lay.addWidget(self.summary)

        self.stack = QStackedWidget()
        self.pages: list[PartPage] = make_pages(self.stack)
        for page in self.pages:
            self.stack.addWidget(page)
            page.changed.connect(self._on_page_changed)
            page.pupilFileChanged.connect(self._on_pupil_file_changed)
            if isinstance(page, SignaturesPage):
                page.legalActGiven.connect(self._on_legal_act)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([340, 900])
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(8, 8, 8, 0)
        lay.addWidget(self.header)
        lay.addWidget(self.banner)
        lay.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_status_bar()
        self.parts_list.currentRowChanged.connect(self._on_part_selected)
        # Goals evaluated on the Evaluaties page (or any save elsewhere) show here too.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload_from_database)
        changed = getattr(nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self._reload_timer.start)
        self.load(version_id)
        self.parts_list.setCurrentRow(0)

    # -------------------------------------------------------------- building
    def _build_actions(self) -> None:
        from ib_desktop.ui.widgets.rich_text import FormatToolBar

        toolbar = self.addToolBar(self.tr("OPP"))
        toolbar.setObjectName("oppToolbar")
        toolbar.setMovable(False)
        self.save_action = QAction(self.tr("&Opslaan"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setToolTip(self.tr("Opslaan (Ctrl+S)"))
        self.save_action.triggered.connect(self._on_save)
        self.print_action = QAction(self.tr("&Afdrukken…"), self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.setToolTip(self.tr("Afdrukken of als PDF opslaan (Ctrl+P)"))
        self.print_action.triggered.connect(self._on_print)
        self.versions_action = QAction(self.tr("&Versies…"), self)
        self.versions_action.setToolTip(
            self.tr("Alle versies van dit OPP, en de verschillen tussen twee versies")
        )
        self.versions_action.triggered.connect(self._on_versions)
        self.end_action = QAction(self.tr("OPP beëi&ndigen…"), self)
        self.end_action.setObjectName("endOppAction")
        self.end_action.triggered.connect(self._on_end_or_reopen)
        self.pupil_action = QAction(self.tr("&Leerlingdossier"), self)
        self.pupil_action.setToolTip(self.tr("Het leerlingdossier openen"))
        self.pupil_action.triggered.connect(self._on_open_pupil)
        for action in (
            self.save_action,
            self.print_action,
            self.versions_action,
            self.end_action,
            self.pupil_action,
        ):
            toolbar.addAction(action)
        self.format_bar = FormatToolBar(self)
        self.addToolBar(self.format_bar)
        next_part = QAction(self.tr("Volgend deel"), self)
        next_part.setShortcut(QKeySequence("Ctrl+PgDown"))
        next_part.triggered.connect(lambda: self.go_to_part(min(13, self.current_part() + 1)))
        prev_part = QAction(self.tr("Vorig deel"), self)
        prev_part.setShortcut(QKeySequence("Ctrl+PgUp"))
        prev_part.triggered.connect(lambda: self.go_to_part(max(1, self.current_part() - 1)))
        close = QAction(self.tr("Sluiten"), self)
        close.setShortcut(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)
        for action in (next_part, prev_part, close):
            self.addAction(action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        bar.addWidget(self.status_label, 1)
        self.discussed_button = QPushButton(self.tr("&Besproken met ouders…"))
        self.fix_button = QPushButton(self.tr("&Vaststellen…"))
        self.evaluate_button = QPushButton(self.tr("&Evalueren → nieuwe versie…"))
        self.discussed_button.setToolTip(
            self.tr("Leg het gesprek met de ouders over deze versie vast")
        )
        self.fix_button.setToolTip(
            self.tr("Stel deze versie vast; daarna is zij niet meer te wijzigen")
        )
        self.evaluate_button.setToolTip(self.tr("Evalueer de doelen en begin een nieuwe versie"))
        self.discussed_button.clicked.connect(self._on_discussed)
        self.fix_button.clicked.connect(self._on_fix)
        self.evaluate_button.clicked.connect(self._on_evaluate)
        for b in (self.discussed_button, self.fix_button, self.evaluate_button):
            bar.addPermanentWidget(b)

    # -------------------------------------------------------------- loading
    @property
    def data(self) -> svc.OppVersionData:
        """The version as last loaded or saved."""
        assert self._data is not None
        return self._data

    def load(self, version_id: int) -> None:
        """Show a version (read-only when fixed); asks to restore edits a crash left behind."""
        from ib_desktop.services.school import development_areas

        with self.ctx.db.session() as s:
            data = svc.load_version(s, version_id)
            pupil = svc.pupil_part_data(s, data)
            signers = svc.signer_choices(s, data, pupil)
            areas = development_areas(s, self.ctx.school_id)
            self._newest = svc.newest_version_id(s, data.opp_id) == data.id
            pupil_row = s.get(Pupil, data.pupil_id)
            pupil_left = pupil_row is not None and pupil_row.status == PupilStatus.VERTROKKEN
        self._env = PageEnv(
            ctx=self.ctx,
            nav=self.nav,
            pupil_id=data.pupil_id,
            number=data.number,
            today=self.ctx.today(),
            areas=areas,
            signers=signers,
            pupil_file_editable=not data.is_frozen and not pupil_left and not data.is_ended,
        )
        self._pupil_left = pupil_left
        self._show(data, pupil)
        self._setup_recovery()
        self.versionChanged.emit(data.id)

    def _show(
        self, data: svc.OppVersionData, pupil: dict[str, Any], *, dirty: bool = False
    ) -> None:
        self._data = data
        self._pupil = pupil
        self.read_only = data.is_frozen or self._pupil_left or data.is_ended
        self._loading = True
        try:
            for page in self.pages:
                page.load(data, pupil, self._env)
                page.set_read_only(self.read_only)
        finally:
            self._loading = False
        self._dirty = dirty
        self._update_header()
        self._update_statuses()
        self._update_buttons()

    def _title_text(self) -> str:
        d = self.data
        return self.tr("OPP %s – versie %d (%s)") % (
            d.pupil_name,
            d.number,
            STATUS_LABELS[d.status.value].lower(),
        )

    def _update_header(self) -> None:
        d = self.data
        self.setWindowTitle(("* " if self._dirty else "") + self._title_text() + f" – {APP_NAME}")
        dates = self._header_dates(d)
        self.header.setText(
            f"<span style='font-size: 15pt; font-weight: 600'>{esc(d.pupil_name)}</span>"
            f" &nbsp; {self.tr('OPP versie %d') % d.number} &middot; "
            f"<b>{esc(STATUS_LABELS[d.status.value])}</b>"
            + (f" &middot; {esc(', '.join(dates))}" if dates else "")
        )
        banner = self._banner_text(d)
        self.banner.setText(banner or "")
        self.banner.setVisible(banner is not None)

    def _header_dates(self, d: svc.OppVersionData) -> list[str]:
        """The dates of the version's life cycle, as the header lists them."""
        dates = []
        if d.discussed_on:
            dates.append(self.tr("besproken %s") % short_date(d.discussed_on))
        if d.fixed_on:
            dates.append(self.tr("vastgesteld %s") % short_date(d.fixed_on))
        if d.evaluated_on:
            dates.append(self.tr("geëvalueerd %s") % short_date(d.evaluated_on))
        if d.next_evaluation_on and d.status == OppStatus.VASTGESTELD and not d.is_ended:
            dates.append(self.tr("volgende evaluatie %s") % short_date(d.next_evaluation_on))
        if d.opp_end_date:
            dates.append(self.tr("OPP beëindigd %s") % short_date(d.opp_end_date))
        return dates

    def _banner_text(self, d: svc.OppVersionData) -> str | None:
        """Why the version cannot be edited (None when it can)."""
        if d.is_ended and not self._pupil_left:
            return self.ended_text(d)
        if d.status == OppStatus.VASTGESTELD:
            return self.tr(
                "Deze versie is vastgesteld op %s en kan niet meer worden gewijzigd; ook de "
                "leerlinggegevens zijn vastgelegd zoals ze toen waren. Om iets te veranderen: "
                "Evalueren → nieuwe versie."
            ) % long_date(d.fixed_on)
        if d.status == OppStatus.GEEVALUEERD:
            return self.tr(
                "Deze versie is geëvalueerd op %s en wordt ongewijzigd bewaard (alleen lezen). "
                "Er is een nieuwere versie; zie Versies."
            ) % long_date(d.evaluated_on)
        if self._pupil_left:
            return (
                self.tr(
                    "%s heeft de school verlaten. Het OPP wordt bewaard zoals het is en kan "
                    "alleen nog worden ingezien."
                )
                % d.pupil_name
            )
        return None

    def ended_text(self, d: svc.OppVersionData) -> str:
        """The banner of an ended OPP: when, why, and what that means."""
        text = self.tr("Dit OPP is beëindigd op %s") % long_date(d.opp_end_date)
        if d.opp_end_reason:
            text += ": " + d.opp_end_reason.rstrip(".") + "."
        else:
            text += "."
        return (
            text
            + " "
            + self.tr(
                "Het wordt niet meer gepland en kan alleen nog worden ingezien. Om er weer aan "
                "te werken: Beëindiging ongedaan maken."
            )
        )

    def _update_buttons(self) -> None:
        d = self.data
        editable = not self.read_only
        self.save_action.setEnabled(editable)
        self.discussed_button.setVisible(editable)
        self.fix_button.setVisible(editable)
        self.evaluate_button.setVisible(
            d.status == OppStatus.VASTGESTELD and self._newest and not d.is_ended
        )
        if d.is_ended:
            self.end_action.setText(self.tr("Beëindiging ongedaan &maken…"))
            self.end_action.setToolTip(
                self.tr("Laat het OPP weer lopen: het wordt weer gepland en kan worden bewerkt")
            )
        else:
            self.end_action.setText(self.tr("OPP beëi&ndigen…"))
            self.end_action.setToolTip(
                self.tr("Beëindig het OPP: het wordt niet meer gepland en is daarna alleen-lezen")
            )
        # A pupil who left takes the OPP's end along; undoing it goes through their return.
        self.end_action.setEnabled(not self._pupil_left)
        self.format_bar.setVisible(editable)
        status = STATUS_LABELS[d.status.value]
        if editable:
            self.status_label.setText(
                self.tr("%s. %s")
                % (
                    status,
                    self.tr("Niet-opgeslagen wijzigingen.")
                    if self._dirty
                    else self.tr("Alles is opgeslagen."),
                )
            )
        else:
            self.status_label.setText(self.tr("%s – alleen lezen.") % status)

    # -------------------------------------------------------------- completeness
    def collect(self) -> svc.OppVersionData:
        """The version as the pages show it now (a copy; nothing is saved)."""
        data = copy.deepcopy(self.data)
        for page in self.pages:
            page.collect(data)
        return data

    def statuses(self) -> list[svc.PartStatus]:
        """The completeness of every part as shown now."""
        return list(self._statuses)

    def _update_statuses(self) -> None:
        data = self.collect() if not self.read_only else self.data
        self._statuses = svc.part_statuses(data, self._pupil)
        self.parts_list.show_statuses(self._statuses)
        for page, status in zip(self.pages, self._statuses, strict=True):
            page.show_status(status)
        required = [s for s in self._statuses if s.required]
        done = sum(1 for s in required if s.complete)
        text = self.tr("%d van %d verplichte delen compleet") % (done, len(required))
        if done == len(required) and not self.read_only:
            text += " – " + self.tr("klaar om vast te stellen")
        self.summary.setText(text)

    def mark(self, number: int) -> str:
        """The mark (✓, ! or ○) the side list shows for a part."""
        return self.parts_list.mark(number)

    # -------------------------------------------------------------- navigation
    def current_part(self) -> int:
        """The number of the part on screen."""
        return self.stack.currentIndex() + 1

    def page(self, number: int) -> PartPage:
        """The page of a part (1-13)."""
        return self.pages[number - 1]

    def go_to_part(self, number: int, *, focus: bool = False) -> None:
        """Show a part (and put the cursor in its first field)."""
        self.parts_list.setCurrentRow(number - 1)
        if focus:
            widget = self.page(number).first_field()
            if widget is not None:
                widget.setFocus()

    @Slot(int)
    def _on_part_selected(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)

    # -------------------------------------------------------------- editing
    def is_dirty(self) -> bool:
        """There are edits that are not saved."""
        return self._dirty

    @Slot()
    def _on_page_changed(self) -> None:
        if self._loading or self.read_only:
            return
        was_dirty = self._dirty
        self._dirty = True
        self._update_statuses()
        if not was_dirty:
            self._update_header()
        self._update_buttons()
        if self._guard is not None:
            self._guard.changed()

    def _refresh_pupil(self) -> None:
        if self._data is None or self.read_only:
            return
        with self.ctx.db.session() as s:
            pupil = svc.pupil_part_data(s, self.data)
            signers = svc.signer_choices(s, self.data, pupil)
        if pupil == self._pupil:
            return
        self._pupil = pupil
        self._env.signers = signers
        self._loading = True
        try:
            for page in self.pages:
                page.refresh_pupil(pupil)
        finally:
            self._loading = False
        self._update_statuses()

    @Slot()
    def reload_from_database(self) -> bool:
        """Show the version as stored when it changed elsewhere; True when refreshed.

        Unsaved edits are never overwritten (saving them then reports the other save).
        """
        if self._data is None or self._dirty:
            return False
        try:
            with self.ctx.db.session() as s:
                data = svc.load_version(s, self.data.id)
        except LookupError:
            return False
        if data == self.data:
            return False
        part = self.current_part()
        self._show(data, self._pupil)
        self.go_to_part(part)
        return True

    def _on_pupil_file_changed(self) -> None:
        self._refresh_pupil()
        self.nav.notify_changed()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Coming back to the window: the pupil file may have changed in its own window."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._refresh_pupil()
        super().changeEvent(event)

    @Slot()
    def _on_print(self) -> None:
        if not self.read_only and self._dirty and not self.save():
            return
        from ib_desktop.reports import opp_pdf
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
        from ib_desktop.ui.widgets.view_logging import PRINTED, account_role, log_views

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.db.session() as s:
                pdf = opp_pdf(s, self.data.id, today=self.ctx.today(), role=account_role(self.ctx))
                log_views(
                    s, self.ctx, [self.data.pupil_id], PRINTED, f"OPP versie {self.data.number}"
                )
        finally:
            QApplication.restoreOverrideCursor()
        d = self.data
        name = self.tr("OPP %s versie %d.pdf") % (d.pupil_name, d.number)
        PdfPreviewDialog.preview(
            self, pdf, self.tr("OPP %s – versie %d") % (d.pupil_name, d.number), name
        )

    @Slot()
    def _on_versions(self) -> None:
        self.versionsRequested.emit(self.data.opp_id)

    @Slot()
    def _on_open_pupil(self) -> None:
        self.nav.open_pupil(self.data.pupil_id)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Unsaved edits are never dropped silently."""
        if self.may_close():
            event.accept()
        else:
            event.ignore()
