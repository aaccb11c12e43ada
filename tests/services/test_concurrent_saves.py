"""Two people saving the same record: the second save is refused with both values, nothing lost.

Every record kind runs on SQLite and on PostgreSQL (the ``pg_url`` fixture), with two
independently opened databases on the same URL, as two laptops would: load on A, load on B,
save on B, save on A. A must get a conflict that names B and carries, per field, A's value
beside B's; B's value must still be stored; saving again with the version the conflict reports
("overwrite with mine") must then win.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ib_desktop.models import Group, MomentKind, Outcome, Region, Staff, StaffRole
from ib_desktop.services import groups as group_service
from ib_desktop.services import holidays as holiday_service
from ib_desktop.services import opp as opp_service
from ib_desktop.services import plans, versioned
from ib_desktop.services import pupil as pf
from ib_desktop.services import school_settings as settings_service
from ib_desktop.services import staff as staff_service
from ib_desktop.services import structure as structure_service
from ib_desktop.services.school import create_school, ensure_school_year
from ib_desktop.storage import Database, open_database
from ib_desktop.validation import ConcurrentEditError
from tests.conftest import TODAY

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "gedeeld.sqlite")
    return request.getfixturevalue("pg_url")


@dataclass
class Laptops:
    """Two app instances on one database, and the ids of the records they both edit."""

    a: Database
    b: Database
    ids: dict[str, int]


@pytest.fixture
def laptops(database_url: str) -> Iterator[Laptops]:
    """A school with one pupil whose file has one record of each kind, opened twice."""
    a = open_database(database_url)
    ids: dict[str, int] = {}
    with a.session() as s:
        school = create_school(s, "De Gedeelde School", brin="99ZZ", swv_name="SWV", today=TODAY)
        year = ensure_school_year(s, TODAY)
        teacher = Staff(
            school_id=school.id, first_name="Anna", last_name="Jansen", role=StaffRole.LEERKRACHT
        )
        group = Group(
            school_id=school.id, school_year_id=year.id, name="5A", grade_low=5, grade_high=5,
            teachers=[teacher],
        )  # fmt: skip
        s.add_all([teacher, group])
        s.flush()
        ids.update(school=school.id, year=year.id, staff=teacher.id, group=group.id)
        pupil = pf.create_pupil(
            s,
            school.id,
            pf.PupilData(
                first_name="Zoë", tussenvoegsel="van", last_name="Dijk",
                birth_date=date(2017, 5, 1), group_id=group.id,
            ),  # fmt: skip
            today=TODAY,
        )
        pid = ids["pupil"] = pupil.id
        ids["guardian"] = pf.save_guardian(s, pid, pf.GuardianData(name="Fatma Yılmaz"))
        ids["care"] = pf.save_care_provider(s, pid, pf.CareProviderData(organisation="Jeugdhulp"))
        ids["history"] = pf.save_history(
            s, pid, pf.HistoryData(institution="Peuterspeelzaal"), today=TODAY
        )
        ids["assessment"] = pf.save_assessment(
            s, pid, pf.AssessmentData(date=date(2025, 3, 1), kind="Dyslexieonderzoek"), today=TODAY
        )
        ids["meeting"] = pf.save_meeting(
            s, pid, pf.MeetingData(date=date(2026, 10, 1), held=True), today=TODAY
        )
        ids["opp_version"] = opp_service.start_opp(s, pid, on=TODAY).id
        data = plans.new_intervention(s, pid, today=TODAY)
        ids["intervention"] = plans.save_intervention(s, data, today=TODAY).id
        ids["holiday"] = holiday_service.save_holiday(
            s, Region.MIDDEN, "Studiedag", date(2026, 11, 26), date(2026, 11, 27)
        ).id  # type: ignore[assignment]
    b = open_database(database_url)
    try:
        yield Laptops(a, b, ids)
    finally:
        a.dispose()
        b.dispose()


# ---------------------------------------------------------------------------- the record kinds


@dataclass(frozen=True)
class Kind:
    """How to load, change, save and read back one kind of record."""

    name: str
    field: str
    load: Callable[[Any, dict[str, int]], Any]
    save: Callable[[Any, dict[str, int], Any, str], None]
    stored: Callable[[Any, dict[str, int]], Any]
    #: False for the kinds that refused concurrent saves before (their error has no values yet).
    with_values: bool = True


def _pupil_load(s: Any, ids: dict[str, int]) -> Any:
    file = pf.load_pupil_file(s, ids["pupil"], today=TODAY)
    return (file.data, file.version)


def _pupil_save(s: Any, ids: dict[str, int], loaded: Any, actor: str) -> None:
    data, version = loaded
    pf.update_pupil(s, ids["pupil"], data, expected_version=version, today=TODAY, actor=actor)


def _child(loader: str, saver: str, key: str, *, today: bool = False) -> tuple[Callable, Callable]:
    def load(s: Any, ids: dict[str, int]) -> Any:
        return getattr(pf, loader)(s, ids["pupil"], ids[key])

    def save(s: Any, ids: dict[str, int], data: Any, actor: str) -> None:
        extra = {"today": TODAY} if today else {}
        getattr(pf, saver)(s, ids["pupil"], data, actor=actor, **extra)

    return load, save


def _opp_save(s: Any, _ids: dict[str, int], data: Any, actor: str) -> None:
    opp_service.save_version(s, data, actor=actor)


def _intervention_save(s: Any, _ids: dict[str, int], data: Any, actor: str) -> None:
    plans.save_intervention(s, data, today=TODAY, actor=actor)


KINDS = [
    Kind(
        "persoonsgegevens",
        "family_composition",
        _pupil_load,
        _pupil_save,
        lambda s, ids: pf.load_pupil_file(s, ids["pupil"], today=TODAY).data.family_composition,
    ),
    Kind(
        "ouder/verzorger",
        "address",
        *_child("load_guardian", "save_guardian", "guardian"),
        lambda s, ids: pf.load_guardian(s, ids["pupil"], ids["guardian"]).address,
    ),
    Kind(
        "hulpverlening",
        "contact_name",
        *_child("load_care_provider", "save_care_provider", "care"),
        lambda s, ids: pf.load_care_provider(s, ids["pupil"], ids["care"]).contact_name,
    ),
    Kind(
        "schoolloopbaan",
        "notes",
        *_child("load_history", "save_history", "history", today=True),
        lambda s, ids: pf.load_history(s, ids["pupil"], ids["history"]).notes,
    ),
    Kind(
        "onderzoek",
        "conclusion",
        *_child("load_assessment", "save_assessment", "assessment", today=True),
        lambda s, ids: pf.load_assessment(s, ids["pupil"], ids["assessment"]).conclusion,
    ),
    Kind(
        "vergadering",
        "decisions",
        *_child("load_meeting", "save_meeting", "meeting", today=True),
        lambda s, ids: pf.load_meeting(s, ids["pupil"], ids["meeting"]).decisions,
    ),
    Kind(
        "OPP-versie",
        "promoting_factors",
        lambda s, ids: opp_service.load_version(s, ids["opp_version"]),
        _opp_save,
        lambda s, ids: opp_service.load_version(s, ids["opp_version"]).promoting_factors,
    ),
    Kind(
        "korte interventie",
        "goal",
        lambda s, ids: plans.load_intervention(s, ids["intervention"]),
        _intervention_save,
        lambda s, ids: plans.load_intervention(s, ids["intervention"]).goal,
    ),
]


# The school's own records (staff, groups, settings, staircase, areas), edited in Beheer.


def _staff_load(s: Any, ids: dict[str, int]) -> Any:
    row = staff_service.staff_row(s, ids["staff"])
    return staff_service.StaffData(row.name, row.role, row.active, version=row.version)


def _staff_save(s: Any, ids: dict[str, int], data: Any, actor: str) -> None:
    staff_service.save_staff(s, ids["school"], data, staff_id=ids["staff"], actor=actor)


def _group_row(s: Any, ids: dict[str, int]) -> group_service.GroupRow:
    rows = group_service.list_groups(s, ids["school"], ids["year"])
    return next(r for r in rows if r.id == ids["group"])


def _group_load(s: Any, ids: dict[str, int]) -> Any:
    row = _group_row(s, ids)
    return group_service.GroupData(row.name, row.grades, list(row.teacher_ids), row.version)


def _group_save(s: Any, ids: dict[str, int], data: Any, actor: str) -> None:
    group_service.save_group(
        s, ids["school"], ids["year"], data, group_id=ids["group"], actor=actor
    )


def _school_save(s: Any, ids: dict[str, int], data: Any, actor: str) -> None:
    settings_service.save_school_settings(s, ids["school"], data, actor=actor)


@dataclass
class FirstArea:
    """The areas list as the settings tab holds it, seen through its first area's name."""

    areas: list[settings_service.AreaDraft]

    @property
    def name(self) -> str:
        return self.areas[0].name


