"""The teachers' screen "Evaluaties" and the evaluation dialog, driven as a teacher would."""

from __future__ import annotations

import warnings
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QMessageBox

from ib_desktop.models import (
    ChangeLog,
    DocumentStatus,
    GrowthDocument,
    Outcome,
    Pupil,
    PupilStatus,
    ShortIntervention,
)
from ib_desktop.schedule import compute_moments
from ib_desktop.services import plans
from ib_desktop.ui import growth_editor, intervention_editor
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.evaluation_dialog import EvaluationDialog
from ib_desktop.ui.evaluations import EvaluationListModel, EvaluationsPage
from ib_desktop.ui.growth_editor import ClosePeriodDialog
from ib_desktop.ui.widgets.forms import to_qdate
from ib_desktop.validation import ReadOnlyError
from tests.conftest import TODAY

CTRL = Qt.KeyboardModifier.ControlModifier


def _busiest_teacher(ctx) -> int:
    """The demo teacher with the most evaluations due (at least two)."""
    with ctx.db.session() as s:
        counts = {
            t.id: len(plans.evaluation_tasks(s, ctx.school_id, t.id, today=TODAY))
            for t in plans.teachers(s, ctx.school_id)
        }
    teacher = max(counts, key=lambda k: (counts[k], -k))
    assert counts[teacher] >= 2
    return teacher


@pytest.fixture
def page(main_window, qtbot) -> EvaluationsPage:
    main_window.show_page("evaluaties")
    widget = main_window.page("evaluaties")
    assert isinstance(widget, EvaluationsPage)
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    return widget


def _choose_teacher(page: EvaluationsPage, teacher_id: int) -> None:
    page.teacher_combo.setCurrentIndex(page.teacher_combo.findData(teacher_id))


def _rows(page: EvaluationsPage) -> list[plans.EvaluationTask]:
    return [
        page.proxy.index(r, 0).data(EvaluationListModel.TASK_ROLE)
        for r in range(page.proxy.rowCount())
    ]


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def _fill_current(qtbot, page: EvaluationsPage, text: str, outcome: Outcome) -> None:
    for block in page.form.blocks:
        _type(qtbot, block.evaluation_edit, f"{text} ({block.target.label})")
        block.outcome_combo.setCurrentIndex(block.outcome_combo.findData(outcome.value))


def test_list_shows_the_teachers_due_and_overdue_evaluations(ctx, page, model_tester) -> None:
    teacher = _busiest_teacher(ctx)
    _choose_teacher(page, teacher)
    model_tester(page.model)
    model_tester(page.proxy)
    tasks = _rows(page)
    with ctx.db.session() as s:
        expected = plans.evaluation_tasks(s, ctx.school_id, teacher, today=TODAY)
    assert sorted(t.moment_key for t in tasks) == sorted(t.moment_key for t in expected)
    assert [t.due for t in tasks] == sorted(t.due for t in tasks)  # oldest first
    assert all(t.due <= TODAY + timedelta(days=14) for t in tasks)
    assert all(t.responsible_id == teacher for t in tasks)
    overdue = [r for r, t in enumerate(tasks) if t.due < TODAY]
    assert overdue, "the demo school has overdue evaluations"
    brush = page.proxy.index(overdue[0], EvaluationListModel.COL_STATE).data(
        Qt.ItemDataRole.ForegroundRole
    )
    assert isinstance(brush, QBrush)
    assert brush.color().name() == "#b00020"
    assert "te laat" in page.proxy.index(overdue[0], EvaluationListModel.COL_STATE).data()
    assert "waarvan" in page.summary_label.text()
    # The first one is open in the form, with its context read-only.
    assert page.form.task.moment_key == tasks[0].moment_key
    block = page.form.blocks[0]
    assert block.goal_view.isReadOnly()
    assert not block.evaluation_edit.isReadOnly()


def test_teacher_choice_is_remembered(ctx, main_window, page) -> None:
    # Issue 15 changed where the choice lives: in the database (per login), no longer as a
    # raw id in the OS QSettings; a fresh context on the same database finds it.
    teacher = _busiest_teacher(ctx)
    _choose_teacher(page, teacher)
    assert QSettings().value("evaluaties/leerkracht") is None
    fresh = AppContext(db=ctx.db, school_id=ctx.school_id, actor="Test IB-er")
    assert fresh.user_staff_id == teacher
    again = EvaluationsPage(fresh, main_window)
    assert again.teacher_id() == teacher
    again.deleteLater()


