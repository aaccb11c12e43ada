"""Prints of restricted reports and of the parents' views (issue 19), on the demo school."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from ib_desktop.domain_types import AccountRole
from ib_desktop.models import OppStatus, OppVersion
from ib_desktop.reports import opp_pdf
from ib_desktop.services import pupil as pf
from ib_desktop.services.snapshot import restricted_snapshot
from tests.conftest import TODAY

SECRET = "Angststoornis vastgesteld door de kinderpsychiater"
VIEW = "Wij herkennen ons niet in deze conclusie"


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_the_opp_print_hides_sensitive_reports_from_a_teacher_and_carries_parent_views(
    demo_db,
) -> None:
    with demo_db.session() as s:
        version = s.scalars(
            sa.select(OppVersion)
            .where(OppVersion.status == OppStatus.CONCEPT)
            .order_by(OppVersion.id)
        ).first()
        version_id, pupil_id = version.id, version.opp.pupil_id
        guardian = pf.save_guardian(s, pupil_id, pf.GuardianData(name="Moeder Bakker"))
        pf.save_assessment(
            s, pupil_id,
            pf.AssessmentData(date=TODAY - timedelta(days=9), kind="Psychiatrisch onderzoek",
                              conclusion=SECRET, sensitive=True),
            today=TODAY,
        )  # fmt: skip
        plain = pf.save_assessment(
            s, pupil_id,
            pf.AssessmentData(date=TODAY - timedelta(days=8), kind="Leesonderzoek",
                              conclusion="Leest op AVI E4"),
            today=TODAY,
        )  # fmt: skip
        pf.save_parent_view(
            s, pupil_id,
            pf.ParentViewData(entity="assessment", entity_id=plain, given_on=TODAY,
                              guardian_id=guardian, text=VIEW),
            today=TODAY,
        )  # fmt: skip
    with demo_db.session() as s:
        ib = _text(opp_pdf(s, version_id, today=TODAY, include_sensitive=True, role=AccountRole.IB))
        teacher = _text(
            opp_pdf(s, version_id, today=TODAY, include_sensitive=True, role=AccountRole.LEERKRACHT)
        )
    assert SECRET in ib
    assert SECRET not in teacher
    assert "Psychiatrisch" not in teacher  # the sensitive row is one "left out" line
    assert VIEW in ib
    assert VIEW in teacher
    assert "Zienswijze ouders (Moeder Bakker" in teacher


def test_a_snapshot_for_a_teacher_blanks_sensitive_reports_only() -> None:
    snap = {
        "assessments": [
            {"id": 1, "kind": "Medisch", "conclusion": SECRET, "performed_by": "Arts",
             "sensitive": True},
            {"id": 2, "kind": "Lezen", "conclusion": "AVI E4", "performed_by": "IB",
             "sensitive": False},
        ]
    }  # fmt: skip
    teacher = restricted_snapshot(snap, AccountRole.LEERKRACHT)
    assert teacher["assessments"][0]["conclusion"] == ""
    assert teacher["assessments"][0]["restricted"] is True
    assert teacher["assessments"][1]["conclusion"] == "AVI E4"
    assert snap["assessments"][0]["conclusion"] == SECRET  # the stored snapshot is untouched
    assert restricted_snapshot(snap, AccountRole.DIRECTIE) is snap


def _pupil(school_db) -> int:
    from datetime import date

    with school_db.session() as s:
        return pf.create_pupil(
            s, school_db.school_id,
            pf.PupilData(first_name="Noor", last_name="Smit", birth_date=date(2018, 1, 2)),
            today=TODAY,
        ).id  # fmt: skip


def test_no_text_of_a_sensitive_report_reaches_a_teacher(school_db) -> None:
    """Whatever the report says (untidy text, emoji, NFD, 10 kB), a teacher gets none of it."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pupil_id = _pupil(school_db)
    texts = st.text(min_size=3, max_size=10_000).filter(lambda t: t.strip() and "\x00" not in t)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(conclusion=texts, by=st.text(min_size=1, max_size=80).filter(str.strip))
    def check(conclusion: str, by: str) -> None:
        with school_db.session() as s:
            aid = pf.save_assessment(
                s, pupil_id,
                pf.AssessmentData(date=TODAY, kind="Onderzoek", performed_by=by,
                                  conclusion=conclusion, sensitive=True),
                today=TODAY,
            )  # fmt: skip
        with school_db.session() as s:
            one = pf.load_assessment(s, pupil_id, aid, role=AccountRole.LEERKRACHT)
            whole = pf.load_pupil_file(s, pupil_id, today=TODAY, role=AccountRole.LEERKRACHT)
            full = pf.load_assessment(s, pupil_id, aid, role=AccountRole.IB)
        assert full.conclusion == conclusion.strip()
        assert (one.conclusion, one.performed_by, one.restricted) == ("", "", True)
        mine = next(a for a in whole.assessments if a.id == aid)
        assert (mine.conclusion, mine.performed_by) == ("", "")

    check()


def test_a_parent_view_on_a_level_decision_shows_in_the_file_and_the_overview(demo_db) -> None:
    from ib_desktop.reports import pupil_overview_pdf

    with demo_db.session() as s:
        version = s.scalars(sa.select(OppVersion).order_by(OppVersion.id)).first()
        pupil_id = version.opp.pupil_id
        file = pf.load_pupil_file(s, pupil_id, today=TODAY)
        step = file.levels.steps[-1]
        guardian = pf.save_guardian(s, pupil_id, pf.GuardianData(name="Oma Dekker"))
        pf.save_parent_view(
            s, pupil_id,
            pf.ParentViewData(entity="level_assignment", entity_id=step.assignment_id,
                              given_on=TODAY, guardian_id=guardian,
                              text="Wij vinden opschalen te vroeg"),
            today=TODAY,
        )  # fmt: skip
    with demo_db.session() as s:
        file = pf.load_pupil_file(s, pupil_id, today=TODAY)
        pdf = pupil_overview_pdf(s, pupil_id, today=TODAY)
    same = next(x for x in file.levels.steps if x.assignment_id == step.assignment_id)
    [view] = same.parent_views
    assert view.text == "Wij vinden opschalen te vroeg"
    assert "Wij vinden opschalen te vroeg" in _text(pdf)
    assert "Zienswijze ouders (Oma Dekker" in _text(pdf)
