"""Op-/afschalen: escalate to the OPP level and see the missing OPP, de-escalate, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ib_desktop.models import LevelAssignment, Meeting, MeetingKind, Pupil
from ib_desktop.services import levels as level_service
from ib_desktop.services import pupil as pf
from ib_desktop.ui.pupil_file import level_dialog
from ib_desktop.ui.pupil_file.level_dialog import LevelChangeDialog
from ib_desktop.ui.pupil_file.shell import PupilFileWindow
from tests.conftest import TODAY
from tests.ui.pupil_helpers import (
    FakeNav,
    ModalDriver,
    active_pupil,
    answer_boxes,
    current_position,
    level_at,
)


@pytest.fixture(autouse=True)
def _boxes(monkeypatch) -> None:
    answer_boxes(monkeypatch, [], QMessageBox.StandardButton.Discard)


@pytest.fixture
def pupil_id(ctx) -> int:
    with ctx.db.session() as s:
        return active_pupil(s).id


def _dialog(qtbot, ctx, pupil_id) -> LevelChangeDialog:
    dialog = LevelChangeDialog(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _choose_level(dialog: LevelChangeDialog, position: int) -> None:
    index = next(i for i, lvl in enumerate(dialog.info["levels"]) if lvl.position == position)
    dialog.level_combo.setCurrentIndex(index)


def test_escalate_to_opp_level_warns_and_offers_to_start_opp(
    ctx, qtbot, no_dialogs, pupil_id
) -> None:
    nav = FakeNav()

    def escalate(dialog: LevelChangeDialog) -> None:
        assert "huidig niveau" in dialog.level_combo.itemText(0)
        _choose_level(dialog, 3)
        assert "Opschalen" in dialog.direction_label.text()
        # Before saving, live: level 3 requires an OPP the pupil lacks.
        assert dialog.missing_label.isVisible()
        assert "OPP" in dialog.missing_label.text()
        qtbot.keyClicks(dialog.reason_edit, "Geen groei na twee perioden extra instructie.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(LevelChangeDialog, escalate)
    change = LevelChangeDialog.change(None, ctx, pupil_id, nav=nav)
    driver.check()
    assert change is not None
    assert change.direction == "op"
    assert change.missing == ["opp"]
    # The offer after saving (answered Yes) opened a new OPP for this pupil.
    assert any("OPP" in q for q in no_dialogs["question"])
    assert nav.documents == [("opp", None, pupil_id)]
    with ctx.db.session() as s:
        assert current_position(s, pupil_id) == 3
        assert pupil_id in level_service.missing_documents_by_pupil(s, ctx.school_id, today=TODAY)


def test_pupil_file_flags_missing_opp_after_escalation(
    ctx, qtbot, no_dialogs, pupil_id, monkeypatch
) -> None:
    nav = FakeNav()
    window = PupilFileWindow(ctx, nav, pupil_id)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert not window.missing_banner.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)

    def escalate(dialog: LevelChangeDialog) -> None:
        _choose_level(dialog, 3)
        qtbot.keyClicks(dialog.reason_edit, "Zorgen over rekenen en lezen.")
        qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)

    driver = ModalDriver(LevelChangeDialog, escalate)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    driver.check()
    assert nav.documents == []  # the user said "not now"
    assert window.missing_banner.isVisible()
    assert "OPP" in window.missing_text.text()
    assert window.level_chip.text().startswith("Niveau 3")
    assert window.timeline.history().current().level.position == 3


def test_deescalate_says_afschalen(ctx, qtbot, no_dialogs, pupil_id) -> None:
    with ctx.db.session() as s:
        pupil = s.get(Pupil, pupil_id)
        s.execute(
            sa.update(LevelAssignment)
            .where(LevelAssignment.pupil_id == pupil_id)
            .values(start_date=TODAY - timedelta(days=400))
        )
        level_service.change_level(
            s,
            pupil,
            level_at(s, ctx.school_id, 2),
            TODAY - timedelta(days=100),
            "extra hulp",
            today=TODAY,
        )
    dialog = _dialog(qtbot, ctx, pupil_id)
    _choose_level(dialog, 1)
    assert "Afschalen" in dialog.direction_label.text()
    assert not dialog.missing_label.isVisible()
    qtbot.keyClicks(dialog.reason_edit, "Doelen behaald.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_change is not None
    assert dialog.result_change.direction == "af"
    with ctx.db.session() as s:
        assert current_position(s, pupil_id) == 1
        history = pf.level_history(s, pupil_id, today=TODAY)
    assert history.steps[-1].direction == "af"
    assert history.steps[-1].decided_by  # the IB-er was filled in by default


def test_empty_reason_refused_next_to_field(ctx, qtbot, no_dialogs, pupil_id) -> None:
    dialog = _dialog(qtbot, ctx, pupil_id)
    _choose_level(dialog, 2)
    qtbot.keyClicks(dialog.reason_edit, "   ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "reden" in dialog.errors.message("reason").lower()
    assert dialog.result_change is None
    with ctx.db.session() as s:
        assert current_position(s, pupil_id) == 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ((TODAY + timedelta(days=1)).strftime("%d-%m-%Y"), "toekomst"),
        ("30-02-2026", "geen bestaande datum"),
        ("01-01-2001", "vóór"),
    ],
)
def test_bad_decision_date_refused(ctx, qtbot, no_dialogs, pupil_id, text, fragment) -> None:
    dialog = _dialog(qtbot, ctx, pupil_id)
    _choose_level(dialog, 2)
    dialog.date_edit.selectAll()
    qtbot.keyClicks(dialog.date_edit, text)
    qtbot.keyClicks(dialog.reason_edit, "Reden")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert fragment in dialog.errors.message("start_date")
    with ctx.db.session() as s:
        assert current_position(s, pupil_id) == 1


def test_same_level_and_missing_decider_refused(ctx, qtbot, no_dialogs, pupil_id) -> None:
    dialog = _dialog(qtbot, ctx, pupil_id)
    _choose_level(dialog, 1)
    assert "al op dit niveau" in dialog.direction_label.text()
    dialog.decided_combo.setCurrentIndex(-1)
    dialog.decided_combo.setEditText("")
    qtbot.keyClicks(dialog.reason_edit, "Reden")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "al op dit niveau" in dialog.errors.message("level")
    assert "besluit" in dialog.errors.message("decided_by")


def test_new_meeting_created_with_the_decision(ctx, qtbot, no_dialogs, pupil_id) -> None:
    dialog = _dialog(qtbot, ctx, pupil_id)
    _choose_level(dialog, 2)
    qtbot.keyClicks(dialog.reason_edit, "Besproken in het ondersteuningsteam.")
    dialog.decided_combo.setEditText("Orthopedagoog SWV")
    qtbot.mouseClick(dialog.new_meeting, Qt.MouseButton.LeftButton)
    dialog.meeting_kind_combo.setCurrentIndex(dialog.meeting_kind_combo.findData(MeetingKind.OT))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    change = dialog.result_change
    assert change is not None
    assert change.meeting_id is not None
    with ctx.db.session() as s:
        meeting = s.get(Meeting, change.meeting_id)
        assert meeting.kind == MeetingKind.OT
        assert meeting.date == TODAY
        assert [p.id for p in meeting.pupils] == [pupil_id]
        assignment = s.get(LevelAssignment, change.assignment_id)
        assert (
            assignment.decided_by_name == "Orthopedagoog SWV"
        )
        assert (
            assignment.decided_by_id is None
        )


def test_new_meeting_after_decision_refused(ctx, qtbot, no_dialogs, pupil_id) -> None:
    dialog = _dialog(qtbot, ctx, pupil_id)
    _choose_level(dialog, 2)
    qtbot.keyClicks(dialog.reason_edit, "Reden")
    dialog.date_edit.selectAll()
    qtbot.keyClicks(dialog.date_edit, (TODAY - timedelta(days=3)).strftime("%d-%m-%Y"))
    qtbot.mouseClick(dialog.new_meeting, Qt.MouseButton.LeftButton)
    dialog.meeting_date_edit.setText(TODAY.strftime("%d-%m-%Y"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "na de datum van het besluit" in dialog.errors.message("meeting_date")
    with ctx.db.session() as s:
        assert current_position(s, pupil_id) == 1


def test_existing_meeting_linked(ctx, qtbot, no_dialogs, pupil_id) -> None:
    with ctx.db.session() as s:
        mid = pf.save_meeting(
            s,
            pupil_id,
            pf.MeetingData(kind=MeetingKind.KINDBESPREKING, date=TODAY - timedelta(days=2)),
            today=TODAY,
        )
    dialog = _dialog(qtbot, ctx, pupil_id)
    assert dialog.existing_meeting.isChecked()  # a recent meeting is the likely one
    assert dialog.meeting_combo.currentData() == mid
    _choose_level(dialog, 2)
    qtbot.keyClicks(dialog.reason_edit, "Afgesproken in de kindbespreking.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        assert s.get(LevelAssignment, dialog.result_change.assignment_id).meeting_id == mid


def test_area_escalation_leaves_whole_pupil_level(ctx, qtbot, no_dialogs, pupil_id) -> None:
    dialog = _dialog(qtbot, ctx, pupil_id)
    dialog.area_combo.setCurrentIndex(dialog.area_combo.findData("Rekenen"))
    assert "nog geen niveau" in dialog.current_label.text()
    _choose_level(dialog, 2)
    assert "Eerste niveau" in dialog.direction_label.text()
    qtbot.keyClicks(dialog.reason_edit, "Rekenen blijft achter.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        assert current_position(s, pupil_id) == 1
        assert level_service.current_assignment(s, pupil_id, "Rekenen").level.position == 2


def test_level_with_a_choice_of_documents(ctx, qtbot, no_dialogs, pupil_id, monkeypatch) -> None:
    nav = FakeNav()
    offered = []

    def choose(parent, kinds, label):
        offered.append(kinds)
        return "groeidocument"

    monkeypatch.setattr(level_dialog, "choose_document", choose)

    def escalate(dialog: LevelChangeDialog) -> None:
        _choose_level(dialog, 2)
        assert "korte interventie of groeidocument" in dialog.missing_label.text()
        qtbot.keyClicks(dialog.reason_edit, "Extra instructie nodig.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(LevelChangeDialog, escalate)
    with ctx.db.session() as s:
        s.execute(sa.delete(pf.ShortIntervention).where(pf.ShortIntervention.pupil_id == pupil_id))
        s.execute(sa.delete(pf.GrowthDocument).where(pf.GrowthDocument.pupil_id == pupil_id))
    LevelChangeDialog.change(None, ctx, pupil_id, nav=nav)
    driver.check()
    assert offered == [["korte_interventie", "groeidocument"]]
    assert nav.documents == [("groeidocument", None, pupil_id)]


def test_pupil_who_left_cannot_change_level(ctx, qtbot, no_dialogs, pupil_id) -> None:
    with ctx.db.session() as s:
        pf.leave_school(s, pupil_id, TODAY, "vo", today=TODAY)
    assert LevelChangeDialog.change(None, ctx, pupil_id) is None
    assert any("verlaten" in text for text in no_dialogs["information"])


def test_tab_order(ctx, qtbot, pupil_id) -> None:
    dialog = _dialog(qtbot, ctx, pupil_id)
    dialog.activateWindow()
    dialog.area_combo.setFocus()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.area_combo)
    seen = [dialog.focusWidget()]
    for _ in range(4):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget())
    # The date field's text box has the focus (the field also shows the date it reads).
    date_box = dialog.date_edit.line
    assert seen[:4] == [dialog.area_combo, dialog.level_combo, date_box, dialog.reason_edit]
    assert seen[4] in (dialog.decided_combo, dialog.decided_combo.lineEdit())


def test_cancel_with_reason_typed_asks(ctx, qtbot, monkeypatch, pupil_id) -> None:
    dialog = _dialog(qtbot, ctx, pupil_id)
    qtbot.keyClicks(dialog.reason_edit, "Half getypt")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()


def test_backdated_move_is_placed_in_the_history(ctx, qtbot, no_dialogs, pupil_id) -> None:
    """Issue 15: a move recorded late goes between the entries around its date."""
    with ctx.db.session() as s:
        pupil = s.get(Pupil, pupil_id)
        s.execute(
            sa.update(LevelAssignment)
            .where(LevelAssignment.pupil_id == pupil_id)
            .values(start_date=TODAY - timedelta(days=400))
        )
        level_service.change_level(
            s, pupil, level_at(s, ctx.school_id, 2), TODAY - timedelta(days=100), "extra hulp",
            today=TODAY,
        )  # fmt: skip
    dialog = _dialog(qtbot, ctx, pupil_id)
    _choose_level(dialog, 3)
    when = TODAY - timedelta(days=200)
    dialog.date_edit.selectAll()
    qtbot.keyClicks(dialog.date_edit, when.strftime("%d-%m-%Y"))
    assert dialog.history_label.isVisible()
    assert "in de geschiedenis" in dialog.history_label.text()
    assert "Opschalen" in dialog.direction_label.text()
    assert "niveau 1 naar niveau 3" in dialog.direction_label.text()
    assert not dialog.missing_label.isVisible()
    qtbot.keyClicks(dialog.reason_edit, "Toen al besproken in het OT.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_change is not None, dialog.errors.message("start_date")
    with ctx.db.session() as s:
        steps = pf.level_history(s, pupil_id, today=TODAY).steps
        assert current_position(s, pupil_id) == 2
    assert [(st.level.position, st.start, st.end) for st in steps] == [
        (1, TODAY - timedelta(days=400), when),
        (3, when, TODAY - timedelta(days=100)),
        (2, TODAY - timedelta(days=100), None),
    ]


def test_backdated_move_on_the_day_another_level_starts_is_refused(
    ctx, qtbot, no_dialogs, pupil_id
) -> None:
    with ctx.db.session() as s:
        pupil = s.get(Pupil, pupil_id)
        start = level_service.current_assignment(s, pupil_id).start_date
        level_service.change_level(
            s, pupil, level_at(s, ctx.school_id, 2), TODAY, "extra hulp", today=TODAY
        )
    dialog = _dialog(qtbot, ctx, pupil_id)
    _choose_level(dialog, 3)
    dialog.date_edit.selectAll()
    qtbot.keyClicks(dialog.date_edit, start.strftime("%d-%m-%Y"))
    qtbot.keyClicks(dialog.reason_edit, "Reden")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_change is None
    assert "dezelfde dag" in dialog.errors.message("start_date")
