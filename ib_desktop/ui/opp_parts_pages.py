"""The pages of the OPP editor, one per part, and the small dialogs they use.

Every page shows its part's fields, reports edits with ``changed``, writes its fields into an
:class:`~ib_desktop.services.opp.OppVersionData` in ``collect`` and shows what its part still lacks
(``show_status``). Pages hold no session: the editor window loads and saves.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyledItemDelegate,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import long_date, short_date
from ib_desktop.models import OutflowPerspective, SignatureRole
from ib_desktop.opp_parts import (
    ARRANGEMENT_KINDS,
    DEFAULT_SUBJECTS,
    FUNDING_CATEGORIES,
    NOT_APPLICABLE_FIELDS,
    OUTCOME_LABELS,
    OUTFLOW_LABELS,
    PART_FIELDS,
    PARTS,
    REQUIRED_GOAL_AREAS,
    SIGNATURE_ROLE_LABELS,
    SUBJECT_LEVEL_SUGGESTIONS,
    OppPart,
    care_scope_phrase,
)
from ib_desktop.services.opp import (
    ConsentData,
    ConversationData,
    GoalData,
    OppVersionData,
    PartStatus,
    SignatureData,
    SignerChoice,
    mark_not_applicable,
    not_applicable_reason,
)
from ib_desktop.ui.widgets.date_field import DateField, OptionalDateField
from ib_desktop.ui.widgets.forms import ErrorMap, ok_cancel_buttons, to_qdate
from ib_desktop.ui.widgets.rich_text import RichTextEdit
from ib_desktop.ui.widgets.table_model import (
    Column,
    TableModel,
    first_line,
    proxy_for,
    select_source_row,
    selected_source_row,
    table_view,
)
from ib_desktop.ui.widgets.window_size import size_window

HINT_INCOMPLETE = (
    "QLabel { background: #fff5e6; border-left: 4px solid #d97706; padding: 8px 10px; "
    "color: #3d2a00; }"
)
HINT_COMPLETE = (
    "QLabel { background: #ecf7ee; border-left: 4px solid #2e7d32; padding: 8px 10px; "
    "color: #1b3d1f; }"
)
HINT_OPTIONAL = (
    "QLabel { background: #f1f3f6; border-left: 4px solid #8a8f98; padding: 8px 10px; "
    "color: #2c3038; }"
)


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("opp", text)


def esc(text: Any) -> str:
    """HTML-escaped text with line breaks kept."""
    return html.escape(str(text or "")).replace("\n", "<br>")


def _iso(value: str | None) -> str:
    return long_date(date.fromisoformat(value)) if value else ""


def _ordinal(d: date | None) -> int:
    return d.toordinal() if d else 0


# ------------------------------------------------------------------------------- fields


#: A date that may be empty: the app's one date field.
OptionalDateEdit = OptionalDateField


def prose(placeholder: str = "", *, min_lines: int = 3, max_lines: int = 12) -> RichTextEdit:
    """A rich-text field (bullets, bold, italic) stored as Markdown."""
    return RichTextEdit(min_lines=min_lines, max_lines=max_lines, placeholder=placeholder)


def combo(items: Sequence[str], *, editable: bool = True) -> QComboBox:
    """A combo box with suggestions; editable ones accept any text."""
    box = QComboBox()
    box.setEditable(editable)
    box.addItems(list(items))
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return box


# ------------------------------------------------------------------------------- table models


@dataclass
class SubjectLevel:
    """A line of part 8: the expected level for one subject."""

    subject: str
    level: str = ""


class SubjectLevelModel(TableModel):
    """Part 8: subject and expected level, edited in place."""

    SUBJECT, LEVEL = range(2)
    COLUMNS = (
        Column(_tr("Vak"), lambda r: r.subject),
        Column(_tr("Verwacht niveau"), lambda r: r.level),
    )

    read_only = False

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Cells are editable unless the version is frozen."""
        base = super().flags(index)
        if index.isValid() and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:  # noqa: N802
        """Store an edited subject or level."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        item = self._rows[index.row()]
        text = str(value or "").strip()
        if index.column() == self.SUBJECT:
            item.subject = text
        else:
            item.level = text
        self.dataChanged.emit(index, index)
        return True


class LevelDelegate(QStyledItemDelegate):
    """An editable combo with the usual levels (1F, 2F, 1S, E6, ...)."""

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802
        """A combo box with suggestions."""
        editor = combo(SUBJECT_LEVEL_SUGGESTIONS)
        editor.setParent(parent)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        """Show the current level."""
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model: QAbstractTableModel, index: QModelIndex) -> None:  # noqa: N802
        """Store the chosen or typed level."""
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]


class GoalTableModel(TableModel):
    """Part 9: the goals in their order."""

    AREA, GOAL, INTERMEDIATE, DATE = range(4)
    COLUMNS = (
        Column(_tr("Gebied"), lambda g: g.area),
        Column(_tr("Doel"), lambda g: first_line(g.goal), tooltip=lambda g: g.goal),
        Column(
            _tr("Tussendoelen"),
            lambda g: first_line(g.intermediate_goals, 60),
            tooltip=lambda g: g.intermediate_goals,
        ),
        Column(
            _tr("Evaluatie op"),
            lambda g: short_date(g.evaluation_date),
            sort=lambda g: _ordinal(g.evaluation_date),
        ),
    )


class PreviousGoalsModel(TableModel):
    """Part 12: the previous version's goals with their results."""

    AREA, GOAL, OUTCOME, RESULT = range(4)
    COLUMNS = (
        Column(_tr("Gebied"), lambda g: g.area),
        Column(_tr("Doel"), lambda g: first_line(g.goal), tooltip=lambda g: g.goal),
        Column(
            _tr("Resultaat"),
            lambda g: (
                OUTCOME_LABELS.get(g.outcome.value, "") if g.outcome else _tr("niet geëvalueerd")
            ),
        ),
        Column(_tr("Toelichting"), lambda g: first_line(g.result), tooltip=lambda g: g.result),
    )


class ConversationModel(TableModel):
    """Part 11: the conversations with the parents."""

    DATE, PARTICIPANTS, SUMMARY = range(3)
    COLUMNS = (
        Column(_tr("Datum"), lambda c: short_date(c.date), sort=lambda c: _ordinal(c.date)),
        Column(_tr("Deelnemers"), lambda c: c.participants),
        Column(
            _tr("Relevante punten"), lambda c: first_line(c.summary), tooltip=lambda c: c.summary
        ),
    )


@dataclass
class ConsentRow:
    """Part 13: a guardian with gezag and their answer (None while not recorded)."""

    guardian_id: int
    name: str
    relation: str
    consent: ConsentData | None = None


def _consent_text(row: ConsentRow) -> str:
    if row.consent is None:
        return _tr("Nog niet vastgelegd")
    return _tr("Ja, toestemming") if row.consent.consent else _tr("Nee, geen toestemming")


class ConsentModel(TableModel):
    """Part 13: consent to the handelingsdeel per guardian with gezag."""

    GUARDIAN, ANSWER, DATE, VIEW = range(4)
    COLUMNS = (
        Column(
            _tr("Ouder/verzorger met gezag"),
            lambda r: f"{r.name} ({r.relation})" if r.relation else r.name,
        ),
        Column(
            _tr("Toestemming"),
            _consent_text,
            sort=lambda r: -1 if r.consent is None else int(r.consent.consent),
        ),
        Column(
            _tr("Datum"),
            lambda r: short_date(r.consent.date) if r.consent else "",
            sort=lambda r: _ordinal(r.consent.date) if r.consent else 0,
        ),
        Column(
            _tr("Zienswijze"),
            lambda r: first_line(r.consent.view) if r.consent else "",
            tooltip=lambda r: r.consent.view if r.consent else "",
        ),
    )

    def extra_data(self, item: ConsentRow, column: int, role: int) -> Any:
        """Refusals in red, missing answers in orange."""
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ANSWER:
            from PySide6.QtGui import QColor

            if item.consent is None:
                return QColor("#b45309")
            if not item.consent.consent:
                return QColor("#b00020")
        return None


