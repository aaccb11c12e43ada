"""The login dialog and Instellingen > Gebruikers (issue 18), typed and clicked as a user would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLineEdit, QPushButton

from ib_desktop.domain_types import AccountRole
from ib_desktop.services import accounts
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.login import LoginDialog, log_in_to_file
from ib_desktop.ui.settings.page import SettingsPage
from ib_desktop.ui.settings.users import AddUserDialog, UsersModel, UsersTab
from ib_desktop.ui.widgets.table_model import select_source_row

PASSWORD = "Herfst-2026-wachtwoord"


class Nav(QObject):
    def notify_changed(self) -> None:  # pragma: no cover - not used by these tabs
        pass


@pytest.fixture
def with_accounts(demo_db):
    """The demo school with a beheer account and a teacher's account."""
    with demo_db.session() as s:
        accounts.add_account(s, demo_db.school_id, "hoofd", "beheer", PASSWORD)
        accounts.add_account(s, demo_db.school_id, "juf", "leerkracht", PASSWORD, staff="1")
    return demo_db


def type_into(qtbot, widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def ok_button(dialog: QDialog) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    return box.button(QDialogButtonBox.StandardButton.Ok)


def test_a_wrong_password_then_the_right_one(with_accounts, qtbot) -> None:
    db = with_accounts

    def attempt(login: str, password: str):
        with db.session() as s:
            return accounts.sign_in(s, login, password)

    dialog = LoginDialog(attempt, where=db.label)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.login, "hoofd")
    type_into(qtbot, dialog.password, "raden-maar")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    message = dialog.message.text()
    assert "inlognaam of het wachtwoord klopt niet" in message
    assert "4 keer" in message
    assert dialog.password.text() == ""  # typed again, never kept
    assert dialog.login.text() == "hoofd"
    type_into(qtbot, dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_value == accounts.Access("hoofd", AccountRole.BEHEER, None)


def test_an_unknown_login_gets_the_same_message_and_attempts_run_out(with_accounts, qtbot) -> None:
    db = with_accounts

    def attempt(login: str, password: str):
        with db.session() as s:
            return accounts.sign_in(s, login, password)

    dialog = LoginDialog(attempt, max_attempts=2)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.login, "niemand")
    type_into(qtbot, dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    unknown = dialog.message.text()
    type_into(qtbot, dialog.login, "hoofd")
    type_into(qtbot, dialog.password, "fout-fout")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert unknown.startswith("Inloggen is niet gelukt: de inlognaam of het wachtwoord klopt niet.")
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert dialog.result_value is None


def test_without_accounts_nobody_is_asked(demo_db, qtbot) -> None:
    assert log_in_to_file(demo_db) is None


def test_the_start_asks_before_the_window_gets_the_data(with_accounts, qtbot, no_dialogs) -> None:
    """A database with accounts: the login comes first, then the teacher's own pupils only."""
    from ib_desktop.ui.app import Startup, ensure_application

    path = with_accounts.path
    with_accounts.dispose()
    ensure_application()
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(50, answer)
            return
        seen["window_ctx"] = startup.window.ctx  # nothing attached while the login is asked
        dialog.login.setText("juf")
        dialog.password.setText(PASSWORD)
        dialog.ok_button.click()

    QTimer.singleShot(0, answer)
    startup = Startup(str(path))
    qtbot.addWidget(startup.window)
    try:
        qtbot.waitUntil(lambda: startup.ctx is not None, timeout=20000)
        assert seen["window_ctx"] is None
        ctx = startup.ctx
        assert ctx.access.login == "juf"
        assert ctx.user.account_role == AccountRole.LEERKRACHT
        assert ctx.user.staff_id == 1
        assert "Gebruikers" not in SettingsPage(ctx, Nav()).titles()
    finally:
        startup.window.close()
        startup.close()


def test_the_users_tab_adds_a_user_by_typing_and_clicking(
    demo_db, qtbot, no_dialogs, model_tester
) -> None:
    ctx = AppContext(db=demo_db, school_id=demo_db.school_id, actor="Test IB-er")
    page = SettingsPage(ctx, Nav())
    qtbot.addWidget(page)
    page.show()
    assert "Gebruikers" in page.titles()  # accounts off: everybody manages
    tab = page.tab("Gebruikers")
    assert isinstance(tab, UsersTab)
    model_tester(tab.model)
    assert tab.model.rowCount() == 0

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AddUserDialog):
            QTimer.singleShot(50, fill)
            return
        type_into(qtbot, dialog.login, "Beheer.Een")
        dialog.role.setCurrentIndex(dialog.role.findData(AccountRole.BEHEER))
        type_into(qtbot, dialog.passwords.first, PASSWORD)
        type_into(qtbot, dialog.passwords.again, PASSWORD + "?")
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
        seen["mismatch"] = dialog.errors.fields["password_again"].error_label.text()
        type_into(qtbot, dialog.passwords.again, PASSWORD)
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    seen: dict[str, str] = {}
    QTimer.singleShot(0, fill)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert "niet gelijk" in seen["mismatch"]
    assert [(r.login, r.role, r.active) for r in tab.model.rows()] == [
        ("beheer.een", AccountRole.BEHEER, True)
    ]
    assert tab.model.index(0, 1).data() == "beheer"
    with demo_db.session() as s:
        assert accounts.sign_in(s, "beheer.een", PASSWORD).role == AccountRole.BEHEER


