"""Evaluations that are due: what a teacher evaluates, loaded from a schedule moment.

A schedule moment (a korte interventie ending, a groeidocument period ending, an OPP goal due)
becomes an :class:`EvaluationTask` whose targets (:class:`EvaluationTarget`) are the goals with
the context a teacher needs and the version each was loaded at. Saving what the teacher writes is in
:mod:`.evaluation_entry`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import (
    DocumentStatus,
    GrowthDocument,
    GrowthPeriod,
    MomentKind,
    OppGoal,
    OppStatus,
    OppVersion,
    Outcome,
    PupilStatus,
    ShortIntervention,
)

from .common import DEFAULT_HORIZON_DAYS, GROWTH_ENTITY, INTERVENTION_ENTITY, OPP_VERSION_ENTITY
from .growth import growth_data, growth_query


@dataclass
class EvaluationTarget:
    """One thing a teacher evaluates: a korte interventie, a groeidocument goal or an OPP goal."""

    kind: str  # "korte_interventie" | "groeidoel" | "oppdoel"
    id: int
    label: str
    goal: str
    support_need: str = ""
    execution: str = ""
    evaluation: str = ""
    outcome: Outcome | None = None
    evaluated_by_id: int | None = None
    evaluated_on: date | None = None
    carried_over_note: str = ""
    #: The version of the evaluated record itself (the goal, or the korte interventie) as loaded:
    #: the unit a teacher writes, and so the unit a save checks (see ``save_evaluation_task``).
    version: int | None = None

    @property
    def key(self) -> str:
        """Stable key of the target within a task ("groeidoel:12")."""
        return f"{self.kind}:{self.id}"

    @property
    def is_evaluated(self) -> bool:
        """Evaluation text and outcome are both there."""
        return bool(self.evaluation.strip()) and self.outcome is not None


@dataclass
class EvaluationTask:
    """The evaluations behind one schedule moment, with the context a teacher needs."""

    moment_key: str
    kind: MomentKind
    due: date
    title: str
    pupil_id: int | None
    pupil_name: str
    group_name: str
    source_kind: str
    source_id: int | None
    version: int
    targets: list[EvaluationTarget]
    document_title: str = ""
    read_only_reason: str = ""
    done_on: date | None = None
    responsible_id: int | None = None
    #: The schedule moment the task was made from (to reload it after a save).
    moment: Any = None

    @property
    def read_only(self) -> bool:
        """Closed documents and fixed evaluations are not written from the teachers' screen."""
        return bool(self.read_only_reason)

    @property
    def complete(self) -> bool:
        """Every target has its evaluation and outcome."""
        return bool(self.targets) and all(t.is_evaluated for t in self.targets)

    def is_overdue(self, today: date) -> bool:
        """Not yet evaluated and the due date has passed."""
        return not self.complete and self.done_on is None and self.due < today

    @property
    def kind_label(self) -> str:
        """ "Korte interventie", "Groeidocument, periode 2", "OPP-doel"."""
        return {
            MomentKind.INTERVENTIE: "Korte interventie",
            MomentKind.GROEIDOCUMENT: "Groeidocument",
            MomentKind.OPP_DOEL: "OPP-doel",
        }.get(self.kind, self.title)


#: The moment kinds a teacher evaluates on the teachers' screen.
TEACHER_KINDS = (MomentKind.INTERVENTIE, MomentKind.GROEIDOCUMENT, MomentKind.OPP_DOEL)