class SignatureModel(TableModel):
    """Part 13: who signed, when, and a thumbnail of a signature drawn on screen."""

    ROLE, NAME, DATE, IMAGE = range(4)
    COLUMNS = (
        Column(_tr("Rol"), lambda s: SIGNATURE_ROLE_LABELS[s.role.value]),
        Column(_tr("Naam"), lambda s: s.name),
        Column(
            _tr("Datum"), lambda s: short_date(s.signed_on), sort=lambda s: _ordinal(s.signed_on)
        ),
        Column(
            _tr("Handtekening"),
            lambda s: _tr("op het scherm getekend") if s.image_png else _tr("op papier"),
        ),
    )

    def extra_data(self, item: SignatureData, column: int, role: int) -> Any:
        """The drawn signature as a small picture in the last column."""
        if role == Qt.ItemDataRole.DecorationRole and column == self.IMAGE and item.image_png:
            pixmap = QPixmap()
            pixmap.loadFromData(item.image_png, "PNG")
            return pixmap.scaledToHeight(28, Qt.TransformationMode.SmoothTransformation)
        return None


# ------------------------------------------------------------------------------- environment


@dataclass
class PageEnv:
    """What the pages need besides the version itself."""

    ctx: Any
    nav: Any
    pupil_id: int
    number: int
    today: date
    areas: list[str] = field(default_factory=list)
    signers: list[SignerChoice] = field(default_factory=list)
    pupil_file_editable: bool = True


# ------------------------------------------------------------------------------- base page


