"""The one-page profile and OPP summary: always exactly one A4 page, whatever the file holds."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from ib_desktop.models import (
    GrowthDocument,
    Guardian,
    Meeting,
    MeetingKind,
    Opp,
    OppGoal,
    OppStatus,
    OppVersion,
    Outcome,
    Pupil,
    ShortIntervention,
    meeting_pupils,
)
from ib_desktop.reports import ReportNotFoundError, opp_summary_pdf, profile_pdf
from ib_desktop.services.school import ensure_school_year
from ib_desktop.services.snapshot import pupil_snapshot
from tests.conftest import TODAY

MONTH_DATE = re.compile(
    r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    r"november|december) \d{4}\b"
)
TEXT_FIELDS = (
    "promoting_factors",
    "hindering_factors",
    "need_attention",
    "need_materials",
    "need_space",
    "need_expertise",
    "need_cooperation",
    "adjustments",
    "parents_view",
    "evaluation",
)


def pages_and_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    return len(reader.pages), unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))


# ---------------------------------------------------------------------------- the demo school


def _most_documents(s) -> int:
    """The demo pupil with the most documents and meetings (queried, not a fixed id)."""
    counts: dict[int, int] = {}
    for model in (ShortIntervention, GrowthDocument):
        for pid, n in s.execute(
            sa.select(model.pupil_id, sa.func.count()).group_by(model.pupil_id)
        ):
            counts[pid] = counts.get(pid, 0) + n
    for pid, n in s.execute(
        sa.select(Opp.pupil_id, sa.func.count()).join(OppVersion).group_by(Opp.pupil_id)
    ):
        counts[pid] = counts.get(pid, 0) + n
    for pid, n in s.execute(
        sa.select(meeting_pupils.c.pupil_id, sa.func.count()).group_by(meeting_pupils.c.pupil_id)
    ):
        counts[pid] = counts.get(pid, 0) + n
    return max(counts, key=lambda pid: (counts[pid], -pid))


def _longest_opp(s) -> int:
    """The demo pupil whose newest OPP version holds the most text."""
    best: tuple[int, int] | None = None
    for version, pupil_id in s.execute(
        sa.select(OppVersion, Opp.pupil_id).join(Opp, Opp.id == OppVersion.opp_id)
    ):
        size = sum(len(getattr(version, f) or "") for f in TEXT_FIELDS)
        size += sum(len(g.goal) + len(g.intermediate_goals) for g in version.goals)
        if best is None or size > best[0]:
            best = (size, pupil_id)
    assert best is not None, "the demo has OPPs"
    return best[1]


def test_demo_largest_files_print_on_exactly_one_page(demo_db) -> None:
    with demo_db.session() as s:
        pupils = {_most_documents(s), _longest_opp(s)}
        for pid in pupils:
            name = s.get(Pupil, pid).full_name
            n, text = pages_and_text(profile_pdf(s, pid, today=TODAY))
            assert n == 1, f"profile of {name}: {n} pages"
            assert name in text
            assert "Lopende documenten" in text
            assert "Afspraken" in text
            assert MONTH_DATE.search(text), "dates as '12 maart 2026'"
            if s.scalar(sa.select(Opp.id).where(Opp.pupil_id == pid)) is not None:
                n, text = pages_and_text(opp_summary_pdf(s, pid, today=TODAY))
                assert n == 1, f"summary of {name}: {n} pages"
                assert "Ik stem in met het handelingsdeel" in text


def test_largest_files_one_page_on_postgresql(pg_url: str) -> None:
    """The same services on PostgreSQL: the demo's largest files still print on one page."""
    from ib_desktop.demo import generate
    from ib_desktop.storage import open_database

    db = open_database(pg_url)
    try:
        generate(db, pupils=40, seed=7, today=TODAY)
        with db.session() as s:
            for pid in {_most_documents(s), _longest_opp(s)}:
                assert pages_and_text(profile_pdf(s, pid, today=TODAY))[0] == 1
            pid = _longest_opp(s)
            n, text = pages_and_text(opp_summary_pdf(s, pid, today=TODAY))
            assert n == 1
            assert "Ik stem in met het handelingsdeel" in text
    finally:
        db.dispose()


def test_profile_reads_level_documents_and_next_evaluation_from_the_demo(demo_db) -> None:
    from ib_desktop.schedule import next_due_by_pupil
    from ib_desktop.services.pupil import level_history

    with demo_db.session() as s:
        due = next_due_by_pupil(s, demo_db.school_id, today=TODAY)
        pid = _most_documents(s)
        if pid not in due:
            pid = next(iter(due))
        _, text = pages_and_text(profile_pdf(s, pid, today=TODAY))
        step = level_history(s, pid, today=TODAY).current("")
        from ib_desktop.dates import long_date

        if step is not None:
            assert f"{step.level.label}, sinds {long_date(step.start)}" in text
        assert long_date(due[pid].due) in text  # the earliest open moment is shown
        assert "Ingekort" not in text  # a normal file is not shortened


