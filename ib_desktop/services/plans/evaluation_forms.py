"""Evaluation forms by mail: a fillable PDF per teacher, read back and saved after review.

The IB-er makes one form per teacher with the evaluations that are due (the same list as the
teachers' screen *Evaluaties*); the teacher types the evaluation and picks the outcome per goal
in any PDF reader and mails the form back. Reading it back gives a :class:`FilledForm`; a
:class:`Review` says per goal what saving would do, and :func:`apply_form` saves with the same
rules as the editors:

- every form carries its own id, the id of the database that made it (a random id kept in the
  settings table), the teacher, and per goal the record's key and the version it had when the
  form was made. A form from another database is refused; a form is applied once only (its id is
  recorded in the settings table in the same transaction as the evaluations);
- a goal changed in the app after the form was made is a conflict: it is shown beside the
  teacher's text and only overwritten when the user asks for it per goal;
- an emptied field changes nothing, and neither does a field the teacher left as the form had it;
- text is stored as typed (Unicode NFC; the readers' carriage returns become newlines).

The form's description travels in a hidden, read-only field (:data:`META_FIELD`) and, as a
second copy, in the PDF's document information (:data:`META_INFO_KEY`); the format and reading
it back live in :mod:`.form_format`, whose names this module also offers.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import long_date
from ib_desktop.models import GrowthGoal, Outcome, School, Setting, Staff
from ib_desktop.permissions import reads_whole_school
from ib_desktop.services import versioned
from ib_desktop.services.accounts.access import check_pupils_visible, session_access
from ib_desktop.validation import ReadOnlyError, ValidationErrors

from .common import DEFAULT_HORIZON_DAYS, outcome_label, staff_choices
from .evaluation_entry import save_evaluation_task
from .evaluations import EvaluationTarget, EvaluationTask, evaluation_tasks, load_evaluation_task
from .form_format import (
    APPLIED_PREFIX,
    DATABASE_ID_KEY,
    FORMAT,
    MARKER,
    META_FIELD,
    META_INFO_KEY,
    NOT_A_FORM,
    OUTCOME_CHOICES,
    FilledForm,
    FilledItem,
    FormContent,
    FormItem,
    FormRefused,
    database_id,
    evaluation_field,
    outcome_field,
    read_form,
)
from .form_format import clean_text as _clean
from .form_format import moment_from_meta as _moment
from .form_format import moment_meta as _moment_meta
from .form_format import text_hash as _text_hash

__all__ = [
    "APPLIED_PREFIX",
    "CONFLICT",
    "DATABASE_ID_KEY",
    "EMPTY",
    "FORMAT",
    "INVALID",
    "MARKER",
    "META_FIELD",
    "META_INFO_KEY",
    "NEW",
    "NOT_A_FORM",
    "OUTCOME_CHOICES",
    "UNCHANGED",
    "ApplyResult",
    "FilledForm",
    "FilledItem",
    "FormContent",
    "FormItem",
    "FormRefused",
    "Review",
    "ReviewRow",
    "apply_form",
    "database_id",
    "evaluation_field",
    "format_review",
    "make_forms",
    "outcome_field",
    "parse_within",
    "read_form",
    "review_form",
    "with_outcomes",
]

# ============================================================================ making forms


def make_forms(
    session: Session,
    school_id: int,
    *,
    today: date,
    within_days: int = DEFAULT_HORIZON_DAYS,
    teacher_id: int | None = None,
) -> list[FormContent]:
    """One form per teacher with evaluations due (or one teacher's); teachers without none.

    The contents are the teachers' screen's list: overdue and due within ``within_days``, not
    yet complete, and not read-only (closed documents cannot be evaluated by mail either).
    """
    from ib_desktop.schedule import compute_moments

    moments = compute_moments(
        session, school_id, today=today, end=today + timedelta(days=within_days)
    )

    def compute(*_args: Any, **_kwargs: Any) -> list[Any]:
        return moments  # the engine once for every teacher

    school = session.get(School, school_id)
    db_id = database_id(session)
    access = session_access(session)
    if access is not None and not reads_whole_school(access.role):
        teacher_id = access.staff_id or -1  # a teacher makes their own form, of their groups
    if teacher_id is not None:
        staff = [s for s in staff_choices(session, school_id) if s.id == teacher_id]
        if not staff:
            raise LookupError("Deze medewerker werkt niet (meer) op deze school.")
    else:
        staff = staff_choices(session, school_id)
    forms = []
    for member in staff:
        tasks = evaluation_tasks(
            session, school_id, member.id, today=today, within_days=within_days, compute=compute
        )
        items: list[FormItem] = []
        for task in tasks:
            if task.read_only or task.complete or task.moment is None:
                continue
            for t in task.targets:
                if t.is_evaluated:
                    continue
                items.append(
                    FormItem(
                        n=len(items) + 1,
                        moment=_moment_meta(task.moment),
                        target_key=t.key,
                        version=t.version,
                        pupil_name=task.pupil_name,
                        group_name=task.group_name,
                        document_title=task.document_title,
                        label=t.label,
                        goal=t.goal,
                        execution=t.execution,
                        due=task.due,
                        evaluation=t.evaluation,
                        outcome=t.outcome,
                    )
                )
        if items:
            forms.append(
                FormContent(
                    form_id=uuid.uuid4().hex,
                    database_id=db_id,
                    school_name=school.name if school else "",
                    teacher_id=member.id,
                    teacher_name=member.name,
                    made_on=today,
                    within_days=within_days,
                    items=items,
                )
            )
    return forms


# ============================================================================ review


#: What saving does with one goal.
NEW, UNCHANGED, EMPTY, CONFLICT, INVALID = "nieuw", "ongewijzigd", "leeg", "conflict", "fout"


@dataclass
class ReviewRow:
    """One goal of the form beside what the database holds now."""

    n: int
    pupil_name: str
    what: str  # "Groeidocument, periode 2 · Rekenen"
    text: str
    outcome: Outcome | None
    status: str
    note: str = ""
    stored_text: str = ""
    stored_outcome: Outcome | None = None
    #: The version stored now (a conflict is overwritten with it when the user says so).
    current_version: int | None = None
    #: Written but no outcome chosen: the outcome can be chosen in the review.
    needs_outcome: bool = False
    #: The goal was changed in the app after the form was made.
    changed_meanwhile: bool = False

    @property
    def will_save(self) -> bool:
        """Saved without asking."""
        return self.status == NEW


@dataclass
class Review:
    """What applying a returned form would do."""

    form: FilledForm
    teacher_name: str
    rows: list[ReviewRow]

    @property
    def to_save(self) -> list[ReviewRow]:
        """Rows that are saved as they are."""
        return [r for r in self.rows if r.will_save]

    @property
    def conflicts(self) -> list[ReviewRow]:
        """Rows changed in the app since the form was made."""
        return [r for r in self.rows if r.status == CONFLICT]

    def summary(self) -> str:
        """ "3 evaluaties op te slaan, 1 conflict, 2 leeg (niets gewijzigd)"."""
        counts: dict[str, int] = {}
        for r in self.rows:
            counts[r.status] = counts.get(r.status, 0) + 1
        parts = [f"{counts.get(NEW, 0)} op te slaan"]
        for status, word in (
            (CONFLICT, "intussen gewijzigd"),
            (INVALID, "niet op te slaan"),
            (UNCHANGED, "ongewijzigd"),
            (EMPTY, "leeg"),
        ):
            if counts.get(status):
                parts.append(f"{counts[status]} {word}")
        return ", ".join(parts)


def _check_identity(session: Session, school_id: int, form: FilledForm) -> Staff:
    if form.database_id != database_id(session):
        raise FormRefused(
            "Dit formulier is gemaakt met een andere database (een andere school of een andere "
            "installatie van IB Desktop). Er is niets opgeslagen."
        )
    applied = session.get(Setting, APPLIED_PREFIX + form.form_id)
    if applied is not None:
        when = ""
        value = applied.value if isinstance(applied.value, dict) else {}
        if value.get("applied_on"):
            when = f" op {long_date(date.fromisoformat(value['applied_on']))}"
        who = f" door {value['by']}" if value.get("by") else ""
        raise FormRefused(
            f"Dit formulier is al ingelezen{when}{who}. Een formulier wordt maar één keer "
            "opgeslagen; maak een nieuw formulier voor wat nog open staat."
        )
    teacher = session.get(Staff, form.teacher_id)
    if teacher is None or teacher.school_id != school_id:
        raise FormRefused("De leerkracht van dit formulier staat niet (meer) in deze database.")
    return teacher


def _what(task: EvaluationTask | None, meta: dict[str, Any]) -> str:
    doc = task.document_title if task else str(meta.get("document", ""))
    label = str(meta.get("label", ""))
    return f"{doc} · {label}" if label and label != "Doel" else doc


def _history(session: Session, task: EvaluationTask, target: EvaluationTarget) -> versioned.History:
    """Where the change log keeps this goal's changes (the same prefixes the saves write)."""
    prefixes: tuple[str, ...] = ()
    if target.kind == "groeidoel":
        goal = session.get(GrowthGoal, target.id)
        if goal is not None:
            prefixes = (f"periode {goal.period.number} · {goal.area} · ",)
    elif target.kind == "oppdoel":
        prefixes = (f"doel {target.label} · ",)
    return versioned.History(task.source_kind, task.source_id or 0, prefixes)


def review_form(session: Session, school_id: int, form: FilledForm) -> Review:
    """What applying ``form`` would do, per goal; :class:`FormRefused` for a form to refuse."""
    teacher = _check_identity(session, school_id, form)
    rows = []
    tasks: dict[str, EvaluationTask | None] = {}
    for item in form.items:
        key = str(item.meta["moment"]["key"])
        if key not in tasks:
            tasks[key] = load_evaluation_task(session, _moment(item.meta["moment"]))
        rows.append(_review_row(session, item, tasks[key]))
    # Logged in as a teacher: a form about pupils outside their groups is refused whole.
    check_pupils_visible(session, [t.pupil_id for t in tasks.values() if t], date.today())
    return Review(form=form, teacher_name=teacher.full_name, rows=rows)


def _review_row(session: Session, item: FilledItem, task: EvaluationTask | None) -> ReviewRow:
    """One goal of the form beside what is stored now, with what saving it would do."""
    m = item.meta
    target = next((t for t in task.targets if t.key == m["target"]), None) if task else None
    row = ReviewRow(
        n=item.n,
        pupil_name=str(m.get("pupil", "")) if task is None else task.pupil_name,
        what=_what(task, m),
        text=item.text,
        outcome=item.outcome,
        status=NEW,
    )
    if target is not None:
        row.stored_text = target.evaluation
        row.stored_outcome = target.outcome
        row.current_version = target.version
        row.changed_meanwhile = m.get("version") is not None and target.version != m["version"]
    untouched = _text_hash(item.text) == m.get("prefilled") and (
        (item.outcome.value if item.outcome else None) == m.get("prefilled_outcome")
    )
    if not item.text or untouched:
        row.status = EMPTY
        row.note = "Niet ingevuld: er verandert niets."
        if not item.text and item.outcome is not None:
            row.note = "Alleen een uitkomst, geen evaluatie: er verandert niets."
    elif task is None or target is None:
        row.status = INVALID
        row.note = "Dit doel bestaat niet meer."
    else:
        _judge(session, row, item, task, target)
    return row


def _judge(
    session: Session,
    row: ReviewRow,
    item: FilledItem,
    task: EvaluationTask,
    target: EvaluationTarget,
) -> None:
    """The status of a written goal whose task is still there: invalid, unchanged, conflict."""
    if task.read_only:
        row.status = INVALID
        row.note = task.read_only_reason
    elif item.outcome is None:
        row.status = INVALID
        row.needs_outcome = True
        row.note = (
            f"Onbekende uitkomst '{item.outcome_text}'." if item.outcome_text
            else "Geen uitkomst gekozen: kies behaald, deels behaald of niet behaald."
        )  # fmt: skip
    elif (_clean(target.evaluation), target.outcome) == (item.text, item.outcome):
        row.status = UNCHANGED
        row.note = "Staat al zo opgeslagen."
    elif row.changed_meanwhile:
        row.status = CONFLICT
        who, at = versioned.last_change(session, _history(session, task, target))
        when = f" op {long_date(at.date())}" if at else ""
        row.note = f"{who} heeft dit na het maken van het formulier gewijzigd{when}."


def with_outcomes(form: FilledForm, outcomes: Mapping[int, Outcome]) -> FilledForm:
    """The form with the outcomes chosen in the review for goals written without one."""
    items = tuple(
        replace(i, outcome=Outcome(outcomes[i.n]))
        if i.n in outcomes and i.outcome is None and i.text
        else i
        for i in form.items
    )
    return replace(form, items=items)


@dataclass(frozen=True)
class ApplyResult:
    """What was saved."""

    saved: int
    skipped: int
    review: Review


def apply_form(
    session: Session,
    school_id: int,
    form: FilledForm,
    *,
    today: date,
    actor: str | None = None,
    overwrite: Iterable[int] = (),
    outcomes: Mapping[int, Outcome] | None = None,
) -> ApplyResult:
    """Save the teacher's evaluations from ``form`` as theirs, once; refuses what must be.

    Goals changed in the app since the form was made are left alone unless their number is in
    ``overwrite`` (the user chose the teacher's text in the review); ``outcomes`` gives the
    outcome chosen in the review for a goal written without one. The form's id is recorded
    in the same transaction, so it cannot be applied twice, not even by two people at once.
    Raises :class:`FormRefused` and, for a save that slipped in between review and save,
    :class:`~ib_desktop.services.versioned.EditConflict` (nothing is written then).
    """
    form = with_outcomes(form, outcomes or {})
    review = review_form(session, school_id, form)
    chosen = set(overwrite)
    rows = [r for r in review.rows if r.will_save or (r.status == CONFLICT and r.n in chosen)]
    if not rows:
        raise FormRefused(
            "Er is niets op te slaan uit dit formulier: " + review.summary() + ". Er is niets "
            "gewijzigd."
        )
    session.add(
        Setting(
            key=APPLIED_PREFIX + form.form_id,
            value={
                "applied_on": today.isoformat(),
                "by": actor or "",
                "teacher_id": form.teacher_id,
                "made_on": form.made_on.isoformat(),
            },
        )
    )
    try:
        session.flush()  # a second apply of the same form at the same time fails here
    except sa.exc.IntegrityError as exc:
        session.rollback()
        raise FormRefused(
            "Dit formulier wordt op dit moment al ingelezen (of is net ingelezen) door iemand "
            "anders. Er is niets dubbel opgeslagen."
        ) from exc
    items = {i.n: i for i in form.items}
    by_moment: dict[str, list[ReviewRow]] = {}
    for r in rows:
        by_moment.setdefault(str(items[r.n].meta["moment"]["key"]), []).append(r)
    for rows_of_moment in by_moment.values():
        first = items[rows_of_moment[0].n].meta
        task = load_evaluation_task(session, _moment(first["moment"]))
        if task is None:  # pragma: no cover - the review just found it
            raise FormRefused("Een document van dit formulier bestaat niet meer.")
        versions = {}
        values = {}
        for r in rows_of_moment:
            meta = items[r.n].meta
            # The version the form was made at; a chosen overwrite takes the stored one.
            versions[meta["target"]] = r.current_version if r.n in chosen else meta["version"]
            values[meta["target"]] = (r.text, r.outcome)
        # Only the goals from the form, each at the version the form was made at: another goal
        # of the same document, half written in the app, is neither checked nor touched.
        task = replace(
            task,
            targets=[replace(t, version=versions[t.key]) for t in task.targets if t.key in values],
        )
        try:
            save_evaluation_task(
                session,
                task,
                values,
                evaluated_by_id=form.teacher_id,
                evaluated_on=today,
                today=today,
                actor=actor,
            )
        except (ReadOnlyError, ValidationErrors) as exc:
            raise FormRefused(f"{task.pupil_name}: {exc}") from exc
    return ApplyResult(saved=len(rows), skipped=len(review.rows) - len(rows), review=review)


def format_review(review: Review, *, result: ApplyResult | None = None) -> str:
    """The review as text for the command line."""
    lines = [
        f"Evaluatieformulier van {review.teacher_name}, gemaakt op "
        f"{long_date(review.form.made_on)}:"
    ]
    for r in review.rows:
        outcome = outcome_label(r.outcome) or "-"
        text = r.text.replace("\n", " ")
        if len(text) > 70:
            text = text[:69] + "…"
        lines.append(f"  {r.n:>2}. {r.pupil_name} – {r.what}: [{r.status}] {outcome}")
        if text:
            lines.append(f"      {text}")
        if r.note:
            lines.append(f"      {r.note}")
        if r.status == CONFLICT:
            stored = r.stored_text.replace("\n", " ")[:70] or "(leeg)"
            lines.append(
                f"      Nu opgeslagen: {stored} ({outcome_label(r.stored_outcome) or '-'})"
            )
    lines.append(review.summary() + ".")
    if result is not None:
        n = result.saved
        lines.append(f"{n} {'evaluatie' if n == 1 else 'evaluaties'} opgeslagen.")
    return "\n".join(lines)


def parse_within(text: str) -> int:
    """ "2w", "2 weken", "10d", "10 dagen" or "10" as a number of days; ValueError in Dutch."""
    m = re.fullmatch(r"\s*(\d{1,3})\s*(w|wk|week|weken|d|dag|dagen)?\s*", text.lower())
    if m is None:
        raise ValueError(
            f"'{text}' is geen termijn; schrijf bijvoorbeeld 2w (weken) of 10d (dagen)"
        )
    n = int(m.group(1))
    return n * 7 if (m.group(2) or "d").startswith("w") else n
