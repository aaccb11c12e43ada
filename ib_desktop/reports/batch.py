"""Printing many documents at once: what to print for a group, file names, safe writing.

Shared by the command line and the app's batch dialogs. Each document is built separately (a
short session per pupil in the app, so a long batch can be cancelled between pupils); the
results go into one PDF (with a bookmark per pupil) or one file per pupil in a folder. Files
are written to a temporary name and renamed at the end, so a cancelled or failed batch never
leaves a half-written PDF behind.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.atomic_files import write_atomic  # noqa: F401 - where the printers find it
from ib_desktop.display_safety import safe_filename
from ib_desktop.models import (
    Group,
    GrowthDocument,
    Opp,
    OppVersion,
    Pupil,
    PupilStatus,
    SchoolYear,
    ShortIntervention,
    Staff,
    sort_name,
)
from ib_desktop.services.accounts.access import check_group_visible, pupil_scope

from .errors import ReportNotFoundError

log = logging.getLogger(__name__)

KINDS = ("opp", "groeidocument", "interventie", "overview")
KIND_TITLES = {
    "opp": "OPP",
    "groeidocument": "Groeidocument",
    "interventie": "Korte interventie",
    "overview": "Ondersteuningsoverzicht",
}


@dataclass(frozen=True)
class BatchItem:
    """One document to print: for which pupil, and the record (OPP version, document...)."""

    pupil_id: int
    pupil_name: str
    sort_name: str
    record_id: int


def current_groups(session: Session, school_id: int, today: date) -> list[Group]:
    """The groups of the school year ``today`` falls in, lowest grade first.

    Without a school year for ``today`` (a database not opened this year yet) the groups that
    have pupils now are taken.
    """
    year = session.scalars(
        sa.select(SchoolYear).where(SchoolYear.start_date <= today, SchoolYear.end_date >= today)
    ).first()
    query = sa.select(Group).where(Group.school_id == school_id)
    if year is not None:
        query = query.where(Group.school_year_id == year.id)
    else:
        query = query.where(
            Group.id.in_(sa.select(Pupil.group_id).where(Pupil.group_id.is_not(None)))
        )
    groups = list(session.scalars(query))
    scope = pupil_scope(session, today)  # a teacher: the groups they teach
    if scope is not None:
        groups = [g for g in groups if g.id in scope.group_ids]
    groups.sort(key=lambda g: (g.grade_low, g.grade_high, g.name))
    return groups


def active_staff(session: Session, school_id: int) -> list[Staff]:
    """The school's active staff, by last name (for "per teacher" choices)."""
    staff = list(
        session.scalars(
            sa.select(Staff).where(Staff.school_id == school_id, Staff.active.is_(True))
        )
    )
    staff.sort(key=lambda st: (st.last_name.casefold(), st.first_name.casefold(), st.id))
    return staff


def latest_record_id(session: Session, kind: str, pupil_id: int) -> int | None:
    """The newest document of ``kind`` for a pupil (the current OPP version), or None."""
    if kind == "opp":
        return session.scalars(
            sa.select(OppVersion.id)
            .join(Opp, Opp.id == OppVersion.opp_id)
            .where(Opp.pupil_id == pupil_id)
            .order_by(Opp.start_date.desc(), Opp.id.desc(), OppVersion.number.desc())
            .limit(1)
        ).first()
    if kind == "groeidocument":
        return session.scalars(
            sa.select(GrowthDocument.id)
            .where(GrowthDocument.pupil_id == pupil_id)
            .order_by(GrowthDocument.created_at.desc(), GrowthDocument.id.desc())
            .limit(1)
        ).first()
    if kind == "interventie":
        return session.scalars(
            sa.select(ShortIntervention.id)
            .where(ShortIntervention.pupil_id == pupil_id)
            .order_by(ShortIntervention.start_date.desc(), ShortIntervention.id.desc())
            .limit(1)
        ).first()
    if kind == "overview":
        return pupil_id
    raise ValueError(f"Onbekende soort document: {kind}")


