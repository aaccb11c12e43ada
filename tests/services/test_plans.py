"""Korte interventies and groeidocumenten: life cycle, history, carry-over, optimistic locking."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop.models import (
    ChangeLog,
    DocumentStatus,
    Group,
    GrowthGoal,
    MomentKind,
    Outcome,
    Pupil,
    ShortIntervention,
    Staff,
    StaffRole,
)
from ib_desktop.services import plans
from ib_desktop.services.school import development_areas, ensure_school_year
from ib_desktop.storage import open_database
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors
from tests.conftest import TODAY


@pytest.fixture
def pupil_db(school_db):
    """The test school with group 5A, its teacher Anna Jansen and pupil Sanne de Vries."""
    with school_db.session() as s:
        year = ensure_school_year(s, TODAY)
        teacher = Staff(
            school_id=school_db.school_id, first_name="Anna", last_name="Jansen",
            role=StaffRole.LEERKRACHT,
        )  # fmt: skip
        other = Staff(
            school_id=school_db.school_id, first_name="Bram", last_name="Bakker",
            role=StaffRole.LEERKRACHT,
        )  # fmt: skip
        group = Group(
            school_id=school_db.school_id, school_year_id=year.id, name="5A", grade_low=5,
            grade_high=5, teachers=[teacher],
        )  # fmt: skip
        pupil = Pupil(
            school_id=school_db.school_id, first_name="Sanne", tussenvoegsel="de",
            last_name="Vries", birth_date=date(2017, 3, 4), group=group,
        )  # fmt: skip
        s.add_all([teacher, other, group, pupil])
        s.flush()
        school_db.teacher_id = teacher.id
        school_db.other_teacher_id = other.id
        school_db.pupil_id = pupil.id
    return school_db


def _new_intervention(db, **changes) -> plans.InterventionData:
    with db.session() as s:
        data = plans.new_intervention(s, db.pupil_id, today=TODAY)
    data = replace(data, **changes)
    with db.session() as s:
        return plans.save_intervention(s, data, today=TODAY, actor="Tester")


def _log(db, entity: str, entity_id: int) -> list[plans.HistoryEntry]:
    with db.session() as s:
        return plans.history(s, entity, entity_id)


# ---------------------------------------------------------------------- korte interventie


def test_new_intervention_is_prefilled_from_the_pupil(pupil_db) -> None:
    with pupil_db.session() as s:
        data = plans.new_intervention(s, pupil_db.pupil_id, today=TODAY)
    assert data.is_new
    assert data.pupil_name == "Sanne de Vries"
    assert data.group_name == "5A"
    assert data.teacher_id == pupil_db.teacher_id
    assert data.teacher_name == "Anna Jansen"
    assert data.start_date == TODAY
    assert (data.end_date - data.start_date).days == 7 * plans.DEFAULT_INTERVENTION_WEEKS
    assert data.status == DocumentStatus.CONCEPT


def test_save_creates_and_records_each_changed_field(pupil_db) -> None:
    saved = _new_intervention(pupil_db, goal="Leest AVI-E4.", support_need="Korte instructie.")
    assert saved.id is not None
    assert saved.version == 1
    log = _log(pupil_db, "korte_interventie", saved.id)
    assert [e.action for e in log] == ["aangemaakt"]
    assert log[0].actor == "Tester"

    edited = replace(saved, goal="Leest AVI-E5.", execution="- dagelijks lezen", group_name="5B")
    with pupil_db.session() as s:
        after = plans.save_intervention(s, edited, today=TODAY, actor="Tester")
    assert after.version == saved.version + 1
    log = _log(pupil_db, "korte_interventie", saved.id)
    changed = {e.field: (e.old_value, e.new_value) for e in log if e.action == "gewijzigd"}
    assert changed == {
        "doel": ("Leest AVI-E4.", "Leest AVI-E5."),
        "uitvoering": ("", "- dagelijks lezen"),
        "groep": ("5A", "5B"),
    }


def test_saving_without_changes_writes_no_history(pupil_db) -> None:
    saved = _new_intervention(pupil_db, goal="Doel")
    with pupil_db.session() as s:
        again = plans.save_intervention(s, saved, today=TODAY)
    assert again.version == saved.version
    assert len(_log(pupil_db, "korte_interventie", saved.id)) == 1


def test_end_before_start_is_refused_with_a_dutch_message(pupil_db) -> None:
    with pupil_db.session() as s:
        data = plans.new_intervention(s, pupil_db.pupil_id, today=TODAY)
    data = replace(data, end_date=TODAY - timedelta(days=1))
    with pytest.raises(ValidationErrors) as exc, pupil_db.session() as s:
        plans.save_intervention(s, data, today=TODAY)
    assert "vóór de startdatum" in exc.value.errors["end_date"]
    with pupil_db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ShortIntervention)) == 0


def test_an_outcome_needs_its_evaluation_text(pupil_db) -> None:
    with pupil_db.session() as s:
        data = plans.new_intervention(s, pupil_db.pupil_id, today=TODAY)
    with pytest.raises(ValidationErrors) as exc, pupil_db.session() as s:
        plans.save_intervention(s, replace(data, outcome=Outcome.BEHAALD), today=TODAY)
    assert "evaluation" in exc.value.errors


@pytest.mark.parametrize(
    ("weeks", "warns"), [(2, True), (4, False), (6, False), (8, False), (12, True)]
)
def test_period_outside_four_to_eight_weeks_warns(weeks: int, warns: bool) -> None:
    message = plans.period_warning(TODAY, TODAY + timedelta(weeks=weeks))
    assert bool(message) is warns
    if warns:
        assert f"{weeks} weken" in message
        assert "4 tot 8 weken" in message


def test_status_life_cycle_and_read_only_when_closed(pupil_db) -> None:
    saved = _new_intervention(pupil_db)
    with pytest.raises(ValidationErrors) as exc, pupil_db.session() as s:
        plans.set_intervention_status(s, saved.id, DocumentStatus.ACTIEF, version=saved.version)
    assert "goal" in exc.value.errors  # activating needs a doel

    with pupil_db.session() as s:
        saved = plans.save_intervention(s, replace(saved, goal="Doel"), today=TODAY)
        active = plans.set_intervention_status(
            s, saved.id, DocumentStatus.ACTIEF, version=saved.version, actor="Tester"
        )
    assert active.status == DocumentStatus.ACTIEF
    with pytest.raises(ValidationErrors) as exc, pupil_db.session() as s:
        plans.set_intervention_status(
            s, saved.id, DocumentStatus.AFGESLOTEN, version=active.version
        )
    assert set(exc.value.errors) == {"evaluation", "outcome"}

    evaluated = replace(active, evaluation="Gelukt.", outcome=Outcome.BEHAALD, evaluated_on=TODAY)
    with pupil_db.session() as s:
        evaluated = plans.save_intervention(s, evaluated, today=TODAY)
        closed = plans.set_intervention_status(
            s, saved.id, DocumentStatus.AFGESLOTEN, version=evaluated.version
        )
    assert closed.read_only
    with pytest.raises(ReadOnlyError), pupil_db.session() as s:
        plans.save_intervention(s, replace(closed, goal="Stiekem gewijzigd"), today=TODAY)
    with pupil_db.session() as s:
        assert s.get(ShortIntervention, saved.id).goal == "Doel"

    with pupil_db.session() as s:
        reopened = plans.set_intervention_status(
            s, saved.id, DocumentStatus.ACTIEF, version=closed.version, reason="Typefout"
        )
    assert reopened.status == DocumentStatus.ACTIEF
    assert not reopened.read_only
    log = _log(pupil_db, "korte_interventie", saved.id)
    assert [e.action for e in log if e.field == "status"] == [
        "geactiveerd",
        "afgesloten",
        "heropend",
    ]
    assert log[-1].summary == "Typefout"


def test_concept_cannot_jump_to_closed(pupil_db) -> None:
    saved = _new_intervention(pupil_db, goal="Doel", evaluation="Klaar", outcome=Outcome.BEHAALD)
    with pytest.raises(ValidationErrors) as exc, pupil_db.session() as s:
        plans.set_intervention_status(s, saved.id, DocumentStatus.AFGESLOTEN, version=saved.version)
    assert "concept naar afgesloten" in exc.value.errors["status"]


def test_pupil_who_left_is_read_only(pupil_db) -> None:
    saved = _new_intervention(pupil_db, goal="Doel")
    with pupil_db.session() as s:
        pupil = s.get(Pupil, pupil_db.pupil_id)
        pupil.status = "vertrokken"
        pupil.left_on = TODAY
    with pytest.raises(ReadOnlyError, match="verlaten"), pupil_db.session() as s:
        plans.save_intervention(s, replace(saved, goal="Nieuw"), today=TODAY)
    with pupil_db.session() as s:
        assert plans.load_intervention(s, saved.id).read_only


# ---------------------------------------------------------------------- optimistic locking


def _second_database(db):
    return open_database(Path(db.path))


def test_concurrent_intervention_save_is_refused_and_nothing_is_lost(pupil_db) -> None:
    saved = _new_intervention(pupil_db, goal="Begin")
    other = _second_database(pupil_db)
    try:
        with pupil_db.session() as s:
            mine = plans.load_intervention(s, saved.id)
        with other.session() as s:
            theirs = plans.load_intervention(s, saved.id)
            plans.save_intervention(s, replace(theirs, goal="Hun doel"), today=TODAY)
        mine = replace(mine, goal="Mijn doel")
        with pytest.raises(ConcurrentEditError) as exc, pupil_db.session() as s:
            plans.save_intervention(s, mine, today=TODAY)
        # Issue 14: the conflict names who changed it, in "... heeft ... intussen gewijzigd".
        assert "heeft deze korte interventie intussen gewijzigd" in str(exc.value)
        assert "niet weggegooid" in str(exc.value)
        assert mine.goal == "Mijn doel"  # the caller still has the unsaved text
        with other.session() as s:
            assert s.get(ShortIntervention, saved.id).goal == "Hun doel"
    finally:
        other.dispose()


def test_stale_row_in_a_long_session_becomes_concurrent_edit_error(pupil_db) -> None:
    """Even when the version check passed, the UPDATE's version condition catches a late save."""
    saved = _new_intervention(pupil_db, goal="Begin")
    other = _second_database(pupil_db)
    try:
        with pytest.raises(ConcurrentEditError), pupil_db.session() as s:  # noqa: PT012
            mine = plans.load_intervention(s, saved.id)  # the row is now in this session
            with other.session() as s2:
                theirs = plans.load_intervention(s2, saved.id)
                plans.save_intervention(s2, replace(theirs, goal="Hun doel"), today=TODAY)
            plans.save_intervention(s, replace(mine, goal="Mijn doel"), today=TODAY)
        with other.session() as s:
            assert s.get(ShortIntervention, saved.id).goal == "Hun doel"
    finally:
        other.dispose()


