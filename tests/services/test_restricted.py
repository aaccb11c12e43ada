"""Restricted reports, release to the SWV, the view log and zienswijze ouders (issue 19).

Every test runs on SQLite and on PostgreSQL. The teacher's role must not get the content of a
sensitive report or a confidential note through any service: the pupil file, one record, the
one-page print; nor change it by saving the blanked copy back.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from ib_desktop.domain_types import AccountRole
from ib_desktop.models import Assessment, Meeting, ParentView, Pupil, PupilStatus, ViewLogEntry
from ib_desktop.reports import profile_pdf
from ib_desktop.services import pupil as pf
from ib_desktop.services import view_log
from ib_desktop.services.school import create_school
from ib_desktop.storage import open_database
from ib_desktop.validation import ValidationErrors
from tests.conftest import TODAY

TEACHER = AccountRole.LEERKRACHT
SECRET = "IQ 74, vermoeden van ADHD; thuissituatie zwaar (ç, ğ, İ, 😀)"
MEETING_SECRET = "Vader in detentie; niet met de groep bespreken"
CARE_SECRET = "Behandeling bij GGZ wegens angststoornis"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path):
    url = str(tmp_path / "r.sqlite") if request.param == "sqlite" else request.getfixturevalue(
        "pg_url"
    )
    database = open_database(url)
    yield database
    database.dispose()


@pytest.fixture
def file(db):
    """A pupil with a guardian with gezag, one without, a sensitive and a plain report, a
    confidential meeting and confidential care."""
    with db.session() as s:
        school = create_school(s, "De Test", brin="99ZZ", swv_name="SWV", today=TODAY)
        pid = pf.create_pupil(
            s, school.id,
            pf.PupilData(first_name="Çağla", last_name="Yılmaz", birth_date=date(2017, 5, 1)),
            today=TODAY, actor="IB",
        ).id  # fmt: skip
        mother = pf.save_guardian(s, pid, pf.GuardianData(name="Ayşe Yılmaz"))
        other = pf.save_guardian(s, pid, pf.GuardianData(name="Oom Ali", has_custody=False))
        sensitive = pf.save_assessment(
            s, pid,
            pf.AssessmentData(date=TODAY - timedelta(days=30), kind="Psychologisch onderzoek",
                              performed_by="Praktijk Noord", conclusion=SECRET, sensitive=True),
            today=TODAY,
        )  # fmt: skip
        plain = pf.save_assessment(
            s, pid,
            pf.AssessmentData(date=TODAY - timedelta(days=60), kind="Didactisch onderzoek",
                              performed_by="IB", conclusion="Spelling E-niveau"),
            today=TODAY,
        )  # fmt: skip
        meeting = pf.save_meeting(
            s, pid,
            pf.MeetingData(date=TODAY - timedelta(days=3), notes=MEETING_SECRET,
                           decisions="Extra begeleiding; " + MEETING_SECRET, confidential=True),
            today=TODAY,
        )  # fmt: skip
        care = pf.save_care_provider(
            s, pid, pf.CareProviderData(organisation="GGZ", notes=CARE_SECRET, confidential=True)
        )
    return {
        "pupil": pid, "mother": mother, "other": other, "sensitive": sensitive, "plain": plain,
        "meeting": meeting, "care": care, "school": school.id,
    }  # fmt: skip


# ---------------------------------------------------------------------------- restricted


@pytest.mark.parametrize("role", [AccountRole.IB, AccountRole.DIRECTIE, None])
def test_ib_directie_and_accounts_off_read_everything(db, file, role) -> None:
    with db.session() as s:
        f = pf.load_pupil_file(s, file["pupil"], today=TODAY, role=role)
    report = next(a for a in f.assessments if a.id == file["sensitive"])
    assert report.conclusion == SECRET
    assert not report.restricted
    assert f.meetings[0].notes == MEETING_SECRET
    assert f.care_providers[0].notes == CARE_SECRET


def test_a_teacher_sees_that_a_report_exists_not_its_content(db, file) -> None:
    with db.session() as s:
        f = pf.load_pupil_file(s, file["pupil"], today=TODAY, role=TEACHER)
        one = pf.load_assessment(s, file["pupil"], file["sensitive"], role=TEACHER)
        meeting = pf.load_meeting(s, file["pupil"], file["meeting"], role=TEACHER)
        care = pf.load_care_provider(s, file["pupil"], file["care"], role=TEACHER)
    report = next(a for a in f.assessments if a.id == file["sensitive"])
    assert report.restricted
    assert report.kind == "Psychologisch onderzoek"
    assert report.date == TODAY - timedelta(days=30)
    assert report.conclusion == ""
    assert report.performed_by == ""
    plain = next(a for a in f.assessments if a.id == file["plain"])
    assert plain.conclusion == "Spelling E-niveau"
    assert not plain.restricted
    assert (one.conclusion, one.restricted) == ("", True)
    assert f.meetings[0].restricted
    assert f.meetings[0].notes == f.meetings[0].decisions == ""
    assert (meeting.notes, meeting.decisions, meeting.restricted) == ("", "", True)
    assert f.care_providers[0].restricted
    assert f.care_providers[0].notes == ""
    assert (care.notes, care.organisation) == ("", "GGZ")
    # Nowhere in what the services handed over is the secret.
    assert SECRET not in repr(f)
    assert MEETING_SECRET not in repr(f)
    assert CARE_SECRET not in repr(f)


def test_a_teacher_cannot_overwrite_or_delete_what_they_cannot_read(db, file) -> None:
    with db.session() as s:
        blanked = pf.load_assessment(s, file["pupil"], file["sensitive"], role=TEACHER)
    blanked.conclusion = "overschreven"
    with pytest.raises(pf.RestrictedError, match="vertrouwelijk"), db.session() as s:
        pf.save_assessment(s, file["pupil"], blanked, today=TODAY, role=TEACHER)
    with pytest.raises(pf.RestrictedError), db.session() as s:
        pf.delete_assessment(s, file["pupil"], file["sensitive"], role=TEACHER)
    with db.session() as s:
        meeting = pf.load_meeting(s, file["pupil"], file["meeting"], role=TEACHER)
    with pytest.raises(pf.RestrictedError), db.session() as s:
        pf.save_meeting(s, file["pupil"], meeting, today=TODAY, role=TEACHER)
    with pytest.raises(pf.RestrictedError), db.session() as s:
        pf.delete_meeting(s, file["pupil"], file["meeting"], role=TEACHER)
    with db.session() as s:
        assert s.get(Assessment, file["sensitive"]).conclusion == SECRET
        assert s.get(Meeting, file["meeting"]).notes == MEETING_SECRET


def test_confidential_notes_stay_out_of_the_change_log(db, file) -> None:
    from ib_desktop.models import ChangeLog

    with db.session() as s:
        m = pf.load_meeting(s, file["pupil"], file["meeting"])
        m.notes = MEETING_SECRET + " (aangevuld)"
        pf.save_meeting(s, file["pupil"], m, today=TODAY)
        logged = " ".join(
            f"{c.old_value} {c.new_value} {c.summary}" for c in s.scalars(sa.select(ChangeLog))
        )
    assert MEETING_SECRET not in logged
    assert CARE_SECRET not in logged
    assert SECRET not in logged


def test_the_one_page_print_for_a_teacher_leaves_confidential_notes_out(db, file) -> None:
    with db.session() as s:
        as_teacher = profile_pdf(s, file["pupil"], today=TODAY, role=TEACHER)
        as_ib = profile_pdf(s, file["pupil"], today=TODAY, role=AccountRole.IB)

    def text(pdf: bytes) -> str:
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)

    assert "detentie" in text(as_ib)
    assert "detentie" not in text(as_teacher)


# ---------------------------------------------------------------------------- SWV release


def test_release_to_the_swv_records_date_guardian_and_who(db, file) -> None:
    with db.session() as s:
        assert pf.released_for_swv(s, file["pupil"]) == []
        data = pf.load_assessment(s, file["pupil"], file["sensitive"])
        data.swv_released_on = TODAY - timedelta(days=1)
        data.swv_guardian_id = file["mother"]
        pf.save_assessment(s, file["pupil"], data, today=TODAY, actor="Ineke (IB)",
                           role=AccountRole.IB)  # fmt: skip
    with db.session() as s:
        released = pf.released_for_swv(s, file["pupil"])
        with_plain = pf.released_for_swv(s, file["pupil"], include_not_sensitive=True)
    assert [a.id for a in released] == [file["sensitive"]]
    r = released[0]
    assert (r.swv_released_on, r.swv_guardian_name, r.swv_released_by) == (
        TODAY - timedelta(days=1), "Ayşe Yılmaz", "Ineke (IB)",
    )  # fmt: skip
    assert r.conclusion == SECRET
    assert {a.id for a in with_plain} == {file["sensitive"], file["plain"]}


@pytest.mark.parametrize(
    ("guardian", "on", "field"),
    [
        ("other", TODAY, "swv_guardian_id"),  # no gezag
        (None, TODAY, "swv_guardian_id"),
        ("mother", None, "swv_released_on"),
        ("mother", TODAY + timedelta(days=1), "swv_released_on"),
    ],
)
def test_a_release_needs_a_guardian_with_gezag_and_a_past_date(db, file, guardian, on, field):
    with db.session() as s:
        data = pf.load_assessment(s, file["pupil"], file["sensitive"])
        data.swv_released_on = on
        data.swv_guardian_id = file[guardian] if guardian else None
        with pytest.raises(ValidationErrors) as exc:
            pf.save_assessment(s, file["pupil"], data, today=TODAY)
    assert field in exc.value.errors


def test_a_teacher_cannot_release_a_report(db, file) -> None:
    with db.session() as s:
        data = pf.load_assessment(s, file["pupil"], file["plain"], role=TEACHER)
        data.swv_released_on, data.swv_guardian_id = TODAY, file["mother"]
        with pytest.raises(pf.RestrictedError, match="samenwerkingsverband"):
            pf.save_assessment(s, file["pupil"], data, today=TODAY, role=TEACHER)


# ---------------------------------------------------------------------------- view log


def test_the_view_log_records_and_shows_to_the_ib_er_only(db, file) -> None:
    with db.session() as s:
        view_log.record_view(s, file["pupil"], view_log.OPENED, "leerlingdossier",
                             actor="Ineke de Boer", login="ineke")  # fmt: skip
        view_log.record_view(s, file["pupil"], view_log.PRINTED, "Eén pagina voor overleg",
                             actor="Ineke de Boer", login="ineke")  # fmt: skip
        n = view_log.record_views(
            s, [file["pupil"], file["pupil"], None], view_log.EXPORTED, "OPP-register (CSV)"
        )
    assert n == 2  # the same pupil twice is one line
    with db.session() as s:
        rows = view_log.pupil_view_log(s, file["pupil"], role=AccountRole.IB)
        with pytest.raises(pf.RestrictedError):
            view_log.pupil_view_log(s, file["pupil"], role=TEACHER)
    assert {(r.action, r.what) for r in rows} == {
        ("geopend", "leerlingdossier"),
        ("afgedrukt", "Eén pagina voor overleg"),
        ("geexporteerd", "OPP-register (CSV)"),
    }
    opened = next(r for r in rows if r.action == "geopend")
    assert (opened.actor, opened.login) == ("Ineke de Boer", "ineke")
    with pytest.raises(ValueError, match="unknown"), db.session() as s:
        view_log.record_view(s, file["pupil"], "bekeken", "x")


def test_the_view_log_goes_only_with_the_whole_file(db, file) -> None:
    with db.session() as s:
        view_log.record_view(s, file["pupil"], view_log.OPENED, "leerlingdossier")
        view_log.record_view(s, None, view_log.PRINTED, "Groepsoverzicht")
        pupil = s.get(Pupil, file["pupil"])
        pupil.status, pupil.left_on = PupilStatus.VERTROKKEN, TODAY - timedelta(days=800)
        pupil.delete_after = TODAY - timedelta(days=1)
    with db.session() as s:
        pf.delete_file(s, file["pupil"], confirm_name="Çağla Yılmaz", today=TODAY)
    with db.session() as s:
        left = s.scalars(sa.select(ViewLogEntry.what)).all()
        views = s.scalars(sa.select(ParentView)).all()
    assert left == ["Groepsoverzicht"]
    assert views == []


# ---------------------------------------------------------------------------- zienswijze ouders


def test_parents_add_their_view_to_a_record_and_it_shows_beside_it(db, file) -> None:
    text = "Wij zien thuis juist veel concentratie.\n\n- bij lego\n- bij 😀 tekenen"
    with db.session() as s:
        vid = pf.save_parent_view(
            s, file["pupil"],
            pf.ParentViewData(entity="assessment", entity_id=file["plain"], given_on=TODAY,
                              guardian_id=file["mother"], text=text),
            today=TODAY, actor="IB",
        )  # fmt: skip
        pf.save_parent_view(
            s, file["pupil"],
            pf.ParentViewData(entity="assessment", entity_id=file["sensitive"], given_on=TODAY,
                              guardian_id=file["mother"], text="Wij zijn het oneens: " + SECRET),
            today=TODAY,
        )  # fmt: skip
    with db.session() as s:
        ib = pf.load_pupil_file(s, file["pupil"], today=TODAY)
        teacher = pf.load_pupil_file(s, file["pupil"], today=TODAY, role=TEACHER)
    [view] = ib.views_on("assessment", file["plain"])
    assert (view.id, view.text, view.guardian_name, view.given_on) == (
        vid, text, "Ayşe Yılmaz", TODAY,
    )  # fmt: skip
    assert teacher.views_on("assessment", file["plain"])[0].text == text
    hidden = teacher.views_on("assessment", file["sensitive"])[0]
    assert hidden.restricted
    assert hidden.text == ""
    assert SECRET not in repr(teacher)


def test_a_parent_view_needs_a_record_of_this_pupil_a_guardian_and_text(db, file) -> None:
    with db.session() as s, pytest.raises(ValidationErrors) as exc:
        pf.save_parent_view(
            s, file["pupil"],
            pf.ParentViewData(entity="assessment", entity_id=999_999, given_on=None,
                              guardian_id=None, text="  "),
            today=TODAY,
        )  # fmt: skip
    assert set(exc.value.errors) == {"entity", "guardian_id", "given_on", "text"}
