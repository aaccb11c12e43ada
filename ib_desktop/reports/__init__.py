"""Printed documents as PDF (reportlab platypus, no Qt, so printing also works without a screen).

Every function reads what it needs in the caller's session, never writes, and returns the PDF
as bytes; the caller shows it (``ui.pdf_preview``), saves it or prints it. A document of a pupil
outside the logged-in teacher's groups is refused here, for every caller (print dialogs, the
pupil file, ``ib-desktop print``), with :class:`~ib_desktop.permissions.NotAllowed`; the role
a session works with also limits what a report includes. The submodules are
imported on first use so that importing this package stays cheap for the editors.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .errors import BuildCancelled, ReportNotFoundError

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from ib_desktop.permissions import Role

def _check_pupil(session: Session, pupil_id: int | None, today: date | None = None) -> None:
    """NotAllowed for a pupil outside the session's scope (accounts off: nothing to check)."""
    from ib_desktop.services.accounts.access import check_pupils_visible

    check_pupils_visible(session, [pupil_id], today or date.today())


def _check_record(session: Session, model: type, record_id: int) -> None:
    """The same for a document's record (its ``pupil_id``); a missing record is left to the
    report's own Dutch "not found"."""
    import sqlalchemy as sa

    pupil_id = session.scalar(sa.select(model.pupil_id).where(model.id == record_id))  # type: ignore[attr-defined]
    _check_pupil(session, pupil_id)


def _role(session: Session, role: Role) -> Role:
    """The role asked for, else the role the session works with (None: accounts off)."""
    from ib_desktop.services.accounts.access import session_role

    return role if role is not None else session_role(session)


__all__ = [
    "BuildCancelled",
    "ReportNotFoundError",
    "growth_document_pdf",
    "group_overview_pdf",
    "intervention_pdf",
    "opp_pdf",
    "opp_summary_pdf",
    "profile_pdf",
    "pupil_overview_pdf",
    "schedule_pdf",
]


def opp_pdf(
    session: Session,
    version_id: int,
    *,
    today: date | None = None,
    include_sensitive: bool = False,
    role: Role = None,
) -> bytes:
    """One OPP version: cover, the 13 parts, the signature page for parents, IB-er and directeur.

    Sensitive assessments are printed only with ``include_sensitive`` and only for a role that
    may read them (:func:`ib_desktop.permissions.reads_restricted`); otherwise a line says that
    a confidential report was left out.
    """
    import sqlalchemy as sa

    from ib_desktop.models import Opp, OppVersion
    from ib_desktop.permissions import reads_restricted

    from .opp import opp_pdf as build

    _check_pupil(
        session,
        session.scalar(
            sa.select(Opp.pupil_id).join(OppVersion).where(OppVersion.id == version_id)
        ),
        today,
    )
    include_sensitive = include_sensitive and reads_restricted(_role(session, role))
    return build(session, version_id, today=today, include_sensitive=include_sensitive)


def growth_document_pdf(session: Session, document_id: int) -> bytes:
    """A groeidocument as the school's form: per period and area goal, need, plan, evaluation."""
    from ib_desktop.models import GrowthDocument

    from .plans import growth_document_pdf as build

    _check_record(session, GrowthDocument, document_id)
    return build(session, document_id)


def intervention_pdf(session: Session, intervention_id: int) -> bytes:
    """A korte interventie as the school's form."""
    from ib_desktop.models import ShortIntervention

    from .plans import intervention_pdf as build

    _check_record(session, ShortIntervention, intervention_id)
    return build(session, intervention_id)


def schedule_pdf(
    session: Session,
    school_id: int,
    *,
    start: date,
    end: date,
    group_id: int | None = None,
    teacher_id: int | None = None,
    per_teacher: bool = False,
    today: date,
    progress: Callable[[int], bool] | None = None,
) -> bytes:
    """The evaluation schedule from ``start`` to ``end``: what is due, for whom, who evaluates.

    Open moments from before ``start`` that are overdue come first, marked "te laat". With
    ``per_teacher`` every teacher gets a section on its own pages, to hand out. ``progress`` is
    told each new page number; returning False cancels (:class:`BuildCancelled`).
    """
    from .schedule import schedule_pdf as build

    return build(
        session,
        school_id,
        start=start,
        end=end,
        group_id=group_id,
        teacher_id=teacher_id,
        per_teacher=per_teacher,
        today=today,
        progress=progress,
    )


def pupil_overview_pdf(session: Session, pupil_id: int, *, today: date | None = None) -> bytes:
    """A pupil's support over the years: the level timeline and the documents per school year."""
    from .overview import pupil_overview_pdf as build

    _check_pupil(session, pupil_id, today)
    return build(session, pupil_id, today=today)


def group_overview_pdf(
    session: Session,
    school_id: int,
    *,
    group_id: int | None = None,
    with_names: bool | None = None,
    today: date | None = None,
) -> bytes:
    """Pupils per support level per group (counts; names too for one group or on request)."""
    from ib_desktop.services.accounts.access import check_group_visible

    from .overview import group_overview_pdf as build

    if group_id is not None:  # the whole school: a teacher gets their own groups (batch)
        check_group_visible(session, group_id, today or date.today())
    return build(session, school_id, group_id=group_id, with_names=with_names, today=today)


def profile_pdf(
    session: Session, pupil_id: int, *, today: date | None = None, role: Role = None
) -> bytes:
    """One A4 page for a meeting: strengths, needs, level, running documents, agreements.

    Confidential meeting notes are left out for a role that may not read them.
    """
    from .profile import profile_pdf as build

    _check_pupil(session, pupil_id, today)
    return build(session, pupil_id, today=today, role=_role(session, role))


def opp_summary_pdf(session: Session, pupil_id: int, *, today: date | None = None) -> bytes:
    """The newest OPP for parents on one A4 page, in plain language, with the consent box.

    A pupil without an OPP gives :class:`ReportNotFoundError` with a Dutch message.
    """
    from .opp_summary import opp_summary_pdf as build

    _check_pupil(session, pupil_id, today)
    return build(session, pupil_id, today=today)
