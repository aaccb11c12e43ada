"""The printed OPP: a calm cover with a reading guide, the 13 parts, and a signature page.

Parents read this at the kitchen table and sign it, and many find an OPP hard to read. So the
cover says in plain words what the plan is and where they sign, every part carries its number
and title, tables are few and airy, and empty parts say so instead of disappearing.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import sqlalchemy as sa
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)
from sqlalchemy.orm import Session, joinedload, selectinload

from ib_desktop.models import (
    Opp,
    OppSignature,
    OppVersion,
    ParentView,
    Pupil,
    SignatureRole,
    Staff,
    StaffRole,
)
from ib_desktop.opp_parts import NEED_ASPECTS, PARTS
from ib_desktop.services.snapshot import pupil_snapshot

from . import labels
from .base import (
    ALERT,
    MUTED,
    RULE,
    SHADE,
    SPLIT_IN_ROW,
    ReportInfo,
    build_pdf,
    cell,
    content_width,
    empty_note,
    esc,
    field_table,
    fmt_date,
    fmt_period,
    grid_table,
    para,
    paragraph,
    spacer,
    stacked,
    styles,
    table_style,
)
from .errors import ReportNotFoundError
from .markdown import markdown_flowables

SENSITIVE_LINE = "vertrouwelijk onderzoek, niet afgedrukt"


def _md(text: str | None, style: Any = None) -> list[Flowable]:
    return markdown_flowables(text, style or styles().cell)


def _md_or_dash(text: str | None) -> list[Flowable] | Paragraph:
    flow = _md(text)
    return flow if flow else cell("")


def _part_heading(number: int) -> list[Flowable]:
    part = PARTS[number - 1]
    return [CondPageBreak(40 * mm), paragraph(esc(f"{part.number}. {part.title}"), styles().h1)]


def _kept(flowables: list[Flowable]) -> list[Flowable]:
    """A short part on one page: its heading and content are not torn apart by a page end."""
    return [flowables[0], KeepTogether(flowables[1:])]


def _load_version(session: Session, version_id: int) -> OppVersion:
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


def _snapshot(version: OppVersion, pupil: Pupil) -> dict[str, Any]:
    """Parts 1-3 as agreed (frozen) or, for a version still being written, as they are now."""
    if version.is_frozen and version.frozen_pupil:
        return version.frozen_pupil
    return pupil_snapshot(pupil)


# ---------------------------------------------------------------------------- cover


def _cover(
    version: OppVersion, snap: dict[str, Any], school_name: str, width: float, today: date
) -> list[Flowable]:
    st = styles()
    p = snap.get("pupil", {})
    rows: list[tuple[str, Any]] = [
        ("Leerling", cell(p.get("full_name", ""), bold=True)),
        ("Geboortedatum", fmt_date(p.get("birth_date"))),
        ("Groep", p.get("group", "")),
        ("School", p.get("school") or school_name),
        ("Versie", _version_text(version)),
        ("Status", labels.label(labels.OPP_STATUS, version.status)),
    ]
    if version.discussed_on:
        rows.append(("Besproken met ouders", fmt_date(version.discussed_on)))
    if version.fixed_on:
        rows.append(("Vastgesteld op", fmt_date(version.fixed_on)))
    if version.evaluated_on:
        rows.append(("Geëvalueerd op", fmt_date(version.evaluated_on)))
    if version.next_evaluation_on:
        rows.append(("Volgende evaluatie", fmt_date(version.next_evaluation_on)))
    rows.append(("Afgedrukt op", fmt_date(today)))
    guide = [
        paragraph("Zo leest u dit plan", st.h2),
        para(
            "In dit ontwikkelingsperspectiefplan (OPP) staat wat uw kind nodig heeft om zich "
            "goed te ontwikkelen, welke doelen school en ouders samen stellen en hoe we daaraan "
            "werken. Het plan heeft dertien delen:"
        ),
    ]
    contents = [[cell(f"{part.number}.", muted=True), cell(part.title)] for part in PARTS]
    toc = Table(contents, colWidths=[10 * mm, width - 20 * mm])
    toc.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    guide += [
        toc,
        spacer(3),
        para(
            f"<b>Deel 9 ({esc(PARTS[8].title)})</b> beschrijft de doelen voor de komende periode. "
            "Voor dit deel vragen wij uw toestemming; u tekent op de laatste pagina. Bent u het "
            "ergens niet mee eens, of ziet u het anders? Zeg het ons: uw mening komt in deel 11.",
            markup=True,
        ),
    ]
    box = Table([[guide]], colWidths=[width])
    box.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6 * mm),
            ]
        )
    )
    return [
        spacer(10),
        paragraph("Ontwikkelingsperspectiefplan", st.title),
        paragraph(esc(p.get("full_name", "")), st.subtitle),
        field_table(rows, width),
        spacer(10),
        box,
        PageBreak(),
    ]


def _version_text(version: OppVersion) -> str:
    text = f"Versie {version.number}"
    prev = version.previous_version
    if prev is not None:
        when = prev.fixed_on or prev.discussed_on
        text += f" (vorige versie: {prev.number}" + (f", {fmt_date(when)})" if when else ")")
    return text


# ---------------------------------------------------------------------------- parts 1-3


def _part1(version: OppVersion, snap: dict[str, Any], width: float) -> list[Flowable]:
    st = styles()
    p = snap.get("pupil", {})
    out: list[Flowable] = _part_heading(1)
    out.append(
        field_table(
            [
                ("Naam", cell(p.get("full_name", ""), bold=True)),
                ("Geboortedatum", fmt_date(p.get("birth_date"))),
                ("Groep", p.get("group", "")),
                ("School", p.get("school", "")),
                ("Ingeschreven op", fmt_date(p.get("enrolled_on"))),
            ],
            width,
        )
    )
    out.append(paragraph("Ouders en verzorgers", st.h2))
    guardians = snap.get("guardians", [])
    if guardians:
        out.append(
            grid_table(
                ["Naam", "Relatie", "Gezag", "Telefoon", "Adres"],
                [
                    [
                        g.get("name", ""),
                        g.get("relation", ""),
                        "ja" if g.get("has_custody") else "nee",
                        g.get("phone", ""),
                        g.get("address", ""),
                    ]
                    for g in guardians
                ],
                _widths(width, [0.27, 0.13, 0.09, 0.17, 0.34]),
            )
        )
    else:
        out.append(empty_note("Geen ouders of verzorgers vastgelegd."))
    out.append(paragraph("Gezinssituatie", st.h2))
    out += _md(p.get("family_composition"), st.body) or [empty_note()]
    out.append(paragraph("Hulpverlening", st.h2))
    care = snap.get("care_providers", [])
    if care:
        out.append(
            grid_table(
                ["Bij", "Organisatie", "Contactpersoon", "Soort hulp", "Periode"],
                [
                    [
                        labels.label(labels.CARE_SCOPE, c.get("scope")),
                        c.get("organisation", ""),
                        c.get("contact_name", ""),
                        c.get("kind", ""),
                        fmt_period(c.get("start_date"), c.get("end_date")),
                    ]
                    for c in care
                ],
                _widths(width, [0.16, 0.24, 0.2, 0.17, 0.23]),
            )
        )
    else:
        out.append(empty_note("Geen hulpverlening vastgelegd."))
    if version.general_notes.strip():
        out.append(paragraph("Toelichting", st.h2))
        out += _md(version.general_notes, st.body)
    return out


def _part2(version: OppVersion, snap: dict[str, Any], width: float) -> list[Flowable]:
    st = styles()
    p = snap.get("pupil", {})
    out = _part_heading(2)
    out.append(field_table([("Eerste schooldag", fmt_date(p.get("first_school_day")))], width))
    history = snap.get("school_history", [])
    if history:
        out.append(spacer(2))
        out.append(
            grid_table(
                ["Periode", "School of instelling", "Van – tot", "Toelichting"],
                [
                    [
                        labels.label(labels.HISTORY_KIND, h.get("kind")),
                        h.get("institution", ""),
                        fmt_period(h.get("start_date"), h.get("end_date")),
                        h.get("notes", ""),
                    ]
                    for h in history
                ],
                _widths(width, [0.2, 0.3, 0.28, 0.22]),
            )
        )
    if version.school_career_notes.strip():
        out += [spacer(2), *_md(version.school_career_notes, st.body)]
    elif not history:
        out.append(empty_note())
    return out


def _parent_views(session: Session, pupil_id: int) -> dict[int, list[Any]]:
    """Zienswijze ouders per assessment id of the pupil (issue 19), oldest first."""
    views = session.scalars(
        sa.select(ParentView)
        .where(ParentView.pupil_id == pupil_id, ParentView.entity == "assessment")
        .order_by(ParentView.given_on, ParentView.id)
    ).all()
    out: dict[int, list[Any]] = {}
    for v in views:
        out.setdefault(v.entity_id, []).append(v)
    return out


def _conclusion_with_views(text: str | None, views: list[Any]) -> list[Flowable] | Paragraph:
    """The conclusion, and under it the parents' own view on it, as the file shows them."""
    flow = _md_or_dash(text)
    if not views:
        return flow
    out = list(flow) if isinstance(flow, list) else [flow]
    for v in views:
        out.append(
            paragraph(
                f"<i>Zienswijze ouders ({esc(v.guardian_name)}, {fmt_date(v.given_on)}):</i> "
                f"{esc(v.text)}",
                styles().cell,
            )
        )
    return out


