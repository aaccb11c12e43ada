"""Overzicht: the home screen with what needs the IB-er's attention today.

Four cards, each a count and the first few entries: evaluations that are overdue, OPPs without
the parents' consent, pupils at a level whose required document is missing, and zorgplicht
deadlines within two weeks. Every entry is a button: it opens the document or the pupil file;
"Alles bekijken" goes to the agenda or the pupil list.

The cards come from the schedule engine, which takes a moment (and about a second at the
scale of a samenwerkingsverband). The page therefore shows at once with "Bezig met
berekenen…" and the cards fill in when a worker thread, with its own session, has the answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import long_date, short_date, weekday_date
from ib_desktop.schedule import KIND_LABELS
from ib_desktop.services.agenda import Dashboard, Section, days_text, load_dashboard
from ib_desktop.services.deadlines import KIND_LABELS as CLOCK_LABELS
from ib_desktop.services.deadlines import Deadline
from ib_desktop.services.deadlines import collect as collect_deadlines
from ib_desktop.ui.context import AppContext, Navigator

MAX_ENTRIES = 6
CARD_STYLE = """
QFrame#dashboard-card {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 6px;
}
QPushButton[entry="true"] {
    text-align: left;
    border: none;
    padding: 3px 4px;
    color: palette(link);
}
QPushButton[entry="true"]:hover, QPushButton[entry="true"]:focus {
    background: palette(alternate-base);
    text-decoration: underline;
}
"""
ALERT_COLOR = "#b00020"
GOOD_COLOR = "#2e7d32"


class Card(QFrame):
    """A titled card with a big count, a few clickable entries and a link to all of them."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard-card")
        self.max_entries = MAX_ENTRIES
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.title = QLabel(title)
        bold = QFont(self.title.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        self.title.setFont(bold)
        self.title.setWordWrap(True)
        self.count = QLabel("0")
        big = QFont(self.count.font())
        big.setPointSizeF(big.pointSizeF() * 2.2)
        big.setBold(True)
        self.count.setFont(big)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.empty_text = empty_text
        self.empty = QLabel(empty_text)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {GOOD_COLOR};")
        self.entries = QVBoxLayout()
        self.entries.setSpacing(0)
        self.more = QPushButton()
        self.more.setProperty("entry", True)
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(head)
        layout.addWidget(self.empty)
        layout.addLayout(self.entries)
        layout.addStretch(1)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignRight)
        self.buttons: list[QPushButton] = []
        self._on_more: Callable[[], None] | None = None
        self.more.clicked.connect(self._on_more_clicked)

    @Slot()
    def _on_more_clicked(self) -> None:
        if self._on_more is not None:
            self._on_more()

    def set_entries(
        self,
        total: int,
        entries: list[tuple[str, str, Callable[[], None]]],
        more_text: str,
        on_more: Callable[[], None] | None,
    ) -> None:
        """Show ``total`` and the first entries (text, tooltip, action on click)."""
        for b in self.buttons:
            self.entries.removeWidget(b)
            b.deleteLater()
        self.buttons = []
        self.count.setText(str(total))
        self.count.setStyleSheet(f"color: {ALERT_COLOR if total else GOOD_COLOR};")
        self.empty.setVisible(total == 0)
        for text, tip, action in entries[: self.max_entries]:
            b = QPushButton(text)
            b.setProperty("entry", True)
            b.setToolTip(tip)
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.clicked.connect(action)
            self.entries.addWidget(b)
            self.buttons.append(b)
        self._on_more = on_more
        self.more.setVisible(on_more is not None and total > 0)
        self.more.setText(more_text)

    def set_busy(self) -> None:
        """No figures yet: the count says so and nothing can be clicked."""
        for b in self.buttons:
            self.entries.removeWidget(b)
            b.deleteLater()
        self.buttons = []
        self.count.setText("…")
        self.count.setStyleSheet("color: palette(mid);")
        self.empty.setVisible(False)
        self.more.setVisible(False)
        self._on_more = None


