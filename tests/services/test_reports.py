"""The printed documents, read back from the PDF: parts, names, signatures, dates, schedules."""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from ib_desktop.models import (
    Assessment,
    GrowthGoal,
    Guardian,
    LevelAssignment,
    Opp,
    OppConsent,
    OppGoal,
    OppSignature,
    OppStatus,
    OppVersion,
    Outcome,
    Pupil,
    PupilStatus,
    School,
    ShortIntervention,
    SignatureRole,
    Staff,
    StaffRole,
)
from ib_desktop.reports import (
    ReportNotFoundError,
    group_overview_pdf,
    growth_document_pdf,
    intervention_pdf,
    opp_pdf,
    pupil_overview_pdf,
    schedule_pdf,
)
from ib_desktop.reports.markdown import inline, markdown_flowables
from ib_desktop.services.opp.parts import PARTS
from ib_desktop.services.school import ensure_school_year
from ib_desktop.services.snapshot import pupil_snapshot
from tests.conftest import TODAY

# Names that carry é, ë, ï, ĳ (U+0133), ř and ç: a built-in PDF font would lose some of them.
PUPIL_FIRST, PUPIL_LAST = "Zoë", "Dvořák"
MOTHER = "Anaïs Ĳsselstein"
FATHER = "René Çelik-Rĳkaart"
NO_CUSTODY = "Geert Zondergezag"
IB_NAME = ("Eloïse", "Bakker")
DIRECTOR = ("André", "Meijer")
SENSITIVE_CONCLUSION = "Zwakke verwerkingssnelheid volgens het onderzoek."
PREVIOUS_RESULT = "Tafels van 1 tot 5 gaan vlot; de rest nog niet."