def _part3(
    version: OppVersion,
    snap: dict[str, Any],
    width: float,
    include_sensitive: bool,
    views: dict[int, list[Any]] | None = None,
) -> list[Flowable]:
    st = styles()
    views = views or {}
    out = _part_heading(3)
    rows: list[list[Any]] = []
    extra: list[tuple] = []
    for a in snap.get("assessments", []):
        if a.get("sensitive") and not include_sensitive:
            extra.append(("SPAN", (1, len(rows) + 1), (-1, len(rows) + 1)))
            rows.append([fmt_date(a.get("date")), paragraph(esc(SENSITIVE_LINE), st.muted), "", ""])
            continue
        rows.append(
            [
                fmt_date(a.get("date")),
                a.get("kind", ""),
                a.get("performed_by", ""),
                _conclusion_with_views(a.get("conclusion"), views.get(a.get("id") or 0, [])),
            ]
        )
    if rows:
        out.append(
            grid_table(
                ["Datum", "Onderzoek", "Door", "Belangrijkste conclusies"],
                rows,
                _widths(width, [0.17, 0.25, 0.2, 0.38]),
                extra_style=extra,
            )
        )
    if version.assessment_notes.strip():
        out += [spacer(2), *_md(version.assessment_notes, st.body)]
    elif not rows:
        out.append(empty_note("Geen onderzoek vastgelegd."))
    return out