def test_concurrent_growth_save_is_refused(pupil_db) -> None:
    doc = _growth(pupil_db)
    other = _second_database(pupil_db)
    try:
        with pupil_db.session() as s:
            mine = plans.load_growth_document(s, doc.id)
        with other.session() as s:
            theirs = plans.load_growth_document(s, doc.id)
            theirs.periods[0].goal_for("Rekenen").goal = "Hun rekendoel"
            plans.save_growth_document(s, theirs, today=TODAY)
        # A change in another cell still conflicts: the document is one unit.
        mine.periods[0].goal_for("Taal").goal = "Mijn taaldoel"
        with pytest.raises(ConcurrentEditError), pupil_db.session() as s:
            plans.save_growth_document(s, mine, today=TODAY)
        with other.session() as s:
            fresh = plans.load_growth_document(s, doc.id)
        assert fresh.periods[0].goal_for("Taal").goal == ""
        assert fresh.periods[0].goal_for("Rekenen").goal == "Hun rekendoel"
    finally:
        other.dispose()


# ---------------------------------------------------------------------- groeidocument


def _growth(db, **goals: str) -> plans.GrowthData:
    with db.session() as s:
        data = plans.new_growth_document(s, db.pupil_id, today=TODAY)
    texts = {"Rekenen": "Tafels 1 t/m 5", "Spelling": "Woorden met -ng", "Taal": ""}
    texts.update(goals)
    for area, text in texts.items():
        data.periods[0].goal_for(area).goal = text
    with db.session() as s:
        return plans.save_growth_document(s, data, today=TODAY, actor="Tester")


