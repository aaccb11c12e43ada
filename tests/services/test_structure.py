"""Rules of the support-structure editor: names, intervals, deleting versus retiring."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from ib_desktop.models import ChangeLog, LevelAssignment, Pupil, School, SupportLevel, Tier
from ib_desktop.services.levels import change_level
from ib_desktop.services.school import create_school
from ib_desktop.services.structure import (
    LevelDraft,
    delete_refusal,
    ensure_first_level,
    first_error_level,
    level_errors,
    level_usage,
    load_structure,
    new_level,
    parse_weeks,
    save_structure,
    usage_of,
    validate,
)
from ib_desktop.validation import ValidationError, ValidationErrors
from tests.conftest import TODAY


def place_pupil(db, level_position: int) -> int:
    """A pupil on a level of the school's staircase; returns the level id."""
    with db.session() as s:
        school = s.get(School, db.school_id)
        level = school.support_structure.levels[level_position - 1]
        pupil = Pupil(
            school_id=db.school_id,
            first_name="Noor",
            last_name="Visser",
            birth_date=date(2017, 3, 3),
        )
        s.add(pupil)
        s.flush()
        change_level(s, pupil, level, date(2026, 9, 1), "Start op school", today=TODAY)
        return level.id


def save(db, draft):
    with db.session() as s:
        return save_structure(s, db.school_id, draft, actor="Test IB-er")


def load(db):
    with db.session() as s:
        return load_structure(s, db.school_id)


def test_template_is_loaded_as_a_draft(school_db) -> None:
    draft = load(school_db)
    assert [lvl.name for lvl in draft.levels][0] == "Basisondersteuning in de groep"
    assert len(draft.levels) == 4
    opp = draft.levels[2]
    assert opp.required_documents == ["opp"]
    assert opp.tier is Tier.EXTRA
    assert opp.parent_meeting_weeks == 8


def test_rename_describe_reorder_and_save(school_db) -> None:
    draft = load(school_db)
    draft.levels[0].name = "Zorg in de groep"
    draft.levels[0].description = "Iedereen, elke dag."
    draft.levels[1], draft.levels[2] = draft.levels[2], draft.levels[1]
    draft.levels[3].parent_meeting_weeks = "4"
    saved = save(school_db, draft)
    assert [lvl.name for lvl in saved.levels][:3] == [
        "Zorg in de groep",
        "Specialistische ondersteuning",
        "Extra ondersteuning in de groep",
    ]
    assert saved.levels[3].parent_meeting_weeks == 4
    with school_db.session() as s:
        rows = s.execute(
            sa.select(SupportLevel.position, SupportLevel.name).order_by(SupportLevel.position)
        ).all()
        log = s.scalars(
            sa.select(ChangeLog).where(ChangeLog.entity == "ondersteuningsstructuur")
        ).all()
    assert rows[1] == (2, "Specialistische ondersteuning")
    actions = {entry.action for entry in log}
    assert {"niveau hernoemd", "volgorde gewijzigd", "niveau gewijzigd"} <= actions
    assert any(
        e.old_value == "Basisondersteuning in de groep" and e.new_value == "Zorg in de groep"
        for e in log
    )
    assert all(e.actor == "Test IB-er" for e in log)


def test_two_levels_can_swap_names(school_db) -> None:
    draft = load(school_db)
    a, b = draft.levels[0].name, draft.levels[1].name
    draft.levels[0].name, draft.levels[1].name = b, a
    saved = save(school_db, draft)
    assert [saved.levels[0].name, saved.levels[1].name] == [b, a]


@pytest.mark.parametrize(
    ("change", "key", "fragment"),
    [
        (lambda d: setattr(d.levels[1], "name", "   "), "1.name", "Vul de naam"),
        (
            lambda d: setattr(d.levels[2], "name", " basisondersteuning  IN de groep"),
            "2.name",
            "al een niveau",
        ),
        (
            lambda d: setattr(d.levels[0], "parent_meeting_weeks", "0"),
            "0.parent_meeting_weeks",
            "1 of meer",
        ),
        (
            lambda d: setattr(d.levels[0], "parent_meeting_weeks", -3),
            "0.parent_meeting_weeks",
            "1 of meer",
        ),
        (
            lambda d: setattr(d.levels[3], "parent_meeting_weeks", "acht"),
            "3.parent_meeting_weeks",
            "heel getal",
        ),
        (
            lambda d: setattr(d.levels[3], "parent_meeting_weeks", "60"),
            "3.parent_meeting_weeks",
            "hoogstens",
        ),
        (lambda d: setattr(d.levels[1], "color", "geel"), "1.color", "kleur"),
        (lambda d: setattr(d, "name", ""), "name", "naam"),
        (
            lambda d: [setattr(lvl, "retired", True) for lvl in d.levels],
            "levels",
            "in gebruik blijven",
        ),
        (lambda d: d.levels.clear(), "levels", "minstens één niveau"),
    ],
)
def test_bad_input_is_refused_with_a_dutch_message_per_field(
    school_db, change, key, fragment
) -> None:
    draft = load(school_db)
    before = draft.copy()
    change(draft)
    errors = validate(draft)
    assert key in errors
    assert fragment in errors[key]
    with pytest.raises(ValidationErrors) as info:
        save(school_db, draft)
    assert key in info.value.errors
    assert load(school_db) == before  # nothing was saved