def test_summary_says_what_changed_since_the_last_evaluation(demo_db) -> None:
    with demo_db.session() as s:
        pid = s.scalar(
            sa.select(Opp.pupil_id)
            .join(OppVersion, OppVersion.opp_id == Opp.id)
            .where(OppVersion.number >= 2, Opp.end_date.is_(None))
            .order_by(Opp.id)
        )
        n, text = pages_and_text(opp_summary_pdf(s, pid, today=TODAY))
    assert n == 1
    assert "Wat is er veranderd sinds de vorige keer?" in text
    assert "Dit is het eerste plan" not in text
    assert re.search(r"dit doel is (voor een deel |nog niet )?gehaald", text)
    assert "OPP betekent ontwikkelingsperspectiefplan: het plan voor uw kind" in text


def test_pupil_without_opp_profile_works_summary_says_so(demo_db) -> None:
    with demo_db.session() as s:
        pid = s.scalar(
            sa.select(Pupil.id)
            .where(~sa.exists().where(Opp.pupil_id == Pupil.id))
            .order_by(Pupil.id)
        )
        n, _ = pages_and_text(profile_pdf(s, pid, today=TODAY))
        assert n == 1
        with pytest.raises(ReportNotFoundError, match="heeft geen OPP"):
            opp_summary_pdf(s, pid, today=TODAY)


# ---------------------------------------------------------------------------- untidy text

NFD_FIRST = unicodedata.normalize("NFD", "Zoë Anaïs")
TURKISH_LAST = "Yıldız-Öztürk"
GUARDIANS = ("İlknur Şahin", unicodedata.normalize("NFD", "René Çelik"))
NO_CUSTODY = "Gökhan Zondergezag"
NESTED = "\n".join(f"{'  ' * (i % 12)}- niveau {i} 🎒 **vet** *schuin*" for i in range(400))
HUGE = ("Een heel lange tekst met ğ, ş, ı en emoji 😀 die maar doorgaat. " * 17_000)[:1_000_000]


@pytest.fixture
def untidy_pupil(school_db) -> int:
    """A pupil whose OPP holds a 1 MB text, deep nested lists, emoji and 30 goals."""
    with school_db.session() as s:
        year = ensure_school_year(s, TODAY)
        from ib_desktop.models import Group

        group = Group(
            school_id=school_db.school_id,
            school_year_id=year.id,
            name="7A",
            grade_low=7,
            grade_high=7,
        )
        pupil = Pupil(
            school_id=school_db.school_id,
            first_name=NFD_FIRST,
            last_name=TURKISH_LAST,
            birth_date=date(2015, 2, 3),
            group=group,
        )
        s.add_all([group, pupil])
        s.flush()
        s.add_all(
            [
                Guardian(pupil_id=pupil.id, name=n, relation="ouder", has_custody=True)
                for n in GUARDIANS
            ]
            + [Guardian(pupil_id=pupil.id, name=NO_CUSTODY, relation="oom", has_custody=False)]
        )
        s.flush()
        s.refresh(pupil)
        opp = Opp(pupil_id=pupil.id, start_date=date(2025, 9, 1))
        s.add(opp)
        s.flush()
        v1 = OppVersion(
            opp_id=opp.id,
            number=1,
            status=OppStatus.GEEVALUEERD,
            fixed_on=date(2025, 9, 15),
            evaluated_on=date(2026, 3, 1),
            frozen_pupil=pupil_snapshot(pupil),
        )
        v1.goals = [
            OppGoal(
                area="Leren leren",
                position=i,
                goal=f"Oud doel {i} 🧩\n{NESTED}",
                outcome=Outcome.BEHAALD,
            )
            for i in range(25)
        ]
        s.add(v1)
        s.flush()
        v2 = OppVersion(
            opp_id=opp.id,
            number=2,
            status=OppStatus.CONCEPT,
            previous_version_id=v1.id,
            next_evaluation_on=date(2027, 3, 12),
            promoting_factors=HUGE,
            hindering_factors=NESTED,
            need_attention=HUGE,
            need_materials=NESTED,
            adjustments=NESTED + "\n\n" + HUGE,
            parents_view=HUGE,
            evaluation=NESTED,
        )
        v2.goals = [
            OppGoal(area=f"Gebied {i} ✨", position=i, goal=f"Doel {i}: {NESTED}")
            for i in range(30)
        ]
        s.add(v2)
        for i in range(12):
            m = Meeting(
                school_id=school_db.school_id,
                kind=MeetingKind.MDO,
                date=date(2026, 1 + i % 10, 1 + i),
                held=True,
                decisions=f"Besluit {i}:\n{NESTED}\n\n{HUGE[:50_000]}",
            )
            m.pupils = [pupil]
            s.add(m)
        for i in range(20):
            s.add(
                ShortIntervention(
                    pupil_id=pupil.id,
                    start_date=date(2026, 9, 1),
                    end_date=date(2026, 10, 20 - i % 5),
                    goal=f"Interventie {i} 😀 " + "lang " * 400,
                )
            )
        return pupil.id