class PartPage(QWidget):
    """One part of the OPP: title, what is still missing, and the part's fields."""

    changed = Signal()
    pupilFileChanged = Signal()  # noqa: N815 - Qt naming; parts 1-3 changed the pupil file

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.part = part
        self.setObjectName(f"part-{part.number}")
        self.errors = ErrorMap()
        self.env: PageEnv | None = None
        self._inputs: list[QWidget] = []
        self._edit_buttons: list[QWidget] = []
        self._loading = False
        self.read_only = False

        self.title_label = QLabel(self.tr("%d. %s") % (part.number, part.title))
        self.title_label.setObjectName("partTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("partHint")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)

        self.body = QWidget()
        self.form = QVBoxLayout(self.body)
        self.form.setContentsMargins(0, 4, 8, 8)
        self.form.setSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        self.scroll = scroll

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 8, 8)
        lay.setSpacing(8)
        lay.addWidget(self.title_label)
        lay.addWidget(self.hint)
        lay.addWidget(scroll, 1)

    # -------------------------------------------------------------- helpers for subclasses
    def watch(self, widget: QWidget) -> QWidget:
        """Report edits of ``widget`` through ``changed`` and make it read-only with the page."""
        self._inputs.append(widget)
        if isinstance(widget, (QTextEdit, QLineEdit)):
            widget.textChanged.connect(self._on_input_changed)
        elif isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(self._on_input_changed)
        elif isinstance(widget, DateField):
            widget.textChanged.connect(self._on_input_changed)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(self._on_input_changed)
        return widget

    def edit_button(self, button: QWidget) -> QWidget:
        """A button that changes the version; hidden on a frozen version."""
        self._edit_buttons.append(button)
        return button

    def labelled(self, label: str, widget: QWidget, *, name: str | None = None) -> QWidget:
        """A bold label above a field (with room for an error message under it)."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        caption = QLabel(f"<b>{esc(label)}</b>")
        caption.setBuddy(widget)
        lay.addWidget(caption)
        lay.addWidget(self.errors.wrap(name, widget) if name else widget)
        widget.setAccessibleName(label)
        return box

    @Slot()
    def _on_input_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

    # -------------------------------------------------------------- the page contract
    def load(self, data: OppVersionData, pupil: dict[str, Any], env: PageEnv) -> None:
        """Show the part of ``data`` (``pupil`` is what parts 1-3 show)."""
        self.env = env
        self._loading = True
        try:
            self._load(data, pupil)
        finally:
            self._loading = False

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        raise NotImplementedError

    def collect(self, data: OppVersionData) -> None:
        """Write the page's fields into ``data``."""

    def refresh_pupil(self, pupil: dict[str, Any]) -> None:
        """The pupil file changed (parts 1-3 and 13 show it)."""

    def set_read_only(self, read_only: bool) -> None:
        """Frozen versions are shown, never edited."""
        self.read_only = read_only
        for w in self._inputs:
            if isinstance(w, QTextEdit | QLineEdit):
                w.setReadOnly(read_only)
            else:
                w.setEnabled(not read_only)
        for b in self._edit_buttons:
            b.setVisible(not read_only)

    def show_status(self, status: PartStatus) -> None:
        """Show what the part still lacks (or that it is complete)."""
        if status.not_applicable:
            self.hint.setStyleSheet(HINT_OPTIONAL if status.complete else HINT_INCOMPLETE)
            self.hint.setText(self.tr("Niet van toepassing: %s") % esc(status.not_applicable))
        elif status.complete:
            self.hint.setStyleSheet(HINT_COMPLETE)
            self.hint.setText(self.tr("✓ Dit deel is compleet."))
        else:
            self.hint.setStyleSheet(HINT_INCOMPLETE if status.required else HINT_OPTIONAL)
            head = (
                self.tr("Nog nodig voor vaststellen:")
                if status.required
                else self.tr("Niet verplicht bij deze vorm van het OPP; nog open:")
            )
            items = "".join(f"<li>{esc(m)}</li>" for m in status.missing)
            self.hint.setText(f"<b>{head}</b><ul style='margin: 2px 0 0 -20px'>{items}</ul>")

    def first_field(self) -> QWidget | None:
        """The field to focus when the user jumps to this part."""
        return next((w for w in self._inputs if w.isEnabled() and w.isVisible()), None)

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Show validation errors beside the fields of this page; returns the others."""
        return self.errors.show(errors)


class NotApplicableBox(QWidget):
    """ "Niet van toepassing" with its reason, for parts 3, 4 and 7."""

    toggled = Signal(bool)

    def __init__(self, text: str, example: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(text)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reden, bijv. %s") % example)
        self.reason.setAccessibleName(self.tr("Reden"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.check)
        lay.addWidget(self.reason, 1)
        self.check.toggled.connect(self._on_toggled)
        self.reason.setEnabled(False)

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        self.reason.setEnabled(on and self.check.isEnabled())
        if on and not self.reason.text():
            self.reason.setFocus()
        self.toggled.emit(on)

    def is_checked(self) -> bool:
        """The part is marked "niet van toepassing"."""
        return self.check.isChecked()

    def set_state(self, reason: str | None) -> None:
        """None: applicable; a string: not applicable for that reason."""
        self.check.setChecked(reason is not None)
        self.reason.setText(reason or "")
        self.reason.setEnabled(reason is not None)


# ------------------------------------------------------------------------------- parts 1-3


class PupilFilePage(PartPage):
    """Parts 1, 2 and 3: the pupil file as the OPP shows it, completed without leaving the OPP."""

    NOTES = {
        "algemeen": "general_notes",
        "schoolloopbaan": "school_career_notes",
        "onderzoek": "assessment_notes",
    }
    NOTE_LABELS = {
        "algemeen": _tr("Aanvullingen op de algemene gegevens"),
        "schoolloopbaan": _tr("Verloop van de schoolloopbaan (ook de voorschoolse periode)"),
        "onderzoek": _tr("Toelichting op onderzoek en diagnostiek"),
    }
    # Dialog classes of the pupil file (ui.pupil_dialogs) per link kind.
    DIALOGS = {
        "guardian": "GuardianDialog",
        "care": "CareProviderDialog",
        "history": "HistoryDialog",
        "assessment": "AssessmentDialog",
    }

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.summary = QLabel()
        self.summary.setObjectName("pupilSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.summary.linkActivated.connect(self._on_link)
        self.summary.setStyleSheet(
            "QLabel#pupilSummary { background: palette(base); padding: 10px; "
            "border: 1px solid palette(mid); }"
        )
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setStyleSheet("color: palette(placeholder-text);")
        self.form.addWidget(self.source_label)
        self.form.addWidget(self.summary)
        self.na: NotApplicableBox | None = None
        if part.key in NOT_APPLICABLE_FIELDS:
            self.na = NotApplicableBox(
                self.tr("Niet van toepassing (er is geen onderzoek gedaan)"),
                self.tr("er is geen onderzoek nodig geweest"),
            )
            self.watch(self.na.check)
            self.watch(self.na.reason)
            self.na.toggled.connect(self._on_na_toggled)
            self.form.addWidget(self.na)
        self.notes = self.watch(prose(min_lines=3))
        self.form.addWidget(self.labelled(self.NOTE_LABELS[part.key], self.notes))
        self.form.addStretch(1)
        self._pupil: dict[str, Any] = {}
        self._na_value = ""

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        text = getattr(data, self.NOTES[self.part.key])
        reason = not_applicable_reason(text) if self.na else None
        if self.na is not None:
            self.na.set_state(reason)
        self.notes.setMarkdown("" if reason is not None else text)
        self.notes.setEnabled(reason is None)
        frozen = data.is_frozen and data.frozen_pupil is not None
        if frozen:
            self.source_label.setText(
                self.tr(
                    "Zoals vastgelegd bij het vaststellen op %s; latere wijzigingen in het "
                    "leerlingdossier staan hier niet in."
                )
                % long_date(data.fixed_on)
            )
        else:
            self.source_label.setText(
                self.tr(
                    "Uit het leerlingdossier. Aanvullen kan hier met de links; de gegevens "
                    "worden bij het vaststellen vastgelegd in deze versie."
                )
            )
        self.refresh_pupil(pupil)

    def collect(self, data: OppVersionData) -> None:
        """Notes (or the "niet van toepassing" reason) of this part."""
        name = self.NOTES[self.part.key]
        if self.na is not None and self.na.is_checked():
            setattr(data, name, mark_not_applicable(self.na.reason.text()))
        else:
            setattr(data, name, self.notes.markdown())

    @Slot(bool)
    def _on_na_toggled(self, on: bool) -> None:
        self.notes.setEnabled(not on and not self.read_only)

    def set_read_only(self, read_only: bool) -> None:
        """Also drop the edit links from the summary."""
        super().set_read_only(read_only)
        if self._pupil:
            self.refresh_pupil(self._pupil)

    def _links(self) -> bool:
        return bool(self.env and self.env.pupil_file_editable and not self.read_only)

    def _link(self, href: str, text: str) -> str:
        if not self._links():
            return ""
        return f" <a href='{href}'>{esc(text)}</a>"

    def refresh_pupil(self, pupil: dict[str, Any]) -> None:
        """Render what the pupil file says for this part."""
        self._pupil = pupil
        builder = {
            "algemeen": self._general_html,
            "schoolloopbaan": self._career_html,
            "onderzoek": self._assessments_html,
        }
        self.summary.setText(builder[self.part.key](pupil))

    @staticmethod
    def _table(headers: list[str], rows: list[list[str]]) -> str:
        head = "".join(
            f"<th align='left' style='padding: 2px 14px 2px 0'>{esc(h)}</th>" for h in headers
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td style='padding: 2px 14px 2px 0' valign='top'>{c}</td>" for c in r)
            + "</tr>"
            for r in rows
        )
        return f"<table cellspacing='0'><tr>{head}</tr>{body}</table>"

    def _general_html(self, pupil: dict[str, Any]) -> str:
        p = pupil.get("pupil", {})
        parts = [
            f"<p><b>{esc(p.get('full_name'))}</b>, {self.tr('geboren')} "
            f"{esc(_iso(p.get('birth_date')))} &middot; {self.tr('groep')} {esc(p.get('group'))}"
            f" &middot; {esc(p.get('school'))}</p>"
        ]
        guardians = pupil.get("guardians", [])
        parts.append(
            f"<p><b>{self.tr('Ouders/verzorgers')}</b>"
            f"{self._link('guardian:new', self.tr('toevoegen…'))}</p>"
        )
        if guardians:
            rows = [
                [
                    esc(g["name"]) + self._link(f"guardian:{g['id']}", self.tr("wijzigen…")),
                    esc(g.get("relation")),
                    self.tr("ja")
                    if g.get("has_custody")
                    else f"<span style='color:#b45309'>{self.tr('nee')}</span>",
                    esc(g.get("phone")),
                    esc(g.get("email")),
                ]
                for g in guardians
            ]
            parts.append(
                self._table(
                    [
                        self.tr("Naam"),
                        self.tr("Relatie"),
                        self.tr("Gezag"),
                        self.tr("Telefoon"),
                        self.tr("E-mail"),
                    ],
                    rows,
                )
            )
        else:
            parts.append(f"<p><i>{self.tr('Geen ouders/verzorgers vastgelegd.')}</i></p>")
        family = p.get("family_composition") or ""
        parts.append(
            f"<p style='margin-top:12px'><b>{self.tr('Gezinssamenstelling')}</b>"
            f"{self._link('pupil:open', self.tr('in het leerlingdossier wijzigen…'))}<br>"
            + (esc(family) if family.strip() else f"<i>{self.tr('Niet beschreven.')}</i>")
            + "</p>"
        )
        care = pupil.get("care_providers", [])
        parts.append(
            f"<p><b>{self.tr('Hulpverlening (bij leerling, school en gezin)')}</b>"
            f"{self._link('care:new', self.tr('toevoegen…'))}</p>"
        )
        if care:
            rows = [
                [
                    esc(c.get("organisation")),
                    esc(c.get("kind")),
                    esc(care_scope_phrase(c.get("scope"))),
                    esc(c.get("contact_name")),
                    esc(_iso(c.get("start_date"))),
                ]
                for c in care
            ]
            parts.append(
                self._table(
                    [
                        self.tr("Organisatie"),
                        self.tr("Soort"),
                        self.tr("Rond"),
                        self.tr("Contactpersoon"),
                        self.tr("Sinds"),
                    ],
                    rows,
                )
            )
        else:
            parts.append(f"<p><i>{self.tr('Geen hulpverlening vastgelegd.')}</i></p>")
        return "".join(parts)

    def _career_html(self, pupil: dict[str, Any]) -> str:
        p = pupil.get("pupil", {})
        first = _iso(p.get("first_school_day"))
        parts = [
            f"<p><b>{self.tr('Eerste schooldag')}:</b> "
            + (esc(first) if first else f"<i>{self.tr('onbekend')}</i>")
            + self._link("pupil:open", self.tr("in het leerlingdossier wijzigen…"))
            + "</p>",
            f"<p><b>{self.tr('Scholen en voorschoolse periode')}</b>"
            f"{self._link('history:new', self.tr('toevoegen…'))}</p>",
        ]
        history = pupil.get("school_history", [])
        if history:
            rows = [
                [
                    esc(h.get("institution")),
                    esc(h.get("kind")),
                    esc(_iso(h.get("start_date")))
                    or f"<span style='color:#b45309'>{self.tr('begindatum ontbreekt')}</span>",
                    esc(_iso(h.get("end_date"))),
                    esc(h.get("notes")),
                ]
                for h in history
            ]
            parts.append(
                self._table(
                    [
                        self.tr("School of voorziening"),
                        self.tr("Soort"),
                        self.tr("Van"),
                        self.tr("Tot"),
                        self.tr("Opmerking"),
                    ],
                    rows,
                )
            )
        else:
            parts.append(
                "<p><i>"
                + self.tr("Geen eerdere scholen of voorschoolse voorzieningen vastgelegd.")
                + "</i></p>"
            )
        return "".join(parts)

    def _assessments_html(self, pupil: dict[str, Any]) -> str:
        parts = [
            f"<p><b>{self.tr('Onderzoeken')}</b>"
            f"{self._link('assessment:new', self.tr('toevoegen…'))}</p>"
        ]
        assessments = pupil.get("assessments", [])
        if assessments:
            rows = [
                [
                    esc(_iso(a.get("date"))),
                    esc(a.get("kind"))
                    + (f" <i>({self.tr('vertrouwelijk')})</i>" if a.get("sensitive") else ""),
                    esc(a.get("performed_by"))
                    or f"<span style='color:#b45309'>{self.tr('onbekend')}</span>",
                    esc(a.get("conclusion"))
                    or f"<span style='color:#b45309'>{self.tr('geen conclusie')}</span>",
                ]
                for a in assessments
            ]
            parts.append(
                self._table(
                    [self.tr("Datum"), self.tr("Onderzoek"), self.tr("Door"), self.tr("Conclusie")],
                    rows,
                )
            )
        else:
            parts.append(f"<p><i>{self.tr('Geen onderzoeken vastgelegd.')}</i></p>")
        return "".join(parts)

    @Slot(str)
    def _on_link(self, href: str) -> None:
        if self.env is None or not self._links():
            return
        kind, _, ident = href.partition(":")
        if kind == "pupil":
            self.env.nav.open_pupil(self.env.pupil_id)
            return
        from ib_desktop.ui.main_window import load_symbol

        dialog = load_symbol(f"ib_desktop.ui.pupil_file.child_dialogs:{self.DIALOGS.get(kind, '')}")
        if dialog is None:
            # The pupil file has every field; open it when the dialog is not available here.
            self.env.nav.open_pupil(self.env.pupil_id)
            return
        record_id = None if ident == "new" else int(ident)
        if dialog.edit(self, self.env.ctx, self.env.pupil_id, record_id) is not None:
            self.pupilFileChanged.emit()


# ------------------------------------------------------------------------------- parts 4-12


class ArrangementPage(PartPage):
    """Part 4: the arrangement or TLV with its dates, funding category and funder."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.na = NotApplicableBox(
            self.tr("Niet van toepassing (geen arrangement of TLV)"),
            self.tr("de ondersteuning komt uit de eigen middelen van de school"),
        )
        self.watch(self.na.check)
        self.watch(self.na.reason)
        self.na.toggled.connect(self._on_na_toggled)
        self.kind = self.watch(combo(ARRANGEMENT_KINDS))
        self.kind.lineEdit().setPlaceholderText(
            self.tr("Bijv. arrangement op de eigen school of TLV SBO")
        )
        self.granted = self.watch(OptionalDateEdit())
        self.start = self.watch(OptionalDateEdit())
        self.end = self.watch(OptionalDateEdit())
        self.category = self.watch(combo(("",) + FUNDING_CATEGORIES))
        self.kind.setMinimumWidth(340)
        self.category.setMinimumWidth(160)
        self.funder = self.watch(QLineEdit())
        self.funder.setPlaceholderText(self.tr("Bijv. het samenwerkingsverband"))
        self.notes = self.watch(prose(min_lines=3))
        grid = QFormLayout()
        grid.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        grid.addRow(self.tr("&Soort inzet:"), self.kind)
        grid.addRow(self.tr("&Toegekend op:"), self.granted)
        term = QWidget()
        term_lay = QHBoxLayout(term)
        term_lay.setContentsMargins(0, 0, 0, 0)
        term_lay.addWidget(self.start)
        term_lay.addWidget(QLabel(self.tr("tot en met")))
        term_lay.addWidget(self.errors.wrap("arrangement_end", self.end))
        term_lay.addStretch(1)
        grid.addRow(self.tr("&Looptijd van:"), term)
        grid.addRow(self.tr("&Bekostigingscategorie:"), self.category)
        grid.addRow(self.tr("Bekostigd &door:"), self.funder)
        for label, w in (
            (self.tr("Soort inzet"), self.kind),
            (self.tr("Toegekend op"), self.granted),
            (self.tr("Looptijd van"), self.start),
            (self.tr("Looptijd tot en met"), self.end),
            (self.tr("Bekostigingscategorie"), self.category),
            (self.tr("Bekostigd door"), self.funder),
        ):
            w.setAccessibleName(label)
        self.form.addWidget(self.na)
        self.fields_box = QWidget()
        self.fields_box.setLayout(grid)
        self.form.addWidget(self.fields_box)
        self.form.addWidget(
            self.labelled(self.tr("Toelichting (wat houdt de inzet concreet in?)"), self.notes)
        )
        self.form.addStretch(1)

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        reason = not_applicable_reason(data.arrangement_notes)
        self.na.set_state(reason)
        self.kind.setCurrentText(data.arrangement_kind)
        self.granted.set_value(data.arrangement_granted_on)
        self.start.set_value(data.arrangement_start)
        self.end.set_value(data.arrangement_end)
        self.category.setCurrentText(data.funding_category)
        self.funder.setText(data.funder)
        self.notes.setMarkdown("" if reason is not None else data.arrangement_notes)
        self._on_na_toggled(reason is not None)

    def collect(self, data: OppVersionData) -> None:
        """Kind, dates, funding and notes (or the "niet van toepassing" reason)."""
        data.arrangement_kind = self.kind.currentText().strip()
        data.arrangement_granted_on = self.granted.value()
        data.arrangement_start = self.start.value()
        data.arrangement_end = self.end.value()
        data.funding_category = self.category.currentText().strip()
        data.funder = self.funder.text().strip()
        if self.na.is_checked():
            data.arrangement_notes = mark_not_applicable(self.na.reason.text())
        else:
            data.arrangement_notes = self.notes.markdown()

    @Slot(bool)
    def _on_na_toggled(self, on: bool) -> None:
        editable = not self.read_only
        self.fields_box.setEnabled(not on and editable)
        self.notes.setEnabled(not on and editable)