def group_items(session: Session, group_id: int, kind: str) -> list[BatchItem]:
    """Every pupil of the group (now at school) that has a document of ``kind``, by name.

    For OPPs only the OPPs that still run (no end date, or one in the future) are taken: the
    batch is for the coming conversations, not the archive. A group a teacher does not teach:
    :class:`~ib_desktop.permissions.NotAllowed`.
    """
    check_group_visible(session, group_id, date.today())
    pupils = session.execute(
        sa.select(Pupil.id, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name).where(
            Pupil.group_id == group_id, Pupil.status != PupilStatus.VERTROKKEN
        )
    ).all()
    items = []
    for pid, first, tv, last in pupils:
        if kind == "opp":
            running = session.scalars(
                sa.select(Opp.id).where(Opp.pupil_id == pid, Opp.end_date.is_(None)).limit(1)
            ).first()
            if running is None:
                continue
        record = latest_record_id(session, kind, pid)
        if record is None:
            continue
        full = " ".join(p for p in (first, tv, last) if p)
        items.append(BatchItem(pid, full, sort_name(first, tv, last), record))
    items.sort(key=lambda i: (i.sort_name.casefold(), i.pupil_id))
    return items


def build_one(session: Session, kind: str, record_id: int, **kwargs: object) -> bytes:
    """The PDF of one document of ``kind``."""
    from ib_desktop import reports

    if kind == "opp":
        return reports.opp_pdf(session, record_id, **kwargs)  # type: ignore[arg-type]
    if kind == "groeidocument":
        return reports.growth_document_pdf(session, record_id)
    if kind == "interventie":
        return reports.intervention_pdf(session, record_id)
    if kind == "overview":
        return reports.pupil_overview_pdf(session, record_id, **kwargs)  # type: ignore[arg-type]
    raise ValueError(f"Onbekende soort document: {kind}")


@dataclass(frozen=True)
class BatchFailure:
    """A document of a batch that could not be made; ``reason`` is Dutch, for the user."""

    item: BatchItem
    reason: str


@dataclass
class BatchResult:
    """What a batch made, in the order of the items, and what it could not make."""

    done: list[tuple[BatchItem, bytes]] = field(default_factory=list)
    failed: list[BatchFailure] = field(default_factory=list)
    cancelled: bool = False


def failure_reason(exc: BaseException) -> str:
    """A short Dutch reason for a document that failed (the details go to the log)."""
    if isinstance(exc, ReportNotFoundError):
        return str(exc)
    # Only the kind: reportlab puts whole paragraphs (a pupil's file) into its messages, and
    # this line reaches the screen and the terminal.
    return f"onverwachte fout ({type(exc).__name__})"


def build_all(
    items: Iterable[BatchItem],
    build: Callable[[BatchItem], bytes],
    *,
    before_each: Callable[[int, BatchItem], bool] | None = None,
) -> BatchResult:
    """Build every item's document; one that fails is reported and the others are made.

    ``before_each`` is told the index and item before each build; returning False stops the
    batch there (``cancelled`` is set).
    """
    result = BatchResult()
    for n, item in enumerate(items):
        if before_each is not None and not before_each(n, item):
            result.cancelled = True
            return result
        try:
            data = build(item)
        except Exception as exc:  # one broken document must not sink the whole batch
            log.info("Document voor %s niet gemaakt", item.pupil_name, exc_info=True)
            result.failed.append(BatchFailure(item, failure_reason(exc)))
            continue
        result.done.append((item, data))
    return result


def combine(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """Several PDFs in one, with a bookmark per part ("Sanne de Vries") to jump to."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for title, data in parts:
        start = len(writer.pages)
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            writer.add_page(page)
        if len(writer.pages) > start:
            writer.add_outline_item(title=title, page_number=start)
    writer.add_metadata({"/Creator": "IB Desktop", "/Producer": "IB Desktop"})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def file_names(kind: str, items: list[BatchItem]) -> dict[int, str]:
    """Per pupil a file name such as "OPP Vries, Sanne de.pdf" (with the id when names clash).

    Names are compared once made safe, so two pupils whose names differ only in characters a
    file name cannot hold (or beyond its length) still get a file each.
    """
    title = KIND_TITLES.get(kind, kind)
    bases = {item.pupil_id: safe_filename(f"{title} {item.sort_name}") for item in items}
    counts: dict[str, int] = {}
    for base in bases.values():
        counts[base.casefold()] = counts.get(base.casefold(), 0) + 1
    out = {}
    for pupil_id, base in bases.items():
        clash = counts[base.casefold()] > 1
        out[pupil_id] = base + (f" ({pupil_id})" if clash else "") + ".pdf"
    return out
