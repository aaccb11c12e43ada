"""The pupil file window and its dialogs, driven as a user: typing, clicking, keyboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMessageBox

from ib_desktop.models import (
    ChangeLog,
    Guardian,
    Opp,
    Pupil,
    PupilStatus,
    RetentionRecord,
)
from ib_desktop.services import levels as level_service
from ib_desktop.services import pupil as pf
from ib_desktop.ui.pupil_file.child_dialogs import (
    AssessmentDialog,
    CareProviderDialog,
    GuardianDialog,
    HistoryDialog,
    MeetingDialog,
)
from ib_desktop.ui.pupil_file.columns import ASSESSMENT_COLUMNS, GUARDIAN_COLUMNS, LEVEL_COLUMNS
from ib_desktop.ui.pupil_file.lifecycle_dialogs import (
    DeleteFileDialog,
    LeaveSchoolDialog,
    NewPupilDialog,
)
from ib_desktop.ui.pupil_file.record_table import RecordTableModel
from ib_desktop.ui.pupil_file.shell import PupilFileWindow
from ib_desktop.ui.widgets.conflict_dialog import ConflictDialog
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE
from tests.conftest import TODAY
from tests.ui.pupil_helpers import FakeNav, ModalDriver, active_pupil, answer_boxes, level_at


@pytest.fixture(autouse=True)
def _boxes(monkeypatch) -> None:
    """Message boxes shown by exec() (unsaved changes at teardown) answer 'Niet opslaan'."""
    answer_boxes(monkeypatch, [], QMessageBox.StandardButton.Discard)


@pytest.fixture
def nav() -> FakeNav:
    return FakeNav()


@pytest.fixture
def pupil_id(ctx) -> int:
    with ctx.db.session() as s:
        return active_pupil(s).id


@pytest.fixture
def window(ctx, nav, qtbot, no_dialogs, pupil_id):
    w = PupilFileWindow(ctx, nav, pupil_id)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)  # keyboard shortcuts only reach the active window
    return w


def _type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


# ---------------------------------------------------------------------------- models


def test_record_table_model_passes_model_tester(ctx, qtbot) -> None:
    with ctx.db.session() as s:
        opp_pupil = s.scalars(sa.select(Opp.pupil_id).limit(1)).one()
        file = pf.load_pupil_file(s, opp_pupil, today=TODAY)
    for columns, rows in (
        (GUARDIAN_COLUMNS, file.guardians),
        (LEVEL_COLUMNS, file.levels.steps),
        (
            ASSESSMENT_COLUMNS,
            file.assessments + [pf.AssessmentData(date=TODAY, kind="x", sensitive=True, id=9)],
        ),
    ):
        model = RecordTableModel(columns)
        tester = QAbstractItemModelTester(
            model, QAbstractItemModelTester.FailureReportingMode.Fatal
        )
        model.set_rows(rows)
        assert model.rowCount() == len(rows) > 0
        assert model.index(0, 0).data(ROW_ROLE) is rows[0]
        assert model.index(0, 0).data(SORT_ROLE) is not None
        del tester


def test_sensitive_conclusion_is_hidden_in_table(ctx) -> None:
    model = RecordTableModel(ASSESSMENT_COLUMNS)
    model.set_rows(
        [
            pf.AssessmentData(
                date=TODAY, kind="Psychologisch", conclusion="Geheim", sensitive=True, id=1
            )
        ]
    )
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "Geheim" not in " ".join(texts)
    assert any("Vertrouwelijk" in t for t in texts)


def test_level_table_sorts_newest_first(ctx, nav, qtbot, no_dialogs) -> None:
    from ib_desktop.models import LevelAssignment

    # A pupil with several steps on different dates, so that a wrong order can show.
    with ctx.db.session() as s:
        pid = s.scalars(
            sa.select(LevelAssignment.pupil_id)
            .group_by(LevelAssignment.pupil_id)
            .having(sa.func.count(sa.distinct(LevelAssignment.start_date)) >= 3)
            .order_by(LevelAssignment.pupil_id)
            .limit(1)
        ).one()
    w = PupilFileWindow(ctx, nav, pid)
    qtbot.addWidget(w)
    tab = w.levels_tab
    dates = [tab.proxy.index(r, 0).data(ROW_ROLE).start for r in range(tab.proxy.rowCount())]
    assert len(set(dates)) >= 3
    assert dates == sorted(dates, reverse=True)


# ---------------------------------------------------------------------------- adding a pupil


def test_add_pupil_with_two_guardians_through_the_ui(main_window, ctx, qtbot, no_dialogs) -> None:
    def fill_pupil(dialog: NewPupilDialog) -> None:
        qtbot.keyClicks(dialog.names.first, "Lotte")
        qtbot.keyClicks(dialog.names.last, "van den Broek")
        dialog.names.last.editingFinished.emit()  # leaving the field splits the tussenvoegsel
        qtbot.keyClicks(dialog.birth_edit, "14-05-2018")
        dialog.group_combo.setCurrentIndex(3)
        qtbot.keyClicks(dialog.first_day_edit, "15-05-2022")
        qtbot.keyClicks(dialog.lvs_edit, "NEW-1")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(NewPupilDialog, fill_pupil)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    driver.check()
    windows = [w for w in main_window.open_windows() if isinstance(w, PupilFileWindow)]
    assert len(windows) == 1
    file_window = windows[0]
    with ctx.db.session() as s:
        pupil = s.get(Pupil, file_window.pupil_id)
        assert (pupil.first_name, pupil.tussenvoegsel, pupil.last_name) == (
            "Lotte",
            "van den",
            "Broek",
        )
        assert pupil.birth_date == date(2018, 5, 14)
        assert pupil.lvs_id == "NEW-1"
        assert level_service.current_assignment(s, pupil.id).level.position == 1

    for name, relation, email in (
        ("Eva van den Broek", "moeder", "eva@example.nl"),
        ("Tom Smit", "vader", ""),
    ):

        def fill_guardian(
            dialog: GuardianDialog, name=name, relation=relation, email=email
        ) -> None:
            qtbot.keyClicks(dialog.name_edit, name)
            dialog.relation_combo.setCurrentText(relation)
            qtbot.keyClicks(dialog.phone_edit, "06-12345678")
            qtbot.keyClicks(dialog.email_edit, email)
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

        driver = ModalDriver(GuardianDialog, fill_guardian)
        qtbot.mouseClick(file_window.record_tabs["guardians"].add_button, Qt.MouseButton.LeftButton)
        driver.check()
    with ctx.db.session() as s:
        guardians = s.scalars(
            sa.select(Guardian).where(Guardian.pupil_id == file_window.pupil_id)
        ).all()
        assert sorted(g.relation for g in guardians) == ["moeder", "vader"]
    assert file_window.record_tabs["guardians"].model.rowCount() == 2
    file_window.close()


def test_duplicate_pupil_refused_next_to_name(ctx, qtbot, no_dialogs) -> None:
    with ctx.db.session() as s:
        existing = active_pupil(s)
        first, tv, last, birth = (
            existing.first_name,
            existing.tussenvoegsel,
            existing.last_name,
            existing.birth_date,
        )
        count = s.scalar(sa.select(sa.func.count(Pupil.id)))
    dialog = NewPupilDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.names.first, first.upper())
    qtbot.keyClicks(dialog.names.tussenvoegsel, tv)
    qtbot.keyClicks(dialog.names.last, last)
    qtbot.keyClicks(dialog.birth_edit, birth.strftime("%d-%m-%Y"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.pupil_id is None
    assert "al een leerling" in dialog.errors.message("name")
    assert dialog.errors.fields["name"].error_label.isVisible()
    with ctx.db.session() as s:
        assert s.scalar(sa.select(sa.func.count(Pupil.id))) == count


@pytest.mark.parametrize(
    ("birth", "fragment"),
    [
        ((TODAY + timedelta(days=10)).strftime("%d-%m-%Y"), "toekomst"),
        ("31-02-2018", "geen bestaande datum"),
        ("", "Vul de geboortedatum in"),
    ],
)
def test_new_pupil_bad_birth_date_message(ctx, qtbot, no_dialogs, birth, fragment) -> None:
    dialog = NewPupilDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.names.first, "Bram")
    qtbot.keyClicks(dialog.names.last, "Jansen")
    qtbot.keyClicks(dialog.birth_edit, birth)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert fragment in dialog.errors.message("birth_date")
    assert dialog.pupil_id is None


def test_new_pupil_cancel_with_input_asks(ctx, qtbot, no_dialogs, monkeypatch) -> None:
    dialog = NewPupilDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.names.first, "Bram")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialog.names.first.text() == "Bram"


# ---------------------------------------------------------------------------- personal data


def test_ctrl_s_saves_personal_data(window, ctx, qtbot, nav) -> None:
    qtbot.keyClicks(window.notes_edit, "Heeft een zonnebril nodig bij fel licht.")
    assert window.is_dirty()
    assert window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.is_dirty()
    with ctx.db.session() as s:
        assert s.get(Pupil, window.pupil_id).notes == "Heeft een zonnebril nodig bij fel licht."
        assert s.scalars(
            sa.select(ChangeLog).where(
                ChangeLog.entity_id == window.pupil_id, ChangeLog.field == "notities"
            )
        ).first()
    assert nav.changes >= 1


@pytest.mark.parametrize(
    ("field", "text", "fragment"),
    [
        ("birth_edit", (TODAY + timedelta(days=1)).strftime("%d-%m-%Y"), "toekomst"),
        ("first_day_edit", (TODAY + timedelta(days=30)).strftime("%d-%m-%Y"), "toekomst"),
        ("first_day_edit", "01-01-2001", "vóór de geboortedatum"),
        ("birth_edit", "morgen", "geen datum"),
    ],
)
def test_bad_dates_shown_next_to_field_and_nothing_lost(
    window, ctx, qtbot, field, text, fragment
) -> None:
    with ctx.db.session() as s:
        before = pf.load_pupil_data(s.get(Pupil, window.pupil_id))
    qtbot.keyClicks(window.notes_edit, "Belangrijke notitie")
    _type_into(qtbot, getattr(window, field), text)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    name = {"birth_edit": "birth_date", "first_day_edit": "first_school_day"}[field]
    assert fragment in window.errors.message(name)
    assert window.is_dirty()
    assert window.notes_edit.toPlainText().endswith("Belangrijke notitie")  # edits kept
    with ctx.db.session() as s:
        assert pf.load_pupil_data(s.get(Pupil, window.pupil_id)) == before  # nothing half-saved


def test_empty_name_refused(window, qtbot) -> None:
    _type_into(qtbot, window.names.first, "")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "voornaam" in window.errors.message("first_name")


def test_early_first_school_day_warns_but_saves(window, ctx, qtbot) -> None:
    with ctx.db.session() as s:
        birth = s.get(Pupil, window.pupil_id).birth_date
    early = birth.replace(year=birth.year + 3)
    _type_into(qtbot, window.first_day_edit, early.strftime("%d-%m-%Y"))
    assert window.save()
    assert "vierde verjaardag" in window.errors.message("first_school_day")
    with ctx.db.session() as s:
        assert s.get(Pupil, window.pupil_id).first_school_day == early


def test_stale_save_shows_message_and_keeps_edits(window, ctx, qtbot, no_dialogs) -> None:
    # Someone else saves the same pupil after the window opened.
    with ctx.db.session() as s:
        p = s.get(Pupil, window.pupil_id)
        other = pf.load_pupil_data(p)
        other.family_composition = "Op een andere laptop ingevuld."
        pf.update_pupil(s, p.id, other, expected_version=p.version, today=TODAY)
    qtbot.keyClicks(window.notes_edit, "Mijn aanvulling")
    # The conflict dialog says who saved; "Verder bewerken" goes back with the edits intact.
    titles: list[str] = []

    def keep_editing(dialog: ConflictDialog) -> None:
        titles.append(dialog.title_label.text())
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(ConflictDialog, keep_editing)
    assert not window.save()
    driver.check()
    assert titles == ["Test IB-er heeft dit intussen gewijzigd"]
    assert window.is_dirty()
    assert "Mijn aanvulling" in window.notes_edit.toPlainText()
    with ctx.db.session() as s:
        p = s.get(Pupil, window.pupil_id)
        assert p.family_composition == "Op een andere laptop ingevuld."
        assert "Mijn aanvulling" not in p.notes


@pytest.mark.parametrize(
    ("answer", "visible", "saved"),
    [
        (QMessageBox.StandardButton.Cancel, True, False),
        (QMessageBox.StandardButton.Discard, False, False),
        (QMessageBox.StandardButton.Save, False, True),
    ],
)
def test_closing_with_unsaved_changes_asks(
    window, ctx, qtbot, monkeypatch, answer, visible, saved
) -> None:
    asked = answer_boxes(monkeypatch, [answer])
    qtbot.keyClicks(window.notes_edit, "Nog niet opgeslagen")
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert asked
    assert "nog niet zijn opgeslagen" in asked[0]
    assert window.isVisible() is visible
    with ctx.db.session() as s:
        assert ("Nog niet opgeslagen" in s.get(Pupil, window.pupil_id).notes) is saved
    if visible:
        assert "Nog niet opgeslagen" in window.notes_edit.toPlainText()


def test_escape_closes_when_nothing_changed(window, qtbot, monkeypatch) -> None:
    asked = answer_boxes(monkeypatch, [])
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()
    assert asked == []


def test_personal_form_tab_order(window, qtbot) -> None:
    order = [
        window.names.first,
        window.names.tussenvoegsel,
        window.names.last,
        window.gender_combo,
        window.birth_edit.line,  # a date field's text box takes the focus
        window.first_day_edit.line,
        window.enrolled_edit.line,
        window.lvs_edit,
        window.group_combo,
        window.family_edit,
        window.notes_edit,
    ]
    window.activateWindow()
    window.names.first.setFocus()
    qtbot.waitUntil(lambda: window.focusWidget() is window.names.first)
    seen = [window.focusWidget()]
    for _ in order[1:]:
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        seen.append(window.focusWidget())
    assert seen == order


def test_recovered_edits_are_offered_and_applied(ctx, nav, qtbot, no_dialogs, pupil_id) -> None:
    from ib_desktop.ui.recovery import store_for

    store_for(ctx).put(f"pupil:{pupil_id}", "Leerlingdossier", {"notes": "Van voor de crash"})
    w = PupilFileWindow(ctx, nav, pupil_id)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.is_dirty())
    assert w.notes_edit.toPlainText() == "Van voor de crash"
    assert no_dialogs["question"]  # the user was asked first
    with ctx.db.session() as s:
        assert s.get(Pupil, pupil_id).notes != "Van voor de crash"  # not saved until the user saves


# ---------------------------------------------------------------------------- record dialogs


def test_guardian_dialog_errors_next_to_fields(ctx, qtbot, no_dialogs, pupil_id) -> None:
    dialog = GuardianDialog(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.load()
    qtbot.keyClicks(dialog.email_edit, "jan@")
    qtbot.keyClicks(dialog.phone_edit, "bellen")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Vul de naam" in dialog.errors.message("name")
    assert "e-mailadres" in dialog.errors.message("email")
    assert "telefoonnummer" in dialog.errors.message("phone")
    assert dialog.saved_id is None


def test_guardian_dialog_tab_order(ctx, qtbot, pupil_id) -> None:
    dialog = GuardianDialog(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load()
    dialog.name_edit.setFocus()
    seen = [dialog.focusWidget()]
    for _ in range(3):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget())
    assert seen[0] is dialog.name_edit
    assert dialog.relation_combo in seen or dialog.relation_combo.lineEdit() in seen
    assert seen[-1] is dialog.phone_edit


@pytest.mark.parametrize(
    ("cls", "fill", "field", "fragment"),
    [
        (
            CareProviderDialog,
            {"organisation_edit": "Wijkteam", "start_edit": "01-09-2026", "end_edit": "01-03-2026"},
            "end_date",
            "vóór de begindatum",
        ),
        (
            HistoryDialog,
            {"institution_edit": "OBS Elders", "start_edit": "01-01-2030"},
            "start_date",
            "toekomst",
        ),
        (AssessmentDialog, {"date_edit": "01-01-2030"}, "date", "toekomst"),
        (AssessmentDialog, {"date_edit": "12-13-2025"}, "date", "geen bestaande datum"),
        (MeetingDialog, {"date_edit": "01-01-2030"}, "date", "toekomst"),
    ],
)
def test_record_dialog_bad_input(
    ctx, qtbot, no_dialogs, pupil_id, cls, fill, field, fragment
) -> None:
    dialog = cls(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.load()
    for attr, text in fill.items():
        _type_into(qtbot, getattr(dialog, attr), text)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert fragment in dialog.errors.message(field)
    assert dialog.saved_id is None


def test_meeting_added_and_edited_in_file(window, ctx, qtbot) -> None:
    def fill(dialog: MeetingDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(pf.MeetingKind.MDO))
        _type_into(qtbot, dialog.date_edit, "10-11-2026")
        qtbot.keyClicks(dialog.title_edit, "MDO met orthopedagoog")
        qtbot.keyClicks(dialog.decisions_edit, "Onderzoek aanvragen")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(MeetingDialog, fill)
    qtbot.mouseClick(window.record_tabs["meetings"].add_button, Qt.MouseButton.LeftButton)
    driver.check()
    tab = window.record_tabs["meetings"]
    assert tab.select_where(lambda m: m.title == "MDO met orthopedagoog")
    row = tab.current()
    assert row.decisions == "Onderzoek aanvragen"
    assert row.date == date(2026, 11, 10)

    def change(dialog: MeetingDialog) -> None:
        assert dialog.title_edit.text() == "MDO met orthopedagoog"
        _type_into(qtbot, dialog.title_edit, "MDO")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(MeetingDialog, change)
    tab.view.setFocus()
    qtbot.keyClick(tab, Qt.Key.Key_Return)
    driver.check()
    assert tab.select_where(lambda m: m.id == row.id)
    assert tab.current().title == "MDO"


def test_remove_guardian_asks_first(window, ctx, qtbot, no_dialogs, monkeypatch) -> None:
    tab = window.record_tabs["guardians"]
    assert tab.model.rowCount() >= 1
    tab.view.selectRow(0)
    first = tab.current()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        assert s.get(Guardian, first.id) is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.view.selectRow(0)
    qtbot.keyClick(tab, Qt.Key.Key_Delete)
    with ctx.db.session() as s:
        assert s.get(Guardian, first.id) is None


def test_cancel_dialog_with_changes_asks(ctx, qtbot, monkeypatch, pupil_id) -> None:
    dialog = GuardianDialog(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load()
    qtbot.keyClicks(dialog.name_edit, "Jan")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialog.name_edit.text() == "Jan"


# ---------------------------------------------------------------------------- documents


def test_documents_open_and_new(ctx, nav, qtbot, no_dialogs) -> None:
    with ctx.db.session() as s:
        opp = s.scalars(sa.select(Opp).where(Opp.end_date.is_(None)).limit(1)).one()
        opp_id, pid = opp.id, opp.pupil_id
    w = PupilFileWindow(ctx, nav, pid)
    qtbot.addWidget(w)
    tab = w.documents_tab
    assert tab.select_where(lambda d: d.kind == "opp")
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    assert nav.documents[-1] == ("opp", opp_id, None)
    qtbot.mouseClick(w.new_document_buttons["korte_interventie"], Qt.MouseButton.LeftButton)
    assert nav.documents[-1] == ("korte_interventie", None, pid)
    # A running OPP is opened rather than a second one started (the user says yes).
    qtbot.mouseClick(w.new_document_buttons["opp"], Qt.MouseButton.LeftButton)
    assert nav.documents[-1] == ("opp", opp_id, None)


def test_missing_opp_banner_offers_to_start_it(ctx, nav, qtbot, no_dialogs) -> None:
    with ctx.db.session() as s:
        pupil = active_pupil(s)
        level_service.change_level(
            s, pupil, level_at(s, ctx.school_id, 3), TODAY, "Zorgen", today=TODAY
        )
        pid = pupil.id
    w = PupilFileWindow(ctx, nav, pid)
    qtbot.addWidget(w)
    w.show()
    assert w.missing_banner.isVisible()
    assert "OPP" in w.missing_text.text()
    qtbot.mouseClick(w.missing_buttons[0], Qt.MouseButton.LeftButton)
    assert nav.documents[-1] == ("opp", None, pid)


def test_print_shows_preview(window, monkeypatch) -> None:
    from ib_desktop.ui.widgets import pdf_preview

    shown = []
    monkeypatch.setattr(
        pdf_preview.PdfPreviewDialog,
        "preview",
        classmethod(lambda cls, parent, pdf, title, name: shown.append((pdf, title, name))),
    )
    window.print_action.trigger()
    assert shown
    assert shown[0][0].startswith(b"%PDF")
    assert shown[0][2].endswith(".pdf")


# ---------------------------------------------------------------------------- leaving school


def test_leave_school_makes_file_read_only(window, ctx, qtbot, nav) -> None:
    def fill(dialog: LeaveSchoolDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(pf.LeaveKind.SBO))
        qtbot.keyClicks(dialog.destination_edit, "SBO De Brug")
        assert "3 jaar" in dialog.retention_label.text()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(LeaveSchoolDialog, fill)
    window.leave_action.trigger()
    driver.check()
    assert window.left_banner.isVisible()
    assert "verlaten" in window.left_text.text()
    assert window.names.first.isReadOnly()
    assert not window.gender_combo.isEnabled()
    assert not window.record_tabs["guardians"].add_button.isEnabled()
    assert not window.save_action.isEnabled()
    assert not window.level_action.isEnabled()
    assert window.status_chip.text() == "Vertrokken"
    with ctx.db.session() as s:
        p = s.get(Pupil, window.pupil_id)
        assert p.status == PupilStatus.VERTROKKEN
        assert p.left_on == TODAY
        assert p.delete_after == date(2029, 11, 18)
        assert level_service.current_assignment(s, p.id) is None
    # Typing is impossible, so closing asks nothing.
    qtbot.keyClicks(window.notes_edit, "x")
    assert not window.is_dirty()


def test_leave_school_future_date_refused(ctx, qtbot, no_dialogs, pupil_id) -> None:
    dialog = LeaveSchoolDialog(None, ctx, pupil_id, None)
    qtbot.addWidget(dialog)
    dialog.show()
    _type_into(qtbot, dialog.date_edit, (TODAY + timedelta(days=7)).strftime("%d-%m-%Y"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "toekomst" in dialog.errors.message("left_on")
    with ctx.db.session() as s:
        assert s.get(Pupil, pupil_id).status == PupilStatus.ACTIEF


def test_reactivate_and_delete_file(ctx, nav, qtbot, no_dialogs) -> None:
    with ctx.db.session() as s:
        pupil = active_pupil(s)
        pid, name, lvs = pupil.id, pupil.full_name, pupil.lvs_id
        pf.leave_school(s, pid, TODAY, "verhuizing", "Utrecht", today=TODAY)
    w = PupilFileWindow(ctx, nav, pid)
    qtbot.addWidget(w)
    w.show()
    assert w.left_banner.isVisible()
    assert w.reactivate_button.isVisible()
    qtbot.mouseClick(w.reactivate_button, Qt.MouseButton.LeftButton)  # the user confirms (Yes)
    assert not w.left_banner.isVisible()
    with ctx.db.session() as s:
        assert s.get(Pupil, pid).status == PupilStatus.ACTIEF
        pf.leave_school(s, pid, TODAY, "verhuizing", today=TODAY)
    w.reload(form=True)

    def confirm_delete(dialog: DeleteFileDialog) -> None:
        assert not dialog.delete_button.isEnabled()
        qtbot.keyClicks(dialog.name_edit, name)
        assert not dialog.delete_button.isEnabled()  # still within the retention period
        dialog.early_check.setChecked(True)
        assert dialog.delete_button.isEnabled()
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(DeleteFileDialog, confirm_delete)
    qtbot.mouseClick(w.delete_button, Qt.MouseButton.LeftButton)
    driver.check()
    assert not w.isVisible()
    with ctx.db.session() as s:
        assert s.get(Pupil, pid) is None
        record = s.scalars(sa.select(RetentionRecord).order_by(RetentionRecord.id.desc())).first()
        assert record.pupil_reference == lvs
        assert name not in record.retention_rule


def test_read_only_file_opens_records_for_viewing(ctx, nav, qtbot, no_dialogs) -> None:
    with ctx.db.session() as s:
        pupil = active_pupil(s)
        pid = pupil.id
        pf.leave_school(s, pid, TODAY, "vo", today=TODAY)
    w = PupilFileWindow(ctx, nav, pid)
    qtbot.addWidget(w)
    tab = w.record_tabs["guardians"]
    tab.view.selectRow(0)
    assert tab.edit_button.text().replace("&", "") == "Bekijken…"
    assert not tab.remove_button.isEnabled()

    def look(dialog: GuardianDialog) -> None:
        assert dialog.read_only
        assert dialog.name_edit.isReadOnly()
        dialog.reject()

    driver = ModalDriver(GuardianDialog, look)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    driver.check()


def test_dialog_edit_takes_the_record_id_by_name(ctx, qtbot, no_dialogs, pupil_id) -> None:
    """The OPP editor opens the same dialog with ``guardian_id=`` to complete part 1."""
    with ctx.db.session() as s:
        guardian = s.scalars(sa.select(Guardian).where(Guardian.pupil_id == pupil_id)).first()
        gid, name = guardian.id, guardian.name

    def change(dialog: GuardianDialog) -> None:
        assert dialog.name_edit.text() == name
        _type_into(qtbot, dialog.phone_edit, "030-7654321")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    driver = ModalDriver(GuardianDialog, change)
    assert GuardianDialog.edit(None, ctx, pupil_id, guardian_id=gid) == gid
    driver.check()
    with ctx.db.session() as s:
        assert s.get(Guardian, gid).phone == "030-7654321"
    with pytest.raises(TypeError):
        GuardianDialog.edit(None, ctx, pupil_id, meeting_id=gid)


def test_file_follows_changes_saved_elsewhere(main_window, ctx, qtbot, pupil_id) -> None:
    main_window.open_pupil(pupil_id)
    window = next(w for w in main_window.open_windows() if isinstance(w, PupilFileWindow))
    qtbot.keyClicks(window.notes_edit, "Half getypt")
    before = window.record_tabs["guardians"].model.rowCount()
    with ctx.db.session() as s:  # e.g. the OPP editor adds a guardian from part 1
        pf.save_guardian(s, pupil_id, pf.GuardianData(name="Jeugdbescherming", relation="voogd"))
    main_window.notify_changed()
    qtbot.waitUntil(lambda: window.record_tabs["guardians"].model.rowCount() == before + 1)
    assert window.notes_edit.toPlainText().endswith("Half getypt")  # typing is not thrown away
    assert window.is_dirty()


def test_alt_number_jumps_to_a_tab(window, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentIndex() == 7
    assert window.tabs.tabText(7) == "Niveaus"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Ouders/verzorgers"


def test_new_pupil_start_level_dated_on_enrolment(ctx, qtbot, no_dialogs) -> None:
    """Issue 15: the start level follows the enrolment date typed (not today)."""
    dialog = NewPupilDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.level_start_edit.value() == TODAY
    qtbot.keyClicks(dialog.names.first, "Bram")
    qtbot.keyClicks(dialog.names.last, "Jansen")
    qtbot.keyClicks(dialog.birth_edit, "03-04-2018")
    qtbot.keyClicks(dialog.enrolled_edit, "26-08-2024")
    assert dialog.level_start_edit.value() == date(2024, 8, 26)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.pupil_id is not None
    with ctx.db.session() as s:
        assert s.get(Pupil, dialog.pupil_id).enrolled_on == date(2024, 8, 26)
        current = level_service.current_assignment(s, dialog.pupil_id)
        assert current.start_date == date(2024, 8, 26)