def test_new_growth_document_uses_the_school_areas(pupil_db) -> None:
    with pupil_db.session() as s:
        areas = development_areas(s, pupil_db.school_id)
        data = plans.new_growth_document(s, pupil_db.pupil_id, today=TODAY)
    assert data.areas == areas
    assert "Rekenen" in areas
    assert [p.number for p in data.periods] == [1]
    assert [g.area for g in data.periods[0].goals] == areas
    assert data.teacher_name == "Anna Jansen"
    assert data.group_name == "5A"


def test_document_can_leave_areas_out_and_keeps_their_text(pupil_db) -> None:
    doc = _growth(pupil_db)
    doc.areas = [a for a in doc.areas if a != "Spelling"]
    with pupil_db.session() as s:
        saved = plans.save_growth_document(s, doc, today=TODAY)
    assert "Spelling" not in saved.areas
    assert "Spelling" not in [g.area for g in saved.visible_goals(saved.periods[0])]
    # Nothing saved is lost: adding the area back brings its goal back.
    saved.areas = [*saved.areas, "Spelling"]
    with pupil_db.session() as s:
        back = plans.save_growth_document(s, saved, today=TODAY)
    assert back.periods[0].goal_for("Spelling").goal == "Woorden met -ng"
    fields = [e.field for e in _log(pupil_db, "groeidocument", doc.id)]
    assert fields.count("ontwikkelingsgebieden") == 2