class _DashboardSignals(QObject):
    """Carries the cards' figures from the worker thread back to the page."""

    done = Signal(int, object)  # generation, Dashboard
    failed = Signal(int, str)


def _compute(ctx: AppContext, generation: int, signals: _DashboardSignals) -> None:
    """Read the cards off the GUI thread, in a session of its own (a session is never shared)."""
    try:
        with ctx.db.session() as s:
            data = load_dashboard(s, ctx.school_id, today=ctx.today())
            clocks = collect_deadlines(s, ctx.school_id, ctx.today())
    except Exception as exc:  # noqa: BLE001 - shown on the page; the app goes on
        signals.failed.emit(generation, str(exc))
        return
    signals.done.emit(generation, (data, clocks))


class DashboardPage(QWidget):
    """The home screen: four cards with what needs attention."""

    reloaded = Signal()

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.data: Dashboard | None = None
        self._generation = 0
        self._pending: int | None = None  # the reload whose answer is awaited
        self._started = 0  # the latest reload whose job has been started
        # A plain Python thread rather than a QThreadPool owned by the page: a pool's C++
        # destructor waits for its jobs while Python's lock is held, and the job needs it.
        self._thread: threading.Thread | None = None
        self._signals = _DashboardSignals()
        self._signals.done.connect(self._on_loaded)
        self._signals.failed.connect(self._on_failed)
        self.setStyleSheet(CARD_STYLE)

        title = QLabel(self.tr("Overzicht"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.subtitle = QLabel()
        self.week_button = QPushButton()
        self.week_button.setProperty("entry", True)
        self.week_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.week_button.clicked.connect(self._on_show_week)

        self.overdue_card = Card(
            self.tr("Evaluaties te laat"), self.tr("Alle evaluaties zijn op tijd gedaan.")
        )
        self.consent_card = Card(
            self.tr("OPP's zonder toestemming van de ouders"),
            self.tr("Alle lopende OPP's hebben de toestemming van de ouders."),
        )
        self.missing_card = Card(
            self.tr("Document ontbreekt bij het niveau"),
            self.tr("Elke leerling heeft de documenten die het niveau vraagt."),
        )
        self.zorgplicht_card = Card(
            self.tr("Zorgplicht: besluit binnen twee weken"),
            self.tr("Geen aanmelding met een termijn in de komende twee weken."),
        )
        self.deadlines_card = Card(
            self.tr("Wettelijke termijnen"),
            self.tr("Geen lopende wettelijke termijnen."),
        )
        self.deadlines_card.max_entries = 8  # with the "Alle … termijnen" link still in view
        self.deadlines: list[Deadline] = []
        grid = QGridLayout()
        grid.setSpacing(14)
        grid.addWidget(self.overdue_card, 0, 0)
        grid.addWidget(self.consent_card, 0, 1)
        grid.addWidget(self.missing_card, 1, 0)
        grid.addWidget(self.zorgplicht_card, 1, 1)
        grid.addWidget(self.deadlines_card, 2, 0, 1, 2)
        from ib_desktop.ui.privacy_cards import PrivacyCards  # it builds on Card, below

        self.privacy = PrivacyCards(ctx, nav, self)
        grid.addWidget(self.privacy.inzage_card, 3, 0)
        grid.addWidget(self.privacy.retention_card, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        head = QVBoxLayout()
        head.setSpacing(2)
        head.addWidget(title)
        head.addWidget(self.subtitle)
        body_layout.addLayout(head)
        body_layout.addWidget(self.week_button, 0, Qt.AlignmentFlag.AlignLeft)
        body_layout.addSpacing(6)
        body_layout.addLayout(grid)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)

        QShortcut(QKeySequence("F5"), self, self.reload)
        changed = getattr(nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self.reload)
        self.reload()

    # ------------------------------------------------------------------ data
    @property
    def loaded(self) -> bool:
        """True once the cards show the figures of the latest reload."""
        return self.data is not None and self._pending is None

    @Slot()
    def reload(self) -> None:
        """Read the cards again (at start and after any save), in the background.

        The page shows at once; until the answer is in, the cards say "…" and the subtitle
        "Bezig met berekenen…". The job starts in the next turn of the event loop, after the
        page has been painted.
        """
        self._generation += 1
        self._pending = self._generation
        self.subtitle.setText(self.tr("Bezig met berekenen…"))
        self.week_button.setText(self.tr("Deze week: …"))
        self.week_button.setEnabled(False)
        for card in self.cards():
            card.set_busy()
        self.deadlines_card.set_busy()
        QTimer.singleShot(0, self._start_job)

    def cards(self) -> tuple[Card, Card, Card, Card]:
        """The four cards, in reading order."""
        return (self.overdue_card, self.consent_card, self.missing_card, self.zorgplicht_card)

    @Slot()
    def _start_job(self) -> None:
        if self._pending != self._generation or self._started == self._generation:
            return
        self._started = self._generation
        self._thread = threading.Thread(
            target=_compute,
            args=(self.ctx, self._generation, self._signals),
            name="overzicht",
            daemon=True,  # a read-only query: quitting the app need not wait for it
        )
        self._thread.start()

    def wait_for_background(self, msecs: int = 10000) -> bool:
        """Wait for a running computation (tests, closing the database); False on time-out."""
        if self._thread is not None:
            self._thread.join(msecs / 1000)
            return not self._thread.is_alive()
        return True

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.subtitle.setText(self.tr("Het overzicht kon niet worden berekend: %s") % message)
        self.subtitle.setStyleSheet(f"color: {ALERT_COLOR};")

    @Slot(int, object)
    def _on_loaded(self, generation: int, payload: tuple[Dashboard, list[Deadline]]) -> None:
        if generation != self._generation:
            return  # an older answer: a later reload is on its way
        self._pending = None
        data, self.deadlines = payload
        self.data = data
        self.subtitle.setStyleSheet("")
        self.week_button.setEnabled(True)
        self._show(data)

    def _show(self, d: Dashboard) -> None:
        today = d.today
        self.subtitle.setText(self.tr("Wat vandaag aandacht vraagt · %s") % weekday_date(today))
        week = (
            self.tr("Deze week: 1 moment in de agenda")
            if d.this_week == 1
            else self.tr("Deze week: %d momenten in de agenda") % d.this_week
        )
        if d.overdue_meetings == 1:
            week += self.tr(" · 1 gesprek of overleg te laat")
        elif d.overdue_meetings:
            week += self.tr(" · %d gesprekken of overleggen te laat") % d.overdue_meetings
        self.week_button.setText(week + " →")

        overdue_entries = []
        for item in d.overdue:
            m = item.moment
            who = f"{item.pupil} ({item.group})" if item.group else item.pupil or item.group
            text = f"{KIND_LABELS[m.kind]} · {who} · {days_text(m, today)}"
            tip = self.tr("%s, was %s. Klik om het document te openen.") % (
                m.title,
                long_date(m.due),
            )
            overdue_entries.append(
                (text, tip, self._opener(item.document_kind, m.source_id, m.pupil_id))
            )
        self.overdue_card.set_entries(
            len(d.overdue),
            overdue_entries,
            self.tr("Alle te late momenten in de agenda →"),
            self._on_show_overdue,
        )

        consent_entries = []
        for gap in d.consent:
            state = (
                self.tr("geweigerd op %s") % short_date(gap.since)
                if gap.refused
                else self.tr("nog niet gegeven")
            )
            text = self.tr("%s · versie %d · %s") % (gap.pupil, gap.version_number, state)
            tip = self.tr("Klik om het OPP te openen.")
            consent_entries.append((text, tip, self._opener("opp", gap.opp_id, gap.pupil_id)))
        self.consent_card.set_entries(
            len(d.consent), consent_entries, self.tr("Naar de leerlingen →"), self._on_show_pupils
        )

        missing_entries = []
        for row in d.missing:
            who = f"{row.pupil} ({row.group})" if row.group else row.pupil
            text = self.tr("%s · %s ontbreekt") % (who, row.missing)
            tip = self.tr("Klik om het leerlingdossier te openen.")
            missing_entries.append((text, tip, self._pupil_opener(row.pupil_id)))
        self.missing_card.set_entries(
            len(d.missing), missing_entries, self.tr("Naar de leerlingen →"), self._on_show_pupils
        )

        zorg_entries = []
        for item in d.zorgplicht:
            m = item.moment
            name = m.title.split(" van ", 1)[-1] if " van " in m.title else m.title
            text = self.tr("%s · uiterlijk %s · %s") % (name, long_date(m.due), days_text(m, today))
            tip = m.title
            action = (
                self._pupil_opener(m.pupil_id) if m.pupil_id is not None else self._on_show_agenda
            )
            zorg_entries.append((text, tip, action))
        self.zorgplicht_card.set_entries(
            len(d.zorgplicht), zorg_entries, self.tr("Naar de agenda →"), self._on_show_agenda
        )
        self._show_deadlines(today)
        self.privacy.refresh()
        self.reloaded.emit()

    def _show_deadlines(self, today) -> None:  # type: ignore[no-untyped-def]
        """Every legal clock, overdue ones first; a line opens the OPP or the pupil file."""
        entries = []
        for d in self.deadlines:
            text = self.tr("%s · %s · %s · %s") % (
                short_date(d.due),
                d.when_text(today),
                QCoreApplication.translate("Deadlines", CLOCK_LABELS.get(d.kind, d.kind)),
                d.who,
            )
            tip = d.what + self.tr(". Klik om te openen.")
            entries.append((f"{text}: {d.what}", tip, self._clock_opener(d)))
        late = sum(d.is_overdue(today) for d in self.deadlines)
        # The count is what is late; the lines are every running clock, the soonest first.
        self.deadlines_card.set_entries(
            late,
            entries,
            self.tr("Alle %d termijnen →") % len(self.deadlines),
            self._on_show_all_deadlines,
        )
        self.deadlines_card.empty.setVisible(not self.deadlines)
        self.deadlines_card.more.setVisible(bool(self.deadlines))
        self.deadlines_card.count.setToolTip(
            self.tr("%d te laat van %d lopende termijnen") % (late, len(self.deadlines))
        )

    @Slot()
    def _on_show_all_deadlines(self) -> None:
        from ib_desktop.ui.deadlines_dialog import DeadlinesDialog

        if self.data is None:
            return
        DeadlinesDialog(self.deadlines, self.data.today, self._clock_opener, self).exec()

    def _clock_opener(self, d: Deadline) -> Callable[[], None]:
        if d.target == "opp" and d.target_id is not None:
            return self._opener("opp", d.target_id, d.pupil_id)
        if d.pupil_id is not None:
            return self._pupil_opener(d.pupil_id)
        return self._on_show_agenda

    # ------------------------------------------------------------------ navigation
    def _opener(
        self, document_kind: str | None, doc_id: int | None, pupil_id: int | None
    ) -> Callable[[], None]:
        def open_it() -> None:
            if document_kind is not None and doc_id is not None:
                self.nav.open_document(document_kind, doc_id)
            elif pupil_id is not None:
                self.nav.open_pupil(pupil_id)

        return open_it

    def _pupil_opener(self, pupil_id: int) -> Callable[[], None]:
        return lambda: self.nav.open_pupil(pupil_id)

    def _agenda(self, section: Section | None = None) -> None:
        self.nav.show_page("agenda")
        page_of = getattr(self.nav, "page", None)
        if section is not None and callable(page_of):
            page = page_of("agenda")
            show = getattr(page, "show_section", None)
            if show is not None:
                show(section)

    @Slot()
    def _on_show_overdue(self) -> None:
        self._agenda(Section.TE_LAAT)

    @Slot()
    def _on_show_week(self) -> None:
        self._agenda(Section.DEZE_WEEK)

    @Slot()
    def _on_show_agenda(self) -> None:
        self._agenda(None)

    @Slot()
    def _on_show_pupils(self) -> None:
        self.nav.show_page("leerlingen")