class TextFieldsPage(PartPage):
    """Parts that are prose: one labelled rich-text field per column (5, 6, 10)."""

    HELP = {
        "factoren": _tr(
            "Wat helpt de leerling (bevorderend) en wat staat de ontwikkeling in de weg "
            "(belemmerend)? Denk aan de leerling zelf, de groep, de school en thuis."
        ),
        "behoeften": _tr(
            "Wat heeft de leerling nodig? Beschrijf het per aspect; staat er bij een aspect "
            "niets bijzonders, schrijf dat dan op."
        ),
        "aanpassingen": _tr(
            "Waarin wijkt het programma af van dat van de groep (eigen leerlijn, verlengde "
            "instructie, compacten, hulpmiddelen)?"
        ),
    }

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.fields: dict[str, RichTextEdit] = {}
        if part.key in self.HELP:
            help_label = QLabel(self.HELP[part.key])
            help_label.setWordWrap(True)
            self.form.addWidget(help_label)
        specs = PART_FIELDS[part.key]
        for name, label in specs:
            edit = self.watch(prose(min_lines=4 if len(specs) < 3 else 3))
            self.fields[name] = edit
            self.form.addWidget(self.labelled(label, edit, name=name))
        self.form.addStretch(1)

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        for name, edit in self.fields.items():
            edit.setMarkdown(getattr(data, name))

    def collect(self, data: OppVersionData) -> None:
        """Every field's Markdown."""
        for name, edit in self.fields.items():
            setattr(data, name, edit.markdown())


