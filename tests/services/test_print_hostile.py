"""Every printer prints whatever a teacher can type or paste, and a batch survives a bad document.

The rich text of the forms is Markdown (Qt's editor writes it). Hypothesis writes Markdown with
nested lists to any depth, mis-nested emphasis, headings, code spans, ``<tags>`` and
``&entities;``, control characters, emoji, Arabic and Hebrew, long words, Turkish and NFD
letters, and puts it into every rich-text field of every printer: the PDF must build, pypdf must
read it, and the words must be in it. Fixed examples replay the crashes that were reported.
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from ib_desktop.models import (
    Assessment,
    EvaluationMoment,
    Group,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    Guardian,
    LevelAssignment,
    MomentKind,
    Opp,
    OppConsent,
    OppConversation,
    OppGoal,
    OppStatus,
    OppVersion,
    Outcome,
    Pupil,
    School,
    SchoolHistoryEntry,
    ShortIntervention,
    Staff,
    StaffRole,
)
from ib_desktop.reports import batch as batch_mod
from ib_desktop.reports import (
    group_overview_pdf,
    growth_document_pdf,
    intervention_pdf,
    opp_pdf,
    pupil_overview_pdf,
    schedule_pdf,
)
from ib_desktop.reports.base import ReportInfo, build_pdf, content_width, field_table, printable
from ib_desktop.reports.markdown import blocks, markdown_flowables, markdown_plain
from ib_desktop.reports.overview import GOAL_LIMIT
from ib_desktop.services.opp.parts import NEED_ASPECTS
from ib_desktop.services.school import ensure_school_year
from ib_desktop.services.snapshot import pupil_snapshot
from tests.conftest import TODAY

# ---------------------------------------------------------------------------- the text

#: Words the PDF must show again. Turkish dotted and dotless i, Dutch ĳ, and two written in
#: NFD (a letter followed by a combining accent), as a Mac pastes them.
WORDS = (
    "rekenen",
    "begrijpend",
    "Zoë",
    "Dvořák",
    "Ĳsbrand",
    "İlkay",
    "ışıklı",
    "Çağrı",
    unicodedata.normalize("NFD", "Anaïs"),
    unicodedata.normalize("NFD", "café"),
    "groep5B",
)
#: Everything else a user may type or paste, printed or dropped but never fatal.
HOSTILE = (
    "<b>",
    "</i>",
    "<para>",
    "<br/>",
    "<font size=90>",
    "&amp;",
    "&nbsp;",
    "&#x41;",
    "&",
    "<",
    ">",
    "\\",
    "\\*",
    "`code`",
    "``dubbel``",
    "[link](https://x.nl)",
    "![plaatje](p.png)",
    "<https://x.nl>",
    "|a|b|",
    "---",
    "> citaat",
    "\x00",
    "\x01",
    "\x07",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u200b",
    "\u202e",
    "\ufeff",
    "😀",
    "👩‍👩‍👧‍👦",
    "🇳🇱",
    "مرحبا بالعالم",
    "שלום עולם",
    "e\u0301\u0302\u0303",
    "\t",
    "#",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "***",
    "1.",
    "-",
)
EMPHASIS = ("", "", "*", "**", "***", "_", "__", "~~", "**_", "*~~", "_**")

word = st.sampled_from(WORDS)
emphasised = st.builds(
    lambda a, w, b: a + w + b, st.sampled_from(EMPHASIS), word, st.sampled_from(EMPHASIS)
)
inline_token = st.one_of(
    emphasised,
    emphasised,
    st.sampled_from(HOSTILE),
    st.integers(30, 160).map(lambda n: "W" * n),  # a word longer than a table column
    st.text(max_size=6),  # anything at all
)
line_text = st.lists(inline_token, min_size=1, max_size=6).map(" ".join)
#: A line for a field that may not be empty (a name, a reason).
filled_line = line_text.map(lambda t: "Zoë " + t)


@st.composite
def markdown_text(draw: st.DrawFn, max_lines: int = 8) -> str:
    """Markdown as a teacher's text: paragraphs, headings, lists nested up to 12 deep."""
    lines: list[str] = []
    stack: list[int] = []  # the text offset of each open list item
    for _ in range(draw(st.integers(1, max_lines))):
        kind = draw(st.sampled_from(("paragraph", "item", "item", "item", "heading", "blank")))
        content = draw(line_text)
        if kind == "item":
            deeper = draw(st.booleans())
            depth = len(stack) if deeper else draw(st.integers(0, len(stack)))
            depth = min(depth, 12)
            marker = draw(st.sampled_from(("-", "*", "+", "1.", "2)", "10.")))
            stack = stack[:depth]
            lines.append(" " * sum(stack) + marker + " " + content)
            stack.append(len(marker) + 1)
        elif kind == "heading":
            lines.append("#" * draw(st.integers(1, 7)) + " " + content)
            stack = []
        elif kind == "blank":
            lines.append("")
        else:
            lines.append(content)
    return "\n".join(lines)