def _areas_load(s: Any, ids: dict[str, int]) -> Any:
    return FirstArea(settings_service.load_areas(s, ids["school"]))


def _areas_save(s: Any, ids: dict[str, int], loaded: Any, actor: str) -> None:
    settings_service.save_areas(
        s, ids["school"], loaded.areas, actor=actor,
        loaded_ids=[a.id for a in loaded.areas if a.id is not None],
    )  # fmt: skip


@dataclass
class Staircase:
    """The staircase as the structure editor holds it, seen through its name."""

    draft: structure_service.StructureDraft


def _structure_save(s: Any, ids: dict[str, int], loaded: Any, actor: str) -> None:
    structure_service.save_structure(s, ids["school"], loaded.draft, actor=actor)


SCHOOL_KINDS = [
    Kind(
        "medewerker",
        "name",
        _staff_load,
        _staff_save,
        lambda s, ids: staff_service.staff_row(s, ids["staff"]).name,
    ),
    Kind("groep", "name", _group_load, _group_save, lambda s, ids: _group_row(s, ids).name),
    Kind(
        "schoolgegevens",
        "address",
        lambda s, ids: settings_service.load_school_settings(s, ids["school"]),
        _school_save,
        lambda s, ids: settings_service.load_school_settings(s, ids["school"]).address,
    ),
    Kind(
        "ontwikkelingsgebied",
        "name",
        _areas_load,
        _areas_save,
        lambda s, ids: settings_service.load_areas(s, ids["school"])[0].name,
    ),
    Kind(
        "ondersteuningsstructuur",
        "name",
        lambda s, ids: Staircase(structure_service.load_structure(s, ids["school"])),
        _structure_save,
        lambda s, ids: structure_service.load_structure(s, ids["school"]).name,
    ),
]
KINDS += SCHOOL_KINDS


