"""Spell checking in the text fields, driven as a user: underline, right-click, correct, add."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu

from ib_desktop.models import GrowthDocument, Pupil, PupilStatus
from ib_desktop.spelling import SpellChecker
from ib_desktop.ui.plans import growth_editor
from ib_desktop.ui.widgets.rich_text import RichTextEdit
from ib_desktop.ui.widgets.spelling import SETTINGS_ENABLED, Spelling, shared_spelling

WAVY = QTextCharFormat.UnderlineStyle.SpellCheckUnderline


def underlined(edit: RichTextEdit) -> list[str]:
    """The underlined words of the field, read from the blocks' layouts as Qt draws them."""
    out = []
    block = edit.document().firstBlock()
    while block.isValid():
        text = block.text()
        for r in block.layout().formats():
            if r.format.underlineStyle() == WAVY:
                # Qt positions are UTF-16 units: go through a cursor to get the characters.
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + r.start)
                cursor.setPosition(block.position() + r.start + r.length,
                                   QTextCursor.MoveMode.KeepAnchor)
                out.append(cursor.selectedText())
        assert text == block.text()
        block = block.next()
    return out


def menu_at_word(edit: RichTextEdit, word: str) -> QMenu:
    """The context menu as a right click in the middle of ``word`` would build it."""
    at = edit.toPlainText().index(word) + len(word) // 2
    cursor = QTextCursor(edit.document())
    cursor.setPosition(at)
    menu = edit.build_context_menu(edit.cursorRect(cursor).center())
    return menu


def action(menu: QMenu, text: str):
    found = [a for a in menu.actions() if a.text() == text]
    assert found, f"{text!r} not in {[a.text() for a in menu.actions()]}"
    return found[0]


@pytest.fixture
def spelling(tmp_path) -> Spelling:
    s = Spelling(SpellChecker(tmp_path / "spelling"))
    assert s.checker.load()
    return s


@pytest.fixture
def field(qtbot, spelling) -> RichTextEdit:
    edit = RichTextEdit(spelling=spelling)
    qtbot.addWidget(edit)
    edit.resize(500, 200)
    edit.show()
    qtbot.waitExposed(edit)
    return edit


# ------------------------------------------------------------------ in a real editor
@pytest.fixture
def editor(ctx, qtbot, no_dialogs):
    class Nav:
        def notify_changed(self) -> None:
            pass

    with ctx.db.session() as s:
        pupil_id = s.scalars(
            sa.select(Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF, Pupil.group_id.is_not(None),
                   Pupil.id.not_in(sa.select(GrowthDocument.pupil_id)))
            .order_by(Pupil.id)
        ).first()
    window = growth_editor.open_editor(ctx, Nav(), pupil_id=pupil_id)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_typed_misspelling_is_underlined_and_corrected_from_the_menu(editor, qtbot) -> None:
    edit = editor.pages[0].cells["Rekenen"].goal_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "Hij kan goed rekennen en lezen")
    # The dictionary arrives from a background thread the first time; then the field is redone.
    qtbot.waitUntil(lambda: underlined(edit) == ["rekennen"], timeout=15000)

    menu = menu_at_word(edit, "rekennen")
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "rekenen"
    assert "Toevoegen aan woordenboek" in texts
    assert "Negeren" in texts
    action(menu, "rekenen").trigger()

    assert edit.toPlainText() == "Hij kan goed rekenen en lezen"
    assert edit.markdown() == "Hij kan goed rekenen en lezen"
    assert underlined(edit) == []
    # One undo step brings the old word back.
    edit.undo()
    assert edit.toPlainText() == "Hij kan goed rekennen en lezen"


def test_editor_fields_share_one_checker(editor) -> None:
    cells = editor.pages[0].cells
    assert cells["Rekenen"].goal_edit.spelling is shared_spelling()
    assert cells["Taal"].goal_edit.spelling is shared_spelling()


# ------------------------------------------------------------------ one field
def test_correct_dutch_and_domain_words_are_not_underlined(field) -> None:
    field.setPlainText(
        "Rekenstrategieën, leerkrachtjes, zelfstandigheid en begrijpend lezen.\n"
        "Het groeidocument, OPP, SWV, TLV en AVI E5 staan in het leerlingdossier; "
        "de IB-er en de onderwijsassistent bespreken het uitstroomperspectief en het "
        "handelingsdeel met het samenwerkingsverband, met een zienswijze. 😀\n"
        "Zie https://www.opentaal.org/woordenlijst of mail ib@basisschool-wiel.nl."
    )
    assert underlined(field) == []


