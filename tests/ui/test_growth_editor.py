"""The groeidocument editor, driven as a user: two periods, carry-over, closing, conflicts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ib_desktop.models import (
    DocumentStatus,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    Outcome,
    Pupil,
    PupilStatus,
)
from ib_desktop.services import plans
from ib_desktop.services.school import development_areas
from ib_desktop.ui.plans import growth_editor
from ib_desktop.ui.plans.growth_dialogs import AreasDialog, ClosePeriodDialog
from ib_desktop.ui.plans.growth_editor import GrowthEditor
from ib_desktop.validation import ReadOnlyError
from tests.conftest import TODAY

CTRL = Qt.KeyboardModifier.ControlModifier


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
    """An active pupil of the demo school without a groeidocument."""
    with ctx.db.session() as s:
        has_doc = sa.select(GrowthDocument.pupil_id)
        return s.scalars(
            sa.select(Pupil.id)
            .where(
                Pupil.status == PupilStatus.ACTIEF,
                Pupil.group_id.is_not(None),
                Pupil.id.not_in(has_doc),
            )
            .order_by(Pupil.id)
        ).first()


def _open(ctx, nav, qtbot, **kwargs) -> GrowthEditor:
    window = growth_editor.open_editor(ctx, nav, **kwargs)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def _keep_editing(qtbot, seen: dict):
    """On the conflict dialog: note what it shows, then "Verder bewerken" (nothing lost)."""
    from ib_desktop.ui.widgets.conflict_dialog import ConflictDialog
    from tests.ui.pupil_helpers import ModalDriver

    def act(dialog: ConflictDialog) -> None:
        seen["title"] = dialog.title_label.text()
        seen["fields"] = {
            dialog.table.item(r, ConflictDialog.COL_FIELD).text(): (
                dialog.table.item(r, ConflictDialog.COL_MINE).text(),
                dialog.table.item(r, ConflictDialog.COL_THEIRS).text(),
            )
            for r in range(dialog.table.rowCount())
        }
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)

    return ModalDriver(ConflictDialog, act)


def _save(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_S, CTRL)


def _dialog_script(
    monkeypatch, *steps: Callable[[ClosePeriodDialog], None]
) -> list[ClosePeriodDialog]:
    """Run the closing dialog's ``exec`` as a user would: the steps type and click."""
    seen: list[ClosePeriodDialog] = []

    def exec_(dialog: ClosePeriodDialog) -> int:
        seen.append(dialog)
        dialog.show()
        for step in steps:
            step(dialog)
        return dialog.result()

    monkeypatch.setattr(ClosePeriodDialog, "exec", exec_)
    return seen


def _write_two_period_document(ctx, nav, qtbot, pupil_id, monkeypatch) -> GrowthEditor:
    """Period 1 with Rekenen and Spelling, evaluated and closed; period 2 carries Rekenen over."""
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    page = window.pages[0]
    _type(qtbot, page.cells["Rekenen"].goal_edit, "Tafels 1 t/m 5 binnen 3 seconden")
    _type(qtbot, page.cells["Rekenen"].execution_edit, "- dagelijks flitsen")
    _type(qtbot, page.cells["Spelling"].goal_edit, "Woorden met -ng en -nk")
    _save(qtbot, window)
    assert window.data.id is not None

    def click_close(dialog: ClosePeriodDialog) -> None:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)

    def fill(dialog: ClosePeriodDialog) -> None:
        for area, outcome in (("Rekenen", Outcome.NIET_BEHAALD), ("Spelling", Outcome.BEHAALD)):
            evaluation, combo = dialog.rows[area]
            _type(qtbot, evaluation, f"Evaluatie {area}")
            combo.setCurrentIndex(combo.findData(outcome.value))

    seen = _dialog_script(monkeypatch, click_close, fill, click_close)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert window.data.periods[0].closed

    qtbot.mouseClick(window.new_period_button, Qt.MouseButton.LeftButton)
    assert [p.number for p in window.data.periods] == [1, 2]
    assert window.tabs.currentIndex() == 1
    assert "Voortgezet: Rekenen." in window.statusBar().currentMessage()
    second = window.pages[1]
    _type(qtbot, second.cells["Taal"].goal_edit, "Vertelt in drie zinnen")
    _save(qtbot, window)
    return window


