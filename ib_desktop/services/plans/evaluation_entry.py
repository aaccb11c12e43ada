"""Saving what a teacher evaluates: the evaluation text, the outcome, by whom and when.

Only those fields are written, whatever the document is (a korte interventie, a groeidocument
goal, an OPP goal). Each evaluated record is its own lock: it goes through
:func:`~ib_desktop.services.versioned.save_versioned` at the version the teacher loaded it, so
somebody else's evaluation of the same goal is refused, while the teacher's own earlier save of
another goal of the same document is not. The document's version moves too, so an editor open
on it cannot overwrite the evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.models import DocumentStatus, OppStatus, OppVersion, Outcome, ShortIntervention
from ib_desktop.services import audit, versioned
from ib_desktop.validation import ReadOnlyError, ValidationErrors

from .common import (
    EVALUATION_FIELDS,
    GOAL_FIELD_LABELS,
    GROWTH_ENTITY,
    INTERVENTION_ENTITY,
    INTERVENTION_FIELD_LABELS,
    OPP_VERSION_ENTITY,
    bump_version,
    check_pupil_writable,
    clean,
    display,
)
from .evaluations import EvaluationTask, load_evaluation_task
from .growth import load_growth_row

#: What a teacher writes per target: (evaluation, outcome), by the target's key.
Filled = dict[str, tuple[str, Outcome | None]]
#: One line of the history: (field, old, new).
Line = tuple[str, str, str]


def save_evaluation_task(
    session: Session,
    task: EvaluationTask,
    values: dict[str, tuple[str, Outcome | None]],
    *,
    evaluated_by_id: int | None,
    evaluated_on: date,
    today: date,
    actor: str | None = None,
) -> EvaluationTask:
    """Write the evaluations of a task: only evaluation, outcome, evaluated by and on.

    ``values`` maps a target's key to (evaluation, outcome). Every target that gets anything
    needs both; at least one target must be filled. Each evaluated goal (or korte interventie)
    must still be at the version it was loaded at; a goal saved by someone else in between is
    refused with a :class:`~ib_desktop.services.versioned.EditConflict`. The document's own
    version is not checked here: a teacher's earlier save of another goal of the same OPP or
    groeidocument raised it, and that is no conflict.
    """
    filled = _filled(task, values, evaluated_on, today)
    if task.read_only:
        raise ReadOnlyError(task.read_only_reason)
    # Only what the user changed is written: a goal shown as it was loaded is left alone, so
    # its evaluation saved meanwhile elsewhere (another window, a colleague) is not undone.
    filled = {
        key: value
        for key, value in filled.items()
        if _changed_by_user(task, key, value, evaluated_by_id, evaluated_on)
    }
    if not filled:
        pass  # nothing changed: nothing to write, the task is read again below
    elif task.source_kind == INTERVENTION_ENTITY:
        _save_intervention_evaluation(session, task, filled, evaluated_by_id, evaluated_on, actor)
    elif task.source_kind == GROWTH_ENTITY:
        _save_growth_evaluation(session, task, filled, evaluated_by_id, evaluated_on, actor)
    elif task.source_kind == OPP_VERSION_ENTITY:
        _save_opp_evaluation(session, task, filled, actor)
    else:  # pragma: no cover - guarded by load_evaluation_task
        raise ValueError(task.source_kind)
    session.expire_all()
    fresh = load_evaluation_task(session, task.moment) if task.moment is not None else None
    return fresh if fresh is not None else task


def _filled(
    task: EvaluationTask,
    values: dict[str, tuple[str, Outcome | None]],
    evaluated_on: date,
    today: date,
) -> Filled:
    """The targets the teacher wrote something for; both text and outcome, or Dutch errors."""
    errors: dict[str, str] = {}
    filled: Filled = {}
    labels = {t.key: t.label for t in task.targets}
    for t in task.targets:
        text, outcome = values.get(t.key, (t.evaluation, t.outcome))
        text = clean(text)
        outcome = Outcome(outcome) if outcome else None
        if not text and outcome is None:
            continue
        what = "" if len(task.targets) == 1 else f" ({labels[t.key]})"
        if not text:
            errors[f"{t.key}:evaluation"] = f"Schrijf de evaluatie{what}."
        if outcome is None:
            errors[f"{t.key}:outcome"] = f"Kies de uitkomst{what}."
        filled[t.key] = (text, outcome)
    if not filled and not errors:
        errors["evaluation"] = "Schrijf de evaluatie en kies de uitkomst."
    if evaluated_on > today:
        errors["evaluated_on"] = "De evaluatiedatum ligt in de toekomst."
    ValidationErrors.collect(errors)
    return filled


def _changed_by_user(
    task: EvaluationTask,
    key: str,
    value: tuple[str, Outcome | None],
    evaluated_by_id: int | None,
    evaluated_on: date,
) -> bool:
    """True when the values for a target differ from what the task was loaded with."""
    target = next((t for t in task.targets if t.key == key), None)
    if target is None:
        return True
    if (clean(target.evaluation), target.outcome) != value:
        return True
    if task.source_kind == OPP_VERSION_ENTITY:
        return False  # an OPP goal keeps no evaluator or date of its own
    return (target.evaluated_by_id, target.evaluated_on) != (evaluated_by_id, evaluated_on)


def _evaluation_spec(
    session: Session, what: str, entity: str, entity_id: int, field_prefix: str
) -> versioned.Versioned:
    """How the evaluation of one goal checks its version and tells who changed it."""
    return versioned.Versioned(
        what=what,
        labels={"evaluation": "evaluatie", "result": "evaluatie", "outcome": "uitkomst"},
        show=lambda key, value: display(session, key, value),
        history=versioned.History(entity, entity_id, (field_prefix,) if field_prefix else ()),
    )


def _history_lines(
    session: Session, prefix: str, labels: Mapping[str, str], lines: list[Line]
) -> Callable[[str, Any, Any], None]:
    """The save's change logger: each changed field as the history shows it, into ``lines``."""

    def log(key: str, old: Any, new: Any) -> None:
        lines.append((prefix + labels[key], display(session, key, old), display(session, key, new)))

    return log


