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
second copy, in the PDF's document information (:data:`META_INFO_KEY`).
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import long_date
from ib_desktop.models import GrowthGoal, MomentKind, Outcome, School, Setting, Staff
from ib_desktop.services import plans, versioned
from ib_desktop.validation import ReadOnlyError, ValidationErrors

#: Format of the description inside the form; raised when it changes incompatibly.
FORMAT = 1
MARKER = "ib-desktop/evaluatieformulier"
META_FIELD = "ibdesktop_formulier"
META_INFO_KEY = "/IBDesktopFormulier"
DATABASE_ID_KEY = "database_id"
APPLIED_PREFIX = "evaluatieformulier/"
#: The outcome choice as the form shows it; the empty choice leaves the outcome open.
OUTCOME_CHOICES: tuple[tuple[str, Outcome | None], ...] = (
    ("(kies de uitkomst)", None),
    ("behaald", Outcome.BEHAALD),
    ("deels behaald", Outcome.DEELS_BEHAALD),
    ("niet behaald", Outcome.NIET_BEHAALD),
)
NOT_A_FORM = (
    "Dit bestand is geen evaluatieformulier van IB Desktop, of de invulvelden zijn eruit "
    "verdwenen (bijvoorbeeld door 'Afdrukken als PDF' of 'plat maken'). Vraag de leerkracht het "
    "oorspronkelijke formulier in te vullen en met 'Opslaan' te bewaren."
)


def evaluation_field(n: int) -> str:
    """The name of goal ``n``'s evaluation text field."""
    return f"evaluatie_{n}"


def outcome_field(n: int) -> str:
    """The name of goal ``n``'s outcome choice field."""
    return f"uitkomst_{n}"


class FormRefused(ValueError):
    """The file cannot be applied (not our form, another database, applied before); Dutch."""


# ============================================================================ identity


def database_id(session: Session) -> str:
    """This database's own random id, made and stored at first use."""
    setting = session.get(Setting, DATABASE_ID_KEY)
    if setting is not None and isinstance(setting.value, dict) and setting.value.get("id"):
        return str(setting.value["id"])
    value = {"id": uuid.uuid4().hex, "made_at": datetime.now().isoformat(timespec="seconds")}
    if setting is None:
        session.add(Setting(key=DATABASE_ID_KEY, value=value))
    else:
        setting.value = value
    session.flush()
    return value["id"]


def _text_hash(text: str) -> str:
    return hashlib.sha256(_clean(text).encode("utf-8")).hexdigest()[:32]


def _clean(text: Any) -> str:
    """As typed, in NFC, with the readers' carriage returns as newlines; outer blanks off."""
    s = "" if text is None else str(text)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", s).strip()


# ============================================================================ making forms


@dataclass
class FormItem:
    """One goal on a form: where it belongs, what the teacher sees, and how it was then."""

    n: int
    moment: dict[str, Any]
    target_key: str
    version: int | None
    pupil_name: str
    group_name: str
    document_title: str
    label: str
    goal: str
    execution: str
    due: date
    evaluation: str = ""
    outcome: Outcome | None = None

    def meta(self) -> dict[str, Any]:
        """What the form carries about this goal (no goal texts: only keys and versions)."""
        return {
            "n": self.n,
            "moment": self.moment,
            "target": self.target_key,
            "version": self.version,
            "pupil": self.pupil_name,
            "label": self.label,
            "document": self.document_title,
            "prefilled": _text_hash(self.evaluation),
            "prefilled_outcome": self.outcome.value if self.outcome else None,
        }


