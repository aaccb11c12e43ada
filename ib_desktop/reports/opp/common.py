"""What every page builder of the printed OPP shares: the version it prints and small helpers.

A part is printed by a function that takes one :class:`PartPrint` (the version, the pupil data
of parts 1-3, the width of the page) and returns its flowables, headed by :func:`part_heading`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph
from sqlalchemy.orm import Session, joinedload, selectinload

from ib_desktop.models import Opp, OppVersion, Pupil
from ib_desktop.services.opp.parts import OppPart
from ib_desktop.services.snapshot import pupil_snapshot

from ..base import cell, esc, paragraph, styles
from ..errors import ReportNotFoundError
from ..markdown import markdown_flowables


@dataclass(frozen=True)
class PartPrint:
    """What a part's page builder needs: the stored version and how parts 1-3 show the pupil."""

    session: Session
    version: OppVersion
    snap: dict[str, Any]
    width: float
    include_sensitive: bool = False


def md(text: str | None, style: Any = None) -> list[Flowable]:
    """Text as written in the editor (bullets, bold) as flowables."""
    return markdown_flowables(text, style or styles().cell)


def md_or_dash(text: str | None) -> list[Flowable] | Paragraph:
    """The text, or an empty cell when there is none."""
    flow = md(text)
    return flow if flow else cell("")


def part_heading(part: OppPart) -> list[Flowable]:
    """ "9. Handelingsdeel: doelen", on a new page when less than 4 cm is left."""
    return [CondPageBreak(40 * mm), paragraph(esc(f"{part.number}. {part.title}"), styles().h1)]


def kept(flowables: list[Flowable]) -> list[Flowable]:
    """A short part on one page: its heading and content are not torn apart by a page end."""
    return [flowables[0], KeepTogether(flowables[1:])]


def widths(width: float, fractions: list[float]) -> list[float]:
    """Column widths as fractions of the page's width."""
    return [width * f for f in fractions]


def load_version(session: Session, version_id: int) -> OppVersion:
    """The version with all it prints, in a few queries; ReportNotFoundError when gone."""
    version = session.scalars(
        sa.select(OppVersion)
        .where(OppVersion.id == version_id)
        .options(
            selectinload(OppVersion.goals),
            selectinload(OppVersion.conversations),
            selectinload(OppVersion.consents),
            selectinload(OppVersion.signatures),
            # The one-to-one parents come in the same query (one round trip, not three).
            joinedload(OppVersion.opp).joinedload(Opp.pupil).joinedload(Pupil.school),
            joinedload(OppVersion.previous_version).selectinload(OppVersion.goals),
        )
    ).first()
    if version is None:
        raise ReportNotFoundError(f"Er is geen OPP-versie met nummer {version_id}.")
    return version


def snapshot(version: OppVersion, pupil: Pupil) -> dict[str, Any]:
    """Parts 1-3 as agreed (frozen) or, for a version still being written, as they are now."""
    if version.is_frozen and version.frozen_pupil:
        return version.frozen_pupil
    return pupil_snapshot(pupil)