class CarePage(PartPage):
    """Part 7: youth care, Wlz and health insurance, the agreements and who leads."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.na = NotApplicableBox(
            self.tr("Niet van toepassing (geen zorg of hulp buiten school)"),
            self.tr("er is geen jeugdhulp, Wlz-zorg of zorg uit de zorgverzekering"),
        )
        self.watch(self.na.check)
        self.watch(self.na.reason)
        self.na.toggled.connect(self._on_na_toggled)
        self.form.addWidget(self.na)
        self.fields: dict[str, QWidget] = {}
        self.fields_box = QWidget()
        box = QVBoxLayout(self.fields_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        for name, label in PART_FIELDS["zorg"]:
            if name == "lead_by":
                edit: QWidget = self.watch(QLineEdit())
                edit.setPlaceholderText(
                    self.tr("Bijv. de IB-er, het sociaal wijkteam of de jeugdconsulent")
                )  # type: ignore[attr-defined]
            else:
                edit = self.watch(prose(min_lines=2))
            self.fields[name] = edit
            box.addWidget(self.labelled(label, edit, name=name))
        self.form.addWidget(self.fields_box)
        self.form.addStretch(1)

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        reason = not_applicable_reason(data.coordination)
        self.na.set_state(reason)
        for name, edit in self.fields.items():
            value = getattr(data, name)
            if name == "coordination" and reason is not None:
                value = ""
            if isinstance(edit, QLineEdit):
                edit.setText(value)
            else:
                edit.setMarkdown(value)  # type: ignore[attr-defined]
        self._on_na_toggled(reason is not None)

    def collect(self, data: OppVersionData) -> None:
        """The three laws, the agreements (or the reason it does not apply) and who leads."""
        for name, edit in self.fields.items():
            value = edit.text().strip() if isinstance(edit, QLineEdit) else edit.markdown()  # type: ignore[attr-defined]
            setattr(data, name, value)
        if self.na.is_checked():
            data.coordination = mark_not_applicable(self.na.reason.text())

    @Slot(bool)
    def _on_na_toggled(self, on: bool) -> None:
        self.fields_box.setEnabled(not on and not self.read_only)


class OutflowPage(PartPage):
    """Part 8: the uitstroomperspectief with its onderbouwing and the expected level per subject."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.outflow = self.watch(QComboBox())
        self.outflow.addItem(self.tr("— kies het uitstroomperspectief —"), None)
        for value in (
            OutflowPerspective.PRO, OutflowPerspective.VMBO_BB, OutflowPerspective.VMBO_KB,
            OutflowPerspective.VMBO_GT, OutflowPerspective.HAVO, OutflowPerspective.VWO,
            OutflowPerspective.SO, OutflowPerspective.VSO,
        ):  # fmt: skip
            self.outflow.addItem(OUTFLOW_LABELS[value.value], value.value)
        self.rationale = self.watch(prose(min_lines=4))
        self.levels = SubjectLevelModel(self)
        self.levels.dataChanged.connect(self._on_levels_changed)
        self.levels.rowsInserted.connect(self._on_levels_changed)
        self.levels.rowsRemoved.connect(self._on_levels_changed)
        self.levels_proxy = proxy_for(self.levels, self)
        self.levels_view = table_view(self.levels_proxy, name=self.tr("Verwacht niveau per vak"))
        self.levels_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.levels_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.levels_view.setItemDelegateForColumn(
            SubjectLevelModel.LEVEL, LevelDelegate(self.levels_view)
        )
        self.levels_view.horizontalHeader().setSectionResizeMode(
            SubjectLevelModel.SUBJECT, QHeaderView.ResizeMode.Interactive
        )
        self.levels_view.setColumnWidth(SubjectLevelModel.SUBJECT, 220)
        self.levels_view.setMinimumHeight(170)
        self._inputs.append(self.levels_view)
        self.add_subject = self.edit_button(QPushButton(self.tr("Vak &toevoegen")))
        self.remove_subject = self.edit_button(QPushButton(self.tr("Vak &verwijderen")))
        self.add_subject.clicked.connect(self._on_add_subject)
        self.remove_subject.clicked.connect(self._on_remove_subject)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("&Uitstroomperspectief:")))
        row.itemAt(0).widget().setBuddy(self.outflow)  # type: ignore[union-attr]
        row.addWidget(self.outflow, 1)
        self.outflow.setAccessibleName(self.tr("Uitstroomperspectief"))
        self.form.addLayout(row)
        self.form.addWidget(self.labelled(self.tr("Onderbouwing (algemeen)"), self.rationale))
        levels_label = QLabel(
            f"<b>{self.tr('Verwacht niveau per vak')}</b> &nbsp; "
            + self.tr("(dubbelklik of typ om te wijzigen; bijv. 1F, 2F, E6)")
        )
        self.form.addWidget(levels_label)
        self.form.addWidget(self.levels_view)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_subject)
        buttons.addWidget(self.remove_subject)
        buttons.addStretch(1)
        self.form.addLayout(buttons)
        self.form.addStretch(1)

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        index = self.outflow.findData(data.outflow.value if data.outflow else None)
        self.outflow.setCurrentIndex(max(0, index))
        self.rationale.setMarkdown(data.outflow_rationale)
        rows = [SubjectLevel(k, v) for k, v in data.subject_levels.items()]
        if not rows and not data.is_frozen:
            rows = [SubjectLevel(s) for s in DEFAULT_SUBJECTS[:3]]
        self.levels.set_rows(rows)

    def collect(self, data: OppVersionData) -> None:
        """Perspective, onderbouwing and the levels (rows without a subject are dropped)."""
        value = self.outflow.currentData()
        data.outflow = OutflowPerspective(value) if value else None
        data.outflow_rationale = self.rationale.markdown()
        data.subject_levels = {
            r.subject.strip(): r.level.strip() for r in self.levels.rows() if r.subject.strip()
        }

    def set_read_only(self, read_only: bool) -> None:
        """The level table is read-only too."""
        super().set_read_only(read_only)
        self.levels.read_only = read_only
        self.levels_view.setEnabled(True)

    @Slot()
    def _on_levels_changed(self, *_args: Any) -> None:
        self._on_input_changed()

    @Slot()
    def _on_add_subject(self) -> None:
        used = {r.subject for r in self.levels.rows()}
        suggestion = next((s for s in DEFAULT_SUBJECTS if s not in used), "")
        row = self.levels.append(SubjectLevel(suggestion))
        index = self.levels_proxy.mapFromSource(
            self.levels.index(
                row, SubjectLevelModel.SUBJECT if not suggestion else SubjectLevelModel.LEVEL
            )
        )
        self.levels_view.setCurrentIndex(index)
        self.levels_view.setFocus()
        self.levels_view.edit(index)

    @Slot()
    def _on_remove_subject(self) -> None:
        row = selected_source_row(self.levels_view)
        if row < 0:
            index = self.levels_view.currentIndex()
            row = self.levels_proxy.mapToSource(index).row() if index.isValid() else -1
        if row >= 0:
            self.levels.remove(row)