# The school's holidays and days off (Instellingen > Vakanties).


def _holiday_load(s: Any, ids: dict[str, int]) -> holiday_service.HolidaySpec:
    found = holiday_service.get_holiday(s, ids["holiday"])
    assert found is not None
    return found


def _holiday_save(s: Any, _ids: dict[str, int], h: Any, actor: str) -> None:
    holiday_service.save_holiday(
        s, Region.MIDDEN, h.name, h.start, h.end, holiday_id=h.id, version=h.version, actor=actor
    )


KINDS.append(
    Kind("vakantie", "name", _holiday_load, _holiday_save,
         lambda s, ids: _holiday_load(s, ids).name)
)  # fmt: skip


def _with(loaded: Any, name: str, value: str) -> Any:
    """The loaded data with one field changed (the personal data come with their version)."""
    if isinstance(loaded, tuple):
        data, version = loaded
        return (replace(data, **{name: value}), version)
    if isinstance(loaded, FirstArea):
        areas = [replace(a) for a in loaded.areas]
        areas[0].name = value
        return FirstArea(areas)
    if isinstance(loaded, Staircase):
        return Staircase(replace(loaded.draft, **{name: value}))
    return replace(loaded, **{name: value})


def _at_version(mine: Any, version: int, record_id: int | None) -> Any:
    """``mine`` again, at the version the conflict reports ("Mijn versie opslaan")."""
    if isinstance(mine, tuple):
        return (mine[0], version)
    if isinstance(mine, FirstArea):
        return FirstArea([replace(a, version=version) if a.id == record_id else a
                          for a in mine.areas])  # fmt: skip
    if isinstance(mine, Staircase):
        return Staircase(replace(mine.draft, version=version))
    if hasattr(mine, "lock_version"):
        return replace(mine, lock_version=version)
    return replace(mine, version=version)


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_second_save_gets_a_conflict_with_both_values_and_nothing_is_lost(
    laptops: Laptops, kind: Kind
) -> None:
    ids = laptops.ids
    with laptops.a.session() as s:
        on_a = kind.load(s, ids)
    with laptops.b.session() as s:
        on_b = kind.load(s, ids)
    with laptops.b.session() as s:
        kind.save(s, ids, _with(on_b, kind.field, "Waarde van Bea"), "Bea Bakker")

    mine = _with(on_a, kind.field, "Waarde van Ahmet ✓")
    with pytest.raises(ConcurrentEditError) as refused, laptops.a.session() as s:
        kind.save(s, ids, mine, "Ahmet Aydın")

    with laptops.a.session() as s:
        assert kind.stored(s, ids) == "Waarde van Bea"  # B's save is not lost
    if not kind.with_values:
        return
    conflict = refused.value
    assert isinstance(conflict, versioned.EditConflict)
    assert conflict.who == "Bea Bakker"
    assert conflict.title == "Bea Bakker heeft dit intussen gewijzigd"
    assert "Bea Bakker heeft" in str(conflict)
    by_field = {f.name: f for f in conflict.fields}
    assert by_field[kind.field].mine == "Waarde van Ahmet ✓"
    assert by_field[kind.field].theirs == "Waarde van Bea"
    assert by_field[kind.field].label  # a Dutch label to show beside the values

    # "Mijn versie bewaren": saving again on the version the conflict reports wins, on purpose.
    assert conflict.current_version is not None
    mine = _at_version(mine, conflict.current_version, conflict.record_id)
    with laptops.a.session() as s:
        kind.save(s, ids, mine, "Ahmet Aydın")
    with laptops.b.session() as s:
        assert kind.stored(s, ids) == "Waarde van Ahmet ✓"