def nested_list(items: int) -> str:
    """The reported crash: an ordinary bullet list with nested items."""
    out = []
    for i in range(items):
        out.append(f"- punt {i} rekenen met een korte uitleg")
        out.append(
            f"  - dieper {i} begrijpend lezen, met een zin die over de regel heen loopt "
            "zodat het item twee regels hoog wordt"
        )
        out.append(f"    - nog dieper {i} Zoë")
    return "\n".join(out)


MISNESTED = "**rekenen *begrijpend** lezen* en **Zoë *doet** mee*"
MEGABYTE = "\n\n".join(
    f"Alinea {i}: **rekenen** gaat *beter* met de aanpak van groep5B. " * 40 for i in range(420)
)
LONG_WORD = "rekenen " + "x" * 200_000 + " begrijpend"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return nfc(re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages)))


def words_in(text: str) -> set[str]:
    """The words of WORDS that ``text`` contains (NFC)."""
    t = nfc(printable(text))
    return {nfc(w) for w in WORDS if nfc(w) in t}


def assert_words_printed(pdf: bytes, expected: set[str]) -> None:
    """Every expected word is in the PDF's text (a word broken over two lines counts too)."""
    text = re.sub(r"\s+", "", pdf_text(pdf))
    missing = {w for w in expected if w not in text}
    assert not missing, f"not printed: {missing}"


HYPOTHESIS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# ---------------------------------------------------------------------------- a pupil with it all


@dataclass
class Case:
    school_id: int
    group_id: int
    pupil_id: int
    version_id: int
    growth_id: int
    intervention_id: int


@pytest.fixture(scope="module")
def case_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Case]:
    """A school with one pupil who has every printed document, made once; tests copy it."""
    from ib_desktop.services.school import create_school
    from ib_desktop.storage import backup_sqlite, open_database

    path = tmp_path_factory.mktemp("hostile") / "template.sqlite"
    database = open_database(path)
    with database.session() as s:
        school_id = create_school(s, "Basisschool De Test", today=TODAY).id
    made = make_case(database, school_id)
    database.dispose()
    final = path.with_name("case.sqlite")
    backup_sqlite(path, final)
    return final, made


@pytest.fixture
def case(case_template: tuple[Path, Case]) -> Case:
    return case_template[1]


@pytest.fixture
def case_db(case_template: tuple[Path, Case], tmp_path: Path) -> Iterator:
    """A private copy of the template's database."""
    from ib_desktop.storage import open_database

    target = tmp_path / "case.sqlite"
    shutil.copyfile(case_template[0], target)
    database = open_database(target)
    yield database
    database.dispose()


