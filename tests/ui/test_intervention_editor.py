"""The korte interventie editor, driven as a user: typing, saving, status, history, conflicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ib_desktop.models import (
    ChangeLog,
    DocumentStatus,
    Outcome,
    Pupil,
    PupilStatus,
    ShortIntervention,
)
from ib_desktop.services import plans
from ib_desktop.ui import intervention_editor
from ib_desktop.ui.history_dialog import HistoryModel
from ib_desktop.validation import ReadOnlyError
from tests.conftest import TODAY

CTRL = Qt.KeyboardModifier.ControlModifier


class FakeNav:
    """Records what an editor asks of the main window."""

    def __init__(self) -> None:
        self.changed = 0
        self.opened: list[int] = []

    def notify_changed(self) -> None:
        self.changed += 1

    def open_pupil(self, pupil_id: int) -> None:
        self.opened.append(pupil_id)


@pytest.fixture
def nav() -> FakeNav:
    return FakeNav()


@pytest.fixture
def pupil_id(ctx) -> int:
    """An active pupil of the demo school with a group and a teacher."""
    with ctx.db.session() as s:
        return s.scalars(
            sa.select(Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF, Pupil.group_id.is_not(None))
            .order_by(Pupil.id)
        ).first()


def _open(ctx, nav, qtbot, **kwargs) -> intervention_editor.InterventionEditor:
    window = intervention_editor.open_editor(ctx, nav, **kwargs)
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


def _row(ctx, doc_id: int) -> ShortIntervention:
    with ctx.db.session() as s:
        return s.get(ShortIntervention, doc_id)


def test_write_a_korte_interventie_by_typing(ctx, nav, qtbot, pupil_id, no_dialogs) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    with ctx.db.session() as s:
        pupil = s.get(Pupil, pupil_id)
        group = pupil.group.name
        teacher = pupil.group.teachers[0]
        teacher_id, teacher_name = teacher.id, teacher.full_name
    # Prefilled from the pupil.
    assert window.group_edit.text() == group
    assert window.teacher_combo.currentData() == teacher_id
    assert window.start_edit.date().toPython() == TODAY
    assert "Nieuw document" in window._banner.text()

    _type(qtbot, window.goal_edit, "Leest AVI-E4 op instructieniveau.")
    _type(qtbot, window.support_edit, "Korte instructie aan de instructietafel.")
    _type(qtbot, window.execution_edit, "- 3x per week 15 minuten lezen")
    qtbot.keyClick(window.execution_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(window.execution_edit, "elke vrijdag terugkijken")
    assert window.is_dirty()
    _save(qtbot, window)

    assert window.data.id is not None
    assert not window.is_dirty()
    assert nav.changed == 1
    row = _row(ctx, window.data.id)
    assert row.goal == "Leest AVI-E4 op instructieniveau."
    assert row.execution == "- 3x per week 15 minuten lezen\n- elke vrijdag terugkijken"
    assert (row.group_name, row.teacher_id, row.teacher_name) == (group, teacher_id, teacher_name)
    assert row.status == DocumentStatus.CONCEPT
    assert window.windowTitle().startswith("Korte interventie - ")
    assert "*" not in window.windowTitle()


def _count(ctx) -> int:
    with ctx.db.session() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(ShortIntervention))


def test_end_before_start_shows_a_message_beside_the_field(
    ctx, nav, qtbot, pupil_id, no_dialogs
) -> None:
    before = _count(ctx)
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    window.end_edit.setDate(window.start_edit.date().addDays(-3))
    assert "vóór de startdatum" in window.errors.message("end_date")
    _save(qtbot, window)
    assert window.data.id is None
    assert "vóór de startdatum" in window.errors.message("end_date")
    assert _count(ctx) == before


def test_period_outside_four_to_eight_weeks_warns_without_refusing(
    ctx, nav, qtbot, pupil_id, no_dialogs
) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    assert window.period_warning.isHidden()
    assert window.duration_label.text() == "(6 weken)"
    window.end_edit.setDate(window.start_edit.date().addDays(14))
    assert not window.period_warning.isHidden()
    assert "4 tot 8 weken" in window.period_warning.text()
    _type(qtbot, window.goal_edit, "Kort doel")
    _save(qtbot, window)
    assert window.data.id is not None  # a warning, not an error


def test_status_close_makes_it_read_only_and_reopen_is_recorded(
    ctx, nav, qtbot, pupil_id, no_dialogs
) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, window.goal_edit, "Doel")
    assert window.activate_action.isVisible()
    window.activate_action.trigger()  # saves first, then activates (confirmed)
    assert window.data.status == DocumentStatus.ACTIEF
    assert not window.activate_action.isVisible()
    assert window.close_doc_action.isVisible()

    # Closing without an evaluation is refused, beside the fields.
    window.close_doc_action.trigger()
    assert window.data.status == DocumentStatus.ACTIEF
    assert "evaluatie" in window.errors.message("evaluation")
    assert window.errors.message("outcome")

    _type(qtbot, window.evaluation_edit, "Doel gehaald.")
    assert window.evaluated_on_edit.value() == TODAY  # filled in when the evaluation is written
    window.outcome_combo.setCurrentIndex(window.outcome_combo.findData(Outcome.BEHAALD.value))
    window.close_doc_action.trigger()
    assert window.data.status == DocumentStatus.AFGESLOTEN
    row = _row(ctx, window.data.id)
    assert (row.status, row.evaluation, row.outcome) == (
        DocumentStatus.AFGESLOTEN,
        "Doel gehaald.",
        Outcome.BEHAALD,
    )

    # Read-only: the widgets refuse typing, and the service refuses a save.
    assert window.goal_edit.isReadOnly()
    assert window.evaluation_edit.isReadOnly()
    assert window.group_edit.isReadOnly()
    assert not window.outcome_combo.isEnabled()
    assert not window.save_action.isEnabled()
    _type(qtbot, window.goal_edit, "extra")
    assert window.goal_edit.markdown() == "Doel"
    assert "alleen-lezen" in window._banner.text()
    with pytest.raises(ReadOnlyError), ctx.db.session() as s:
        plans.save_intervention(
            s, plans.InterventionData(**{**window.data.__dict__, "goal": "x"}), today=TODAY
        )

    window.reopen_action.trigger()
    assert window.data.status == DocumentStatus.ACTIEF
    assert not window.goal_edit.isReadOnly()
    with ctx.db.session() as s:
        actions = s.scalars(
            sa.select(ChangeLog.action).where(
                ChangeLog.entity == "korte_interventie", ChangeLog.entity_id == window.data.id
            )
        ).all()
    assert actions[-1] == "heropend"
    assert "afgesloten" in actions


def test_second_window_save_is_refused_and_keeps_its_text(
    ctx, nav, qtbot, pupil_id, no_dialogs
) -> None:
    first = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, first.goal_edit, "Eerste versie")
    _save(qtbot, first)
    doc_id = first.data.id
    second = _open(ctx, nav, qtbot, doc_id=doc_id)

    _type(qtbot, first.support_edit, "Van venster een")
    _save(qtbot, first)
    assert no_dialogs["warning"] == []

    _type(qtbot, second.support_edit, "Van venster twee")
    # The shared conflict dialog, not a message box (issue 14): "Verder bewerken" keeps it all.
    seen: dict = {}
    driver = _keep_editing(qtbot, seen)
    _save(qtbot, second)
    driver.check()
    assert no_dialogs["warning"] == []
    assert seen["title"] == "Test IB-er heeft dit intussen gewijzigd"
    assert seen["fields"]["ondersteuningsbehoefte"] == ("Van venster twee", "Van venster een")
    assert second.support_edit.toPlainText() == "Van venster twee"  # nothing lost
    assert second.is_dirty()
    assert _row(ctx, doc_id).support_need == "Van venster een"


def test_closing_with_unsaved_changes_asks(ctx, nav, qtbot, pupil_id, monkeypatch) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, window.goal_edit, "Nog niet bewaard")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    assert not window.close()  # Cancel keeps the window and the text
    assert window.isVisible()
    assert window.goal_edit.toPlainText() == "Nog niet bewaard"
    assert window.close()  # Save stores it, then closes
    assert len(asked) == 2
    assert "niet zijn opgeslagen" in asked[0]
    assert _row(ctx, window.data.id).goal == "Nog niet bewaard"


def test_discard_on_close_saves_nothing(ctx, nav, qtbot, pupil_id, monkeypatch) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, window.goal_edit, "Weg ermee")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.close()
    assert window.data.id is None


def test_history_shows_who_changed_what(
    ctx, nav, qtbot, pupil_id, no_dialogs, model_tester
) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    assert not window.history_action.isEnabled()  # nothing saved yet
    _type(qtbot, window.goal_edit, "Oud doel")
    _save(qtbot, window)
    window.goal_edit.selectAll()
    qtbot.keyClicks(window.goal_edit, "Nieuw doel")
    _save(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_H, CTRL)
    dialog = window.history_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    model_tester(dialog.model)
    model_tester(dialog.proxy)
    entries = [dialog.model.entry(r) for r in range(dialog.model.rowCount())]
    assert [(e.action, e.field, e.old_value, e.new_value) for e in entries][-1] == (
        "gewijzigd",
        "doel",
        "Oud doel",
        "Nieuw doel",
    )
    assert all(e.actor == "Test IB-er" for e in entries)
    # Newest first; the selected line's full texts are shown.
    first = dialog.proxy.index(0, HistoryModel.COL_FIELD)
    assert first.data() == "doel"
    assert dialog.old_text.toPlainText() == "Oud doel"
    assert dialog.new_text.toPlainText() == "Nieuw doel"
    qtbot.keyClicks(dialog.search, "aangemaakt")
    assert dialog.proxy.rowCount() == 1


def test_recovered_edits_are_offered_and_not_saved(ctx, nav, qtbot, pupil_id, no_dialogs) -> None:
    from ib_desktop.ui.recovery import store_for

    with ctx.db.session() as s:
        data = plans.new_intervention(s, pupil_id, today=TODAY)
        saved = plans.save_intervention(
            s, plans.InterventionData(**{**data.__dict__, "goal": "Opgeslagen"}), today=TODAY
        )
    store_for(ctx).put(
        f"korte_interventie:{saved.id}",
        "Korte interventie",
        {"goal": "Na de crash", "end_date": TODAY + timedelta(weeks=5)},
    )
    window = _open(ctx, nav, qtbot, doc_id=saved.id)
    assert len(no_dialogs["question"]) == 1
    assert "niet zijn opgeslagen" in no_dialogs["question"][0]
    assert window.goal_edit.toPlainText() == "Na de crash"
    assert window.end_edit.date().toPython() == TODAY + timedelta(weeks=5)
    assert window.is_dirty()
    assert _row(ctx, saved.id).goal == "Opgeslagen"
    _save(qtbot, window)
    assert _row(ctx, saved.id).goal == "Na de crash"
    assert store_for(ctx).get(f"korte_interventie:{saved.id}") is None


def test_keyboard_tab_order_follows_the_form(ctx, nav, qtbot, pupil_id, no_dialogs) -> None:
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    expected = [
        window.group_edit, window.teacher_combo, window.start_edit, window.end_edit,
        window.goal_edit, window.support_edit, window.execution_edit, window.evaluation_edit,
        window.outcome_combo,
    ]  # fmt: skip
    window.group_edit.setFocus()
    for current, following in zip(expected, expected[1:], strict=False):
        # A date field takes Tab for its day, month and year first (Qt's own behaviour).
        for _ in range(4):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if QApplication.focusWidget() is not current:
                break
        focus = QApplication.focusWidget()
        assert focus is following or following.isAncestorOf(focus)


def test_print_calls_the_report_and_previews(
    ctx, nav, qtbot, pupil_id, no_dialogs, monkeypatch
) -> None:
    from ib_desktop.ui.widgets import pdf_preview

    shown = []
    monkeypatch.setattr(
        pdf_preview.PdfPreviewDialog,
        "preview",
        classmethod(lambda cls, parent, pdf, title, name: shown.append((pdf, title, name))),
    )
    window = _open(ctx, nav, qtbot, pupil_id=pupil_id)
    _type(qtbot, window.goal_edit, "Te printen doel")
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)  # asks to save first (answered yes)
    assert window.data.id is not None
    assert len(shown) == 1
    pdf, title, name = shown[0]
    assert pdf.startswith(b"%PDF")
    assert title.startswith("Korte interventie")
    assert name.endswith(".pdf")
