"""Printing many documents at once: what to print for a group, file names, safe writing.

Shared by the command line and the app's batch dialogs. Each document is built separately (a
short session per pupil in the app, so a long batch can be cancelled between pupils); the
results go into one PDF (with a bookmark per pupil) or one file per pupil in a folder. Files
are written to a temporary name and renamed at the end, so a cancelled or failed batch never
leaves a half-written PDF behind.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

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
    batch is for the coming conversations, not the archive.
    """
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


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()  # read once at import, before any thread could race on it


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


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A reader (or a crash) never sees a half-written PDF, and an existing file is only replaced
    once the new one is complete.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ib-", suffix=".pdf.part", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); a saved PDF gets the user's usual rights.
        os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
