"""Two people editing the school's own records at once: the shared conflict dialog, a choice.

Each test makes a real conflict: the screen loads a record, "another laptop" (a save through
the service under another name) changes it, the user types and saves. The conflict dialog must
show both values; "Mijn versie opslaan" stores the user's, "Hun versie houden" keeps the other's
and puts it back in the form. Before issue 14's follow-up these saves silently overwrote.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ib_desktop.models import StaffRole
from ib_desktop.services import groups as gs
from ib_desktop.services import school_settings as ss
from ib_desktop.services import staff as st
from ib_desktop.services import structure as structure_service
from ib_desktop.ui.app import ensure_application
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.settings.areas import AreasTab
from ib_desktop.ui.settings.groups_staff import GroupsStaffTab
from ib_desktop.ui.settings.page import SettingsPage
from ib_desktop.ui.settings.school import SchoolTab
from ib_desktop.ui.settings.structure import StructureEditor
from ib_desktop.ui.widgets.conflict_dialog import ConflictDialog
from tests.conftest import TODAY
from tests.ui.pupil_helpers import FakeNav, ModalDriver

CLICK = Qt.MouseButton.LeftButton
OTHER = "Bea Bakker"
CHOICES = pytest.mark.parametrize("choice", ["mine", "theirs"], ids=["mijn-versie", "hun-versie"])


@pytest.fixture
def fresh_ctx(school_db, qapp) -> AppContext:
    """A context on a fresh database: a school with its staircase and areas."""
    ensure_application()
    return AppContext(
        db=school_db, school_id=school_db.school_id, actor="Test IB-er", today_fn=lambda: TODAY
    )


@pytest.fixture
def page(fresh_ctx, qtbot, no_dialogs) -> SettingsPage:
    widget = SettingsPage(fresh_ctx, FakeNav())
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


class Choose:
    """Works the conflict dialog when it comes: notes what it shows, presses a choice."""

    def __init__(self, qtbot, choice: str) -> None:
        self.title = ""
        self.fields: dict[str, tuple[str, str]] = {}
        self._qtbot = qtbot
        self._choice = choice
        self._driver = ModalDriver(ConflictDialog, self._act)

    def _act(self, dialog: ConflictDialog) -> None:
        self.title = dialog.title_label.text()
        t = dialog.table
        self.fields = {
            t.item(r, ConflictDialog.COL_FIELD).text(): (
                t.item(r, ConflictDialog.COL_MINE).text(),
                t.item(r, ConflictDialog.COL_THEIRS).text(),
            )
            for r in range(t.rowCount())
        }
        button = {"mine": dialog.mine_button, "theirs": dialog.theirs_button,
                  "edit": dialog.edit_button}[self._choice]  # fmt: skip
        self._qtbot.mouseClick(button, CLICK)

    def check(self) -> None:
        self._driver.check()
        assert self._driver.ran, "the conflict dialog was not shown"


# ---------------------------------------------------------------------------- staff and groups


@pytest.fixture
def tab(page) -> GroupsStaffTab:
    widget = page.tab("Groepen en medewerkers")
    assert isinstance(widget, GroupsStaffTab)
    return widget


def _staff_id(ctx, name: str) -> int:
    with ctx.db.session() as s:
        row = st.save_staff(s, ctx.school_id, st.StaffData(name, StaffRole.LEERKRACHT))
    return row.id


@CHOICES
def test_staff_conflict_shows_the_dialog_and_the_choice_is_stored(
    fresh_ctx, tab, qtbot, no_dialogs, choice: str
) -> None:
    staff_id = _staff_id(fresh_ctx, "Joke de Vries")
    tab.reload()
    tab.staff_table.selectRow(tab.staff_model.row_of(staff_id))
    assert tab.staff_name_edit.text() == "Joke de Vries"
    # Meanwhile Bea corrects the name on her laptop.
    with fresh_ctx.db.session() as s:
        row = st.staff_row(s, staff_id)
        st.save_staff(
            s, fresh_ctx.school_id,
            st.StaffData("Joke van Vries", row.role, row.active, version=row.version),
            staff_id=staff_id, actor=OTHER,
        )  # fmt: skip
    type_into(qtbot, tab.staff_name_edit, "Joke de Vries-Bakker")
    tab.role_combo.setCurrentIndex(tab.role_combo.findData(StaffRole.IB.value))
    chooser = Choose(qtbot, choice)
    qtbot.mouseClick(tab.save_staff_button, CLICK)
    chooser.check()

    assert chooser.title == f"{OTHER} heeft dit intussen gewijzigd"
    assert chooser.fields["naam"] == ("Joke de Vries-Bakker", "Joke van Vries")
    assert chooser.fields["functie"] == ("intern begeleider", "leerkracht")
    assert no_dialogs["warning"] == []
    with fresh_ctx.db.session() as s:
        stored = st.staff_row(s, staff_id)
    if choice == "mine":
        assert (stored.name, stored.role) == ("Joke de Vries-Bakker", StaffRole.IB)
    else:
        assert (stored.name, stored.role) == ("Joke van Vries", StaffRole.LEERKRACHT)
        assert tab.staff_name_edit.text() == "Joke van Vries"  # the form shows theirs
        # ... and saving that form again is no conflict: it holds the stored version.
        tab.active_check.setChecked(False)
        qtbot.mouseClick(tab.save_staff_button, CLICK)
        with fresh_ctx.db.session() as s:
            assert st.staff_row(s, staff_id).active is False


@CHOICES
def test_group_conflict_shows_the_dialog_and_the_choice_is_stored(
    fresh_ctx, tab, qtbot, no_dialogs, choice: str
) -> None:
    anna = _staff_id(fresh_ctx, "Anna Jansen")
    bram = _staff_id(fresh_ctx, "Bram de Wit")
    year = tab.year_id()
    with fresh_ctx.db.session() as s:
        group = gs.save_group(s, fresh_ctx.school_id, year, gs.GroupData("5A", "5", [anna]))
    tab.reload()
    tab.groups_table.selectRow(tab.groups_model.row_of(group.id))
    assert tab.group_name_edit.text() == "5A"
    # Meanwhile Bea makes Bram the teacher of 5A on her laptop (only the teachers change).
    with fresh_ctx.db.session() as s:
        gs.save_group(
            s, fresh_ctx.school_id, year, gs.GroupData("5A", "5", [bram], version=group.version),
            group_id=group.id, actor=OTHER,
        )  # fmt: skip
    type_into(qtbot, tab.group_name_edit, "5B")
    chooser = Choose(qtbot, choice)
    qtbot.mouseClick(tab.save_group_button, CLICK)
    chooser.check()

    assert chooser.title == f"{OTHER} heeft dit intussen gewijzigd"
    assert chooser.fields["naam"] == ("5B", "5A")
    assert chooser.fields["leerkrachten"] == ("Anna Jansen", "Bram de Wit")
    with fresh_ctx.db.session() as s:
        stored = next(r for r in gs.list_groups(s, fresh_ctx.school_id, year) if r.id == group.id)
    if choice == "mine":
        assert (stored.name, stored.teacher_ids) == ("5B", (anna,))
    else:
        assert (stored.name, stored.teacher_ids) == ("5A", (bram,))
        assert tab.group_name_edit.text() == "5A"
        assert tab.checked_teachers() == [bram]


def test_keep_editing_saves_nothing_and_keeps_the_typing(
    fresh_ctx, tab, qtbot, no_dialogs
) -> None:
    staff_id = _staff_id(fresh_ctx, "Joke de Vries")
    tab.reload()
    tab.staff_table.selectRow(tab.staff_model.row_of(staff_id))
    with fresh_ctx.db.session() as s:
        row = st.staff_row(s, staff_id)
        st.save_staff(
            s, fresh_ctx.school_id,
            st.StaffData(row.name, row.role, False, version=row.version),
            staff_id=staff_id, actor=OTHER,
        )  # fmt: skip
    type_into(qtbot, tab.staff_name_edit, "Joke de Boer")
    chooser = Choose(qtbot, "edit")
    qtbot.mouseClick(tab.save_staff_button, CLICK)
    chooser.check()
    assert chooser.fields == {"actief": ("ja", "nee"), "naam": ("Joke de Boer", "Joke de Vries")}
    assert tab.staff_name_edit.text() == "Joke de Boer"
    with fresh_ctx.db.session() as s:
        assert st.staff_row(s, staff_id).name == "Joke de Vries"


# ---------------------------------------------------------------------------- school settings


@CHOICES
def test_school_data_conflict_shows_the_dialog_and_the_choice_is_stored(
    fresh_ctx, page, qtbot, no_dialogs, choice: str
) -> None:
    school = page.tab("School")
    assert isinstance(school, SchoolTab)
    with fresh_ctx.db.session() as s:
        theirs = ss.load_school_settings(s, fresh_ctx.school_id)
        theirs.address = "Kerkstraat 1, Utrecht"
        ss.save_school_settings(s, fresh_ctx.school_id, theirs, actor=OTHER)
    type_into(qtbot, school.address_edit, "Dorpsplein 7, Utrecht")
    chooser = Choose(qtbot, choice)
    assert school.save() is (choice == "mine")
    chooser.check()
    assert chooser.fields["adres"] == ("Dorpsplein 7, Utrecht", "Kerkstraat 1, Utrecht")
    expected = "Dorpsplein 7, Utrecht" if choice == "mine" else "Kerkstraat 1, Utrecht"
    with fresh_ctx.db.session() as s:
        assert ss.load_school_settings(s, fresh_ctx.school_id).address == expected
    assert school.address_edit.text() == expected
    assert not school.has_unsaved_changes()


@CHOICES
def test_area_conflict_shows_the_dialog_and_the_choice_is_stored(
    fresh_ctx, page, qtbot, no_dialogs, choice: str
) -> None:
    areas = page.tab("Ontwikkelingsgebieden")
    assert isinstance(areas, AreasTab)
    with fresh_ctx.db.session() as s:
        theirs = ss.load_areas(s, fresh_ctx.school_id)
        first = theirs[0].name
        theirs[0].name = "Rekenen en wiskunde"
        ss.save_areas(s, fresh_ctx.school_id, theirs, actor=OTHER)
    areas.select_row(0)
    type_into(qtbot, areas.name_edit, "Rekenvaardigheid")
    chooser = Choose(qtbot, choice)
    assert areas.save() is (choice == "mine")
    chooser.check()
    assert chooser.title == f"{OTHER} heeft dit intussen gewijzigd"
    assert chooser.fields["naam"] == ("Rekenvaardigheid", "Rekenen en wiskunde")
    expected = "Rekenvaardigheid" if choice == "mine" else "Rekenen en wiskunde"
    with fresh_ctx.db.session() as s:
        names = [a.name for a in ss.load_areas(s, fresh_ctx.school_id)]
    assert names[0] == expected
    assert first not in names


@CHOICES
def test_staircase_conflict_shows_the_dialog_and_the_choice_is_stored(
    fresh_ctx, page, qtbot, no_dialogs, choice: str
) -> None:
    editor = page.tab("Ondersteuningsstructuur")
    assert isinstance(editor, StructureEditor)
    with fresh_ctx.db.session() as s:
        theirs = structure_service.load_structure(s, fresh_ctx.school_id)
        theirs.levels[0].name = "Basis in de klas"
        structure_service.save_structure(s, fresh_ctx.school_id, theirs, actor=OTHER)
    editor.select_row(1)
    type_into(qtbot, editor.level_name, "Extra hulp in de groep")
    chooser = Choose(qtbot, choice)
    assert editor.save() is (choice == "mine")
    chooser.check()
    assert chooser.title == f"{OTHER} heeft dit intussen gewijzigd"
    mine_1, theirs_1 = chooser.fields["niveau 1"]
    assert theirs_1.startswith("Basis in de klas")
    assert not mine_1.startswith("Basis in de klas")
    mine_2, theirs_2 = chooser.fields["niveau 2"]
    assert mine_2.startswith("Extra hulp in de groep")
    with fresh_ctx.db.session() as s:
        stored = structure_service.load_structure(s, fresh_ctx.school_id)
    names = [lvl.name for lvl in stored.levels]
    if choice == "mine":  # the whole staircase as this user had it: level 1 back to its name
        assert names[1] == "Extra hulp in de groep"
        assert names[0] != "Basis in de klas"
    else:
        assert names[0] == "Basis in de klas"
        assert names[1] != "Extra hulp in de groep"
        assert editor.level_name.text() == names[1]
    assert not editor.has_unsaved_changes()
