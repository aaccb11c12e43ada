"""Ending an OPP (date and reason, for the national registry) and undoing that end.

An ended OPP is read-only and is planned up to and including its end date. The end date is a
column of the OPP; the reason lives in the change log, where :func:`opp_period` reads it back.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import Opp, OppVersion, Pupil, PupilStatus
from ib_desktop.services import audit
from ib_desktop.services.opp.data import ENDED_ACTION, OPP_ENTITY, REOPENED_ACTION, OppPeriod
from ib_desktop.services.opp.store import blank, end_reason, load_opp
from ib_desktop.validation import ReadOnlyError, ValidationError, ValidationErrors


def opp_period(session: Session, opp_id: int) -> OppPeriod:
    """The OPP's start and end (with the reason it ended, from the change log)."""
    opp = load_opp(session, opp_id)
    pupil = session.get(Pupil, opp.pupil_id)
    return OppPeriod(
        opp_id=opp.id,
        pupil_id=opp.pupil_id,
        pupil_name=pupil.full_name if pupil else "",
        start_date=opp.start_date,
        end_date=opp.end_date,
        end_reason=end_reason(session, opp.id) if opp.end_date is not None else "",
    )


def _latest_agreement(session: Session, opp_id: int) -> tuple[date, int, str] | None:
    """The newest day a version was fixed or evaluated: (day, version number, what)."""
    latest: tuple[date, int, str] | None = None
    for version in session.scalars(sa.select(OppVersion).where(OppVersion.opp_id == opp_id)):
        for on, what in (
            (version.fixed_on, "vastgesteld"),
            (version.evaluated_on, "geëvalueerd"),
        ):
            if on is not None and (latest is None or on > latest[0]):
                latest = (on, version.number, what)
    return latest


def _end_date_problem(session: Session, opp: Opp, end_date: date, today: date | None) -> str:
    """Why the OPP cannot end on ``end_date`` ("" when it can)."""
    if end_date < opp.start_date:
        return (
            f"Het OPP is gestart op {short_date(opp.start_date)}; de einddatum kan niet "
            "daarvoor liggen."
        )
    if today is not None and end_date > today:
        return (
            "Een OPP kan niet in de toekomst worden beëindigd; kies vandaag of een eerdere datum."
        )
    latest = _latest_agreement(session, opp.id)
    if latest is not None and end_date < latest[0]:
        on, number, what = latest
        return (
            f"Versie {number} is op {short_date(on)} {what}; de einddatum kan niet daarvoor liggen."
        )
    return ""


def end_problems(
    session: Session, opp_id: int, end_date: date | None, reason: str, *, today: date | None = None
) -> dict[str, str]:
    """What stands in the way of ending the OPP on ``end_date`` (field -> Dutch message).

    The end may not lie before the start, nor before the newest version was fixed or
    evaluated (what was agreed with the parents on that day was in force), nor after today:
    an ended OPP is read-only at once, so it ends when the support has ended.
    """
    opp = load_opp(session, opp_id)
    errors: dict[str, str] = {}
    if blank(reason):
        errors["reason"] = "Vul de reden in waarom het OPP wordt beëindigd."
    if end_date is None:
        errors["end_date"] = "Vul de einddatum van het OPP in."
        return errors
    problem = _end_date_problem(session, opp, end_date, today)
    if problem:
        errors["end_date"] = problem
    return errors


def end_opp(
    session: Session,
    opp_id: int,
    *,
    end_date: date,
    reason: str,
    today: date | None = None,
    actor: str | None = None,
) -> OppPeriod:
    """End an OPP: it is planned up to and including ``end_date`` and read-only from now on.

    The end date goes to the national registry; the reason is kept in the change log. Refused
    with ReadOnlyError for a pupil who left, ValidationError when the OPP has already ended and
    ValidationErrors (``reason``, ``end_date``) for bad input. ``today``, when given, refuses an
    end in the future. Undo with :func:`reopen_opp`.
    """
    opp = load_opp(session, opp_id)
    pupil = opp.pupil
    if pupil is not None and pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(
            f"{pupil.full_name} heeft de school verlaten; het OPP kan alleen nog worden ingezien."
        )
    if opp.end_date is not None:
        raise ValidationError("status", f"Dit OPP is al beëindigd op {short_date(opp.end_date)}.")
    ValidationErrors.collect(end_problems(session, opp_id, end_date, reason, today=today))
    opp.end_date = end_date
    session.flush()
    audit.record(
        session,
        OPP_ENTITY,
        opp.id,
        ENDED_ACTION,
        field="end_date",
        old="",
        new=end_date.isoformat(),
        summary=f"OPP beëindigd op {short_date(end_date)}: {reason.strip()}",
        actor=actor,
    )
    return opp_period(session, opp.id)


def _check_can_reopen(session: Session, opp: Opp) -> None:
    """Refused for a pupil who left, a running OPP, and when a newer OPP has started since."""
    pupil = opp.pupil
    if pupil is not None and pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(
            f"{pupil.full_name} heeft de school verlaten; het OPP blijft beëindigd. Registreer "
            "eerst de terugkeer van de leerling."
        )
    if opp.end_date is None:
        raise ValidationError(
            "status", "Dit OPP loopt nog; er is geen beëindiging om ongedaan te maken."
        )
    newer = session.scalar(
        sa.select(Opp.start_date)
        .where(
            Opp.pupil_id == opp.pupil_id,
            Opp.id != opp.id,
            sa.or_(Opp.start_date >= opp.start_date, Opp.end_date.is_(None)),
        )
        .order_by(Opp.start_date.desc())
        .limit(1)
    )
    if newer is not None:
        name = pupil.full_name if pupil else "deze leerling"
        raise ValidationError(
            "status",
            f"Na dit OPP is op {short_date(newer)} een nieuw OPP voor {name} gestart; "
            "alleen dat OPP kan lopen. Dit OPP blijft beëindigd.",
        )


def reopen_opp(session: Session, opp_id: int, *, actor: str | None = None) -> OppPeriod:
    """Undo the end of an OPP: it runs (and is planned and editable) again.

    Refused for a pupil who left, for an OPP that is running, and when a newer OPP of the pupil
    has started since (a pupil has one running OPP).
    """
    opp = load_opp(session, opp_id)
    _check_can_reopen(session, opp)
    ended_on = opp.end_date
    assert ended_on is not None  # checked above
    reason = end_reason(session, opp.id)
    opp.end_date = None
    session.flush()
    audit.record(
        session,
        OPP_ENTITY,
        opp.id,
        REOPENED_ACTION,
        field="end_date",
        old=ended_on.isoformat(),
        new="",
        summary=(
            f"Beëindiging van {short_date(ended_on)} ongedaan gemaakt"
            + (f" (reden was: {reason})" if reason else "")
            + "; het OPP loopt weer."
        ),
        actor=actor,
    )
    return opp_period(session, opp.id)
