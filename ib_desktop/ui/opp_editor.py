"""The OPP editor: the 13 parts with their completeness, the life cycle, printing, versions.

One window per OPP version. The side list shows per part whether it is complete (✓) or what it
still lacks (!), and updates while the user types. The status bar carries the life cycle:
"Besproken met ouders…", "Vaststellen…" (refused with exactly what is missing) and "Evalueren →
nieuwe versie…". A fixed version opens read-only with a banner. "OPP beëindigen…" ends the whole
OPP (it is no longer planned and opens read-only with a banner) and "Beëindiging ongedaan
maken…" lets it run again. The window keeps no session: each action opens a short one through
``ctx.db.session()``.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, short_date
from ib_desktop.models import OppStatus, Outcome
from ib_desktop.opp_parts import (
    NOT_APPLICABLE_FIELDS,
    OUTCOME_LABELS,
    PART_FIELDS,
    PARTS,
    STATUS_LABELS,
)
from ib_desktop.services import opp as svc
from ib_desktop.ui.opp_parts_pages import (
    GoalsPage,
    OptionalDateEdit,
    PageEnv,
    PartPage,
    SignaturesPage,
    esc,
    first_line,
    make_pages,
    prose,
)
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, save_or_choose
from ib_desktop.ui.widgets.date_field import check_dates
from ib_desktop.ui.widgets.forms import ErrorMap, ok_cancel_buttons, to_qdate
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import (
    ConcurrentEditError,
    ReadOnlyError,
    ValidationError,
    ValidationErrors,
)

COMPLETE_MARK = "✓"
INCOMPLETE_MARK = "!"
OPTIONAL_MARK = "○"
MARK_ROLE = Qt.ItemDataRole.UserRole + 1
MARK_COLORS = {COMPLETE_MARK: "#2e7d32", INCOMPLETE_MARK: "#c2410c", OPTIONAL_MARK: "#6b7280"}
_ICONS: dict[str, QIcon] = {}


def mark_icon(mark: str) -> QIcon:
    """A small round badge with the mark: green ✓, orange !, grey ○ (made once, then cached)."""
    if mark in _ICONS:
        return _ICONS[mark]
    size = 18
    pixmap = QPixmap(size * 2, size * 2)  # drawn at double size: sharp on high-DPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    color = QColor(MARK_COLORS[mark])
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    if mark == OPTIONAL_MARK:
        painter.setPen(QPen(color, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(rect)
        painter.setPen(QPen(QColor("white"), 2.0))
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(12)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, mark)
    painter.end()
    _ICONS[mark] = QIcon(pixmap)
    return _ICONS[mark]


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("opp", text)


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


# ------------------------------------------------------------------------------- life-cycle dialogs


class DiscussedDialog(QDialog):
    """ "Besproken met ouders": when, with whom, and the relevant points (logged in part 11)."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Besproken met ouders"))
        self.errors = ErrorMap()
        intro = QLabel(
            self.tr(
                "Leg vast dat deze versie met de ouders/verzorgers is besproken. Het gesprek komt "
                "in deel 11; daarna kunnen de toestemming en de handtekeningen worden vastgelegd."
            )
        )
        intro.setWordWrap(True)
        self.date = OptionalDateEdit()
        self.date.set_value(today)
        self.date.setMaximumDate(to_qdate(today))
        self.participants = QLineEdit(self.tr("ouders/verzorgers, leerkracht, IB-er"))
        self.summary = prose(min_lines=4)
        self.summary.setPlaceholderText(self.tr("Wat is besproken en afgesproken?"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Datum gesprek:"), self.errors.wrap("date", self.date))
        form.addRow(self.tr("D&eelnemers:"), self.participants)
        form.addRow(self.tr("&Relevante punten:"), self.errors.wrap("summary", self.summary))
        buttons = ok_cancel_buttons(self, self.tr("Vastleggen"), self._on_accept)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(buttons)
        size_window(self, "opp_editor.DiscussedDialog", 560, 380)

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if self.date.value() is None:
            errors["date"] = self.tr("Vul de datum van het gesprek in.")
        if not self.summary.markdown().strip():
            errors["summary"] = self.tr("Noteer kort wat er is besproken.")
        self.errors.show(errors)
        if not errors:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, today: date) -> tuple[date, str, str] | None:
        """Run the dialog; (date, participants, summary) or None."""
        dialog = cls(today, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return (
                dialog.date.value() or today,
                dialog.participants.text().strip(),
                dialog.summary.markdown(),
            )
        finally:
            dialog.deleteLater()


class FixDialog(QDialog):
    """ "Vaststellen": the date and the next evaluation (the school's rhythm, at most a year)."""

    def __init__(
        self, today: date, evaluations_per_year: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OPP vaststellen"))
        self.per_year = evaluations_per_year
        intro = QLabel(
            self.tr(
                "Na het vaststellen kan deze versie niet meer worden gewijzigd. De gegevens uit "
                "het leerlingdossier (delen 1-3) worden zoals ze nu zijn in deze versie "
                "vastgelegd. "
                "Wijzigingen daarna gaan via een evaluatie, die een nieuwe versie maakt."
            )
        )
        intro.setWordWrap(True)
        self.errors = ErrorMap()
        self.fixed_on = OptionalDateEdit()
        self.fixed_on.set_value(today)
        self.fixed_on.setMaximumDate(to_qdate(today))
        self.next_on = OptionalDateEdit()
        self.next_on.set_value(svc.default_next_evaluation(today, evaluations_per_year))
        self.rhythm = QLabel()
        self.rhythm.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Vastgesteld op:"), self.errors.wrap("fixed_on", self.fixed_on))
        form.addRow(
            self.tr("Volgende &evaluatie:"), self.errors.wrap("next_evaluation_on", self.next_on)
        )
        form.addRow("", self.rhythm)
        buttons = ok_cancel_buttons(self, self.tr("Vaststellen"), self._on_accept)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(buttons)
        self.fixed_on.dateChanged.connect(self._on_fixed_changed)
        self._on_fixed_changed()
        size_window(self, "opp_editor.FixDialog", 560, 260)

    @Slot()
    def _on_fixed_changed(self, *_args: Any) -> None:
        fixed = self.fixed_on.value()
        if fixed is None:
            return
        self.next_on.setMaximumDate(to_qdate(svc.default_next_evaluation(fixed, 1)))
        self.rhythm.setText(
            self.tr(
                "De school evalueert een OPP %d keer per jaar; uiterlijk %s "
                "(een jaar na vaststellen)."
            )
            % (self.per_year, long_date(svc.default_next_evaluation(fixed, 1)))
        )

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if self.fixed_on.value() is None:
            errors["fixed_on"] = self.tr("Vul de datum van vaststellen in.")
        if self.next_on.value() is None:
            errors["next_evaluation_on"] = self.tr("Vul de datum van de volgende evaluatie in.")
        elif self.fixed_on.value() and self.next_on.value() <= self.fixed_on.value():
            errors["next_evaluation_on"] = self.tr(
                "De volgende evaluatie ligt na de datum van vaststellen."
            )
        self.errors.show(errors)
        if not errors:
            self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, today: date, evaluations_per_year: int
    ) -> tuple[date, date] | None:
        """Run the dialog; (fixed on, next evaluation) or None."""
        dialog = cls(today, evaluations_per_year, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.fixed_on.value() or today, dialog.next_on.value() or today
        finally:
            dialog.deleteLater()


class EvaluateDialog(QDialog):
    """ "Evalueren": the result of every goal; confirms that a new version will be made."""

    def __init__(
        self, data: svc.OppVersionData, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OPP evalueren"))
        self.errors = ErrorMap()
        intro = QLabel(
            self.tr(
                "Geef per doel aan of het is behaald. Versie %d blijft daarna ongewijzigd bewaard; "
                "er wordt een nieuwe conceptversie %d gemaakt met alle inhoud van deze versie, "
                "die u met de ouders bijwerkt. In deel 12 van de nieuwe versie staan deze "
                "resultaten naast de evaluatie."
            )
            % (data.number, data.number + 1)
        )
        intro.setWordWrap(True)
        self.date = OptionalDateEdit()
        self.date.set_value(today)
        self.date.setMaximumDate(to_qdate(today))
        self.outcomes: dict[int, QComboBox] = {}
        self.results: dict[int, QLineEdit] = {}
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.addWidget(QLabel(f"<b>{self.tr('Doel')}</b>"), 0, 0)
        grid.addWidget(QLabel(f"<b>{self.tr('Resultaat')}</b>"), 0, 1)
        grid.addWidget(QLabel(f"<b>{self.tr('Toelichting')}</b>"), 0, 2)
        for row, goal in enumerate(data.goals, start=1):
            label = QLabel(f"<b>{esc(goal.area)}</b><br>{esc(first_line(goal.goal, 80))}")
            label.setWordWrap(True)
            outcome = QComboBox()
            outcome.addItem(self.tr("— kies —"), None)
            for value, text in OUTCOME_LABELS.items():
                outcome.addItem(text, value)
            outcome.setAccessibleName(self.tr("Resultaat van doel %d") % row)
            result = QLineEdit()
            result.setAccessibleName(self.tr("Toelichting bij doel %d") % row)
            result.setPlaceholderText(self.tr("Wat is bereikt, wat niet?"))
            self.outcomes[goal.id or 0] = outcome
            self.results[goal.id or 0] = result
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(
                self.errors.wrap(f"doel_{goal.id}", outcome), row, 1, Qt.AlignmentFlag.AlignTop
            )
            grid.addWidget(result, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 3)
        grid.setRowStretch(len(data.goals) + 1, 1)
        grid.setVerticalSpacing(12)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_box)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Geëvalueerd op:"), self.errors.wrap("evaluated_on", self.date))
        buttons = ok_cancel_buttons(self, self.tr("Evalueren en nieuwe versie maken"), self._on_accept)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(scroll, 1)
        lay.addWidget(buttons)
        size_window(self, "opp_editor.EvaluateDialog", 760, 460)

    @Slot()
    def _on_accept(self) -> None:
        errors = {
            f"doel_{gid}": self.tr("Kies het resultaat van dit doel.")
            for gid, box in self.outcomes.items()
            if box.currentData() is None
        }
        if self.date.value() is None:
            errors["evaluated_on"] = self.tr("Vul de datum van de evaluatie in.")
        self.errors.show(errors)
        if not errors:
            self.accept()

    def answers(self) -> tuple[date, dict[int, tuple[Outcome, str]]]:
        """The evaluation date and each goal's outcome and explanation."""
        return (
            self.date.value() or date.today(),
            {
                gid: (Outcome(box.currentData()), self.results[gid].text().strip())
                for gid, box in self.outcomes.items()
            },
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, data: svc.OppVersionData, today: date
    ) -> tuple[date, dict[int, tuple[Outcome, str]]] | None:
        """Run the dialog; (date, results per goal id) or None."""
        dialog = cls(data, today, parent)
        try:
            return dialog.answers() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


# ------------------------------------------------------------------------------- the window


class OppEditorWindow(QMainWindow):
    """An OPP version with its 13 parts; read-only when the version is fixed or evaluated."""

    saved = Signal(int)  # version id
    versionChanged = Signal(int)  # noqa: N815 - Qt naming; the window now shows another version

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

        self.parts_list = QListWidget()
        self.parts_list.setObjectName("partsList")
        self.parts_list.setAccessibleName(self.tr("Delen van het OPP"))
        self.parts_list.setMinimumWidth(300)
        self.parts_list.setMaximumWidth(400)
        self.parts_list.setIconSize(QSize(18, 18))
        self.parts_list.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        self.parts_list.setWordWrap(True)
        self.parts_list.setSpacing(1)
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
        for part in PARTS:
            item = QListWidgetItem(f"{part.number}. {part.title}")
            item.setData(Qt.ItemDataRole.UserRole, part.number)
            self.parts_list.addItem(item)

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
            from ib_desktop.models import Pupil, PupilStatus

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
        self.header.setText(
            f"<span style='font-size: 15pt; font-weight: 600'>{esc(d.pupil_name)}</span>"
            f" &nbsp; {self.tr('OPP versie %d') % d.number} &middot; "
            f"<b>{esc(STATUS_LABELS[d.status.value])}</b>"
            + (f" &middot; {esc(', '.join(dates))}" if dates else "")
        )
        if d.is_ended and not self._pupil_left:
            self.banner.setText(self.ended_text(d))
            self.banner.show()
        elif d.status == OppStatus.VASTGESTELD:
            self.banner.setText(
                self.tr(
                    "Deze versie is vastgesteld op %s en kan niet meer worden gewijzigd; ook de "
                    "leerlinggegevens zijn vastgelegd zoals ze toen waren. Om iets te veranderen: "
                    "Evalueren → nieuwe versie."
                )
                % long_date(d.fixed_on)
            )
            self.banner.show()
        elif d.status == OppStatus.GEEVALUEERD:
            self.banner.setText(
                self.tr(
                    "Deze versie is geëvalueerd op %s en wordt ongewijzigd bewaard (alleen lezen). "
                    "Er is een nieuwere versie; zie Versies."
                )
                % long_date(d.evaluated_on)
            )
            self.banner.show()
        elif self._pupil_left:
            self.banner.setText(
                self.tr(
                    "%s heeft de school verlaten. Het OPP wordt bewaard zoals het is en kan "
                    "alleen nog worden ingezien."
                )
                % d.pupil_name
            )
            self.banner.show()
        else:
            self.banner.hide()

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
        complete = 0
        for row, status in enumerate(self._statuses):
            item = self.parts_list.item(row)
            if status.complete:
                mark = COMPLETE_MARK
                complete += 1
            elif status.required:
                mark = INCOMPLETE_MARK
            else:
                mark = OPTIONAL_MARK
            item.setText(f"{status.number}. {status.title}")
            item.setIcon(mark_icon(mark))
            item.setData(MARK_ROLE, mark)
            if status.complete:
                tip = self.tr("Compleet") + (
                    f" – {self.tr('niet van toepassing')}: {status.not_applicable}"
                    if status.not_applicable
                    else ""
                )
            else:
                tip = self.tr("Nog nodig:") + "\n• " + "\n• ".join(status.missing)
            item.setToolTip(tip)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                f"{status.number}. {status.title}: "
                + (self.tr("compleet") if status.complete else self.tr("niet compleet")),
            )
            self.pages[row].show_status(status)
        required = [s for s in self._statuses if s.required]
        done = sum(1 for s in required if s.complete)
        text = self.tr("%d van %d verplichte delen compleet") % (done, len(required))
        if done == len(required) and not self.read_only:
            text += " – " + self.tr("klaar om vast te stellen")
        self.summary.setText(text)

    def mark(self, number: int) -> str:
        """The mark (✓, ! or ○) the side list shows for a part."""
        return self.parts_list.item(number - 1).data(MARK_ROLE)

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

    @Slot(str, object)
    def _on_legal_act(self, kind: str, payload: Any) -> None:
        """Consent or a signature is a legal act: store it now, apart from the draft.

        Only part 13 is reloaded from what was stored; the text typed elsewhere stays unsaved
        (and the window dirty), and the version's lock is unchanged, so the user's own Opslaan
        afterwards is no conflict.
        """
        if self.read_only:
            return
        today = self.ctx.today()
        try:
            with self.ctx.db.session() as s:
                if kind == "consent":
                    stored = svc.record_consent(
                        s, self.data.id, payload.guardian_id, consent=payload.consent,
                        on=payload.date, view=payload.view, today=today, actor=self.ctx.actor,
                    )  # fmt: skip
                    message = self.tr("Toestemming van %s vastgelegd.") % payload.guardian_name
                elif kind == "signature":
                    stored = svc.add_signature(
                        s, self.data.id, payload, today=today, actor=self.ctx.actor
                    )
                    message = self.tr("Handtekening van %s vastgelegd.") % payload.name
                else:
                    stored = svc.remove_signature(s, self.data.id, payload.id, actor=self.ctx.actor)
                    message = self.tr("Handtekening van %s verwijderd.") % payload.name
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

    @Slot()
    def _on_pupil_file_changed(self) -> None:
        self._refresh_pupil()
        self.nav.notify_changed()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Coming back to the window: the pupil file may have changed in its own window."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._refresh_pupil()
        super().changeEvent(event)

    @Slot()
    def _on_save(self) -> None:
        self.save()

    def save(self) -> bool:
        """Store the edits; True when saved (or nothing to save)."""
        if self.read_only:
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
            return False
        if not check_dates(self):
            return False  # the date field says what is wrong beside it
        data = self.collect()
        for page in self.pages:
            page.errors.clear()

        def store(version: int | None) -> svc.OppVersionData:
            if version is not None:
                data.lock_version = version
            with self.ctx.db.session() as s:
                return svc.save_version(s, data, actor=self.ctx.actor)

        try:
            outcome = save_or_choose(self, store, data.lock_version)
        except ValidationErrors as exc:
            self._show_errors(exc.errors, self.tr("Het OPP is niet opgeslagen:"))
            return False
        except ValidationError as exc:
            self._show_errors({exc.field: exc.message}, self.tr("Het OPP is niet opgeslagen:"))
            return False
        except ConcurrentEditError as exc:
            QMessageBox.critical(self, APP_NAME, str(exc))
            return False
        except ReadOnlyError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            self.load(data.id)
            return False
        if not outcome.saved or outcome.result is None:
            if outcome.choice is ConflictChoice.THEIRS:  # the version the other person saved
                self.load(data.id)
                self.statusBar().showMessage(
                    self.tr("De opgeslagen versie van %s staat weer in het venster.")
                    % (outcome.conflict.who if outcome.conflict else ""),
                    6000,
                )
                self.nav.notify_changed()
            return False
        self._after_save(outcome.result)
        return True

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

    # -------------------------------------------------------------- life cycle
    @Slot()
    def _on_discussed(self) -> None:
        if self.read_only or not self._save_first():
            return
        answer = DiscussedDialog.ask(self, self.ctx.today())
        if answer is None:
            return
        on, participants, summary = answer
        try:
            with self.ctx.db.session() as s:
                data = svc.mark_discussed(
                    s,
                    self.data.id,
                    on=on,
                    participants=participants,
                    summary=summary,
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
        from ib_desktop.models import Pupil, School

        with self.ctx.db.session() as s:
            pupil = s.get(Pupil, self.data.pupil_id)
            school = s.get(School, pupil.school_id) if pupil else None
            per_year = school.opp_evaluations_per_year if school else 2
        answer = FixDialog.ask(self, self.ctx.today(), per_year)
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

    @Slot()
    def _on_evaluate(self) -> None:
        d = self.data
        if d.status != OppStatus.VASTGESTELD:
            return
        answer = EvaluateDialog.ask(self, d, self.ctx.today())
        if answer is None:
            return
        on, results = answer
        try:
            with self.ctx.db.session() as s:
                new = svc.evaluate_version(
                    s,
                    d.id,
                    on=on,
                    results=results,
                    lock_version=d.lock_version,
                    actor=self.ctx.actor,
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
        from ib_desktop.ui.opp_end_dialog import OppEndDialog

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

    # -------------------------------------------------------------- other actions
    @Slot()
    def _on_print(self) -> None:
        if not self.read_only and self._dirty and not self.save():
            return
        from ib_desktop.reports import opp_pdf
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.db.session() as s:
                pdf = opp_pdf(s, self.data.id, today=self.ctx.today())
        finally:
            QApplication.restoreOverrideCursor()
        d = self.data
        name = f"OPP {d.pupil_name} versie {d.number}.pdf"
        PdfPreviewDialog.preview(
            self, pdf, self.tr("OPP %s – versie %d") % (d.pupil_name, d.number), name
        )

    @Slot()
    def _on_versions(self) -> None:
        from ib_desktop.ui.opp_versions import OppVersionsWindow

        window = OppVersionsWindow(self.ctx, self.nav, self.data.opp_id, parent=self)
        window.show()
        window.raise_()
        self._versions_window = window

    @Slot()
    def _on_open_pupil(self) -> None:
        self.nav.open_pupil(self.data.pupil_id)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Unsaved edits are never dropped silently."""
        if self._dirty and not self.read_only:
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
                if not self.save():
                    event.ignore()
                    return
            elif answer in (QMessageBox.StandardButton.Discard, QMessageBox.StandardButton.No):
                if self._guard is not None:
                    self._guard.discard()
            else:
                event.ignore()
                return
        event.accept()


# ------------------------------------------------------------------------------- entry points


def open_version(
    ctx: Any, nav: Any, version_id: int, parent: QWidget | None = None
) -> OppEditorWindow:
    """A window on one version (read-only when it is fixed or evaluated)."""
    return OppEditorWindow(ctx, nav, version_id, parent)


def open_editor(
    ctx: Any, nav: Any, *, doc_id: int | None = None, pupil_id: int | None = None
) -> QWidget | None:
    """The editor of OPP ``doc_id`` (its newest version), or of the pupil's OPP.

    For a pupil without an OPP the user is asked to start one (version 1, a concept); so is the
    user for a pupil whose OPP has ended (answering no opens the ended OPP to read).
    """
    from ib_desktop.models import Pupil, PupilStatus

    ended: svc.OppPeriod | None = None
    with ctx.db.session() as s:
        if doc_id is None:
            if pupil_id is None:
                raise ValueError("open_editor needs doc_id or pupil_id")
            doc_id = svc.opp_for_pupil(s, pupil_id)
            pupil = s.get(Pupil, pupil_id)
            name = pupil.full_name if pupil else ""
            if doc_id is not None and pupil is not None and pupil.status != PupilStatus.VERTROKKEN:
                period = svc.opp_period(s, doc_id)
                # After an OPP has ended a new one may start; the old one stays to be read.
                if period.end_date is not None and period.end_date < ctx.today():
                    ended = period
        version_id = svc.newest_version_id(s, doc_id) if doc_id is not None else None
    parent = nav if isinstance(nav, QWidget) else None
    if ended is not None:
        answer = QMessageBox.question(
            parent,
            APP_NAME,
            _tr(
                "Het OPP van %s is beëindigd op %s. Een nieuw OPP starten (versie 1, concept)? "
                "Kies Nee om het beëindigde OPP in te zien."
            )
            % (name, long_date(ended.end_date)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        start_new = answer == QMessageBox.StandardButton.Yes
    elif version_id is None:
        answer = QMessageBox.question(
            parent,
            APP_NAME,
            _tr("%s heeft nog geen OPP. Een nieuw OPP starten (versie 1, concept)?") % name,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        start_new = True
    else:
        start_new = False
    if start_new:
        try:
            with ctx.db.session() as s:
                version_id = svc.start_opp(s, pupil_id, on=ctx.today(), actor=ctx.actor).id
        except (ValidationError, ReadOnlyError) as exc:
            QMessageBox.warning(parent, APP_NAME, str(exc))
            return None
        nav.notify_changed()
    assert version_id is not None
    return OppEditorWindow(ctx, nav, version_id)