def make_case(db, school_id: int) -> Case:
    """A pupil with every printed document: OPP (two versions), groeidocument, interventie."""
    with db.session() as s:
        school = s.get(School, school_id)
        year = ensure_school_year(s, TODAY)
        group = Group(
            school_id=school.id, school_year_id=year.id, name="5B", grade_low=5, grade_high=5
        )
        teacher = Staff(school_id=school.id, first_name="Fenna", last_name="Smit")
        ib = Staff(school_id=school.id, first_name="Ilse", last_name="Bos", role=StaffRole.IB)
        group.teachers.append(teacher)
        s.add_all([group, teacher, ib])
        pupil = Pupil(
            school_id=school.id,
            first_name="Sanne",
            last_name="Vries",
            tussenvoegsel="de",
            birth_date=date(2016, 5, 1),
            first_school_day=date(2020, 5, 2),
            group=group,
        )
        s.add(pupil)
        s.flush()
        s.add(Guardian(pupil_id=pupil.id, name="Anna de Vries", relation="moeder"))
        s.add(
            Assessment(
                pupil_id=pupil.id, date=date(2025, 5, 1), kind="Observatie", performed_by="AB"
            )
        )
        s.add(SchoolHistoryEntry(pupil_id=pupil.id, institution="Peuterspeelzaal"))
        level = school.support_structure.levels[2]
        s.add(
            LevelAssignment(
                pupil_id=pupil.id, level_id=level.id, start_date=date(2025, 9, 1), reason="x"
            )
        )
        opp = Opp(pupil_id=pupil.id, start_date=date(2025, 10, 1))
        s.add(opp)
        s.flush()
        s.refresh(pupil)
        v1 = OppVersion(
            opp_id=opp.id,
            number=1,
            status=OppStatus.GEEVALUEERD,
            fixed_on=date(2025, 10, 15),
            frozen_pupil=pupil_snapshot(pupil),
        )
        v1.goals = [OppGoal(area="Rekenen", goal="x", outcome=Outcome.DEELS_BEHAALD)]
        s.add(v1)
        s.flush()
        v2 = OppVersion(
            opp_id=opp.id, number=2, status=OppStatus.CONCEPT, previous_version_id=v1.id
        )
        v2.goals = [
            OppGoal(area="Rekenen", position=0, goal="x", evaluation_date=date(2026, 10, 1)),
            OppGoal(area="Leren leren", position=1, goal="x", outcome=Outcome.BEHAALD),
        ]
        s.add(v2)
        s.flush()
        s.add(OppConversation(opp_version_id=v2.id, date=date(2026, 3, 1)))
        s.add(
            OppConsent(
                opp_version_id=v2.id, guardian_name="Anna de Vries", consent=True, date=TODAY
            )
        )
        growth = GrowthDocument(pupil_id=pupil.id, areas=["Rekenen", "Lezen"])
        s.add(growth)
        s.flush()
        period = GrowthPeriod(
            document_id=growth.id, number=1, start_date=date(2026, 1, 5), end_date=date(2026, 3, 1)
        )
        period.goals = [
            GrowthGoal(area="Rekenen", position=0),
            GrowthGoal(area="Lezen", position=1),
        ]
        s.add(period)
        intervention = ShortIntervention(
            pupil_id=pupil.id,
            teacher_id=teacher.id,
            start_date=TODAY - timedelta(weeks=2),
            end_date=TODAY + timedelta(weeks=4),
        )
        s.add(intervention)
        s.add(
            EvaluationMoment(
                school_id=school.id,
                key="gepland:1",
                kind=MomentKind.GROEPSBESPREKING,
                title="Extra bespreking",
                group_id=group.id,
                due_date=TODAY + timedelta(days=10),
                responsible_id=teacher.id,
            )
        )
        s.flush()
        return Case(school.id, group.id, pupil.id, v2.id, growth.id, intervention.id)


#: Every rich-text field of an OPP version (besides the goals, conversations and consents).
OPP_FIELDS = (
    "general_notes",
    "school_career_notes",
    "assessment_notes",
    "arrangement_notes",
    "promoting_factors",
    "hindering_factors",
    *(attr for attr, _ in NEED_ASPECTS),
    "youth_act",
    "long_term_care_act",
    "health_insurance",
    "coordination",
    "outflow_rationale",
    "adjustments",
    "parents_view",
    "pupil_view",
    "evaluation",
)


def fill_opp(db, case: Case, text: str) -> None:
    """``text`` in every rich-text field the OPP prints, in all 13 parts."""
    with db.session() as s:
        version = s.get(OppVersion, case.version_id)
        for name in OPP_FIELDS:
            setattr(version, name, text)
        pupil = s.get(Pupil, case.pupil_id)
        pupil.family_composition = text  # part 1 (a concept version prints the live data)
        for a in s.scalars(sa.select(Assessment).where(Assessment.pupil_id == pupil.id)):
            a.conclusion = text  # part 3
        for h in s.scalars(sa.select(SchoolHistoryEntry)):
            h.notes = text  # part 2 (plain text)
        for g in version.goals + version.previous_version.goals:
            g.goal = g.intermediate_goals = g.result = text  # parts 9 and 12
        for c in version.conversations:
            c.summary = text  # part 11
        for c in version.consents:
            c.view = text  # part 11


def fill_plans(db, case: Case, text: str) -> None:
    """``text`` in every field of the groeidocument and the korte interventie."""
    with db.session() as s:
        item = s.get(ShortIntervention, case.intervention_id)
        doc = s.get(GrowthDocument, case.growth_id)
        for g in [item, *(g for p in doc.periods for g in p.goals)]:
            g.goal = g.support_need = g.execution = g.evaluation = text
            g.outcome = Outcome.BEHAALD


