"""The privacy screens: the dashboard's inzage and retention cards, the inzage dialog."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime, timedelta

import pytest
import pyzipper
import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from ib_desktop.models import Guardian, Pupil, PupilStatus, RetentionRecord
from ib_desktop.services import pupil as pf
from ib_desktop.services.privacy import inzage
from ib_desktop.ui.dashboard import DashboardPage
from ib_desktop.ui.privacy_cards import RetentionDialog
from ib_desktop.ui.pupil_file.inzage_dialog import InzageDialog, PasswordDialog
from ib_desktop.ui.widgets.table_model import select_source_row
from tests.conftest import TODAY
from tests.ui.test_dashboard import FakeNav


def _pupil_with_custody(s, index: int = 0) -> tuple[int, int, str]:
    pupil = s.scalars(
        sa.select(Pupil)
        .where(Pupil.status == PupilStatus.ACTIEF)
        .order_by(Pupil.id)
        .offset(index)
        .limit(1)
    ).one()
    guardian = s.scalars(sa.select(Guardian).where(Guardian.pupil_id == pupil.id)).first()
    guardian.has_custody = True
    s.flush()
    return pupil.id, guardian.id, pupil.full_name


@pytest.fixture
def page(ctx, qtbot, no_dialogs):
    nav = FakeNav()
    widget = DashboardPage(ctx, nav)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.loaded, timeout=20000)
    widget.nav_fake = nav  # type: ignore[attr-defined]
    return widget


def test_inzage_card_lists_open_requests_late_ones_in_red(ctx, page, qtbot) -> None:
    card = page.privacy.inzage_card
    assert card.count.text() == "0"
    with ctx.db.session() as s:
        late_id, late_guardian, late_name = _pupil_with_custody(s, 0)
        ok_id, ok_guardian, _ = _pupil_with_custody(s, 1)
        inzage.add_request(s, late_id, late_guardian, date(2026, 9, 1), today=TODAY)
        inzage.add_request(s, ok_id, ok_guardian, TODAY - timedelta(days=3), today=TODAY)
    page.nav_fake.notify_changed()
    qtbot.waitUntil(lambda: page.loaded and card.count.text() == "2", timeout=20000)
    first, second = card.buttons
    assert late_name in first.text()
    assert "te laat sinds 01-10-2026" in first.text()
    assert "b00020" in first.styleSheet()
    assert "uiterlijk 15 december 2026" in second.text()
    assert "b00020" not in second.styleSheet()
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert page.nav_fake.calls[-1] == ("pupil", late_id)


def test_retention_card_shows_the_list_and_deletes_after_confirmation(
    ctx, page, qtbot, no_dialogs
) -> None:
    with ctx.db.session() as s:
        pupil_id, _, name = _pupil_with_custody(s, 2)
        pf.leave_school(s, pupil_id, TODAY, "vo", today=TODAY)
        s.get(Pupil, pupil_id).delete_after = TODAY - timedelta(days=1)
    page.nav_fake.notify_changed()
    card = page.privacy.retention_card
    qtbot.waitUntil(lambda: page.loaded and card.count.text() == "1", timeout=20000)
    assert name in card.buttons[0].text()
    assert card.more.isVisible()

    seen = []

    def press_delete() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, RetentionDialog) and w.isVisible()
        )
        seen.append([row.name for row in dialog.model.rows()])
        dialog.delete_button.click()

    QTimer.singleShot(100, press_delete)
    qtbot.mouseClick(card.more, Qt.MouseButton.LeftButton)
    assert seen == [[name]]
    assert no_dialogs["question"]  # asked before deleting
    with ctx.db.session() as s:
        assert s.get(Pupil, pupil_id) is None
        assert s.scalars(sa.select(sa.func.count()).select_from(RetentionRecord)).one() == 1
    qtbot.waitUntil(lambda: page.loaded and card.count.text() == "0", timeout=20000)


def test_cancelling_the_retention_list_deletes_nothing(ctx, page, qtbot) -> None:
    with ctx.db.session() as s:
        pupil_id, _, _ = _pupil_with_custody(s, 2)
        pf.leave_school(s, pupil_id, TODAY, "vo", today=TODAY)
        s.get(Pupil, pupil_id).delete_after = TODAY
    page.nav_fake.notify_changed()
    card = page.privacy.retention_card
    qtbot.waitUntil(lambda: page.loaded and card.count.text() == "1", timeout=20000)

    def cancel() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, RetentionDialog) and w.isVisible():
                w.reject()

    QTimer.singleShot(100, cancel)
    qtbot.mouseClick(card.more, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        assert s.get(Pupil, pupil_id) is not None


def test_inzage_dialog_registers_completes_and_exports(
    ctx, qtbot, no_dialogs, tmp_path, monkeypatch
) -> None:
    with ctx.db.session() as s:
        pupil_id, guardian_id, name = _pupil_with_custody(s, 0)
    dialog = InzageDialog(ctx, pupil_id, name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.guardian_box.findData(guardian_id) >= 0
    dialog.guardian_box.setCurrentIndex(dialog.guardian_box.findData(guardian_id))
    dialog.received_field.line.clear()
    qtbot.keyClicks(dialog.received_field.line, "2-11-2026")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1
    row = dialog.model.row_at(0)
    assert row.received_on == date(2026, 11, 2)
    assert row.due_on == date(2026, 12, 2)
    # A date in the future is refused beside the field, nothing saved.
    dialog.received_field.line.clear()
    qtbot.keyClicks(dialog.received_field.line, "1-1-2027")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1
    assert dialog.errors.message("received_on")

    select_source_row(dialog.view, 0)
    assert dialog.done_button.isEnabled()
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert dialog.model.row_at(0).done_on == TODAY
    assert not dialog.done_button.isEnabled()

    target = tmp_path / "ouders" / "inzage.zip"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target.with_suffix("")), "")
    )
    monkeypatch.setattr(
        PasswordDialog, "get_password", classmethod(lambda cls, p=None: "geheim123")
    )
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert target.exists(), no_dialogs
    assert no_dialogs["information"]
    with zipfile.ZipFile(target) as z, pytest.raises(RuntimeError):
        z.read("gegevens.json")
    with pyzipper.AESZipFile(target) as z:
        z.setpassword(b"geheim123")
        data = json.loads(z.read("gegevens.json"))
    assert data["leerling"]["naam"] == name
    assert [r["done_on"] for r in data["tabellen"]["inzage_requests"]] == [TODAY.isoformat()]


def test_password_dialog_wants_two_equal_passwords(qtbot) -> None:
    dialog = PasswordDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.first, "kort")
    dialog._on_ok()
    assert "minstens" in dialog.message.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.first.clear()
    qtbot.keyClicks(dialog.first, "lang genoeg")
    qtbot.keyClicks(dialog.second, "anders nog")
    dialog._on_ok()
    assert "niet gelijk" in dialog.message.text()
    dialog.use.setChecked(False)
    dialog._on_ok()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.password() == ""


def test_the_pupil_file_opens_inzage_also_for_a_pupil_who_left(
    ctx, qtbot, no_dialogs, monkeypatch
) -> None:
    from ib_desktop.ui.pupil_file.shell import PupilFileWindow

    with ctx.db.session() as s:
        pupil_id, _, name = _pupil_with_custody(s, 3)
        pf.leave_school(s, pupil_id, TODAY, "vo", today=TODAY)
    opened = []
    monkeypatch.setattr(InzageDialog, "exec", lambda self: opened.append(self.pupil_name) or 0)
    window = PupilFileWindow(ctx, FakeNav(), pupil_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.inzage_action.isEnabled()
    assert not window.save_action.isEnabled()  # read-only: the file itself cannot change
    window.inzage_action.trigger()
    assert opened == [name]


def test_retention_card_names_old_backups_and_rotates_the_apps_own(
    ctx, page, qtbot, no_dialogs
) -> None:
    from dateutil.relativedelta import relativedelta

    from ib_desktop import backup as bk

    noon = datetime.combine(TODAY, datetime.min.time()).replace(hour=12)
    old_auto = bk.make_backup(
        ctx.db.path, reason=bk.AUTO, now=noon - relativedelta(years=4), rotation=False
    ).path
    old_manual = bk.make_backup(
        ctx.db.path, reason=bk.MANUAL, now=noon - relativedelta(years=5), rotation=False
    ).path
    page.nav_fake.notify_changed()
    card = page.privacy.retention_card
    label = page.privacy.backups_label
    qtbot.waitUntil(lambda: page.loaded and label.isVisible(), timeout=20000)
    assert "1 automatische back-up(s) ouder dan 3 jaar" in label.text()
    assert "1 handmatige back-up(s)" in label.text()
    assert str(old_manual) in label.toolTip()
    assert card.more.isVisible()

    def press_delete() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, RetentionDialog) and w.isVisible():
                assert str(old_manual) in w.backups_label.text()
                w.delete_button.click()

    QTimer.singleShot(100, press_delete)
    qtbot.mouseClick(card.more, Qt.MouseButton.LeftButton)
    assert not old_auto.exists()
    assert old_manual.exists()
    assert "1 oude back-up(s) verwijderd" in no_dialogs["information"][-1]
