"""Screenshot steps: the login dialog over the empty window at start, after one wrong password
(see tools/screenshot.py)."""

from __future__ import annotations


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    from ib_desktop.services import accounts
    from ib_desktop.ui.login import LoginDialog
    from ib_desktop.ui.main_window import MainWindow

    with ctx.db.session() as s:
        accounts.add_account(s, ctx.school_id, "mdeboer", "beheer", "Voorbeeld-2026")

    def attempt(login, password):  # noqa: ANN001, ANN202
        with ctx.db.session() as s:
            return accounts.sign_in(s, login, password)

    window.hide()  # at start the window is an empty shell until the login succeeded
    shell = MainWindow(None)
    shell.resize(window.size())
    shell.move(0, 0)
    shell.show()
    dialog = LoginDialog(attempt, shell, where=ctx.db.label)
    dialog.show()
    dialog.login.setText("mdeboer")
    dialog.password.setText("verkeerd-wachtwoord")
    dialog.ok_button.click()
    app._keep = (shell, dialog)  # noqa: SLF001 - alive until the grab
    return None