def text_of(pdf: bytes) -> list[str]:
    """The text of every page, whitespace collapsed, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def tiny_png(width: int = 40, height: int = 12) -> bytes:
    """A small valid PNG (a dark bar), as a signature pad or a logo would give."""
    raw = b"".join(b"\x00" + b"\x20\x20\x20\xff" * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@dataclass
class OppCase:
    school_id: int
    pupil_id: int
    v1: int
    v2: int
    mother_id: int


@pytest.fixture
def opp_case(school_db) -> OppCase:
    """A pupil with two OPP versions (the second fixed), guardians with and without gezag."""
    with school_db.session() as s:
        school = s.get(School, school_db.school_id)
        year = ensure_school_year(s, TODAY)
        from ib_desktop.models import Group

        group = Group(
            school_id=school.id, school_year_id=year.id, name="6B", grade_low=6, grade_high=6
        )
        s.add(group)
        ib = Staff(
            school_id=school.id, first_name=IB_NAME[0], last_name=IB_NAME[1], role=StaffRole.IB
        )
        director = Staff(
            school_id=school.id,
            first_name=DIRECTOR[0],
            last_name=DIRECTOR[1],
            role=StaffRole.DIRECTIE,
        )
        s.add_all([ib, director])
        pupil = Pupil(
            school_id=school.id,
            first_name=PUPIL_FIRST,
            last_name=PUPIL_LAST,
            birth_date=date(2016, 3, 12),
            first_school_day=date(2020, 3, 13),
            group=group,
            family_composition="Woont bij moeder en vader.",
        )
        s.add(pupil)
        s.flush()
        mother = Guardian(pupil_id=pupil.id, name=MOTHER, relation="moeder", has_custody=True)
        father = Guardian(pupil_id=pupil.id, name=FATHER, relation="vader", has_custody=True)
        other = Guardian(
            pupil_id=pupil.id, name=NO_CUSTODY, relation="stiefvader", has_custody=False
        )
        s.add_all([mother, father, other])
        s.add(
            Assessment(
                pupil_id=pupil.id,
                date=date(2025, 5, 1),
                kind="Intelligentieonderzoek",
                performed_by="Orthopedagoog",
                conclusion=SENSITIVE_CONCLUSION,
                sensitive=True,
            )
        )
        s.add(
            Assessment(
                pupil_id=pupil.id,
                date=date(2025, 9, 1),
                kind="Observatie in de groep",
                performed_by="Ambulant begeleider",
                conclusion="Werkt goed met structuur.",
            )
        )
        s.flush()
        s.refresh(pupil)
        opp = Opp(pupil_id=pupil.id, start_date=date(2025, 10, 1))
        s.add(opp)
        s.flush()
        snap = pupil_snapshot(pupil)
        v1 = OppVersion(
            opp_id=opp.id,
            number=1,
            status=OppStatus.GEEVALUEERD,
            fixed_on=date(2025, 10, 15),
            evaluated_on=date(2026, 4, 1),
            frozen_pupil=snap,
            adjustments="- eigen leerlijn rekenen",
        )
        v1.goals = [
            OppGoal(
                area="Cognitieve ontwikkeling",
                position=0,
                goal="Beheerst de tafels 1 t/m 10.",
                result=PREVIOUS_RESULT,
                outcome=Outcome.DEELS_BEHAALD,
            ),
            OppGoal(
                area="Leren leren",
                position=1,
                goal="Plant een taak met een stappenplan.",
                result="Lukt zelfstandig.",
                outcome=Outcome.BEHAALD,
            ),
        ]
        s.add(v1)
        s.flush()
        v2 = OppVersion(
            opp_id=opp.id,
            number=2,
            status=OppStatus.VASTGESTELD,
            previous_version_id=v1.id,
            fixed_on=date(2026, 4, 15),
            next_evaluation_on=date(2026, 10, 15),
            frozen_pupil=snap,
            promoting_factors="- **gemotiveerd**\n- betrokken ouders",
            hindering_factors="- snel afgeleid <vooral> in drukte & lawaai",
            outflow=None,
            evaluation="Groei op rekenen.",
            subject_levels={"Rekenen": "1F"},
        )
        v2.goals = [
            OppGoal(
                area="Cognitieve ontwikkeling",
                position=0,
                goal="Beheerst de tafels tot 10 vlot.",
                intermediate_goals="- na 8 weken: tafels 6 en 7\n- na 16 weken: alle tafels",
                evaluation_date=date(2026, 10, 1),
            ),
            OppGoal(
                area="Sociaal-emotionele ontwikkeling",
                position=1,
                goal="Werkt samen in een tweetal.",
                evaluation_date=date(2026, 10, 1),
            ),
        ]
        s.add(v2)
        s.flush()
        s.add(
            OppConsent(
                opp_version_id=v2.id,
                guardian_id=mother.id,
                guardian_name=MOTHER,
                consent=True,
                date=date(2026, 4, 15),
            )
        )
        s.add(
            OppSignature(
                opp_version_id=v2.id,
                role=SignatureRole.OUDER,
                name=MOTHER,
                guardian_id=mother.id,
                signed_on=date(2026, 4, 15),
                image_png=tiny_png(),
            )
        )
        s.add(
            OppSignature(
                opp_version_id=v2.id,
                role=SignatureRole.IB,
                name=ib.full_name,
                staff_id=ib.id,
                signed_on=date(2026, 4, 15),
            )
        )
        return OppCase(school.id, pupil.id, v1.id, v2.id, mother.id)


def build_opp(db, version_id: int, **kwargs) -> bytes:
    with db.session() as s:
        return opp_pdf(s, version_id, today=TODAY, **kwargs)


# ---------------------------------------------------------------------------- the OPP


def test_opp_prints_the_13_parts_in_order(school_db, opp_case) -> None:
    pages = text_of(build_opp(school_db, opp_case.v2))
    body = " ".join(pages[1:])  # after the cover
    positions = []
    for part in PARTS:
        heading = f"{part.number}. {part.title}"
        assert heading in body, heading
        positions.append(body.index(heading))
    assert positions == sorted(positions)
    # the cover names pupil, version and status
    assert f"{PUPIL_FIRST} {PUPIL_LAST}" in pages[0]
    assert "Versie 2" in pages[0]
    assert "Vastgesteld" in pages[0]


def test_signature_page_has_every_guardian_with_gezag_ib_and_director(school_db, opp_case) -> None:
    pages = text_of(build_opp(school_db, opp_case.v2))
    last = pages[-1]
    assert "13. Handtekeningen" in last
    assert MOTHER in last
    assert FATHER in last
    assert NO_CUSTODY not in last
    assert " ".join(IB_NAME) in last
    assert " ".join(DIRECTOR) in last
    assert "Intern begeleider" in last
    assert "Directeur" in last
    # the mother consented and signed; the father still has the boxes to tick
    assert "Akkoord met het handelingsdeel" in last
    assert "☐ akkoord met het handelingsdeel" in last
    assert "Datum: 15 april 2026" in last


def test_captured_signature_is_printed_in_place(school_db, opp_case) -> None:
    reader = PdfReader(io.BytesIO(build_opp(school_db, opp_case.v2)))
    assert len(reader.pages[-1].images) == 1
    with school_db.session() as s:
        s.execute(sa.update(OppSignature).values(image_png=None))
    reader = PdfReader(io.BytesIO(build_opp(school_db, opp_case.v2)))
    assert len(reader.pages[-1].images) == 0


def test_school_logo_in_the_header(school_db, opp_case) -> None:
    reader = PdfReader(io.BytesIO(build_opp(school_db, opp_case.v2)))
    assert len(reader.pages[1].images) == 0
    with school_db.session() as s:
        s.get(School, opp_case.school_id).logo_png = tiny_png(80, 30)
    reader = PdfReader(io.BytesIO(build_opp(school_db, opp_case.v2)))
    assert all(len(p.images) >= 1 for p in reader.pages)


def test_dutch_characters_survive(school_db, opp_case) -> None:
    pdf = build_opp(school_db, opp_case.v2)
    text = " ".join(text_of(pdf))
    for name in (
        f"{PUPIL_FIRST} {PUPIL_LAST}",
        MOTHER,
        FATHER,
        " ".join(IB_NAME),
        " ".join(DIRECTOR),
    ):
        assert name in text, name
    for char in "éëïĳĲřÇ":  # not decomposed into other letters, not printed as boxes
        assert char in text, char
    fonts = {
        str(f.get("/BaseFont"))
        for page in PdfReader(io.BytesIO(pdf)).pages
        for f in page["/Resources"]["/Font"].values()
        if f.get_object().get("/BaseFont")
    }
    assert all("DejaVuSans" in f for f in fonts)
    assert fonts


def test_footer_says_confidential_name_version_and_page_x_of_y(school_db, opp_case) -> None:
    pages = text_of(build_opp(school_db, opp_case.v2))
    n = len(pages)
    assert n >= 4
    for i, page in enumerate(pages, start=1):
        assert f"Vertrouwelijk · {PUPIL_FIRST} {PUPIL_LAST} · versie 2 · pagina {i} van {n}" in page


def test_sensitive_assessments_only_when_asked(school_db, opp_case) -> None:
    plain = " ".join(text_of(build_opp(school_db, opp_case.v2)))
    assert "vertrouwelijk onderzoek, niet afgedrukt" in plain
    assert SENSITIVE_CONCLUSION not in plain
    assert "Werkt goed met structuur." in plain  # an ordinary assessment is printed
    full = " ".join(text_of(build_opp(school_db, opp_case.v2, include_sensitive=True)))
    assert SENSITIVE_CONCLUSION in full
    assert "vertrouwelijk onderzoek, niet afgedrukt" not in full


def test_part_12_shows_the_previous_versions_goals_and_results(school_db, opp_case) -> None:
    pages = text_of(build_opp(school_db, opp_case.v2))
    body = " ".join(pages[1:])  # the cover lists the part titles too
    part12 = body[body.index("12. Evaluatie") : body.index("13. Handtekeningen")]
    assert "Vergeleken met versie 1" in part12
    assert PREVIOUS_RESULT in part12
    assert "Deels behaald" in part12
    assert "Beheerst de tafels 1 t/m 10." in part12  # the old goal beside
    assert "Beheerst de tafels tot 10 vlot." in part12  # the new one
    first = " ".join(text_of(build_opp(school_db, opp_case.v1)))
    assert "Vergeleken met versie" not in first


def test_handelingsdeel_is_a_table_with_goal_tussendoelen_and_date(school_db, opp_case) -> None:
    body = " ".join(text_of(build_opp(school_db, opp_case.v2))[1:])
    part9 = body[body.index("9. Handelingsdeel") : body.index("10. Aanpassingen")]
    for text in (
        "Gebied",
        "Doel",
        "Tussendoelen",
        "Evaluatie op",
        "Cognitieve ontwikkeling",
        "na 8 weken: tafels 6 en 7",
        "1 oktober 2026",
    ):
        assert text in part9, text


def test_markdown_and_special_characters_in_rich_text(school_db, opp_case) -> None:
    body = " ".join(text_of(build_opp(school_db, opp_case.v2)))
    assert "snel afgeleid <vooral> in drukte & lawaai" in body  # escaped, not eaten as markup
    assert "• gemotiveerd" in body or "gemotiveerd" in body


def test_a_fixed_version_prints_the_frozen_pupil_data(school_db, opp_case) -> None:
    with school_db.session() as s:
        s.get(Pupil, opp_case.pupil_id).family_composition = "Woont sinds kort bij oma."
        concept = OppVersion(
            opp_id=s.get(OppVersion, opp_case.v2).opp_id,
            number=3,
            status=OppStatus.CONCEPT,
            previous_version_id=opp_case.v2,
        )
        s.add(concept)
        s.flush()
        concept_id = concept.id
    fixed = " ".join(text_of(build_opp(school_db, opp_case.v2)))
    assert "Woont bij moeder en vader." in fixed
    assert "oma" not in fixed
    live = " ".join(text_of(build_opp(school_db, concept_id)))
    assert "Woont sinds kort bij oma." in live
    assert "CONCEPT" in live
    assert "CONCEPT" not in fixed


def test_unknown_version_gives_a_dutch_error(school_db) -> None:
    with school_db.session() as s, pytest.raises(ReportNotFoundError, match="geen OPP-versie"):
        opp_pdf(s, 999)


def test_every_demo_opp_builds(demo_db) -> None:
    with demo_db.session() as s:
        ids = list(s.scalars(sa.select(OppVersion.id)))
        assert ids
        for vid in ids:
            pages = text_of(opp_pdf(s, vid, today=TODAY))
            assert "13. Handtekeningen" in pages[-1]


# ---------------------------------------------------------------------------- plans


def test_growth_document_as_the_schools_form(demo_db) -> None:
    with demo_db.session() as s:
        carried = s.scalars(
            sa.select(GrowthGoal).where(GrowthGoal.carried_over_from_id.is_not(None))
        ).first()
        assert carried is not None, "the demo has carried-over goals"
        doc = carried.period.document
        pdf = growth_document_pdf(s, doc.id)
        name = doc.pupil.full_name
        areas = [g.area for p in doc.periods for g in p.goals]
    pages = text_of(pdf)
    body = " ".join(pages)
    for header in ("Gebied", "Doel", "Ondersteuningsbehoefte", "Uitvoering", "Evaluatie"):
        assert header in body
    assert name in pages[0]
    assert "Periode 1" in body
    assert "Periode 2" in body
    assert body.index("Periode 1") < body.index("Periode 2")
    assert "voortgezet uit periode 1" in body
    assert all(a in body for a in areas)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert box.width > box.height  # landscape: four texts side by side


def test_intervention_form_fields_in_order(demo_db) -> None:
    with demo_db.session() as s:
        item = s.scalars(
            sa.select(ShortIntervention).where(ShortIntervention.evaluated_on.is_not(None))
        ).first()
        pdf = intervention_pdf(s, item.id)
        goal = item.goal
        name = item.pupil.full_name
    body = " ".join(text_of(pdf))
    labels = [
        "Leerling",
        "Groep",
        "Leerkracht",
        "Periode",
        "Doel",
        "Ondersteuningsbehoefte",
        "Uitvoering",
        "Evaluatie",
    ]
    positions = [body.index(lbl + " ") for lbl in labels]
    assert positions == sorted(positions)
    assert name in body
    assert goal in body


# ---------------------------------------------------------------------------- schedule


def _overdue(s, school_id: int, start: date, end: date) -> int:
    from ib_desktop.schedule import compute_moments

    in_range = compute_moments(s, school_id, today=TODAY, start=start, end=end, include_done=True)
    before = compute_moments(s, school_id, today=TODAY, end=start - timedelta(days=1))
    return sum(m.is_overdue(TODAY) for m in in_range) + sum(m.is_overdue(TODAY) for m in before)


def test_schedule_marks_overdue_moments(demo_db) -> None:
    start, end = TODAY - timedelta(weeks=3), TODAY + timedelta(weeks=6)
    with demo_db.session() as s:
        late = _overdue(s, demo_db.school_id, start, end)
        pdf = schedule_pdf(s, demo_db.school_id, start=start, end=end, today=TODAY)
    assert late > 0, "the demo has overdue evaluations"
    body = " ".join(text_of(pdf))
    assert f"waarvan {late} te laat" in body
    assert body.count("te laat") == late + 1  # one per overdue row, plus the summary
    assert "gepland" in body  # the future ones are not marked late
    assert "Evaluatieplanning" in body
    assert "pagina 1 van" in body


def test_schedule_per_teacher_gives_each_teacher_own_pages(demo_db) -> None:
    from ib_desktop.schedule import compute_moments

    start, end = TODAY, TODAY + timedelta(weeks=8)
    with demo_db.session() as s:
        moments = compute_moments(
            s, demo_db.school_id, today=TODAY, start=start, end=end, include_done=True
        )
        responsible = {m.responsible_id for m in moments if m.responsible_id}
        names = {
            st.id: st.full_name
            for st in s.scalars(sa.select(Staff).where(Staff.id.in_(responsible)))
        }
        pdf = schedule_pdf(
            s, demo_db.school_id, start=start, end=end, per_teacher=True, today=TODAY
        )
    pages = text_of(pdf)
    starts = [p for p in pages if "pagina 1 van" in p]
    assert len(starts) >= len(names) >= 2
    for name in names.values():
        first = [p for p in starts if f"Evaluatieplanning voor {name}" in p]
        assert len(first) == 1, name  # a section that starts on its own page
    for page in pages:  # the footer counts the pages of that teacher's handout
        heading = re.search(r"Vertrouwelijk · Evaluatieplanning voor (.+?) · stand", page)
        assert heading is not None
        total = int(re.search(r"pagina \d+ van (\d+)", page).group(1))
        assert total == sum(
            1 for p in pages if f"Evaluatieplanning voor {heading.group(1)} · stand" in p
        )


def test_schedule_for_one_teacher_lists_only_their_work(demo_db) -> None:
    from ib_desktop.schedule import compute_moments

    start, end = TODAY, TODAY + timedelta(weeks=8)
    with demo_db.session() as s:
        moments = compute_moments(
            s, demo_db.school_id, today=TODAY, start=start, end=end, include_done=True
        )
        teacher_id = next(m.responsible_id for m in moments if m.responsible_id and m.pupil_id)
        teacher = s.get(Staff, teacher_id)
        mine = {m.pupil_id for m in moments if m.responsible_id == teacher_id and m.pupil_id}
        others = {
            m.pupil_id
            for m in moments
            if m.pupil_id
            and m.group_id not in {g.id for g in teacher.groups}
            and m.responsible_id != teacher_id
        }
        pupil_names = {p.id: p.full_name for p in s.scalars(sa.select(Pupil))}
        pdf = schedule_pdf(
            s, demo_db.school_id, start=start, end=end, teacher_id=teacher_id, today=TODAY
        )
    body = " ".join(text_of(pdf))
    assert teacher.full_name in body
    assert all(pupil_names[p] in body for p in mine)
    assert not any(pupil_names[p] in body for p in others - mine if len(pupil_names[p]) > 8)


def test_schedule_cells_stay_inside_their_columns(demo_db) -> None:
    """Issue 15: "gedaan 12-11-2026" and long group names ran over into the next column."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    from ib_desktop.reports import schedule as report
    from ib_desktop.reports.base import FONT_BOLD
    from ib_desktop.schedule import compute_moments

    start, end = TODAY - timedelta(weeks=8), TODAY + timedelta(weeks=8)
    with demo_db.session() as s:
        names = report._names(s, demo_db.school_id)  # noqa: SLF001
        moments = compute_moments(
            s, demo_db.school_id, today=TODAY, start=start, end=end, include_done=True
        )
    assert any(m.done_on for m in moments)
    assert any(m.is_overdue(TODAY) for m in moments)
    group_id = next(m.group_id for m in moments if m.group_id)
    names.groups[group_id] = "Combinatiegroep 7/8 Zonnebloem"
    width = 480.0
    table = report._table(moments, names, TODAY, width)  # noqa: SLF001
    from ib_desktop.reports.base import FlowableStack

    def paragraphs(value):
        """A cell's paragraphs, also when the table keeps them in stacks."""
        if isinstance(value, Paragraph):
            return [value]
        if isinstance(value, FlowableStack):
            return [p for f in value.content for p in paragraphs(f)]
        if isinstance(value, (list, tuple)):
            return [p for f in value for p in paragraphs(f)]
        return []

    wrapped = []
    for row in table._cellvalues:  # noqa: SLF001
        for col, value in enumerate(row):
            if isinstance(value, str) and value:
                room = table._colWidths[col] - report.CELL_PADDING  # noqa: SLF001
                assert stringWidth(value, FONT_BOLD, 9) <= room, value
            elif col in (0, 2, 5):
                wrapped.extend(p.getPlainText() for p in paragraphs(value))
    assert "Combinatiegroep 7/8 Zonnebloem" in wrapped
    assert any(text.startswith("gedaan ") for text in wrapped)


