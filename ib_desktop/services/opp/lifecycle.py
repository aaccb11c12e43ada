"""The life cycle of an OPP version: concept -> besproken -> vastgesteld -> geëvalueerd.

Starting an OPP makes version 1 as a concept. Fixing (vaststellen) freezes a complete version
together with the pupil data of parts 1-3. Evaluating a fixed version records the results of its
goals and starts the next version as a concept with all its content, so part 12 can compare with
what was agreed before; the evaluated version is never changed again. Each step is one versioned
save (:func:`~ib_desktop.services.versioned.save_versioned`): a step on a version someone else
changed in between is refused.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import (
    Opp,
    OppConversation,
    OppForm,
    OppGoal,
    OppStatus,
    OppVersion,
    Outcome,
    Pupil,
    PupilStatus,
    School,
)
from ib_desktop.services import audit, versioned
from ib_desktop.services.opp.data import (
    DATE_FIELDS,
    ENTITY,
    OPP_ENTITY,
    TEXT_FIELDS,
    OppNotReady,
    OppVersionData,
)
from ib_desktop.services.opp.parts import REQUIRED_GOAL_AREAS, fix_problems
from ib_desktop.services.opp.store import (
    check_editable,
    check_running,
    live_snapshot,
    load_row,
    load_version,
    to_data,
    touch,
)
from ib_desktop.validation import ReadOnlyError, ValidationError, ValidationErrors

#: A step of the life cycle has no fields of its own to compare: its conflict is one sentence.
STEP = versioned.Versioned("deze OPP-versie", plain=True)


def default_next_evaluation(fixed_on: date, evaluations_per_year: int) -> date:
    """When to evaluate next: the school's rhythm (2 a year: half a year), never over a year."""
    per_year = max(1, int(evaluations_per_year or 1))
    months = max(1, round(12 / per_year))
    return min(fixed_on + relativedelta(months=months), fixed_on + relativedelta(years=1))


def carried_goal_date(
    goal_date: date | None, evaluated_on: date, evaluations_per_year: int
) -> date:
    """A goal's evaluation date in the version that follows an evaluation.

    Each goal keeps its own date: one still ahead stays as it is, one that has passed moves on
    at the school's rhythm from that date, so goals the IB-er dated apart stay apart. A goal
    without a date gets the next evaluation moment.
    """
    if goal_date is None:
        return default_next_evaluation(evaluated_on, evaluations_per_year)
    for _ in range(50):
        if goal_date > evaluated_on:
            return goal_date
        goal_date = default_next_evaluation(goal_date, evaluations_per_year)
    return default_next_evaluation(evaluated_on, evaluations_per_year)


def _evaluations_per_year(session: Session, pupil_id: int) -> int:
    """The school's rhythm of OPP evaluations (2 a year when the school is unknown)."""
    pupil = session.get(Pupil, pupil_id)
    school = session.get(School, pupil.school_id) if pupil else None
    return school.opp_evaluations_per_year if school else 2


# ------------------------------------------------------------------------------- start


def _check_can_start(session: Session, pupil: Pupil, on: date) -> None:
    """Refuse a new OPP while another runs, or before the previous one has ended."""
    if pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(f"{pupil.full_name} heeft de school verlaten; start geen nieuw OPP.")
    # An ended OPP still runs up to and including its end date; a new one starts after it.
    overlapping = session.execute(
        sa.select(Opp.id, Opp.end_date).where(
            Opp.pupil_id == pupil.id, sa.or_(Opp.end_date.is_(None), Opp.end_date >= on)
        )
    ).all()
    if any(row.end_date is None for row in overlapping):
        raise ValidationError(
            "pupil_id",
            f"{pupil.full_name} heeft al een lopend OPP; open dat OPP om verder te werken.",
        )
    if overlapping:
        last_end = max(row.end_date for row in overlapping)
        raise ValidationError(
            "pupil_id",
            f"Het vorige OPP van {pupil.full_name} loopt tot en met {short_date(last_end)}; "
            f"een nieuw OPP kan pas op {short_date(last_end + relativedelta(days=1))} starten.",
        )


