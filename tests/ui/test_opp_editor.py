"""The OPP editor driven as a user: fill all parts, get refused, consent, sign, fix, evaluate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QPushButton, QWidget

from ib_desktop.models import ChangeLog, Guardian, OppStatus, OppVersion, Pupil, PupilStatus
from ib_desktop.services import opp as svc
from ib_desktop.ui.opp_editor import OppEditorWindow, open_editor
from ib_desktop.ui.opp_parts_pages import (
    ConsentDialog,
    ConsentModel,
    ConversationModel,
    GoalTableModel,
    PreviousGoalsModel,
    SignatureEntryDialog,
    SignatureModel,
    SubjectLevelModel,
)
from ib_desktop.ui.widgets.conflict_dialog import ConflictDialog
from ib_desktop.ui.widgets.signature_pad import SignatureDialog
from tests.conftest import TODAY
from tests.ui.pupil_helpers import ModalDriver

FRESH = 1  # demo pupil with two guardians with gezag (Isa Courtier, Daan Sarneel), no OPP


def fixed_opp(db) -> int:
    """A demo OPP whose newest version (2 or later) is vastgesteld."""
    import sqlalchemy as sa

    from ib_desktop.models import OppVersion

    newest = (
        sa.select(OppVersion.opp_id, sa.func.max(OppVersion.number).label("n"))
        .group_by(OppVersion.opp_id)
        .subquery()
    )
    with db.session() as s:
        return s.execute(
            sa.select(OppVersion.opp_id)
            .join(
                newest, (newest.c.opp_id == OppVersion.opp_id) & (newest.c.n == OppVersion.number)
            )
            .where(OppVersion.status == "vastgesteld", OppVersion.number >= 2)
            .order_by(OppVersion.opp_id)
            .limit(1)
        ).scalar_one()


class FakeNav:
    """Records what the editor asks of the main window."""

    def __init__(self) -> None:
        self.changed = 0
        self.pupils: list[int] = []

    def open_pupil(self, pupil_id: int) -> None:
        self.pupils.append(pupil_id)

    def open_document(
        self, kind: str, doc_id: int | None = None, *, pupil_id: int | None = None
    ) -> None:
        pass

    def show_page(self, key: str) -> None:
        pass

    def notify_changed(self) -> None:
        self.changed += 1


@pytest.fixture
def nav() -> FakeNav:
    return FakeNav()


@pytest.fixture
def editor(ctx, nav, qtbot, no_dialogs) -> OppEditorWindow:
    """A new OPP for the demo pupil without one (the start question is answered yes)."""
    window = open_editor(ctx, nav, pupil_id=FRESH)
    assert isinstance(window, OppEditorWindow)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


# ------------------------------------------------------------------------------- helpers


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type like a user: ASCII through keyClicks, other characters as key events with text."""
    widget.setFocus()
    run = ""
    for ch in text:
        if ord(ch) < 128:
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )
    if run:
        qtbot.keyClicks(widget, run)


def with_modal(trigger: Callable[[], None], handler: Callable[[QWidget], None]) -> None:
    """Run ``trigger`` (which opens a modal dialog) and let ``handler`` work the dialog."""
    handled: list[QWidget] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, handle)
            return
        handled.append(dialog)
        handler(dialog)

    QTimer.singleShot(0, handle)
    trigger()
    assert handled, "no dialog opened"