# ---------------------------------------------------------------------------- overviews


def test_group_overview_counts_every_active_pupil(demo_db) -> None:
    with demo_db.session() as s:
        active = s.scalar(
            sa.select(sa.func.count(Pupil.id)).where(Pupil.status == PupilStatus.ACTIEF)
        )
        pdf = group_overview_pdf(s, demo_db.school_id, today=TODAY)
    body = " ".join(text_of(pdf))
    total = re.search(r"Totaal (?:\d+ \(\d+%\) )+(\d+)", body)
    assert total is not None
    assert int(total.group(1)) == active


def test_group_overview_of_one_group_names_its_pupils(demo_db) -> None:
    with demo_db.session() as s:
        pupil = s.scalars(sa.select(Pupil).where(Pupil.status == PupilStatus.ACTIEF)).first()
        members = list(
            s.scalars(
                sa.select(Pupil).where(
                    Pupil.group_id == pupil.group_id, Pupil.status == PupilStatus.ACTIEF
                )
            )
        )
        pdf = group_overview_pdf(s, demo_db.school_id, group_id=pupil.group_id, today=TODAY)
    body = " ".join(text_of(pdf))
    assert all(m.full_name in body for m in members)


def test_pupil_overview_shows_level_history_and_documents(demo_db) -> None:
    with demo_db.session() as s:
        opp = s.scalars(sa.select(Opp)).first()
        pupil = opp.pupil
        reasons = [
            a.reason
            for a in s.scalars(
                sa.select(LevelAssignment).where(LevelAssignment.pupil_id == pupil.id)
            )
        ]
        pdf = pupil_overview_pdf(s, pupil.id, today=TODAY)
    body = " ".join(text_of(pdf))
    assert "Ondersteuningsniveaus door de jaren heen" in body
    assert all(r in body for r in reasons)
    assert "Schooljaar" in body
    assert "OPP" in body


