"""The password dialog at start (issue 19): a wrong password is said beside the field and
changes nothing; the right one opens the encrypted database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ib_desktop.storage import keys, open_database
from ib_desktop.ui.widgets.password_dialog import PasswordDialog

PASSWORD = "geheim-wachtwoord"


@pytest.fixture
def encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(
        keys, "DEFAULT_PARAMS", {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
    )
    monkeypatch.delenv(keys.PASSWORD_ENV, raising=False)
    keys.forget_all()
    path = tmp_path / "school.sqlite"
    new = keys.new_key(PASSWORD)
    keys.write_key_file(path, new.key_file)
    open_database(path).dispose()
    keys.forget_all()
    yield path
    keys.forget_all()


def press_open(dialog: PasswordDialog, qtbot) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_wrong_then_right_password(qtbot, encrypted: Path) -> None:
    before = (encrypted.read_bytes(), encrypted.stat().st_mtime_ns)
    dialog = PasswordDialog(encrypted)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.field, "verkeerd-wachtwoord")
    press_open(dialog, qtbot)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "Het wachtwoord klopt niet" in dialog.error.text()
    assert (encrypted.read_bytes(), encrypted.stat().st_mtime_ns) == before
    with pytest.raises(keys.PasswordNeededError):
        open_database(encrypted)
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, PASSWORD)
    press_open(dialog, qtbot)
    assert dialog.result() == PasswordDialog.DialogCode.Accepted
    open_database(encrypted).dispose()


def test_the_app_asks_for_the_password_when_it_opens_the_file(qtbot, encrypted: Path) -> None:
    from ib_desktop.ui.app import open_database_interactively

    seen: list[str] = []

    def answer(text: str) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PasswordDialog):
            QTimer.singleShot(20, lambda: answer(text))
            return
        seen.append(dialog.error.text())
        dialog.field.setText(text)
        dialog.accept()
        if text != PASSWORD:
            QTimer.singleShot(20, lambda: answer(PASSWORD))

    QTimer.singleShot(20, lambda: answer("fout-wachtwoord"))
    db = open_database_interactively(str(encrypted))
    assert db is not None
    try:
        assert db.engine.dialect.driver == "pysqlcipher"
    finally:
        db.dispose()
    assert seen[0] == ""
    assert "klopt niet" in seen[1]