def test_error_helpers() -> None:
    errors = {"name": "x", "2.name": "a", "2.color": "b", "3.name": "c"}
    assert first_error_level(errors) == 2
    assert level_errors(errors, 2) == {"name": "a", "color": "b"}
    assert first_error_level({"name": "x"}) is None


def test_empty_interval_means_no_fixed_rhythm() -> None:
    assert parse_weeks("") is None
    assert parse_weeks(None) is None
    assert parse_weeks(" 8 ") == 8
    with pytest.raises(ValidationError) as info:
        parse_weeks("0")
    assert info.value.field == "parent_meeting_weeks"


def test_unused_level_can_be_deleted(school_db) -> None:
    draft = load(school_db)
    gone = draft.levels.pop(3)
    saved = save(school_db, draft)
    assert [lvl.name for lvl in saved.levels] == [lvl.name for lvl in draft.levels]
    with school_db.session() as s:
        assert s.get(SupportLevel, gone.id) is None


def test_level_in_use_cannot_be_deleted_only_retired(school_db) -> None:
    level_id = place_pupil(school_db, 2)
    with school_db.session() as s:
        usage = usage_of(s, level_id)
    assert usage.in_use
    assert usage.now == 1
    draft = load(school_db)
    name = draft.levels[1].name
    assert "buiten gebruik" in delete_refusal(name, usage)
    assert delete_refusal(name, usage.__class__()) == ""

    draft.levels.pop(1)
    with pytest.raises(ValidationErrors) as info:
        save(school_db, draft)
    assert "niet worden verwijderd" in info.value.errors["levels"]
    assert len(load(school_db).levels) == 4

    draft = load(school_db)
    draft.levels[1].retired = True
    saved = save(school_db, draft)
    assert saved.levels[1].retired
    with school_db.session() as s:
        kept = s.scalars(
            sa.select(LevelAssignment).where(LevelAssignment.level_id == level_id)
        ).all()
        assert len(kept) == 1  # the pupil's history is untouched
        retired = s.get(SupportLevel, level_id)
        assert not retired.structure.active_levels.count(retired)
        other = Pupil(
            school_id=school_db.school_id,
            first_name="Bram",
            last_name="Kok",
            birth_date=date(2017, 1, 1),
        )
        s.add(other)
        s.flush()
        with pytest.raises(ValidationErrors) as chosen:
            change_level(s, other, retired, TODAY, "Proberen", today=TODAY)
        assert "level" in chosen.value.errors


def test_a_closed_assignment_also_counts_as_use(school_db) -> None:
    level_id = place_pupil(school_db, 1)
    with school_db.session() as s:
        school = s.get(School, school_db.school_id)
        pupil = s.scalars(sa.select(Pupil)).one()
        change_level(
            s,
            pupil,
            school.support_structure.levels[1],
            date(2026, 10, 1),
            "Extra hulp",
            today=TODAY,
        )
        usage = level_usage(s, school.support_structure_id)
    assert usage[level_id].ever == 1
    assert usage[level_id].now == 0
    draft = load(school_db)
    draft.levels.pop(0)
    with pytest.raises(ValidationErrors):
        save(school_db, draft)


def test_new_level_gets_a_free_name_and_can_be_saved(school_db) -> None:
    draft = load(school_db)
    first = new_level(draft)
    draft.levels.append(first)
    second = new_level(draft)
    assert (first.name, second.name) == ("Nieuw niveau", "Nieuw niveau 2")
    assert first.color != draft.levels[0].color or len(draft.levels) > 1
    draft.levels.append(second)
    second.required_documents = ["opp"]
    second.requires_any = True  # one document: "one of these" means nothing
    saved = save(school_db, draft)
    assert [lvl.name for lvl in saved.levels][-2:] == ["Nieuw niveau", "Nieuw niveau 2"]
    assert saved.levels[-1].requires_any is False
    assert saved.levels[-1].id is not None


def test_level_deleted_elsewhere_is_reported(school_db) -> None:
    draft = load(school_db)
    stale = draft.copy()
    draft.levels.pop()
    save(school_db, draft)
    stale.levels[3].name = "Verwijzing SBO/SO"
    with pytest.raises(ValidationErrors) as info:
        save(school_db, stale)
    assert "intussen" in info.value.errors["3.name"]


def test_structure_from_scratch_starts_with_one_level(db) -> None:
    with db.session() as s:
        school = create_school(s, "De Nieuwe School", structure_template=None, today=TODAY)
        draft = ensure_first_level(s, school.id)
    assert len(draft.levels) == 1
    assert draft.levels[0].name
    with db.session() as s:
        again = ensure_first_level(s, school.id)
    assert again == draft


def test_level_draft_defaults() -> None:
    lvl = LevelDraft(name="X")
    assert lvl.parent_meeting_weeks is None
    assert lvl.required_documents == []
    assert not lvl.retired
