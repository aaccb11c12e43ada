"""``ib-desktop agenda``: the list of moments, filters, Dutch errors, and the .ics file."""

from __future__ import annotations

import re
from datetime import date

import icalendar
import pytest
import sqlalchemy as sa

from ib_desktop.cli import main
from ib_desktop.models import Staff, StaffRole
from ib_desktop.schedule import compute_moments, directory

TODAY = "18-11-2026"
ROW = re.compile(r"^(ma|di|wo|do|vr) (\d\d-\d\d-\d{4})  ")


@pytest.fixture
def path(demo_db):
    return str(demo_db.path)


def agenda(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["agenda", *args])
    out, err = capsys.readouterr()
    return code, out, err


def row_dates(out: str) -> list[date]:
    found = []
    for line in out.splitlines():
        if m := ROW.match(line):
            d, mth, y = m.group(2).split("-")
            found.append(date(int(y), int(mth), int(d)))
    return found


def test_lists_overdue_and_coming_weeks(capsys, path, demo_db) -> None:
    code, out, _ = agenda(capsys, "--database", path, "--today", TODAY)
    assert code == 0
    assert out.startswith("Agenda OBS De Regenboog")
    assert "Datum" in out
    assert "Leerling" in out
    assert "Wie" in out
    dates = row_dates(out)
    assert dates == sorted(dates)
    assert "TE LAAT" in out
    with demo_db.session() as s:
        expected = compute_moments(
            s, demo_db.school_id, today=date(2026, 11, 18), end=date(2026, 12, 30)
        )
    assert len(dates) == len(expected)
    assert f"{len(expected)} momenten" in out


def test_overdue_only(capsys, path) -> None:
    code, out, _ = agenda(capsys, "--database", path, "--today", TODAY, "--overdue")
    assert code == 0
    lines = [line for line in out.splitlines() if ROW.match(line)]
    assert lines
    assert all(line.rstrip().endswith("TE LAAT") for line in lines)


def test_dutch_dates_for_the_period(capsys, path) -> None:
    code, out, _ = agenda(
        capsys,
        "--database",
        path,
        "--today",
        TODAY,
        "--from",
        "1 december 2026",
        "--to",
        "31-12-2026",
    )
    assert code == 0
    dates = row_dates(out)
    assert dates
    assert all(date(2026, 12, 1) <= d <= date(2026, 12, 31) for d in dates)
    assert "TE LAAT" not in out


def test_teacher_and_group_filters(capsys, path, demo_db) -> None:
    with demo_db.session() as s:
        teacher = s.scalars(
            sa.select(Staff).where(Staff.role == StaffRole.LEERKRACHT).order_by(Staff.id)
        ).first()
        names = directory(s, demo_db.school_id)
        group = next(g for g, ts in names.group_teachers.items() if teacher.id in ts)
        group_name = names.group(group)
    code, out, _ = agenda(
        capsys, "--database", path, "--today", TODAY, "--teacher", str(teacher.id)
    )
    assert code == 0
    assert teacher.full_name in out.splitlines()[0]
    code, out2, _ = agenda(
        capsys, "--database", path, "--today", TODAY, "--group", f"groep {group_name}"
    )
    assert code == 0
    rows = [line for line in out2.splitlines() if ROW.match(line)]
    assert rows
    assert all(f"  {group_name}  " in line for line in rows)


def test_kind_filter(capsys, path) -> None:
    code, out, _ = agenda(
        capsys, "--database", path, "--today", TODAY, "--to", "31-1-2027", "--kind", "zorgplicht"
    )
    assert code == 0
    rows = [line for line in out.splitlines() if ROW.match(line)]
    assert rows
    assert all("Zorgplicht" in line for line in rows)


def test_unknown_teacher_gets_suggestions_and_exit_2(capsys, path, demo_db) -> None:
    with demo_db.session() as s:
        teacher = s.scalars(
            sa.select(Staff).where(Staff.role == StaffRole.LEERKRACHT).order_by(Staff.id)
        ).first()
    typo = teacher.last_name[:-1] + "x"
    code, out, err = agenda(capsys, "--database", path, "--teacher", typo)
    assert code == 2
    assert out == ""
    assert "Geen medewerker" in err
    assert "Bedoelt u" in err
    assert teacher.full_name in err