# ---------------------------------------------------------------------------- parts 4-8


def _part4(version: OppVersion, width: float) -> list[Flowable]:
    out = _part_heading(4)
    rows: list[tuple[str, Any]] = [
        ("Soort ondersteuning", version.arrangement_kind),
        ("Toegekend op", fmt_date(version.arrangement_granted_on)),
        ("Looptijd", fmt_period(version.arrangement_start, version.arrangement_end)),
        ("Bekostigingscategorie", version.funding_category),
        ("Bekostigd door", version.funder),
    ]
    if version.arrangement_notes.strip():
        rows.append(("Toelichting", _md(version.arrangement_notes)))
    out.append(field_table(rows, width))
    return out


def _part5(version: OppVersion, width: float) -> list[Flowable]:
    st = styles()
    out = _part_heading(5)
    half = width / 2
    table = Table(
        [
            [
                paragraph("Wat helpt (bevorderend)", st.cell_head),
                paragraph("Wat het moeilijker maakt (belemmerend)", st.cell_head),
            ],
            [
                stacked(_md_or_dash(version.promoting_factors)),
                stacked(_md_or_dash(version.hindering_factors)),
            ],
        ],
        colWidths=[half, half],
        splitInRow=SPLIT_IN_ROW,
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
                ("LINEBELOW", (0, 1), (-1, 1), 0.4, RULE),
                ("LINEBEFORE", (1, 0), (1, -1), 0.4, RULE),
            ]
        )
    )
    out.append(table)
    return out


def _part6(version: OppVersion, width: float) -> list[Flowable]:
    out = _part_heading(6)
    rows = [
        [cell(lbl, bold=True), _md_or_dash(getattr(version, attr))] for attr, lbl in NEED_ASPECTS
    ]
    out.append(
        grid_table(["Aspect", "Wat heeft de leerling nodig?"], rows, _widths(width, [0.3, 0.7]))
    )
    return out