def test_write_evaluations_in_one_pass(ctx, page, qtbot, no_dialogs) -> None:
    teacher = _busiest_teacher(ctx)
    _choose_teacher(page, teacher)
    first = page.form.task
    goals_before = {t.key: t.goal for t in first.targets}
    _fill_current(qtbot, page, "Goed gegaan", Outcome.DEELS_BEHAALD)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, CTRL)  # Opslaan en volgende

    second = page.form.task
    assert second.moment_key != first.moment_key
    assert QApplication.focusWidget() is page.form.blocks[0].evaluation_edit  # ready to type
    row = next(r for r, t in enumerate(_rows(page)) if t.moment_key == first.moment_key)
    assert page.proxy.index(row, EvaluationListModel.COL_STATE).data() == "\u2713 Ingevuld"
    with ctx.db.session() as s:
        saved = plans.load_evaluation_task(s, first.moment)
        log_fields = set(
            s.scalars(
                sa.select(ChangeLog.field).where(
                    ChangeLog.entity == first.source_kind, ChangeLog.entity_id == first.source_id
                )
            )
        )
    assert saved.complete
    assert all(
        t.outcome == Outcome.DEELS_BEHAALD and t.evaluated_by_id == teacher for t in saved.targets
    )
    assert all(t.evaluated_on == TODAY for t in saved.targets)
    assert {t.key: t.goal for t in saved.targets} == goals_before  # only evaluation fields written
    assert all(
        f.rsplit("· ", 1)[-1] in {"evaluatie", "uitkomst", "geëvalueerd door", "geëvalueerd op"}
        for f in log_fields
    )

    _fill_current(qtbot, page, "Ook klaar", Outcome.BEHAALD)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.form.task.complete
    assert "2 ingevuld" in page.summary_label.text()


def test_missing_outcome_is_shown_beside_the_field(ctx, page, qtbot, no_dialogs) -> None:
    _choose_teacher(page, _busiest_teacher(ctx))
    task = page.form.task
    block = page.form.blocks[0]
    _type(qtbot, block.evaluation_edit, "Zonder uitkomst")
    page.save_and_next()
    assert page.form.task.moment_key == task.moment_key  # stayed
    assert "uitkomst" in page.form.errors.message(f"{block.target.key}:outcome")
    with ctx.db.session() as s:
        assert not plans.load_evaluation_task(s, task.moment).targets[0].evaluation


def test_switching_with_unsaved_text_asks(ctx, page, qtbot, monkeypatch) -> None:
    _choose_teacher(page, _busiest_teacher(ctx))
    task = page.form.task
    _type(qtbot, page.form.blocks[0].evaluation_edit, "Half af")
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Cancel,
    )
    page.table.selectRow(1)
    assert asked
    assert "nog niet opgeslagen" in asked[0]
    assert page.form.task.moment_key == task.moment_key
    assert page.form.blocks[0].evaluation_edit.toPlainText() == "Half af"


def test_context_fields_cannot_be_edited(ctx, page, qtbot) -> None:
    _choose_teacher(page, _busiest_teacher(ctx))
    block = page.form.blocks[0]
    before = block.goal_view.toPlainText()
    block.goal_view.setFocus()
    qtbot.keyClicks(block.goal_view, "extra")
    assert block.goal_view.toPlainText() == before


def test_evaluation_dialog_enters_one_moment(ctx, qtbot, monkeypatch, no_dialogs) -> None:
    teacher = _busiest_teacher(ctx)
    with ctx.db.session() as s:
        moment = next(
            m
            for m in compute_moments(s, ctx.school_id, today=TODAY, end=TODAY + timedelta(days=14))
            if m.responsible_id == teacher and m.source_kind == "korte_interventie"
        )

    def exec_(dialog: EvaluationDialog) -> int:
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        block = dialog.form.blocks[0]
        _type(qtbot, block.evaluation_edit, "Via de agenda")
        block.outcome_combo.setCurrentIndex(block.outcome_combo.findData(Outcome.BEHAALD.value))
        qtbot.keyClick(block.evaluation_edit, Qt.Key.Key_S, CTRL)
        return dialog.result()

    monkeypatch.setattr(EvaluationDialog, "exec", exec_)
    assert EvaluationDialog.enter(None, ctx, moment)
    with ctx.db.session() as s:
        row = s.get(ShortIntervention, moment.source_id)
        assert (row.evaluation, row.outcome, row.evaluated_on) == (
            "Via de agenda",
            Outcome.BEHAALD,
            TODAY,
        )


