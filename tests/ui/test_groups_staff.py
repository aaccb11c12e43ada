"""Instellingen > Groepen en medewerkers, the move to a new school year, and "Ik ben".

Driven as a user: typing names, ticking teachers, clicking the buttons.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from ib_desktop.models import (
    ChangeLog,
    Group,
    GroupMembership,
    LevelAssignment,
    Pupil,
    PupilStatus,
    SchoolYear,
    SignatureRole,
    Staff,
    StaffRole,
)
from ib_desktop.services import groups as gs
from ib_desktop.services import pupil as pf
from ib_desktop.services import staff as st
from ib_desktop.ui.app import ensure_application
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.plans.evaluations import EvaluationsPage
from ib_desktop.ui.pupil_file.level_dialog import LevelChangeDialog
from ib_desktop.ui.pupil_file.lifecycle_dialogs import NewPupilDialog
from ib_desktop.ui.school_year_move import SchoolYearMoveDialog
from ib_desktop.ui.settings.groups_staff import GroupsStaffTab
from ib_desktop.ui.settings.page import SettingsPage
from ib_desktop.ui.widgets.staff_picker import ChooseUserDialog
from tests.conftest import TODAY
from tests.ui.pupil_helpers import FakeNav, ModalDriver, active_pupil

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def fresh_ctx(school_db, qapp) -> AppContext:
    """A context on a fresh database: a school, no groups, no staff."""
    ensure_application()
    return AppContext(
        db=school_db, school_id=school_db.school_id, actor="Test IB-er", today_fn=lambda: TODAY
    )


@pytest.fixture
def tab(fresh_ctx, qtbot, no_dialogs) -> GroupsStaffTab:
    page = SettingsPage(fresh_ctx, FakeNav())
    qtbot.addWidget(page)
    widget = page.tab("Groepen en medewerkers")
    assert isinstance(widget, GroupsStaffTab)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    widget.settings_page = page  # keep the page (the tab's parent) alive
    return widget


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def add_staff(qtbot, tab: GroupsStaffTab, name: str, role: StaffRole) -> None:
    qtbot.mouseClick(tab.new_staff_button, CLICK)
    type_into(qtbot, tab.staff_name_edit, name)
    tab.role_combo.setCurrentIndex(tab.role_combo.findData(role.value))
    qtbot.mouseClick(tab.save_staff_button, CLICK)


def tick(qtbot, tab: GroupsStaffTab, name: str) -> None:
    """Click the check box of a teacher in the group form, where a user clicks."""
    lst = tab.teachers_list
    item = next(
        lst.item(i) for i in range(lst.count()) if lst.item(i).text().startswith(name)
    )
    rect = lst.visualItemRect(item)
    before = item.checkState()
    qtbot.mouseClick(lst.viewport(), CLICK, pos=QPoint(rect.left() + 10, rect.center().y()))
    if item.checkState() == before:  # the style put the box elsewhere: toggle as Space would
        lst.setCurrentItem(item)
        qtbot.keyClick(lst, Qt.Key.Key_Space)
    assert item.checkState() != before


def staff_id(ctx, name: str) -> int:
    with ctx.db.session() as s:
        return next(r.id for r in st.list_staff(s, ctx.school_id) if r.name == name)


def test_create_groups_and_staff_by_hand_then_place_a_new_pupil(
    fresh_ctx, tab, qtbot, no_dialogs
) -> None:
    ctx = fresh_ctx
    # A fresh database: the new-pupil dialog only offers "no group yet".
    dialog = NewPupilDialog(None, ctx)
    qtbot.addWidget(dialog)
    assert [dialog.group_combo.itemText(i) for i in range(dialog.group_combo.count())] == [
        "(nog geen groep)"
    ]
    from PySide6.QtWidgets import QLabel

    hint = dialog.findChild(QLabel, "no-groups-hint")
    assert "Instellingen > Groepen en medewerkers" in hint.text()

    add_staff(qtbot, tab, "Anna Jansen", StaffRole.LEERKRACHT)
    add_staff(qtbot, tab, "Bert de Boer", StaffRole.LEERKRACHT)
    add_staff(qtbot, tab, "Carla Smit", StaffRole.IB)
    assert tab.staff_model.rowCount() == 3
    assert tab.staff_status.text() == "Carla Smit is opgeslagen."
    with ctx.db.session() as s:
        bert = s.scalars(sa.select(Staff).where(Staff.last_name == "Boer")).one()
        assert (bert.first_name, bert.tussenvoegsel) == ("Bert", "de")
        carla = s.scalars(sa.select(Staff).where(Staff.last_name == "Smit")).one()
        assert carla.role == StaffRole.IB

    # Group 1/2 with two teachers: the jaargroepen follow the name.
    qtbot.mouseClick(tab.new_group_button, CLICK)
    type_into(qtbot, tab.group_name_edit, "1/2")
    assert tab.group_grades_edit.text() == "1/2"
    tick(qtbot, tab, "Anna Jansen")
    tick(qtbot, tab, "Bert de Boer")
    qtbot.mouseClick(tab.save_group_button, CLICK)
    # Group 7A with one teacher.
    qtbot.mouseClick(tab.new_group_button, CLICK)
    type_into(qtbot, tab.group_name_edit, "7A")
    assert tab.group_grades_edit.text() == "7"
    tick(qtbot, tab, "Bert de Boer")
    qtbot.mouseClick(tab.save_group_button, CLICK)
    assert tab.groups_model.rowCount() == 2
    assert tab.groups_model.index(0, 2).data() == "Bert de Boer, Anna Jansen"  # by last name
    with ctx.db.session() as s:
        groups = {g.name: g for g in s.scalars(sa.select(Group))}
        assert set(groups) == {"1/2", "7A"}
        assert (groups["1/2"].grade_low, groups["1/2"].grade_high) == (1, 2)
        assert sorted(t.full_name for t in groups["1/2"].teachers) == [
            "Anna Jansen", "Bert de Boer"
        ]  # fmt: skip
        assert [t.full_name for t in groups["7A"].teachers] == ["Bert de Boer"]
        assert groups["7A"].school_year.label == "2026-2027"
        seven_a = groups["7A"].id

    # "Nieuwe leerling" now offers the new groups; the pupil lands in 7A.
    def fill(dialog: NewPupilDialog) -> None:
        labels = [dialog.group_combo.itemText(i) for i in range(dialog.group_combo.count())]
        assert labels == ["(nog geen groep)", "Groep 1/2", "Groep 7A"]
        assert dialog.findChild(QLabel, "no-groups-hint") is None
        qtbot.keyClicks(dialog.names.first, "Mees")
        qtbot.keyClicks(dialog.names.last, "Kramer")
        qtbot.keyClicks(dialog.birth_edit, "03-02-2016")
        dialog.group_combo.setCurrentIndex(dialog.group_combo.findText("Groep 7A"))
        qtbot.mouseClick(dialog.ok_button, CLICK)

    driver = ModalDriver(NewPupilDialog, fill)
    from ib_desktop.ui.pupil_file.lifecycle_dialogs import new_pupil_action

    opened = FakeNav()
    new_pupil_action(ctx, opened, None)
    driver.check()
    with ctx.db.session() as s:
        pupil = s.scalars(sa.select(Pupil).where(Pupil.last_name == "Kramer")).one()
        assert pupil.group_id == seven_a
        assert opened.opened_pupils == [pupil.id]


def test_validation_messages_beside_the_fields(fresh_ctx, tab, qtbot, no_dialogs) -> None:
    qtbot.mouseClick(tab.save_staff_button, CLICK)
    assert tab.staff_errors.message("name") == "Vul de naam van de medewerker in."
    add_staff(qtbot, tab, "Anna Jansen", StaffRole.LEERKRACHT)
    add_staff(qtbot, tab, "anna  jansen", StaffRole.DIRECTIE)
    assert tab.staff_errors.message("name") == "Er is al een medewerker Anna Jansen."

    qtbot.mouseClick(tab.new_group_button, CLICK)
    qtbot.mouseClick(tab.save_group_button, CLICK)
    assert tab.group_errors.message("name").startswith("Vul de naam van de groep in")
    type_into(qtbot, tab.group_name_edit, "5")
    type_into(qtbot, tab.group_grades_edit, "9")
    qtbot.mouseClick(tab.save_group_button, CLICK)
    assert tab.group_errors.message("grades") == "Jaargroepen lopen van 1 tot en met 8."
    type_into(qtbot, tab.group_grades_edit, "5")
    qtbot.mouseClick(tab.save_group_button, CLICK)
    assert tab.group_errors.message("grades") == ""
    qtbot.mouseClick(tab.new_group_button, CLICK)
    type_into(qtbot, tab.group_name_edit, "5")
    qtbot.mouseClick(tab.save_group_button, CLICK)
    assert tab.group_errors.message("name") == "Er is in 2026-2027 al een groep '5'."
    assert no_dialogs["warning"] == []  # every message was shown beside its field
    with fresh_ctx.db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Group)) == 1


def test_deleting_a_group_asks_and_a_group_with_pupils_is_refused(
    fresh_ctx, tab, qtbot, no_dialogs, monkeypatch
) -> None:
    ctx = fresh_ctx
    with ctx.db.session() as s:
        year = s.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == "2026-2027"))
        full = gs.save_group(s, ctx.school_id, year, gs.GroupData("4", "4")).id
        gs.save_group(s, ctx.school_id, year, gs.GroupData("6", "6"))
        pf.create_pupil(
            s,
            ctx.school_id,
            pf.PupilData(first_name="Fenna", last_name="Kok", birth_date=date(2018, 1, 1),
                         group_id=full),
            today=TODAY,
        )  # fmt: skip
    tab.reload()
    tab.groups_table.selectRow(0)
    assert tab.group_name_edit.text() == "4"
    qtbot.mouseClick(tab.delete_group_button, CLICK)
    assert "zitten 1 leerling(en)" in no_dialogs["information"][-1]
    assert no_dialogs["question"] == []  # refused with the reason, nothing to confirm
    # The empty group: a question first; "No" keeps it, "Yes" deletes it.
    tab.groups_table.selectRow(1)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(tab.delete_group_button, CLICK)
    assert tab.groups_model.rowCount() == 2
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(tab.delete_group_button, CLICK)
    assert [tab.groups_model.index(r, 0).data() for r in range(tab.groups_model.rowCount())] == [
        "4"
    ]


def test_school_year_move_preview_and_result(fresh_ctx, tab, qtbot, no_dialogs) -> None:
    ctx = fresh_ctx
    with ctx.db.session() as s:
        year = s.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == "2026-2027"))
        teacher = st.save_staff(s, ctx.school_id, st.StaffData("Noor Çelik")).id
        g12 = gs.save_group(s, ctx.school_id, year, gs.GroupData("1/2", "1/2", [teacher])).id
        g8 = gs.save_group(s, ctx.school_id, year, gs.GroupData("8", "8")).id
        ids = {}
        for first, last, birth, group in (
            ("Zoë", "Öztürk", date(2022, 5, 3), g12),  # four: groep 1 -> 2, stays in 1/2
            ("İlyas", "Yılmaz", date(2021, 3, 9), g12),  # five: groep 2 -> 3, no group yet
            ("Éva", "Müller", date(2014, 9, 9), g8),  # groep 8 leaves on 31 July
        ):
            data = pf.PupilData(first_name=first, last_name=last, birth_date=birth, group_id=group)
            ids[first] = pf.create_pupil(s, ctx.school_id, data, today=TODAY).id
    tab.reload()
    seen: dict[str, object] = {}

    def check_and_confirm(dialog: SchoolYearMoveDialog) -> None:
        text = dialog.summary.text()
        seen["summary"] = text
        assert "Van 2026-2027 naar 2027-2028" in text
        assert "2 groepen worden gekopieerd" in text
        assert "1 leerlingen van groep 8 vertrekken op 31 juli 2027" in text
        assert "1 leerlingen hebben volgend jaar nog geen groep" in text
        rows = {
            dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())
        }
        assert set(rows) == {"Öztürk, Zoë", "Yılmaz, İlyas", "Müller, Éva"}
        assert "geschat" in dialog.table.item(rows["Öztürk, Zoë"], 2).text()
        assert dialog.combos[ids["Zoë"]].currentText() == "1/2"
        assert dialog.combos[ids["İlyas"]].currentText() == "(geen groep)"
        assert "vertrekt op 31-07-2027" in dialog.table.item(rows["Müller, Éva"], 3).text()
        # There is no groep 3 yet: the user keeps İlyas in 1/2 for now, then confirms.
        dialog.combos[ids["İlyas"]].setCurrentIndex(dialog.combos[ids["İlyas"]].findText("1/2"))
        assert "nog geen groep" not in dialog.summary.text()
        qtbot.mouseClick(dialog.ok_button, CLICK)

    driver = ModalDriver(SchoolYearMoveDialog, check_and_confirm)
    qtbot.mouseClick(tab.move_button, CLICK)
    driver.check()
    assert "De overgang naar 2027-2028 is gemaakt" in no_dialogs["information"][-1]
    assert tab.year_combo.currentText() == "2027-2028"
    assert [tab.groups_model.index(r, 0).data() for r in range(tab.groups_model.rowCount())] == [
        "1/2", "8"
    ]  # fmt: skip
    assert tab.groups_model.index(0, 2).data() == "Noor Çelik"
    assert tab.undo_move_button.isVisible()
    with ctx.db.session() as s:
        eva = s.get(Pupil, ids["Éva"])
        assert (eva.status, eva.left_on) == (PupilStatus.VERTROKKEN, date(2027, 7, 31))
        for name, grade in (("Zoë", 2), ("İlyas", 3)):
            p = s.get(Pupil, ids[name])
            assert p.group.name == "1/2"
            assert p.group.school_year.label == "2027-2028"
            m = s.scalars(
                sa.select(GroupMembership).where(
                    GroupMembership.pupil_id == p.id, GroupMembership.group_id == p.group_id
                )
            ).one()
            assert m.grade == grade
    # A backup was made before the move.
    from ib_desktop.backup import backup_folder

    assert any("schooljaarovergang" in p.name for p in backup_folder().iterdir())


def test_school_year_move_can_be_undone(fresh_ctx, tab, qtbot, no_dialogs) -> None:
    ctx = fresh_ctx
    with ctx.db.session() as s:
        year = s.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == "2026-2027"))
        g8 = gs.save_group(s, ctx.school_id, year, gs.GroupData("8", "8")).id
        data = pf.PupilData(first_name="Sem", last_name="Bos", birth_date=date(2014, 4, 4),
                            group_id=g8)  # fmt: skip
        pid = pf.create_pupil(s, ctx.school_id, data, today=TODAY).id
    tab.reload()
    driver = ModalDriver(SchoolYearMoveDialog, lambda d: qtbot.mouseClick(d.ok_button, CLICK))
    qtbot.mouseClick(tab.move_button, CLICK)
    driver.check()
    with ctx.db.session() as s:
        assert s.get(Pupil, pid).status == PupilStatus.VERTROKKEN
    qtbot.mouseClick(tab.undo_move_button, CLICK)
    with ctx.db.session() as s:
        pupil = s.get(Pupil, pid)
        assert (pupil.status, pupil.group_id) == (PupilStatus.ACTIEF, g8)
    assert not tab.undo_move_button.isVisible()


# ---------------------------------------------------------------------------- who is working


def _ascii_staff(ctx, role: StaffRole) -> tuple[int, str]:
    with ctx.db.session() as s:
        for r in st.list_staff(s, ctx.school_id, active_only=True):
            if r.role == role and r.name.isascii():
                return r.id, r.name
    raise LookupError(role)


def test_evaluations_ask_who_you_are_and_never_preselect(ctx, main_window, qtbot, monkeypatch):
    main_window.show_page("evaluaties")
    page = main_window.page("evaluaties")
    assert isinstance(page, EvaluationsPage)
    assert ctx.user is None
    assert page.teacher_id() is None  # nobody preselected
    assert page.model.rowCount() == 0
    assert page.empty_label.text() == "Kies eerst wie u bent."
    assert "nog niet gekozen" in main_window.user_button.text()
    teacher, name = _ascii_staff(ctx, StaffRole.LEERKRACHT)
    asked: list[str] = []

    def answer(button):
        def fake(parent, title, text, *args, **kwargs):
            asked.append(text)
            return button

        return fake

    # "No": the screen goes back to "kies wie u bent" and shows nobody's pupils.
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    page.teacher_combo.setCurrentIndex(page.teacher_combo.findData(teacher))
    assert asked[-1].startswith(f"Bent u {name}?")
    assert page.teacher_id() is None
    assert page.model.rowCount() == 0
    assert ctx.user is None
    # "Yes": remembered, the status bar says so, and the change log gets the name.
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    page.teacher_combo.setCurrentIndex(page.teacher_combo.findData(teacher))
    assert page.teacher_id() == teacher
    assert ctx.user_staff_id == teacher
    assert ctx.actor == name
    assert main_window.user_button.text() == f"Ik ben: {name}"


def test_ik_ben_is_the_default_decider_actor_and_signer(ctx, qtbot, no_dialogs) -> None:
    me, my_name = _ascii_staff(ctx, StaffRole.IB)

    def choose(dialog: ChooseUserDialog) -> None:
        assert dialog.picker.staff_id() is None  # nothing preselected
        qtbot.keyClicks(dialog.picker.lineEdit(), my_name)
        seen_id.append(dialog.picker.staff_id())
        assert seen_id[0] == me, dialog.picker.currentText()
        dialog._on_ok()

    seen_id: list[int | None] = []
    driver = ModalDriver(ChooseUserDialog, choose)
    chosen = ChooseUserDialog.choose(ctx)
    driver.check()
    assert chosen is not None
    assert (ctx.user_staff_id, ctx.actor) == (me, my_name)

    # "Besloten door" in the level dialog is the person working; the log has their name.
    with ctx.db.session() as s:
        pupil_id = active_pupil(s).id
    dialog = LevelChangeDialog(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    assert dialog.decided_combo.staff_id() == me
    index = next(i for i, lvl in enumerate(dialog.info["levels"]) if lvl.position == 2)
    dialog.level_combo.setCurrentIndex(index)
    qtbot.keyClicks(dialog.reason_edit, "Extra hulp bij rekenen.")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result_change is not None
    with ctx.db.session() as s:
        assignment = s.get(LevelAssignment, dialog.result_change.assignment_id)
        assert assignment.decided_by_id == me
        entry = s.scalars(
            sa.select(ChangeLog)
            .where(ChangeLog.entity == "pupil", ChangeLog.entity_id == pupil_id)
            .order_by(ChangeLog.id.desc())
        ).first()
        assert entry.actor == my_name

    # A signature: the person working is chosen when the dialog opens.
    from ib_desktop.services.opp import SignerChoice
    from ib_desktop.ui.opp.signature_dialogs import SignatureEntryDialog

    signers = [
        SignerChoice(SignatureRole.OUDER, "Isa Courtier", guardian_id=1),
        SignerChoice(SignatureRole.DIRECTIE, "Iemand Anders", staff_id=me + 1000),
        SignerChoice(SignatureRole.IB, my_name, staff_id=me),
    ]
    sig = SignatureEntryDialog(signers, TODAY, me=ctx.user_staff_id)
    qtbot.addWidget(sig)
    assert sig.choice().staff_id == me
    assert sig.name.text() == my_name
    assert sig.signature().role == SignatureRole.IB


def test_signature_in_the_opp_editor_defaults_to_ik_ben(ctx, qtbot, no_dialogs) -> None:
    from ib_desktop.ui.opp.entry import open_editor
    from ib_desktop.ui.opp.signature_dialogs import SignatureEntryDialog
    from tests.ui.test_opp_editor import FRESH, click, with_modal
    from tests.ui.test_opp_editor import FakeNav as OppNav

    me, my_name = _ascii_staff(ctx, StaffRole.IB)
    ctx.choose_user(me)
    window = open_editor(ctx, OppNav(), pupil_id=FRESH)
    qtbot.addWidget(window)
    window.show()
    page = window.page(13)
    window.go_to_part(13)
    seen: list[object] = []

    def handler(dialog: SignatureEntryDialog) -> None:
        seen.append(dialog.choice())
        click(qtbot, dialog.ok_button)

    with_modal(lambda: click(qtbot, page.add_signature_button), handler)
    assert seen[0] is not None
    assert seen[0].staff_id == me
    names = [page.signature_model.row_at(r).name for r in range(page.signature_model.rowCount())]
    assert my_name in names
    window.close()


def test_choice_is_kept_per_database(ctx, school_db, qtbot) -> None:
    me, my_name = _ascii_staff(ctx, StaffRole.LEERKRACHT)
    ctx.choose_user(me)
    again = AppContext(db=ctx.db, school_id=ctx.school_id, actor="Test IB-er")
    assert (again.user_staff_id, again.actor) == (me, my_name)
    other = AppContext(db=school_db, school_id=school_db.school_id, actor="Test IB-er")
    assert other.user is None
    assert other.actor == "Test IB-er"
    # another login on the same database has not chosen
    colleague = AppContext(db=ctx.db, school_id=ctx.school_id, actor="collega")
    assert colleague.user is None


# ---------------------------------------------------------------------------- the first run


@pytest.mark.parametrize(
    ("choice", "step"), [("by_hand_radio", "groepen"), ("import_radio", "import")]
)
def test_first_run_ends_pointing_to_import_or_this_screen(
    db, qtbot, no_dialogs, monkeypatch, choice, step
) -> None:
    from PySide6.QtWidgets import QWizard

    from ib_desktop.ui.first_run import FirstRunWizard, continue_first_run
    from ib_desktop.ui.main_window import MainWindow

    ensure_application()
    wizard = FirstRunWizard(db, today=TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), CLICK)
    qtbot.keyClicks(wizard.school_page.name_edit, "OBS De Klimop")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), CLICK)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), CLICK)
    assert wizard.currentPage() is wizard.done_page
    assert wizard.done_page.import_radio.isChecked()  # the import is the usual way
    radio = getattr(wizard.done_page, choice)
    qtbot.mouseClick(radio, CLICK, pos=QPoint(8, radio.height() // 2))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), CLICK)
    assert wizard.school_id is not None

    ctx = AppContext(db=db, school_id=wizard.school_id, actor="Test IB-er", today_fn=lambda: TODAY)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    actions: list[str] = []
    monkeypatch.setattr(window, "run_action", actions.append)
    assert continue_first_run(ctx, window) == step
    if step == "groepen":
        assert window.current_page_key() == "instellingen"
        settings = window.page("instellingen")
        assert settings.tabs.tabText(settings.tabs.currentIndex()) == "Groepen en medewerkers"
        assert actions == []
    else:
        assert actions == ["ib_desktop.ui.import_wizard:import_action"]
    assert continue_first_run(ctx, window) == ""  # only once


def test_staff_picker_completes_and_knows_a_typed_name(ctx, qtbot) -> None:
    """Typing part of a colleague's name offers them; their name typed in full picks them."""
    other, other_name = _ascii_staff(ctx, StaffRole.DIRECTIE)
    with ctx.db.session() as s:
        pupil_id = active_pupil(s).id
    dialog = LevelChangeDialog(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    picker = dialog.decided_combo
    picker.setFocus()
    picker.lineEdit().clear()
    fragment = other_name.split()[-1][:4].lower()  # a few letters of the last name
    qtbot.keyClicks(picker.lineEdit(), fragment)
    completer = picker.completer()
    completions = [
        completer.completionModel().index(r, 0).data()
        for r in range(completer.completionModel().rowCount())
    ]
    assert any(c.startswith(other_name) for c in completions)
    picker.lineEdit().clear()
    qtbot.keyClicks(picker.lineEdit(), other_name.upper())
    assert dialog._decided_by() == (other, "")
    picker.lineEdit().clear()
    qtbot.keyClicks(picker.lineEdit(), "Orthopedagoog SWV")
    assert dialog._decided_by() == (None, "Orthopedagoog SWV")
