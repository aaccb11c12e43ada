"""The printed OPP: a calm cover with a reading guide, the 13 parts, and a signature page.

Parents read this at the kitchen table and sign it, and many find an OPP hard to read. So the
cover says in plain words what the plan is and where they sign, every part carries its number
and title, tables are few and airy, and empty parts say so instead of disappearing.

One page builder per part (:data:`PRINTERS`, keyed by :class:`OppPart`): parts 1-3 in
:mod:`.pupil_parts`, 4-8 in :mod:`.plan_parts`, 9-12 in :mod:`.goal_parts`, 13 in
:mod:`.signatures`; the cover in :mod:`.cover`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from reportlab.platypus import Flowable
from sqlalchemy.orm import Session

from ib_desktop.models import Opp
from ib_desktop.services.opp.parts import PARTS, OppPart

from ..base import ALERT, ReportInfo, build_pdf, content_width
from ..errors import ReportNotFoundError
from .common import PartPrint, kept, load_version, snapshot
from .cover import cover
from .goal_parts import part9, part10, part11, part12
from .plan_parts import part4, part5, part6, part7, part8
from .pupil_parts import SENSITIVE_LINE, part1, part2, part3
from .signatures import part13

__all__ = ["PRINTERS", "SENSITIVE_LINE", "current_version_id", "opp_pdf"]

#: How each part is printed.
PRINTERS: dict[OppPart, Callable[[PartPrint], list[Flowable]]] = {
    OppPart.ALGEMEEN: part1,
    OppPart.SCHOOLLOOPBAAN: part2,
    OppPart.ONDERZOEK: part3,
    OppPart.INZET: part4,
    OppPart.FACTOREN: part5,
    OppPart.BEHOEFTEN: part6,
    OppPart.ZORG: part7,
    OppPart.UITSTROOM: part8,
    OppPart.HANDELINGSDEEL: part9,
    OppPart.AANPASSINGEN: part10,
    OppPart.ZIENSWIJZE: part11,
    OppPart.EVALUATIE: part12,
    OppPart.HANDTEKENINGEN: part13,
}


def _concept_watermark(canv: Any, _doc: Any) -> None:
    """ "CONCEPT" faintly across every page of a version that is not agreed yet."""
    canv.saveState()
    canv.setFillColor(ALERT)
    canv.setFillAlpha(0.07)
    canv.setFont("DejaVuSans-Bold", 80)
    w, h = canv._pagesize
    canv.translate(w / 2, h / 2)
    canv.rotate(40)
    canv.drawCentredString(0, 0, "CONCEPT")
    canv.restoreState()


def _no_watermark(_canv: Any, _doc: Any) -> None:
    return None


def opp_pdf(
    session: Session,
    version_id: int,
    *,
    today: date | None = None,
    include_sensitive: bool = False,
) -> bytes:
    """The OPP version as a PDF: cover, the 13 parts in order and the signature page.

    Sensitive assessments (medical, psychological) are left out unless ``include_sensitive``,
    because a printed OPP travels further than the file it comes from.
    """
    today = today or date.today()
    version = load_version(session, version_id)
    pupil = version.opp.pupil
    school = pupil.school
    snap = snapshot(version, pupil)
    name = snap.get("pupil", {}).get("full_name") or pupil.full_name
    info = ReportInfo(
        title=f"OPP {name}",
        subject=f"Ontwikkelingsperspectiefplan, versie {version.number}",
        footer=f"Vertrouwelijk · {name} · versie {version.number}",
        header_right=f"Ontwikkelingsperspectiefplan · {name}",
        logo_png=school.logo_png if school else None,
    )
    width = content_width(info)
    pp = PartPrint(session, version, snap, width, include_sensitive)
    story: list[Flowable] = cover(version, snap, school.name if school else "", width, today)
    for part in PARTS:
        flowables = PRINTERS[part](pp)
        story += kept(flowables) if part.rule.kept_together else flowables
    concept = version.status.value == "concept"
    return build_pdf(info, story, on_page=_concept_watermark if concept else _no_watermark)


def current_version_id(session: Session, pupil_id: int, number: int | None = None) -> int:
    """The id of a pupil's newest OPP version (or of version ``number`` of the newest OPP)."""
    opp = session.scalars(
        sa.select(Opp)
        .where(Opp.pupil_id == pupil_id)
        .order_by(Opp.start_date.desc(), Opp.id.desc())
    ).first()
    if opp is None or not opp.versions:
        raise ReportNotFoundError("Deze leerling heeft geen OPP.")
    if number is None:
        return opp.versions[-1].id
    for v in opp.versions:
        if v.number == number:
            return v.id
    have = ", ".join(str(v.number) for v in opp.versions)
    raise ReportNotFoundError(f"Het OPP heeft geen versie {number} (wel: {have}).")