def fill_names(db, case: Case, line: str) -> None:
    """A pasted line as the pupil's first name, the planned moment's title and a level reason.

    (A name and a reason may not be empty: the database refuses that, and so do the forms.)
    """
    with db.session() as s:
        s.get(Pupil, case.pupil_id).first_name = line[:80]
        s.scalars(sa.select(EvaluationMoment)).one().title = line[:200]
        s.scalars(sa.select(LevelAssignment)).one().reason = line


# ---------------------------------------------------------------------------- Markdown alone


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), markdown_text(), line_text))
@example(MISNESTED)
@example(nested_list(40))
@example("- " * 300 + "rekenen")  # nesting deeper than the parser reads
@example("\n".join("  " * i + "- niveau" + str(i) for i in range(80)))
def test_markdown_keeps_every_word_and_makes_valid_paragraphs(text: str) -> None:
    """Nothing typed is lost: every word (letters and digits) of the text is printed."""
    from ib_desktop.reports.base import styles

    found = blocks(text)
    printed = " ".join((b.bullet or "") + " " + "".join(t for t, _ in b.runs) for b in found)
    for token in re.findall(r"[^\W_]+", printable(text)):
        assert token in printed
    # every piece is markup reportlab accepts, and lays out in a narrow column
    for flowable in markdown_flowables(text, styles().cell):
        assert isinstance(flowable, Paragraph)
        flowable.wrap(120, 1000)


def test_emphasis_is_read_by_a_parser_and_markup_stays_literal() -> None:
    from ib_desktop.reports.markdown import inline

    assert inline("**vet** en *schuin* en ~~weg~~") == (
        "<b>vet</b> en <i>schuin</i> en <strike>weg</strike>"
    )
    # mis-nested emphasis still gives well-formed tags
    assert inline("**a *b** c*").count("<i>") == inline("**a *b** c*").count("</i>")
    # markup characters print as typed
    assert inline("<b>x</b> &amp; `code` [a](b)") == (
        "&lt;b&gt;x&lt;/b&gt; &amp;amp; `code` [a](b)"
    )
    assert inline("a\x00b\x1b[0mc") == "ab[0mc"


def test_a_text_thick_with_emphasis_prints_plain_and_fast(monkeypatch) -> None:
    """Bold and italic cost time per marker: past a limit they are dropped, never the text."""
    from ib_desktop.reports import markdown

    monkeypatch.setattr(markdown, "MAX_EMPHASIS", 8)
    monkeypatch.setattr(markdown, "MAX_MARKERS", 40)
    few = "**vet** en *schuin*"
    assert blocks(few)[0].runs == [("vet", 1), (" en ", 0), ("schuin", 2)]
    many = "**vet** en *schuin* " * 3  # 18 markers: read, printed without emphasis
    assert blocks(many)[0].runs == [(("vet en schuin " * 3).strip(), 0)]
    lots = "**vet** en *schuin* " * 8  # 48 markers: printed as typed
    assert blocks(lots)[0].runs == [(lots.strip(), 0)]


def test_overview_line_is_short_and_says_it_is_cut() -> None:
    plain = markdown_plain("- " + "woord " * 500, limit=GOAL_LIMIT)
    assert plain.endswith(" …")
    assert len(plain) <= GOAL_LIMIT + 2


# ---------------------------------------------------------------------------- the printers


@settings(HYPOTHESIS, max_examples=20)
@given(markdown_text(max_lines=5))
@example(MISNESTED)
@example(nested_list(8))
def test_opp_prints_any_text_in_all_13_parts(case_db, case, text: str) -> None:
    fill_opp(case_db, case, text)
    with case_db.session() as s:
        pdf = opp_pdf(s, case.version_id, today=TODAY)
    assert "13. Handtekeningen" in pdf_text(pdf)
    assert_words_printed(pdf, words_in(text))


@HYPOTHESIS
@given(markdown_text())
@example(MISNESTED)
@example(nested_list(20))
def test_groeidocument_and_interventie_print_any_text(case_db, case, text: str) -> None:
    fill_plans(case_db, case, text)
    with case_db.session() as s:
        growth = growth_document_pdf(s, case.growth_id)
        intervention = intervention_pdf(s, case.intervention_id)
    assert_words_printed(growth, words_in(text))
    assert_words_printed(intervention, words_in(text))