def test_pupil_overview_chart_follows_the_data_and_today(demo_db) -> None:
    """Issue 15: a pupil whose level starts today showed an empty chart ending in 2025-2026."""
    from ib_desktop.services import pupil as pf

    today = date(2026, 12, 7)
    with demo_db.session() as s:
        data = pf.PupilData(
            first_name="Nieuw", last_name="Kind", birth_date=date(2016, 4, 2),
            first_school_day=date(2020, 8, 31),
        )  # fmt: skip
        pupil_id = pf.create_pupil(s, demo_db.school_id, data, today=today).id
        pdf = pupil_overview_pdf(s, pupil_id, today=today)
    body = " ".join(text_of(pdf))
    assert "2026-2027" in body  # the year of today is on the axis
    assert "2020-2021" not in body  # and no empty years before the first level
    # The level is drawn as a block that can be seen.
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib.units import mm

    from ib_desktop.reports.timeline import Step as _Step
    from ib_desktop.reports.timeline import level_timeline

    drawing = level_timeline(
        [_Step(today, today, 1, "Basis", "#4caf50")], [(1, "Basis", "#4caf50")],
        date(2026, 8, 1), date(2027, 7, 31), 170 * mm,
    )  # fmt: skip
    assert isinstance(drawing, Drawing)
    blocks = [c for c in drawing.contents if isinstance(c, Rect)]
    assert blocks
    assert max(b.width for b in blocks) >= 1.5 * mm


