"""Part 13 of the printed OPP: a signature block for every guardian with gezag and the school.

A guardian's block says whether they consented to the handelingsdeel (or leaves two boxes to
tick on paper); a signature drawn on screen is printed in place.
"""

from __future__ import annotations

import io
from typing import Any

import sqlalchemy as sa
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, PageBreak, Spacer, Table
from sqlalchemy.orm import Session

from ib_desktop.models import OppSignature, OppVersion, SignatureRole, Staff, StaffRole
from ib_desktop.services import labels
from ib_desktop.services.opp.parts import OppPart

from ..base import MUTED, cell, esc, fmt_date, para, paragraph, spacer, styles, table_style
from .common import PartPrint

INTRO = (
    "Met uw handtekening als ouder of verzorger met gezag geeft u toestemming voor het "
    "handelingsdeel: de doelen in deel 9. Over het "
    "uitstroomperspectief (deel 8) zoeken we samen met u overeenstemming. De "
    "ondersteuning van uw kind gaat door, ook zolang u nog niet getekend heeft."
)


def _signer(
    role: str, name: str, signature: Any, *, consent: Any = None, guardian: bool = False
) -> dict[str, Any]:
    return {
        "role": role,
        "name": name,
        "signature": signature,
        "consent": consent,
        "guardian": guardian,
    }


def _guardian_signers(version: OppVersion, snap: dict[str, Any]) -> list[dict[str, Any]]:
    """Each guardian with gezag, with their signature and consent when given."""
    by_guardian = {s.guardian_id: s for s in version.signatures if s.guardian_id is not None}
    consent = {c.guardian_id: c for c in version.consents if c.guardian_id is not None}
    return [
        _signer(
            f"Ouder/verzorger ({g.get('relation') or 'ouder'})",
            g.get("name", ""),
            by_guardian.get(g.get("id")),
            consent=consent.get(g.get("id")),
            guardian=True,
        )
        for g in snap.get("guardians", [])
        if g.get("has_custody")
    ]


def _other_signers(version: OppVersion, listed: set[int]) -> list[dict[str, Any]]:
    """Parents without a guardian record, the pupil, then the teachers who signed."""
    signers = []
    for sig in version.signatures:
        if sig.role in (SignatureRole.OUDER, SignatureRole.LEERLING) and id(sig) not in listed:
            if sig.role == SignatureRole.OUDER and sig.guardian_id is not None:
                continue  # a guardian who signed earlier but no longer has gezag
            signers.append(
                _signer(
                    labels.label(labels.SIGNATURE_ROLE, sig.role),
                    sig.name,
                    sig,
                    guardian=sig.role == SignatureRole.OUDER,
                )
            )
    signers += [
        _signer("Leerkracht", sig.name, sig)
        for sig in version.signatures
        if sig.role == SignatureRole.LEERKRACHT
    ]
    return signers


def _signers(session: Session, version: OppVersion, snap: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone who signs: each guardian with gezag, then the IB-er and the directeur."""
    signers = _guardian_signers(version, snap)
    listed = {id(s["signature"]) for s in signers if s["signature"] is not None}
    signers += _other_signers(version, listed)
    school_id = version.opp.pupil.school_id
    for role, staff_role, title in (
        (SignatureRole.IB, StaffRole.IB, "Intern begeleider"),
        (SignatureRole.DIRECTIE, StaffRole.DIRECTIE, "Directeur"),
    ):
        sig = next((s for s in version.signatures if s.role == role), None)
        name = sig.name if sig else _staff_name(session, school_id, staff_role)
        signers.append(_signer(title, name, sig))
    return signers


def _staff_name(session: Session, school_id: int, role: StaffRole) -> str:
    staff = session.scalars(
        sa.select(Staff)
        .where(Staff.school_id == school_id, Staff.role == role, Staff.active.is_(True))
        .order_by(Staff.id)
        .limit(1)
    ).first()
    return staff.full_name if staff else ""


def _consent_line(signer: dict[str, Any]) -> Any:
    """A guardian's answer, two boxes to tick on paper, or (for the school) an empty line."""
    if not signer["guardian"]:
        return Spacer(1, styles().cell.leading)  # keeps the signature lines of a row level
    c = signer["consent"]
    if c is None:
        return cell("☐ akkoord met het handelingsdeel    ☐ niet akkoord")
    return cell(
        "Akkoord met het handelingsdeel" if c.consent else "Niet akkoord met het handelingsdeel"
    )


def _drawn(sig: OppSignature | None, width: float) -> Any:
    """The signature drawn on screen, scaled to the line; blank space to sign on otherwise."""
    if sig is None or not sig.image_png:
        return spacer(16)
    try:
        img = Image(io.BytesIO(sig.image_png))
        scale = min((width - 8) / img.imageWidth, 16 * mm / img.imageHeight)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        img.hAlign = "LEFT"
        return img
    except Exception:  # an unreadable capture still leaves the line to sign on
        return spacer(16)


def _signature_block(signer: dict[str, Any], width: float) -> Table:
    st = styles()
    sig: OppSignature | None = signer["signature"]
    rows: list[list[Any]] = [
        [paragraph(esc(signer["role"]), st.cell_head)],
        [paragraph(esc(signer["name"]) if signer["name"] else "Naam: ", st.cell_bold)],
        [_consent_line(signer)],
        [cell(f"Datum: {fmt_date(sig.signed_on)}" if sig else "Datum:")],
        [_drawn(sig, width)],
        [paragraph("Handtekening", st.muted)],
    ]
    table = Table(rows, colWidths=[width])
    n = len(rows)
    table.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, n - 2), (-1, n - 2), 0.6, MUTED),
            ]
        )
    )
    return table


def part13(pp: PartPrint) -> list[Flowable]:
    """Handtekeningen: always on a new page, two signature blocks side by side."""
    part = OppPart.HANDTEKENINGEN
    width = pp.width
    out: list[Flowable] = [
        PageBreak(),
        paragraph(esc(f"{part.number}. {part.title}"), styles().h1),
        para(INTRO, markup=True),
        spacer(4),
    ]
    col = (width - 10 * mm) / 2
    blocks = [_signature_block(s, col) for s in _signers(pp.session, pp.version, pp.snap)]
    rows = [
        blocks[i : i + 2] + ([""] if i + 1 >= len(blocks) else []) for i in range(0, len(blocks), 2)
    ]
    grid = Table(rows, colWidths=[col + 10 * mm, col])
    grid.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 10 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9 * mm),
            ]
        )
    )
    out.append(grid)
    return out
