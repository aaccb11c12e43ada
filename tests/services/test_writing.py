"""The goal bank, text blocks and reuse services (issue 21), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ib_desktop.models import Group, GrowthDocument, Outcome, Pupil, Staff, StaffRole
from ib_desktop.resources import load_json
from ib_desktop.services import plans
from ib_desktop.services import writing as w
from ib_desktop.services.school import create_school, development_areas, ensure_school_year
from ib_desktop.storage import open_database
from ib_desktop.validation import ConcurrentEditError, ValidationErrors
from tests.conftest import TODAY


@pytest.fixture(params=["sqlite", "postgresql"])
def wdb(request, tmp_path):
    """A school with group 5/6 (teacher Chloë van Dijk) and pupil Zoë Çelik, on both engines."""
    url = tmp_path / "w.sqlite" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    db = open_database(url)
    with db.session() as s:
        school = create_school(s, "De Test", brin="99ZZ", swv_name="SWV", today=TODAY)
        year = ensure_school_year(s, TODAY)
        teacher = Staff(
            school_id=school.id, first_name="Chloë", tussenvoegsel="van", last_name="Dijk",
            role=StaffRole.LEERKRACHT,
        )  # fmt: skip
        group = Group(
            school_id=school.id, school_year_id=year.id, name="5/6", grade_low=5, grade_high=6,
            teachers=[teacher],
        )  # fmt: skip
        pupil = Pupil(
            school_id=school.id, first_name="Zoë", tussenvoegsel="", last_name="Çelik",
            birth_date=date(2016, 5, 1), group=group,
        )  # fmt: skip
        s.add_all([teacher, group, pupil])
        s.flush()
        db.school_id, db.pupil_id = school.id, pupil.id
    yield db
    db.dispose()


def test_starter_set_covers_the_school_areas_and_every_year_group() -> None:
    goals = load_json("goal_bank.json")["goals"]
    areas = {g["area"] for g in goals}
    assert len(areas) >= 8
    assert set(load_json("development_areas.json")) <= areas
    assert "Leren leren" in areas  # OPP part 9 needs it
    for grade in range(1, 9):
        assert len({g["area"] for g in goals if g["groups"][0] <= grade <= g["groups"][1]}) >= 5
    assert all("{einddatum}" in g["goal"] for g in goals)


def test_bank_is_seeded_once_and_the_school_edits_it(wdb) -> None:
    with wdb.session() as s:
        bank = w.load_goal_bank(s, wdb.school_id)
    assert len(bank) == len(load_json("goal_bank.json")["goals"])
    loaded = [g.id for g in bank if g.id is not None]
    edited = [replace(bank[0], text="Eigen doel met ë")] + bank[2:]
    edited.append(w.BankGoal("Rekenen", "Nieuw: klokkijken tot op 5 minuten", 4, 5))
    with wdb.session() as s:
        saved = w.save_goal_bank(s, wdb.school_id, edited, loaded_ids=loaded, actor="IB")
    assert len(saved) == len(bank)  # one removed, one added
    assert saved[0].text == "Eigen doel met ë"
    assert saved[-1].text.startswith("Nieuw: klokkijken")
    assert bank[1].text not in [g.text for g in saved]
    # Emptying the list does not bring the starter set back.
    with wdb.session() as s:
        w.save_goal_bank(s, wdb.school_id, [], loaded_ids=[g.id for g in saved])
    with wdb.session() as s:
        assert w.load_goal_bank(s, wdb.school_id) == []


def test_two_people_editing_the_same_goal_is_a_conflict(wdb) -> None:
    with wdb.session() as s:
        bank = w.load_goal_bank(s, wdb.school_id)
    mine = [replace(bank[0], text="Mijn versie")]
    theirs = [replace(bank[0], text="Hun versie")]
    with wdb.session() as s:
        w.save_goal_bank(s, wdb.school_id, theirs + bank[1:])
    with pytest.raises(ConcurrentEditError), wdb.session() as s:
        w.save_goal_bank(s, wdb.school_id, mine + bank[1:])
    with wdb.session() as s:
        assert w.load_goal_bank(s, wdb.school_id)[0].text == "Hun versie"


def test_invalid_goals_are_refused_with_dutch_messages(wdb) -> None:
    with pytest.raises(ValidationErrors) as exc, wdb.session() as s:
        w.save_goal_bank(s, wdb.school_id, [w.BankGoal("Rekenen", "  ", 6, 3)])
    assert exc.value.errors["0.text"] == "Vul de tekst van het doel in."
    assert "0.groups" in exc.value.errors


def test_search_ignores_accents_and_case_and_filters_by_area_and_grade() -> None:
    goals = [
        w.BankGoal("Lezen (technisch)", "Leest vloeiënd op AVI E4", 3, 5),
        w.BankGoal("Lezen (technisch)", "Leest VLOEIEND op AVI M6", 6, 8),
        w.BankGoal("Rekenen", "Tafels vloeiend", 4, 6),
    ]
    assert [g.text for g in w.search_goals(goals, "vloeiend")] == [g.text for g in goals]
    assert len(w.search_goals(goals, "VLOEIËND avi")) == 2
    assert [g.grade_low for g in w.search_goals(goals, "", grades=(6, 6))] == [6, 4]
    lezen = w.search_goals(goals, "avi", area="lezen (technisch)", grades=(5, 6))
    assert [g.grade_low for g in lezen] == [3, 6]
    assert w.search_goals(goals, "breuken") == []


def test_text_block_placeholders_are_filled_for_an_accented_pupil(wdb) -> None:
    with wdb.session() as s:
        blocks = w.load_text_blocks(s, wdb.school_id)
        values = w.pupil_values(s, wdb.pupil_id, today=TODAY)
        grades = w.pupil_grades(s, wdb.pupil_id)
    assert grades == (5, 6)
    assert {"Onderwijsbehoeften", "Aanpassingen van het programma"} <= {
        b.title for b in blocks
    }
    filled = w.fill_placeholders(
        "{roepnaam} {achternaam} in groep {groep} bij {leerkracht}, {schooljaar}, {datum}. "
        "{Roepnaam} en {onbekend} en {einddatum}",
        values,
    )
    assert filled.text.startswith("Zoë Çelik in groep 5/6 bij Chloë van Dijk, ")
    assert "{onbekend}" in filled.text
    assert "{einddatum}" in filled.text
    assert filled.unknown == ["{onbekend}", "{einddatum}"]
    assert "Zoë en" in filled.text


def test_text_blocks_save_rename_and_refuse_duplicate_titles(wdb) -> None:
    with wdb.session() as s:
        blocks = w.load_text_blocks(s, wdb.school_id)
    ids = [b.id for b in blocks]
    renamed = [replace(blocks[0], title=blocks[1].title)] + blocks[1:]
    with pytest.raises(ValidationErrors), wdb.session() as s:
        w.save_text_blocks(s, wdb.school_id, renamed, loaded_ids=ids)
    # A new block may take the title of one removed in the same save.
    new = [w.TextBlockData(blocks[0].title, "Nieuw 😀 {roepnaam}")] + blocks[1:]
    with wdb.session() as s:
        saved = w.save_text_blocks(s, wdb.school_id, new, loaded_ids=ids)
    assert saved[0].body == "Nieuw 😀 {roepnaam}"
    assert saved[0].id not in ids


def _growth_with_goals(db) -> plans.GrowthData:
    with db.session() as s:
        data = plans.new_growth_document(s, db.pupil_id, today=TODAY)
        data.periods[0].goal_for("Rekenen").goal = "Tafels 1 t/m 5"
        data.periods[0].goal_for("Spelling").goal = "Woorden met -ng"
        return plans.save_growth_document(s, data, today=TODAY)


def test_opp_goals_start_from_the_running_growth_document(wdb) -> None:
    doc = _growth_with_goals(wdb)
    with wdb.session() as s:
        found = w.running_growth_goals(s, wdb.pupil_id)
    assert found.period_number == 1
    assert [(g.area, g.goal) for g in found.goals] == [
        ("Rekenen", "Tafels 1 t/m 5"),
        ("Spelling", "Woorden met -ng"),
    ]
    assert all(g.evaluation_date == doc.periods[0].end_date for g in found.goals)


def test_open_goals_carry_into_the_next_period_only_when_chosen(wdb) -> None:
    doc = _growth_with_goals(wdb)
    with wdb.session() as s:
        closed = plans.close_period(
            s, doc.id, 1, version=doc.version, today=TODAY,
            evaluations={"Rekenen": ("Nog niet", Outcome.NIET_BEHAALD),
                         "Spelling": ("Gelukt", Outcome.BEHAALD)},
        )  # fmt: skip
    with wdb.session() as s:
        empty = plans.add_period(
            s, doc.id, version=closed.version, today=TODAY, carry_open=False
        )
    assert all(not g.goal for g in empty.periods[1].goals)


def test_copy_of_an_intervention_is_a_new_concept_with_the_same_plan(wdb) -> None:
    with wdb.session() as s:
        data = plans.new_intervention(s, wdb.pupil_id, today=TODAY - timedelta(weeks=8))
        data.end_date = data.start_date + timedelta(weeks=5)
        data.goal, data.execution = "Doel Zoë", "- flitsen"
        saved = plans.save_intervention(s, data, today=TODAY)
        copy = w.copy_intervention(s, saved.id, today=TODAY)
    assert copy.id is None
    assert (copy.goal, copy.execution) == ("Doel Zoë", "- flitsen")
    assert (copy.start_date, copy.end_date) == (TODAY, TODAY + timedelta(weeks=5))
    assert (copy.evaluation, copy.outcome) == ("", None)
    with wdb.session() as s:
        assert s.query(GrowthDocument).count() == 0
        assert "Rekenen" in development_areas(s, wdb.school_id)


def test_only_open_goals_carry_into_the_next_opp_version_when_chosen(demo_db) -> None:
    from ib_desktop.services import opp as svc
    from tests.services.test_opp import fixed_version

    fixed = fixed_version(demo_db)
    reached, *rest = fixed.goals
    results = {reached.id: (Outcome.BEHAALD, "Gelukt.")} | {
        g.id: (Outcome.NIET_BEHAALD, "Nog niet.") for g in rest
    }
    with demo_db.session() as s:
        new = svc.evaluate_version(
            s, fixed.id, on=date(2027, 5, 18), results=results, open_goals_only=True
        )
    assert [g.goal for g in new.goals] == [g.goal for g in rest]
    assert reached.goal not in [g.goal for g in new.goals]
    assert [g.outcome for g in new.previous_goals][0] == Outcome.BEHAALD  # part 12 keeps it




@given(st.text(), st.text(min_size=1))
def test_filling_placeholders_changes_only_the_placeholders(text: str, name: str) -> None:
    filled = w.fill_placeholders(text, {"roepnaam": name})
    import re

    expected = re.sub(r"\{roepnaam\}", lambda _m: name, text, flags=re.IGNORECASE)
    assert filled.text == expected
    if "{" not in text:
        assert filled.text == text
        assert filled.unknown == []
    for unknown in filled.unknown:
        assert unknown in filled.text


@given(st.text(alphabet="aeëiïoöuüc çkl", max_size=40))
def test_search_finds_a_goal_however_its_accents_are_typed(word: str) -> None:
    import unicodedata

    goal = w.BankGoal("Taal", f"Op {{einddatum}} {word} goed")
    for typed in (word, unicodedata.normalize("NFD", word), word.upper()):
        assert w.search_goals([goal], typed) == [goal]
