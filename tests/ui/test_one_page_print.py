"""The pupil file's print menu: "Eén pagina voor overleg" and "OPP-samenvatting voor ouders"."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox, QToolBar

from ib_desktop.models import Opp, Pupil, PupilStatus
from ib_desktop.ui.pupil_file.shell import PupilFileWindow
from tests.ui.pupil_helpers import FakeNav, active_pupil, answer_boxes


@pytest.fixture(autouse=True)
def _boxes(monkeypatch) -> None:
    answer_boxes(monkeypatch, [], QMessageBox.StandardButton.Discard)


@pytest.fixture
def previews(monkeypatch) -> list[tuple[bytes, str, str]]:
    """What the preview dialog would show (the dialog itself is tested elsewhere)."""
    from ib_desktop.ui.widgets import pdf_preview

    shown: list[tuple[bytes, str, str]] = []
    monkeypatch.setattr(
        pdf_preview.PdfPreviewDialog,
        "preview",
        classmethod(lambda cls, parent, pdf, title, name: shown.append((pdf, title, name))),
    )
    return shown


def _window(ctx, qtbot, pupil_id: int) -> PupilFileWindow:
    w = PupilFileWindow(ctx, FakeNav(), pupil_id)
    qtbot.addWidget(w)
    w.show()
    return w


def _menu_action(window: PupilFileWindow, text: str):
    """The entry of the toolbar's print button menu, as the user sees it."""
    toolbar = window.findChild(QToolBar, "pupil-toolbar")
    button = toolbar.widgetForAction(window.print_action)
    menu = button.menu() or window.print_action.menu()
    assert menu is not None, "the print button has a menu"
    assert all(a.menu() is None for a in menu.actions()), "no entry opens the menu again"
    return next(a for a in menu.actions() if a.text() == text)


def _pages(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(p.extract_text() or "" for p in reader.pages)


def test_one_page_and_summary_from_the_print_menu(ctx, qtbot, no_dialogs, previews) -> None:
    with ctx.db.session() as s:
        pupil = s.scalars(
            sa.select(Pupil)
            .join(Opp, Opp.pupil_id == Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF, Opp.end_date.is_(None))
            .order_by(Pupil.id)
        ).first()
        pid, name = pupil.id, pupil.full_name
    w = _window(ctx, qtbot, pid)
    _menu_action(w, "Eén pagina voor overleg").trigger()
    _menu_action(w, "OPP-samenvatting voor ouders").trigger()
    assert len(previews) == 2
    (profile, p_title, p_name), (summary, s_title, s_name) = previews
    assert _pages(profile)[0] == 1
    assert "Eén pagina voor overleg" in _pages(profile)[1]
    assert name in p_title
    assert p_name.startswith("overleg-")
    assert p_name.endswith(".pdf")
    n, text = _pages(summary)
    assert n == 1
    assert "Ik stem in met het handelingsdeel" in text
    assert "OPP-samenvatting" in s_title
    assert s_name.startswith("opp-ouders-")
    assert not no_dialogs["information"]


def test_summary_without_opp_says_so_and_shows_no_preview(ctx, qtbot, no_dialogs, previews) -> None:
    with ctx.db.session() as s:
        pid = active_pupil(s).id  # a pupil without an OPP
    w = _window(ctx, qtbot, pid)
    _menu_action(w, "OPP-samenvatting voor ouders").trigger()
    assert previews == []
    assert any("heeft geen OPP" in text for text in no_dialogs["information"])
    _menu_action(w, "Eén pagina voor overleg").trigger()
    assert len(previews) == 1