def test_goal_changes_are_recorded_per_cell(pupil_db) -> None:
    doc = _growth(pupil_db)
    doc.periods[0].goal_for("Rekenen").execution = "- flitsen"
    with pupil_db.session() as s:
        saved = plans.save_growth_document(s, doc, today=TODAY, actor="Tester")
    assert saved.version == doc.version + 1
    entries = [e for e in _log(pupil_db, "groeidocument", doc.id) if e.action == "gewijzigd"]
    assert [(e.field, e.new_value, e.actor) for e in entries] == [
        ("periode 1 · Rekenen · uitvoering", "- flitsen", "Tester")
    ]


def test_closing_a_period_without_evaluations_names_each_goal(pupil_db) -> None:
    doc = _growth(pupil_db)
    with pytest.raises(ValidationErrors) as exc, pupil_db.session() as s:
        plans.close_period(s, doc.id, 1, version=doc.version, today=TODAY)
    messages = exc.value.errors
    assert set(messages) == {"goal:1:Rekenen", "goal:1:Spelling"}  # empty cells are no goals
    assert "Rekenen" in messages["goal:1:Rekenen"]
    assert "Tafels 1 t/m 5" in messages["goal:1:Rekenen"]
    assert "evaluatie en de uitkomst" in messages["goal:1:Spelling"]
    with pupil_db.session() as s:
        assert not plans.load_growth_document(s, doc.id).periods[0].closed


def _close_first_period(db, doc, outcomes: dict[str, Outcome]) -> plans.GrowthData:
    with db.session() as s:
        return plans.close_period(
            s,
            doc.id,
            1,
            version=doc.version,
            today=TODAY,
            evaluations={a: (f"Evaluatie {a}", o) for a, o in outcomes.items()},
            evaluated_by_id=db.teacher_id,
            actor="Tester",
        )


