"""The screens as a teacher's account sees them: their groups, no admin screens, no write buttons.

The services refuse what a teacher may not do (tests/services/test_teacher_scope.py); these
tests click through the real windows to see that the screens do not offer it either.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from ib_desktop.models import Pupil
from ib_desktop.services import accounts
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.main_window import PAGES, MainWindow
from tests.conftest import TODAY
from tests.services.test_teacher_scope import PASSWORD, one_group_teacher, own_pupils
from tests.ui.pupil_helpers import FakeNav

ADMIN_MENU = {
    "Leerlingen importeren…",
    "Back-up maken",
    "Back-up terugzetten…",
    "OPP-register opslaan…",
    "Nieuwe leerling…",
}
ADMIN_TABS = {
    "School",
    "Ondersteuningsstructuur",
    "Ontwikkelingsgebieden",
    "Groepen en medewerkers",
    "Vakanties",
    "Back-ups",
    "Gebruikers",
}


def context(db, login: str | None) -> AppContext:
    access = None
    if login is not None:
        with db.session() as s:
            access = accounts.sign_in(s, login, PASSWORD)
    return AppContext(db=db, school_id=db.school_id, access=access, today_fn=lambda: TODAY)


@pytest.fixture
def school(demo_db):
    staff_id, group_id = one_group_teacher(demo_db)
    with demo_db.session() as s:
        accounts.add_account(s, demo_db.school_id, "hoofd", "beheer", PASSWORD)
        accounts.add_account(s, demo_db.school_id, "ib1", "ib", PASSWORD)
        accounts.add_account(s, demo_db.school_id, "juf1", "leerkracht", PASSWORD,
                             staff=str(staff_id))  # fmt: skip
    demo_db.group_id = group_id  # type: ignore[attr-defined]
    yield demo_db
    accounts.bind_access(demo_db.sessionmaker, None)


def visible_menu_texts(window: MainWindow) -> set[str]:
    return {a.text() for a in window._data_actions if a.isVisible() and a.isEnabled()}


def visible_pages(window: MainWindow) -> set[str]:
    return {
        PAGES[row][0]
        for row in range(window.nav_list.count())
        if not window.nav_list.item(row).isHidden()
    }


def test_the_main_window_as_a_teacher_hides_the_admin_screens(school, qtbot, no_dialogs) -> None:
    window = MainWindow(context(school, "juf1"))
    qtbot.addWidget(window)
    window.show()
    assert "kengetallen" not in visible_pages(window)
    assert {"leerlingen", "agenda", "evaluaties", "instellingen"} <= visible_pages(window)
    assert not ADMIN_MENU & visible_menu_texts(window)
    # Ctrl+1..9 jumps: the figures' shortcut lands on the first page instead.
    index = [k for k, _t, _p in PAGES].index("kengetallen")
    qtbot.keyClick(window, Qt.Key.Key_1 + index, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() != "kengetallen"
    # Instellingen: only the writing aids a teacher uses.
    window.show_page("instellingen")
    tabs = set(window.page("instellingen").titles())
    assert not ADMIN_TABS & tabs
    assert "Tekstblokken" in tabs
    # The group overview: their own group only.
    window.show_page("groepen")
    page = window.page("groepen")
    assert [r.group.id for r in page._overview.rows] == [school.group_id]
    assert page.matrix_model.rowCount() == 1


def test_the_main_window_for_the_ib_shows_every_screen(school, qtbot, no_dialogs) -> None:
    window = MainWindow(context(school, "ib1"))
    qtbot.addWidget(window)
    window.show()
    assert visible_pages(window) == {k for k, _t, _p in PAGES}
    assert visible_menu_texts(window) >= ADMIN_MENU
    window.show_page("instellingen")
    assert ADMIN_TABS - {"Gebruikers"} <= set(window.page("instellingen").titles())


def test_a_teachers_pupil_file_shows_write_buttons_disabled_with_the_reason(
    school, qtbot, no_dialogs
) -> None:
    from ib_desktop.ui.pupil_file.shell import PupilFileWindow

    ctx = context(school, "juf1")
    with school.session() as s:
        pupil_id = s.scalar(
            sa.select(Pupil.id).where(Pupil.id.in_(own_pupils(school, school.group_id)))
        )
    w = PupilFileWindow(ctx, FakeNav(), pupil_id)
    qtbot.addWidget(w)
    w.show()
    assert w.file is not None
    assert w.save_button.isVisible()
    assert not w.save_button.isEnabled()
    assert "Als leerkracht" in w.save_button.toolTip()
    assert not w.level_action.isEnabled()
    assert "Als leerkracht" in w.level_action.toolTip()
    assert w.new_document_buttons
    for button in w.new_document_buttons.values():
        assert not button.isEnabled()
        assert "Als leerkracht" in button.toolTip()
    w.close()
    # The IB-er's file of the same pupil: everything can be written.
    w = PupilFileWindow(context(school, "ib1"), FakeNav(), pupil_id)
    qtbot.addWidget(w)
    w.show()
    assert w.save_button.isEnabled()
    assert w.level_action.isEnabled()
    assert all(b.isEnabled() for b in w.new_document_buttons.values())


def test_the_dashboard_as_a_teacher_counts_only_their_pupils(school, qtbot, no_dialogs) -> None:
    from ib_desktop.ui.dashboard import DashboardPage

    def shown(login: str) -> tuple[str, set[int | None]]:
        page = DashboardPage(context(school, login), FakeNav())
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        qtbot.waitUntil(lambda: page.loaded, timeout=20000)
        pupils = {i.moment.pupil_id for i in page.data.overdue} | {
            m.pupil_id for m in page.data.missing
        }
        pupils |= {d.pupil_id for d in page.deadlines}
        return page.overdue_card.count.text(), pupils

    own = own_pupils(school, school.group_id)
    count, pupils = shown("juf1")
    assert pupils <= own
    ib_count, ib_pupils = shown("ib1")
    assert ib_pupils - own
    assert int(count) < int(ib_count)