@settings(HYPOTHESIS, max_examples=20)
@given(markdown_text(max_lines=4), filled_line)
@example(MISNESTED, "<b>Zoë</b> \x1b[1m 😀 שלום")
def test_overviews_and_schedule_print_any_text(case_db, case, text: str, line: str) -> None:
    fill_plans(case_db, case, text)
    fill_names(case_db, case, line)
    with case_db.session() as s:
        pupil = pupil_overview_pdf(s, case.pupil_id, today=TODAY)
        group = group_overview_pdf(s, case.school_id, group_id=case.group_id, today=TODAY)
        schedule = schedule_pdf(
            s,
            case.school_id,
            start=TODAY,
            end=TODAY + timedelta(weeks=8),
            today=TODAY,
            per_teacher=True,
        )
    goal_line = markdown_plain(text, limit=GOAL_LIMIT).removesuffix(" …")
    assert_words_printed(pupil, words_in(goal_line) | words_in(line))
    name = words_in(line[:80])
    assert_words_printed(group, name)
    assert_words_printed(schedule, name | words_in(line[:200]))


# ---------------------------------------------------------------------------- the reported crashes


@pytest.mark.parametrize("items", [8, 11, 13, 16, 19, 24, 29, 37])
def test_nested_list_breaking_over_a_page_in_body_and_table(items: int) -> None:
    """The blPara crash: a nested list split by a page end, as text and in a table cell."""
    from ib_desktop.reports.base import styles

    info = ReportInfo(title="t", footer="f")
    width = content_width(info)
    text = nested_list(items)
    story = [
        *markdown_flowables(text, styles().body),
        field_table([("Doel", markdown_flowables(text, styles().cell))], width),
    ]
    printed = pdf_text(build_pdf(info, story))
    assert printed.count(f"nog dieper {items - 1} Zoë") == 2


def test_opp_and_groeidocument_with_a_nested_list(case_db, case) -> None:
    for items in (9, 14, 22, 31):  # the page ends fall at different places in the list
        text = nested_list(items)
        with case_db.session() as s:
            version = s.get(OppVersion, case.version_id)
            version.adjustments = text  # part 10: text on the page
            version.promoting_factors = text  # part 5: a table of two columns
            version.goals[0].intermediate_goals = text  # part 9: a table of four columns
            s.get(GrowthGoal, 1).execution = text  # the groeidocument's table
        with case_db.session() as s:
            opp = pdf_text(opp_pdf(s, case.version_id, today=TODAY))
            growth = pdf_text(growth_document_pdf(s, case.growth_id))
        assert opp.count(f"nog dieper {items - 1} Zoë") == 3
        assert f"nog dieper {items - 1} Zoë" in growth


def test_a_long_list_in_a_table_cell_prints_every_item(case_db, case) -> None:
    """Hundreds of items in one cell: split over pages, none lost, none twice."""
    text = "\n".join(f"- stap{i} rekenen" for i in range(400))
    with case_db.session() as s:
        s.get(GrowthGoal, 1).execution = text
        s.get(OppVersion, case.version_id).hindering_factors = text  # part 5
    with case_db.session() as s:
        growth = pdf_text(growth_document_pdf(s, case.growth_id))
        opp = pdf_text(opp_pdf(s, case.version_id, today=TODAY))
    assert re.findall(r"stap(\d+) rekenen", growth) == [str(i) for i in range(400)]
    assert re.findall(r"stap(\d+) rekenen", opp) == [str(i) for i in range(400)]


def test_a_long_plain_text_in_a_table_cell_continues_on_the_next_pages() -> None:
    """Plain text (a note, a reason) longer than a page, in a table and in a form."""
    from ib_desktop.reports.base import grid_table

    info = ReportInfo(title="t", footer="f")
    width = content_width(info)
    text = " ".join(f"woord{i}" for i in range(12000))
    pdf = build_pdf(
        info,
        [
            grid_table(["Soort", "Toelichting"], [["Notitie", text]], [width / 3, 2 * width / 3]),
            field_table([("Reden", text)], width),
        ],
    )
    printed = pdf_text(pdf)
    assert printed.count("woord0 ") == 2
    assert printed.count("woord11999") == 2
    assert len(re.findall(r"woord\d+", printed)) == 24000


