"""Thirty teachers entering evaluations at once on one PostgreSQL database.

Each teacher is a thread with a database of its own (its own engine and connections, as each
laptop has), and every save goes through the services the evaluation screen uses. They start
together behind a barrier. Two teachers evaluate different goals of the same groeidocument (no
conflict: each goal is its own record), and everybody also evaluates one of two "hot" goals
that all of them loaded at the same version. Then: every save either landed or was refused as
an :class:`EditConflict`, never a raw database error or a deadlock; each own goal holds its
teacher's text; exactly one evaluation of each hot goal landed and its text is the winner's; the
change log has a line per landed save, none for a refused one.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from ib_desktop.models import ChangeLog, Group, MomentKind, Outcome, Staff, StaffRole
from ib_desktop.services import plans, versioned
from ib_desktop.services import pupil as pf
from ib_desktop.services.school import create_school, ensure_school_year
from ib_desktop.storage import Database, open_database
from tests.conftest import TODAY
from tests.services.test_plans import FakeMoment

WRITERS = 30
HOT = 2


def _growth_moment(db: Database, pupil_id: int) -> FakeMoment:
    with db.session() as s:
        data = plans.new_growth_document(s, pupil_id, today=TODAY)
    data.periods[0].goal_for("Rekenen").goal = "Tafels 1 t/m 5"
    data.periods[0].goal_for("Spelling").goal = "Woorden met -ng"
    with db.session() as s:
        doc = plans.save_growth_document(s, data, today=TODAY)
    period = doc.periods[0]
    return FakeMoment(
        f"groeiperiode:{period.id}", MomentKind.GROEIDOCUMENT, period.end_date, "Evaluatie",
        pupil_id, None, None, "groeidocument", doc.id,
    )  # fmt: skip


@pytest.fixture
def school(pg_url: str) -> tuple[str, list[FakeMoment]]:
    """15 pupils with a groeidocument of two goals each (one goal per teacher), plus one more."""
    db = open_database(pg_url)
    moments = []
    with db.session() as s:
        school = create_school(s, "OBS De Drukte", brin="99ZZ", swv_name="SWV", today=TODAY)
        year = ensure_school_year(s, TODAY)
        teacher = Staff(school_id=school.id, first_name="Anna", last_name="Jansen",
                        role=StaffRole.LEERKRACHT)  # fmt: skip
        group = Group(school_id=school.id, school_year_id=year.id, name="5A", grade_low=5,
                      grade_high=5, teachers=[teacher])  # fmt: skip
        s.add_all([teacher, group])
        s.flush()
        pupil_ids = [
            pf.create_pupil(
                s, school.id,
                pf.PupilData(first_name=f"Zoë {n}", last_name="Çelik", birth_date=date(2017, 5, 1),
                             group_id=group.id),
                today=TODAY,
            ).id
            for n in range(WRITERS // 2 + 1)
        ]  # fmt: skip
    for pupil_id in pupil_ids:
        moments.append(_growth_moment(db, pupil_id))
    db.dispose()
    return pg_url, moments


def test_thirty_teachers_saving_at_once_lose_nothing(school) -> None:
    url, moments = school
    own_moments, hot_moment = moments[:-1], moments[-1]
    barrier = threading.Barrier(WRITERS)
    results: dict[int, dict[str, str]] = {}
    errors: list[BaseException] = []

    def teacher(n: int) -> None:
        db = open_database(url)
        try:
            with db.session() as s:
                own = plans.load_evaluation_task(s, own_moments[n // 2])
                hot = plans.load_evaluation_task(s, hot_moment)
            own_key = own.targets[n % 2].key
            hot_key = hot.targets[n % HOT].key
            outcome: dict[str, str] = {}
            barrier.wait(timeout=60)
            for label, task, key in (("own", own, own_key), ("hot", hot, hot_key)):
                text = f"Evaluatie van juf {n}: ging goed 👍"
                try:
                    db.run(
                        lambda s, task=task, key=key, text=text: plans.save_evaluation_task(
                            s, task, {key: (text, Outcome.BEHAALD)}, evaluated_by_id=None,
                            evaluated_on=TODAY, today=TODAY, actor=f"Juf {n}",
                        )
                    )  # fmt: skip
                    outcome[label] = "saved"
                except versioned.EditConflict:
                    outcome[label] = "conflict"
            results[n] = outcome
        except BaseException as exc:  # noqa: BLE001 - every other error is the test's failure
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=teacher, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a writer hangs (deadlock?)"
    assert errors == [], [f"{type(e).__name__}: {e}" for e in errors]
    assert len(results) == WRITERS
    # Different goals of one document are no conflict: every teacher's own goal landed.
    assert Counter(r["own"] for r in results.values()) == {"saved": WRITERS}
    # All loaded each hot goal at the same version: exactly one save per hot goal landed.
    hot_saved = [n for n, r in results.items() if r["hot"] == "saved"]
    assert sorted(n % HOT for n in hot_saved) == list(range(HOT))
    db = open_database(url)
    try:
        with db.session() as s:
            for n in range(WRITERS):
                task = plans.load_evaluation_task(s, own_moments[n // 2])
                target = task.targets[n % 2]
                assert target.evaluation == f"Evaluatie van juf {n}: ging goed 👍"
                assert target.outcome is Outcome.BEHAALD
            hot = plans.load_evaluation_task(s, hot_moment)
            assert sorted(t.evaluation for t in hot.targets) == sorted(
                f"Evaluatie van juf {n}: ging goed 👍" for n in hot_saved
            )
            logged = Counter(
                s.scalars(
                    sa.select(ChangeLog.actor).where(ChangeLog.entity == "groeidocument")
                )
            )
    finally:
        db.dispose()
    # The change log has the same lines for every landed save, none for a refused one.
    per_save = {logged[f"Juf {n}"] for n in range(WRITERS) if n not in hot_saved}
    assert len(per_save) == 1
    lines = per_save.pop()
    assert lines > 0
    assert all(logged[f"Juf {n}"] == 2 * lines for n in hot_saved)
    teachers = sum(n for actor, n in logged.items() if actor.startswith("Juf "))
    assert teachers == lines * (WRITERS + HOT)
