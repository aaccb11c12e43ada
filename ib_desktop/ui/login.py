"""Inloggen: the dialog before the main window when a database has accounts (issue 18).

The dialog only asks and shows; ``attempt(login, password)`` decides (the Argon2id hash on
SQLite, the server itself on PostgreSQL) and raises
:class:`~ib_desktop.services.accounts.LoginRefused` for a wrong login or password. The message
never says which of the two was wrong; after a few refusals the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.ui.widgets.window_size import size_window


class LoginDialog(QDialog):
    """Inlognaam and wachtwoord, tried with ``attempt`` at most ``max_attempts`` times."""

    def __init__(
        self,
        attempt: Callable[[str, str], Any],
        parent: QWidget | None = None,
        *,
        where: str = "",
        max_attempts: int | None = None,
    ) -> None:
        super().__init__(parent)
        from ib_desktop.services.accounts import MAX_ATTEMPTS

        self._attempt = attempt
        self.result_value: Any = None
        self.attempts_left = max_attempts or MAX_ATTEMPTS
        self.setWindowTitle(self.tr("Inloggen bij %s") % APP_NAME)
        intro = QLabel(self.tr("Log in met uw eigen inlognaam en wachtwoord."))
        intro.setWordWrap(True)
        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.login.setAccessibleName(self.tr("Inlognaam"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setAccessibleName(self.tr("Wachtwoord"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("login-message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setAccessibleName(self.tr("Melding"))
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Inlognaam:"), self.login)
        form.addRow(self.tr("&Wachtwoord:"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Inloggen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Stoppen"))
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        if where:
            place = QLabel(self.tr("Database: %s") % where)
            place.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            place.setWordWrap(True)
            lay.addWidget(place)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addStretch(1)
        lay.addWidget(buttons)
        self.login.setFocus()
        size_window(self, "login.LoginDialog", 440, 230)

    def show_message(self, text: str) -> None:
        """Show a message under the fields."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    @Slot()
    def _on_ok(self) -> None:
        from ib_desktop.services.accounts import LoginRefused
        from ib_desktop.storage import DatabaseError

        login, password = self.login.text().strip(), self.password.text()
        if not login or not password:
            self.show_message(self.tr("Vul uw inlognaam en uw wachtwoord in."))
            (self.login if not login else self.password).setFocus()
            return
        try:
            self.result_value = self._attempt(login, password)
        except LoginRefused:
            self.attempts_left -= 1
            self.password.clear()
            if self.attempts_left <= 0:
                self.reject()
                return
            self.show_message(
                self.tr(
                    "Inloggen is niet gelukt: de inlognaam of het wachtwoord klopt niet. "
                    "U kunt het nog %n keer proberen.",
                    "",
                    self.attempts_left,
                )
            )
            self.password.setFocus()
            return
        except DatabaseError as exc:  # the server is away: not the user's mistake
            self.show_message(str(exc))
            return
        self.accept()

    @classmethod
    def ask(
        cls,
        attempt: Callable[[str, str], Any],
        parent: QWidget | None = None,
        *,
        where: str = "",
    ) -> Any:
        """Run the dialog; what ``attempt`` returned for the right password, or None."""
        dialog = cls(attempt, parent, where=where)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.result_value if accepted else None
        finally:
            dialog.deleteLater()


def log_in_to_file(db: Any, parent: QWidget | None = None) -> Any:
    """SQLite: the account when the database has accounts (asked in the dialog).

    Returns ``None`` when accounts are off (full rights, as before accounts), ``False`` when
    the person stopped or ran out of attempts.
    """
    from ib_desktop.services import accounts

    with db.session() as s:
        if not accounts.accounts_enabled(s):
            return None

    def attempt(login: str, password: str) -> Any:
        with db.session() as s:
            return accounts.sign_in(s, login, password)

    found = LoginDialog.ask(attempt, parent, where=db.label)
    return found if found is not None else False


def log_in_to_server(url: Any, parent: QWidget | None = None) -> Any:
    """PostgreSQL: the database opened as the person; None when they stopped."""
    from ib_desktop.services import accounts
    from ib_desktop.storage import display_url

    return LoginDialog.ask(
        lambda login, password: accounts.connect_as(url, login, password),
        parent,
        where=display_url(url),
    )
