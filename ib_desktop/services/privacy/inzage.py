"""The register of requests to see a pupil's file (inzage, AVG article 15).

A guardian with gezag asks; the school answers within one month of receipt. When the request is
complex the term may be extended by two months, with a reason, told to the parent within the
first month. Every step is written to the pupil's change log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import Guardian, InzageRequest, Pupil
from ib_desktop.services import audit, versioned
from ib_desktop.services.pupil.data import RecordGoneError
from ib_desktop.validation import ValidationErrors

#: One month to answer (AVG art. 12(3)), two more when the request is complex.
ANSWER_MONTHS = 1
EXTENSION_MONTHS = 2

SPEC = versioned.Versioned(
    what="dit inzageverzoek",
    labels={
        "extended_on": "verlengd op",
        "extension_reason": "reden van verlenging",
        "done_on": "afgehandeld op",
        "due_on": "uiterlijk",
    },
)


def due_date(received_on: date, *, extended: bool = False) -> date:
    """The last day to answer: one month after receipt, three when extended."""
    months = ANSWER_MONTHS + (EXTENSION_MONTHS if extended else 0)
    return received_on + relativedelta(months=months)


@dataclass(frozen=True)
class RequestRow:
    """One request as the register and the dashboard show it."""

    id: int
    version: int
    pupil_id: int
    pupil: str
    requested_by: str
    received_on: date
    due_on: date
    extended_on: date | None
    extension_reason: str
    done_on: date | None
    notes: str

    @property
    def is_open(self) -> bool:
        """Not answered yet."""
        return self.done_on is None

    def is_late(self, today: date) -> bool:
        """Open after its last day."""
        return self.done_on is None and today > self.due_on

    def days_left(self, today: date) -> int:
        """Days until the last day (negative when late)."""
        return (self.due_on - today).days


def _row(request: InzageRequest, pupil: Pupil) -> RequestRow:
    return RequestRow(
        id=request.id,
        version=request.version,
        pupil_id=pupil.id,
        pupil=pupil.full_name,
        requested_by=request.requested_by,
        received_on=request.received_on,
        due_on=request.due_on,
        extended_on=request.extended_on,
        extension_reason=request.extension_reason,
        done_on=request.done_on,
        notes=request.notes,
    )


def _request_or_gone(session: Session, request_id: int) -> InzageRequest:
    request = session.get(InzageRequest, request_id)
    if request is None:
        raise RecordGoneError("Dit inzageverzoek")
    return request


def _date_problem(value: date | None, today: date, what: str, earliest: date | None) -> str:
    if value is None:
        return f"Vul de datum {what} in."
    if value > today:
        return f"De datum {what} ligt in de toekomst."
    if earliest is not None and value < earliest:
        return f"De datum {what} ligt vóór de ontvangst ({short_date(earliest)})."
    return ""


# ---------------------------------------------------------------------------- writing


def add_request(
    session: Session,
    pupil_id: int,
    guardian_id: int | None,
    received_on: date | None,
    *,
    today: date,
    notes: str = "",
    actor: str | None = None,
) -> RequestRow:
    """Register a request received from a guardian with gezag; the due date follows."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise RecordGoneError("Deze leerling")
    errors: dict[str, str] = {}
    guardian = session.get(Guardian, guardian_id) if guardian_id is not None else None
    if guardian is None or guardian.pupil_id != pupil_id:
        errors["guardian"] = "Kies de ouder of verzorger die het verzoek deed."
    elif not guardian.has_custody:
        errors["guardian"] = (
            f"{guardian.name} heeft geen gezag: alleen ouders of verzorgers met gezag hebben "
            "recht op inzage in het dossier."
        )
    if msg := _date_problem(received_on, today, "van ontvangst", None):
        errors["received_on"] = msg
    ValidationErrors.collect(errors)
    assert guardian is not None
    assert received_on is not None
    request = InzageRequest(
        pupil_id=pupil_id,
        guardian_id=guardian.id,
        requested_by=guardian.name,
        received_on=received_on,
        due_on=due_date(received_on),
        notes=notes.strip(),
        recorded_by=actor or audit.current_actor(),
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        "pupil",
        pupil_id,
        "inzageverzoek ontvangen",
        field="inzage",
        new=received_on.isoformat(),
        summary=f"Verzoek om inzage van {guardian.name}, ontvangen op {short_date(received_on)}; "
        f"uiterlijk {short_date(request.due_on)} beantwoorden.",
        actor=actor,
    )
    return _row(request, pupil)


