"""Choosing a member of staff: a picker with completion, and "Wie bent u?" (Ik ben).

:class:`StaffPicker` is an editable combo over the active staff: typing a few letters of any
part of a name completes it, and a name that is not in the list (an SWV consultant) may still
be typed. :class:`ChooseUserDialog` asks the person working who they are, once; the choice is
kept in the database (see :mod:`ib_desktop.services.identity`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.ui.widgets.forms import ErrorMap, ok_cancel_buttons
from ib_desktop.ui.widgets.window_size import size_window


def _tr(text: str) -> str:
    return QCoreApplication.translate("staff_picker", text)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


class StaffPicker(QComboBox):
    """An editable combo of staff with completion on any part of the name.

    Items are ``(staff_id, label)``; :meth:`staff_id` is the chosen member's id, or None when
    the text typed is not one of them (then :meth:`typed_name` is what was typed).
    """

    staffChosen = Signal(object)  # noqa: N815 - Qt naming; the staff id or None

    def __init__(
        self,
        choices: list[tuple[int, str]] | None = None,
        parent: QWidget | None = None,
        *,
        placeholder: str = "",
    ) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lineEdit().setPlaceholderText(placeholder or _tr("kies of typ een naam"))
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.set_choices(choices or [])
        self.currentIndexChanged.connect(self._on_index_changed)

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        """Replace the list; nothing is chosen afterwards."""
        self.blockSignals(True)
        self.clear()
        for staff_id, label in choices:
            self.addItem(label, staff_id)
        self.setCurrentIndex(-1)
        self.setEditText("")
        self.blockSignals(False)

    def select_staff(self, staff_id: int | None) -> bool:
        """Choose a member by id; True when they are in the list."""
        index = self.findData(staff_id) if staff_id is not None else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")
        return index >= 0

    def staff_id(self) -> int | None:
        """The chosen member's id; None when the text is not one of the list.

        The whole label ("Joke de Vries (leerkracht)") or just the name, in any case, counts.
        """
        text = _fold(self.currentText())
        if not text:
            return None
        for i in range(self.count()):
            label = _fold(self.itemText(i))
            if text in (label, label.rsplit(" (", 1)[0]):
                return self.itemData(i)
        return None

    def typed_name(self) -> str:
        """The text in the field."""
        return " ".join(self.currentText().split())

    @Slot(int)
    def _on_index_changed(self, _index: int) -> None:
        self.staffChosen.emit(self.staff_id())


class ChooseUserDialog(QDialog):
    """ "Wie bent u?": the person working picks themself from the active staff."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ib_desktop.services.staff import list_staff

        self.ctx = ctx
        self.errors = ErrorMap()
        self.setWindowTitle(self.tr("Wie bent u?"))
        with ctx.db.session() as s:
            rows = list_staff(s, ctx.school_id, active_only=True)
        intro = QLabel(
            self.tr(
                "Kies uw eigen naam. IB Desktop onthoudt dit voor deze database en vult u in bij "
                "'besloten door', 'geëvalueerd door' en handtekeningen; wijzigingen komen op uw "
                "naam in de geschiedenis."
            )
        )
        intro.setWordWrap(True)
        self.picker = StaffPicker([(r.id, r.label) for r in rows], placeholder=self.tr("uw naam"))
        self.picker.setAccessibleName(self.tr("Ik ben"))
        self.picker.setMinimumContentsLength(30)
        if ctx.user_staff_id is not None:
            self.picker.select_staff(ctx.user_staff_id)
        label = QLabel(self.tr("&Ik ben:"))
        label.setBuddy(self.picker)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(label)
        lay.addWidget(self.errors.wrap("user", self.picker))
        if not rows:
            empty = QLabel(
                self.tr(
                    "Er staan nog geen medewerkers in deze database. Voeg ze toe onder "
                    "Instellingen > Groepen en medewerkers, of importeer ze uit het LVS."
                )
            )
            empty.setWordWrap(True)
            lay.addWidget(empty)
        lay.addStretch(1)
        lay.addWidget(ok_cancel_buttons(self, self.tr("Dat ben ik"), self._on_ok))
        size_window(self, "staff_picker.ChooseUserDialog", 480, 240)

    @Slot()
    def _on_ok(self) -> None:
        staff_id = self.picker.staff_id()
        if staff_id is None:
            self.errors.show({"user": self.tr("Kies uw naam uit de lijst van medewerkers.")})
            return
        self.ctx.choose_user(staff_id)
        self.accept()

    @classmethod
    def choose(cls, ctx: Any, parent: QWidget | None = None) -> Any:
        """Ask who is working; the chosen :class:`CurrentUser`, or None when cancelled."""
        dialog = cls(ctx, parent)
        try:
            return ctx.user if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def choose_user_action(ctx: Any, nav: Any, parent: QWidget | None) -> None:
    """Menu action "Wie ben ik?…"; with accounts the login says it, and is not changed here."""
    if getattr(ctx, "access", None) is not None:
        from PySide6.QtWidgets import QMessageBox

        name = ctx.user.name if ctx.user is not None else ctx.access.login
        QMessageBox.information(
            parent,
            _tr("Wie ben ik?"),
            _tr("U bent ingelogd als %s (%s). Log opnieuw in om als iemand anders te werken.")
            % (name, ctx.access.login),
        )
        return
    if ChooseUserDialog.choose(ctx, parent) is not None:
        refresh = getattr(nav, "show_current_user", None)
        if refresh is not None:
            refresh()
        notify = getattr(nav, "notify_changed", None)
        if notify is not None:
            notify()
