"""Ending an OPP in the editor, and undoing it, driven as a user."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ib_desktop.models import ChangeLog, Opp, OppStatus
from ib_desktop.schedule import compute_moments
from ib_desktop.services import opp as svc
from ib_desktop.ui.opp.editor import OppEditorWindow
from ib_desktop.ui.opp.end_dialog import OppEndDialog
from ib_desktop.ui.opp.entry import open_editor
from tests.conftest import TODAY
from tests.services.test_opp_end import demo_opp
from tests.ui.test_opp_editor import FRESH, FakeNav, click, type_text, with_modal

YESTERDAY = TODAY - timedelta(days=1)


def open_evaluations(ctx, opp_id: int) -> list:
    """The OPP evaluation moments of ``opp_id`` that the schedule lists as open today."""
    with ctx.db.session() as s:
        return [
            m
            for m in compute_moments(s, ctx.school_id, today=TODAY)
            if m.source_kind == "opp"
            and m.source_id == opp_id
            and m.key.startswith(f"opp:{opp_id}:evaluatie")
            and m.done_on is None
        ]


def action_text(window: OppEditorWindow) -> str:
    return window.end_action.text().replace("&", "")


@pytest.fixture
def nav() -> FakeNav:
    return FakeNav()


@pytest.fixture
def concept_editor(ctx, nav, qtbot, no_dialogs) -> OppEditorWindow:
    """The editor on a running demo OPP whose newest version is still being worked on."""
    window = open_editor(ctx, nav, doc_id=demo_opp(ctx.db, OppStatus.CONCEPT, OppStatus.BESPROKEN))
    assert isinstance(window, OppEditorWindow)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_end_and_undo_through_the_editor(qtbot, ctx, nav, concept_editor, no_dialogs) -> None:
    w = concept_editor
    opp_id = w.data.opp_id
    assert not w.read_only
    assert not w.banner.isVisible()
    assert action_text(w) == "OPP beëindigen…"
    assert open_evaluations(ctx, opp_id)
    asked = len(no_dialogs["question"])
    seen: dict[str, object] = {}

    def end(dialog: OppEndDialog) -> None:
        assert isinstance(dialog, OppEndDialog)
        # Today by default, shown the Dutch way; one day back with the arrow key.
        assert dialog.end_date.text() == "18-11-2026"
        dialog.end_date.setFocus()
        qtbot.keyClick(dialog.end_date, Qt.Key.Key_Down)
        assert dialog.end_date.text() == "17-11-2026"
        # OK without a reason: a message beside the field, no question, the dialog stays.
        click(qtbot, dialog.ok_button)
        seen["empty"] = dialog.errors.message("reason")
        seen["asked_on_empty"] = len(no_dialogs["question"]) - asked
        seen["open_after_empty"] = dialog.isVisible()
        type_text(qtbot, dialog.reason, "Doelen behaald; geen extra ondersteuning meer nodig")
        assert dialog.errors.message("reason") == ""
        click(qtbot, dialog.ok_button)

    with_modal(lambda: w.end_action.trigger(), end)
    assert seen["empty"] == "Vul de reden in waarom het OPP wordt beëindigd."
    assert seen["asked_on_empty"] == 0
    assert seen["open_after_empty"] is True
    # The confirmation says what happens and that it can be undone.
    confirmation = no_dialogs["question"][-1]
    assert "17 november 2026" in confirmation
    assert "niet meer gepland" in confirmation
    assert "ongedaan" in confirmation

    with ctx.db.session() as s:
        assert s.get(Opp, opp_id).end_date == YESTERDAY
    assert w.banner.isVisible()
    assert w.banner.text().startswith(
        "Dit OPP is beëindigd op 17 november 2026: Doelen behaald; geen extra ondersteuning "
        "meer nodig."
    )
    assert w.read_only
    assert w.page(10).fields["adjustments"].isReadOnly()
    assert not w.page(9).add_button.isVisible()
    assert not w.save_action.isEnabled()
    assert not w.fix_button.isVisible()
    assert not w.discussed_button.isVisible()
    assert "alleen lezen" in w.status_label.text()
    assert action_text(w) == "Beëindiging ongedaan maken…"
    assert open_evaluations(ctx, opp_id) == []
    # Typing does nothing, and saving is refused with a message that names the end.
    qtbot.keyClicks(w.page(10).fields["adjustments"], "extra")
    assert not w.is_dirty()
    assert w.save() is False
    assert "beëindigd" in no_dialogs["information"][-1]

    # Undo, after a confirmation.
    w.end_action.trigger()
    assert "ongedaan maken" in no_dialogs["question"][-1]
    assert "17 november 2026" in no_dialogs["question"][-1]
    with ctx.db.session() as s:
        assert s.get(Opp, opp_id).end_date is None
        actions = list(
            s.scalars(
                sa.select(ChangeLog.action)
                .where(ChangeLog.entity == "opp", ChangeLog.entity_id == opp_id)
                .order_by(ChangeLog.id)
            )
        )
    assert actions[-2:] == ["beëindigd", "weer lopend"]
    assert not w.read_only
    assert not w.banner.isVisible()
    assert not w.page(10).fields["adjustments"].isReadOnly()
    assert w.save_action.isEnabled()
    assert action_text(w) == "OPP beëindigen…"
    assert open_evaluations(ctx, opp_id)


def test_cancelling_the_confirmation_keeps_the_opp_running(
    qtbot, ctx, concept_editor, monkeypatch
) -> None:
    w = concept_editor
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.No
    )
    closed: list[int] = []

    def end(dialog: OppEndDialog) -> None:
        type_text(qtbot, dialog.reason, "Verhuisd")
        click(qtbot, dialog.ok_button)
        assert dialog.isVisible()  # No: back in the dialog, nothing ended
        click(qtbot, dialog.cancel_button)
        closed.append(dialog.result())

    with_modal(lambda: w.end_action.trigger(), end)
    assert closed == [0]
    with ctx.db.session() as s:
        assert s.get(Opp, w.data.opp_id).end_date is None
    assert not w.read_only
    assert action_text(w) == "OPP beëindigen…"


def test_a_refused_end_date_is_shown_beside_the_field(qtbot, ctx, nav, no_dialogs) -> None:
    window = open_editor(ctx, nav, doc_id=demo_opp(ctx.db, OppStatus.VASTGESTELD))
    qtbot.addWidget(window)
    window.show()
    fixed_on = window.data.fixed_on
    assert window.data.opp_start_date < fixed_on
    messages: list[str] = []

    def end(dialog: OppEndDialog) -> None:
        from ib_desktop.ui.widgets.forms import to_qdate

        dialog.end_date.setDate(to_qdate(fixed_on - timedelta(days=1)))
        type_text(qtbot, dialog.reason, "Naar het SBO")
        click(qtbot, dialog.ok_button)
        messages.append(dialog.errors.message("end_date"))
        assert dialog.isVisible()
        click(qtbot, dialog.cancel_button)

    with_modal(lambda: window.end_action.trigger(), end)
    assert messages[0].endswith("vastgesteld; de einddatum kan niet daarvoor liggen.")
    with ctx.db.session() as s:
        assert s.get(Opp, window.data.opp_id).end_date is None
    # The fixed version's own banner is back in charge, and evaluating is still offered.
    assert "vastgesteld" in window.banner.text()
    assert window.evaluate_button.isVisible()


def test_ending_hides_evaluation_of_a_fixed_version(qtbot, ctx, nav, no_dialogs) -> None:
    window = open_editor(ctx, nav, doc_id=demo_opp(ctx.db, OppStatus.VASTGESTELD))
    qtbot.addWidget(window)
    window.show()
    assert window.evaluate_button.isVisible()

    def end(dialog: OppEndDialog) -> None:
        type_text(qtbot, dialog.reason, "Naar het SBO")
        click(qtbot, dialog.ok_button)

    with_modal(lambda: window.end_action.trigger(), end)
    assert window.data.is_ended
    assert not window.evaluate_button.isVisible()
    assert window.banner.text().startswith(
        "Dit OPP is beëindigd op 18 november 2026: Naar het SBO."
    )
    assert "volgende evaluatie" not in window.header.text()


def test_a_new_opp_is_offered_for_a_pupil_whose_opp_ended(qtbot, ctx, nav, no_dialogs) -> None:
    with ctx.db.session() as s:
        old = svc.start_opp(s, FRESH, on=TODAY - timedelta(days=30))
        svc.end_opp(s, old.opp_id, end_date=YESTERDAY, reason="Doelen behaald.")
    window = open_editor(ctx, nav, pupil_id=FRESH)
    qtbot.addWidget(window)
    assert "beëindigd op 17 november 2026" in no_dialogs["question"][-1]
    assert window.data.opp_id != old.opp_id
    assert window.data.number == 1
    assert not window.read_only
    with ctx.db.session() as s:
        assert svc.opp_for_pupil(s, FRESH) == window.data.opp_id
        assert s.get(Opp, old.opp_id).end_date == YESTERDAY


def test_answering_no_opens_the_ended_opp_to_read(qtbot, ctx, nav, monkeypatch) -> None:
    with ctx.db.session() as s:
        old = svc.start_opp(s, FRESH, on=TODAY - timedelta(days=30))
        svc.end_opp(s, old.opp_id, end_date=YESTERDAY, reason="Doelen behaald.")
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.No
    )
    window = open_editor(ctx, nav, pupil_id=FRESH)
    qtbot.addWidget(window)
    assert window.data.opp_id == old.opp_id
    assert window.read_only
    assert "Doelen behaald." in window.banner.text()
