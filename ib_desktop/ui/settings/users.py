"""Instellingen > Gebruikers: the accounts that log in (issue 18), for the role ``beheer``.

The tab lists every account (login, role, member of staff, active or not) and adds one, disables
one after a confirmation, or gives one a new password; each is one short transaction through
:mod:`ib_desktop.services.accounts`. On PostgreSQL the same actions create and change the
server's own login roles, through the connection of the person logged in.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.domain_types import AccountRole
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.forms import ErrorMap, ok_cancel_buttons
from ib_desktop.ui.widgets.staff_picker import StaffPicker
from ib_desktop.ui.widgets.table_model import (
    Column,
    TableModel,
    proxy_for,
    selected_source_row,
    table_view,
)
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ValidationError


def _role(row: Any) -> str:
    return QCoreApplication.translate("Accounts", row.role_label)


def _status(row: Any) -> str:
    text = (
        QT_TRANSLATE_NOOP("UsersModel", "actief")
        if row.active
        else QT_TRANSLATE_NOOP("UsersModel", "uitgeschakeld")
    )
    return QCoreApplication.translate("UsersModel", text)


class UsersModel(TableModel):
    """The accounts: login, role, member of staff, status, created."""

    TR_CONTEXT = "UsersModel"
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("UsersModel", "Inlognaam"), lambda r: r.login),
        Column(QT_TRANSLATE_NOOP("UsersModel", "Rol"), _role),
        Column(QT_TRANSLATE_NOOP("UsersModel", "Medewerker"), lambda r: r.staff_name or "-"),
        Column(QT_TRANSLATE_NOOP("UsersModel", "Status"), _status),
        Column(
            QT_TRANSLATE_NOOP("UsersModel", "Aangemaakt"),
            lambda r: r.created_at.strftime("%d-%m-%Y"),
            sort=lambda r: r.created_at,
        ),
    )


class PasswordFields:
    """Two password fields (typed twice, never shown)."""

    def __init__(self, errors: ErrorMap, form: QFormLayout, parent: QWidget) -> None:
        self.first = QLineEdit()
        self.first.setObjectName("password")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("password-again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(parent.tr("&Wachtwoord:"), errors.wrap("password", self.first))
        form.addRow(parent.tr("&Nog een keer:"), errors.wrap("password_again", self.again))

    def check(self) -> str:
        """The password when both are the same and long enough; else a ValidationError."""
        from ib_desktop.services.accounts import check_password

        check_password(self.first.text(), self.again.text())
        return self.first.text()


class AddUserDialog(QDialog):
    """A new account: login, role, member of staff and the password twice."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ib_desktop.services.accounts import ROLE_LABELS
        from ib_desktop.services.staff import list_staff

        self.ctx = ctx
        self.added: Any = None
        self.errors = ErrorMap()
        self.setWindowTitle(self.tr("Gebruiker toevoegen"))
        with ctx.db.session() as s:
            staff = list_staff(s, ctx.school_id, active_only=True)
        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.login.setPlaceholderText(self.tr("bijv. jdevries"))
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in AccountRole:
            self.role.addItem(QCoreApplication.translate("Accounts", ROLE_LABELS[role]), role)
        self.staff = StaffPicker([(r.id, r.label) for r in staff], placeholder=self.tr("naam"))
        self.staff.setObjectName("staff")
        form = QFormLayout()
        form.addRow(self.tr("&Inlognaam:"), self.errors.wrap("login", self.login))
        form.addRow(self.tr("&Rol:"), self.errors.wrap("role", self.role))
        form.addRow(self.tr("&Medewerker:"), self.errors.wrap("staff", self.staff))
        self.passwords = PasswordFields(self.errors, form, self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(ok_cancel_buttons(self, self.tr("Toevoegen"), self._on_ok))
        size_window(self, "users.AddUserDialog", 480, 300)

    @Slot()
    def _on_ok(self) -> None:
        from ib_desktop.services import accounts

        self.errors.clear()
        staff_id = self.staff.staff_id()
        if staff_id is None and self.staff.typed_name():
            self.errors.show({"staff": self.tr("Kies een medewerker uit de lijst.")})
            return
        try:
            password = self.passwords.check()
            with self.ctx.db.session() as s:
                self.added = accounts.add_account(
                    s, self.ctx.school_id, self.login.text(), self.role.currentData(), password,
                    staff=staff_id, actor=self.ctx.actor,
                )  # fmt: skip
        except ValidationError as exc:
            self.errors.show({exc.field: exc.message})
            return
        self.accept()


class PasswordDialog(QDialog):
    """A new password for one account, typed twice."""

    def __init__(self, ctx: AppContext, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.login = login
        self.errors = ErrorMap()
        self.setWindowTitle(self.tr("Nieuw wachtwoord voor %s") % login)
        form = QFormLayout()
        self.passwords = PasswordFields(self.errors, form, self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(ok_cancel_buttons(self, self.tr("Opslaan"), self._on_ok))
        size_window(self, "users.PasswordDialog", 420, 160)

    @Slot()
    def _on_ok(self) -> None:
        from ib_desktop.services import accounts

        self.errors.clear()
        try:
            password = self.passwords.check()
            with self.ctx.db.session() as s:
                accounts.set_password(s, self.login, password, actor=self.ctx.actor)
        except ValidationError as exc:
            self.errors.show({exc.field: exc.message})
            return
        self.accept()


class UsersTab(QWidget):
    """The accounts of this database, with add, disable and new password."""

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.model = UsersModel(self)
        self.proxy = proxy_for(self.model, self)
        self.view = table_view(self.proxy, name="users-table", sortable=True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order: active first
        intro = QLabel(
            self.tr(
                "Zodra er een actieve gebruiker is, logt iedereen in met een eigen inlognaam en "
                "wachtwoord. Een leerkracht ziet alleen de leerlingen van de eigen groepen en "
                "schrijft evaluaties; de intern begeleider en de directie beheren het dossier."
            )
        )
        intro.setWordWrap(True)
        self.add_button = QPushButton(self.tr("Gebruiker &toevoegen…"))
        self.add_button.setObjectName("add-user")
        self.disable_button = QPushButton(self.tr("&Uitschakelen…"))
        self.disable_button.setObjectName("disable-user")
        self.password_button = QPushButton(self.tr("Nieuw &wachtwoord…"))
        self.password_button.setObjectName("password-user")
        self.add_button.clicked.connect(self._on_add)
        self.disable_button.clicked.connect(self._on_disable)
        self.password_button.clicked.connect(self._on_password)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self._on_add)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.disable_button, self.password_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.view, 1)
        lay.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        """Read the accounts again."""
        from ib_desktop.services import accounts

        with self.ctx.db.session() as s:
            self.model.set_rows(accounts.list_accounts(s))
        self.view.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> Any:
        """The account chosen in the table, or None."""
        return self.model.row_at(selected_source_row(self.view))

    @Slot()
    def _update_buttons(self, *_args: Any) -> None:
        row = self.selected()
        self.disable_button.setEnabled(row is not None and row.active)
        self.password_button.setEnabled(row is not None and row.active)

    @Slot()
    def _on_add(self) -> None:
        dialog = AddUserDialog(self.ctx, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.reload()
        finally:
            dialog.deleteLater()

    @Slot()
    def _on_disable(self) -> None:
        from ib_desktop.services import accounts

        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            APP_NAME,
            self.tr(
                "Gebruiker '%s' uitschakelen? Deze persoon kan dan niet meer inloggen; wat hij "
                "of zij heeft vastgelegd blijft bewaard."
            )
            % row.login,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.db.session() as s:
                accounts.disable_account(s, row.login, actor=self.ctx.actor)
        except ValidationError as exc:
            QMessageBox.warning(self, APP_NAME, exc.message)
            return
        self.reload()

    @Slot()
    def _on_password(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PasswordDialog(self.ctx, row.login, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                QMessageBox.information(
                    self,
                    APP_NAME,
                    self.tr("Gebruiker '%s' heeft een nieuw wachtwoord.") % row.login,
                )
        finally:
            dialog.deleteLater()