def click(qtbot, button) -> None:
    """Click a button; radio buttons and check boxes on their label, where a user clicks."""
    if (
        isinstance(button, QAbstractButton)
        and button.isCheckable()
        and not isinstance(button, QPushButton)
    ):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    else:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def draw_signature(qtbot, pad) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, 100))
    for i in range(1, 12):
        qtbot.mouseMove(pad, QPoint(40 + 15 * i, 100 + (20 if i % 2 else -20)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(205, 100))


def fill_parts(qtbot, w: OppEditorWindow, *, skip: tuple[int, ...] = ()) -> None:
    """Fill parts 2-11 through the widgets (parts 1 and 13 come from the file and the meeting)."""
    if 2 not in skip:
        w.go_to_part(2)
        type_text(qtbot, w.page(2).notes, "Sinds groep 1 op deze school; geen doublures.")
    if 3 not in skip:
        w.go_to_part(3)
        click(qtbot, w.page(3).na.check)
        type_text(qtbot, w.page(3).na.reason, "Er is nog geen onderzoek gedaan.")
    if 4 not in skip:
        p4 = w.page(4)
        w.go_to_part(4)
        p4.kind.lineEdit().clear()
        type_text(qtbot, p4.kind.lineEdit(), "Arrangement op de eigen school")
        p4.granted.set_value(date(2026, 11, 1))
        p4.start.set_value(date(2026, 11, 1))
        p4.end.set_value(date(2027, 7, 17))
        type_text(
            qtbot, p4.notes, "Twee keer per week een uur begeleiding door de ambulant begeleider."
        )
    if 5 not in skip:
        w.go_to_part(5)
        type_text(qtbot, w.page(5).fields["promoting_factors"], "Gemotiveerd, betrokken ouders.")
        type_text(qtbot, w.page(5).fields["hindering_factors"], "Snel afgeleid; zwak werkgeheugen.")
    if 6 not in skip:
        w.go_to_part(6)
        for name, text in (
            ("need_attention", "Dagelijks een korte verlengde instructie."),
            ("need_materials", "Concreet rekenmateriaal."),
            ("need_space", "Een rustige werkplek."),
            ("need_expertise", "Advies van de orthopedagoog."),
            ("need_cooperation", "Afstemming met het wijkteam."),
        ):
            type_text(qtbot, w.page(6).fields[name], text)
    if 7 not in skip:
        w.go_to_part(7)
        click(qtbot, w.page(7).na.check)
        type_text(qtbot, w.page(7).na.reason, "Geen hulp buiten school.")
    if 8 not in skip:
        p8 = w.page(8)
        w.go_to_part(8)
        p8.outflow.setFocus()
        p8.outflow.setCurrentIndex(p8.outflow.findData("vmbo-kb"))
        type_text(qtbot, p8.rationale, "Op basis van de toetsresultaten en het onderzoek.")
        for row, level in enumerate(("1F", "E6", "1F")):
            index = p8.levels_proxy.index(row, SubjectLevelModel.LEVEL)
            p8.levels_view.setCurrentIndex(index)
            p8.levels_view.setFocus()
            qtbot.keyClicks(p8.levels_view, level[0])  # typing opens the level editor
            cell_editor = QApplication.focusWidget()
            qtbot.keyClicks(cell_editor, level[1:])
            qtbot.keyClick(cell_editor, Qt.Key.Key_Return)
            # The delegate commits on Enter through a queued call.
            qtbot.waitUntil(lambda row=row, level=level: p8.levels.row_at(row).level == level)
    if 9 not in skip:
        p9 = w.page(9)
        w.go_to_part(9)
        for row, (goal, inter) in enumerate(
            (
                ("Beheerst de tafels 1 t/m 10.", "Na 8 weken de tafels 1-5."),
                ("Werkt samen in een tweetal.", "Na 8 weken 10 minuten samen."),
                ("Gebruikt een stappenplan.", "Na 8 weken met hulp."),
            )
        ):
            p9.select_goal(row)
            type_text(qtbot, p9.goal, goal)
            type_text(qtbot, p9.intermediate, inter)
            p9.date.set_value(date(2027, 3, 12))
    if 10 not in skip:
        w.go_to_part(10)
        type_text(qtbot, w.page(10).fields["adjustments"], "Eigen leerlijn rekenen vanaf groep 5.")
    if 11 not in skip:
        w.go_to_part(11)
        type_text(
            qtbot, w.page(11).parents_view, "Ouders herkennen het beeld en steunen de aanpak."
        )


def discuss(qtbot, w: OppEditorWindow) -> None:
    def handler(dialog) -> None:
        type_text(qtbot, dialog.summary, "Plan doorgenomen; ouders kunnen zich erin vinden.")
        dialog._on_accept()

    with_modal(lambda: click(qtbot, w.discussed_button), handler)


def record_consent(
    qtbot, w: OppEditorWindow, guardian_id: int, *, yes: bool, view: str = ""
) -> None:
    page = w.page(13)
    w.go_to_part(13)
    page.select_guardian(guardian_id)

    def handler(dialog: ConsentDialog) -> None:
        click(qtbot, dialog.yes if yes else dialog.no)
        if view:
            type_text(qtbot, dialog.view, view)
        dialog._on_accept()

    with_modal(lambda: click(qtbot, page.consent_button), handler)


def add_signature(qtbot, w: OppEditorWindow, role, *, draw: bool) -> None:
    page = w.page(13)
    w.go_to_part(13)

    def handler(dialog: SignatureEntryDialog) -> None:
        assert dialog.select(role)
        if draw:

            def sign(pad_dialog: SignatureDialog) -> None:
                draw_signature(qtbot, pad_dialog.pad)
                click(qtbot, pad_dialog.ok_button)

            with_modal(lambda: click(qtbot, dialog.draw_button), sign)
            assert dialog.png is not None
        click(qtbot, dialog.ok_button)

    with_modal(lambda: click(qtbot, page.add_signature_button), handler)


def save(qtbot, w: OppEditorWindow) -> None:
    """Ctrl+S in the editor window (made active again after a dialog closed)."""
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not w.is_dirty()


# ------------------------------------------------------------------------------- tests


def test_new_opp_starts_after_question_with_goal_areas(editor, no_dialogs, nav) -> None:
    assert "heeft nog geen OPP" in no_dialogs["question"][0]
    assert editor.data.number == 1
    assert editor.data.status == OppStatus.CONCEPT
    assert editor.page(9).model.rowCount() == 3
    assert nav.changed == 1
    # Part 1 (guardians with gezag, family) is complete from the pupil file; 5 is not.
    assert editor.mark(1) == "✓"
    assert editor.mark(5) == "!"
    assert editor.mark(12) == "✓"  # does not apply to version 1


def test_completeness_marks_update_while_typing(qtbot, editor) -> None:
    editor.go_to_part(5)
    page = editor.page(5)
    type_text(qtbot, page.fields["promoting_factors"], "Gemotiveerd.")
    assert editor.mark(5) == "!"
    assert "Beschrijf de belemmerende factoren." in page.hint.text()
    type_text(qtbot, page.fields["hindering_factors"], "Snel afgeleid.")
    assert editor.mark(5) == "✓"
    assert "compleet" in page.hint.text()
    assert editor.is_dirty()
    assert editor.windowTitle().startswith("*")
    # Emptying a field makes the part incomplete again.
    page.fields["hindering_factors"].clear()
    assert editor.mark(5) == "!"


def test_full_life_cycle_through_the_editor(qtbot, ctx, editor, no_dialogs) -> None:
    w = editor
    fill_parts(qtbot, w, skip=(10,))
    save(qtbot, w)
    assert not w.is_dirty()
    marks = {n: w.mark(n) for n in range(1, 14)}
    # Part 11 still needs the conversation with the parents, part 13 consent and signatures.
    assert [n for n, m in marks.items() if m != "✓"] == [10, 11, 13]

    # Fixing with part 10 missing is refused, naming the part, and jumps to it.
    discuss(qtbot, w)
    assert w.data.status == OppStatus.BESPROKEN
    # The conversation was logged in part 11, which is now complete.
    assert w.page(11).model.rowCount() == 1
    assert w.mark(11) == "✓"
    click(qtbot, w.fix_button)
    message = no_dialogs["warning"][-1]
    assert "Deel 10 (Aanpassingen van het reguliere programma) is niet compleet" in message
    assert "Isa Courtier (moeder)" in message
    assert "handtekening van de intern begeleider ontbreekt" in message
    assert w.current_part() == 10
    assert w.data.status == OppStatus.BESPROKEN

    type_text(qtbot, w.page(10).fields["adjustments"], "Eigen leerlijn rekenen vanaf groep 5.")
    assert w.mark(10) == "✓"

    # The father refuses at first: recorded with his view, the OPP stays unfixed and is listed.
    record_consent(qtbot, w, 1, yes=True)
    record_consent(
        qtbot,
        w,
        2,
        yes=False,
        view="Vader wil eerst een gesprek met de leerkracht over het tempo; hij is ongerust.",
    )
    add_signature(qtbot, w, svc.SignatureRole.IB, draw=True)
    add_signature(qtbot, w, svc.SignatureRole.DIRECTIE, draw=False)
    save(qtbot, w)
    with ctx.db.session() as s:
        issues = svc.opps_without_consent(s, ctx.school_id)
    assert [(i.pupil_id, i.guardian_name) for i in issues] == [(FRESH, "Daan Sarneel")]
    click(qtbot, w.fix_button)
    assert (
        "Daan Sarneel (vader) heeft op 18-11-2026 geen toestemming gegeven"
        in no_dialogs["warning"][-1]
    )
    assert w.current_part() == 13
    assert w.data.status == OppStatus.BESPROKEN

    # He consents after all; the school signed: fix.
    record_consent(qtbot, w, 2, yes=True)
    assert w.mark(13) == "✓"

    def fix(dialog) -> None:
        assert dialog.next_on.value() == date(2027, 5, 18)
        dialog._on_accept()

    with_modal(lambda: click(qtbot, w.fix_button), fix)
    assert w.data.status == OppStatus.VASTGESTELD
    assert w.read_only
    assert w.banner.isVisible()
    assert w.page(5).fields["promoting_factors"].isReadOnly()
    assert not w.fix_button.isVisible()
    assert w.evaluate_button.isVisible()
    signatures = w.data.signatures
    assert {s.role for s in signatures} == {svc.SignatureRole.IB, svc.SignatureRole.DIRECTIE}
    drawn = next(s for s in signatures if s.role == svc.SignatureRole.IB)
    assert drawn.image_png.startswith(b"\x89PNG")
    v1_id = w.data.id
    with ctx.db.session() as s:
        assert svc.opps_without_consent(s, ctx.school_id) == []
        v1_fixed = asdict(svc.load_version(s, v1_id))
    assert v1_fixed["frozen_pupil"]["guardians"][0]["name"] == "Isa Courtier"

    # Evaluate into version 2.
    def evaluate(dialog) -> None:
        for box in dialog.outcomes.values():
            box.setCurrentIndex(box.findData("deels_behaald"))
        for edit in dialog.results.values():
            type_text(qtbot, edit, "Halverwege.")
        dialog._on_accept()

    with_modal(lambda: click(qtbot, w.evaluate_button), evaluate)
    assert w.data.number == 2
    assert w.data.status == OppStatus.CONCEPT
    assert not w.read_only
    assert w.current_part() == 12
    assert w.mark(12) == "!"  # the evaluation must now be written
    assert w.page(12).model.rowCount() == 3
    with ctx.db.session() as s:
        v1_after_evaluation = asdict(svc.load_version(s, v1_id))
    assert v1_after_evaluation["status"] == OppStatus.GEEVALUEERD

    # Edit the pupil file (rename a guardian) and version 2; version 1 stays as it was.
    with ctx.db.session() as s:
        s.get(Guardian, 1).name = "Isa Courtier-Jansen"
    w._refresh_pupil()
    assert "Isa Courtier-Jansen" in w.page(1).summary.text()
    type_text(
        qtbot, w.page(12).evaluation, "Groei op rekenen; samenwerken blijft een aandachtspunt."
    )
    w.go_to_part(6)
    w.page(6).fields["need_space"].clear()
    type_text(qtbot, w.page(6).fields["need_space"], "Een eigen werkplek bij het raam.")
    save(qtbot, w)
    assert not w.is_dirty()
    with ctx.db.session() as s:
        v1_now = asdict(svc.load_version(s, v1_id))
        v2 = svc.load_version(s, w.data.id)
    assert v1_now == v1_after_evaluation
    assert v1_now["frozen_pupil"] == v1_fixed["frozen_pupil"]
    assert v1_now["need_space"] == "Een rustige werkplek."
    assert v2.need_space == "Een eigen werkplek bij het raam."
    assert v2.previous_version_id == v1_id


def test_frozen_version_opens_read_only(qtbot, ctx, nav, no_dialogs) -> None:
    window = open_editor(ctx, nav, doc_id=fixed_opp(ctx.db))
    qtbot.addWidget(window)
    window.show()
    assert window.data.status == OppStatus.VASTGESTELD
    assert window.read_only
    assert window.banner.isVisible()
    assert "kan niet meer worden gewijzigd" in window.banner.text()
    assert window.page(10).fields["adjustments"].isReadOnly()
    assert not window.page(4).kind.isEnabled()
    assert not window.page(9).add_button.isVisible()
    assert not window.page(13).add_signature_button.isVisible()
    assert not window.save_action.isEnabled()
    before = window.data.adjustments
    # Typing does nothing, and saving is refused with a message.
    qtbot.keyClicks(window.page(10).fields["adjustments"], "extra")
    assert not window.is_dirty()
    assert window.save() is False
    assert "vastgesteld" in no_dialogs["information"][-1]
    with ctx.db.session() as s:
        assert svc.load_version(s, window.data.id).adjustments == before


def test_frozen_version_shows_the_frozen_pupil_data(qtbot, ctx, nav, no_dialogs) -> None:
    with ctx.db.session() as s:
        vid = svc.newest_version_id(s, fixed_opp(ctx.db))
        version = s.get(OppVersion, vid)
        pupil = s.get(Pupil, version.opp.pupil_id)
        old_name = pupil.guardians[0].name
        pupil.guardians[0].name = "Nieuwe Naam"
    window = open_editor(ctx, nav, doc_id=fixed_opp(ctx.db))
    qtbot.addWidget(window)
    assert old_name in window.page(1).summary.text()
    assert "Nieuwe Naam" not in window.page(1).summary.text()
    assert "<a href" not in window.page(1).summary.text()


def test_close_with_unsaved_changes_asks_and_saves(qtbot, ctx, editor, no_dialogs) -> None:
    type_text(qtbot, editor.page(10).fields["adjustments"], "Verlengde instructie.")
    assert editor.close()
    assert "nog niet zijn opgeslagen" in no_dialogs["question"][-1]
    with ctx.db.session() as s:
        assert svc.load_version(s, editor.data.id).adjustments == "Verlengde instructie."


def test_close_can_be_cancelled(qtbot, editor, monkeypatch) -> None:
    type_text(qtbot, editor.page(10).fields["adjustments"], "Iets")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not editor.close()
    assert editor.is_dirty()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert editor.close()


def _stored(ctx, version_id: int) -> svc.OppVersionData:
    with ctx.db.session() as s:
        return svc.load_version(s, version_id)


def test_consent_and_signature_are_stored_when_given(
    qtbot, ctx, editor, no_dialogs, monkeypatch
) -> None:
    """Issue 15: a legal act is stored at once, without the draft and without a conflict."""
    w = editor
    lock_before = _stored(ctx, w.data.id).lock_version
    w.go_to_part(10)
    type_text(qtbot, w.page(10).fields["adjustments"], "Nog een concept.")
    record_consent(qtbot, w, 1, yes=True)
    add_signature(qtbot, w, svc.SignatureRole.IB, draw=True)
    # Straight from the database, before any Opslaan: the acts are there, the draft is not.
    stored = _stored(ctx, w.data.id)
    assert [(c.guardian_id, c.consent, c.date) for c in stored.consents] == [(1, True, TODAY)]
    assert [s.role for s in stored.signatures] == [svc.SignatureRole.IB]
    assert stored.signatures[0].image_png.startswith(b"\x89PNG")
    assert stored.adjustments == ""
    assert stored.lock_version == lock_before
    with ctx.db.session() as s:
        actions = set(
            s.scalars(
                sa.select(ChangeLog.action).where(
                    ChangeLog.entity == svc.ENTITY, ChangeLog.entity_id == w.data.id
                )
            )
        )
    assert {"toestemming", "ondertekend"} <= actions
    # The editor shows them as stored and still holds the unsaved draft.
    assert w.is_dirty()
    assert w.page(13).consent_model.row_at(0).consent.id is not None
    # The user's own Opslaan afterwards is no conflict and keeps the acts.
    save(qtbot, w)
    assert not no_dialogs["critical"]
    stored = _stored(ctx, w.data.id)
    assert stored.adjustments == "Nog een concept."
    assert [c.guardian_id for c in stored.consents] == [1]
    assert [s.role for s in stored.signatures] == [svc.SignatureRole.IB]


def test_consent_survives_closing_without_saving(qtbot, ctx, editor, monkeypatch) -> None:
    w = editor
    w.go_to_part(5)
    type_text(qtbot, w.page(5).fields["promoting_factors"], "Weggegooid concept.")
    record_consent(qtbot, w, 2, yes=False, view="Vader wil eerst praten met de leerkracht.")
    add_signature(qtbot, w, svc.SignatureRole.DIRECTIE, draw=False)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert w.close()
    stored = _stored(ctx, w.data.id)
    assert [(c.guardian_id, c.consent) for c in stored.consents] == [(2, False)]
    assert "eerst praten" in stored.consents[0].view
    assert [s.role for s in stored.signatures] == [svc.SignatureRole.DIRECTIE]
    assert stored.promoting_factors == ""
    # Removing a signature is stored at once as well (after the confirmation).
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    again = open_editor(ctx, w.nav, doc_id=w.data.opp_id)
    qtbot.addWidget(again)
    page = again.page(13)
    again.go_to_part(13)
    page.signature_view.selectRow(0)
    click(qtbot, page.remove_signature_button)
    assert _stored(ctx, w.data.id).signatures == []
    assert not again.is_dirty()


def test_second_window_save_is_refused_and_keeps_its_text(
    qtbot, ctx, nav, editor, no_dialogs, monkeypatch
) -> None:
    other = open_editor(ctx, nav, doc_id=editor.data.opp_id)
    qtbot.addWidget(other)
    type_text(qtbot, editor.page(10).fields["adjustments"], "Eerste venster.")
    save(qtbot, editor)
    type_text(qtbot, other.page(10).fields["adjustments"], "Tweede venster.")
    # The shared conflict dialog, not a message box (issue 14): "Verder bewerken" keeps it all.
    seen: dict = {}
    driver = ModalDriver(ConflictDialog, lambda d: _conflict_choice(qtbot, d, "edit", seen))
    assert other.save() is False
    driver.check()
    assert no_dialogs["critical"] == []
    assert seen["title"] == "Test IB-er heeft dit intussen gewijzigd"
    assert seen["fields"][ADJUSTMENTS] == ("Tweede venster.", "Eerste venster.")
    assert other.page(10).fields["adjustments"].toPlainText() == "Tweede venster."
    assert other.is_dirty()
    with ctx.db.session() as s:
        assert svc.load_version(s, editor.data.id).adjustments == "Eerste venster."
    # Closing the second window drops its edits ("Niet opslaan"), without a new conflict.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert other.close()


ADJUSTMENTS = "Aanpassingen van het reguliere programma"
OTHER = "Bea Bakker"


def _conflict_choice(qtbot, dialog: ConflictDialog, choice: str, seen: dict) -> None:
    """Note what the conflict dialog shows, then press the button of ``choice``."""
    seen["title"] = dialog.title_label.text()
    seen["fields"] = {
        dialog.table.item(r, ConflictDialog.COL_FIELD).text(): (
            dialog.table.item(r, ConflictDialog.COL_MINE).text(),
            dialog.table.item(r, ConflictDialog.COL_THEIRS).text(),
        )
        for r in range(dialog.table.rowCount())
    }
    button = {"mine": dialog.mine_button, "theirs": dialog.theirs_button,
              "edit": dialog.edit_button}[choice]  # fmt: skip
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("choice", "stored"),
    [("mine", "Kortere instructie, vaker herhalen."), ("theirs", "Extra leestijd.")],
    ids=["mijn-versie", "hun-versie"],
)
def test_conflict_shows_the_shared_dialog_and_the_choice_is_stored(
    qtbot, ctx, editor, no_dialogs, choice: str, stored: str
) -> None:
    """Bea saves the same OPP version on another laptop while this user is typing in it."""
    version_id = editor.data.id
    with ctx.db.session() as s:
        theirs = svc.load_version(s, version_id)
        theirs.adjustments = "Extra leestijd."
        svc.save_version(s, theirs, actor=OTHER)
    type_text(qtbot, editor.page(10).fields["adjustments"], "Kortere instructie, vaker herhalen.")
    seen: dict = {}
    driver = ModalDriver(ConflictDialog, lambda d: _conflict_choice(qtbot, d, choice, seen))
    assert editor.save() is (choice == "mine")
    driver.check()
    assert no_dialogs["critical"] == []
    assert no_dialogs["warning"] == []
    assert seen["title"] == f"{OTHER} heeft dit intussen gewijzigd"
    assert seen["fields"][ADJUSTMENTS] == ("Kortere instructie, vaker herhalen.", "Extra leestijd.")
    assert _stored(ctx, version_id).adjustments == stored
    assert editor.page(10).fields["adjustments"].toPlainText() == stored  # the window shows it
    assert not editor.is_dirty()
    # Either way the window now holds the stored version: its next save is no conflict.
    field = editor.page(10).fields["adjustments"]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, field, " Klaar.")
    save(qtbot, editor)
    assert _stored(ctx, version_id).adjustments == stored + " Klaar."


