"""The Vergaderingen page: plan the year, put a pupil on the agenda, record a decision."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from ib_desktop.models import LevelAssignment, Meeting, Pupil, PupilStatus
from ib_desktop.schedule.school_days import school_calendar


def _ascii_pupil(ctx) -> tuple[int, str]:
    with ctx.db.session() as s:
        for p in s.scalars(
            sa.select(Pupil).where(Pupil.school_id == ctx.school_id,
                                   Pupil.status == PupilStatus.ACTIEF).order_by(Pupil.id)
        ):  # fmt: skip
            if p.full_name.isascii():
                return p.id, p.full_name
    raise AssertionError("no pupil with a plain name")


def test_plan_year_add_pupil_and_decide_a_level(main_window, qtbot, monkeypatch) -> None:
    from ib_desktop.ui.meetings.plan_dialog import PlanYearDialog

    main_window.show_page("vergaderingen")
    page = main_window.page("vergaderingen")
    assert main_window.current_page_key() == "vergaderingen"
    ctx = main_window.ctx

    # Plan het jaar: MDO in weeks 39, 43 (herfstvakantie) and 10, typed
    dialog = PlanYearDialog(ctx, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    weeks = dialog.findChild(type(dialog.lines[0][1]), "weeks_mdo")
    weeks.clear()
    qtbot.keyClicks(weeks, "39, 43, 10")
    for kind, edit, _day, _group in dialog.lines:
        if str(kind) != "mdo":
            edit.clear()
    qtbot.mouseClick(dialog.propose_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 3
    # the weeks already past are not ticked; tick them by clicking their check boxes
    for row in range(3):
        index = dialog.model.index(row, 0)
        if dialog.model.data(index, Qt.ItemDataRole.CheckStateRole) != Qt.CheckState.Checked:
            rect = dialog.table.visualRect(index)
            qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton,
                             pos=rect.topLeft() + QPoint(8, rect.height() // 2))  # fmt: skip
    assert all(p.accepted for p in dialog.model._rows)
    # the IB-er moves the last one by a day: typed over the date cell
    last = dialog.model.index(2, 1)
    moved = dialog.model._rows[2].date + timedelta(days=1)
    dialog.table.setCurrentIndex(last)
    dialog.table.edit(last)
    editor_widget = dialog.table.viewport().findChild(QLineEdit)
    assert editor_widget is not None
    editor_widget.selectAll()
    qtbot.keyClicks(editor_widget, moved.strftime("%d-%m-%Y"))
    # what the delegate does on Enter (offscreen the key goes to the dialog's default button)
    dialog.table.itemDelegate().commitData.emit(editor_widget)
    assert dialog.model._rows[2].date == moved
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    assert len(dialog.created) == 3
    with ctx.db.session() as s:
        calendar = school_calendar(s, ctx.school_id)
        days = [s.get(Meeting, mid).date for mid in dialog.created]
    assert all(calendar.is_school_day(d) for d in days)
    assert sorted(d.isocalendar().week for d in days) == [10, 39, 44]
    assert moved in days

    # the page lists them; open the first one
    page.reload(dialog.created[0])
    assert page.model.rowCount() >= 3
    editor = page.editor
    assert editor.meeting_id == dialog.created[0]
    assert editor.isEnabled()

    # saving the fields keeps the notes written elsewhere (the pupil file)
    with ctx.db.session() as s:
        s.get(Meeting, dialog.created[0]).notes = "Ouders komen ook"
    editor.load(dialog.created[0])
    editor.title_edit.clear()
    qtbot.keyClicks(editor.title_edit, "MDO najaar")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        saved = s.get(Meeting, dialog.created[0])
        assert (saved.title, saved.notes) == ("MDO najaar", "Ouders komen ook")

    # add a pupil by typing their name and clicking
    pid, name = _ascii_pupil(ctx)
    editor.pupil_combo.lineEdit().clear()
    qtbot.keyClicks(editor.pupil_combo.lineEdit(), name)
    qtbot.mouseClick(editor.add_pupil_button, Qt.MouseButton.LeftButton)
    assert [a.pupil_id for a in editor.agenda_model._rows] == [pid]
    editor.agenda_table.selectRow(0)
    assert editor.current_pupil().pupil_id == pid

    # record the decision: minutes typed, a level chosen, the reason typed, click
    qtbot.keyClicks(editor.minutes_edit, "Besproken met de leerkracht")
    qtbot.keyClicks(editor.decision_edit, "Opschalen")
    editor.level_combo.setCurrentIndex(editor.level_combo.count() - 1)
    level_id = editor.level_combo.currentData()
    qtbot.keyClicks(editor.level_reason, "Meer steun nodig")
    qtbot.mouseClick(editor.level_button, Qt.MouseButton.LeftButton)
    assert editor.pupil_error.text() == ""
    with ctx.db.session() as s:
        latest = s.scalars(
            sa.select(LevelAssignment)
            .where(LevelAssignment.pupil_id == pid)
            .order_by(LevelAssignment.id.desc())
        ).first()
        assert latest.level_id == level_id
        assert latest.meeting_id == dialog.created[0]
    line = editor.current_pupil()
    assert "Besproken met de leerkracht" in line.minutes
    assert "Meer steun nodig" in line.decision

    # a task with a date lands among the deadlines
    qtbot.keyClicks(editor.task_edit, "Ouders bellen")
    qtbot.mouseClick(editor.task_button, Qt.MouseButton.LeftButton)
    from ib_desktop.services import deadlines

    with ctx.db.session() as s:
        tasks = [d for d in deadlines.collect(s, ctx.school_id, ctx.today())
                 if d.kind == "vergadertaak"]  # fmt: skip
    assert [d.pupil_id for d in tasks] == [pid]


def test_meetings_page_fits_1366x768(main_window, qtbot) -> None:
    main_window.resize(1366, 768)
    main_window.show_page("vergaderingen")
    page = main_window.page("vergaderingen")
    assert page.minimumSizeHint().width() <= 1366 - 200
    assert page.minimumSizeHint().height() <= 768 - 60


def test_a_teacher_sees_no_meetings_to_edit(ctx, qtbot) -> None:
    from dataclasses import dataclass

    from ib_desktop.domain_types import AccountRole, StaffRole
    from ib_desktop.ui.context import AppContext
    from ib_desktop.ui.meetings import MeetingsPage

    @dataclass(frozen=True)
    class User:
        staff_id: int
        name: str
        role: StaffRole
        login: str
        account_role: AccountRole

    teacher = AppContext(db=ctx.db, school_id=ctx.school_id, today_fn=ctx.today_fn,
                         user=User(1, "Meester Bram", StaffRole.LEERKRACHT, "bram",
                                   AccountRole.LEERKRACHT))  # fmt: skip
    page = MeetingsPage(teacher, None)
    qtbot.addWidget(page)
    assert not page.plan_button.isEnabled()
    assert not page.new_button.isEnabled()
    assert page.model.rowCount() == 0
    ib = MeetingsPage(ctx, None)
    qtbot.addWidget(ib)
    assert ib.plan_button.isEnabled()


def test_printing_the_invitation_from_the_editor_is_logged(main_window, qtbot,
                                                          monkeypatch) -> None:  # fmt: skip
    from ib_desktop.models import ViewLogEntry
    from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    shown: list[tuple[str, bytes]] = []
    monkeypatch.setattr(PdfPreviewDialog, "preview", classmethod(
        lambda cls, parent, pdf, title, name: shown.append((title, pdf))))  # fmt: skip
    main_window.show_page("vergaderingen")
    page = main_window.page("vergaderingen")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    pid, name = _ascii_pupil(main_window.ctx)
    qtbot.keyClicks(editor.pupil_combo.lineEdit(), name)
    qtbot.mouseClick(editor.add_pupil_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.attendee_name, "Jeroen de Wit")
    editor.attendee_role.setCurrentText("consulent SWV")
    qtbot.mouseClick(editor.attendee_add, Qt.MouseButton.LeftButton)
    assert [a.name for a in editor.attendee_model._rows] == ["Jeroen de Wit"]
    qtbot.mouseClick(editor.invite_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    assert shown[0][1].startswith(b"%PDF")
    with main_window.ctx.db.session() as s:
        logged = s.scalars(sa.select(ViewLogEntry).where(ViewLogEntry.pupil_id == pid)).all()
        assert any("Uitnodiging" in e.what for e in logged)
