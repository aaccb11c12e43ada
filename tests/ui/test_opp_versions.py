"""Version history of an OPP: the list, opening an old version read-only, the diff view."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from ib_desktop.models import OppStatus
from ib_desktop.services import opp as svc
from ib_desktop.ui.opp.diff_view import diff_html
from ib_desktop.ui.opp.versions import OppVersionsWindow, VersionTableModel
from tests.services.test_opp import fill_complete, sign_and_consent

TODAY = date(2026, 11, 18)


class FakeNav:
    def open_pupil(self, pupil_id: int) -> None:
        pass

    def open_document(
        self, kind: str, doc_id: int | None = None, *, pupil_id: int | None = None
    ) -> None:
        pass

    def show_page(self, key: str) -> None:
        pass

    def notify_changed(self) -> None:
        pass


@pytest.fixture
def two_versions(ctx) -> tuple[int, int, int]:
    """An OPP of demo pupil 1: version 1 fixed and evaluated, version 2 with a changed part 6."""
    with ctx.db.session() as s:
        data = svc.start_opp(s, 1, on=TODAY)
        data = svc.save_version(s, fill_complete(data))
        svc.mark_discussed(s, data.id, on=TODAY, participants="ouders", summary="Besproken.")
        sign_and_consent(s, data.id)
        fixed = svc.fix_version(s, data.id, on=TODAY)
        results = {g.id: (svc.Outcome.BEHAALD, "Gelukt.") for g in fixed.goals}
        new = svc.evaluate_version(s, fixed.id, on=date(2027, 5, 18), results=results)
        new.need_space = "Een eigen werkplek bij het raam."
        new.evaluation = "Alle doelen behaald."
        svc.save_version(s, new)
    return data.opp_id, fixed.id, new.id


@pytest.fixture
def versions_window(ctx, qtbot, two_versions, no_dialogs) -> OppVersionsWindow:
    window = OppVersionsWindow(ctx, FakeNav(), two_versions[0])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_list_shows_versions_with_status_and_dates(versions_window) -> None:
    model = versions_window.model
    assert model.rowCount() == 2
    rows = [
        [
            model.index(r, c).data()
            for c in (
                VersionTableModel.NUMBER,
                VersionTableModel.STATUS,
                VersionTableModel.FIXED,
                VersionTableModel.EVALUATED,
            )
        ]
        for r in range(2)
    ]
    assert rows == [["1", "Geëvalueerd", "18-11-2026", "18-05-2027"], ["2", "Concept", "", ""]]
    assert "Jake Sarneel" in versions_window.windowTitle()


def test_diff_view_shows_the_changed_part(versions_window) -> None:
    diff = versions_window.diff
    # By default the newest version is compared with the one before.
    assert diff.old_combo.currentText().startswith("1")
    assert diff.new_combo.currentText().startswith("2")
    assert 6 in diff.changed_parts()
    assert 5 not in diff.changed_parts()
    text = diff.browser.toPlainText()
    assert "6. Ondersteunings- en onderwijsbehoeften" in text
    assert "Een eigen werkplek bij het raam." in text
    assert "Rustige plek." in text
    assert "5. Bevorderende en belemmerende factoren" not in text
    html = diff.browser.toHtml()
    assert "line-through" in html
    assert "underline" in html
    # Showing all parts lists the unchanged ones too.
    diff.only_changed.setChecked(False)
    assert "5. Bevorderende en belemmerende factoren (ongewijzigd)" in diff.browser.toPlainText()


def test_compare_a_version_with_itself_shows_no_changes(versions_window, two_versions) -> None:
    _opp, v1, _v2 = two_versions
    versions_window.diff.compare(v1, v1)
    assert versions_window.diff.changed_parts() == []
    assert "inhoudelijk gelijk" in versions_window.diff.browser.toPlainText()


def test_compare_button_uses_the_selection(qtbot, versions_window, two_versions) -> None:
    _opp, v1, v2 = two_versions
    view = versions_window.view
    view.clearSelection()
    selection = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(versions_window.proxy.index(1, 0), flags)
    selection.select(versions_window.proxy.index(0, 0), flags)
    versions_window.diff.compare(v2, v2)
    qtbot.mouseClick(versions_window.compare_button, Qt.MouseButton.LeftButton)
    assert versions_window.diff.old_combo.currentData() == v1
    assert versions_window.diff.new_combo.currentData() == v2
    assert 6 in versions_window.diff.changed_parts()


def test_open_old_version_read_only(qtbot, versions_window, two_versions, no_dialogs) -> None:
    _opp, v1, _v2 = two_versions
    view = versions_window.view
    view.selectRow(0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    window = versions_window._open_windows[-1]
    qtbot.addWidget(window)
    assert window.data.id == v1
    assert window.data.status == OppStatus.GEEVALUEERD
    assert window.read_only
    assert window.banner.isVisible()
    assert "geëvalueerd" in window.banner.text()
    assert not window.evaluate_button.isVisible()
    assert window.page(6).fields["need_space"].toPlainText() == "Rustige plek."
    assert window.page(6).fields["need_space"].isReadOnly()


def test_single_version_explains_there_is_nothing_to_compare(ctx, qtbot, no_dialogs) -> None:
    with ctx.db.session() as s:
        data = svc.start_opp(s, 1, on=TODAY)
    window = OppVersionsWindow(ctx, FakeNav(), data.opp_id)
    qtbot.addWidget(window)
    assert "nog maar één versie" in window.diff.browser.toPlainText()


def test_diff_html_escapes_text() -> None:
    diffs = [
        svc.PartDiff(
            5, "factoren", "Bevorderende en belemmerende factoren",
            (svc.FieldDiff("Bevorderend", "<b>", "<i>", svc.word_diff("<b>", "<i>")),),
        )
    ]  # fmt: skip
    html = diff_html(diffs, "versie 1", "versie 2")
    assert "&lt;" in html
    assert "&gt;" in html
    assert "<i>" not in html
    assert "<b>" not in html.replace("<b>Bevorderend</b>", "")


def test_version_model_passes_the_model_tester(qtmodeltester, versions_window) -> None:
    qtmodeltester.check(versions_window.model)