def _ints(key: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", key.split(":", 1)[1] if ":" in key else key)]


def _intervention_task(session: Session, moment: Any) -> EvaluationTask | None:
    iv = session.get(ShortIntervention, moment.source_id)
    if iv is None:
        return None
    reason = ""
    if iv.status == DocumentStatus.AFGESLOTEN:
        reason = "Deze korte interventie is afgesloten."
    elif iv.pupil.status == PupilStatus.VERTROKKEN:
        reason = "Deze leerling heeft de school verlaten."
    target = EvaluationTarget(
        kind="korte_interventie",
        id=iv.id,
        label="Doel",
        goal=iv.goal,
        support_need=iv.support_need,
        execution=iv.execution,
        evaluation=iv.evaluation,
        outcome=Outcome(iv.outcome) if iv.outcome else None,
        evaluated_by_id=iv.evaluated_by_id,
        evaluated_on=iv.evaluated_on,
        version=iv.version,
    )
    return EvaluationTask(
        moment_key=moment.key,
        kind=MomentKind(moment.kind),
        due=moment.due,
        title=moment.title,
        pupil_id=iv.pupil_id,
        pupil_name=iv.pupil.full_name,
        group_name=iv.group_name or (iv.pupil.group.name if iv.pupil.group else ""),
        source_kind=INTERVENTION_ENTITY,
        source_id=iv.id,
        version=iv.version,
        targets=[target],
        document_title=(
            f"Korte interventie {short_date(iv.start_date)} t/m {short_date(iv.end_date)}"
        ),
        read_only_reason=reason,
        done_on=moment.done_on,
        responsible_id=moment.responsible_id,
        moment=moment,
    )


def _growth_period_from_moment(doc: GrowthDocument, moment: Any) -> GrowthPeriod | None:
    numbers = _ints(moment.key)
    by_id = {p.id: p for p in doc.periods}
    for n in numbers:
        if n in by_id:
            return by_id[n]
    # Fall back to the period that ends on the due date, then the newest open one.
    for p in doc.periods:
        if p.end_date == moment.due:
            return p
    open_periods = [p for p in doc.periods if not p.closed]
    return open_periods[0] if open_periods else (doc.periods[-1] if doc.periods else None)


def _growth_task(session: Session, moment: Any) -> EvaluationTask | None:
    doc = session.scalars(growth_query(moment.source_id)).first()
    if doc is None:
        return None
    period = _growth_period_from_moment(doc, moment)
    if period is None:
        return None
    data = growth_data(doc)
    pdata = next(p for p in data.periods if p.id == period.id)
    reason = ""
    if doc.status == DocumentStatus.AFGESLOTEN:
        reason = "Dit groeidocument is afgesloten."
    elif period.closed:
        reason = f"Periode {period.number} is afgesloten."
    elif doc.pupil.status == PupilStatus.VERTROKKEN:
        reason = "Deze leerling heeft de school verlaten."
    goal_versions = {g.id: g.version for p in doc.periods for g in p.goals}
    targets = []
    for g in data.visible_goals(pdata):
        if not g.has_goal or g.id is None:
            continue
        targets.append(
            EvaluationTarget(
                kind="groeidoel",
                id=g.id,
                label=g.area,
                goal=g.goal,
                support_need=g.support_need,
                execution=g.execution,
                evaluation=g.evaluation,
                outcome=g.outcome,
                evaluated_by_id=g.evaluated_by_id,
                evaluated_on=g.evaluated_on,
                carried_over_note=g.carried_over_note,
                version=goal_versions.get(g.id),
            )
        )
    return EvaluationTask(
        moment_key=moment.key,
        kind=MomentKind(moment.kind),
        due=moment.due,
        title=moment.title,
        pupil_id=doc.pupil_id,
        pupil_name=doc.pupil.full_name,
        group_name=doc.group_name or (doc.pupil.group.name if doc.pupil.group else ""),
        source_kind=GROWTH_ENTITY,
        source_id=doc.id,
        version=doc.version,
        targets=targets,
        document_title=f"{doc.title}, periode {period.number}",
        read_only_reason=reason,
        done_on=moment.done_on,
        responsible_id=moment.responsible_id,
        moment=moment,
    )


_OPP_GOAL_KEY = re.compile(r":doel:(\d+)")


def _opp_goals_for_moment(session: Session, moment: Any) -> tuple[OppVersion | None, list[OppGoal]]:
    """The OPP goal behind an "OPP-doel" moment: the engine puts its id in the key."""
    m = _OPP_GOAL_KEY.search(moment.key)
    if m is None:
        return None, []
    goal = session.get(OppGoal, int(m.group(1)))
    if goal is None:
        return None, []
    return goal.opp_version, [goal]


def _opp_task(session: Session, moment: Any) -> EvaluationTask | None:
    version, goals = _opp_goals_for_moment(session, moment)
    if version is None or not goals:
        return None
    reason = ""
    if version.status == OppStatus.GEEVALUEERD:
        reason = "Deze OPP-versie is al geëvalueerd."
    pupil = version.opp.pupil
    if pupil.status == PupilStatus.VERTROKKEN:
        reason = "Deze leerling heeft de school verlaten."
    targets = [
        EvaluationTarget(
            kind="oppdoel",
            id=g.id,
            label=g.area,
            goal=g.goal,
            execution=g.intermediate_goals,
            evaluation=g.result,
            outcome=Outcome(g.outcome) if g.outcome else None,
            version=g.version,
        )
        for g in goals
    ]
    return EvaluationTask(
        moment_key=moment.key,
        kind=MomentKind(moment.kind),
        due=moment.due,
        title=moment.title,
        pupil_id=pupil.id,
        pupil_name=pupil.full_name,
        group_name=pupil.group.name if pupil.group else "",
        source_kind=OPP_VERSION_ENTITY,
        source_id=version.id,
        version=version.version,
        targets=targets,
        document_title=f"OPP, versie {version.number}",
        read_only_reason=reason,
        done_on=moment.done_on,
        responsible_id=moment.responsible_id,
        moment=moment,
    )


def load_evaluation_task(session: Session, moment: Any) -> EvaluationTask | None:
    """The evaluations behind a schedule moment (None when its document is gone)."""
    kind = MomentKind(moment.kind)
    source = getattr(moment, "source_kind", "")
    if kind == MomentKind.INTERVENTIE or source == "korte_interventie":
        return _intervention_task(session, moment)
    if kind == MomentKind.GROEIDOCUMENT or source == "groeidocument":
        return _growth_task(session, moment)
    if kind == MomentKind.OPP_DOEL:
        return _opp_task(session, moment)
    return None  # an OPP evaluation with the parents is written in the OPP editor


def evaluation_tasks(
    session: Session,
    school_id: int,
    teacher_id: int,
    *,
    today: date,
    within_days: int = DEFAULT_HORIZON_DAYS,
    compute: Callable[..., list[Any]] | None = None,
) -> list[EvaluationTask]:
    """The evaluations of a teacher's pupils that are overdue or due within ``within_days``.

    The schedule engine decides what is due; this keeps the moments the teacher is responsible
    for, of the kinds a teacher evaluates, sorted by due date (overdue first).
    """
    if compute is None:
        from ib_desktop.schedule import compute_moments

        compute = compute_moments
    moments = compute(session, school_id, today=today, end=today + timedelta(days=within_days))
    tasks = []
    for m in moments:
        if m.responsible_id != teacher_id or MomentKind(m.kind) not in TEACHER_KINDS:
            continue
        if m.done_on is not None or m.due > today + timedelta(days=within_days):
            continue
        task = load_evaluation_task(session, m)
        if task is not None and task.targets:
            tasks.append(task)
    tasks.sort(key=lambda t: (t.due, t.pupil_name.lower(), t.moment_key))
    return tasks


def with_evaluation(
    task: EvaluationTask, key: str, evaluation: str, outcome: Outcome | None
) -> EvaluationTask:
    """A copy of ``task`` with one target's evaluation replaced (handy for the UI's state)."""
    targets = [
        replace(t, evaluation=evaluation, outcome=outcome) if t.key == key else t
        for t in task.targets
    ]
    return replace(task, targets=targets)
