"""Restricted reports, the SWV release, the view log and zienswijze ouders in the pupil file.

Driven as a user: the IB-er marks a report sensitive in the assessment dialog; a teacher who
opens the same file sees that the report exists and not what it says, and cannot save it; the
IB-er's "Wie zag wat" tab shows the teacher's open and a print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ib_desktop.domain_types import AccountRole, StaffRole
from ib_desktop.services import pupil as pf
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.pupil_file.child_dialogs import AssessmentDialog, MeetingDialog
from ib_desktop.ui.pupil_file.parent_view_dialog import ParentViewDialog
from ib_desktop.ui.pupil_file.shell import PupilFileWindow
from ib_desktop.ui.widgets import view_logging
from tests.conftest import TODAY
from tests.ui.pupil_helpers import FakeNav, ModalDriver, active_pupil, answer_boxes

SECRET = "Totaal IQ 74; vermoeden ADHD"


@dataclass(frozen=True)
class AccountUser:
    """A CurrentUser as the accounts issue fills it (with ``account_role``)."""

    staff_id: int
    name: str
    role: StaffRole
    login: str
    account_role: AccountRole


@pytest.fixture(autouse=True)
def _boxes(monkeypatch) -> None:
    answer_boxes(monkeypatch, [], QMessageBox.StandardButton.Discard)


@pytest.fixture
def previews(monkeypatch) -> list[str]:
    """The print previews shown (their titles), without a modal window."""
    from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    shown: list[str] = []

    def fake(cls, parent, pdf, title, name) -> None:
        shown.append(title)

    monkeypatch.setattr(PdfPreviewDialog, "preview", classmethod(fake))
    return shown


@pytest.fixture
def pupil_id(ctx) -> int:
    with ctx.db.session() as s:
        return active_pupil(s).id


def _teacher_ctx(ctx: AppContext) -> AppContext:
    user = AccountUser(1, "Meester Bram", StaffRole.LEERKRACHT, "bram", AccountRole.LEERKRACHT)
    return AppContext(db=ctx.db, school_id=ctx.school_id, today_fn=lambda: TODAY, user=user)


def _open(qtbot, ctx, pupil_id) -> PupilFileWindow:
    w = PupilFileWindow(ctx, FakeNav(), pupil_id)
    qtbot.addWidget(w)
    w.show()
    return w


def _tab_titles(w: PupilFileWindow) -> list[str]:
    return [w.tabs.tabText(i) for i in range(w.tabs.count())]


def test_the_ui_actions_match_the_view_log_service() -> None:
    from ib_desktop.services import view_log

    assert (view_logging.OPENED, view_logging.PRINTED, view_logging.EXPORTED) == (
        view_log.OPENED, view_log.PRINTED, view_log.EXPORTED,
    )  # fmt: skip


def test_a_report_marked_sensitive_is_hidden_from_a_teacher(
    ctx, qtbot, no_dialogs, pupil_id, previews
) -> None:
    ib = _open(qtbot, ctx, pupil_id)

    def fill(dialog: AssessmentDialog) -> None:
        qtbot.keyClicks(dialog.date_edit.line, "01-10-2026")
        dialog.kind_combo.setCurrentText("Psychologisch onderzoek")
        qtbot.keyClicks(dialog.by_edit, "Praktijk Noord")
        qtbot.keyClicks(dialog.conclusion_edit, SECRET)
        qtbot.mouseClick(dialog.sensitive_check, Qt.MouseButton.LeftButton)
        assert dialog.sensitive_check.isChecked()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(AssessmentDialog, fill)
    qtbot.mouseClick(ib.record_tabs["assessments"].add_button, Qt.MouseButton.LeftButton)
    driver.check()
    tab = ib.record_tabs["assessments"]
    assert tab.select_where(lambda a: a.kind == "Psychologisch onderzoek")
    assert tab.current().conclusion == SECRET  # the IB-er reads it

    teacher = _open(qtbot, _teacher_ctx(ctx), pupil_id)
    ttab = teacher.record_tabs["assessments"]
    assert ttab.select_where(lambda a: a.kind == "Psychologisch onderzoek")
    row = ttab.current()
    assert row.restricted
    assert row.conclusion == ""
    shown = [
        ttab.proxy.index(ttab.view.currentIndex().row(), c).data()
        for c in range(ttab.proxy.columnCount())
    ]
    assert "Vertrouwelijk - alleen voor IB en directie" in shown
    assert not any(SECRET in (text or "") for text in shown)
    assert "Wie zag wat" not in _tab_titles(teacher)

    def look(dialog: AssessmentDialog) -> None:
        assert dialog.conclusion_edit.toPlainText() == ""
        assert dialog.by_edit.text() == ""
        assert dialog.note.isVisible()
        assert "Vertrouwelijk" in dialog.note.text()
        assert not dialog.save_button.isVisible()
        dialog.reject()

    driver = ModalDriver(AssessmentDialog, look)
    ttab.view.setFocus()
    qtbot.keyClick(ttab, Qt.Key.Key_Return)
    driver.check()

    # The teacher's one-page print is logged; the IB-er sees the open and the print.
    teacher._on_print_profile()
    assert previews
    ib._on_print()
    ib.reload()
    log = ib.view_log_tab
    assert log is not None
    rows = {(r.actor, r.action, r.what) for r in log.model.rows()}
    assert ("Meester Bram", "geopend", "leerlingdossier") in rows
    assert ("Meester Bram", "afgedrukt", "Eén pagina voor overleg") in rows
    assert ("Test IB-er", "afgedrukt", "Leerlingoverzicht") in rows
    ib.tabs.setCurrentWidget(log)
    texts = [log.proxy.index(r, 3).data() for r in range(log.proxy.rowCount())]
    assert "afgedrukt" in texts
    assert "geopend" in texts


def test_release_to_the_swv_from_the_assessment_dialog(ctx, qtbot, no_dialogs, pupil_id):
    with ctx.db.session() as s:
        gid = pf.save_guardian(s, pupil_id, pf.GuardianData(name="Moeder Jansen"))
        aid = pf.save_assessment(
            s, pupil_id,
            pf.AssessmentData(date=date(2026, 10, 1), kind="Medisch onderzoek", conclusion="x",
                              sensitive=True),
            today=TODAY,
        )  # fmt: skip
    dialog = AssessmentDialog(None, ctx, pupil_id, aid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.load()
    assert not dialog.release_guardian.isEnabled()
    qtbot.mouseClick(dialog.release_check, Qt.MouseButton.LeftButton)
    assert dialog.release_guardian.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "gezag" in dialog.errors.message("swv_guardian_id")  # no guardian chosen yet
    dialog.release_guardian.setCurrentIndex(dialog.release_guardian.findData(gid))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_id == aid
    with ctx.db.session() as s:
        [released] = pf.released_for_swv(s, pupil_id)
    assert (released.swv_guardian_name, released.swv_released_on) == ("Moeder Jansen", TODAY)
    assert released.swv_released_by == "Test IB-er"


def test_a_confidential_meeting_and_a_parent_view_beside_it(
    ctx, qtbot, no_dialogs, pupil_id
) -> None:
    with ctx.db.session() as s:
        pf.save_guardian(s, pupil_id, pf.GuardianData(name="Vader Jansen"))
    w = _open(qtbot, ctx, pupil_id)

    def fill(dialog: MeetingDialog) -> None:
        qtbot.keyClicks(dialog.title_edit, "Gesprek thuissituatie")
        qtbot.keyClicks(dialog.decisions_edit, "Melding overwegen")
        qtbot.mouseClick(dialog.confidential_check, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(MeetingDialog, fill)
    qtbot.mouseClick(w.record_tabs["meetings"].add_button, Qt.MouseButton.LeftButton)
    driver.check()
    tab = w.record_tabs["meetings"]
    assert tab.select_where(lambda m: m.title == "Gesprek thuissituatie")
    assert tab.current().confidential

    def give_view(dialog: ParentViewDialog) -> None:
        assert "Gesprek thuissituatie" in dialog.about_label.text()
        dialog.guardian_combo.setCurrentIndex(dialog.guardian_combo.findText("Vader Jansen"))
        qtbot.keyClicks(dialog.text_edit, "Wij zien het anders: het gaat thuis goed")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(ParentViewDialog, give_view)
    qtbot.mouseClick(w.parent_view_buttons["meetings"], Qt.MouseButton.LeftButton)
    driver.check()
    assert tab.select_where(lambda m: m.title == "Gesprek thuissituatie")
    [view] = tab.current().parent_views
    assert (view.guardian_name, view.text) == (
        "Vader Jansen", "Wij zien het anders: het gaat thuis goed",
    )  # fmt: skip
    column = [c.title for c in tab.model.COLUMNS].index("Zienswijze ouders")
    assert tab.proxy.index(tab.view.currentIndex().row(), column).data() == "1 zienswijze(n)"

    teacher = _open(qtbot, _teacher_ctx(ctx), pupil_id)
    ttab = teacher.record_tabs["meetings"]
    assert ttab.select_where(lambda m: m.title == "Gesprek thuissituatie")
    assert ttab.current().decisions == ""
    assert ttab.current().parent_views[0].text == ""


def test_parents_view_on_a_level_decision(ctx, qtbot, no_dialogs, pupil_id) -> None:
    with ctx.db.session() as s:
        pf.save_guardian(s, pupil_id, pf.GuardianData(name="Moeder Smit"))
    w = _open(qtbot, ctx, pupil_id)
    tab = w.levels_tab
    assert tab.select_where(lambda step: step.end is None)
    assert w.level_view_button.isEnabled()

    def give_view(dialog: ParentViewDialog) -> None:
        assert "niveaubesluit" in dialog.about_label.text()
        dialog.guardian_combo.setCurrentIndex(dialog.guardian_combo.findText("Moeder Smit"))
        qtbot.keyClicks(dialog.text_edit, "Wij willen eerst een gesprek")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(ParentViewDialog, give_view)
    qtbot.mouseClick(w.level_view_button, Qt.MouseButton.LeftButton)
    driver.check()
    assert tab.select_where(lambda step: step.end is None)
    [view] = tab.current().parent_views
    assert view.text == "Wij willen eerst een gesprek"


def test_printing_a_groups_opps_is_logged_and_a_teacher_gets_no_sensitive_report(
    ctx, qtbot, no_dialogs
) -> None:
    import io

    import sqlalchemy as sa
    from pypdf import PdfReader

    from ib_desktop.models import Group, Opp, ViewLogEntry
    from ib_desktop.ui.print_dialogs import GroupOppsChoice, build_group_opps

    with ctx.db.session() as s:
        # An OPP whose newest version is a concept shows the live file (a new report too).
        opp = next(
            o for o in s.scalars(sa.select(Opp).order_by(Opp.id))
            if o.pupil.group_id and max(o.versions, key=lambda v: v.number).status == "concept"
        )  # fmt: skip
        group = s.get(Group, opp.pupil.group_id)
        choice = GroupOppsChoice(group.id, group.name, include_sensitive=True)
        pf.save_assessment(
            s, opp.pupil_id,
            pf.AssessmentData(date=date(2026, 10, 1), kind="Medisch onderzoek",
                              conclusion=SECRET, sensitive=True),
            today=TODAY,
        )  # fmt: skip
    def text(results) -> str:
        return " ".join(
            page.extract_text() for _i, pdf in results for page in PdfReader(io.BytesIO(pdf)).pages
        )

    assert SECRET in " ".join(text(build_group_opps(ctx, None, choice)).split())
    results = build_group_opps(_teacher_ctx(ctx), None, choice)
    assert results
    assert SECRET not in " ".join(text(results).split())
    with ctx.db.session() as s:
        logged = s.execute(
            sa.select(ViewLogEntry.pupil_id, ViewLogEntry.actor, ViewLogEntry.what)
        ).all()
    expected = {(item.pupil_id, "Meester Bram", f"OPP (groep {group.name})") for item, _ in results}
    assert expected <= set(logged)