def test_the_users_tab_disables_after_a_confirmation(with_accounts, qtbot, no_dialogs) -> None:
    ctx = AppContext(
        db=with_accounts,
        school_id=with_accounts.school_id,
        access=accounts.Access("hoofd", AccountRole.BEHEER, None),
    )
    try:
        tab = UsersTab(ctx, Nav())
        qtbot.addWidget(tab)
        assert not tab.disable_button.isEnabled()
        select_source_row(tab.view, tab.model.row_of(tab.model.rows()[0].id))
        qtbot.mouseClick(tab.disable_button, Qt.MouseButton.LeftButton)
        assert "laatste actieve beheerder" in no_dialogs["warning"][0]  # hoofd stays
        juf = [r.login for r in tab.model.rows()].index("juf")
        select_source_row(tab.view, juf)
        assert tab.disable_button.isEnabled()
        qtbot.mouseClick(tab.disable_button, Qt.MouseButton.LeftButton)
        assert "'juf' uitschakelen" in no_dialogs["question"][1]
        assert {r.login: r.active for r in tab.model.rows()} == {"hoofd": True, "juf": False}
    finally:
        accounts.bind_access(with_accounts.sessionmaker, None)


def test_the_users_tab_is_hidden_for_the_ib(with_accounts, qtbot) -> None:
    ctx = AppContext(
        db=with_accounts,
        school_id=with_accounts.school_id,
        access=accounts.Access("ib1", AccountRole.IB, None),
    )
    try:
        page = SettingsPage(ctx, Nav())
        qtbot.addWidget(page)
        assert "Gebruikers" not in page.titles()
        assert "School" in page.titles()
    finally:
        accounts.bind_access(with_accounts.sessionmaker, None)


def test_the_model_shows_every_column(with_accounts, model_tester) -> None:
    model = UsersModel()
    model_tester(model)
    with with_accounts.session() as s:
        model.set_rows(accounts.list_accounts(s))
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Inlognaam", "Rol", "Medewerker", "Status", "Aangemaakt"
    ]  # fmt: skip
    assert model.index(1, 1).data() == "leerkracht"
    assert model.index(1, 3).data() == "actief"


def test_stopping_at_the_login_ends_the_start_without_a_window(
    with_accounts, qtbot, no_dialogs
) -> None:
    from ib_desktop.ui.app import Startup, ensure_application

    path = with_accounts.path
    with_accounts.dispose()
    ensure_application()

    def stop() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(50, stop)
            return
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, stop)
    startup = Startup(str(path))
    qtbot.addWidget(startup.window)
    try:
        with qtbot.waitSignal(startup.failed, timeout=20000) as failed:
            pass
        assert failed.args == [1]
        assert startup.ctx is None
        assert startup.window.ctx is None
    finally:
        startup.window.close()
        startup.close()


def test_a_server_url_without_password_asks_for_the_login() -> None:
    from ib_desktop.ui.app import _server_needing_login

    assert _server_needing_login("postgresql+psycopg://server.school.nl/ib") is not None
    assert _server_needing_login("postgresql+psycopg://beheer:geheim@server.school.nl/ib") is None
    assert _server_needing_login("/tmp/school.sqlite") is None


def test_a_teacher_logged_in_sees_their_own_pupils_in_the_list(with_accounts, qtbot) -> None:
    import sqlalchemy as sa

    from ib_desktop.models import Pupil
    from ib_desktop.ui.pupil_list.page import PupilListPage
    from tests.services.test_account_limits import teacher_and_groups

    db = with_accounts
    staff_id, groups = teacher_and_groups(db)
    with db.session() as s:
        total = s.scalar(sa.select(sa.func.count(Pupil.id)))
        accounts.add_account(s, db.school_id, "meester", "leerkracht", PASSWORD,
                             staff=str(staff_id))  # fmt: skip
        access = accounts.sign_in(s, "meester", PASSWORD)
    ctx = AppContext(db=db, school_id=db.school_id, access=access)
    try:
        page = PupilListPage(ctx, Nav())
        qtbot.addWidget(page)
        page.show()
        qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
        shown = {row.id for row in page.model.rows}
        with db.session() as s:
            in_groups = s.scalars(sa.select(Pupil.group_id).where(Pupil.id.in_(shown))).all()
        assert 0 < len(shown) < total
        assert set(in_groups) <= groups | {None}
        page.wait_for_background()
    finally:
        accounts.bind_access(db.sessionmaker, None)