def test_new_period_carries_over_unreached_goals(pupil_db) -> None:
    doc = _growth(pupil_db, Taal="Vertelt in drie zinnen")
    with pytest.raises(ValidationErrors, match="Sluit eerst periode 1 af"), pupil_db.session() as s:
        plans.add_period(s, doc.id, version=doc.version, today=TODAY)
    closed = _close_first_period(
        pupil_db,
        doc,
        {
            "Rekenen": Outcome.NIET_BEHAALD,
            "Spelling": Outcome.BEHAALD,
            "Taal": Outcome.DEELS_BEHAALD,
        },
    )
    first = closed.periods[0]
    assert first.closed
    assert first.goal_for("Rekenen").evaluated_on == TODAY
    assert first.goal_for("Rekenen").evaluated_by_id == pupil_db.teacher_id

    with pupil_db.session() as s:
        two = plans.add_period(s, doc.id, version=closed.version, today=TODAY, actor="Tester")
    second = two.period(2)
    assert second.start_date == first.end_date + timedelta(days=1)
    assert second.end_date - second.start_date == first.end_date - first.start_date
    rekenen, taal, spelling = (second.goal_for(a) for a in ("Rekenen", "Taal", "Spelling"))
    assert rekenen.goal == "Tafels 1 t/m 5"
    assert rekenen.carried_over_from_id == first.goal_for("Rekenen").id
    assert "periode 1 (niet behaald)" in rekenen.carried_over_note
    assert taal.carried_over_from_id == first.goal_for("Taal").id
    assert spelling.goal == ""
    assert spelling.carried_over_from_id is None
    assert rekenen.evaluation == ""
    assert rekenen.outcome is None
    with pupil_db.session() as s:
        stored = s.get(GrowthGoal, rekenen.id)
        assert stored.carried_over
    summary = _log(pupil_db, "groeidocument", doc.id)[-1]
    assert summary.action == "periode toegevoegd"
    assert "Rekenen" in summary.summary


def test_closed_period_and_closed_document_are_read_only(pupil_db) -> None:
    doc = _growth(pupil_db)
    closed = _close_first_period(
        pupil_db, doc, {"Rekenen": Outcome.BEHAALD, "Spelling": Outcome.BEHAALD}
    )
    closed.periods[0].goal_for("Rekenen").goal = "Achteraf anders"
    with pytest.raises(ReadOnlyError, match="Periode 1 is afgesloten"), pupil_db.session() as s:
        plans.save_growth_document(s, closed, today=TODAY)

    with pupil_db.session() as s:
        fresh = plans.load_growth_document(s, doc.id)
        active = plans.set_growth_status(s, doc.id, DocumentStatus.ACTIEF, version=fresh.version)
        done = plans.set_growth_status(s, doc.id, DocumentStatus.AFGESLOTEN, version=active.version)
    assert done.read_only
    done.title = "Andere titel"
    with pytest.raises(ReadOnlyError), pupil_db.session() as s:
        plans.save_growth_document(s, done, today=TODAY)
    with pytest.raises(ReadOnlyError), pupil_db.session() as s:
        plans.add_period(s, doc.id, version=done.version, today=TODAY)
    with pupil_db.session() as s:
        assert plans.load_growth_document(s, doc.id).title != "Andere titel"
        reopened = plans.set_growth_status(s, doc.id, DocumentStatus.ACTIEF, version=done.version)
    assert not reopened.read_only
    actions = [e.action for e in _log(pupil_db, "groeidocument", doc.id)]
    assert actions[-3:] == ["geactiveerd", "afgesloten", "heropend"]


def test_document_with_an_open_period_cannot_be_closed(pupil_db) -> None:
    doc = _growth(pupil_db)
    with pupil_db.session() as s:
        active = plans.set_growth_status(s, doc.id, DocumentStatus.ACTIEF, version=doc.version)
    with pytest.raises(ValidationErrors, match="Sluit eerst periode 1 af"), pupil_db.session() as s:
        plans.set_growth_status(s, doc.id, DocumentStatus.AFGESLOTEN, version=active.version)


def test_reopening_a_period_is_recorded(pupil_db) -> None:
    doc = _growth(pupil_db)
    closed = _close_first_period(
        pupil_db, doc, {"Rekenen": Outcome.BEHAALD, "Spelling": Outcome.BEHAALD}
    )
    with pupil_db.session() as s:
        reopened = plans.reopen_period(s, doc.id, 1, version=closed.version, reason="Vergeten")
    assert not reopened.periods[0].closed
    last = _log(pupil_db, "groeidocument", doc.id)[-1]
    assert (last.action, last.summary) == ("periode heropend", "Vergeten")


def test_period_dates_are_checked(pupil_db) -> None:
    doc = _growth(pupil_db)
    doc.periods[0].end_date = doc.periods[0].start_date - timedelta(days=1)
    with pytest.raises(ValidationErrors) as exc, pupil_db.session() as s:
        plans.save_growth_document(s, doc, today=TODAY)
    assert "period:1:end_date" in exc.value.errors


# ---------------------------------------------------------------------- teacher evaluations


