"""The SWV packet: what an admission committee needs, in at most 12 pages instead of 80.

A cover page lists what is in (with the page where it starts) and what was left out and why;
then the five parts of an onderwijskundig rapport in their legal order, then the latest fixed
OPP as printed by ``reports.opp`` (without sensitive reports). When the whole would pass 12
pages, the packet's own parts are shortened step by step (long texts cut with "zie dossier",
long lists to their newest entries) and the cover says so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak
from sqlalchemy.orm import Session

from ib_desktop.dates import long_date
from ib_desktop.services.swv_packet import MAX_PAGES, PacketData, read_packet

from .base import (
    ReportInfo,
    build_pdf,
    content_width,
    empty_note,
    esc,
    field_table,
    fmt_date,
    grid_table,
    heading_block,
    paragraph,
    spacer,
    styles,
)
from .errors import ReportNotFoundError

#: (characters per text, entries per list) from the first try to the tightest.
BUDGETS: list[tuple[int | None, int | None]] = [
    (None, None),
    (1200, 12),
    (600, 8),
    (300, 5),
    (150, 3),
]
SECTIONS = [
    "1. Administratieve gegevens",
    "2. Schoolloopbaan en resultaten",
    "3. Sociaal-emotionele ontwikkeling en gedrag",
    "4. Begeleiding: wat belemmert, vastgestelde beperkingen, gegeven ondersteuning",
    "5. Verzuim",
]


@dataclass
class Packet:
    """The finished packet: the PDF and what the export log needs."""

    pdf: bytes
    pages: int
    data: PacketData
    shortened: bool


def _cut(text: str, limit: int | None) -> str:
    text = (text or "").strip()
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " … (zie dossier)"


def _last(items: list, limit: int | None) -> tuple[list, int]:
    if limit is None or len(items) <= limit:
        return items, 0
    return items[-limit:], len(items) - limit


def _more(n: int, what: str) -> list[Flowable]:
    if not n:
        return []
    return [paragraph(esc(f"{n} eerdere {what} niet opgenomen: zie dossier."), styles().muted)]


def _cover(data: PacketData, starts: dict[str, int], opp_start: int | None, today: date,
           shortened: bool, width: float) -> list[Flowable]:  # fmt: skip
    st = styles()
    story: list[Flowable] = [
        paragraph("SWV-pakket voor de commissie van toelating", st.title),
        paragraph(esc(data.name), st.subtitle),
        field_table(
            [
                ("Leerling", data.name),
                ("Geboortedatum", fmt_date(data.birth_date)),
                ("School", f"{data.school}" + (f" (BRIN {data.brin})" if data.brin else "")),
                ("Samenwerkingsverband", data.swv or "-"),
                ("Gemaakt op", long_date(today)),
            ],
            width,
        ),
        spacer(4),
        paragraph("Wat erin zit", st.h2),
    ]
    rows = [[s, str(starts.get(s, ""))] for s in SECTIONS]
    if data.opp_version_id is not None:
        rows.append([f"Bijlage: {data.opp_label}", str(opp_start or "")])
    story.append(grid_table(["Onderdeel", "Pagina"], rows, [width - 25 * mm, 25 * mm]))
    story += [spacer(4), paragraph("Wat er niet in zit", st.h2)]
    story.append(
        grid_table(["Wat", "Waarom"], [[w, why] for w, why in data.left_out],
                   [width * 0.45, width * 0.55])  # fmt: skip
    )
    if shortened:
        story.append(spacer(3))
        story.append(
            paragraph(
                esc(
                    "Om binnen 12 pagina's te blijven zijn lange teksten ingekort en lange "
                    "lijsten tot de nieuwste regels beperkt; het volledige dossier ligt op school."
                ),
                st.muted,
            )
        )
    story.append(PageBreak())
    return story


def _sections(data: PacketData, chars: int | None, items: int | None,
              width: float) -> list[tuple[str, list[Flowable]]]:  # fmt: skip
    st = styles()
    out: list[tuple[str, list[Flowable]]] = []
    # 1. administrative data
    admin: list[Flowable] = [
        field_table(
            [
                ("Naam", data.name),
                ("Geboortedatum", fmt_date(data.birth_date)),
                ("Geslacht", data.gender or "-"),
                ("Groep", data.group or "-"),
                ("Eerste schooldag", fmt_date(data.first_school_day)),
                ("Ingeschreven", fmt_date(data.enrolled_on)),
                ("Gezinssituatie", _cut(data.family, chars) or "-"),
            ],
            width,
        ),
        paragraph("Ouders / verzorgers", st.h3),
        grid_table(
            ["Naam", "Relatie", "Gezag"],
            [[n, r, "ja" if g else "nee"] for n, r, g in data.guardians],
            [width * 0.5, width * 0.3, width * 0.2],
        )
        if data.guardians
        else empty_note("Geen ouders of verzorgers vastgelegd."),
    ]
    if data.care:
        admin += [
            paragraph("Hulpverlening", st.h3),
            grid_table(["Organisatie", "Soort", "Rond"], [list(c) for c in data.care],
                       [width * 0.45, width * 0.35, width * 0.2]),  # fmt: skip
        ]
    out.append((SECTIONS[0], admin))
    # 2. school career and results
    career: list[Flowable] = []
    if data.history:
        career.append(
            grid_table(["Soort", "School / instelling", "Van", "Tot"],
                       [[k, i, fmt_date(s), fmt_date(e)] for k, i, s, e in data.history],
                       [width * 0.18, width * 0.46, width * 0.18, width * 0.18])  # fmt: skip
        )
    if data.groups:
        career.append(paragraph("Groepen", st.h3))
        career.append(paragraph(esc(", ".join(f"{y}: groep {g}" for y, g in data.groups)),
                                st.body))  # fmt: skip
    career.append(paragraph("Ondersteuningsniveaus", st.h3))
    levels, skipped = _last(data.levels, items)
    career.append(
        grid_table(["Van", "Tot", "Niveau", "Reden"],
                   [[fmt_date(s), fmt_date(e) if e else "nu", n + (f" ({a})" if a else ""),
                     _cut(r, chars)] for s, e, n, a, r in levels],
                   [width * 0.15, width * 0.15, width * 0.3, width * 0.4])  # fmt: skip
        if levels
        else empty_note("Geen niveaus vastgelegd.")
    )
    career += _more(skipped, "niveaus")
    career.append(paragraph("Onderzoek en resultaten (vrijgegeven)", st.h3))
    found, skipped = _last(data.assessments, items)
    career.append(
        grid_table(["Datum", "Onderzoek", "Door", "Conclusie"],
                   [[fmt_date(a.date), a.kind, a.performed_by, _cut(a.conclusion, chars)]
                    for a in found],
                   [width * 0.14, width * 0.22, width * 0.2, width * 0.44])  # fmt: skip
        if found
        else empty_note("Geen onderzoeksverslagen die mee mogen.")
    )
    career += _more(skipped, "onderzoeken")
    out.append((SECTIONS[1], career))
    # 3. social-emotional development and behaviour
    social, skipped = _last(data.social, items)
    out.append(
        (
            SECTIONS[2],
            [
                grid_table(["Waar", "Doel", "Evaluatie"],
                           [[w, _cut(g, chars), _cut(e, chars)] for w, g, e in social],
                           [width * 0.26, width * 0.37, width * 0.37])  # fmt: skip
                if social
                else empty_note("Geen doelen voor sociaal-emotionele ontwikkeling of gedrag."),
                *_more(skipped, "doelen"),
            ],
        )
    )
    # 4. guidance
    guidance: list[Flowable] = [paragraph("Wat belemmert", st.h3)]
    guidance.append(
        paragraph(esc(_cut(data.hindering, chars)), st.body)
        if data.hindering.strip()
        else empty_note("Niet vastgelegd in een vastgesteld OPP.")
    )
    if data.promoting.strip():
        guidance += [paragraph("Wat helpt", st.h3),
                     paragraph(esc(_cut(data.promoting, chars)), st.body)]  # fmt: skip
    guidance.append(paragraph("Vastgestelde beperkingen", st.h3))
    declared = [a for a in data.assessments if a.declaration or a.conclusion.strip()]
    declared, _n = _last(declared, items)
    guidance.append(
        grid_table(["Datum", "Verklaring / diagnose", "Door"],
                   [[fmt_date(a.date), a.declaration or a.kind, a.performed_by]
                    for a in declared],
                   [width * 0.18, width * 0.5, width * 0.32])  # fmt: skip
        if declared
        else empty_note("Geen vrijgegeven verklaringen of diagnoses.")
    )
    if data.needs:
        guidance.append(paragraph("Ondersteuningsbehoefte", st.h3))
        guidance.append(
            field_table([(label, _cut(text, chars)) for label, text in data.needs], width)
        )
    guidance.append(paragraph("Gegeven ondersteuning", st.h3))
    if data.arrangement:
        guidance.append(paragraph(esc(f"Arrangement: {data.arrangement}"), st.body))
    support, skipped = _last(data.support, items)
    guidance.append(
        grid_table(["Wat", "Periode", "Evaluatie"],
                   [[_cut(w, chars), p, _cut(e, chars)] for w, p, e in support],
                   [width * 0.45, width * 0.22, width * 0.33])  # fmt: skip
        if support
        else empty_note("Geen korte interventies of groeidocumenten.")
    )
    guidance += _more(skipped, "documenten")
    out.append((SECTIONS[3], guidance))
    out.append(
        (
            SECTIONS[4],
            [
                paragraph(
                    esc(
                        "IB Desktop houdt geen verzuim bij. Het geoorloofd en ongeoorloofd "
                        "verzuim staat in het leerlingvolgsysteem van de school; de school "
                        "voegt het overzicht daaruit bij."
                    ),
                    st.body,
                )
            ],
        )
    )
    return out


class _Mark(Flowable):
    """Notes the page a section starts on."""

    def __init__(self, key: str, seen: dict[str, int]) -> None:
        super().__init__()
        self.key, self.seen = key, seen
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.seen[self.key] = self.canv.getPageNumber()


def _own_part(data: PacketData, today: date, chars: int | None, items: int | None,
              starts: dict[str, int], opp_start: int | None,
              shortened: bool) -> tuple[bytes, dict[str, int]]:  # fmt: skip
    info = ReportInfo(
        title=f"SWV-pakket {data.name}",
        # The page count in the footer counts this part; the OPP after it numbers its own pages.
        footer=f"SWV-pakket {data.name} · vertrouwelijk · {fmt_date(today)} · verslag",
        header_right=data.school,
    )
    width = content_width(info)
    seen: dict[str, int] = {}
    story = _cover(data, starts, opp_start, today, shortened, width)
    for title, flowables in _sections(data, chars, items, width):
        story.append(_Mark(title, seen))
        story.append(heading_block(title, *flowables[:1]))
        story += flowables[1:]
        story.append(spacer(4))
    return build_pdf(info, story), seen


def swv_packet(session: Session, pupil_id: int, *, today: date) -> Packet:
    """Build the packet (at most :data:`MAX_PAGES` pages when it can be done by shortening)."""
    from . import opp_pdf

    data = read_packet(session, pupil_id)
    if data is None:
        raise ReportNotFoundError(f"Er is geen leerling met nummer {pupil_id}.")
    opp = (
        opp_pdf(session, data.opp_version_id, today=today, include_sensitive=False)
        if data.opp_version_id is not None
        else b""
    )
    opp_pages = len(PdfReader(io.BytesIO(opp)).pages) if opp else 0
    own = b""
    shortened = False
    for step, (chars, items) in enumerate(BUDGETS):
        shortened = step > 0
        own, seen = _own_part(data, today, chars, items, {}, None, shortened)
        own_pages = len(PdfReader(io.BytesIO(own)).pages)
        own, _seen = _own_part(data, today, chars, items, seen, own_pages + 1, shortened)
        if own_pages + opp_pages <= MAX_PAGES:
            break
    writer = PdfWriter()
    for part in (own, opp):
        if part:
            writer.append(PdfReader(io.BytesIO(part)))
    writer.add_metadata({"/Title": f"SWV-pakket {data.name}"})
    buf = io.BytesIO()
    writer.write(buf)
    pdf = buf.getvalue()
    return Packet(pdf, len(PdfReader(io.BytesIO(pdf)).pages), data, shortened)