def test_unknown_group_lists_the_groups(capsys, path) -> None:
    code, _, err = agenda(capsys, "--database", path, "--today", TODAY, "--group", "9Z")
    assert code == 2
    assert "Geen groep '9Z'" in err
    assert "Groepen: 1, 2, 3" in err


def test_bad_dates_exit_2(capsys, path) -> None:
    code, _, err = agenda(capsys, "--database", path, "--from", "morgen")
    assert code == 2
    assert "--from" in err
    assert "geen datum" in err
    code, _, err = agenda(capsys, "--database", path, "--from", "10-12-2026", "--to", "1-12-2026")
    assert code == 2
    assert "vóór" in err


def test_ics_file_twice_same_uids(capsys, path, tmp_path) -> None:
    target = tmp_path / "agenda.ics"
    code, out, _ = agenda(capsys, "--database", path, "--today", TODAY, "--ics", str(target))
    assert code == 0
    assert "afspraken geschreven" in out
    first = icalendar.Calendar.from_ical(target.read_bytes())
    code, _, _ = agenda(capsys, "--database", path, "--today", TODAY, "--ics", str(target))
    second = icalendar.Calendar.from_ical(target.read_bytes())
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uids
    assert uids == [str(e["UID"]) for e in second.walk("VEVENT")]
    assert not list(tmp_path.glob("*.part"))


def test_ics_to_a_missing_folder_is_a_clear_error(capsys, path, tmp_path) -> None:
    code, _, err = agenda(capsys, "--database", path, "--ics", str(tmp_path / "nee" / "a.ics"))
    assert code == 2
    assert "bestaat niet" in err


def test_ics_after_a_leaver_cancels_his_moments_and_uses_initials(
    capsys, path, demo_db, tmp_path
) -> None:
    from ib_desktop.models import Opp
    from ib_desktop.services.pupil import LeaveKind, leave_school

    target = tmp_path / "agenda.ics"
    code, _, _ = agenda(capsys, "--database", path, "--today", TODAY, "--ics", str(target))
    assert code == 0
    first = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    }
    with demo_db.session() as s:
        opp = s.scalars(sa.select(Opp).where(Opp.end_date.is_(None)).order_by(Opp.id)).first()
        pupil = opp.pupil
        full = pupil.full_name
        leave_school(s, pupil.id, date(2026, 11, 18), LeaveKind.SBO, "De Brug",
                     expected_version=pupil.version, today=date(2026, 11, 18))  # fmt: skip
    assert full not in target.read_text(encoding="utf-8")  # initials by default
    code, out, _ = agenda(capsys, "--database", path, "--today", TODAY, "--ics", str(target))
    assert code == 0
    assert "vervallen als geannuleerd" in out
    second = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    }
    assert set(first) <= set(second)  # nothing simply dropped
    cancelled = [u for u, e in second.items() if str(e["STATUS"]) == "CANCELLED"]
    assert cancelled
    for uid in cancelled:
        assert int(second[uid]["SEQUENCE"]) == int(first[uid]["SEQUENCE"]) + 1

    other = tmp_path / "eigen.ics"
    code, _, _ = agenda(
        capsys, "--database", path, "--today", TODAY, "--ics", str(other), "--full-names"
    )
    assert code == 0
    text = other.read_text(encoding="utf-8")
    assert "CANCELLED" not in text  # a new file starts its own memory
    names = directory_names(demo_db)
    assert any(n in text for n in names)
    code, _, err = agenda(
        capsys, "--database", path, "--ics", str(other), "--full-names", "--initials"
    )
    assert code == 2
    assert "niet allebei" in err


def directory_names(demo_db) -> set[str]:
    with demo_db.session() as s:
        ms = compute_moments(s, demo_db.school_id, today=date(2026, 11, 18))
        d = directory(s, demo_db.school_id, [m.pupil_id for m in ms if m.pupil_id])
        return {d.pupil(m.pupil_id) for m in ms if m.pupil_id}