def _part7(version: OppVersion, width: float) -> list[Flowable]:
    out = _part_heading(7)
    out.append(
        field_table(
            [
                ("Jeugdwet", _md_or_dash(version.youth_act)),
                ("Wet langdurige zorg", _md_or_dash(version.long_term_care_act)),
                ("Zorgverzekering", _md_or_dash(version.health_insurance)),
                ("Samenwerking en afstemming", _md_or_dash(version.coordination)),
                ("Regie bij", version.lead_by),
            ],
            width,
            label_width=50 * mm,
        )
    )
    return out


def _part8(version: OppVersion, width: float) -> list[Flowable]:
    st = styles()
    out = _part_heading(8)
    outflow = version.outflow.value if version.outflow else ""
    out.append(
        field_table(
            [
                ("Verwachte uitstroom", cell(outflow, bold=True)),
                ("Onderbouwing", _md_or_dash(version.outflow_rationale)),
            ],
            width,
        )
    )
    levels = version.subject_levels or {}
    if levels:
        out.append(paragraph("Verwacht niveau per vak", st.h3))
        out.append(
            grid_table(
                ["Vak", "Verwacht niveau"],
                [[str(k), str(v)] for k, v in levels.items()],
                _widths(width, [0.5, 0.5]),
            )
        )
    return out


# ---------------------------------------------------------------------------- parts 9-12


def _part9(version: OppVersion, width: float) -> list[Flowable]:
    out = _part_heading(9)
    out.append(
        para(
            "Dit zijn de doelen voor de komende periode, met de tussenstappen en de datum "
            "waarop we samen kijken hoe het gaat.",
            styles().muted,
        )
    )
    if not version.goals:
        out.append(empty_note("Nog geen doelen vastgelegd."))
        return out
    rows = [
        [
            cell(g.area, bold=True),
            _md_or_dash(g.goal),
            _md_or_dash(g.intermediate_goals),
            fmt_date(g.evaluation_date),
        ]
        for g in version.goals
    ]
    out.append(
        grid_table(
            ["Gebied", "Doel", "Tussendoelen", "Evaluatie op"],
            rows,
            _widths(width, [0.23, 0.31, 0.31, 0.15]),
        )
    )
    return out


def _part10(version: OppVersion) -> list[Flowable]:
    return _part_heading(10) + (_md(version.adjustments, styles().body) or [empty_note()])


def _part11(version: OppVersion, width: float) -> list[Flowable]:
    st = styles()
    out = _part_heading(11)
    out.append(paragraph("Zienswijze van de ouders of verzorgers", st.h2))
    out += _md(version.parents_view, st.body) or [empty_note()]
    out.append(paragraph("Wat de leerling zelf zegt", st.h2))
    out += _md(version.pupil_view, st.body) or [empty_note()]
    if version.conversations:
        out.append(paragraph("Gesprekken", st.h2))
        out.append(
            grid_table(
                ["Datum", "Aanwezig", "Belangrijkste punten"],
                [
                    [fmt_date(c.date), c.participants, _md_or_dash(c.summary)]
                    for c in version.conversations
                ],
                _widths(width, [0.18, 0.27, 0.55]),
            )
        )
    if version.consents:
        out.append(paragraph("Toestemming voor het handelingsdeel", st.h2))
        rows = []
        for c in version.consents:
            answer = "Toestemming gegeven" if c.consent else "Geen toestemming"
            rows.append([c.guardian_name, answer, fmt_date(c.date), _md_or_dash(c.view)])
        out.append(
            grid_table(
                ["Ouder/verzorger", "Besluit", "Datum", "Zienswijze"],
                rows,
                _widths(width, [0.27, 0.2, 0.18, 0.35]),
            )
        )
    return out


