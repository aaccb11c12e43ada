"""The evaluation form's format: its fields, the description it carries, and reading it back.

Every form carries a description of itself (:class:`FormContent`: the form's id, the id of the
database that made it, the teacher, and per goal the record's key and version) in a hidden,
read-only field (:data:`META_FIELD`) and, as a second copy, in the PDF's document information
(:data:`META_INFO_KEY`). :func:`read_form` gets it back from a returned file as a
:class:`FilledForm` with the teacher's entries. Making, reviewing and applying forms is in
:mod:`.evaluation_forms`.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.models import MomentKind, Outcome, Setting

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


def text_hash(text: str) -> str:
    """A short fingerprint of a text as prefilled, to see whether the teacher changed it."""
    return hashlib.sha256(clean_text(text).encode("utf-8")).hexdigest()[:32]


def clean_text(text: Any) -> str:
    """As typed, in NFC, with the readers' carriage returns as newlines; outer blanks off."""
    s = "" if text is None else str(text)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", s).strip()


# ============================================================================ the form's contents


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
            "prefilled": text_hash(self.evaluation),
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


def moment_meta(moment: Any) -> dict[str, Any]:
    """What the form keeps of a schedule moment, to find the evaluation task again."""
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


def moment_from_meta(meta: dict[str, Any]) -> Any:
    """The schedule moment a form's description names (to load its task again)."""
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
    text = clean_text(value).lower().replace("_", " ")
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
        info: Mapping[str, Any] = reader.metadata or {}
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
                text=clean_text(_field_value(fields, evaluation_field(n))),
                outcome=_outcome(outcome_text),
                outcome_text=clean_text(outcome_text),
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