class GoalsPage(PartPage):
    """Part 9, the handelingsdeel: the goals in order, with a form for the selected goal."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        intro = QLabel(
            self.tr(
                "Formuleer doelen voor ten minste: %s. Elk doel heeft tussendoelen en een "
                "evaluatiedatum."
            )
            % ", ".join(a.lower() for a in REQUIRED_GOAL_AREAS)
        )
        intro.setWordWrap(True)
        self.form.addWidget(intro)
        self.model = GoalTableModel(self)
        self.proxy = proxy_for(self.model, self)
        self.view = table_view(self.proxy, name=self.tr("Doelen"))
        self.view.setMinimumHeight(150)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(GoalTableModel.AREA, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(GoalTableModel.GOAL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(GoalTableModel.INTERMEDIATE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(GoalTableModel.DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.form.addWidget(self.view)

        self.add_button = self.edit_button(QPushButton(self.tr("Doel &toevoegen")))
        self.remove_button = self.edit_button(QPushButton(self.tr("Doel &verwijderen…")))
        self.up_button = self.edit_button(QPushButton(self.tr("Om&hoog")))
        self.down_button = self.edit_button(QPushButton(self.tr("Om&laag")))
        self.up_button.setToolTip(self.tr("Het gekozen doel een plaats omhoog (Alt+Pijl omhoog)"))
        self.down_button.setToolTip(self.tr("Het gekozen doel een plaats omlaag (Alt+Pijl omlaag)"))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.form.addLayout(buttons)

        self.detail = QGroupBox(self.tr("Gekozen doel"))
        detail = QGridLayout(self.detail)
        self.area = combo(REQUIRED_GOAL_AREAS)
        self.area.setAccessibleName(self.tr("Ontwikkelingsgebied"))
        self.goal = prose(min_lines=2, max_lines=8)
        self.goal.setAccessibleName(self.tr("Doel"))
        self.intermediate = prose(min_lines=2, max_lines=8)
        self.intermediate.setAccessibleName(self.tr("Tussendoelen"))
        self.date = OptionalDateEdit()
        self.date.setAccessibleName(self.tr("Evaluatiedatum"))
        area_label = QLabel(self.tr("&Gebied:"))
        area_label.setBuddy(self.area)
        date_label = QLabel(self.tr("&Evaluatie op:"))
        date_label.setBuddy(self.date)
        goal_label = QLabel(self.tr("&Doel:"))
        goal_label.setBuddy(self.goal)
        inter_label = QLabel(self.tr("T&ussendoelen:"))
        inter_label.setBuddy(self.intermediate)
        detail.addWidget(area_label, 0, 0)
        detail.addWidget(self.area, 0, 1)
        detail.addWidget(date_label, 0, 2)
        detail.addWidget(self.date, 0, 3)
        detail.addWidget(goal_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        detail.addWidget(self.goal, 1, 1, 1, 3)
        detail.addWidget(inter_label, 2, 0, Qt.AlignmentFlag.AlignTop)
        detail.addWidget(self.intermediate, 2, 1, 1, 3)
        detail.setColumnStretch(1, 1)
        self.form.addWidget(self.detail)
        self.form.addStretch(1)
        self._detail_inputs = [self.area, self.goal, self.intermediate, self.date]
        self._inputs.extend(self._detail_inputs)
        self._current = -1
        self._filling = False

        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.up_button.clicked.connect(lambda: self._on_move(-1))
        self.down_button.clicked.connect(lambda: self._on_move(1))
        self.view.installEventFilter(self)
        self.area.currentTextChanged.connect(self._on_detail_changed)
        self.goal.textChanged.connect(self._on_detail_changed)
        self.intermediate.textChanged.connect(self._on_detail_changed)
        self.date.dateChanged.connect(self._on_detail_changed)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Alt+Up and Alt+Down in the goals table move the chosen goal."""
        if (
            obj is self.view
            and event.type() == QEvent.Type.KeyPress
            and event.modifiers() == Qt.KeyboardModifier.AltModifier  # type: ignore[attr-defined]
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)  # type: ignore[attr-defined]
        ):
            self._on_move(-1 if event.key() == Qt.Key.Key_Up else 1)  # type: ignore[attr-defined]
            return True
        return super().eventFilter(obj, event)

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        areas = list(REQUIRED_GOAL_AREAS) + [
            a for a in (self.env.areas if self.env else []) if a not in REQUIRED_GOAL_AREAS
        ]
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItems(areas)
        self.area.blockSignals(False)
        self._current = -1
        self.model.set_rows([replace(g) for g in data.goals])
        if self.model.rowCount():
            select_source_row(self.view, 0)
        self._fill_detail()

    def collect(self, data: OppVersionData) -> None:
        """The goals in the order shown."""
        self._store_detail()
        data.goals = [replace(g) for g in self.model.rows()]

    def set_read_only(self, read_only: bool) -> None:
        """Goals can be read, not changed."""
        super().set_read_only(read_only)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self._current >= 0
        self.detail.setEnabled(has)
        for w in self._detail_inputs:
            if isinstance(w, QTextEdit):
                w.setReadOnly(self.read_only)
            else:
                w.setEnabled(not self.read_only)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and self._current > 0)
        self.down_button.setEnabled(has and self._current < self.model.rowCount() - 1)

    def _fill_detail(self) -> None:
        self._filling = True
        try:
            if self._current >= 0:
                g = self.model.row_at(self._current)
                self.area.setCurrentText(g.area)
                self.goal.setMarkdown(g.goal)
                self.intermediate.setMarkdown(g.intermediate_goals)
                self.date.set_value(g.evaluation_date)
                self.detail.setTitle(self.tr("Doel %d") % (self._current + 1))
            else:
                self.area.setCurrentText("")
                self.goal.setMarkdown("")
                self.intermediate.setMarkdown("")
                self.date.set_value(None)
                self.detail.setTitle(self.tr("Geen doel gekozen"))
        finally:
            self._filling = False
        self._update_buttons()

    def _store_detail(self) -> None:
        if self._current < 0 or self._current >= self.model.rowCount():
            return
        g = self.model.row_at(self._current)
        updated = replace(
            g,
            area=self.area.currentText().strip(),
            goal=self.goal.markdown(),
            intermediate_goals=self.intermediate.markdown(),
            evaluation_date=self.date.value(),
        )
        if updated != g:
            self.model.replace_row(self._current, updated)

    @Slot()
    def _on_detail_changed(self, *_args: Any) -> None:
        if self._filling or self._loading:
            return
        self._store_detail()
        self.changed.emit()

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._filling:
            self._store_detail()
        self._current = self.proxy.mapToSource(current).row() if current.isValid() else -1
        self._fill_detail()

    def select_goal(self, row: int) -> None:
        """Select a goal (the detail form shows it)."""
        select_source_row(self.view, row)

    @Slot()
    def _on_add(self) -> None:
        self._store_detail()
        present = {g.area for g in self.model.rows() if g.goal.strip()}
        area = next((a for a in REQUIRED_GOAL_AREAS if a not in present), "")
        default_date = self.model.rows()[-1].evaluation_date if self.model.rowCount() else None
        row = self.model.append(GoalData(area=area, evaluation_date=default_date))
        self.select_goal(row)
        self.changed.emit()
        self.area.setFocus() if not area else self.goal.setFocus()

    @Slot()
    def _on_remove(self) -> None:
        if self._current < 0:
            return
        g = self.model.row_at(self._current)
        if g.goal.strip() or g.intermediate_goals.strip():
            answer = QMessageBox.question(
                self,
                self.tr("Doel verwijderen"),
                self.tr("Het doel '%s' verwijderen uit deze versie?") % first_line(g.goal, 60),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        row = self._current
        self._current = -1
        self.model.remove(row)
        if self.model.rowCount():
            self._current = min(row, self.model.rowCount() - 1)
            self.select_goal(self._current)
        self._fill_detail()
        self.changed.emit()

    @Slot()
    def _on_move(self, delta: int) -> None:
        if self.read_only or self._current < 0:
            return
        self._store_detail()
        row = self._current
        self._filling = True
        try:
            new = self.model.move(row, delta)
        finally:
            self._filling = False
        if new != row:
            # The view's current index follows the moved row, so no change signal may come.
            self._current = new
            self.select_goal(new)
            self._fill_detail()
            self.changed.emit()


class ConversationDialog(QDialog):
    """A conversation with the parents: date, who took part, the relevant points."""

    def __init__(
        self, conversation: ConversationData | None, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Gesprek met ouders") if conversation is None else self.tr("Gesprek wijzigen")
        )
        self.errors = ErrorMap()
        self.date = OptionalDateEdit()
        self.date.set_value(conversation.date if conversation else today)
        self.date.setMaximumDate(to_qdate(today))
        self.participants = QLineEdit(
            conversation.participants
            if conversation
            else self.tr("ouders/verzorgers, leerkracht, IB-er")
        )
        self.summary = prose(min_lines=4)
        self.summary.setMarkdown(conversation.summary if conversation else "")
        self._id = conversation.id if conversation else None
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Datum:"), self.errors.wrap("date", self.date))
        form.addRow(self.tr("D&eelnemers:"), self.participants)
        form.addRow(self.tr("&Relevante punten:"), self.errors.wrap("summary", self.summary))
        buttons = ok_cancel_buttons(self, self.tr("Opslaan"), self._on_accept)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(buttons)
        size_window(self, "opp_parts_pages.ConversationDialog", 560, 360)

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if self.date.value() is None:
            errors["date"] = self.tr("Vul de datum van het gesprek in.")
        if not self.summary.markdown().strip():
            errors["summary"] = self.tr("Noteer de relevante punten uit het gesprek.")
        if self.errors.show(errors) or errors:
            return
        self.accept()

    def result_data(self) -> ConversationData:
        """What was entered."""
        return ConversationData(
            date=self.date.value() or date.today(),
            participants=self.participants.text().strip(),
            summary=self.summary.markdown(),
            id=self._id,
        )

    @classmethod
    def edit(
        cls, parent: QWidget | None, conversation: ConversationData | None, today: date
    ) -> ConversationData | None:
        """Run the dialog; the conversation, or None when cancelled."""
        dialog = cls(conversation, today, parent)
        try:
            return dialog.result_data() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class ViewsPage(PartPage):
    """Part 11: the views of parents and pupil and the log of conversations."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.parents_view = self.watch(prose(min_lines=3))
        self.pupil_view = self.watch(prose(min_lines=2))
        self.form.addWidget(
            self.labelled(
                self.tr("Zienswijze van de ouders/verzorgers"),
                self.parents_view,
                name="parents_view",
            )
        )
        self.form.addWidget(
            self.labelled(
                self.tr("Zienswijze van de leerling (niet verplicht)"),
                self.pupil_view,
                name="pupil_view",
            )
        )
        self.model = ConversationModel(self)
        self.proxy = proxy_for(self.model, self)
        self.proxy.sort(ConversationModel.DATE, Qt.SortOrder.AscendingOrder)
        self.view = table_view(self.proxy, name=self.tr("Gesprekken"), sortable=True)
        self.view.setMinimumHeight(130)
        self.view.horizontalHeader().setSectionResizeMode(
            ConversationModel.DATE, QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.horizontalHeader().setSectionResizeMode(
            ConversationModel.PARTICIPANTS, QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.doubleClicked.connect(self._on_edit)
        self.form.addWidget(QLabel(f"<b>{self.tr('Gesprekken met ouders (en leerling)')}</b>"))
        self.form.addWidget(self.view)
        self.add_button = self.edit_button(QPushButton(self.tr("Gesprek &toevoegen…")))
        self.edit_btn = self.edit_button(QPushButton(self.tr("&Wijzigen…")))
        self.remove_button = self.edit_button(QPushButton(self.tr("&Verwijderen…")))
        self.add_button.clicked.connect(self._on_add)
        self.edit_btn.clicked.connect(self._on_edit)
        self.remove_button.clicked.connect(self._on_remove)
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_btn, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        self.form.addLayout(row)
        self.form.addStretch(1)

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        self.parents_view.setMarkdown(data.parents_view)
        self.pupil_view.setMarkdown(data.pupil_view)
        self.model.set_rows([replace(c) for c in data.conversations])

    def collect(self, data: OppVersionData) -> None:
        """Views and conversations (in date order)."""
        data.parents_view = self.parents_view.markdown()
        data.pupil_view = self.pupil_view.markdown()
        data.conversations = sorted((replace(c) for c in self.model.rows()), key=lambda c: c.date)

    @Slot()
    def _on_add(self) -> None:
        today = self.env.today if self.env else date.today()
        conversation = ConversationDialog.edit(self, None, today)
        if conversation is not None:
            self.model.append(conversation)
            self.changed.emit()

    @Slot()
    def _on_edit(self, *_args: Any) -> None:
        if self.read_only:
            return
        row = selected_source_row(self.view)
        if row < 0:
            return
        today = self.env.today if self.env else date.today()
        conversation = ConversationDialog.edit(self, self.model.row_at(row), today)
        if conversation is not None:
            self.model.replace_row(row, conversation)
            self.changed.emit()

    @Slot()
    def _on_remove(self) -> None:
        row = selected_source_row(self.view)
        if row < 0:
            return
        c = self.model.row_at(row)
        answer = QMessageBox.question(
            self,
            self.tr("Gesprek verwijderen"),
            self.tr("Het gesprek van %s verwijderen uit deze versie?") % short_date(c.date),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.model.remove(row)
            self.changed.emit()


class EvaluationPage(PartPage):
    """Part 12: the evaluation, with the previous version's goals and results beside it."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.first_note = QLabel(
            self.tr(
                "Dit is de eerste versie van het OPP: er is nog geen vorige versie om mee te "
                "vergelijken. "
                "Bij de evaluatie ontstaat een nieuwe versie; daarin wordt dit deel ingevuld."
            )
        )
        self.first_note.setWordWrap(True)
        self.model = PreviousGoalsModel(self)
        self.proxy = proxy_for(self.model, self)
        self.view = table_view(
            self.proxy, name=self.tr("Doelen en resultaten van de vorige versie")
        )
        self.view.setMinimumHeight(140)
        self.view.horizontalHeader().setSectionResizeMode(
            PreviousGoalsModel.AREA, QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.horizontalHeader().setSectionResizeMode(
            PreviousGoalsModel.GOAL, QHeaderView.ResizeMode.Stretch
        )
        self.view.horizontalHeader().setSectionResizeMode(
            PreviousGoalsModel.OUTCOME, QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.horizontalHeader().setStretchLastSection(True)
        self.previous_label = QLabel(
            f"<b>{self.tr('Doelen en resultaten van de vorige versie')}</b>"
        )
        self.evaluation = self.watch(prose(min_lines=6, max_lines=20))
        self.evaluation_box = self.labelled(
            self.tr("Evaluatie van de extra ondersteuning ten opzichte van de vorige versie"),
            self.evaluation,
            name="evaluation",
        )
        self.form.addWidget(self.first_note)
        self.form.addWidget(self.previous_label)
        self.form.addWidget(self.view)
        self.form.addWidget(self.evaluation_box)
        self.form.addStretch(1)

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        first = data.number < 2
        self.first_note.setVisible(first)
        self.previous_label.setVisible(not first)
        self.view.setVisible(not first)
        self.evaluation_box.setVisible(not first)
        self.model.set_rows(list(data.previous_goals))
        self.evaluation.setMarkdown(data.evaluation)

    def collect(self, data: OppVersionData) -> None:
        """The evaluation text."""
        data.evaluation = self.evaluation.markdown()


# ------------------------------------------------------------------------------- part 13


class ConsentDialog(QDialog):
    """A guardian's answer to the handelingsdeel: yes or no, the date, and their view."""

    def __init__(
        self, name: str, existing: ConsentData | None, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Toestemming handelingsdeel"))
        self.errors = ErrorMap()
        intro = QLabel(
            self.tr("Geeft <b>%s</b> toestemming voor het handelingsdeel (deel 9) van deze versie?")
            % esc(name)
        )
        intro.setWordWrap(True)
        self.yes = QRadioButton(self.tr("&Ja, geeft toestemming"))
        self.no = QRadioButton(self.tr("&Nee, geeft geen toestemming"))
        group = QButtonGroup(self)
        group.addButton(self.yes)
        group.addButton(self.no)
        (self.no if existing is not None and not existing.consent else self.yes).setChecked(True)
        self.date = OptionalDateEdit()
        self.date.set_value(existing.date if existing else today)
        self.date.setMaximumDate(to_qdate(today))
        self.view = prose(min_lines=3)
        self.view.setMarkdown(existing.view if existing else "")
        self.view.setPlaceholderText(
            self.tr("Verplicht bij 'nee': waarom niet, en wat willen de ouders anders?")
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Datum:"), self.errors.wrap("date", self.date))
        form.addRow(self.tr("&Zienswijze:"), self.errors.wrap("view", self.view))
        buttons = ok_cancel_buttons(self, self.tr("Vastleggen"), self._on_accept)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.yes)
        lay.addWidget(self.no)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(buttons)
        size_window(self, "opp_parts_pages.ConsentDialog", 520, 340)
        self._id = existing.id if existing else None

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if self.date.value() is None:
            errors["date"] = self.tr("Vul de datum in.")
        if self.no.isChecked() and not self.view.markdown().strip():
            errors["view"] = self.tr("Noteer de zienswijze van de ouder: waarom geen toestemming?")
        self.errors.show(errors)
        if not errors:
            self.accept()

    def answer(self, guardian_id: int, name: str) -> ConsentData:
        """What was entered."""
        return ConsentData(
            guardian_id=guardian_id,
            guardian_name=name,
            consent=self.yes.isChecked(),
            date=self.date.value() or date.today(),
            view=self.view.markdown(),
            id=self._id,
        )

    @classmethod
    def record(
        cls,
        parent: QWidget | None,
        guardian_id: int,
        name: str,
        existing: ConsentData | None,
        today: date,
    ) -> ConsentData | None:
        """Run the dialog; the consent, or None when cancelled."""
        dialog = cls(name, existing, today, parent)
        try:
            return (
                dialog.answer(guardian_id, name)
                if dialog.exec() == QDialog.DialogCode.Accepted
                else None
            )
        finally:
            dialog.deleteLater()


class SignatureEntryDialog(QDialog):
    """Who signs, when, and optionally the signature drawn on screen."""

    OTHER = -1

    def __init__(
        self,
        signers: list[SignerChoice],
        today: date,
        parent: QWidget | None = None,
        *,
        me: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Handtekening toevoegen"))
        self.errors = ErrorMap()
        self.signers = signers
        self.png: bytes | None = None
        self.who = QComboBox()
        self.who.setAccessibleName(self.tr("Wie tekent"))
        for index, s in enumerate(signers):
            self.who.addItem(f"{SIGNATURE_ROLE_LABELS[s.role.value]}: {s.name}", index)
        self.who.addItem(self.tr("Iemand anders…"), self.OTHER)
        self.role = QComboBox()
        for role in SignatureRole:
            self.role.addItem(SIGNATURE_ROLE_LABELS[role.value], role.value)
        self.name = QLineEdit()
        self.date = OptionalDateEdit()
        self.date.set_value(today)
        self.date.setMaximumDate(to_qdate(today))
        self.draw_button = QPushButton(self.tr("Op het scherm &tekenen…"))
        self.preview = QLabel(
            self.tr("Geen handtekening op het scherm: er wordt op papier getekend.")
        )
        self.preview.setMinimumHeight(60)
        self.preview.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Wie tekent:"), self.who)
        form.addRow(self.tr("&Rol:"), self.role)
        form.addRow(self.tr("&Naam:"), self.errors.wrap("name", self.name))
        form.addRow(self.tr("&Datum:"), self.errors.wrap("date", self.date))
        form.addRow(self.tr("Handtekening:"), self.draw_button)
        form.addRow("", self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Toevoegen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(buttons)
        self.who.currentIndexChanged.connect(self._on_who_changed)
        self.draw_button.clicked.connect(self._on_draw)
        # The person working ("Ik ben") signs most often: they come first.
        mine = [i for i, s in enumerate(signers) if me is not None and s.staff_id == me]
        if mine:
            self.who.setCurrentIndex(self.who.findData(mine[0]))
        self._on_who_changed()
        size_window(self, "opp_parts_pages.SignatureEntryDialog", 520, 320)

    def choice(self) -> SignerChoice | None:
        """The chosen signer from the list (None for "iemand anders")."""
        index = self.who.currentData()
        return None if index == self.OTHER or index is None else self.signers[index]

    def select(self, role: SignatureRole, name: str | None = None) -> bool:
        """Choose a signer from the list by role (and name); True when found."""
        for i in range(self.who.count()):
            index = self.who.itemData(i)
            if index in (None, self.OTHER):
                continue
            s = self.signers[index]
            if s.role == role and (name is None or s.name == name):
                self.who.setCurrentIndex(i)
                return True
        return False

    @Slot()
    def _on_who_changed(self, *_args: Any) -> None:
        choice = self.choice()
        other = choice is None
        self.role.setEnabled(other)
        self.name.setReadOnly(not other)
        if choice is not None:
            self.role.setCurrentIndex(self.role.findData(choice.role.value))
            self.name.setText(choice.name)
        else:
            self.name.clear()
            self.name.setFocus()

    @Slot()
    def _on_draw(self) -> None:
        from ib_desktop.ui.widgets.signature_pad import SignatureDialog

        name = self.name.text().strip() or self.tr("de ondertekenaar")
        png = SignatureDialog.capture(self, name)
        if png:
            self.png = png
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            self.preview.setPixmap(
                pixmap.scaled(
                    QSize(320, 80),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if not self.name.text().strip():
            errors["name"] = self.tr("Vul de naam in van wie tekent.")
        if self.date.value() is None:
            errors["date"] = self.tr("Vul de datum in.")
        self.errors.show(errors)
        if not errors:
            self.accept()

    def signature(self) -> SignatureData:
        """What was entered."""
        from datetime import datetime

        choice = self.choice()
        return SignatureData(
            role=SignatureRole(self.role.currentData()),
            name=self.name.text().strip(),
            signed_on=self.date.value() or date.today(),
            guardian_id=choice.guardian_id if choice else None,
            staff_id=choice.staff_id if choice else None,
            image_png=self.png,
            captured_at=datetime.now().replace(microsecond=0) if self.png else None,
        )

    @classmethod
    def get(
        cls,
        parent: QWidget | None,
        signers: list[SignerChoice],
        today: date,
        *,
        me: int | None = None,
    ) -> SignatureData | None:
        """Run the dialog (``me``, the person working, chosen); the signature or None."""
        dialog = cls(signers, today, parent, me=me)
        try:
            return dialog.signature() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class SignaturesPage(PartPage):
    """Part 13: consent of every guardian with gezag, and the signatures.

    Giving consent and signing are legal acts: the page does not keep them as a draft but asks
    the editor to store each at once (``legalActGiven``: "consent" with a ConsentData,
    "signature" with a SignatureData, "remove_signature" with the SignatureData to take off);
    the editor reloads the page from what was stored.
    """

    legalActGiven = Signal(str, object)  # noqa: N815 - Qt naming

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        intro = QLabel(
            self.tr(
                "Ouders met gezag geven toestemming voor het handelingsdeel. Zonder toestemming "
                "kan het OPP niet worden vastgesteld; de ondersteuning gaat intussen door. "
                "Ouders tekenen op de afgedrukte handtekeningenpagina of hier op het scherm. "
                "Toestemming en handtekeningen worden meteen opgeslagen, los van de rest van "
                "het OPP."
            )
        )
        intro.setWordWrap(True)
        self.form.addWidget(intro)
        self.consent_model = ConsentModel(self)
        self.consent_proxy = proxy_for(self.consent_model, self)
        self.consent_view = table_view(self.consent_proxy, name=self.tr("Toestemming"))
        self.consent_view.setMinimumHeight(110)
        self.consent_view.horizontalHeader().setSectionResizeMode(
            ConsentModel.GUARDIAN, QHeaderView.ResizeMode.ResizeToContents
        )
        self.consent_view.horizontalHeader().setSectionResizeMode(
            ConsentModel.ANSWER, QHeaderView.ResizeMode.ResizeToContents
        )
        self.consent_view.horizontalHeader().setSectionResizeMode(
            ConsentModel.DATE, QHeaderView.ResizeMode.ResizeToContents
        )
        self.consent_view.doubleClicked.connect(self._on_consent)
        self.consent_button = self.edit_button(QPushButton(self.tr("&Toestemming vastleggen…")))
        self.consent_button.clicked.connect(self._on_consent)
        self.form.addWidget(QLabel(f"<b>{self.tr('Toestemming voor het handelingsdeel')}</b>"))
        self.form.addWidget(self.consent_view)
        row = QHBoxLayout()
        row.addWidget(self.consent_button)
        row.addStretch(1)
        self.form.addLayout(row)

        self.signature_model = SignatureModel(self)
        self.signature_proxy = proxy_for(self.signature_model, self)
        self.signature_view = table_view(self.signature_proxy, name=self.tr("Handtekeningen"))
        self.signature_view.setMinimumHeight(150)
        self.signature_view.setIconSize(QSize(110, 28))
        self.signature_view.verticalHeader().setDefaultSectionSize(34)
        for col, width in (
            (SignatureModel.ROLE, 150),
            (SignatureModel.NAME, 220),
            (SignatureModel.DATE, 100),
        ):
            self.signature_view.setColumnWidth(col, width)
        self.add_signature_button = self.edit_button(
            QPushButton(self.tr("&Handtekening toevoegen…"))
        )
        self.remove_signature_button = self.edit_button(
            QPushButton(self.tr("Handtekening &verwijderen…"))
        )
        self.add_signature_button.clicked.connect(self._on_add_signature)
        self.remove_signature_button.clicked.connect(self._on_remove_signature)
        self.form.addWidget(
            QLabel(
                f"<b>{self.tr('Handtekeningen')}</b> &nbsp; "
                + self.tr("(verplicht: intern begeleider en directie)")
            )
        )
        self.form.addWidget(self.signature_view)
        row2 = QHBoxLayout()
        row2.addWidget(self.add_signature_button)
        row2.addWidget(self.remove_signature_button)
        row2.addStretch(1)
        self.form.addLayout(row2)
        self.form.addStretch(1)
        self._extra_consents: list[ConsentData] = []

    def _load(self, data: OppVersionData, pupil: dict[str, Any]) -> None:
        self.signature_model.set_rows([replace(s) for s in data.signatures])
        self._set_consents(data.consents, pupil)

    def _set_consents(self, consents: list[ConsentData], pupil: dict[str, Any]) -> None:
        by_guardian = {c.guardian_id: c for c in consents}
        rows = [
            ConsentRow(g["id"], g["name"], g.get("relation", ""), by_guardian.pop(g["id"], None))
            for g in pupil.get("guardians", [])
            if g.get("has_custody")
        ]
        # Answers of guardians no longer in the file (or without gezag now) are kept, not shown.
        self._extra_consents = list(by_guardian.values())
        self.consent_model.set_rows(rows)

    def refresh_pupil(self, pupil: dict[str, Any]) -> None:
        """Guardians with gezag may have changed in the pupil file."""
        current = [r.consent for r in self.consent_model.rows() if r.consent] + self._extra_consents
        self._set_consents(current, pupil)

    def collect(self, data: OppVersionData) -> None:
        """Consents and signatures."""
        data.consents = [replace(r.consent) for r in self.consent_model.rows() if r.consent] + [
            replace(c) for c in self._extra_consents
        ]
        data.signatures = [replace(s) for s in self.signature_model.rows()]

    def select_guardian(self, guardian_id: int) -> None:
        """Select a guardian's consent row."""
        for row, r in enumerate(self.consent_model.rows()):
            if r.guardian_id == guardian_id:
                select_source_row(self.consent_view, row)

    @Slot()
    def _on_consent(self, *_args: Any) -> None:
        if self.read_only:
            return
        row = selected_source_row(self.consent_view)
        if row < 0 and self.consent_model.rowCount() == 1:
            row = 0
        if row < 0:
            QMessageBox.information(
                self, self.tr("Toestemming"), self.tr("Kies eerst de ouder/verzorger in de lijst.")
            )
            return
        r = self.consent_model.row_at(row)
        today = self.env.today if self.env else date.today()
        answer = ConsentDialog.record(self, r.guardian_id, r.name, r.consent, today)
        if answer is not None:
            self.legalActGiven.emit("consent", answer)

    @Slot()
    def _on_add_signature(self) -> None:
        today = self.env.today if self.env else date.today()
        me = getattr(self.env.ctx, "user_staff_id", None) if self.env else None
        signature = SignatureEntryDialog.get(
            self, self.env.signers if self.env else [], today, me=me
        )
        if signature is not None:
            self.legalActGiven.emit("signature", signature)

    @Slot()
    def _on_remove_signature(self) -> None:
        row = selected_source_row(self.signature_view)
        if row < 0:
            return
        s = self.signature_model.row_at(row)
        answer = QMessageBox.question(
            self,
            self.tr("Handtekening verwijderen"),
            self.tr("De handtekening van %s verwijderen uit deze versie?") % s.name,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.legalActGiven.emit("remove_signature", s)


# ------------------------------------------------------------------------------- factory

PAGE_CLASSES: dict[str, type[PartPage]] = {
    "algemeen": PupilFilePage,
    "schoolloopbaan": PupilFilePage,
    "onderzoek": PupilFilePage,
    "inzet": ArrangementPage,
    "factoren": TextFieldsPage,
    "behoeften": TextFieldsPage,
    "zorg": CarePage,
    "uitstroom": OutflowPage,
    "handelingsdeel": GoalsPage,
    "aanpassingen": TextFieldsPage,
    "zienswijze": ViewsPage,
    "evaluatie": EvaluationPage,
    "handtekeningen": SignaturesPage,
}


def make_pages(parent: QWidget | None = None) -> list[PartPage]:
    """The 13 pages in order."""
    return [PAGE_CLASSES[p.key](p, parent) for p in PARTS]