def _part12(version: OppVersion, width: float) -> list[Flowable]:
    st = styles()
    out = _part_heading(12)
    if version.evaluation.strip():
        out += _md(version.evaluation, st.body)
    prev = version.previous_version
    if prev is None:
        if not version.evaluation.strip():
            out.append(
                empty_note(
                    "Dit is de eerste versie van het OPP; er is nog geen eerdere versie om mee "
                    "te vergelijken."
                )
            )
    else:
        if prev.evaluated_on:
            when = f" (geëvalueerd op {fmt_date(prev.evaluated_on)})"
        elif prev.fixed_on:
            when = f" (vastgesteld op {fmt_date(prev.fixed_on)})"
        else:
            when = ""
        title = f"Vergeleken met versie {prev.number}{when}"
        out.append(paragraph(esc(title), st.h2))
        current = {g.area: g for g in version.goals}
        rows = []
        used: set[str] = set()
        for g in prev.goals:
            now = current.get(g.area)
            used.add(g.area)
            rows.append(
                [
                    cell(g.area, bold=True),
                    _md_or_dash(g.goal),
                    _result(g),
                    _md_or_dash(now.goal if now else ""),
                ]
            )
        for g in version.goals:
            if g.area not in used:
                rows.append([cell(g.area, bold=True), cell(""), cell(""), _md_or_dash(g.goal)])
        out.append(
            grid_table(
                [
                    "Gebied",
                    f"Doel in versie {prev.number}",
                    "Resultaat",
                    f"Doel in versie {version.number}",
                ],
                rows,
                _widths(width, [0.22, 0.26, 0.26, 0.26]),
            )
        )
    if any(g.result or g.outcome for g in version.goals):
        out.append(paragraph(f"Resultaten van versie {version.number}", st.h2))
        out.append(
            grid_table(
                ["Gebied", "Doel", "Resultaat"],
                [[cell(g.area, bold=True), _md_or_dash(g.goal), _result(g)] for g in version.goals],
                _widths(width, [0.23, 0.36, 0.41]),
            )
        )
    return out


def _result(goal: Any) -> list[Flowable] | Paragraph:
    flow: list[Flowable] = []
    if goal.outcome:
        flow.append(paragraph(esc(labels.label(labels.OUTCOME, goal.outcome)), styles().cell_bold))
    flow += _md(goal.result)
    return flow or cell("")


# ---------------------------------------------------------------------------- part 13