def _record(
    session: Session, entity: str, entity_id: int, lines: list[Line], actor: str | None
) -> None:
    for fld, old, new in lines:
        audit.record(
            session, entity, entity_id, "geëvalueerd", field=fld, old=old, new=new, actor=actor
        )


def _save_intervention_evaluation(
    session: Session,
    task: EvaluationTask,
    filled: Filled,
    evaluated_by_id: int | None,
    evaluated_on: date,
    actor: str | None,
) -> None:
    iv = session.get(ShortIntervention, task.source_id)
    if iv is None:
        raise LookupError("Deze korte interventie bestaat niet (meer).")
    if iv.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError("Deze korte interventie is afgesloten.")
    check_pupil_writable(iv.pupil)
    key = f"korte_interventie:{iv.id}"
    text, outcome = filled[key]
    target = next((t for t in task.targets if t.key == key), None)
    loaded = target.version if target is not None and target.version is not None else task.version

    def refuse() -> None:
        if evaluated_on < iv.start_date:
            raise ValidationErrors(
                {"evaluated_on": "De evaluatiedatum ligt vóór de start van de interventie."}
            )

    labels = {k: INTERVENTION_FIELD_LABELS[k.removesuffix("_id")] for k in EVALUATION_FIELDS}
    lines: list[Line] = []
    mine = {"evaluation": text, "outcome": outcome}
    versioned.save_versioned(
        session,
        iv,
        loaded,
        {**mine, "evaluated_by_id": evaluated_by_id, "evaluated_on": evaluated_on},
        _evaluation_spec(session, "deze korte interventie", INTERVENTION_ENTITY, iv.id, ""),
        mine=mine,
        before=refuse,
        log=_history_lines(session, "", labels, lines),
    )
    _record(session, INTERVENTION_ENTITY, iv.id, lines, actor)


