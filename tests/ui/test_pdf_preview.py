"""The PDF preview (pages, zoom, print, save) and the "Afdrukken" menu's dialogs."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QProgressDialog

from ib_desktop.models import Group, Opp, OppVersion, Pupil, PupilStatus
from ib_desktop.reports import opp_pdf
from ib_desktop.ui import print_dialogs
from ib_desktop.ui.print_dialogs import (
    GroupOppsChoice,
    GroupOppsDialog,
    GroupOverviewChoice,
    GroupOverviewDialog,
    ScheduleDialog,
    ScheduleOptions,
)
from ib_desktop.ui.widgets import pdf_preview
from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.conftest import TODAY


def text_of(pdf: bytes) -> str:
    return re.sub(
        r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    )


@pytest.fixture
def opp_bytes(ctx) -> bytes:
    with ctx.db.session() as s:
        vid = s.scalars(sa.select(OppVersion.id).order_by(OppVersion.id)).first()
        return opp_pdf(s, vid, today=TODAY)


@pytest.fixture
def preview(qtbot, opp_bytes) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(opp_bytes, "OPP", "OPP test", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def save_as(monkeypatch, tmp_path) -> dict:
    """QFileDialog answers with a path in tmp_path; the questions asked are recorded."""
    state: dict = {"answer": str(tmp_path / "opgeslagen"), "asked": []}

    def fake_save(parent, caption, directory, filters, *args, **kwargs):
        state["asked"].append((caption, directory, filters))
        return state["answer"], filters

    def fake_dir(parent, caption, directory, *args, **kwargs):
        state["asked"].append((caption, directory))
        return state.get("folder", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(fake_dir))
    return state


@pytest.fixture
def previews(monkeypatch) -> list[tuple[bytes, str, str]]:
    """PdfPreviewDialog.preview records what it was given instead of opening a window."""
    shown: list[tuple[bytes, str, str]] = []

    def fake(cls, parent, pdf, title, suggested_name):
        shown.append((pdf, title, suggested_name))

    monkeypatch.setattr(PdfPreviewDialog, "preview", classmethod(fake))
    return shown


# ---------------------------------------------------------------------------- the preview


def test_preview_loads_the_pdf(preview, opp_bytes) -> None:
    pages = len(PdfReader(io.BytesIO(opp_bytes)).pages)
    assert preview.page_count() == pages > 1
    assert preview.page_spin.maximum() == pages
    assert preview.page_label.text() == f"van {pages}"
    assert "Afdrukvoorbeeld" in preview.windowTitle()
    assert not preview.prev_button.isEnabled()
    assert preview.next_button.isEnabled()


def test_page_navigation_with_buttons_keys_and_spin(qtbot, preview) -> None:
    qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview.current_page() == 1)
    assert preview.page_spin.value() == 2
    qtbot.keyClick(preview, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: preview.current_page() == 2)
    qtbot.keyClick(preview, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: preview.current_page() == preview.page_count() - 1)
    assert not preview.next_button.isEnabled()
    preview.page_spin.setValue(1)
    qtbot.waitUntil(lambda: preview.current_page() == 0)


def test_zoom_steps_and_fit_modes(qtbot, preview) -> None:
    from ib_desktop.ui.widgets.pdf_view import ZoomMode

    assert preview.view.zoomMode() == ZoomMode.FIT_TO_WIDTH
    assert preview.fit_width_button.isChecked()
    qtbot.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == ZoomMode.CUSTOM
    first = preview.view.zoomFactor()
    qtbot.keyClick(preview, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomFactor() > first
    assert preview.zoom_label.text() == f"{round(preview.view.zoomFactor() * 100)}%"
    qtbot.mouseClick(preview.fit_page_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == ZoomMode.FIT_IN_VIEW
    assert preview.fit_page_button.isChecked()
    assert not preview.fit_width_button.isChecked()


def test_pages_render_on_white_when_they_come_into_view(qtbot, preview) -> None:
    qtbot.waitUntil(lambda: 0 in preview.view.rendered_pages())
    first = preview.view.findChild(QLabel, "pdfPage1")
    image = first.pixmap().toImage()
    assert image.pixelColor(2, 2).name() == "#ffffff"  # PDFium leaves no transparent paper
    assert image.width() == pytest.approx(first.width() * first.devicePixelRatioF(), abs=2)
    last = preview.page_count() - 1
    preview.view.jump(last)
    qtbot.waitUntil(lambda: last in preview.view.rendered_pages())
    if last > 2 * 2 + 2:  # far pages are dropped, so a 100-page batch does not fill memory
        assert 0 not in preview.view.rendered_pages()


def test_an_unreadable_pdf_shows_no_pages_and_cannot_print(qtbot) -> None:
    dialog = PdfPreviewDialog(b"%PDF-1.4 kapot", "Kapot", "kapot", None)
    qtbot.addWidget(dialog)
    assert dialog.page_count() == 0
    assert not dialog.print_button.isEnabled()


def test_save_as_pdf_writes_the_file(qtbot, preview, save_as, opp_bytes, tmp_path) -> None:
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "opgeslagen.pdf"  # ".pdf" added to the name the user typed
    assert target.read_bytes() == opp_bytes
    caption, directory, filters = save_as["asked"][0]
    assert caption == "Opslaan als PDF"
    assert directory.endswith("OPP test.pdf")
    assert "*.pdf" in filters
    assert not list(tmp_path.glob(".ib-*"))
    # Ctrl+S again starts in the folder used last time
    save_as["answer"] = ""
    qtbot.keyClick(preview, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert Path(save_as["asked"][1][1]).parent == tmp_path


def test_save_failure_is_told_and_nothing_half_written(preview, no_dialogs, tmp_path) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    assert not preview.save_to(blocker / "sub" / "x.pdf")  # a file where a folder should be
    assert no_dialogs["warning"]
    assert "kon niet worden opgeslagen" in no_dialogs["warning"][0]


def test_print_draws_every_page_on_white(preview, tmp_path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "afdruk.pdf"
    printer.setOutputFileName(str(out))
    assert preview.print_to(printer)
    assert len(PdfReader(str(out)).pages) == preview.page_count()
    printer2 = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer2.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out2 = tmp_path / "deel.pdf"
    printer2.setOutputFileName(str(out2))
    printer2.setFromTo(2, 3)  # the range chosen in the print dialog
    assert preview.print_to(printer2)
    assert len(PdfReader(str(out2)).pages) == 2


def test_print_button_goes_through_the_system_print_dialog(
    qtbot, preview, monkeypatch, tmp_path
) -> None:
    out = tmp_path / "via-dialoog.pdf"
    seen = {}

    def fake_exec(self):
        seen["range"] = (self.minPage(), self.maxPage())
        self.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    qtbot.keyClick(preview, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert seen["range"] == (1, preview.page_count())
    assert len(PdfReader(str(out)).pages) == preview.page_count()


# ---------------------------------------------------------------------------- schedule dialog


def test_schedule_dialog_checks_the_period_next_to_the_field(qtbot, ctx) -> None:
    groups, staff = print_dialogs._groups_and_staff(ctx)
    dialog = ScheduleDialog(groups, staff, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.end_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day).addDays(-1))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert dialog.end_field.error_label.text() == "De einddatum ligt vóór de begindatum."
    assert not dialog.end_field.error_label.isHidden()
    dialog.end_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day).addDays(30))
    assert dialog.end_field.error_label.isHidden()
    assert not dialog.group_combo.isEnabled()
    qtbot.mouseClick(dialog.by_group, Qt.MouseButton.LeftButton)
    assert dialog.group_combo.isEnabled()
    assert not dialog.teacher_combo.isEnabled()
    dialog.group_combo.setCurrentIndex(2)
    qtbot.mouseClick(dialog.per_teacher, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    options = dialog.options()
    assert options.group_id == groups[2][0]
    assert options.per_teacher
    assert options.teacher_id is None
    assert options.end - options.start == timedelta(days=30)


def test_schedule_dialog_tab_order(qtbot, ctx) -> None:
    from PySide6.QtWidgets import QApplication

    groups, staff = print_dialogs._groups_and_staff(ctx)
    dialog = ScheduleDialog(groups, staff, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.start_edit.setFocus()
    qtbot.waitUntil(lambda: dialog.start_edit.hasFocus())

    def focused_is(widget) -> bool:
        w = QApplication.focusWidget()
        return w is widget or widget.isAncestorOf(w)

    current = dialog.start_edit
    for expected in (dialog.end_edit, dialog.whole_school):
        # Tab first walks the day, month and year of a date field (Qt's own behaviour).
        for _ in range(4):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if not focused_is(current):
                break
        assert focused_is(expected), QApplication.focusWidget()
        current = expected


def test_schedule_action_builds_and_previews(ctx, main_window, monkeypatch, previews) -> None:
    with ctx.db.session() as s:
        group = s.scalars(sa.select(Group).order_by(Group.id.desc())).first()
        gid, gname = group.id, group.name
    options = ScheduleOptions(
        TODAY - timedelta(weeks=2), TODAY + timedelta(weeks=6), gid, scope_label=f"groep {gname}"
    )
    monkeypatch.setattr(ScheduleDialog, "get_options", classmethod(lambda cls, parent, c: options))
    print_dialogs.schedule_action(ctx, main_window, main_window)
    assert len(previews) == 1
    pdf, title, suggested = previews[0]
    body = text_of(pdf)
    assert f"Groep {gname}" in body
    assert "Evaluatieplanning" in body
    assert gname in title
    assert suggested.startswith("Evaluatieplanning")


def test_long_schedule_can_be_cancelled(ctx, main_window, monkeypatch, previews) -> None:
    options = ScheduleOptions(
        TODAY - timedelta(weeks=30), TODAY + timedelta(weeks=30), per_teacher=True
    )
    monkeypatch.setattr(ScheduleDialog, "get_options", classmethod(lambda cls, parent, c: options))
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    print_dialogs.schedule_action(ctx, main_window, main_window)
    assert previews == []


def test_schedule_menu_action_is_wired(main_window, monkeypatch, previews) -> None:
    monkeypatch.setattr(ScheduleDialog, "get_options", classmethod(lambda cls, parent, c: None))
    main_window.run_action("ib_desktop.ui.print_dialogs:schedule_action")
    assert previews == []  # cancelled in the dialog: nothing built, nothing shown


# ---------------------------------------------------------------------------- OPPs of a group


def _group_with_opps(ctx) -> tuple[int, str, list[str]]:
    with ctx.db.session() as s:
        rows = s.execute(
            sa.select(Group.id, Group.name, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name)
            .join(Pupil, Pupil.group_id == Group.id)
            .join(Opp, Opp.pupil_id == Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF, Opp.end_date.is_(None))
        ).all()
    by: dict[tuple[int, str], list[str]] = {}
    for gid, gname, f, tv, last in rows:
        by.setdefault((gid, gname), []).append(" ".join(p for p in (f, tv, last) if p))
    (gid, gname), names = max(by.items(), key=lambda kv: len(kv[1]))
    return gid, gname, names


def test_group_opps_dialog_offers_groups_with_their_opp_counts(qtbot, ctx) -> None:
    groups, _ = print_dialogs._groups_and_staff(ctx)
    dialog = GroupOppsDialog(groups)
    qtbot.addWidget(dialog)
    gid, gname, names = _group_with_opps(ctx)
    index = next(
        i for i in range(dialog.group_combo.count()) if dialog.group_combo.itemData(i)[0] == gid
    )
    assert (
        dialog.group_combo.itemText(index)
        == f"Groep {gname} ({print_dialogs._opp_count(len(names))})"
    )
    dialog.group_combo.setCurrentIndex(index)
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    empty = next(
        (i for i in range(dialog.group_combo.count()) if dialog.group_combo.itemData(i)[2] == 0),
        None,
    )
    if empty is not None:
        dialog.group_combo.setCurrentIndex(empty)
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.group_combo.setCurrentIndex(index)
    qtbot.mouseClick(dialog.to_folder, Qt.MouseButton.LeftButton)
    choice = dialog.choice()
    assert choice == GroupOppsChoice(gid, gname, to_folder=True, include_sensitive=False)


def test_group_opps_into_one_pdf(ctx, main_window, monkeypatch, previews) -> None:
    gid, gname, names = _group_with_opps(ctx)
    monkeypatch.setattr(
        GroupOppsDialog, "get_choice", classmethod(lambda cls, p, c: GroupOppsChoice(gid, gname))
    )
    print_dialogs.group_opps_action(ctx, main_window, main_window)
    pdf, title, _ = previews[0]
    reader = PdfReader(io.BytesIO(pdf))
    assert sorted(o.title for o in reader.outline) == sorted(names)
    assert gname in title


def test_one_broken_opp_does_not_sink_the_group(
    ctx, main_window, monkeypatch, previews, no_dialogs
) -> None:
    """Issue 14: one bad document stopped the whole batch; now it is named and the rest printed."""
    from ib_desktop.reports import batch

    gid, gname, names = _group_with_opps(ctx)
    with ctx.db.session() as s:
        items = batch.group_items(s, gid, "opp")
    broken = items[0]
    real = batch.build_one

    def build_one(session, kind, record_id, **kwargs):
        if record_id == broken.record_id:
            raise AttributeError("'Paragraph' object has no attribute 'blPara'")
        return real(session, kind, record_id, **kwargs)

    monkeypatch.setattr(batch, "build_one", build_one)
    monkeypatch.setattr(
        GroupOppsDialog, "get_choice", classmethod(lambda cls, p, c: GroupOppsChoice(gid, gname))
    )
    print_dialogs.group_opps_action(ctx, main_window, main_window)
    assert broken.pupil_name in no_dialogs["warning"][-1]
    assert "blPara" not in no_dialogs["warning"][-1]
    if len(items) > 1:
        pdf, _title, _ = previews[0]
        titles = sorted(o.title for o in PdfReader(io.BytesIO(pdf)).outline)
        assert titles == sorted(n for n in names if n != broken.pupil_name)


def test_group_opps_into_a_folder(
    ctx, main_window, monkeypatch, save_as, no_dialogs, tmp_path
) -> None:
    gid, gname, names = _group_with_opps(ctx)
    folder = tmp_path / "map"
    folder.mkdir()
    save_as["folder"] = str(folder)
    monkeypatch.setattr(
        GroupOppsDialog,
        "get_choice",
        classmethod(lambda cls, p, c: GroupOppsChoice(gid, gname, to_folder=True)),
    )
    print_dialogs.group_opps_action(ctx, main_window, main_window)
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(names)
    assert f"{print_dialogs._opp_count(len(names))} opgeslagen" in no_dialogs["information"][-1]
    # a second run asks before it replaces the files
    before = {f: f.stat().st_mtime_ns for f in files}
    monkeypatch.setattr(
        pdf_preview.QMessageBox,
        "question",
        lambda *a, **k: print_dialogs.QMessageBox.StandardButton.No,
    )
    print_dialogs.group_opps_action(ctx, main_window, main_window)
    assert {f: f.stat().st_mtime_ns for f in folder.glob("*.pdf")} == before


def test_cancelled_group_batch_writes_nothing(
    ctx, main_window, monkeypatch, save_as, tmp_path
) -> None:
    gid, gname, _names = _group_with_opps(ctx)
    folder = tmp_path / "leeg"
    folder.mkdir()
    save_as["folder"] = str(folder)
    monkeypatch.setattr(
        GroupOppsDialog,
        "get_choice",
        classmethod(lambda cls, p, c: GroupOppsChoice(gid, gname, to_folder=True)),
    )
    calls = {"n": 0}

    def cancel_after_first(self) -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    monkeypatch.setattr(QProgressDialog, "wasCanceled", cancel_after_first)
    print_dialogs.group_opps_action(ctx, main_window, main_window)
    assert list(folder.iterdir()) == []


# ---------------------------------------------------------------------------- group overview


def test_group_overview_dialog_and_action(qtbot, ctx, main_window, monkeypatch, previews) -> None:
    groups, _ = print_dialogs._groups_and_staff(ctx)
    dialog = GroupOverviewDialog(groups)
    qtbot.addWidget(dialog)
    assert dialog.choice() == GroupOverviewChoice(None, False, "Alle groepen")
    dialog.group_combo.setCurrentIndex(1)
    assert dialog.names.isChecked()  # one group: names by default
    choice = dialog.choice()
    monkeypatch.setattr(GroupOverviewDialog, "get_choice", classmethod(lambda cls, p, c: choice))
    print_dialogs.group_overview_action(ctx, main_window, main_window)
    pdf, title, _ = previews[0]
    body = text_of(pdf)
    with ctx.db.session() as s:
        members = [
            p.full_name
            for p in s.scalars(
                sa.select(Pupil).where(
                    Pupil.group_id == choice.group_id, Pupil.status == PupilStatus.ACTIEF
                )
            )
        ]
    assert "Groepsoverzicht groep" in body
    assert members
    assert all(m in body for m in members)