def start_opp(
    session: Session,
    pupil_id: int,
    *,
    on: date,
    form: OppForm = OppForm.DERTIEN_DELEN,
    actor: str | None = None,
) -> OppVersionData:
    """A new OPP with version 1 as a concept; part 9 starts with a goal per required area."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise LookupError(f"Leerling {pupil_id} bestaat niet (meer).")
    _check_can_start(session, pupil, on)
    school = session.get(School, pupil.school_id)
    opp = Opp(pupil_id=pupil_id, start_date=on)
    version = OppVersion(
        number=1,
        status=OppStatus.CONCEPT,
        form=OppForm(form),
        funder=(school.swv_name if school else "") or "",
    )
    for position, area in enumerate(REQUIRED_GOAL_AREAS):
        version.goals.append(OppGoal(area=area, position=position, goal=""))
    opp.versions.append(version)
    session.add(opp)
    session.flush()
    audit.record(
        session,
        OPP_ENTITY,
        opp.id,
        "aangemaakt",
        summary=f"OPP gestart voor {pupil.full_name}",
        actor=actor,
    )
    return load_version(session, version.id)


# ------------------------------------------------------------------------------- discussed


def mark_discussed(
    session: Session,
    version_id: int,
    *,
    on: date,
    participants: str = "",
    summary: str = "",
    lock_version: int | None = None,
    today: date | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Record that the version was discussed with the parents; logs the conversation in part 11."""
    row = load_row(session, version_id)
    check_editable(row)

    def apply(row: OppVersion) -> None:
        if today is not None and on > today:
            raise ValidationError(
                "discussed_on",
                "Een gesprek dat nog moet plaatsvinden kan niet als gevoerd worden vastgelegd.",
            )
        row.discussed_on = on
        row.status = OppStatus.BESPROKEN
        if participants.strip() or summary.strip():
            row.conversations.append(
                OppConversation(date=on, participants=participants.strip(), summary=summary.strip())
            )
        touch(row)

    versioned.save_versioned(session, row, lock_version, {}, STEP, apply=lambda: apply(row))
    audit.record(
        session,
        ENTITY,
        row.id,
        "besproken",
        summary=f"Besproken met ouders op {short_date(on)}",
        actor=actor,
    )
    return load_version(session, row.id)


# ------------------------------------------------------------------------------- fix


def _next_evaluation_problem(on: date, next_on: date) -> str:
    """Why the next evaluation date cannot be used ("" when it can)."""
    if next_on <= on:
        return "De volgende evaluatie moet na de datum van vaststellen liggen."
    if next_on > on + relativedelta(years=1):
        return (
            "Een OPP wordt ten minste eens per jaar geëvalueerd: kies een datum uiterlijk "
            f"{short_date(on + relativedelta(years=1))}."
        )
    return ""