def test_goals_add_reorder_and_remove(qtbot, editor, no_dialogs) -> None:
    page = editor.page(9)
    editor.go_to_part(9)
    click(qtbot, page.add_button)
    assert page.model.rowCount() == 4
    page.area.lineEdit().clear()
    type_text(qtbot, page.area.lineEdit(), "Rekenen")
    type_text(qtbot, page.goal, "Sommen tot 100.")
    assert page.model.row_at(3).goal == "Sommen tot 100."
    click(qtbot, page.up_button)
    assert [g.area for g in page.model.rows()][2] == "Rekenen"
    page.select_goal(2)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert page.model.row_at(3).area == "Rekenen"
    page.select_goal(3)
    click(qtbot, page.remove_button)
    assert "Sommen tot 100" in no_dialogs["question"][-1]
    assert page.model.rowCount() == 3
    save(qtbot, editor)
    assert [g.area for g in editor.data.goals] == [
        "Cognitieve ontwikkeling",
        "Sociaal-emotionele ontwikkeling",
        "Leren leren",
    ]
    assert all(g.id is not None for g in editor.data.goals)


def test_goal_ids_survive_saving(qtbot, editor) -> None:
    ids = [g.id for g in editor.data.goals]
    type_text(qtbot, editor.page(9).goal, "Tafels.")
    save(qtbot, editor)
    save(qtbot, editor)
    assert [g.id for g in editor.data.goals] == ids


