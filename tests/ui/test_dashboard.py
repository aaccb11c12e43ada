"""The home screen's cards: counts, entries that open what they name, links to the agenda."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QObject, Qt, Signal

from ib_desktop.services.agenda import Section, load_dashboard
from ib_desktop.ui.agenda import AgendaPage
from ib_desktop.ui.dashboard import MAX_ENTRIES, DashboardPage

TODAY = date(2026, 11, 18)


class FakeNav(QObject):
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
    widget = DashboardPage(ctx, nav)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.nav_fake = nav  # type: ignore[attr-defined]
    return widget


def test_cards_show_the_counts_of_the_service(page, ctx) -> None:
    with ctx.db.session() as s:
        d = load_dashboard(s, ctx.school_id, today=TODAY)
    assert page.overdue_card.count.text() == str(len(d.overdue))
    assert page.consent_card.count.text() == str(len(d.consent))
    assert page.missing_card.count.text() == str(len(d.missing))
    assert page.zorgplicht_card.count.text() == str(len(d.zorgplicht))
    assert len(page.overdue_card.buttons) == min(MAX_ENTRIES, len(d.overdue))
    first = d.overdue[0]
    assert first.pupil in page.overdue_card.buttons[0].text()
    assert "te laat" in page.overdue_card.buttons[0].text()


def test_overdue_entry_opens_its_document(page, qtbot) -> None:
    item = page.data.overdue[0]
    qtbot.mouseClick(page.overdue_card.buttons[0], Qt.MouseButton.LeftButton)
    assert page.nav_fake.calls[-1] == ("document", item.document_kind, item.moment.source_id)


def test_consent_entry_opens_the_opp(page, qtbot) -> None:
    gap = page.data.consent[0]
    page.consent_card.buttons[0].setFocus()
    qtbot.keyClick(page.consent_card.buttons[0], Qt.Key.Key_Space)
    assert page.nav_fake.calls[-1] == ("document", "opp", gap.opp_id)
    assert "versie" in page.consent_card.buttons[0].text()


def test_empty_cards_say_all_is_well(school_db, qtbot, no_dialogs) -> None:
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext

    ensure_application()
    ctx = AppContext(db=school_db, school_id=school_db.school_id, today_fn=lambda: TODAY)
    page = DashboardPage(ctx, FakeNav())
    qtbot.addWidget(page)
    page.show()
    for card in (page.overdue_card, page.consent_card, page.missing_card, page.zorgplicht_card):
        assert card.count.text() == "0"
        assert card.empty.isVisible()
        assert not card.more.isVisible()
        assert card.buttons == []


def test_zorgplicht_soon_and_missing_documents_appear(page, ctx, qtbot) -> None:
    from datetime import timedelta

    from ib_desktop.models import Registration

    with ctx.db.session() as s:
        s.add(
            Registration(
                school_id=ctx.school_id,
                child_name="Bram Smit",
                received_on=TODAY - timedelta(weeks=5),
            )
        )
    page.nav_fake.notify_changed()  # a save elsewhere: the page reloads
    texts = [b.text() for b in page.zorgplicht_card.buttons]
    assert any(t.startswith("Bram Smit") for t in texts)
    entry = next(b for b in page.zorgplicht_card.buttons if b.text().startswith("Bram Smit"))
    qtbot.mouseClick(entry, Qt.MouseButton.LeftButton)
    assert page.nav_fake.calls[-1] == ("page", "agenda")


def test_more_link_jumps_to_the_overdue_agenda(main_window, qtbot) -> None:
    main_window.show_page("overzicht")
    page = main_window.page("overzicht")
    assert isinstance(page, DashboardPage)
    qtbot.mouseClick(page.overdue_card.more, Qt.MouseButton.LeftButton)
    assert main_window.current_page_key() == "agenda"
    agenda = main_window.page("agenda")
    assert isinstance(agenda, AgendaPage)
    assert agenda.tabs.currentIndex() == 0
    assert agenda.proxy.section == Section.TE_LAAT


def test_one_moment_is_singular(page, ctx, monkeypatch) -> None:
    """Issue 15: "1 momenten" read wrong on the home screen."""
    from dataclasses import replace

    from ib_desktop.ui import dashboard

    with ctx.db.session() as s:
        real = load_dashboard(s, ctx.school_id, today=TODAY)
    monkeypatch.setattr(
        dashboard,
        "load_dashboard",
        lambda *a, **k: replace(real, this_week=1, overdue_meetings=1),
    )
    page.reload()
    assert "Deze week: 1 moment in de agenda" in page.week_button.text()
    assert "1 gesprek of overleg te laat" in page.week_button.text()
    monkeypatch.setattr(
        dashboard, "load_dashboard", lambda *a, **k: replace(real, this_week=3, overdue_meetings=0)
    )
    page.reload()
    assert "Deze week: 3 momenten in de agenda" in page.week_button.text()