def test_write_a_two_period_groeidocument(
    ctx, nav, qtbot, pupil_id, monkeypatch, no_dialogs
) -> None:
    with ctx.db.session() as s:
        areas = development_areas(s, ctx.school_id)
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    assert window.data.areas == areas
    assert list(window.pages[0].cells) == areas
    assert window.tabs.tabText(0) == "Periode 1"
    window.close()

    window = _write_two_period_document(ctx, nav, qtbot, pupil_id, monkeypatch)
    doc_id = window.data.id
    with ctx.db.session() as s:
        periods = s.scalars(
            sa.select(GrowthPeriod)
            .where(GrowthPeriod.document_id == doc_id)
            .order_by(GrowthPeriod.number)
        ).all()
        assert [(p.number, p.closed) for p in periods] == [(1, True), (2, False)]
        goals = {
            (p.number, g.area): g
            for p in periods
            for g in s.scalars(sa.select(GrowthGoal).where(GrowthGoal.period_id == p.id))
        }
    assert goals[(1, "Rekenen")].execution == "- dagelijks flitsen"
    assert goals[(1, "Rekenen")].outcome == Outcome.NIET_BEHAALD
    assert goals[(2, "Rekenen")].goal == "Tafels 1 t/m 5 binnen 3 seconden"
    assert goals[(2, "Rekenen")].carried_over_from_id == goals[(1, "Rekenen")].id
    assert (2, "Spelling") not in goals  # reached: not carried over
    assert goals[(2, "Taal")].goal == "Vertelt in drie zinnen"
    assert window.tabs.tabText(0) == "Periode 1 (afgesloten)"


def test_carried_over_goal_is_marked_visibly(
    ctx, nav, qtbot, pupil_id, monkeypatch, no_dialogs
) -> None:
    window = _write_two_period_document(ctx, nav, qtbot, pupil_id, monkeypatch)
    cell = window.pages[1].cells["Rekenen"]
    assert not cell.carried_label.isHidden()
    assert "Voortgezet uit periode 1 (niet behaald)" in cell.carried_label.text()
    assert "(voortgezet)" in cell.title()
    assert window.pages[1].cells["Spelling"].carried_label.isHidden()
    items = [
        window.pages[1].area_list.item(i).text() for i in range(window.pages[1].area_list.count())
    ]
    assert "Rekenen  \u21bb" in items


def test_closing_a_period_without_evaluations_names_the_goals(
    ctx, nav, qtbot, pupil_id, monkeypatch, no_dialogs
) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    page = window.pages[0]
    _type(qtbot, page.cells["Rekenen"].goal_edit, "Tafels")
    _type(qtbot, page.cells["Taal"].goal_edit, "Vertellen")
    messages: list[str] = []

    def click_and_read(dialog: ClosePeriodDialog) -> None:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        messages.extend(
            w.error_label.text() for w in dialog.errors.fields.values() if w.error_label.text()
        )

    def cancel(dialog: ClosePeriodDialog) -> None:
        _type(qtbot, dialog.rows["Taal"][0], "Half gelukt")
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    _dialog_script(monkeypatch, click_and_read, cancel)
    assert not window.close_period(1)
    assert len(messages) == 2
    assert any("Rekenen" in m and "Tafels" in m for m in messages)
    assert any("Taal" in m and "Vertellen" in m for m in messages)
    assert not window.data.periods[0].closed
    # What was typed in the cancelled dialog is kept in the cell, not lost.
    assert page.cells["Taal"].evaluation_edit.toPlainText() == "Half gelukt"
    assert window.is_dirty()


def test_new_period_asks_to_close_the_open_one_first(
    ctx, nav, qtbot, pupil_id, monkeypatch
) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, window.pages[0].cells["Rekenen"].goal_edit, "Tafels")
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.No,
    )
    assert not window.add_period()
    assert "Periode 1 is nog niet afgesloten" in asked[0]
    assert len(window.data.periods) == 1
    assert window.data.id is not None  # pending edits were saved first


