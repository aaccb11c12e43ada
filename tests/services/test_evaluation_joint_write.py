"""An evaluation's goals are written together (issue 18): a conflict still names the goal.

On a SQLite file and on PostgreSQL, with two "laptops" (see ``test_concurrent_saves``).
"""

from __future__ import annotations

from typing import Any

import pytest

from ib_desktop.models import Outcome
from ib_desktop.services import plans, versioned
from tests.services.test_concurrent_saves import (  # noqa: F401 - fixtures
    Laptops,
    _evaluate,
    _growth_task,
    database_url,
    laptops,
)


def test_a_goal_saved_between_the_check_and_the_joint_write_is_named_and_nothing_is_written(
    laptops: Laptops,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ahmet evaluates both goals; his checks pass, then Bea saves Spelling, then his one write.

    The goals go to the database together (issue 18): the UPDATE that misses its version names
    Spelling, with both texts, and Rekenen is not written either (one transaction).
    """
    task = _growth_task(laptops)
    rekenen, spelling = (t.key for t in task.targets)
    real_flush = versioned.flush_many
    raced: list[bool] = []

    def bea_saves_first(*args: Any, **kwargs: Any) -> None:
        if not raced:
            raced.append(True)
            _evaluate(laptops.b, task, {spelling: ("Van Bea", Outcome.BEHAALD)}, "Bea Bakker")
        real_flush(*args, **kwargs)

    monkeypatch.setattr(versioned, "flush_many", bea_saves_first)
    values = {
        rekenen: ("Rekenen van Ahmet", Outcome.DEELS_BEHAALD),
        spelling: ("Spelling van Ahmet", Outcome.NIET_BEHAALD),
    }
    with pytest.raises(versioned.EditConflict) as refused:
        _evaluate(laptops.a, task, values, "Ahmet")
    assert raced
    assert refused.value.record_id == task.targets[1].id
    assert {f.label: (f.mine, f.theirs) for f in refused.value.fields} == {
        "evaluatie": ("Spelling van Ahmet", "Van Bea"),
        "uitkomst": ("niet behaald", "behaald"),
    }
    with laptops.b.session() as s:
        fresh = plans.load_evaluation_task(s, task.moment)
    assert {t.key: (t.evaluation, t.outcome) for t in fresh.targets} == {
        rekenen: ("", None),
        spelling: ("Van Bea", Outcome.BEHAALD),
    }
