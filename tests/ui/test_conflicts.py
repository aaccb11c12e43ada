"""Two people, one record: the conflict dialog, and no false conflicts for one user.

A real conflict is made the way it happens: a dialog is open with the user's typing, another
laptop saves the same record, then the user presses Opslaan. The conflict dialog must name the
other person and show both values; "Mijn versie opslaan" must store the user's value and
"Hun versie houden" must keep the other one. And a teacher writing the evaluations of every
goal of an OPP and of a groeidocument, one after the other, must never see a conflict.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ib_desktop.models import GrowthGoal, Guardian, OppGoal, Outcome, Pupil
from ib_desktop.services import plans
from ib_desktop.services import pupil as pf
from ib_desktop.ui.plans.evaluation_dialog import EvaluationDialog
from ib_desktop.ui.plans.evaluation_list import EvaluationListModel
from ib_desktop.ui.plans.evaluations import EvaluationsPage
from ib_desktop.ui.pupil_file.child_dialogs import GuardianDialog
from ib_desktop.ui.pupil_file.shell import PupilFileWindow
from ib_desktop.ui.widgets import conflict_dialog
from ib_desktop.ui.widgets.conflict_dialog import ConflictDialog
from tests.conftest import TODAY
from tests.ui.pupil_helpers import FakeNav, ModalDriver, active_pupil, answer_boxes

CTRL = Qt.KeyboardModifier.ControlModifier
OTHER = "Bea Bakker"


@pytest.fixture(autouse=True)
def _boxes(monkeypatch) -> None:
    """Message boxes shown by exec() (unsaved changes at teardown) answer 'Niet opslaan'."""
    answer_boxes(monkeypatch, [], QMessageBox.StandardButton.Discard)


@pytest.fixture
def guardian(ctx) -> tuple[int, int]:
    """(pupil id, guardian id) of an active demo pupil with a guardian."""
    with ctx.db.session() as s:
        pupil = active_pupil(s)
        g = s.scalars(sa.select(Guardian).where(Guardian.pupil_id == pupil.id)).first()
        if g is None:
            gid = pf.save_guardian(s, pupil.id, pf.GuardianData(name="Fatma Yılmaz"))
        else:
            gid = g.id
        return pupil.id, gid


def _type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def _other_laptop_saves_phone(ctx, pupil_id: int, guardian_id: int, phone: str) -> None:
    with ctx.db.session() as s:
        data = pf.load_guardian(s, pupil_id, guardian_id)
        pf.save_guardian(s, pupil_id, replace(data, phone=phone), actor=OTHER)


def _table(dialog: ConflictDialog) -> dict[str, tuple[str, str]]:
    t = dialog.table
    return {
        t.item(r, ConflictDialog.COL_FIELD).text(): (
            t.item(r, ConflictDialog.COL_MINE).text(),
            t.item(r, ConflictDialog.COL_THEIRS).text(),
        )
        for r in range(t.rowCount())
    }


@pytest.mark.parametrize(
    ("button", "stored"),
    [("mine_button", "06-11112222"), ("theirs_button", "06-99998888")],
    ids=["mijn-versie", "hun-versie"],
)
def test_guardian_conflict_shows_both_values_and_the_choice_is_kept(
    ctx, qtbot, no_dialogs, guardian, button: str, stored: str
) -> None:
    pupil_id, guardian_id = guardian
    seen: dict[str, object] = {}

    def choose(dialog: ConflictDialog) -> None:
        seen["title"] = dialog.title_label.text()
        seen["table"] = _table(dialog)
        seen["header"] = dialog.table.horizontalHeaderItem(ConflictDialog.COL_THEIRS).text()
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)

    def edit(dialog: GuardianDialog) -> None:
        _type_into(qtbot, dialog.phone_edit, "06-11112222")
        # Meanwhile, on another laptop, Bea changes the same guardian's phone number.
        _other_laptop_saves_phone(ctx, pupil_id, guardian_id, "06-99998888")
        seen["driver"] = ModalDriver(ConflictDialog, choose)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(GuardianDialog, edit)
    result = GuardianDialog.edit(None, ctx, pupil_id, guardian_id=guardian_id)
    driver.check()
    seen["driver"].check()  # type: ignore[attr-defined]
    assert seen["title"] == f"{OTHER} heeft dit intussen gewijzigd"
    assert seen["table"]["telefoon"] == ("06-11112222", "06-99998888")  # type: ignore[index]
    assert seen["header"] == f"Waarde van {OTHER}"
    assert result == guardian_id  # either way the record changed: the file reloads it
    assert no_dialogs["warning"] == []  # no raw error, no plain message box
    with ctx.db.session() as s:
        assert s.get(Guardian, guardian_id).phone == stored


def test_keep_editing_leaves_the_dialog_open_with_the_typing(
    ctx, qtbot, no_dialogs, guardian
) -> None:
    pupil_id, guardian_id = guardian
    seen: dict[str, object] = {}

    def keep_editing(dialog: ConflictDialog) -> None:
        # Enter takes the safe way out: back to the form, nothing thrown away or overwritten.
        seen["focus"] = dialog.focusWidget() is dialog.edit_button
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    def edit(dialog: GuardianDialog) -> None:
        _type_into(qtbot, dialog.phone_edit, "06-11112222")
        _other_laptop_saves_phone(ctx, pupil_id, guardian_id, "06-99998888")
        conflict = ModalDriver(ConflictDialog, keep_editing)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        conflict.check()
        seen["visible"] = dialog.isVisible()
        seen["phone"] = dialog.phone_edit.text()
        dialog.done(0)

    driver = ModalDriver(GuardianDialog, edit)
    assert GuardianDialog.edit(None, ctx, pupil_id, guardian_id=guardian_id) is None
    driver.check()
    assert seen == {"focus": True, "visible": True, "phone": "06-11112222"}
    with ctx.db.session() as s:
        assert s.get(Guardian, guardian_id).phone == "06-99998888"


def test_personal_data_conflict_overwrite_with_mine(ctx, qtbot, no_dialogs) -> None:
    with ctx.db.session() as s:
        pupil_id = active_pupil(s).id
    window = PupilFileWindow(ctx, FakeNav(), pupil_id)
    qtbot.addWidget(window)
    window.show()
    with ctx.db.session() as s:  # another laptop fills in the family situation
        p = s.get(Pupil, pupil_id)
        other = pf.load_pupil_data(p)
        other.family_composition = "Woont bij moeder."
        pf.update_pupil(s, p.id, other, expected_version=p.version, today=TODAY, actor=OTHER)
    window.family_edit.setPlainText("Woont afwisselend bij vader en moeder.")
    rows: dict[str, tuple[str, str]] = {}

    def mine(dialog: ConflictDialog) -> None:
        rows.update(_table(dialog))
        qtbot.mouseClick(dialog.mine_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(ConflictDialog, mine)
    assert window.save()
    driver.check()
    assert rows["gezinssamenstelling"] == (
        "Woont afwisselend bij vader en moeder.",
        "Woont bij moeder.",
    )
    assert not window.is_dirty()
    with ctx.db.session() as s:
        assert s.get(Pupil, pupil_id).family_composition == "Woont afwisselend bij vader en moeder."


# ---------------------------------------------------------------------------- one user, no conflict


@pytest.fixture
def page(main_window, qtbot) -> EvaluationsPage:
    main_window.show_page("evaluaties")
    widget = main_window.page("evaluaties")
    assert isinstance(widget, EvaluationsPage)
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    return widget


@pytest.fixture
def conflicts_shown(monkeypatch) -> list[object]:
    """Every conflict the screens would show (none should come)."""
    shown: list[object] = []

    def record(_parent, conflict):
        shown.append(conflict)
        return conflict_dialog.ConflictChoice.EDIT

    monkeypatch.setattr(ConflictDialog, "choose", classmethod(lambda cls, p, c: record(p, c)))
    return shown


def _staff_with(ctx, predicate) -> tuple[int, list[plans.EvaluationTask]]:
    with ctx.db.session() as s:
        for c in plans.staff_choices(s, ctx.school_id):
            tasks = plans.evaluation_tasks(s, ctx.school_id, c.id, today=TODAY)
            chosen = [t for t in tasks if predicate(t)]
            if chosen:
                return c.id, chosen
    raise AssertionError("the demo school has no such evaluations")


def _rows(page: EvaluationsPage) -> list[plans.EvaluationTask]:
    return [
        page.proxy.index(r, 0).data(EvaluationListModel.TASK_ROLE)
        for r in range(page.proxy.rowCount())
    ]


def _select(page: EvaluationsPage, moment_key: str) -> None:
    row = next(r for r, t in enumerate(_rows(page)) if t.moment_key == moment_key)
    page.select_row(row)
    assert page.form.task.moment_key == moment_key


def test_every_goal_of_an_opp_evaluated_one_after_the_other_is_saved(
    ctx, page, qtbot, no_dialogs, conflicts_shown
) -> None:
    teacher, opp_tasks = _staff_with(
        ctx, lambda t: t.source_kind == plans.OPP_VERSION_ENTITY and not t.read_only
    )
    by_opp: dict[int, list[plans.EvaluationTask]] = {}
    for t in opp_tasks:
        by_opp.setdefault(t.source_id, []).append(t)
    assert max(len(v) for v in by_opp.values()) >= 2, "an OPP with several goals due"
    page.teacher_combo.setCurrentIndex(page.teacher_combo.findData(teacher))
    goal_ids = []
    for tasks in by_opp.values():
        for task in tasks:
            _select(page, task.moment_key)
            block = page.form.blocks[0]
            block.evaluation_edit.setFocus()
            qtbot.keyClicks(block.evaluation_edit, f"Doel {block.target.label} geoefend")
            block.outcome_combo.setCurrentIndex(
                block.outcome_combo.findData(Outcome.DEELS_BEHAALD.value)
            )
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, CTRL)
            goal_ids.append(block.target.id)
            assert no_dialogs["warning"] == [], "a goal of the same OPP was refused"
    assert conflicts_shown == []
    with ctx.db.session() as s:
        goals = s.scalars(sa.select(OppGoal).where(OppGoal.id.in_(goal_ids))).all()
    assert len(goals) == len(goal_ids)
    assert all(g.outcome == Outcome.DEELS_BEHAALD for g in goals)
    assert all(g.result.endswith("geoefend") for g in goals)
    assert all(t.complete for t in _rows(page) if t.source_kind == plans.OPP_VERSION_ENTITY)


def test_every_goal_of_a_groeidocument_evaluated_one_after_the_other_is_saved(
    ctx, page, qtbot, no_dialogs, conflicts_shown
) -> None:
    teacher, tasks = _staff_with(
        ctx,
        lambda t: t.source_kind == plans.GROWTH_ENTITY and not t.read_only and len(t.targets) > 1,
    )
    page.teacher_combo.setCurrentIndex(page.teacher_combo.findData(teacher))
    task = tasks[0]
    _select(page, task.moment_key)
    for index in range(len(task.targets)):
        block = page.form.blocks[index]
        block.evaluation_edit.setFocus()
        qtbot.keyClicks(block.evaluation_edit, "Goed gewerkt")
        block.outcome_combo.setCurrentIndex(block.outcome_combo.findData(Outcome.BEHAALD.value))
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, CTRL)  # one goal at a time
        assert no_dialogs["warning"] == []
        assert not page.form.is_dirty()
    assert conflicts_shown == []
    with ctx.db.session() as s:
        goals = s.scalars(
            sa.select(GrowthGoal).where(GrowthGoal.id.in_([t.id for t in task.targets]))
        ).all()
    assert [g.outcome for g in goals] == [Outcome.BEHAALD] * len(task.targets)
    assert all(g.evaluation == "Goed gewerkt" for g in goals)


def test_two_teachers_evaluating_the_same_goal_get_the_conflict(
    ctx, page, qtbot, no_dialogs, conflicts_shown
) -> None:
    """Per goal, not per OPP: another person's evaluation of the same goal is still refused."""
    teacher, opp_tasks = _staff_with(
        ctx, lambda t: t.source_kind == plans.OPP_VERSION_ENTITY and not t.read_only
    )
    page.teacher_combo.setCurrentIndex(page.teacher_combo.findData(teacher))
    task = opp_tasks[0]
    _select(page, task.moment_key)
    target = page.form.task.targets[0]
    with ctx.db.session() as s:  # a colleague evaluates the same goal first
        plans.save_evaluation_task(
            s, task, {target.key: ("Van de collega", Outcome.BEHAALD)},
            evaluated_by_id=None, evaluated_on=TODAY, today=TODAY, actor=OTHER,
        )  # fmt: skip
    block = page.form.blocks[0]
    block.evaluation_edit.setFocus()
    qtbot.keyClicks(block.evaluation_edit, "Mijn evaluatie")
    block.outcome_combo.setCurrentIndex(block.outcome_combo.findData(Outcome.NIET_BEHAALD.value))
    assert not page.save_current()
    assert len(conflicts_shown) == 1
    conflict = conflicts_shown[0]
    assert conflict.who == OTHER
    assert {f.label: (f.mine, f.theirs) for f in conflict.fields}["evaluatie"] == (
        "Mijn evaluatie",
        "Van de collega",
    )
    assert page.form.is_dirty()  # "Verder bewerken": the typing is still there
    with ctx.db.session() as s:
        assert s.get(OppGoal, target.id).result == "Van de collega"