# ---------------------------------------------------------------------------- markdown


def test_markdown_inline_escapes_and_emphasises() -> None:
    assert inline("**vet** en *schuin* & <b>") == "<b>vet</b> en <i>schuin</i> &amp; &lt;b&gt;"
    assert inline(r"2 \* 3 = 6") == "2 * 3 = 6"
    assert inline("snake_case_name blijft") == "snake_case_name blijft"


def test_markdown_blocks_become_paragraphs_and_lists() -> None:
    # Lists print as indented paragraphs with a bullet (a paragraph always splits cleanly over
    # a page or a table row; reportlab's ListFlowable did not), so the list items are checked
    # by their bullet and indentation rather than by a ListFlowable.
    from reportlab.platypus import Paragraph

    flow = markdown_flowables(
        "Eerste alinea\nloopt door.\n\n- een\n- twee\n  - dieper\n\n1. stap\n2. stap"
    )
    assert all(isinstance(f, Paragraph) for f in flow)
    assert "Eerste alinea loopt door." in flow[0].text
    assert flow[0].bulletText is None
    items = [(f.bulletText, f.text, f.style.leftIndent) for f in flow[1:]]
    assert [(b, t) for b, t, _ in items] == [
        ("•", "een"),
        ("•", "twee"),
        ("–", "dieper"),
        ("1.", "stap"),
        ("2.", "stap"),
    ]
    assert items[2][2] > items[1][2] > 0  # the nested item is indented further
    assert markdown_flowables("") == []
    assert markdown_flowables("  \n ") == []


