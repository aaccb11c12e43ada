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
    qtbot.waitUntil(lambda: widget.loaded, timeout=20000)  # the cards fill in from a worker
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
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
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
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    texts = [b.text() for b in page.zorgplicht_card.buttons]
    assert any(t.startswith("Bram Smit") for t in texts)
    entry = next(b for b in page.zorgplicht_card.buttons if b.text().startswith("Bram Smit"))
    qtbot.mouseClick(entry, Qt.MouseButton.LeftButton)
    assert page.nav_fake.calls[-1] == ("page", "agenda")


def test_more_link_jumps_to_the_overdue_agenda(main_window, qtbot) -> None:
    main_window.show_page("overzicht")
    page = main_window.page("overzicht")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    qtbot.mouseClick(page.overdue_card.more, Qt.MouseButton.LeftButton)
    assert main_window.current_page_key() == "agenda"
    agenda = main_window.page("agenda")
    assert isinstance(agenda, AgendaPage)
    assert agenda.tabs.currentIndex() == 0
    assert agenda.proxy.section == Section.TE_LAAT


def test_one_moment_is_singular(page, ctx, monkeypatch, qtbot) -> None:
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
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert "Deze week: 1 moment in de agenda" in page.week_button.text()
    assert "1 gesprek of overleg te laat" in page.week_button.text()
    monkeypatch.setattr(
        dashboard, "load_dashboard", lambda *a, **k: replace(real, this_week=3, overdue_meetings=0)
    )
    page.reload()
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert "Deze week: 3 momenten in de agenda" in page.week_button.text()


# ---------------------------------------------------------------------------- at start-up
def test_the_page_shows_at_once_and_the_cards_fill_in_from_a_worker(
    ctx, qtbot, monkeypatch
) -> None:
    """The home screen paints before the schedule is computed, off the GUI thread."""
    import threading

    import ib_desktop.ui.dashboard as dashboard

    threads: list[int] = []
    real = dashboard.load_dashboard

    def spy(session, school_id, *, today):
        threads.append(threading.get_ident())
        return real(session, school_id, today=today)

    monkeypatch.setattr(dashboard, "load_dashboard", spy)
    page = DashboardPage(ctx, FakeNav())
    qtbot.addWidget(page)
    page.show()
    assert not page.loaded
    assert page.subtitle.text() == "Bezig met berekenen…"
    assert [card.count.text() for card in page.cards()] == ["…"] * 4
    assert all(card.buttons == [] and not card.empty.isVisible() for card in page.cards())
    assert not page.week_button.isEnabled()
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert threads
    assert threading.get_ident() not in threads
    with ctx.db.session() as s:
        d = load_dashboard(s, ctx.school_id, today=TODAY)
    assert page.overdue_card.count.text() == str(len(d.overdue))
    assert page.missing_card.count.text() == str(len(d.missing))
    assert page.overdue_card.buttons
    assert page.week_button.isEnabled()
    assert "woensdag 18 november 2026" in page.subtitle.text()


def test_only_the_latest_reload_fills_the_cards(page, ctx, qtbot) -> None:
    """Two saves in a row: the answer to the first never overwrites the second."""
    from datetime import timedelta

    from ib_desktop.models import Registration

    page.reload()
    with ctx.db.session() as s:
        s.add(Registration(school_id=ctx.school_id, child_name="Noor Visser",
                           received_on=TODAY - timedelta(weeks=5)))  # fmt: skip
    page.reload()
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    page.wait_for_background()
    qtbot.wait(50)  # any late answer of the first reload would arrive now
    assert any(b.text().startswith("Noor Visser") for b in page.zorgplicht_card.buttons)


def test_a_failing_computation_is_said_on_the_page(ctx, qtbot, monkeypatch) -> None:
    import ib_desktop.ui.dashboard as dashboard

    def broken(*_a, **_k):
        raise RuntimeError("planning kapot")

    monkeypatch.setattr(dashboard, "load_dashboard", broken)
    page = DashboardPage(ctx, FakeNav())
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: "kon niet worden berekend" in page.subtitle.text(), timeout=20000)
    assert "planning kapot" in page.subtitle.text()
    assert not page.loaded