def test_a_goal_the_same_teacher_saved_from_the_agenda_meanwhile_is_no_conflict(
    ctx, main_window, page, qtbot, no_dialogs, conflicts_shown, monkeypatch
) -> None:
    """Goal 1 typed in Evaluaties, goal 2 entered from the agenda, then goal 1 saved: both kept.

    Before, the screen's copy of the groeidocument had the old document version, so the
    teacher's own save from the agenda made the screen refuse goal 1 ("someone else saved").
    """
    teacher, tasks = _staff_with(
        ctx,
        lambda t: t.source_kind == plans.GROWTH_ENTITY and not t.read_only and len(t.targets) > 1,
    )
    page.teacher_combo.setCurrentIndex(page.teacher_combo.findData(teacher))
    task = tasks[0]
    _select(page, task.moment_key)
    first = page.form.blocks[0]
    first.evaluation_edit.setFocus()
    qtbot.keyClicks(first.evaluation_edit, "In het scherm")
    first.outcome_combo.setCurrentIndex(first.outcome_combo.findData(Outcome.BEHAALD.value))

    def exec_(dialog: EvaluationDialog) -> int:
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        block = dialog.form.blocks[1]
        block.evaluation_edit.setFocus()
        qtbot.keyClicks(block.evaluation_edit, "Via de agenda")
        block.outcome_combo.setCurrentIndex(block.outcome_combo.findData(Outcome.BEHAALD.value))
        qtbot.keyClick(block.evaluation_edit, Qt.Key.Key_S, CTRL)
        return dialog.result()

    monkeypatch.setattr(EvaluationDialog, "exec", exec_)
    assert EvaluationDialog.enter(main_window, ctx, task.moment)
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    first.evaluation_edit.setFocus()
    qtbot.keyClick(first.evaluation_edit, Qt.Key.Key_S, CTRL)
    assert no_dialogs["warning"] == []
    assert conflicts_shown == []
    assert not page.form.is_dirty()
    with ctx.db.session() as s:
        one, two = (s.get(GrowthGoal, t.id) for t in task.targets[:2])
        assert (one.evaluation, two.evaluation) == ("In het scherm", "Via de agenda")
