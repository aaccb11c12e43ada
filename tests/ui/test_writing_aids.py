"""Writing faster (issue 21), driven as a user: goal bank, text blocks, reuse and autosave."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ib_desktop.dates import long_date
from ib_desktop.models import (
    DocumentStatus,
    GrowthDocument,
    OppStatus,
    Outcome,
    Pupil,
    PupilStatus,
    ShortIntervention,
)
from ib_desktop.services import opp as svc
from ib_desktop.services import plans, writing
from ib_desktop.ui.opp.editor import OppEditorWindow
from ib_desktop.ui.opp.entry import open_editor as open_opp
from ib_desktop.ui.plans import growth_editor, intervention_editor
from ib_desktop.ui.writing.goal_picker import GoalPickerDialog
from tests.conftest import TODAY
from tests.ui.pupil_helpers import ModalDriver
from tests.ui.test_opp_editor import FRESH, type_text

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class FakeNav:
    def __init__(self) -> None:
        self.changed = 0

    def notify_changed(self) -> None:
        self.changed += 1


@pytest.fixture
def nav() -> FakeNav:
    return FakeNav()


@pytest.fixture
def pupil_id(ctx) -> int:
    """An active pupil with a group and without a groeidocument."""
    with ctx.db.session() as s:
        return s.scalars(
            sa.select(Pupil.id)
            .where(
                Pupil.status == PupilStatus.ACTIEF,
                Pupil.group_id.is_not(None),
                Pupil.id.not_in(sa.select(GrowthDocument.pupil_id)),
            )
            .order_by(Pupil.id)
        ).first()


def _show(qtbot, window):
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _pick(qtbot, search: str, *, expect_area: str | None = None, seen: dict | None = None):
    """On the goal picker: type the search, check the list, Enter inserts the first goal."""

    def act(dialog: GoalPickerDialog) -> None:
        if expect_area is not None:
            assert dialog.area_combo.currentData() == expect_area
        if seen is not None:
            seen["grades"] = dialog.grade_check.text()
        if dialog.grade_check.isChecked():  # the demo pupil's year group may have none of these
            qtbot.keyClick(dialog.grade_check, Qt.Key.Key_Space)
            assert not dialog.grade_check.isChecked()
        qtbot.keyClicks(dialog.search, search)
        shown = dialog.shown_goals()
        assert shown, f"nothing found for {search!r}"
        if seen is not None:
            seen["shown"] = shown
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    return ModalDriver(GoalPickerDialog, act)


def _growth_with_open_goal(ctx, pupil_id) -> plans.GrowthData:
    with ctx.db.session() as s:
        data = plans.new_growth_document(s, pupil_id, today=TODAY)
        data.periods[0].goal_for("Rekenen").goal = "Tafels 1 t/m 5"
        data.periods[0].goal_for("Spelling").goal = "Woorden met -ng"
        return plans.save_growth_document(s, data, today=TODAY)


# ------------------------------------------------------------------------------ goal bank


def test_goal_from_the_bank_into_a_groeidocument_period(ctx, nav, qtbot, pupil_id, no_dialogs):
    window = _show(qtbot, growth_editor.open_editor(ctx, nav, pupil_id=pupil_id))
    page = window.pages[0]
    cell = page.cells["Rekenen"]
    cell.goal_edit.setFocus()
    seen: dict = {}
    driver = _pick(qtbot, "tafels", expect_area="Rekenen", seen=seen)
    qtbot.keyClick(cell.goal_edit, Qt.Key.Key_D, CTRL_SHIFT)
    driver.check()
    assert all(g.area == "Rekenen" and "tafels" in g.text.lower() for g in seen["shown"])
    assert seen["grades"].startswith("Alleen voor groep")
    text = cell.goal_edit.toPlainText()
    assert "tafels" in text.lower()
    assert long_date(page.period.end_date) in text  # {einddatum} filled in
    assert "{einddatum}" not in text
    assert window.is_dirty()
    window.save()
    with ctx.db.session() as s:
        stored = plans.load_growth_document(s, window.data.id)
    assert stored.periods[0].goal_for("Rekenen").goal.startswith("Op ")


def test_goal_from_the_bank_into_a_korte_interventie_ignores_accents(
    ctx, nav, qtbot, pupil_id, no_dialogs
):
    with ctx.db.session() as s:
        bank = writing.load_goal_bank(s, ctx.school_id)
        new = writing.BankGoal("Lezen (technisch)", "Op {einddatum} leest zij vloeiënd.", 1, 8)
        bank.append(new)
        writing.save_goal_bank(s, ctx.school_id, bank)
    window = _show(qtbot, intervention_editor.open_editor(ctx, nav, pupil_id=pupil_id))
    type_text(qtbot, window.goal_edit, "Eigen zin. ")
    seen: dict = {}
    driver = _pick(qtbot, "zij vloeiend", seen=seen)
    qtbot.keyClick(window.goal_edit, Qt.Key.Key_D, CTRL_SHIFT)
    driver.check()
    assert [g.text for g in seen["shown"]] == ["Op {einddatum} leest zij vloeiënd."]
    text = window.goal_edit.toPlainText()
    assert text.startswith("Eigen zin.")  # what was typed stays
    assert f"Op {long_date(window.data.end_date)} leest zij vloeiënd." in text


def test_goal_from_the_bank_into_opp_part_9(ctx, nav, qtbot, no_dialogs):
    w = _show(qtbot, open_opp(ctx, nav, pupil_id=FRESH))
    assert isinstance(w, OppEditorWindow)
    w.go_to_part(9)
    page = w.page(9)
    before = page.model.rowCount()
    page.select_goal(2)  # the empty "Leren leren" goal of a new OPP
    driver = _pick(qtbot, "stappenkaartje")
    qtbot.keyClick(page.goal, Qt.Key.Key_D, CTRL_SHIFT)
    driver.check()
    assert page.model.rowCount() == before  # an empty goal takes it, no new row
    goal = page.model.row_at(2)
    assert goal.area == "Leren leren"
    assert "stappenkaartje" in goal.goal
    w.save()
    with ctx.db.session() as s:
        stored = svc.load_version(s, w.data.id)
    assert any("stappenkaartje" in g.goal for g in stored.goals)


# ------------------------------------------------------------------------------ text blocks


def test_text_block_fills_placeholders_for_a_pupil_with_an_accented_name(
    ctx, nav, qtbot, no_dialogs
):
    with ctx.db.session() as s:
        pupil = s.get(Pupil, FRESH)
        pupil.first_name, pupil.tussenvoegsel, pupil.last_name = "Zoë", "", "Çelik"
        group = pupil.group.name
        teachers = " en ".join(t.full_name for t in pupil.group.teachers)
        blocks = writing.load_text_blocks(s, ctx.school_id)
        blocks.append(writing.TextBlockData("Met fout", "Hoi {roepnaam}, {onbekend}."))
        writing.save_text_blocks(s, ctx.school_id, blocks)
    w = _show(qtbot, open_opp(ctx, nav, pupil_id=FRESH))
    w.go_to_part(10)
    field = w.page(10).fields["adjustments"]
    type_text(qtbot, field, "Eerst dit. ")
    qtbot.keyClick(field, Qt.Key.Key_T, CTRL_SHIFT)
    menu = w.writing.block_menu
    qtbot.waitUntil(menu.isVisible)
    titles = [a.text() for a in menu.actions()]
    assert "Aanpassingen van het programma  (OPP deel 10)" in titles
    action = next(a for a in menu.actions() if a.text().startswith("Aanpassingen"))
    menu.hide()
    action.trigger()
    text = field.toPlainText()
    assert text.startswith("Eerst dit. Voor Zoë Çelik (groep ")
    assert f"groep {group}, schooljaar 2026-2027)" in text or f"groep {group}, schooljaar" in text
    assert teachers in text
    assert "{" not in text
    assert w.is_dirty()
    # An unknown placeholder stays visible, and the user is told.
    qtbot.keyClick(field, Qt.Key.Key_T, CTRL_SHIFT)
    qtbot.waitUntil(menu.isVisible)
    broken = next(a for a in menu.actions() if a.text() == "Met fout")
    menu.hide()
    broken.trigger()
    assert "Hoi Zoë, {onbekend}." in field.toPlainText()
    assert "{onbekend}" in w.statusBar().currentMessage()


# ------------------------------------------------------------------------------ reuse


def test_opp_part_9_starts_from_the_running_groeidocument(ctx, nav, qtbot, no_dialogs):
    _growth_with_open_goal(ctx, FRESH)
    w = _show(qtbot, open_opp(ctx, nav, pupil_id=FRESH))
    w.go_to_part(9)
    page = w.page(9)
    qtbot.mouseClick(page.from_growth_button, Qt.MouseButton.LeftButton)
    assert "2 doelen uit periode 1" in no_dialogs["question"][-1]
    goals = [(g.area, g.goal) for g in page.model.rows()]
    assert goals == [("Rekenen", "Tafels 1 t/m 5"), ("Spelling", "Woorden met -ng")]
    w.save()
    with ctx.db.session() as s:
        stored = svc.load_version(s, w.data.id)
    assert [g.goal for g in stored.goals] == ["Tafels 1 t/m 5", "Woorden met -ng"]
    # Twice adds nothing twice.
    qtbot.mouseClick(page.from_growth_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 2


@pytest.mark.parametrize(("answer", "carried"), [("Yes", True), ("No", False)])
def test_open_goal_is_carried_into_the_next_period_when_chosen(
    ctx, nav, qtbot, pupil_id, no_dialogs, monkeypatch, answer, carried
):
    doc = _growth_with_open_goal(ctx, pupil_id)
    with ctx.db.session() as s:
        plans.close_period(
            s, doc.id, 1, version=doc.version, today=TODAY,
            evaluations={"Rekenen": ("Nog niet", Outcome.NIET_BEHAALD),
                         "Spelling": ("Gelukt", Outcome.BEHAALD)},
        )  # fmt: skip
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question",
        lambda _p, _t, text, *a, **k: asked.append(text) or getattr(
            QMessageBox.StandardButton, answer),
    )  # fmt: skip
    window = _show(qtbot, growth_editor.open_editor(ctx, nav, doc_id=doc.id))
    qtbot.mouseClick(window.new_period_button, Qt.MouseButton.LeftButton)
    assert "Niet behaald in periode 1: Rekenen." in asked[-1]
    second = window.pages[1]
    assert (second.cells["Rekenen"].goal_edit.toPlainText() == "Tafels 1 t/m 5") is carried
    assert second.cells["Spelling"].goal_edit.toPlainText() == ""


def test_a_korte_interventie_is_copied_into_a_new_one(ctx, nav, qtbot, pupil_id, no_dialogs):
    with ctx.db.session() as s:
        data = plans.new_intervention(s, pupil_id, today=TODAY - timedelta(weeks=10))
        data.end_date = data.start_date + timedelta(weeks=6)
        data.goal, data.support_need = "Leest AVI-E4.", "Korte instructie."
        saved = plans.save_intervention(s, data, today=TODAY)
    window = _show(qtbot, intervention_editor.open_editor(ctx, nav, doc_id=saved.id))
    window.copy_action.trigger()
    copy = window.copy_window
    qtbot.addWidget(copy)
    assert copy.doc_id() is None
    assert copy.goal_edit.toPlainText() == "Leest AVI-E4."
    assert copy.support_edit.toPlainText() == "Korte instructie."
    assert copy.start_edit.date().toPython() == TODAY
    assert copy.end_edit.date().toPython() == TODAY + timedelta(weeks=6)
    assert copy.is_dirty()
    assert copy.save()
    with ctx.db.session() as s:
        count = s.scalar(
            sa.select(sa.func.count()).where(ShortIntervention.pupil_id == pupil_id)
        )
    assert count == 2


# ------------------------------------------------------------------------------ autosave


def _saved_intervention(ctx, pupil_id) -> plans.InterventionData:
    with ctx.db.session() as s:
        data = plans.new_intervention(s, pupil_id, today=TODAY)
        data.goal = "Begin"
        return plans.save_intervention(s, data, today=TODAY)


def test_autosave_after_typing_keeps_the_concept_status(ctx, nav, qtbot, pupil_id, no_dialogs):
    saved = _saved_intervention(ctx, pupil_id)
    window = _show(qtbot, intervention_editor.open_editor(ctx, nav, doc_id=saved.id))
    window.autosaver.set_delay(50)
    type_text(qtbot, window.execution_edit, "Dagelijks 10 minuten, met Zoë")

    def stored() -> plans.InterventionData:
        with ctx.db.session() as s:
            return plans.load_intervention(s, saved.id)

    qtbot.waitUntil(lambda: stored().execution == "Dagelijks 10 minuten, met Zoë", timeout=5000)
    assert stored().status == DocumentStatus.CONCEPT
    assert window.status() == DocumentStatus.CONCEPT
    assert window.statusBar().currentMessage().startswith("Automatisch opgeslagen om ")
    assert not window.is_dirty()


def test_autosave_does_not_save_invalid_input_and_keeps_it(
    ctx, nav, qtbot, pupil_id, no_dialogs
):
    saved = _saved_intervention(ctx, pupil_id)
    window = _show(qtbot, intervention_editor.open_editor(ctx, nav, doc_id=saved.id))
    window.autosaver.set_delay(50)
    # An outcome without its evaluation text is refused by the service.
    window.outcome_combo.setCurrentIndex(window.outcome_combo.findData(Outcome.BEHAALD.value))
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Niet automatisch opgeslagen"),
        timeout=5000,
    )
    assert not no_dialogs["warning"]  # no message box while the user types
    assert window.is_dirty()
    assert any(w.error_label.isVisible() for w in window.errors.fields.values())
    with ctx.db.session() as s:
        assert plans.load_intervention(s, saved.id).outcome is None


def test_autosave_in_the_opp_editor_keeps_the_concept_and_never_saves_a_fixed_version(
    ctx, nav, qtbot, no_dialogs
):
    w = _show(qtbot, open_opp(ctx, nav, pupil_id=FRESH))
    w.autosaver.set_delay(50)
    w.go_to_part(5)
    type_text(qtbot, w.page(5).fields["promoting_factors"], "Zoë werkt graag samen.")

    def stored() -> svc.OppVersionData:
        with ctx.db.session() as s:
            return svc.load_version(s, w.data.id)

    qtbot.waitUntil(lambda: stored().promoting_factors == "Zoë werkt graag samen.", timeout=5000)
    assert stored().status == OppStatus.CONCEPT
    assert "Automatisch opgeslagen om" in w.status_label.text()
    assert not w.is_dirty()
    w.read_only = True  # as a fixed version is
    w._dirty = True
    assert not w.autosaver.run()
    assert QApplication.activeModalWidget() is None


# ------------------------------------------------------------------------------ settings


def test_the_school_edits_its_goal_bank_and_text_blocks_in_the_settings(ctx, qtbot, no_dialogs):
    from ib_desktop.ui.settings.writing import GoalBankTab, TextBlocksTab

    tab = GoalBankTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.keyClicks(tab.search, "tafels")
    assert tab.proxy.rowCount() == 1
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.search.text() == ""
    qtbot.keyClicks(tab.text, "kan de leerling klokkijken tot op 5 minuten.")
    tab.low.setValue(4)
    tab.high.setValue(5)
    assert tab.has_unsaved_changes()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not no_dialogs["warning"]
    with ctx.db.session() as s:
        bank = writing.load_goal_bank(s, ctx.school_id)
    assert bank[-1].text == "Op {einddatum} kan de leerling klokkijken tot op 5 minuten."
    assert (bank[-1].grade_low, bank[-1].grade_high) == (4, 5)
    assert not tab.has_unsaved_changes()

    blocks = TextBlocksTab(ctx)
    qtbot.addWidget(blocks)
    blocks.show()
    qtbot.mouseClick(blocks.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(blocks.title, "Afsluiting")
    blocks.body.setFocus()
    qtbot.keyClick(blocks.body, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(blocks.body, " met {leerkracht}")
    qtbot.mouseClick(blocks.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        stored = writing.load_text_blocks(s, ctx.school_id)
    assert stored[-1].title == "Afsluiting"
    assert stored[-1].body == "{roepnaam} met {leerkracht}"


def test_a_conflict_stops_autosave_and_shows_the_conflict_dialog(
    ctx, nav, qtbot, pupil_id, no_dialogs
):
    from ib_desktop.ui.widgets.conflict_dialog import ConflictDialog

    saved = _saved_intervention(ctx, pupil_id)
    window = _show(qtbot, intervention_editor.open_editor(ctx, nav, doc_id=saved.id))
    window.autosaver.set_delay(50)
    with ctx.db.session() as s:  # somebody else saves first
        other = plans.load_intervention(s, saved.id)
        other.support_need = "Van de collega"
        plans.save_intervention(s, other, today=TODAY, actor="Collega")
    seen = []

    def keep_editing(dialog: ConflictDialog) -> None:
        seen.append(dialog.title_label.text())
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(ConflictDialog, keep_editing)
    type_text(qtbot, window.execution_edit, "Mijn tekst")
    qtbot.waitUntil(lambda: window.autosaver.stopped, timeout=5000)
    driver.check()
    assert seen
    assert window.execution_edit.toPlainText() == "Mijn tekst"  # nothing typed is lost
    assert window.is_dirty()
    with ctx.db.session() as s:
        stored = plans.load_intervention(s, saved.id)
    assert (stored.support_need, stored.execution) == ("Van de collega", "")
    # No second dialog while the user types on.
    type_text(qtbot, window.execution_edit, " verder")
    qtbot.wait(200)
    assert len(seen) == 1


def test_only_open_goals_go_into_the_next_opp_version_when_ticked(ctx, nav, qtbot, no_dialogs):
    from PySide6.QtWidgets import QDialogButtonBox

    from ib_desktop.ui.opp.lifecycle_dialogs import EvaluateDialog
    from tests.services.test_opp import fixed_version

    fixed = fixed_version(ctx.db)
    w = _show(qtbot, open_opp(ctx, nav, doc_id=fixed.opp_id))
    reached = fixed.goals[0]

    def evaluate(dialog: EvaluateDialog) -> None:
        for gid, box in dialog.outcomes.items():
            value = Outcome.BEHAALD if gid == reached.id else Outcome.NIET_BEHAALD
            box.setCurrentIndex(box.findData(value.value))
        dialog.open_only.setFocus()
        qtbot.keyClick(dialog.open_only, Qt.Key.Key_Space)
        assert dialog.open_only.isChecked()
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    driver = ModalDriver(EvaluateDialog, evaluate)
    qtbot.mouseClick(w.evaluate_button, Qt.MouseButton.LeftButton)
    driver.check()
    assert w.data.number == 2
    assert [g.goal for g in w.data.goals] == [g.goal for g in fixed.goals[1:]]
