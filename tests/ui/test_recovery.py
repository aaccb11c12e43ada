"""Unsaved edits survive a crash: RecoveryGuard writes them, the start-up offer opens them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from ib_desktop.recovery import RecoveryStore
from ib_desktop.ui.recovery import (
    RecoveredEditsDialog,
    RecoveryGuard,
    ask_restore,
    offer_recovered,
)


@dataclass
class FakeDb:
    url: str


@dataclass
class FakeCtx:
    db: FakeDb


@dataclass
class RecordingNav:
    calls: list[tuple] = field(default_factory=list)

    def open_pupil(self, pupil_id: int) -> None:
        self.calls.append(("pupil", pupil_id))

    def open_document(
        self, kind: str, doc_id: int | None = None, *, pupil_id: int | None = None
    ) -> None:
        self.calls.append((kind, doc_id, pupil_id))


class Editor(QWidget):
    """A minimal editor wired the way the contract asks."""

    def __init__(self, ctx, key: str) -> None:
        super().__init__()
        self.goal = QLineEdit()
        QVBoxLayout(self).addWidget(self.goal)
        self.guard = RecoveryGuard(
            ctx, key, "Korte interventie Daan", self.collect, self, delay_ms=50
        )
        self.goal.textEdited.connect(lambda _t: self.guard.changed())

    def collect(self) -> dict:
        return {"doel": self.goal.text(), "start": date(2026, 11, 18)}


@pytest.fixture
def fctx(tmp_path: Path) -> FakeCtx:
    return FakeCtx(FakeDb(f"sqlite:///{tmp_path / 'school.sqlite'}"))


def test_typing_is_kept_within_the_delay_and_removed_on_save(qtbot, fctx) -> None:
    editor = Editor(fctx, "korte_interventie:4")
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.guard.written, timeout=2000):
        qtbot.keyClicks(editor.goal, "Leest vlot")
    assert RecoveryGuard.pending_for(fctx, "korte_interventie:4") == {
        "doel": "Leest vlot",
        "start": date(2026, 11, 18),
    }
    editor.guard.saved()
    assert RecoveryGuard.pending_for(fctx, "korte_interventie:4") is None


def test_continuous_typing_is_still_written(qtbot, fctx) -> None:
    """Throttled, not postponed: typing that never pauses is on disk within the delay."""
    editor = Editor(fctx, "pupil:9")
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.guard.written, timeout=2000):
        for ch in "abcdefghij":
            qtbot.keyClicks(editor.goal, ch)
            qtbot.wait(15)
    assert RecoveryGuard.pending_for(fctx, "pupil:9")["doel"].startswith("abc")


def test_discard_forgets(qtbot, fctx) -> None:
    editor = Editor(fctx, "groeidocument:3")
    qtbot.addWidget(editor)
    editor.goal.setText("iets")
    editor.guard.changed()
    assert editor.guard.flush()
    editor.guard.discard()
    assert RecoveryGuard.pending_for(fctx, "groeidocument:3") is None


def test_new_document_moves_to_its_id(qtbot, fctx) -> None:
    editor = Editor(fctx, "korte_interventie:new-pupil-5")
    qtbot.addWidget(editor)
    editor.goal.setText("x")
    editor.guard.flush()
    editor.guard.set_key("korte_interventie:77")
    editor.guard.changed()
    editor.guard.flush()
    store = RecoveryStore(fctx.db.url)
    assert [e.key for e in store.entries()] == ["korte_interventie:77"]


def test_a_failing_disk_does_not_disturb_the_editor(qtbot, fctx, monkeypatch) -> None:
    editor = Editor(fctx, "pupil:1")
    qtbot.addWidget(editor)

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ib_desktop.recovery.atomic_write_bytes", full)
    with qtbot.waitSignal(editor.guard.writeFailed, timeout=2000) as blocker:
        qtbot.keyClicks(editor.goal, "abc")
    assert "niet tussentijds" in blocker.args[0]
    assert editor.goal.text() == "abc"


CRASHING_EDITOR = textwrap.dedent(
    """
    import os, signal, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QLineEdit
    from ib_desktop.ui.recovery import RecoveryGuard

    class Db: url = sys.argv[1]
    class Ctx: db = Db()
    app = QApplication([])
    field = QLineEdit()
    guard = RecoveryGuard(
        Ctx(), "groeidocument:12", "Groeidocument Sanne", lambda: {"doel": field.text()}, None,
        delay_ms=20,
    )
    def crash(_key):
        os.kill(os.getpid(), signal.SIGKILL)   # the laptop dies right after the autosave
    guard.written.connect(crash)
    field.setText("Sanne rekent tot 100 met sprongen van 10")
    guard.changed()
    app.exec()
    """
)


def test_edits_survive_a_real_crash_and_are_offered(qtbot, fctx, tmp_path, monkeypatch) -> None:
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_EDITOR)
    result = subprocess.run(
        [sys.executable, str(script), fctx.db.url], timeout=60, env=os.environ.copy()
    )
    assert result.returncode == -signal.SIGKILL
    assert RecoveryGuard.pending_for(fctx, "groeidocument:12") == {
        "doel": "Sanne rekent tot 100 met sprongen van 10"
    }

    nav = RecordingNav()
    clicked = []

    def click_open() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RecoveredEditsDialog)
        assert "Groeidocument Sanne" in dialog.list.item(0).text()
        clicked.append(True)
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click_open)
    assert offer_recovered(fctx, nav, None) == 1
    assert clicked
    assert nav.calls == [("groeidocument", 12, None)]
    # Opening does not throw the edits away: the editor asks and applies them.
    assert RecoveryGuard.pending_for(fctx, "groeidocument:12") is not None


def test_offer_maps_every_key_kind(qtbot, fctx, monkeypatch) -> None:
    store = RecoveryStore(fctx.db.url)
    store.put("pupil:3", "Leerling", {})
    store.put("korte_interventie:new-pupil-8", "Nieuwe korte interventie", {})
    store.put("korte_interventie:5", "Korte interventie", {})
    store.put("raar:xyz", "Onbekend", {})
    monkeypatch.setattr(RecoveredEditsDialog, "exec", lambda self: self._on_open())
    warnings = []
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.warning", lambda *a, **k: warnings.append(a[2])
    )
    nav = RecordingNav()
    assert offer_recovered(fctx, nav, None) == 3
    assert sorted(nav.calls, key=str) == sorted(
        [("pupil", 3), ("korte_interventie", None, 8), ("korte_interventie", 5, None)], key=str
    )
    assert "Onbekend" in warnings[0]


def test_offer_discard_asks_and_removes(qtbot, fctx, no_dialogs, monkeypatch) -> None:
    RecoveryStore(fctx.db.url).put("pupil:3", "Leerling", {"a": 1})
    monkeypatch.setattr(RecoveredEditsDialog, "exec", lambda self: self._on_discard())
    assert offer_recovered(fctx, RecordingNav(), None) == 0
    assert no_dialogs["question"]  # confirmation was asked
    assert RecoveryGuard.pending_for(fctx, "pupil:3") is None


def test_offer_later_keeps(qtbot, fctx, monkeypatch) -> None:
    RecoveryStore(fctx.db.url).put("pupil:3", "Leerling", {"a": 1})
    monkeypatch.setattr(RecoveredEditsDialog, "exec", lambda self: self.reject())
    nav = RecordingNav()
    assert offer_recovered(fctx, nav, None) == 0
    assert nav.calls == []
    assert RecoveryGuard.pending_for(fctx, "pupil:3") == {"a": 1}


def test_nothing_to_offer_shows_nothing(qtbot, fctx, monkeypatch) -> None:
    monkeypatch.setattr(
        RecoveredEditsDialog, "exec", lambda self: pytest.fail("no dialog expected")
    )
    assert offer_recovered(fctx, RecordingNav(), None) == 0


def test_ask_restore_yes_keeps_until_saved_no_throws_away(qtbot, fctx, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    store = RecoveryStore(fctx.db.url)
    store.put("pupil:3", "Daan", {"a": 1})
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: (asked.append(a[2]), QMessageBox.StandardButton.Yes)[1],
    )
    assert ask_restore(fctx, "pupil:3", None) == {"a": 1}
    assert "Daan" in asked[0]
    assert "niet zijn opgeslagen" in asked[0]
    assert store.get("pupil:3") is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert ask_restore(fctx, "pupil:3", None) is None
    assert store.get("pupil:3") is None
    assert ask_restore(fctx, "pupil:3", None) is None


def test_opp_version_key_opens_its_opp(qtbot, ctx) -> None:
    import sqlalchemy as sa

    from ib_desktop.models import OppVersion

    with ctx.db.session() as s:
        version = s.scalars(sa.select(OppVersion).limit(1)).first()
        vid, opp_id = version.id, version.opp_id
    RecoveryStore(ctx.db.url).put(f"opp_version:{vid}", "OPP", {})
    from ib_desktop.ui.recovery import open_entry

    nav = RecordingNav()
    assert open_entry(ctx, nav, RecoveryStore(ctx.db.url).get(f"opp_version:{vid}"))
    assert nav.calls == [("opp", opp_id, None)]