def fix_version(
    session: Session,
    version_id: int,
    *,
    on: date,
    next_evaluation_on: date | None = None,
    lock_version: int | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Fix (vaststellen) a version and freeze it together with the pupil data of parts 1-3.

    Refused with :class:`OppNotReady` naming every incomplete part, every guardian with gezag
    whose consent is missing or refused, and every missing school signature.
    """
    row = load_row(session, version_id)
    check_editable(row)
    next_on = on  # set by apply

    def apply(row: OppVersion) -> None:
        nonlocal next_on
        data = to_data(session, row)
        snapshot = live_snapshot(session, data.pupil_id)
        errors, parts = fix_problems(data, snapshot)
        if data.discussed_on is not None and on < data.discussed_on:
            errors["fixed_on"] = "De datum van vaststellen ligt vóór het gesprek met de ouders."
        per_year = _evaluations_per_year(session, data.pupil_id)
        next_on = next_evaluation_on or default_next_evaluation(on, per_year)
        problem = _next_evaluation_problem(on, next_on)
        if problem:
            errors["next_evaluation_on"] = problem
        if errors:
            raise OppNotReady(errors, parts)
        row.frozen_pupil = snapshot
        row.status = OppStatus.VASTGESTELD
        row.fixed_on = on
        row.next_evaluation_on = next_on
        touch(row)

    versioned.save_versioned(session, row, lock_version, {}, STEP, apply=lambda: apply(row))
    audit.record(
        session,
        ENTITY,
        row.id,
        "vastgesteld",
        summary=(
            f"Versie {row.number} vastgesteld op {short_date(on)}; "
            f"volgende evaluatie {short_date(next_on)}"
        ),
        actor=actor,
    )
    return load_version(session, row.id)


# ------------------------------------------------------------------------------- evaluate


def _check_can_evaluate(row: OppVersion, on: date, results: dict[int, tuple[Outcome, str]]) -> None:
    """Only a fixed version, on or after the day it was fixed, with a result for every goal."""
    if row.status != OppStatus.VASTGESTELD:
        raise ValidationError(
            "status",
            "Alleen een vastgestelde versie kan worden geëvalueerd."
            if row.status != OppStatus.GEEVALUEERD
            else "Deze versie is al geëvalueerd.",
        )
    errors: dict[str, str] = {}
    if row.fixed_on and on < row.fixed_on:
        errors["evaluated_on"] = "De evaluatie ligt vóór de datum van vaststellen."
    for goal in row.goals:
        if goal.id not in results or results[goal.id][0] is None:
            text = (
                (goal.goal or "").strip().splitlines()[0][:50]
                if (goal.goal or "").strip()
                else goal.area
            )
            errors[f"doel_{goal.id}"] = (
                f"Geef aan of het doel '{text}' ({goal.area.lower()}) is behaald."
            )
    ValidationErrors.collect(errors)


def _next_version(row: OppVersion, on: date, per_year: int) -> OppVersion:
    """The concept that follows an evaluated version: all its content, goals dated on."""
    new = OppVersion(
        opp_id=row.opp_id,
        number=row.number + 1,
        status=OppStatus.CONCEPT,
        form=row.form,
        previous_version_id=row.id,
        outflow=row.outflow,
        subject_levels=dict(row.subject_levels or {}),
    )
    for name in TEXT_FIELDS + DATE_FIELDS:
        setattr(new, name, getattr(row, name))
    new.evaluation = ""
    for position, goal in enumerate(row.goals):
        new.goals.append(
            OppGoal(
                area=goal.area,
                position=position,
                goal=goal.goal,
                intermediate_goals=goal.intermediate_goals,
                evaluation_date=carried_goal_date(goal.evaluation_date, on, per_year),
            )
        )
    return new


def evaluate_version(
    session: Session,
    version_id: int,
    *,
    on: date,
    results: dict[int, tuple[Outcome, str]],
    lock_version: int | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Evaluate a fixed version: record its goals' results and start the next version.

    The evaluated version keeps everything it had (and gets only the results and the
    evaluation date); the new concept copies all content and goals, each goal with its own
    evaluation date carried over (see :func:`carried_goal_date`). Returns the new version.
    """
    row = load_row(session, version_id)
    check_running(row.opp)
    made: list[OppVersion] = []

    def apply(row: OppVersion) -> None:
        _check_can_evaluate(row, on, results)
        for goal in row.goals:
            outcome, result = results[goal.id]
            goal.outcome = Outcome(outcome)
            goal.result = (result or "").strip()
        row.status = OppStatus.GEEVALUEERD
        row.evaluated_on = on
        touch(row)
        made.append(_next_version(row, on, _evaluations_per_year(session, row.opp.pupil_id)))
        session.add(made[0])

    versioned.save_versioned(session, row, lock_version, {}, STEP, apply=lambda: apply(row))
    new = made[0]
    audit.record(
        session,
        ENTITY,
        row.id,
        "geevalueerd",
        summary=f"Versie {row.number} geëvalueerd op {short_date(on)}",
        actor=actor,
    )
    audit.record(
        session,
        ENTITY,
        new.id,
        "aangemaakt",
        summary=f"Versie {new.number} gestart na evaluatie",
        actor=actor,
    )
    return load_version(session, new.id)