def test_areas_can_be_left_out_and_come_back(
    ctx, nav, qtbot, pupil_id, monkeypatch, no_dialogs
) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, window.pages[0].cells["Spelling"].goal_edit, "Spellingdoel")
    kept = [a for a in window.data.areas if a not in ("Spelling", "Taal")]
    monkeypatch.setattr(
        AreasDialog, "choose", classmethod(lambda cls, parent, available, chosen: kept)
    )
    qtbot.mouseClick(window.areas_button, Qt.MouseButton.LeftButton)
    assert list(window.pages[0].cells) == kept
    assert "Spelling" not in window.areas_label.text()
    _save(qtbot, window)
    with ctx.db.session() as s:
        doc = s.get(GrowthDocument, window.data.id)
        assert doc.areas == kept
    everything = [*kept[:3], "Spelling", *kept[3:]]
    monkeypatch.setattr(
        AreasDialog, "choose", classmethod(lambda cls, parent, available, chosen: everything)
    )
    qtbot.mouseClick(window.areas_button, Qt.MouseButton.LeftButton)
    assert window.pages[0].cells["Spelling"].goal_edit.toPlainText() == "Spellingdoel"


def test_areas_dialog_needs_one_area(qtbot) -> None:
    dialog = AreasDialog(["Rekenen", "Taal"], ["Rekenen"])
    qtbot.addWidget(dialog)
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog._on_accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "ten minste" in dialog.error.text()
    dialog.list.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.chosen() == ["Taal"]


def test_closed_document_is_read_only_in_widgets_and_service(
    ctx, nav, qtbot, pupil_id, monkeypatch, no_dialogs
) -> None:
    window = _write_two_period_document(ctx, nav, qtbot, pupil_id, monkeypatch)
    # The closed first period is read-only even while the document is active.
    first = window.pages[0]
    assert first.cells["Rekenen"].goal_edit.isReadOnly()
    assert not first.start_edit.isEnabled()
    assert not window.pages[1].cells["Rekenen"].goal_edit.isReadOnly()

    window.activate_action.trigger()
    assert window.data.status == DocumentStatus.ACTIEF

    def fill_all(dialog: ClosePeriodDialog) -> None:
        for area, (evaluation, combo) in dialog.rows.items():
            _type(qtbot, evaluation, f"Klaar met {area}")
            combo.setCurrentIndex(combo.findData(Outcome.BEHAALD.value))
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)

    _dialog_script(monkeypatch, fill_all)
    window.close_doc_action.trigger()  # period 2 is evaluated and closed first, then the document
    assert window.data.status == DocumentStatus.AFGESLOTEN
    assert all(p.closed for p in window.data.periods)
    for page in window.pages:
        for cell in page.cells.values():
            assert cell.goal_edit.isReadOnly()
            assert cell.evaluation_edit.isReadOnly()
            assert not cell.outcome_combo.isEnabled()
    assert window.title_edit.isReadOnly()
    assert not window.new_period_button.isEnabled()
    assert not window.areas_button.isEnabled()
    assert not window.save_action.isEnabled()
    cell = window.pages[1].cells["Taal"]
    _type(qtbot, cell.goal_edit, "extra")
    assert cell.goal_edit.toPlainText() == "Vertelt in drie zinnen"
    data = window.form_data()
    data.title = "Gewijzigd"
    with pytest.raises(ReadOnlyError), ctx.db.session() as s:
        plans.save_growth_document(s, data, today=TODAY)

    window.reopen_action.trigger()
    assert window.data.status == DocumentStatus.ACTIEF
    assert not window.title_edit.isReadOnly()


def test_second_window_save_is_refused_and_keeps_its_text(
    ctx, nav, qtbot, pupil_id, no_dialogs
) -> None:
    first = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, first.pages[0].cells["Rekenen"].goal_edit, "Begin")
    _save(qtbot, first)
    second = _open(ctx, nav, qtbot, doc_id=first.data.id)

    _type(qtbot, first.pages[0].cells["Taal"].goal_edit, "Van een")
    _save(qtbot, first)
    _type(qtbot, second.pages[0].cells["Lezen (technisch)"].goal_edit, "Van twee")
    # The shared conflict dialog, not a message box (issue 14): "Verder bewerken" keeps it all.
    seen: dict = {}
    driver = _keep_editing(qtbot, seen)
    _save(qtbot, second)
    driver.check()
    assert no_dialogs["warning"] == []
    assert seen["title"] == "Test IB-er heeft dit intussen gewijzigd"
    mine, theirs = seen["fields"]["periode 1"]
    assert "Lezen (technisch): Van twee" in mine
    assert "Taal: Van een" in theirs
    assert second.pages[0].cells["Lezen (technisch)"].goal_edit.toPlainText() == "Van twee"
    assert second.is_dirty()
    with ctx.db.session() as s:
        fresh = plans.load_growth_document(s, first.data.id)
    assert fresh.periods[0].goal_for("Taal").goal == "Van een"
    assert fresh.periods[0].goal_for("Lezen (technisch)").goal == ""