def test_groeidocument_leaves_out_areas_the_document_dropped(demo_db) -> None:
    """Text kept for an area the document no longer uses is not printed."""
    from ib_desktop.models import GrowthDocument

    with demo_db.session() as s:
        doc = s.scalars(sa.select(GrowthDocument).order_by(GrowthDocument.id)).first()
        kept, dropped = doc.areas[0], doc.areas[-1]
        goal = next(g for g in doc.periods[0].goals if g.area == dropped)
        goal.goal = "Dit doel hoort bij een weggelaten gebied"
        doc.areas = [a for a in doc.areas if a != dropped]
        doc_id = doc.id
    with demo_db.session() as s:
        text = " ".join(text_of(growth_document_pdf(s, doc_id)))
    assert kept.split()[0] in text
    assert "weggelaten gebied" not in text


def test_schedule_dutch_for_one_moment_and_nobody_responsible(demo_db, monkeypatch) -> None:
    """Issue 15: "1 momenten" and "Evaluatieplanning voor Zonder vaste verantwoordelijke"."""
    from ib_desktop.models import MomentKind
    from ib_desktop.reports import schedule as report
    from ib_desktop.schedule import Moment

    lonely = Moment(
        "interventie:999", MomentKind.INTERVENTIE, TODAY + timedelta(days=2),
        "Evaluatie korte interventie", None, None, None, "korte_interventie", 999, None,
    )  # fmt: skip
    monkeypatch.setattr(
        report,
        "compute_moments",
        lambda *a, **k: [lonely] if k.get("start") is not None else [],
    )
    with demo_db.session() as s:
        pdf = report.schedule_pdf(
            s, demo_db.school_id, start=TODAY, end=TODAY + timedelta(weeks=1),
            per_teacher=True, today=TODAY,
        )  # fmt: skip
    body = " ".join(text_of(pdf))
    assert "1 moment van" in body
    assert "1 momenten" not in body
    assert "Evaluatieplanning zonder vaste verantwoordelijke" in body
    assert "voor Zonder" not in body