@dataclass
class FormContent:
    """What one teacher's form holds."""

    form_id: str
    database_id: str
    school_name: str
    teacher_id: int
    teacher_name: str
    made_on: date
    within_days: int
    items: list[FormItem] = field(default_factory=list)

    def meta(self) -> dict[str, Any]:
        """The description embedded in the PDF."""
        return {
            "marker": MARKER,
            "format": FORMAT,
            "form_id": self.form_id,
            "database_id": self.database_id,
            "teacher_id": self.teacher_id,
            "teacher": self.teacher_name,
            "made_on": self.made_on.isoformat(),
            "items": [i.meta() for i in self.items],
        }

    @property
    def file_stem(self) -> str:
        """ "Evaluatieformulier Jan de Vries 18-11-2026"."""
        return f"Evaluatieformulier {self.teacher_name} {self.made_on:%d-%m-%Y}"


def _moment_meta(moment: Any) -> dict[str, Any]:
    return {
        "key": moment.key,
        "kind": MomentKind(moment.kind).value,
        "due": moment.due.isoformat(),
        "title": moment.title,
        "pupil_id": moment.pupil_id,
        "group_id": moment.group_id,
        "responsible_id": moment.responsible_id,
        "source_kind": moment.source_kind,
        "source_id": moment.source_id,
    }


def _moment(meta: dict[str, Any]) -> Any:
    from ib_desktop.schedule import Moment

    return Moment(
        key=str(meta["key"]),
        kind=MomentKind(meta["kind"]),
        due=date.fromisoformat(meta["due"]),
        title=str(meta.get("title", "")),
        pupil_id=meta.get("pupil_id"),
        group_id=meta.get("group_id"),
        responsible_id=meta.get("responsible_id"),
        source_kind=str(meta.get("source_kind", "")),
        source_id=meta.get("source_id"),
        done_on=None,
    )


