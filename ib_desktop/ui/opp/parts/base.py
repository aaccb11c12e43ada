"""The base of every OPP part page, and the "niet van toepassing" box of parts 3, 4 and 7.

Every page shows its part's fields, reports edits with ``changed``, writes its fields into an
:class:`~ib_desktop.services.opp.OppVersionData` in ``collect`` and shows what its part still lacks
(``show_status``). Pages hold no session: the editor window loads and saves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import OppPart
from ib_desktop.ui.opp.common import esc
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import ErrorMap

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
    signers: list[svc.SignerChoice] = field(default_factory=list)
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
    def load(self, data: svc.OppVersionData, pupil: dict[str, Any], env: PageEnv) -> None:
        """Show the part of ``data`` (``pupil`` is what parts 1-3 show)."""
        self.env = env
        self._loading = True
        try:
            self._load(data, pupil)
        finally:
            self._loading = False

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        raise NotImplementedError

    def collect(self, data: svc.OppVersionData) -> None:
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

    def show_status(self, status: svc.PartStatus) -> None:
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