def test_renaming_areas_and_levels_works_on_both_engines(laptops: Laptops) -> None:
    """Swapped names are parked during the save; PostgreSQL refused the NUL parking prefix."""
    school = laptops.ids["school"]
    with laptops.a.session() as s:
        areas = settings_service.load_areas(s, school)
        draft = structure_service.load_structure(s, school)
    first, second = areas[0].name, areas[1].name
    areas[0].name, areas[1].name = second, first
    draft.levels[0].name, draft.levels[1].name = draft.levels[1].name, draft.levels[0].name
    with laptops.a.session() as s:
        settings_service.save_areas(s, school, areas)
        structure_service.save_structure(s, school, draft)
    with laptops.b.session() as s:
        assert [a.name for a in settings_service.load_areas(s, school)][:2] == [second, first]
        stored = structure_service.load_structure(s, school)
    assert [lvl.name for lvl in stored.levels] == [lvl.name for lvl in draft.levels]


PUPIL_FILE_KINDS = [k for k in KINDS if k.with_values]  # every kind now, school's own too


@pytest.mark.parametrize("kind", PUPIL_FILE_KINDS, ids=[k.name for k in PUPIL_FILE_KINDS])
def test_a_save_between_the_check_and_the_write_is_caught_by_the_update(
    laptops: Laptops, kind: Kind, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version check passes, then B saves, then A writes: the UPDATE's version misses."""
    ids = laptops.ids
    with laptops.a.session() as s:
        on_a = kind.load(s, ids)
    real_check = versioned.check_version
    raced: list[bool] = []

    def check_then_b_saves(*args: Any, **kwargs: Any) -> None:
        real_check(*args, **kwargs)
        if not raced:
            raced.append(True)
            with laptops.b.session() as s2:
                kind.save(s2, ids, _with(kind.load(s2, ids), kind.field, "Net eerder"), "Bea")

    monkeypatch.setattr(versioned, "check_version", check_then_b_saves)
    with pytest.raises(versioned.EditConflict) as refused, laptops.a.session() as s:
        kind.save(s, ids, _with(on_a, kind.field, "Te laat"), "Ahmet")
    assert raced
    by_field = {f.name: f for f in refused.value.fields}
    assert (by_field[kind.field].mine, by_field[kind.field].theirs) == ("Te laat", "Net eerder")
    with laptops.b.session() as s:
        assert kind.stored(s, ids) == "Net eerder"


def test_own_saves_one_after_the_other_are_no_conflict(laptops: Laptops) -> None:
    """One user saving the same guardian twice, carrying the version forward, is never refused."""
    ids = laptops.ids
    with laptops.a.session() as s:
        data = pf.load_guardian(s, ids["pupil"], ids["guardian"])
    for phone in ("06-11111111", "06-22222222", "06-33333333"):
        data = replace(data, phone=phone)
        with laptops.a.session() as s:
            pf.save_guardian(s, ids["pupil"], data)
            data = pf.load_guardian(s, ids["pupil"], ids["guardian"])
    assert data.phone == "06-33333333"
    assert data.version == 4


def test_a_record_deleted_by_the_other_is_reported_as_gone(laptops: Laptops) -> None:
    ids = laptops.ids
    with laptops.a.session() as s:
        mine = pf.load_guardian(s, ids["pupil"], ids["guardian"])
    with laptops.b.session() as s:
        pf.delete_guardian(s, ids["pupil"], ids["guardian"])
    with pytest.raises(pf.RecordGoneError), laptops.a.session() as s:
        pf.save_guardian(s, ids["pupil"], replace(mine, phone="06-12345678"))



# ---------------------------------------------------------------------------- evaluations per goal


def _growth_task(laptops: Laptops) -> plans.EvaluationTask:
    """A groeidocument with goals for Rekenen and Spelling, as the teachers' screen loads it."""
    from tests.services.test_plans import FakeMoment

    db, pid = laptops.a, laptops.ids["pupil"]
    with db.session() as s:
        data = plans.new_growth_document(s, pid, today=TODAY)
    data.periods[0].goal_for("Rekenen").goal = "Tafels 1 t/m 5"
    data.periods[0].goal_for("Spelling").goal = "Woorden met -ng"
    with db.session() as s:
        doc = plans.save_growth_document(s, data, today=TODAY)
    period = doc.periods[0]
    moment = FakeMoment(
        f"groeiperiode:{period.id}", MomentKind.GROEIDOCUMENT, period.end_date, "Evaluatie",
        pid, None, None, "groeidocument", doc.id,
    )  # fmt: skip
    with db.session() as s:
        return plans.load_evaluation_task(s, moment)


def _evaluate(db: Database, task: plans.EvaluationTask, values: dict, actor: str) -> Any:
    with db.session() as s:
        return plans.save_evaluation_task(
            s, task, values, evaluated_by_id=None, evaluated_on=TODAY, today=TODAY, actor=actor
        )


def test_goals_of_one_document_evaluated_apart_are_no_conflict(laptops: Laptops) -> None:
    """Bea evaluates Spelling, then Ahmet (loaded before) Rekenen: both stay, nobody refused."""
    task = _growth_task(laptops)
    rekenen, spelling = (t.key for t in task.targets)
    _evaluate(laptops.b, task, {spelling: ("Spelling ging goed", Outcome.BEHAALD)}, "Bea")
    _evaluate(laptops.a, task, {rekenen: ("Rekenen deels", Outcome.DEELS_BEHAALD)}, "Ahmet")
    with laptops.a.session() as s:
        fresh = plans.load_evaluation_task(s, task.moment)
    assert {t.key: (t.evaluation, t.outcome) for t in fresh.targets} == {
        rekenen: ("Rekenen deels", Outcome.DEELS_BEHAALD),
        spelling: ("Spelling ging goed", Outcome.BEHAALD),
    }


def test_a_goal_shown_unchanged_does_not_undo_the_others_evaluation(laptops: Laptops) -> None:
    """The form sends every goal; one the user left as loaded is not written back."""
    task = _growth_task(laptops)
    rekenen, spelling = (t.key for t in task.targets)
    task = _evaluate(laptops.a, task, {spelling: ("Eerste versie", Outcome.NIET_BEHAALD)}, "A")
    # Bea improves the Spelling evaluation; Ahmet's screen still shows "Eerste versie".
    _evaluate(laptops.b, task, {spelling: ("Tweede versie", Outcome.BEHAALD)}, "Bea")
    values = {
        rekenen: ("Rekenen deels", Outcome.DEELS_BEHAALD),
        spelling: ("Eerste versie", Outcome.NIET_BEHAALD),  # untouched in Ahmet's form
    }
    _evaluate(laptops.a, task, values, "Ahmet")
    with laptops.b.session() as s:
        fresh = plans.load_evaluation_task(s, task.moment)
    stored = {t.key: (t.evaluation, t.outcome) for t in fresh.targets}
    assert stored[spelling] == ("Tweede versie", Outcome.BEHAALD)
    assert stored[rekenen] == ("Rekenen deels", Outcome.DEELS_BEHAALD)


def test_the_same_goal_evaluated_by_two_people_is_a_conflict(laptops: Laptops) -> None:
    task = _growth_task(laptops)
    spelling = task.targets[1].key
    _evaluate(laptops.b, task, {spelling: ("Van Bea", Outcome.BEHAALD)}, "Bea Bakker")
    with pytest.raises(versioned.EditConflict) as refused:
        _evaluate(laptops.a, task, {spelling: ("Van Ahmet", Outcome.NIET_BEHAALD)}, "Ahmet")
    conflict = refused.value
    assert conflict.who == "Bea Bakker"
    assert conflict.record_id == task.targets[1].id
    assert {f.label: (f.mine, f.theirs) for f in conflict.fields} == {
        "evaluatie": ("Van Ahmet", "Van Bea"),
        "uitkomst": ("niet behaald", "behaald"),
    }


# ------------------------------------------------------------------- a reviewed holiday import


def _holiday_plan(laptops: Laptops) -> list[Any]:
    """On A: a file moves the study day; the plan is what the preview shows."""
    from ib_desktop.services.holiday_import import LoadedHolidays, plan_changes

    loaded = LoadedHolidays("agenda (.ics)", school_years={"2026-2027"})
    loaded.add(Region.MIDDEN, holiday_service.HolidaySpec("Studiedag", date(2026, 11, 26),
                                                          date(2026, 11, 26)))  # fmt: skip
    with laptops.a.session() as s:
        plan = plan_changes(s, loaded, [Region.MIDDEN])
    assert [(c.kind, c.old.id) for c in plan if c.old] == [("gewijzigd", laptops.ids["holiday"])]
    return plan


def _bea_renames_the_study_day(db: Database, ids: dict[str, int], name: str) -> None:
    with db.session() as s:
        h = _holiday_load(s, ids)
        _holiday_save(s, ids, replace(h, name=name), "Bea Bakker")


def test_a_holiday_import_reviewed_before_another_save_is_refused(laptops: Laptops) -> None:
    from ib_desktop.services.holiday_import import HolidayPlanOutdated, apply_changes

    plan = _holiday_plan(laptops)
    _bea_renames_the_study_day(laptops.b, laptops.ids, "Studiedag team")
    with pytest.raises(HolidayPlanOutdated) as refused, laptops.a.session() as s:
        apply_changes(s, plan)
    assert "'Studiedag team' intussen gewijzigd" in str(refused.value)
    with laptops.b.session() as s:
        stored = _holiday_load(s, laptops.ids)
    assert (stored.name, stored.end) == ("Studiedag team", date(2026, 11, 27))  # Bea's stays


def test_a_save_between_the_import_check_and_its_write_is_caught(
    laptops: Laptops, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ib_desktop.services import holiday_import
    from ib_desktop.services.holiday_import import HolidayPlanOutdated, apply_changes

    plan = _holiday_plan(laptops)
    real_stale = holiday_import._stale

    def check_then_b_saves(*args: Any) -> list[str]:
        found = real_stale(*args)
        _bea_renames_the_study_day(laptops.b, laptops.ids, "Net eerder")
        return found

    monkeypatch.setattr(holiday_import, "_stale", check_then_b_saves)
    with pytest.raises(HolidayPlanOutdated), laptops.a.session() as s:
        apply_changes(s, plan)
    with laptops.b.session() as s:
        stored = _holiday_load(s, laptops.ids)
    assert (stored.name, stored.end) == ("Net eerder", date(2026, 11, 27))