def first_and_last_page(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages
    return len(pages), nfc(" ".join(pages[i].extract_text() or "" for i in (0, -1)))


def test_a_megabyte_of_text_prints(case_db, case) -> None:
    assert len(MEGABYTE) > 1_000_000
    with case_db.session() as s:
        s.get(OppVersion, case.version_id).adjustments = MEGABYTE  # part 10, as text
        s.get(ShortIntervention, case.intervention_id).goal = MEGABYTE  # in a table cell
        s.scalars(sa.select(LevelAssignment)).one().reason = MEGABYTE  # plain text in a cell
    with case_db.session() as s:
        pages, ends = first_and_last_page(opp_pdf(s, case.version_id, today=TODAY))
        assert pages > 100
        assert "13. Handtekeningen" in ends
        pages, ends = first_and_last_page(intervention_pdf(s, case.intervention_id))
        assert pages > 100
        assert "Korte interventie" in ends
        overview = pupil_overview_pdf(s, case.pupil_id, today=TODAY)
        pages, ends = first_and_last_page(overview)
        assert pages > 100
        assert "Alinea 419" in ends  # the reason ends on the last pages
        assert "Documenten per schooljaar" in ends
        # the overview's list of documents shows the start of the goal only
        last = PdfReader(io.BytesIO(overview)).pages[-1].extract_text()
        assert "Alinea 0: rekenen" in nfc(last)
        assert "Alinea 1:" not in nfc(last)


def test_a_word_of_200000_letters_prints(case_db, case) -> None:
    with case_db.session() as s:
        s.get(OppVersion, case.version_id).goals[0].intermediate_goals = LONG_WORD  # part 9
        s.get(ShortIntervention, case.intervention_id).execution = LONG_WORD
    with case_db.session() as s:
        pages, ends = first_and_last_page(opp_pdf(s, case.version_id, today=TODAY))
        assert pages > 20
        assert "13. Handtekeningen" in ends
        pages, ends = first_and_last_page(intervention_pdf(s, case.intervention_id))
        assert pages > 10
        assert "rekenen" in ends or "begrijpend" in ends


# ---------------------------------------------------------------------------- batches


def break_opp(db, version_id: int) -> None:
    """Damage one OPP version the way an old bug could have: a list where a mapping belongs."""
    with db.session() as s:
        s.get(OppVersion, version_id).subject_levels = ["Rekenen", "1F"]


def group_with_running_opps(db) -> tuple[str, list[batch_mod.BatchItem]]:
    with db.session() as s:
        groups = list(s.scalars(sa.select(Group)))
        best = max(groups, key=lambda g: len(batch_mod.group_items(s, g.id, "opp")))
        return best.name, batch_mod.group_items(s, best.id, "opp")


def test_batch_reports_the_broken_document_and_makes_the_rest(demo_db) -> None:
    _, items = group_with_running_opps(demo_db)
    assert len(items) >= 2
    broken = items[0]
    break_opp(demo_db, broken.record_id)
    with demo_db.session() as s:
        result = batch_mod.build_all(
            items, lambda item: batch_mod.build_one(s, "opp", item.record_id, today=TODAY)
        )
    assert [f.item for f in result.failed] == [broken]
    assert "onverwachte fout" in result.failed[0].reason
    assert [item for item, _ in result.done] == [i for i in items if i != broken]
    for item, data in result.done:
        assert item.pupil_name in pdf_text(data)


def test_batch_can_be_stopped_between_documents(demo_db) -> None:
    _, items = group_with_running_opps(demo_db)
    with demo_db.session() as s:
        result = batch_mod.build_all(
            items,
            lambda item: batch_mod.build_one(s, "opp", item.record_id, today=TODAY),
            before_each=lambda n, _item: n < 1,
        )
    assert result.cancelled
    assert len(result.done) == 1


@pytest.mark.parametrize("into", ["folder", "file"])
def test_cli_group_batch_prints_the_rest_and_names_the_failure(
    demo_db, tmp_path: Path, capsys, into: str
) -> None:
    from ib_desktop.cli import main

    group, items = group_with_running_opps(demo_db)
    broken = items[0]
    break_opp(demo_db, broken.record_id)
    target = f"{tmp_path / 'opps'}/" if into == "folder" else str(tmp_path / "opps.pdf")
    code = main(
        [
            "print",
            "opp",
            "--group",
            group,
            "-o",
            target,
            "--today",
            TODAY.strftime("%d-%m-%Y"),
            "--database",
            str(demo_db.path),
        ]
    )
    out = capsys.readouterr()
    assert code == 1
    assert f"Niet gelukt: {broken.pupil_name}" in out.err
    assert f"1 van {len(items)} documenten niet gemaakt" in out.err
    if into == "folder":
        files = sorted((tmp_path / "opps").glob("*.pdf"))
        assert len(files) == len(items) - 1
        names = " ".join(pdf_text(f.read_bytes()) for f in files)
    else:
        names = pdf_text((tmp_path / "opps.pdf").read_bytes())
    for item in items:
        assert (item.pupil_name in names) == (item != broken), item.pupil_name