def test_date_error_is_shown_next_to_the_field(qtbot, editor, no_dialogs) -> None:
    p4 = editor.page(4)
    p4.start.set_value(date(2027, 1, 1))
    p4.end.set_value(date(2026, 12, 1))
    assert editor.save() is False
    assert p4.errors.message("arrangement_end") == "De looptijd eindigt vóór de begindatum."
    assert editor.current_part() == 4


def test_pupil_file_dialog_completes_part_one(qtbot, ctx, editor, monkeypatch) -> None:
    """A guardian added from part 1 shows up at once, and is asked for consent in part 13."""
    import ib_desktop.ui.pupil_dialogs as dialogs

    def fake_edit(parent, ctx_, pupil_id, record_id=None):
        with ctx_.db.session() as s:
            g = Guardian(
                pupil_id=pupil_id, name="Jeugdbescherming Regio", relation="voogd", has_custody=True
            )
            s.add(g)
            s.flush()
            return g.id

    monkeypatch.setattr(
        dialogs.GuardianDialog, "edit", classmethod(lambda cls, *a, **k: fake_edit(*a, **k))
    )
    page = editor.page(1)
    assert "guardian:new" in page.summary.text()
    page.summary.linkActivated.emit("guardian:new")
    assert "Jeugdbescherming Regio" in page.summary.text()
    names = [r.name for r in editor.page(13).consent_model.rows()]
    assert "Jeugdbescherming Regio" in names


