"""The agenda page, driven as a user: sections, filters, open, evaluate, held, export."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from ib_desktop.models import Meeting, MeetingKind, MomentKind
from ib_desktop.schedule import compute_moments
from ib_desktop.services.agenda import Section
from ib_desktop.ui.agenda import AgendaModel, AgendaPage, IcsExportDialog

TODAY = date(2026, 11, 18)


class FakeNav(QObject):
    """Records what the page asks the main window to do."""

    dataChanged = Signal()  # noqa: N815

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple] = []

    def open_pupil(self, pupil_id: int) -> None:
        self.calls.append(("pupil", pupil_id))

    def open_document(self, kind: str, doc_id: int | None = None, *, pupil_id=None) -> None:
        self.calls.append(("document", kind, doc_id))

    def show_page(self, key: str) -> None:
        self.calls.append(("page", key))

    def notify_changed(self) -> None:
        self.dataChanged.emit()


@pytest.fixture
def page(ctx, qtbot, no_dialogs):
    nav = FakeNav()
    widget = AgendaPage(ctx, nav)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.nav_fake = nav  # type: ignore[attr-defined]
    return widget


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def row_of(page: AgendaPage, key: str) -> int:
    for r in range(page.proxy.rowCount()):
        if page.proxy.index(r, 0).data(AgendaModel.ItemRole).moment.key == key:
            return r
    raise AssertionError(f"{key} not shown")


def click_row(qtbot, page: AgendaPage, row: int) -> None:
    index = page.proxy.index(row, AgendaModel.COL_PUPIL)
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_models_pass_the_model_tester(page) -> None:
    [
        QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Fatal),
        QAbstractItemModelTester(page.proxy, QAbstractItemModelTester.FailureReportingMode.Fatal),
    ]
    page.reload()
    for section in Section:
        page.show_section(section)
    page.table.sortByColumn(AgendaModel.COL_PUPIL, Qt.SortOrder.DescendingOrder)
    assert page.model.rowCount() > 0
    item = page.proxy.index(0, 0).data(AgendaModel.ItemRole)
    assert (
        page.proxy.index(0, AgendaModel.COL_DATE).data(AgendaModel.SortRole)[0]
        == item.moment.due.toordinal()
    )


def test_sections_match_the_engine(page, ctx) -> None:
    with ctx.db.session() as s:
        moments = compute_moments(s, ctx.school_id, today=TODAY)
    overdue = {m.key for m in moments if m.is_overdue(TODAY)}
    page.show_section(Section.TE_LAAT)
    shown = {i.moment.key for i in page.visible_items()}
    assert shown == overdue
    assert page.tabs.tabText(0) == f"Te laat ({len(overdue)})"
    page.show_section(Section.DEZE_WEEK)
    week = page.visible_items()
    assert week
    assert all(TODAY <= i.moment.due <= date(2026, 11, 22) for i in week)
    dates = [i.moment.due for i in week]
    assert dates == sorted(dates)


def test_teacher_group_and_kind_filters(page) -> None:
    page.show_section(Section.KOMEND)
    everyone = len(page.visible_items())
    shown = page.visible_items()
    teacher_id = max(
        (sid for sid, _ in page.data.staff),
        key=lambda sid: sum(page.data.names.involves(i.moment, sid) for i in shown),
    )
    choose(page.staff_combo, teacher_id)
    mine = page.visible_items()
    assert 0 < len(mine) < everyone
    assert all(page.data.names.involves(i.moment, teacher_id) for i in mine)
    choose(page.staff_combo, None)
    group_id = page.data.groups[0][0]
    choose(page.group_combo, group_id)
    assert all(i.moment.group_id == group_id for i in page.visible_items())
    choose(page.group_combo, None)
    choose(page.kind_combo, MomentKind.OPP_DOEL)
    kinds = {i.moment.kind for i in page.visible_items()}
    assert kinds == {MomentKind.OPP_DOEL}
    assert "(" in page.tabs.tabText(2)


def test_enter_opens_the_document_and_ctrl_l_the_pupil(page, qtbot) -> None:
    page.show_section(Section.TE_LAAT)
    choose(page.kind_combo, MomentKind.INTERVENTIE)
    item = page.visible_items()[0]
    click_row(qtbot, page, 0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.nav_fake.calls[-1] == ("document", "korte_interventie", item.moment.source_id)
    qtbot.keyClick(page.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert page.nav_fake.calls[-1] == ("pupil", item.moment.pupil_id)


def test_walk_from_an_overdue_item_to_entering_its_evaluation(main_window, qtbot, ctx) -> None:
    """The IB-er opens the agenda, picks an overdue korte interventie and evaluates it."""
    main_window.show_page("agenda")
    page = main_window.page("agenda")
    assert isinstance(page, AgendaPage)
    page.show_section(Section.TE_LAAT)
    choose(page.kind_combo, MomentKind.INTERVENTIE)
    before = page.visible_items()
    assert before
    target = before[0].moment
    assert target.is_overdue(TODAY)
    click_row(qtbot, page, row_of(page, target.key))
    assert page.current_item().moment.key == target.key
    assert page.evaluate_button.isEnabled()

    seen = {}

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not open yet: look again in a moment
            QTimer.singleShot(20, fill_in)
            return
        seen["dialog"] = type(dialog).__name__
        try:
            field = dialog.form.first_field()  # the evaluation text of the goal
            target_widget = field.viewport() if hasattr(field, "viewport") else field
            qtbot.mouseClick(target_widget, Qt.MouseButton.LeftButton)
            qtbot.keyClicks(field, "Doel behaald: de tafels gaan vlot.")
            combo = dialog.form.blocks[0].outcome_combo
            combo.setCurrentIndex(combo.findText("behaald", Qt.MatchFlag.MatchContains))
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        finally:
            if dialog.isVisible():  # not saved: never leave a test hanging on a modal dialog
                seen["left_open"] = dialog.form.general_error.text() or [
                    e.error_label.text() for e in dialog.form.errors.fields.values()
                ]
                QDialog.done(dialog, 0)

    QTimer.singleShot(0, fill_in)
    qtbot.keyClick(page.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen["dialog"] == "EvaluationDialog"
    assert "left_open" not in seen, seen
    # saved, and the agenda reloaded: the item is no longer overdue (or listed at all)
    assert target.key not in {i.moment.key for i in page.visible_items()}
    with ctx.db.session() as s:
        done = {m.key: m for m in compute_moments(s, ctx.school_id, today=TODAY, include_done=True)}
    assert done[target.key].done_on == TODAY
    assert not done[target.key].is_overdue(TODAY)
    assert page.tabs.tabText(0).startswith("Te laat (")


def test_mark_meeting_held(page, qtbot, ctx) -> None:
    with ctx.db.session() as s:
        m = Meeting(
            school_id=ctx.school_id,
            kind=MeetingKind.MDO,
            date=TODAY - timedelta(days=2),
            title="MDO groep 5",
        )
        s.add(m)
        s.flush()
        mid = m.id
    page.reload()
    page.show_section(Section.TE_LAAT)
    choose(page.kind_combo, MomentKind.MDO)
    click_row(qtbot, page, row_of(page, f"meeting:{mid}"))
    assert page.held_button.isEnabled()
    assert not page.evaluate_button.isEnabled()
    qtbot.mouseClick(page.held_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        assert s.get(Meeting, mid).held
    assert f"meeting:{mid}" not in {i.moment.key for i in page.visible_items()}


def test_parent_meeting_held_with_ctrl_g(page, qtbot, ctx) -> None:
    page.show_section(Section.TE_LAAT)
    choose(page.kind_combo, MomentKind.OUDERGESPREK)
    items = page.visible_items()
    assert items
    item = items[0]
    click_row(qtbot, page, 0)
    qtbot.keyClick(page.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert item.moment.pupil_id not in {i.moment.pupil_id for i in page.visible_items()}
    with ctx.db.session() as s:
        nxt = [
            m
            for m in compute_moments(s, ctx.school_id, today=TODAY)
            if m.kind == MomentKind.OUDERGESPREK and m.pupil_id == item.moment.pupil_id
        ]
    assert nxt
    assert nxt[0].due > TODAY


def test_export_writes_an_ics_file(page, qtbot, monkeypatch, tmp_path) -> None:
    target = tmp_path / "mijn-agenda"
    monkeypatch.setattr(
        IcsExportDialog, "ask", classmethod(lambda cls, parent, staff, sid: (None, True))
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "mijn-agenda.ics"
    assert written.exists()
    cal = icalendar.Calendar.from_ical(written.read_bytes())
    assert len(list(cal.walk("VEVENT"))) > 0


def test_export_dialog_offers_everyone_and_each_teacher(page, qtbot) -> None:
    dialog = IcsExportDialog(page.data.staff, None, page)
    qtbot.addWidget(dialog)
    assert dialog.who.itemData(0) is None
    assert dialog.who.count() == len(page.data.staff) + 1
    assert dialog.initials.isChecked()  # issue 16: initials by default (a calendar is shared)


def test_empty_section_says_so(page) -> None:
    choose(page.kind_combo, MomentKind.ZORGPLICHT)
    page.show_section(Section.DEZE_WEEK)
    assert page.proxy.rowCount() == 0
    assert page.empty_label.isVisible()
    assert not page.table.isVisible()
    assert "niets" in page.empty_label.text()


def test_tab_order_follows_the_screen(page, qtbot) -> None:
    page.staff_combo.setFocus()
    order = []
    widget = page.staff_combo
    for _ in range(5):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
    assert order == [
        page.staff_combo,
        page.group_combo,
        page.kind_combo,
        page.print_button,
        page.export_button,
    ]


def test_print_shows_the_schedule_with_the_filters(page, qtbot, monkeypatch) -> None:
    import io

    from pypdf import PdfReader

    from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    shown = {}
    monkeypatch.setattr(
        PdfPreviewDialog,
        "preview",
        classmethod(lambda cls, parent, pdf, title, name: shown.update(pdf=pdf, title=title)),
    )
    group_id, group_name = page.data.groups[0]
    choose(page.group_combo, group_id)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert shown["pdf"].startswith(b"%PDF")
    assert f"groep {group_name.lower()}" in shown["title"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(shown["pdf"])).pages)
    assert "Evaluatie" in text


def test_print_on_the_this_week_tab_prints_this_week(page, qtbot, monkeypatch) -> None:
    """Issue 15: "deze week" is a period to print, not only a tab."""
    from ib_desktop.services.agenda import end_of_week
    from ib_desktop.ui.agenda import SECTIONS
    from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    shown = {}
    monkeypatch.setattr(
        PdfPreviewDialog,
        "preview",
        classmethod(lambda cls, parent, pdf, title, name: shown.update(pdf=pdf, title=title)),
    )
    page.tabs.setCurrentIndex(SECTIONS.index(Section.DEZE_WEEK))
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    today = page.ctx.today()
    assert shown["title"].endswith(f"t/m {end_of_week(today):%d-%m-%Y}")
    page.tabs.setCurrentIndex(SECTIONS.index(Section.KOMEND))
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert not shown["title"].endswith(f"t/m {end_of_week(today):%d-%m-%Y}")


def test_export_dialog_says_honestly_what_a_reimport_does(page, qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    dialog = IcsExportDialog(page.data.staff, None, page)
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "geannuleerd" in text
    assert "UID" in text
    assert "alleen een agenda die" in text
    assert "Google Agenda" in text


def test_export_to_the_same_file_again_cancels_vanished_moments(
    page, qtbot, monkeypatch, tmp_path, ctx
) -> None:
    from ib_desktop.calendar_export import load_memory, target_key

    target = tmp_path / "agenda.ics"
    monkeypatch.setattr(
        IcsExportDialog, "ask", classmethod(lambda cls, parent, staff, sid: (None, True))
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        memory = load_memory(s, target_key(target))
    assert memory
    # Pretend the previous file held a moment that is gone now.
    from ib_desktop.models import Setting

    with ctx.db.session() as s:
        row = s.get(Setting, target_key(target))
        events = dict(row.value["events"])
        events["weg.school1@ib-desktop"] = {"sequence": 7, "start": "2026-12-01", "summary": "Oud"}
        row.value = {**row.value, "events": events}
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    gone = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == "weg.school1@ib-desktop")
    assert str(gone["STATUS"]) == "CANCELLED"
    assert int(gone["SEQUENCE"]) == 8
    assert str(gone["SUMMARY"]) == "Vervallen: Oud"