def test_underline_lands_on_the_word_after_emoji(field) -> None:
    field.setPlainText("😀👍🏽 Hij kan rekennen, 🎉 leesen")
    assert underlined(field) == ["rekennen", "leesen"]


def test_added_word_is_accepted_everywhere_and_next_time(qtbot, field, spelling, tmp_path) -> None:
    other = RichTextEdit(spelling=spelling)
    qtbot.addWidget(other)
    field.setPlainText("De Kwiebelstap gaat goed")
    other.setPlainText("Nog een Kwiebelstap")
    assert underlined(field) == ["Kwiebelstap"]
    assert underlined(other) == ["Kwiebelstap"]

    action(menu_at_word(field, "Kwiebelstap"), "Toevoegen aan woordenboek").trigger()

    assert underlined(field) == []
    assert underlined(other) == []
    assert not field.document().isModified()  # the text itself did not change
    later = RichTextEdit(spelling=Spelling(SpellChecker(tmp_path / "spelling")))
    qtbot.addWidget(later)
    later.setPlainText("De Kwiebelstap gaat goed")
    assert underlined(later) == []


def test_ignored_word_is_not_underlined(field) -> None:
    field.setPlainText("Hij kan leesen en rekennen")
    action(menu_at_word(field, "leesen"), "Negeren").trigger()
    assert underlined(field) == ["rekennen"]


def test_correct_word_gets_no_spelling_choices(field) -> None:
    field.setPlainText("Hij kan lezen en rekennen")
    texts = [a.text() for a in menu_at_word(field, "lezen").actions()]
    assert "Toevoegen aan woordenboek" not in texts
    assert "rekenen" not in texts
    assert "Spellingcontrole" in texts


def test_spell_check_can_be_turned_off_and_stays_off(qtbot, field, tmp_path) -> None:
    field.setPlainText("Hij kan leesen")
    switch = action(menu_at_word(field, "leesen"), "Spellingcontrole")
    assert switch.isCheckable()
    assert switch.isChecked()
    switch.trigger()
    assert underlined(field) == []
    assert QSettings().value(SETTINGS_ENABLED) in (False, "false")
    # The next session starts with it off; the menu turns it on again.
    later = RichTextEdit(spelling=Spelling(SpellChecker(tmp_path / "spelling")))
    qtbot.addWidget(later)
    later.setPlainText("Hij kan leesen")
    assert underlined(later) == []
    switch = action(later.build_context_menu(later.cursorRect().center()), "Spellingcontrole")
    assert not switch.isChecked()
    switch.trigger()
    assert underlined(later) == ["leesen"]


def test_read_only_field_offers_no_corrections(field) -> None:
    field.setPlainText("Hij kan leesen")
    field.setReadOnly(True)
    texts = [a.text() for a in menu_at_word(field, "leesen").actions()]
    assert "Toevoegen aan woordenboek" not in texts


def test_a_megabyte_of_text_costs_one_lookup_per_distinct_word(field, spelling) -> None:
    paragraph = (
        "De leerling oefent elke dag met rekenstrategieën en begrijpend lezen; "
        "de leerkrachtjes helpen bij zelfstandigheid. 😀\n"
    )
    text = paragraph * (1_000_000 // len(paragraph)) + "Tot slot: rekennen."
    before = spelling.checker.lookups
    field.setPlainText(text)
    last = field.document().lastBlock()
    assert [
        r.format.underlineStyle() for r in last.layout().formats()
    ] == [WAVY]
    distinct = len(set((paragraph + "Tot slot: rekennen.").replace(";", " ").split()))
    assert spelling.checker.lookups - before <= distinct


def test_the_dictionary_is_not_read_at_start_up(main_window, qtbot) -> None:
    main_window.show()
    qtbot.waitExposed(main_window)
    qtbot.wait(200)
    assert not shared_spelling().checker.load_requested


def test_the_dictionary_is_asked_for_when_a_field_has_text(qtbot) -> None:
    edit = RichTextEdit()
    qtbot.addWidget(edit)
    assert not edit.spelling.checker.load_requested
    edit.setPlainText("Hij kan leesen")
    assert edit.spelling.checker.load_requested
    qtbot.waitUntil(lambda: underlined(edit) == ["leesen"], timeout=15000)