def _save_goals(
    session: Session,
    task: EvaluationTask,
    filled: Filled,
    goals: Mapping[int, tuple[str, str, Any]],
    *,
    entity: str,
    entity_id: int,
    result_field: str,
    extra: Mapping[str, Any],
    labels: Mapping[str, str],
    what: str,
) -> list[Line]:
    """Save each evaluated goal at the version it was loaded at (not the document's).

    ``goals`` holds per goal id the goal's own name in a conflict, its prefix in the history,
    and the stored goal. The goal is what a teacher writes; evaluating goal 1 raises its own
    version and the document's, so checking the document would refuse the teacher's next goal
    as if somebody else had saved. Another person's evaluation of the same goal is refused.
    """
    versions = {t.key: t.version for t in task.targets}
    lines: list[Line] = []
    checks = []
    for key, (text, outcome) in filled.items():
        found = goals.get(int(key.split(":")[1]))
        if found is None:  # removed in the editor after the task was loaded
            raise versioned.EditConflict(what, gone=True)
        goal_what, prefix, goal = found
        mine = {result_field: text, "outcome": outcome}
        spec = _evaluation_spec(session, goal_what, entity, entity_id, prefix)
        versioned.stage_versioned(
            session,
            goal,
            versions.get(key),
            {**mine, **extra},
            spec,
            mine=mine,
            log=_history_lines(session, prefix, labels, lines),
        )
        checks.append((goal, versions.get(key), mine, spec))
    # All goals in one flush (still an UPDATE each: each checks its own version); a goal
    # another person saved in between is named in the conflict, as when flushed one by one.
    versioned.flush_many(session, checks, what)
    return lines


def _save_growth_evaluation(
    session: Session,
    task: EvaluationTask,
    filled: Filled,
    evaluated_by_id: int | None,
    evaluated_on: date,
    actor: str | None,
) -> None:
    what = "dit groeidocument"
    doc = load_growth_row(session, task.source_id)  # type: ignore[arg-type]
    if doc.status == DocumentStatus.AFGESLOTEN:
        raise ReadOnlyError("Dit groeidocument is afgesloten.")
    check_pupil_writable(doc.pupil)
    periods = {g.id: p for p in doc.periods for g in p.goals}
    for key in filled:
        period = periods.get(int(key.split(":")[1]))
        if period is not None and period.closed:
            raise ReadOnlyError(f"Periode {period.number} is afgesloten.")
    goals = {
        g.id: (
            f"de evaluatie van {g.area} (periode {p.number})",
            f"periode {p.number} · {g.area} · ",
            g,
        )
        for p in doc.periods
        for g in p.goals
    }
    lines = _save_goals(
        session,
        task,
        filled,
        goals,
        entity=GROWTH_ENTITY,
        entity_id=doc.id,
        result_field="evaluation",
        extra={"evaluated_by_id": evaluated_by_id, "evaluated_on": evaluated_on},
        labels={k: GOAL_FIELD_LABELS[k.removesuffix("_id")] for k in EVALUATION_FIELDS},
        what=what,
    )
    if lines:
        # The document's version moves too, so an editor open on it cannot overwrite this.
        bump_version(session, doc)
        _record(session, GROWTH_ENTITY, doc.id, lines, actor)


def _save_opp_evaluation(
    session: Session, task: EvaluationTask, filled: Filled, actor: str | None
) -> None:
    """OPP goals keep their evaluation in ``result`` and ``outcome``; each goal is its own lock."""
    what = "dit OPP"
    version = session.get(OppVersion, task.source_id)
    if version is None:
        raise LookupError("Dit OPP bestaat niet (meer).")
    if version.status == OppStatus.GEEVALUEERD:
        raise ReadOnlyError("Deze OPP-versie is al geëvalueerd en wordt niet meer gewijzigd.")
    check_pupil_writable(version.opp.pupil)
    goals = {
        g.id: (f"de evaluatie van het doel {g.area}", f"doel {g.area} · ", g) for g in version.goals
    }
    lines = _save_goals(
        session,
        task,
        filled,
        goals,
        entity=OPP_VERSION_ENTITY,
        entity_id=version.id,
        result_field="result",
        extra={},
        labels={"result": "evaluatie", "outcome": "uitkomst"},
        what=what,
    )
    if lines:
        # The OPP version's own number moves too, so the OPP editor cannot overwrite this.
        bump_version(session, version)
        _record(session, OPP_VERSION_ENTITY, version.id, lines, actor)