@dataclass(frozen=True)
class FakeMoment:
    """A schedule moment as the engine's contract describes it."""

    key: str
    kind: MomentKind
    due: date
    title: str
    pupil_id: int | None
    group_id: int | None
    responsible_id: int | None
    source_kind: str
    source_id: int | None
    done_on: date | None = None


def _fake_engine(moments):
    def compute(session, school_id, *, today, start=None, end=None, include_done=False):
        return [m for m in moments if end is None or m.due <= end]

    return compute


def test_teacher_tasks_keep_own_due_and_overdue_evaluations(pupil_db) -> None:
    iv = _new_intervention(pupil_db, goal="Doel", end_date=TODAY + timedelta(days=3))
    late = _new_intervention(pupil_db, goal="Later doel", start_date=TODAY - timedelta(weeks=6),
                             end_date=TODAY - timedelta(days=2))  # fmt: skip
    doc = _growth(pupil_db)
    period_id = doc.periods[0].id
    me, other = pupil_db.teacher_id, pupil_db.other_teacher_id
    pupil, iv_kind = pupil_db.pupil_id, MomentKind.INTERVENTIE
    iv_title = "Evaluatie korte interventie"
    moments = [
        FakeMoment(f"interventie:{iv.id}", iv_kind, TODAY + timedelta(days=3),
                   iv_title, pupil, None, me, "korte_interventie", iv.id),
        FakeMoment(f"interventie:{late.id}", iv_kind, TODAY - timedelta(days=2),
                   iv_title, pupil, None, me, "korte_interventie", late.id),
        FakeMoment(f"groeiperiode:{period_id}", MomentKind.GROEIDOCUMENT,
                   TODAY + timedelta(days=10),
                   "Evaluatie groeidocument", pupil_db.pupil_id, None, me, "groeidocument", doc.id),
        FakeMoment(f"interventie:{iv.id}x", MomentKind.INTERVENTIE, TODAY,
                   "Van een ander", pupil_db.pupil_id, None, other, "korte_interventie", iv.id),
        FakeMoment("meeting:1", MomentKind.MDO, TODAY, "MDO", None, None, me, "meeting", 1),
        FakeMoment(f"interventie:{iv.id}y", MomentKind.INTERVENTIE, TODAY + timedelta(days=40),
                   "Te ver weg", pupil_db.pupil_id, None, me, "korte_interventie", iv.id),
    ]  # fmt: skip
    with pupil_db.session() as s:
        tasks = plans.evaluation_tasks(
            s, pupil_db.school_id, me, today=TODAY, compute=_fake_engine(moments)
        )
    assert [t.moment_key for t in tasks] == [
        f"interventie:{late.id}",
        f"interventie:{iv.id}",
        f"groeiperiode:{period_id}",
    ]
    assert tasks[0].is_overdue(TODAY)
    assert not tasks[1].is_overdue(TODAY)
    growth = tasks[2]
    assert [t.label for t in growth.targets] == ["Rekenen", "Spelling"]
    assert growth.targets[0].goal == "Tafels 1 t/m 5"


def test_saving_an_evaluation_writes_only_evaluation_fields(pupil_db) -> None:
    iv = _new_intervention(pupil_db, goal="Doel", execution="- oefenen")
    moment = FakeMoment(
        f"interventie:{iv.id}",
        MomentKind.INTERVENTIE,
        iv.end_date,
        "Evaluatie",
        pupil_db.pupil_id,
        None,
        pupil_db.teacher_id,
        "korte_interventie",
        iv.id,
    )
    with pupil_db.session() as s:
        task = plans.load_evaluation_task(s, moment)
    target = task.targets[0]
    with pupil_db.session() as s:
        saved = plans.save_evaluation_task(
            s,
            task,
            {target.key: ("Het ging goed.", Outcome.BEHAALD)},
            evaluated_by_id=pupil_db.teacher_id,
            evaluated_on=TODAY,
            today=TODAY,
            actor="Anna",
        )
    assert saved.complete
    with pupil_db.session() as s:
        row = s.get(ShortIntervention, iv.id)
        assert (row.evaluation, row.outcome, row.evaluated_by_id, row.evaluated_on) == (
            "Het ging goed.", Outcome.BEHAALD, pupil_db.teacher_id, TODAY
        )  # fmt: skip
        assert (row.goal, row.execution) == ("Doel", "- oefenen")
        fields = s.scalars(
            sa.select(ChangeLog.field).where(ChangeLog.action == "geëvalueerd")
        ).all()
    assert sorted(fields) == sorted(["evaluatie", "uitkomst", "geëvalueerd door", "geëvalueerd op"])
    # The task loaded before this save is now stale.
    with pytest.raises(ConcurrentEditError), pupil_db.session() as s:
        plans.save_evaluation_task(
            s, task, {target.key: ("Anders", Outcome.NIET_BEHAALD)},
            evaluated_by_id=None, evaluated_on=TODAY, today=TODAY,
        )  # fmt: skip


