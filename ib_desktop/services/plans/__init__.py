"""Korte interventies and groeidocumenten: writing, evaluating, closing, and their history.

The editors and the teachers' evaluation screen never hold a session: they load a plain
dataclass here, edit it, and hand it back. Every save carries the ``version`` the data was loaded
at and goes through :func:`~ib_desktop.services.versioned.save_versioned`, so a save that would
overwrite somebody else's newer save is refused with a
:class:`~ib_desktop.validation.ConcurrentEditError` and nothing is written (the caller keeps the
unsaved text). Closed documents are read-only until they are explicitly reopened, and every change
is written to the change log field by field, so the school can show who changed what, when.

The rooms of this package:

- :mod:`.common`: what all of them share (labels, staff choices, history, the save steps);
- :mod:`.interventions`: korte interventies;
- :mod:`.growth` (the document as data), :mod:`.growth_save` (saving it, its status) and
  :mod:`.growth_periods` (adding, closing and reopening a period): groeidocumenten;
- :mod:`.evaluations` (what is due, per teacher) and :mod:`.evaluation_entry` (saving what the
  teacher writes): evaluations;
- :mod:`.evaluation_forms` (making, reviewing and applying) and :mod:`.form_format` (the
  form's fields and reading it back): the same evaluations by mail, as a fillable PDF form.

Callers use the names below: ``from ib_desktop.services import plans; plans.close_period(...)``.
"""

from __future__ import annotations

from .common import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_INTERVENTION_WEEKS,
    DEFAULT_PERIOD_WEEKS,
    EVALUATION_FIELDS,
    GOAL_FIELD_LABELS,
    GROWTH_ENTITY,
    GROWTH_FIELD_LABELS,
    INTERVENTION_ENTITY,
    INTERVENTION_FIELD_LABELS,
    OPP_VERSION_ENTITY,
    OUTCOME_LABELS,
    STATUS_LABELS,
    TYPICAL_WEEKS,
    HistoryEntry,
    StaffChoice,
    history,
    outcome_label,
    staff_choices,
    status_label,
    teachers,
)
from .evaluation_entry import save_evaluation_task
from .evaluations import (
    TEACHER_KINDS,
    EvaluationTarget,
    EvaluationTask,
    evaluation_tasks,
    load_evaluation_task,
    with_evaluation,
)
from .growth import (
    GoalData,
    GrowthData,
    PeriodData,
    available_areas,
    load_growth_document,
    new_growth_document,
)
from .growth_periods import (
    add_period,
    close_period,
    period_goals_missing_evaluation,
    reopen_period,
)
from .growth_save import save_growth_document, set_growth_status
from .interventions import (
    InterventionData,
    load_intervention,
    new_intervention,
    period_warning,
    save_intervention,
    set_intervention_status,
)

__all__ = [
    "DEFAULT_HORIZON_DAYS",
    "DEFAULT_INTERVENTION_WEEKS",
    "DEFAULT_PERIOD_WEEKS",
    "EVALUATION_FIELDS",
    "GOAL_FIELD_LABELS",
    "GROWTH_ENTITY",
    "GROWTH_FIELD_LABELS",
    "INTERVENTION_ENTITY",
    "INTERVENTION_FIELD_LABELS",
    "OPP_VERSION_ENTITY",
    "OUTCOME_LABELS",
    "STATUS_LABELS",
    "TEACHER_KINDS",
    "TYPICAL_WEEKS",
    "EvaluationTarget",
    "EvaluationTask",
    "GoalData",
    "GrowthData",
    "HistoryEntry",
    "InterventionData",
    "PeriodData",
    "StaffChoice",
    "add_period",
    "available_areas",
    "close_period",
    "evaluation_tasks",
    "history",
    "load_evaluation_task",
    "load_growth_document",
    "load_intervention",
    "new_growth_document",
    "new_intervention",
    "outcome_label",
    "period_goals_missing_evaluation",
    "period_warning",
    "reopen_period",
    "save_evaluation_task",
    "save_growth_document",
    "save_intervention",
    "set_growth_status",
    "set_intervention_status",
    "staff_choices",
    "status_label",
    "teachers",
    "with_evaluation",
]