def _signers(session: Session, version: OppVersion, snap: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone who signs: each guardian with gezag, then the IB-er and the directeur."""
    by_guardian = {s.guardian_id: s for s in version.signatures if s.guardian_id is not None}
    consent = {c.guardian_id: c for c in version.consents if c.guardian_id is not None}
    signers: list[dict[str, Any]] = []
    for g in snap.get("guardians", []):
        if not g.get("has_custody"):
            continue
        sig = by_guardian.get(g.get("id"))
        relation = g.get("relation") or "ouder"
        signers.append(
            {
                "role": f"Ouder/verzorger ({relation})",
                "name": g.get("name", ""),
                "signature": sig,
                "consent": consent.get(g.get("id")),
                "guardian": True,
            }
        )
    listed = {id(s["signature"]) for s in signers if s["signature"] is not None}
    for sig in version.signatures:
        if sig.role in (SignatureRole.OUDER, SignatureRole.LEERLING) and id(sig) not in listed:
            if sig.role == SignatureRole.OUDER and sig.guardian_id is not None:
                continue  # a guardian who signed earlier but no longer has gezag
            signers.append(
                {
                    "role": labels.label(labels.SIGNATURE_ROLE, sig.role),
                    "name": sig.name,
                    "signature": sig,
                    "consent": None,
                    "guardian": sig.role == SignatureRole.OUDER,
                }
            )
    for sig in version.signatures:
        if sig.role == SignatureRole.LEERKRACHT:
            signers.append(
                {
                    "role": "Leerkracht",
                    "name": sig.name,
                    "signature": sig,
                    "consent": None,
                    "guardian": False,
                }
            )
    school_id = version.opp.pupil.school_id
    for role, staff_role, title in (
        (SignatureRole.IB, StaffRole.IB, "Intern begeleider"),
        (SignatureRole.DIRECTIE, StaffRole.DIRECTIE, "Directeur"),
    ):
        sig = next((s for s in version.signatures if s.role == role), None)
        name = sig.name if sig else _staff_name(session, school_id, staff_role)
        signers.append(
            {"role": title, "name": name, "signature": sig, "consent": None, "guardian": False}
        )
    return signers


def _staff_name(session: Session, school_id: int, role: StaffRole) -> str:
    staff = session.scalars(
        sa.select(Staff)
        .where(Staff.school_id == school_id, Staff.role == role, Staff.active.is_(True))
        .order_by(Staff.id)
        .limit(1)
    ).first()
    return staff.full_name if staff else ""


def _signature_block(signer: dict[str, Any], width: float) -> Table:
    st = styles()
    sig: OppSignature | None = signer["signature"]
    rows: list[list[Any]] = [
        [paragraph(esc(signer["role"]), st.cell_head)],
        [paragraph(esc(signer["name"]) if signer["name"] else "Naam: ", st.cell_bold)],
    ]
    if signer["guardian"]:
        c = signer["consent"]
        if c is not None:
            text = (
                "Akkoord met het handelingsdeel"
                if c.consent
                else "Niet akkoord met het handelingsdeel"
            )
            rows.append([cell(text)])
        else:
            rows.append([cell("☐ akkoord met het handelingsdeel    ☐ niet akkoord")])
    else:
        rows.append([Spacer(1, st.cell.leading)])  # keeps the signature lines of a row level
    date_text = f"Datum: {fmt_date(sig.signed_on)}" if sig else "Datum:"
    rows.append([cell(date_text)])
    signature_cell: Any = spacer(16)
    if sig is not None and sig.image_png:
        try:
            img = Image(io.BytesIO(sig.image_png))
            scale = min((width - 8) / img.imageWidth, 16 * mm / img.imageHeight)
            img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
            img.hAlign = "LEFT"
            signature_cell = img
        except Exception:  # an unreadable capture still leaves the line to sign on
            signature_cell = spacer(16)
    rows.append([signature_cell])
    rows.append([paragraph("Handtekening", st.muted)])
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


def _part13(
    session: Session, version: OppVersion, snap: dict[str, Any], width: float
) -> list[Flowable]:
    st = styles()
    part = PARTS[12]
    out: list[Flowable] = [
        PageBreak(),
        paragraph(esc(f"{part.number}. {part.title}"), st.h1),
        para(
            "Met uw handtekening als ouder of verzorger met gezag geeft u toestemming voor het "
            "handelingsdeel: de doelen in deel 9. Over het "
            "uitstroomperspectief (deel 8) zoeken we samen met u overeenstemming. De "
            "ondersteuning van uw kind gaat door, ook zolang u nog niet getekend heeft.",
            markup=True,
        ),
        spacer(4),
    ]
    col = (width - 10 * mm) / 2
    blocks = [_signature_block(s, col) for s in _signers(session, version, snap)]
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


# ---------------------------------------------------------------------------- document


def _widths(width: float, fractions: list[float]) -> list[float]:
    return [width * f for f in fractions]


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
    version = _load_version(session, version_id)
    pupil = version.opp.pupil
    school = pupil.school
    snap = _snapshot(version, pupil)
    name = snap.get("pupil", {}).get("full_name") or pupil.full_name
    info = ReportInfo(
        title=f"OPP {name}",
        subject=f"Ontwikkelingsperspectiefplan, versie {version.number}",
        footer=f"Vertrouwelijk · {name} · versie {version.number}",
        header_right=f"Ontwikkelingsperspectiefplan · {name}",
        logo_png=school.logo_png if school else None,
    )
    width = content_width(info)
    story: list[Flowable] = _cover(version, snap, school.name if school else "", width, today)
    story += _part1(version, snap, width)
    story += _part2(version, snap, width)
    story += _part3(version, snap, width, include_sensitive, _parent_views(session, pupil.id))
    story += _kept(_part4(version, width))
    story += _kept(_part5(version, width))
    story += _kept(_part6(version, width))
    story += _kept(_part7(version, width))
    story += _kept(_part8(version, width))
    story += _part9(version, width)
    story += _part10(version)
    story += _part11(version, width)
    story += _part12(version, width)
    story += _part13(session, version, snap, width)

    concept = version.status.value == "concept"

    def watermark(canv: Any, _doc: Any) -> None:
        if not concept:
            return
        canv.saveState()
        canv.setFillColor(ALERT)
        canv.setFillAlpha(0.07)
        canv.setFont("DejaVuSans-Bold", 80)
        w, h = canv._pagesize
        canv.translate(w / 2, h / 2)
        canv.rotate(40)
        canv.drawCentredString(0, 0, "CONCEPT")
        canv.restoreState()

    return build_pdf(info, story, on_page=watermark)


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