def test_evaluation_task_needs_text_and_outcome_per_goal(pupil_db) -> None:
    doc = _growth(pupil_db)
    moment = FakeMoment(f"groeiperiode:{doc.periods[0].id}", MomentKind.GROEIDOCUMENT,
                        doc.periods[0].end_date, "Evaluatie", pupil_db.pupil_id, None,
                        pupil_db.teacher_id, "groeidocument", doc.id)  # fmt: skip
    with pupil_db.session() as s:
        task = plans.load_evaluation_task(s, moment)
    rekenen, spelling = task.targets
    with pytest.raises(ValidationErrors) as exc, pupil_db.session() as s:
        plans.save_evaluation_task(
            s, task, {rekenen.key: ("Goed", None), spelling.key: ("", Outcome.BEHAALD)},
            evaluated_by_id=None, evaluated_on=TODAY, today=TODAY,
        )  # fmt: skip
    assert set(exc.value.errors) == {f"{rekenen.key}:outcome", f"{spelling.key}:evaluation"}
    assert "(Spelling)" in exc.value.errors[f"{spelling.key}:evaluation"]
    with pupil_db.session() as s:
        saved = plans.save_evaluation_task(
            s,
            task,
            {rekenen.key: ("Goed", Outcome.BEHAALD), spelling.key: ("Matig", Outcome.NIET_BEHAALD)},
            evaluated_by_id=pupil_db.teacher_id, evaluated_on=TODAY, today=TODAY,
        )  # fmt: skip
        fresh = plans.load_growth_document(s, doc.id)
    assert saved.complete
    assert fresh.version == doc.version + 1
    assert fresh.periods[0].goal_for("Spelling").outcome == Outcome.NIET_BEHAALD
    assert fresh.periods[0].goal_for("Rekenen").goal == "Tafels 1 t/m 5"
    assert not fresh.periods[0].closed  # evaluating is not closing


def test_closed_document_refuses_evaluations(pupil_db) -> None:
    iv = _new_intervention(pupil_db, goal="Doel", evaluation="Klaar", outcome=Outcome.BEHAALD)
    with pupil_db.session() as s:
        a = plans.set_intervention_status(s, iv.id, DocumentStatus.ACTIEF, version=iv.version)
        plans.set_intervention_status(s, iv.id, DocumentStatus.AFGESLOTEN, version=a.version)
    moment = FakeMoment(
        f"interventie:{iv.id}",
        MomentKind.INTERVENTIE,
        iv.end_date,
        "Evaluatie",
        pupil_db.pupil_id,
        None,
        pupil_db.teacher_id,
        "korte_interventie",
        iv.id,
    )
    with pupil_db.session() as s:
        task = plans.load_evaluation_task(s, moment)
    assert task.read_only
    with pytest.raises(ReadOnlyError), pupil_db.session() as s:
        plans.save_evaluation_task(
            s, task, {task.targets[0].key: ("Nieuw", Outcome.NIET_BEHAALD)},
            evaluated_by_id=None, evaluated_on=TODAY, today=TODAY,
        )  # fmt: skip


def test_staff_choices_put_teachers_first_with_their_group(pupil_db) -> None:
    with pupil_db.session() as s:
        choices = plans.staff_choices(s, pupil_db.school_id)
        teachers = plans.teachers(s, pupil_db.school_id)
    assert choices[0].label == "Anna Jansen (groep 5A)"
    assert [t.name for t in teachers] == ["Anna Jansen", "Bram Bakker"]