def test_evaluation_dialog_for_a_meeting_says_there_is_nothing_to_evaluate(ctx, no_dialogs) -> None:
    with ctx.db.session() as s:
        moment = next(
            m for m in compute_moments(s, ctx.school_id, today=TODAY) if m.source_kind == "meeting"
        )
    assert not EvaluationDialog.enter(None, ctx, moment)
    assert no_dialogs["information"]
    assert "niets te evalueren" in no_dialogs["information"][0]


# ---------------------------------------------------------------------- the whole story


def _editor(window, qtbot):
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    _activate(qtbot, window)
    return window


def _activate(qtbot, window) -> None:
    """Make a window the active one (for its shortcuts).

    The offscreen platform stops activating windows once the active window was closed; the
    application-level call still works there.
    """
    window.activateWindow()
    try:
        qtbot.waitUntil(window.isActiveWindow, timeout=500)
    except qtbot.TimeoutError:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            QApplication.setActiveWindow(window)
        qtbot.waitUntil(window.isActiveWindow)


def _save(qtbot, window) -> None:
    _activate(qtbot, window)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_S, CTRL)


def test_write_evaluate_from_teacher_screen_and_close(
    ctx, main_window, page, qtbot, monkeypatch, no_dialogs
) -> None:
    """The issue's story: write both documents, evaluate them as the teacher, close them."""
    with ctx.db.session() as s:
        pupil = s.scalars(
            sa.select(Pupil)
            .where(
                Pupil.status == PupilStatus.ACTIEF,
                Pupil.group_id.is_not(None),
                Pupil.id.not_in(sa.select(GrowthDocument.pupil_id)),
                Pupil.id.not_in(sa.select(ShortIntervention.pupil_id)),
            )
            .order_by(Pupil.id)
        ).first()
        pupil_id, pupil_name, teacher_id = pupil.id, pupil.full_name, pupil.group.teachers[0].id
    nav = main_window

    # 1. A korte interventie, typed in, ending in five days.
    iv = _editor(intervention_editor.open_editor(ctx, nav, pupil_id=pupil_id), qtbot)
    iv.start_edit.setDate(iv.start_edit.date().addDays(-28))
    iv.end_edit.setDate(iv.end_edit.date().addDays(-37))  # TODAY + 5 days
    _type(qtbot, iv.goal_edit, "Leest 40 woorden per minuut")
    _type(qtbot, iv.execution_edit, "- elke dag samen lezen")
    iv.activate_action.trigger()
    assert iv.data.status == DocumentStatus.ACTIEF
    assert iv.data.end_date == TODAY + timedelta(days=5)

    # 2. A groeidocument whose first period ended a week ago.
    gd = _editor(growth_editor.open_editor(ctx, nav, pupil_id=pupil_id), qtbot)
    p1 = gd.pages[0]
    p1.start_edit.setDate(p1.start_edit.date().addDays(-63))
    p1.end_edit.setDate(p1.start_edit.date().addDays(56))  # TODAY - 7
    _type(qtbot, p1.cells["Rekenen"].goal_edit, "Tafels van 2 en 5")
    _type(qtbot, p1.cells["Taal"].goal_edit, "Vertelt in drie zinnen")
    gd.activate_action.trigger()
    assert gd.data.status == DocumentStatus.ACTIEF

    # 3. The teacher evaluates both from the Evaluaties screen.
    _choose_teacher(page, teacher_id)
    page.reload()
    mine = [t for t in _rows(page) if t.pupil_id == pupil_id]
    assert {t.source_kind for t in mine} == {"korte_interventie", "groeidocument"}
    growth_row = next(
        r
        for r, t in enumerate(_rows(page))
        if t.pupil_id == pupil_id and t.source_kind == "groeidocument"
    )
    assert _rows(page)[growth_row].is_overdue(TODAY)
    page.select_row(growth_row)
    assert [b.target.label for b in page.form.blocks] == ["Rekenen", "Taal"]
    for block, outcome in zip(
        page.form.blocks, (Outcome.NIET_BEHAALD, Outcome.BEHAALD), strict=True
    ):
        _type(qtbot, block.evaluation_edit, f"Periode 1: {block.target.label}")
        block.outcome_combo.setCurrentIndex(block.outcome_combo.findData(outcome.value))
    assert page.save_current()
    iv_row = next(
        r
        for r, t in enumerate(_rows(page))
        if t.pupil_id == pupil_id and t.source_kind == "korte_interventie"
    )
    page.select_row(iv_row)
    _fill_current(qtbot, page, "Gehaald", Outcome.BEHAALD)
    assert page.save_current()

    # 4. Close the first period (the dialog shows the teacher's evaluations), go on with period 2.
    assert gd.close()  # the editors reload what the teacher wrote
    assert iv.close()
    gd = _editor(growth_editor.open_editor(ctx, nav, doc_id=gd.data.id), qtbot)
    assert gd.pages[0].cells["Rekenen"].evaluation_edit.toPlainText() == "Periode 1: Rekenen"
    seen = []

    def close_as_shown(dialog: ClosePeriodDialog) -> int:
        seen.append(dialog.values())
        dialog.show()
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ClosePeriodDialog, "exec", close_as_shown)
    assert gd.add_period()  # asks to close period 1 first (answered yes), then carries over
    assert seen[0]["Rekenen"] == ("Periode 1: Rekenen", Outcome.NIET_BEHAALD)
    p2 = gd.pages[1]
    assert p2.cells["Rekenen"].goal_edit.toPlainText() == "Tafels van 2 en 5"
    assert not p2.cells["Rekenen"].carried_label.isHidden()
    p2.end_edit.setDate(to_qdate(TODAY + timedelta(days=7)))  # a short second period
    _save(qtbot, gd)
    assert gd.data.periods[1].end_date == TODAY + timedelta(days=7)

    # 5. Period 2 evaluated from the teacher screen, then the document and the intervention closed.
    page.reload()
    task2 = next(
        t for t in _rows(page) if t.source_kind == "groeidocument" and t.pupil_id == pupil_id
    )
    page.select_row(_rows(page).index(task2))
    assert [b.target.label for b in page.form.blocks] == ["Rekenen"]
    _fill_current(qtbot, page, "Nu wel", Outcome.BEHAALD)
    assert page.save_current()
    gd.close()
    gd = _editor(growth_editor.open_editor(ctx, nav, doc_id=gd.data.id), qtbot)
    gd.close_doc_action.trigger()  # period 2 is closed through the dialog first
    assert gd.data.status == DocumentStatus.AFGESLOTEN
    iv = _editor(intervention_editor.open_editor(ctx, nav, doc_id=iv.data.id), qtbot)
    assert iv.evaluation_edit.toPlainText() == "Gehaald (Doel)"
    iv.close_doc_action.trigger()
    assert iv.data.status == DocumentStatus.AFGESLOTEN

    # 6. Closed documents cannot be edited: not in the widgets, not through the service, and
    #    they are gone from the teacher's list.
    assert iv.goal_edit.isReadOnly()
    assert iv.evaluation_edit.isReadOnly()
    assert not iv.save_action.isEnabled()
    assert all(c.goal_edit.isReadOnly() for page_ in gd.pages for c in page_.cells.values())
    with pytest.raises(ReadOnlyError), ctx.db.session() as s:
        plans.save_intervention(
            s, plans.InterventionData(**{**iv.data.__dict__, "goal": "x"}), today=TODAY
        )
    with pytest.raises(ReadOnlyError), ctx.db.session() as s:
        plans.save_evaluation_task(
            s, task2, {task2.targets[0].key: ("Anders", Outcome.NIET_BEHAALD)},
            evaluated_by_id=None, evaluated_on=TODAY, today=TODAY,
        )  # fmt: skip
    page.reload()
    assert not [t for t in _rows(page) if t.pupil_id == pupil_id]
    assert pupil_name