def test_untidy_file_still_one_page_with_a_note(school_db, untidy_pupil) -> None:
    with school_db.session() as s:
        n, text = pages_and_text(profile_pdf(s, untidy_pupil, today=TODAY))
    assert n == 1
    assert "zie het volledige dossier" in text
    assert "Ingekort om op één pagina te passen" in text
    assert unicodedata.normalize("NFC", NFD_FIRST) in text
    assert TURKISH_LAST in text


def test_untidy_opp_summary_one_page_consent_per_guardian_with_gezag(
    school_db, untidy_pupil
) -> None:
    with school_db.session() as s:
        n, text = pages_and_text(opp_summary_pdf(s, untidy_pupil, today=TODAY))
    assert n == 1
    assert "zie het volledige OPP" in text
    for name in GUARDIANS:
        assert unicodedata.normalize("NFC", name) in text
    assert NO_CUSTODY not in text
    assert text.count("Ik stem in met het handelingsdeel") == len(GUARDIANS)
    assert text.count("Handtekening") == len(GUARDIANS)
    assert "12 maart 2027" in text  # when we meet again, as a Dutch date


def test_one_page_is_deterministic(school_db, untidy_pupil) -> None:
    with school_db.session() as s:
        first = pages_and_text(opp_summary_pdf(s, untidy_pupil, today=TODAY))[1]
        again = pages_and_text(opp_summary_pdf(s, untidy_pupil, today=TODAY))[1]
    assert first == again


# ---------------------------------------------------------------------------- any text

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ib_desktop.reports.markdown import blocks  # noqa: E402
from ib_desktop.reports.one_page import Fit, Page, shorten  # noqa: E402

LINE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=120
)
MARKDOWN = st.lists(
    st.tuples(st.integers(0, 8), st.sampled_from(["- ", "1. ", "", "**", "# "]), LINE),
    max_size=60,
).map(lambda rows: "\n".join(f"{'  ' * d}{m}{t}" for d, m, t in rows))


def _plain(items) -> str:
    return "".join(t for b in items for t, _ in b.runs)


@given(text=MARKDOWN, limit=st.integers(0, 2000))
def test_shorten_keeps_a_prefix_within_the_budget(text: str, limit: int) -> None:
    items = blocks(text)
    kept, cut = shorten(items, limit, max_blocks=max(1, limit // 50))
    printed = _plain(kept)
    assert len(printed) <= max(limit, 0)
    assert _plain(items).startswith(printed)
    assert cut == (len(printed) < len(_plain(items)) or len(kept) < len(items))


@given(text=MARKDOWN)
def test_a_shortened_text_always_ends_in_the_note(text: str) -> None:
    page = Page(Fit(1.0, 0.05), "zie het volledige dossier")  # a budget of 20 characters
    flowables = page.text(text, 400, what="x")
    items = blocks(text)
    fits = len(_plain(items)) <= 20 and len(items) <= 1
    assert bool(page.shortened) == (not fits)
    if page.shortened:
        assert "zie het volledige dossier" in flowables[-1].text


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(strengths=MARKDOWN, goal=MARKDOWN, repeat=st.integers(1, 200))
def test_any_text_still_prints_one_page(school_db, untidy_pupil, strengths, goal, repeat) -> None:
    with school_db.session() as s:
        version = s.scalar(
            sa.select(OppVersion)
            .join(Opp, Opp.id == OppVersion.opp_id)
            .where(Opp.pupil_id == untidy_pupil, OppVersion.number == 2)
        )
        version.promoting_factors = strengths * repeat
        version.adjustments = goal
        for g in version.goals[:3]:
            g.goal = goal * repeat
        s.flush()
        assert pages_and_text(profile_pdf(s, untidy_pupil, today=TODAY))[0] == 1
        assert pages_and_text(opp_summary_pdf(s, untidy_pupil, today=TODAY))[0] == 1
        s.rollback()