def test_tab_moves_through_an_area_then_to_the_next(ctx, nav, qtbot, pupil_id, no_dialogs) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    page = window.pages[0]
    areas = list(page.cells)
    first, second = page.cells[areas[0]], page.cells[areas[1]]
    first.goal_edit.setFocus()
    expected = [
        first.support_edit,
        first.execution_edit,
        first.evaluation_edit,
        first.outcome_combo,
        second.goal_edit,
    ]
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget


def test_area_index_jumps_to_the_area(ctx, nav, qtbot, pupil_id, no_dialogs) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    page = window.pages[0]
    last = page.area_list.item(page.area_list.count() - 1)
    page.area_list.setFocus()
    page.area_list.setCurrentItem(last)
    qtbot.keyClick(page.area_list, Qt.Key.Key_Return)
    area = last.data(Qt.ItemDataRole.UserRole)
    assert QApplication.focusWidget() is page.cells[area].goal_edit


def test_print_previews_the_saved_document(
    ctx, nav, qtbot, pupil_id, monkeypatch, no_dialogs
) -> None:
    from ib_desktop.ui.widgets import pdf_preview

    shown = []
    monkeypatch.setattr(
        pdf_preview.PdfPreviewDialog,
        "preview",
        classmethod(lambda cls, parent, pdf, title, name: shown.append((pdf, title))),
    )
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, window.pages[0].cells["Rekenen"].goal_edit, "Tafels")
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_P, CTRL)
    assert window.data.id is not None
    assert shown
    assert shown[0][0].startswith(b"%PDF")
    assert shown[0][1].startswith("Groeidocument")


def test_recovered_edits_are_offered_and_not_saved(ctx, nav, qtbot, pupil_id, no_dialogs) -> None:
    from ib_desktop.ui.recovery import store_for

    with ctx.db.session() as s:
        data = plans.new_growth_document(s, pupil_id, today=TODAY)
        data.periods[0].goal_for("Rekenen").goal = "Opgeslagen doel"
        saved = plans.save_growth_document(s, data, today=TODAY)
    payload = {
        "title": "Groeidocument na de crash",
        "periods": [
            {"number": 1, "goals": {"Rekenen": {"goal": "Getypt voor de crash", "outcome": None}}}
        ],
    }
    store_for(ctx).put(f"groeidocument:{saved.id}", "Groeidocument", payload)
    window = _open(ctx, nav, qtbot, doc_id=saved.id)
    assert len(no_dialogs["question"]) == 1
    assert window.title_edit.text() == "Groeidocument na de crash"
    assert window.pages[0].cells["Rekenen"].goal_edit.toPlainText() == "Getypt voor de crash"
    assert window.is_dirty()
    with ctx.db.session() as s:
        assert (
            plans.load_growth_document(s, saved.id).periods[0].goal_for("Rekenen").goal
            == "Opgeslagen doel"
        )
    _save(qtbot, window)
    with ctx.db.session() as s:
        fresh = plans.load_growth_document(s, saved.id)
    assert fresh.periods[0].goal_for("Rekenen").goal == "Getypt voor de crash"
    assert store_for(ctx).get(f"groeidocument:{saved.id}") is None


def test_history_lists_cell_changes(ctx, nav, qtbot, pupil_id, no_dialogs) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, window.pages[0].cells["Rekenen"].goal_edit, "Eerste")
    _save(qtbot, window)
    _type(qtbot, window.pages[0].cells["Rekenen"].goal_edit, " en meer")
    _save(qtbot, window)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_H, CTRL)
    dialog = window.history_dialog
    qtbot.addWidget(dialog)
    fields = [dialog.model.entry(r).field for r in range(dialog.model.rowCount())]
    assert "periode 1 · Rekenen · doel" in fields
    assert dialog.new_text.toPlainText() == "Eerste en meer"
