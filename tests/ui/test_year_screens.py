"""The IB-er's year on screen: Kengetallen, the legal clocks card, the SWV packet menu entry."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QToolBar

from ib_desktop.models import ChangeLog, Opp, OppVersion, Pupil
from ib_desktop.services.deadlines import collect
from ib_desktop.services.figures import fmt_value, year_figures
from ib_desktop.ui.pupil_file.shell import PupilFileWindow
from tests.conftest import TODAY
from tests.ui.pupil_helpers import FakeNav, answer_boxes


def _cell(model, row: int, column: int) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def test_the_figures_page_shows_the_counts_and_charts(
    main_window, ctx, qtbot, model_tester
) -> None:
    main_window.show_page("kengetallen")
    page = main_window.page("kengetallen")
    model_tester(page.table_model)
    model_tester(page.level_model)
    assert page.year_combo.currentText() == "2026-2027"
    with ctx.db.session() as s:
        want = year_figures(s, ctx.school_id, "2026-2027", today=TODAY)
        before = year_figures(s, ctx.school_id, "2025-2026", today=TODAY)
    model = page.table_model
    assert model.columnCount() == 4  # the label and three school years
    labels = [_cell(model, r, 0) for r in range(model.rowCount())]
    row = labels.index("Aantal leerlingen")
    assert _cell(model, row, 3) == str(want.pupils)
    assert _cell(model, labels.index("Gemiddelde groepsgrootte"), 3) == fmt_value(
        want.average_group
    )
    # the bars are as high as their values: the tallest pupil bar is the largest count
    bars = {(name, cat): r for name, cat, r in page.pupil_chart.bar_rects()}
    assert bars[("Leerlingen", "2026-2027")].height() > 0
    ratio = bars[("Leerlingen", "2025-2026")].height() / bars[("Leerlingen", "2026-2027")].height()
    assert ratio == pytest.approx(before.pupils / want.pupils, rel=0.01)
    # another school year, fewer years side by side
    page.years_spin.setValue(2)
    page.year_combo.setCurrentText("2025-2026")
    assert model.columnCount() == 3
    assert _cell(model, labels.index("Aantal leerlingen"), 2) == str(before.pupils)
    levels = page.level_model
    assert _cell(levels, levels.rowCount() - 1, 0) == "Totaal"
    horizontal = Qt.Orientation.Horizontal
    assert levels.headerData(1, horizontal) == "Niveau 1"
    assert levels.headerData(1, horizontal, Qt.ItemDataRole.ToolTipRole).startswith("1. ")
    assert "01-10-2025" in page.level_title.text()


def test_figures_saved_as_excel_and_pdf(main_window, monkeypatch, tmp_path) -> None:
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    main_window.show_page("kengetallen")
    page = main_window.page("kengetallen")
    target = {"path": str(tmp_path / "cijfers")}
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (target["path"], "")
    )
    page.xlsx_button.click()
    sheet = load_workbook(tmp_path / "cijfers.xlsx").active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "Kengetal"
    assert any(r[0] == "Aantal leerlingen" for r in values)
    page.pdf_button.click()
    text = PdfReader(io.BytesIO((tmp_path / "cijfers.pdf").read_bytes())).pages[0].extract_text()
    assert "Kengetallen schoolondersteuningsprofiel" in text


def test_the_clocks_card_lists_the_clocks_and_opens_them(main_window, ctx, qtbot) -> None:
    page = main_window.page("overzicht")
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    with ctx.db.session() as s:
        want = collect(s, ctx.school_id, TODAY)
    card = page.deadlines_card
    late = sum(d.is_overdue(TODAY) for d in want)
    assert card.count.text() == str(late)
    assert len(card.buttons) == min(len(want), card.max_entries)
    first = want[0]
    assert first.what in card.buttons[0].text()
    opened: list = []
    main_window.open_document = lambda kind, doc_id, *a, **k: opened.append((kind, doc_id))
    main_window.open_pupil = lambda pid, *a, **k: opened.append(("pupil", pid))
    qtbot.mouseClick(card.buttons[0], Qt.MouseButton.LeftButton)
    expected = (
        (first.target, first.target_id) if first.target == "opp" else ("pupil", first.pupil_id)
    )
    assert opened == [expected]


def test_the_swv_packet_from_the_pupil_file_is_shown_and_logged(ctx, qtbot, monkeypatch) -> None:
    from ib_desktop.ui.widgets import pdf_preview

    answer_boxes(monkeypatch, [], QMessageBox.StandardButton.Discard)
    shown: list = []
    monkeypatch.setattr(
        pdf_preview.PdfPreviewDialog,
        "preview",
        classmethod(lambda cls, parent, pdf, title, name: shown.append((pdf, title, name))),
    )
    with ctx.db.session() as s:
        pid = s.scalars(
            sa.select(Opp.pupil_id).join(OppVersion).where(OppVersion.fixed_on.is_not(None))
        ).first()
        name = s.get(Pupil, pid).full_name
        logged = s.scalar(sa.select(sa.func.count(ChangeLog.id)))
    w = PupilFileWindow(ctx, FakeNav(), pid)
    qtbot.addWidget(w)
    w.show()
    toolbar = w.findChild(QToolBar, "pupil-toolbar")
    menu = toolbar.widgetForAction(w.print_action).menu() or w.print_action.menu()
    entry = next(a for a in menu.actions() if a.text() == "SWV-pakket voor de commissie…")
    entry.trigger()
    ((pdf, title, file_name),) = shown
    assert name in title
    assert file_name.startswith("swv-pakket-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 12
    assert "SWV-pakket" in reader.pages[0].extract_text()
    with ctx.db.session() as s:
        assert s.scalar(sa.select(sa.func.count(ChangeLog.id))) == logged + 1
        row = s.scalars(sa.select(ChangeLog).order_by(ChangeLog.id.desc())).first()
    assert (row.entity, row.entity_id, row.actor) == ("pupil", pid, ctx.actor)


def test_all_clocks_in_one_table_open_from_the_card(
    main_window, ctx, qtbot, monkeypatch, model_tester
) -> None:
    from PySide6.QtWidgets import QDialog

    from ib_desktop.ui import deadlines_dialog

    page = main_window.page("overzicht")
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    with ctx.db.session() as s:
        want = collect(s, ctx.school_id, TODAY)
    assert len(want) > page.deadlines_card.max_entries, "the demo has more clocks than the card"
    assert page.deadlines_card.more.isVisible()
    seen: list = []

    def fake_exec(dialog) -> int:
        seen.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(deadlines_dialog.DeadlinesDialog, "exec", fake_exec)
    qtbot.mouseClick(page.deadlines_card.more, Qt.MouseButton.LeftButton)
    (dialog,) = seen
    qtbot.addWidget(dialog)
    model_tester(dialog.model)
    assert dialog.model.rowCount() == len(want)
    whats = {dialog.model.data(dialog.model.index(r, 4)) for r in range(dialog.model.rowCount())}
    assert whats == {d.what for d in want}
    opened: list = []
    main_window.open_pupil = lambda pid, *a, **k: opened.append(("pupil", pid))
    main_window.open_document = lambda kind, doc_id, *a, **k: opened.append((kind, doc_id))
    dialog.proxy.sort(0, Qt.SortOrder.DescendingOrder)  # the latest deadline first
    latest = max(want, key=lambda d: d.due)
    dialog.view.activated.emit(dialog.proxy.index(0, 0))
    assert opened
    assert opened[0][1] in (latest.target_id, latest.pupil_id)


def test_the_clocks_card_without_late_clocks_still_lists_them(main_window, ctx, qtbot) -> None:
    page = main_window.page("overzicht")
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    page.deadlines = [d for d in page.deadlines if not d.is_overdue(TODAY)]
    page._show_deadlines(TODAY)
    card = page.deadlines_card
    assert card.count.text() == "0"
    assert not card.empty.isVisible()
    assert len(card.buttons) == min(len(page.deadlines), card.max_entries) > 0