def extend_request(
    session: Session,
    request_id: int,
    reason: str,
    *,
    extended_on: date | None,
    today: date,
    expected_version: int | None = None,
    actor: str | None = None,
) -> RequestRow:
    """Extend the term by two months; only once, with a reason, within the first month."""
    request = _request_or_gone(session, request_id)
    reason = reason.strip()
    values = {
        "extended_on": extended_on,
        "extension_reason": reason,
        "due_on": due_date(request.received_on, extended=True),
    }
    versioned.check_version(session, request, expected_version, values, SPEC)
    errors: dict[str, str] = {}
    first_term = due_date(request.received_on)
    if request.done_on is not None:
        errors["extended_on"] = "Dit verzoek is al afgehandeld."
    elif request.extended_on is not None:
        errors["extended_on"] = (
            f"De termijn is al verlengd op {short_date(request.extended_on)}; "
            "dat kan maar één keer."
        )
    elif msg := _date_problem(extended_on, today, "van verlenging", request.received_on):
        errors["extended_on"] = msg
    elif extended_on is not None and extended_on > first_term:
        errors["extended_on"] = (
            f"Verlengen moet binnen de eerste maand (uiterlijk {short_date(first_term)})."
        )
    if not reason:
        errors["extension_reason"] = "Schrijf op waarom de termijn wordt verlengd."
    ValidationErrors.collect(errors)
    versioned.save_versioned(session, request, expected_version, values, SPEC)
    audit.record(
        session,
        "pupil",
        request.pupil_id,
        "inzagetermijn verlengd",
        field="inzage",
        old=first_term.isoformat(),
        new=request.due_on.isoformat(),
        summary=f"Termijn van het inzageverzoek van {request.requested_by} verlengd tot "
        f"{short_date(request.due_on)}: {reason}",
        actor=actor,
    )
    return _row(request, request.pupil)


def complete_request(
    session: Session,
    request_id: int,
    done_on: date | None,
    *,
    today: date,
    expected_version: int | None = None,
    actor: str | None = None,
) -> RequestRow:
    """Record the day the parent received the copy or saw the file."""
    request = _request_or_gone(session, request_id)
    values = {"done_on": done_on}
    versioned.check_version(session, request, expected_version, values, SPEC)
    errors: dict[str, str] = {}
    if request.done_on is not None:
        errors["done_on"] = f"Dit verzoek is al afgehandeld op {short_date(request.done_on)}."
    elif msg := _date_problem(done_on, today, "van afhandeling", request.received_on):
        errors["done_on"] = msg
    ValidationErrors.collect(errors)
    assert done_on is not None
    versioned.save_versioned(session, request, expected_version, values, SPEC)
    late = " (na de termijn)" if done_on > request.due_on else ""
    audit.record(
        session,
        "pupil",
        request.pupil_id,
        "inzageverzoek afgehandeld",
        field="inzage",
        new=done_on.isoformat(),
        summary=f"Inzageverzoek van {request.requested_by} afgehandeld op "
        f"{short_date(done_on)}{late}.",
        actor=actor,
    )
    return _row(request, request.pupil)


# ---------------------------------------------------------------------------- reading


def pupil_requests(session: Session, pupil_id: int) -> list[RequestRow]:
    """The pupil's requests, newest first."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        return []
    requests = session.scalars(
        sa.select(InzageRequest)
        .where(InzageRequest.pupil_id == pupil_id)
        .order_by(InzageRequest.received_on.desc(), InzageRequest.id.desc())
    )
    return [_row(r, pupil) for r in requests]


def open_requests(session: Session, school_id: int) -> list[RequestRow]:
    """Requests of the school not yet answered, the earliest due first."""
    query = (
        sa.select(InzageRequest, Pupil)
        .join(Pupil, InzageRequest.pupil_id == Pupil.id)
        .where(Pupil.school_id == school_id, InzageRequest.done_on.is_(None))
        .order_by(InzageRequest.due_on, InzageRequest.id)
    )
    return [_row(request, pupil) for request, pupil in session.execute(query)]


def custody_guardians(session: Session, pupil_id: int) -> list[tuple[int, str]]:
    """The guardians with gezag who may ask: (id, name)."""
    return [
        (g.id, g.name)
        for g in session.scalars(
            sa.select(Guardian)
            .where(Guardian.pupil_id == pupil_id, Guardian.has_custody.is_(True))
            .order_by(Guardian.id)
        )
    ]