# ---------------------------------------------------------------------- issue 15


def test_this_week_is_a_period(ctx, page) -> None:
    from ib_desktop.services.agenda import end_of_week

    teacher = _busiest_teacher(ctx)
    _choose_teacher(page, teacher)
    index = page.horizon_combo.findText("deze week")
    assert index >= 0
    page.horizon_combo.setCurrentIndex(index)
    sunday = end_of_week(TODAY)
    assert page.horizon() == (sunday - TODAY).days
    tasks = _rows(page)
    assert all(t.due <= sunday for t in tasks)
    with ctx.db.session() as s:
        expected = plans.evaluation_tasks(
            s, ctx.school_id, teacher, today=TODAY, within_days=(sunday - TODAY).days
        )
    assert sorted(t.moment_key for t in tasks) == sorted(t.moment_key for t in expected)
    assert int(QSettings().value("evaluaties/horizon")) == 0  # remembered as "deze week"


def test_cancel_on_the_prompt_goes_back_to_the_row_being_written(
    ctx, page, qtbot, monkeypatch
) -> None:
    """Issue 15: after Annuleren the list (and whoever watches it) shows the row being edited."""
    _choose_teacher(page, _busiest_teacher(ctx))
    page.select_row(0)
    task = page.form.task
    _type(qtbot, page.form.blocks[0].evaluation_edit, "Half af")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    seen: list[list[int]] = []  # what the view is told is selected
    page.table.selectionModel().selectionChanged.connect(
        lambda selected, _deselected: seen.append(sorted({i.row() for i in selected.indexes()}))
    )
    rect = page.table.visualRect(page.proxy.index(1, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: seen[-1] == [0])  # the view repaints the highlight on the row
    assert page.form.task.moment_key == task.moment_key
    assert [i.row() for i in page.table.selectionModel().selectedRows()] == [0]
    assert page.table.currentIndex().row() == 0
    # Changing the teacher is cancelled the same way: the choice goes back too.
    before = page.teacher_combo.currentIndex()
    page.teacher_combo.setCurrentIndex(0 if before else 1)
    assert page.teacher_combo.currentIndex() == before
    assert page.form.blocks[0].evaluation_edit.toPlainText() == "Half af"


def test_partly_evaluated_growth_document_shows_its_progress(ctx, page, qtbot, no_dialogs) -> None:
    with ctx.db.session() as s:
        teacher, task = next(
            (staff.id, t)
            for staff in plans.teachers(s, ctx.school_id)
            for t in plans.evaluation_tasks(s, ctx.school_id, staff.id, today=TODAY)
            if len(t.targets) > 1 and not any(x.is_evaluated for x in t.targets)
        )
    _choose_teacher(page, teacher)
    row = next(r for r, t in enumerate(_rows(page)) if t.moment_key == task.moment_key)
    page.select_row(row)
    block = page.form.blocks[0]
    _type(qtbot, block.evaluation_edit, "Eerste doel gehaald")
    block.outcome_combo.setCurrentIndex(block.outcome_combo.findData(Outcome.BEHAALD.value))
    assert page.save_current()
    page.reload()
    row = next(r for r, t in enumerate(_rows(page)) if t.moment_key == task.moment_key)
    state = page.proxy.index(row, EvaluationListModel.COL_STATE).data()
    assert state.startswith(f"1 van {len(task.targets)} doelen")
    assert "te laat" in state or "dag" in state or "vandaag" in state


def test_evaluation_shows_in_the_open_document_window(
    ctx, main_window, page, qtbot, no_dialogs
) -> None:
    """Issue 15: what the teacher writes here appears in the plan or OPP window that is open."""
    from ib_desktop.ui.growth_editor import GrowthEditor
    from ib_desktop.ui.opp_editor import OppEditorWindow

    with ctx.db.session() as s:
        all_tasks = [
            (staff.id, t)
            for staff in page.staff
            for t in plans.evaluation_tasks(s, ctx.school_id, staff.id, today=TODAY)
        ]
    growth = next(
        (tid, t) for tid, t in all_tasks if t.source_kind == "groeidocument" and not t.read_only
    )
    opp_kind = plans.OPP_VERSION_ENTITY
    opp = next((tid, t) for tid, t in all_tasks if t.source_kind == opp_kind)
    for (teacher, task), text in (
        (growth, "Rekent nu vlot"),
        (opp, "Doel gehaald"),
    ):
        if task.source_kind == "groeidocument":
            main_window.open_document("groeidocument", task.source_id)
            window = next(w for w in main_window.open_windows() if isinstance(w, GrowthEditor))
        else:
            main_window.open_document("opp", task.moment.source_id)
            window = next(w for w in main_window.open_windows() if isinstance(w, OppEditorWindow))
        _choose_teacher(page, teacher)
        page.select_row(
            next(r for r, t in enumerate(_rows(page)) if t.moment_key == task.moment_key)
        )
        block = page.form.blocks[0]
        _type(qtbot, block.evaluation_edit, text)
        block.outcome_combo.setCurrentIndex(block.outcome_combo.findData(Outcome.BEHAALD.value))
        assert page.save_current()
        if isinstance(window, GrowthEditor):
            qtbot.waitUntil(
                lambda w=window, text=text: any(
                    c.evaluation_edit.toPlainText() == text
                    for p in w.pages
                    for c in p.cells.values()
                )
            )
            assert not window.is_dirty()
        else:
            goal_id = int(block.target.key.split(":")[1])
            qtbot.waitUntil(
                lambda w=window, g=goal_id, text=text: any(
                    x.id == g and x.result == text for x in w.page(9).model.rows()
                )
            )
            assert not window.is_dirty()
        window.close()