def make_forms(
    session: Session,
    school_id: int,
    *,
    today: date,
    within_days: int = plans.DEFAULT_HORIZON_DAYS,
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
    if teacher_id is not None:
        staff = [s for s in plans.staff_choices(session, school_id) if s.id == teacher_id]
        if not staff:
            raise LookupError("Deze medewerker werkt niet (meer) op deze school.")
    else:
        staff = plans.staff_choices(session, school_id)
    forms = []
    for member in staff:
        tasks = plans.evaluation_tasks(
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


# ============================================================================ reading back


@dataclass(frozen=True)
class FilledItem:
    """One goal as the teacher returned it."""

    n: int
    meta: dict[str, Any]
    text: str
    outcome: Outcome | None
    outcome_text: str  # as the reader stored it (to report a choice we do not know)


@dataclass(frozen=True)
class FilledForm:
    """A returned form: its description and the teacher's entries."""

    form_id: str
    database_id: str
    teacher_id: int
    teacher_name: str
    made_on: date
    items: tuple[FilledItem, ...]


def _outcome(value: str) -> Outcome | None:
    text = _clean(value).lower().replace("_", " ")
    for label, outcome in OUTCOME_CHOICES:
        if text == label:
            return outcome
    return None


def _field_value(fields: dict[str, Any], name: str) -> str:
    f = fields.get(name)
    if f is None:
        return ""
    value = f.get("/V") if hasattr(f, "get") else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value)


def read_form(data: bytes) -> FilledForm:
    """The description and entries of a returned form; :class:`FormRefused` when it is none.

    Reads the form's fields as any reader left them; the description comes from the hidden
    field, else from the document information.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        fields = reader.get_fields() or {}
        info = reader.metadata or {}
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
        raise FormRefused("Dit bestand is geen leesbare PDF.") from exc
    raw = _field_value(fields, META_FIELD) or str(info.get(META_INFO_KEY, "") or "")
    try:
        meta = json.loads(raw) if raw else None
    except ValueError:
        meta = None
    if not isinstance(meta, dict) or meta.get("marker") != MARKER:
        raise FormRefused(NOT_A_FORM)
    if int(meta.get("format", 0)) > FORMAT:
        raise FormRefused(
            "Dit formulier is gemaakt met een nieuwere versie van IB Desktop. Werk IB Desktop "
            "bij en lees het dan opnieuw in."
        )
    items_meta = meta.get("items") or []
    if items_meta and not any(evaluation_field(int(m["n"])) in fields for m in items_meta):
        raise FormRefused(NOT_A_FORM)
    items = []
    for m in items_meta:
        n = int(m["n"])
        outcome_text = _field_value(fields, outcome_field(n))
        items.append(
            FilledItem(
                n=n,
                meta=m,
                text=_clean(_field_value(fields, evaluation_field(n))),
                outcome=_outcome(outcome_text),
                outcome_text=_clean(outcome_text),
            )
        )
    return FilledForm(
        form_id=str(meta["form_id"]),
        database_id=str(meta["database_id"]),
        teacher_id=int(meta["teacher_id"]),
        teacher_name=str(meta.get("teacher", "")),
        made_on=date.fromisoformat(meta["made_on"]),
        items=tuple(items),
    )


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


def _what(task: plans.EvaluationTask | None, meta: dict[str, Any]) -> str:
    doc = task.document_title if task else str(meta.get("document", ""))
    label = str(meta.get("label", ""))
    return f"{doc} · {label}" if label and label != "Doel" else doc


def _history(
    session: Session, task: plans.EvaluationTask, target: plans.EvaluationTarget
) -> versioned.History:
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
    tasks: dict[str, plans.EvaluationTask | None] = {}
    for item in form.items:
        m = item.meta
        key = str(m["moment"]["key"])
        if key not in tasks:
            tasks[key] = plans.load_evaluation_task(session, _moment(m["moment"]))
        task = tasks[key]
        target = next((t for t in task.targets if t.key == m["target"]), None) if task else None
        row = ReviewRow(
            n=item.n,
            pupil_name=str(m.get("pupil", "")) if task is None else task.pupil_name,
            what=_what(task, m),
            text=item.text,
            outcome=item.outcome,
            status=NEW,
        )
        rows.append(row)
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
            continue
        if task is None or target is None:
            row.status = INVALID
            row.note = "Dit doel bestaat niet meer."
            continue
        if task.read_only:
            row.status = INVALID
            row.note = task.read_only_reason
            continue
        if item.outcome is None:
            row.status = INVALID
            row.needs_outcome = True
            row.note = (
                f"Onbekende uitkomst '{item.outcome_text}'." if item.outcome_text
                else "Geen uitkomst gekozen: kies behaald, deels behaald of niet behaald."
            )  # fmt: skip
            continue
        if (_clean(target.evaluation), target.outcome) == (item.text, item.outcome):
            row.status = UNCHANGED
            row.note = "Staat al zo opgeslagen."
            continue
        if row.changed_meanwhile:
            row.status = CONFLICT
            who, at = versioned.last_change(session, _history(session, task, target))
            when = f" op {long_date(at.date())}" if at else ""
            row.note = f"{who} heeft dit na het maken van het formulier gewijzigd{when}."
    return Review(form=form, teacher_name=teacher.full_name, rows=rows)


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
        task = plans.load_evaluation_task(session, _moment(first["moment"]))
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
            plans.save_evaluation_task(
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
        outcome = plans.outcome_label(r.outcome) or "-"
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
                f"      Nu opgeslagen: {stored} ({plans.outcome_label(r.stored_outcome) or '-'})"
            )
    lines.append(review.summary() + ".")
    if result is not None:
        n = result.saved
        lines.append(f"{n} {'evaluatie' if n == 1 else 'evaluaties'} opgeslagen.")
    return "\n".join(lines)


def parse_within(text: str) -> int:
    """ "2w", "2 weken", "10d", "10 dagen" or "10" as a number of days; ValueError in Dutch."""
    import re

    m = re.fullmatch(r"\s*(\d{1,3})\s*(w|wk|week|weken|d|dag|dagen)?\s*", text.lower())
    if m is None:
        raise ValueError(
            f"'{text}' is geen termijn; schrijf bijvoorbeeld 2w (weken) of 10d (dagen)"
        )
    n = int(m.group(1))
    return n * 7 if (m.group(2) or "d").startswith("w") else n
