"""The first paint of an encrypted file: the password dialog, then the quick rows (sqlcipher3),
then the full open without a second password; cancelling the dialog starts nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ib_desktop import storage
from ib_desktop.storage import keys
from ib_desktop.ui.pupil_list.page import PupilListPage
from ib_desktop.ui.widgets.password_dialog import PasswordDialog
from tests.ui.test_first_paint import held_back, previews  # noqa: F401 - fixtures
from tests.ui.test_startup import database, start  # noqa: F401 - fixtures

PASSWORD = "school-wachtwoord-1"


@pytest.fixture
def encrypted(database, monkeypatch) -> Path:  # noqa: F811 - fixture
    monkeypatch.setattr(
        keys, "DEFAULT_PARAMS", {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
    )
    for name in (keys.PASSWORD_ENV, keys.UNLOCK_ENV):
        monkeypatch.delenv(name, raising=False)
    keys.forget_all()
    storage.encrypt_file(database, keys.new_key(PASSWORD))
    keys.forget_all()  # as a new process
    yield database
    keys.forget_all()


def answer_dialog(texts: list[str], seen: list[str]) -> None:
    """Type each of ``texts`` into the password dialog in turn (it stays open when wrong)."""
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, PasswordDialog):
        QTimer.singleShot(20, lambda: answer_dialog(texts, seen))
        return
    seen.append(dialog.error.text())
    if not texts:
        dialog.reject()
        return
    dialog.field.setText(texts[0])
    dialog.accept()
    if len(texts) > 1:
        QTimer.singleShot(20, lambda: answer_dialog(texts[1:], seen))


def test_the_password_then_the_quick_rows_then_the_full_open(
    encrypted, start, qtbot, held_back, previews  # noqa: F811 - fixtures
) -> None:
    QSettings().setValue("main_window/page", "leerlingen")
    seen: list[str] = []
    QTimer.singleShot(20, lambda: answer_dialog(["verkeerd-wachtwoord", PASSWORD], seen))
    startup = start(encrypted)
    events: list[str] = []
    startup.painted.connect(lambda: events.append("painted"))
    startup.ready.connect(lambda: events.append("ready"))
    qtbot.waitUntil(lambda: events == ["painted"], timeout=20000)
    assert seen[0] == ""
    assert "klopt niet" in seen[1]
    page = startup.window.preview_page()
    assert isinstance(page, PupilListPage)
    assert page.proxy.rowCount() > 50  # the quick rows, read through sqlcipher3
    assert previews == [page.model.rowCount()]
    assert startup.db is None

    held_back.set()
    qtbot.waitUntil(lambda: events == ["painted", "ready"], timeout=30000)
    assert startup.db is not None
    assert startup.db.engine.dialect.driver == "pysqlcipher"  # no second dialog was needed
    assert len(seen) == 2
    assert not page.is_preview


def test_cancelling_the_password_shows_nothing_and_ends(
    encrypted, start, qtbot, previews  # noqa: F811 - fixtures
) -> None:
    QSettings().setValue("main_window/page", "leerlingen")
    before = encrypted.read_bytes()
    seen: list[str] = []
    QTimer.singleShot(20, lambda: answer_dialog([], seen))
    startup = start(encrypted)
    codes: list[int] = []
    startup.failed.connect(codes.append)
    qtbot.waitUntil(lambda: codes == [1], timeout=20000)
    assert previews == []
    assert seen == [""]
    assert encrypted.read_bytes() == before