def test_family_link_opens_the_pupil_file(editor, nav) -> None:
    editor.page(1).summary.linkActivated.emit("pupil:open")
    assert nav.pupils == [FRESH]


def test_print_shows_the_preview(qtbot, ctx, editor, monkeypatch) -> None:
    from ib_desktop.ui.widgets import pdf_preview

    shown = {}

    def fake_preview(cls, parent, pdf, title, suggested_name):
        shown.update(pdf=pdf, title=title, name=suggested_name)

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "preview", classmethod(fake_preview))
    type_text(qtbot, editor.page(10).fields["adjustments"], "Verlengde instructie.")
    qtbot.keyClick(editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert shown["pdf"].startswith(b"%PDF")
    assert "Jake Sarneel" in shown["title"]
    assert shown["name"].endswith(".pdf")
    assert not editor.is_dirty()  # saved first, so the print shows what is typed


def test_recovered_edits_are_offered_back(qtbot, ctx, nav, no_dialogs) -> None:
    from ib_desktop.ui.recovery import store_for

    with ctx.db.session() as s:
        data = svc.start_opp(s, FRESH, on=TODAY)
    data.adjustments = "Getypt vlak voor de storing."
    store_for(ctx).put(f"opp_version:{data.id}", "OPP Jake Sarneel", svc.data_to_dict(data))
    window = open_editor(ctx, nav, pupil_id=FRESH)
    qtbot.addWidget(window)
    assert "niet zijn opgeslagen" in no_dialogs["question"][-1]
    assert window.page(10).fields["adjustments"].toPlainText() == "Getypt vlak voor de storing."
    assert window.is_dirty()
    assert window.save()
    assert store_for(ctx).get(f"opp_version:{data.id}") is None


def test_keyboard_moves_between_parts(qtbot, editor) -> None:
    editor.go_to_part(1)
    qtbot.keyClick(editor, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert editor.current_part() == 2
    editor.parts_list.setFocus()
    qtbot.keyClick(editor.parts_list, Qt.Key.Key_End)
    assert editor.current_part() == 13


def test_models_pass_the_model_tester(qtmodeltester, editor) -> None:
    p8, p9 = editor.page(8), editor.page(9)
    qtmodeltester.check(p8.levels)
    qtmodeltester.check(p9.model)
    conversations = ConversationModel()
    conversations.set_rows(
        [svc.ConversationData(date=TODAY, participants="ouders", summary="Besproken.")]
    )
    qtmodeltester.check(conversations)
    previous = PreviousGoalsModel()
    previous.set_rows(
        [svc.GoalData(area="Leren leren", goal="Plannen", outcome=svc.Outcome.BEHAALD)]
    )
    qtmodeltester.check(previous)
    qtmodeltester.check(editor.page(13).consent_model)
    signatures = SignatureModel()
    signatures.set_rows([svc.SignatureData(svc.SignatureRole.IB, "Lex Brievingh", TODAY)])
    qtmodeltester.check(signatures)
    assert isinstance(p9.model, GoalTableModel)
    assert isinstance(editor.page(13).consent_model, ConsentModel)


def test_opp_already_running_opens_instead_of_a_second(qtbot, ctx, nav, editor, no_dialogs) -> None:
    asked = len(no_dialogs["question"])
    again = open_editor(ctx, nav, pupil_id=FRESH)
    qtbot.addWidget(again)
    assert again.data.id == editor.data.id
    assert len(no_dialogs["question"]) == asked
    with ctx.db.session() as s:
        count = s.scalar(
            sa.select(sa.func.count())
            .select_from(OppVersion)
            .join(OppVersion.opp)
            .where(OppVersion.opp.has(pupil_id=FRESH))
        )
    assert count == 1


def test_tab_moves_through_the_five_aspects(qtbot, editor) -> None:
    editor.go_to_part(6)
    fields = editor.page(6).fields
    order = ["need_attention", "need_materials", "need_space", "need_expertise", "need_cooperation"]
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    fields[order[0]].setFocus()
    for current, following in zip(order, order[1:], strict=False):
        assert QApplication.focusWidget() is fields[current]
        qtbot.keyClick(fields[current], Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is fields[following]


def test_main_window_opens_the_opp_editor(qtbot, main_window) -> None:
    main_window.open_document("opp", fixed_opp(main_window.ctx.db))
    windows = [w for w in main_window.open_windows() if isinstance(w, OppEditorWindow)]
    assert len(windows) == 1
    assert windows[0].read_only
    # Opening the same OPP again raises the same window instead of a second one.
    main_window.open_document("opp", fixed_opp(main_window.ctx.db))
    assert len([w for w in main_window.open_windows() if isinstance(w, OppEditorWindow)]) == 1


def test_opp_of_a_pupil_who_left_opens_read_only(qtbot, ctx, nav, editor) -> None:
    with ctx.db.session() as s:
        pupil = s.get(Pupil, FRESH)
        pupil.status = PupilStatus.VERTROKKEN
        pupil.left_on = TODAY
    window = open_editor(ctx, nav, doc_id=editor.data.opp_id)
    qtbot.addWidget(window)
    assert window.read_only
    assert "verlaten" in window.banner.text()
    assert not window.fix_button.isVisible()
    assert "<a href" not in window.page(1).summary.text()


def test_care_around_the_family_reads_bij_het_gezin(qtbot, ctx, nav, no_dialogs) -> None:
    """Issue 15: part 1 said "bij de gezin"."""
    from ib_desktop.models import CareProvider, CareScope, Opp

    with ctx.db.session() as s:
        opp_id, pupil_id = s.execute(sa.select(Opp.id, Opp.pupil_id).limit(1)).one()
        s.add(
            CareProvider(
                pupil_id=pupil_id, organisation="Sociaal wijkteam", kind="gezinsbegeleiding",
                scope=CareScope.GEZIN,
            )
        )  # fmt: skip
    window = open_editor(ctx, nav, doc_id=opp_id)
    qtbot.addWidget(window)
    text = window.page(1).summary.text()
    assert "Sociaal wijkteam" in text
    assert "bij het gezin" in text
    assert "bij de gezin" not in text
    with ctx.db.session() as s:
        data = svc.load_version(s, window.data.id)
        texts = svc.part_texts(data, svc.pupil_part_data(s, data))
    assert any(
        "Sociaal wijkteam (gezinsbegeleiding, bij het gezin)" in t for _l, t in texts["algemeen"]
    )
