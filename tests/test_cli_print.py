"""``ib-desktop print`` and ``ib-desktop pupils`` on the demo school, read back from the files."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from ib_desktop.cli import main
from ib_desktop.models import Group, Opp, OppVersion, Pupil, PupilStatus
from tests.conftest import TODAY


def pdf_text(path: Path) -> str:
    reader = PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def demo_path(demo_db) -> str:
    return str(demo_db.path)


def opp_pupil(demo_db) -> tuple[int, str, list[int]]:
    """A pupil with an OPP of two or more versions and a name no other pupil has."""
    with demo_db.session() as s:
        names: dict[str, int] = {}
        for p in s.scalars(sa.select(Pupil)):
            names[p.full_name] = names.get(p.full_name, 0) + 1
        for opp in s.scalars(sa.select(Opp).order_by(Opp.id)):
            if len(opp.versions) >= 2 and names[opp.pupil.full_name] == 1:
                return opp.pupil_id, opp.pupil.full_name, [v.number for v in opp.versions]
    raise AssertionError("the demo has an OPP with two versions")


def test_print_opp_by_id_and_by_name(demo_db, demo_path, tmp_path, capsys) -> None:
    pid, name, versions = opp_pupil(demo_db)
    by_id = tmp_path / "by_id.pdf"
    code, out, err = run(
        capsys, "print", "opp", "--pupil", str(pid), "-o", str(by_id), "--database", demo_path
    )
    assert code == 0, err
    assert str(by_id) in out
    assert "pagina" in out
    text = pdf_text(by_id)
    assert name in text
    assert f"versie {versions[-1]}" in text
    by_name = tmp_path / "by_name.pdf"
    code, _, err = run(
        capsys, "print", "opp", "--pupil", name, "-o", str(by_name), "--database", demo_path
    )
    assert code == 0, err
    assert pdf_text(by_name) == text or name in pdf_text(by_name)
    # an earlier version on request
    old = tmp_path / "v1.pdf"
    code, _, err = run(
        capsys,
        "print",
        "opp",
        "--pupil",
        str(pid),
        "--version",
        "1",
        "-o",
        str(old),
        "--database",
        demo_path,
    )
    assert code == 0, err
    assert "versie 1 · pagina 1 van" in pdf_text(old)


def test_ambiguous_name_lists_the_candidates(demo_db, demo_path, tmp_path, capsys) -> None:
    with demo_db.session() as s:
        group = s.scalars(sa.select(Group).order_by(Group.id.desc())).first()
        ids = []
        for born in (date(2017, 2, 1), date(2018, 5, 9)):
            p = Pupil(
                school_id=demo_db.school_id,
                first_name="Sanne",
                tussenvoegsel="de",
                last_name="Vries",
                birth_date=born,
                group_id=group.id,
            )
            s.add(p)
            s.flush()
            ids.append(p.id)
    target = tmp_path / "x.pdf"
    code, out, err = run(
        capsys, "print", "overview", "--pupil", "Vries", "-o", str(target), "--database", demo_path
    )
    assert code == 2
    assert not target.exists()
    assert "past bij 2 leerlingen" in err
    for pid in ids:
        assert re.search(rf"^\s*{pid}\s+Sanne de Vries", err, re.M)
    # the id settles it
    code, _, err = run(
        capsys,
        "print",
        "overview",
        "--pupil",
        str(ids[1]),
        "-o",
        str(target),
        "--database",
        demo_path,
    )
    assert code == 0, err
    assert "Sanne de Vries" in pdf_text(target)


def test_unknown_pupil_and_missing_document(demo_db, demo_path, tmp_path, capsys) -> None:
    code, _, err = run(
        capsys,
        "print",
        "opp",
        "--pupil",
        "Xyzzy Niemand",
        "-o",
        str(tmp_path / "a.pdf"),
        "--database",
        demo_path,
    )
    assert code == 2
    assert "Geen leerling gevonden" in err
    with demo_db.session() as s:
        without = s.scalars(
            sa.select(Pupil.id).where(~Pupil.id.in_(sa.select(Opp.pupil_id))).limit(1)
        ).first()
    code, _, err = run(
        capsys,
        "print",
        "opp",
        "--pupil",
        str(without),
        "-o",
        str(tmp_path / "b.pdf"),
        "--database",
        demo_path,
    )
    assert code == 2
    assert "geen OPP" in err
    assert not (tmp_path / "b.pdf").exists()


def group_with_opps(demo_db) -> tuple[str, list[str]]:
    with demo_db.session() as s:
        rows = s.execute(
            sa.select(Group.name, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name)
            .join(Pupil, Pupil.group_id == Group.id)
            .join(Opp, Opp.pupil_id == Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF, Opp.end_date.is_(None))
        ).all()
    by_group: dict[str, list[str]] = {}
    for g, f, tv, last in rows:
        by_group.setdefault(g, []).append(" ".join(p for p in (f, tv, last) if p))
    name = max(by_group, key=lambda g: len(by_group[g]))
    return name, by_group[name]


def test_group_into_one_file(demo_db, demo_path, tmp_path, capsys) -> None:
    group, pupils = group_with_opps(demo_db)
    target = tmp_path / "groep.pdf"
    code, _, err = run(
        capsys, "print", "opp", "--group", group.lower(), "-o", str(target), "--database", demo_path
    )
    assert code == 0, err
    reader = PdfReader(str(target))
    bookmarks = [o.title for o in reader.outline]
    assert sorted(bookmarks) == sorted(pupils)
    text = pdf_text(target)
    assert text.count("Zo leest u dit plan") == len(pupils)  # one cover per OPP
    assert all(p in text for p in pupils)


def test_group_into_a_folder(demo_db, demo_path, tmp_path, capsys) -> None:
    group, pupils = group_with_opps(demo_db)
    folder = tmp_path / "opps"
    code, out, err = run(
        capsys, "print", "opp", "--group", group, "-o", f"{folder}/", "--database", demo_path
    )
    assert code == 0, err
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(pupils)
    assert not list(folder.glob(".ib-*"))  # no temporary files left behind
    for f in files:
        assert f.name.startswith("OPP ")
        assert any(p in pdf_text(f) for p in pupils)


def test_schedule_and_group_overview(demo_db, demo_path, tmp_path, capsys) -> None:
    target = tmp_path / "planning.pdf"
    code, _, err = run(
        capsys,
        "print",
        "schedule",
        "--from",
        "01-11-2026",
        "--to",
        "31-12-2026",
        "--per-teacher",
        "--today",
        TODAY.isoformat(),
        "-o",
        str(target),
        "--database",
        demo_path,
    )
    assert code == 0, err
    text = pdf_text(target)
    assert "Evaluatieplanning voor" in text
    assert "te laat" in text
    assert "1 november 2026 t/m 31 december 2026" in text
    code, _, err = run(
        capsys,
        "print",
        "schedule",
        "--from",
        "31-12-2026",
        "--to",
        "01-11-2026",
        "-o",
        str(target),
        "--database",
        demo_path,
    )
    assert code == 2
    assert "--to" in err
    overview = tmp_path / "groepen.pdf"
    code, _, err = run(capsys, "print", "group", "-o", str(overview), "--database", demo_path)
    assert code == 0, err
    assert "Groepsoverzicht" in pdf_text(overview)


def test_pupils_lists_ids_names_groups_levels(demo_db, demo_path, capsys) -> None:
    code, out, _ = run(capsys, "pupils", "--database", demo_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "naam", "groep", "niveau", "OPP"]
    with demo_db.session() as s:
        active = list(s.scalars(sa.select(Pupil).where(Pupil.status == PupilStatus.ACTIEF)))
        p = active[0]
        group_name = p.group.name
    assert f"{len(active)} leerling(en)." in out
    row = next(line for line in lines if re.match(rf"^\s*{p.id}\s", line))
    assert p.sort_name in row
    assert group_name in row
    # columns are aligned: every row's group starts right under the header "groep"
    col = lines[0].index("groep")
    for line in lines[2 : 2 + len(active)]:
        assert line[col - 1] == " "
        assert line[col:].split()[0][0].isdigit()


def test_pupils_filters(demo_db, demo_path, capsys) -> None:
    with demo_db.session() as s:
        with_opp = {v.opp.pupil_id for v in s.scalars(sa.select(OppVersion))}
        group = s.scalars(sa.select(Group).join(Pupil, Pupil.group_id == Group.id)).first()
        in_group = {
            p.id
            for p in s.scalars(
                sa.select(Pupil).where(
                    Pupil.group_id == group.id, Pupil.status == PupilStatus.ACTIEF
                )
            )
        }
        left = {
            p.id for p in s.scalars(sa.select(Pupil).where(Pupil.status == PupilStatus.VERTROKKEN))
        }

    def ids(out: str) -> set[int]:
        return {int(m) for m in re.findall(r"^\s*(\d+)\s+(?!leerling)", out, re.M)}

    code, out, _ = run(capsys, "pupils", "--has-opp", "--database", demo_path)
    assert code == 0
    assert ids(out) == with_opp - left
    code, out, _ = run(capsys, "pupils", "--group", group.name, "--database", demo_path)
    assert ids(out) == in_group
    code, out, _ = run(
        capsys, "pupils", "--level", "1", "--group", group.name, "--database", demo_path
    )
    assert ids(out) < in_group
    assert ids(out)
    code, out, _ = run(capsys, "pupils", "--left", "--database", demo_path)
    assert left <= ids(out)
    assert "vertrokken" in out
    code, _, err = run(capsys, "pupils", "--group", "9Z", "--database", demo_path)
    assert code == 2
    assert "Geen groep '9Z'" in err


def test_print_help_lists_the_documents(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["print", "--help"])
    out = capsys.readouterr().out
    for what in ("opp", "groeidocument", "interventie", "schedule", "overview", "group", "--pupil"):
        assert what in out


def test_a_missing_database_is_not_created(tmp_path, capsys) -> None:
    missing = tmp_path / "tikfout.sqlite"
    code, _, err = run(capsys, "pupils", "--database", str(missing))
    assert code == 2
    assert "bestaat niet" in err
    code, _, err = run(
        capsys, "print", "group", "-o", str(tmp_path / "x.pdf"), "--database", str(missing)
    )
    assert code == 2
    assert "bestaat niet" in err
    assert not missing.exists()


def test_print_opp_register_as_csv_and_pdf(demo_db, demo_path, tmp_path, capsys) -> None:
    import csv

    with demo_db.session() as s:
        opps = {
            oid: (start, end)
            for oid, start, end in s.execute(sa.select(Opp.id, Opp.start_date, Opp.end_date))
        }
        first = s.scalars(sa.select(Opp).order_by(Opp.start_date)).first()
        name = first.pupil.full_name
        first.end_date = date(2026, 6, 30)
    target = tmp_path / "register.csv"
    code, out, err = run(
        capsys,
        "print",
        "opp-register",
        "--today",
        TODAY.isoformat(),
        "-o",
        str(target),
        "--database",
        demo_path,
    )
    assert code == 0, err
    assert str(target) in out
    assert f"({len(opps)} OPP's)" in out
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh, delimiter=";"))
    assert records[0][:2] == ["Leerlingnummer", "Naam"]
    assert len(records) == len(opps) + 1
    ended = next(r for r in records if r[1] == name)
    assert "30-06-2026" in ended
    assert "beëindigd" in ended

    code, out, err = run(
        capsys,
        "print",
        "opp-register",
        "--running",
        "--today",
        TODAY.isoformat(),
        "-o",
        str(target),
        "--database",
        demo_path,
    )
    assert code == 0, err
    with target.open(encoding="utf-8-sig", newline="") as fh:
        names = [r[1] for r in csv.reader(fh, delimiter=";")]
    assert len(names) == len(opps)
    assert name not in names

    pdf = tmp_path / "register.pdf"
    code, out, err = run(
        capsys,
        "print",
        "opp-register",
        "--school-year",
        "2025-2026",
        "--today",
        TODAY.isoformat(),
        "-o",
        str(pdf),
        "--database",
        demo_path,
    )
    assert code == 0, err
    assert str(pdf) in out
    assert "pagina" in out
    text = pdf_text(pdf)
    assert "OPP-register" in text
    assert "schooljaar 2025-2026" in text
    assert name in text
    assert "Start OPP" in text
    assert "30-06-2026" in text


def test_print_opp_register_refuses_bad_options(demo_path, tmp_path, capsys) -> None:
    target = str(tmp_path / "register.pdf")
    code, _, err = run(
        capsys,
        "print",
        "opp-register",
        "--school-year",
        "2025-2027",
        "-o",
        target,
        "--database",
        demo_path,
    )
    assert code == 2
    assert "geen schooljaar" in err
    code, _, err = run(
        capsys, "print", "opp-register", "--group", "5", "-o", target, "--database", demo_path
    )
    assert code == 2
    assert "hele school" in err
    code, _, err = run(capsys, "print", "group", "--running", "-o", target, "--database", demo_path)
    assert code == 2
    assert "opp-register" in err
    assert not Path(target).exists()


def test_print_help_mentions_the_opp_register(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["print", "--help"])
    out = capsys.readouterr().out
    assert "opp-register" in out
    assert "--school-year" in out
    assert "--running" in out


def test_print_opp_register_lists_what_duo_would_refuse(
    demo_db, demo_path, tmp_path, capsys
) -> None:
    import csv

    with demo_db.session() as s:
        first = s.scalars(sa.select(Opp).order_by(Opp.start_date, Opp.id)).first()
        name = first.pupil.full_name
        first.end_date = None
        s.add(Opp(pupil_id=first.pupil_id, start_date=first.start_date + timedelta(days=30)))
    target = tmp_path / "register.csv"
    args = ("print", "opp-register", "--today", TODAY.isoformat(), "-o", str(target))
    code, out, err = run(capsys, *args, "--duo-dates", "--database", demo_path)
    assert code == 3
    assert str(target) in out  # written all the same, to look at
    assert "DUO weigert" in err
    assert f"  - {name}: 2 OPP's zonder einddatum" in err
    with target.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh, delimiter=";"))
    assert records[0][-1] == "Einddatum OPP (EEJJMMDD)"
    assert any(r[1] == name and r[-2] == first.start_date.strftime("%Y%m%d") for r in records)

    code, _, err = run(capsys, *args, "--ignore-problems", "--database", demo_path)
    assert code == 0
    assert f"{name}: 2 OPP's zonder einddatum" in err

    code, _, err = run(
        capsys,
        "print",
        "opp-register",
        "--duo-dates",
        "-o",
        str(tmp_path / "r.pdf"),
        "--database",
        demo_path,
    )
    assert code == 2
    assert "CSV" in err


# ---------------------------------------------------------------------------- one page


def test_print_profile_and_opp_summary_are_one_page(demo_db, demo_path, tmp_path, capsys) -> None:
    pid, name, _versions = opp_pupil(demo_db)
    for what, heading in (("profile", "Eén pagina voor overleg"), ("opp-summary", "Het plan voor")):
        out_file = tmp_path / f"{what}.pdf"
        code, out, err = run(
            capsys, "print", what, "--pupil", str(pid), "-o", str(out_file), "--database", demo_path
        )
        assert code == 0, err
        assert "1 pagina" in out
        assert len(PdfReader(str(out_file)).pages) == 1
        text = pdf_text(out_file)
        assert heading in text
        assert name in text


def test_print_one_page_needs_a_pupil(demo_path, tmp_path, capsys) -> None:
    for what in ("profile", "opp-summary"):
        code, _, err = run(
            capsys,
            "print",
            what,
            "--group",
            "5",
            "-o",
            str(tmp_path / "x.pdf"),
            "--database",
            demo_path,
        )
        assert code == 2
        assert "--pupil" in err


def test_print_opp_summary_without_opp_is_a_dutch_error(
    demo_db, demo_path, tmp_path, capsys
) -> None:
    with demo_db.session() as s:
        pid = s.scalar(
            sa.select(Pupil.id)
            .where(~sa.exists().where(Opp.pupil_id == Pupil.id))
            .order_by(Pupil.id)
        )
    target = tmp_path / "ouders.pdf"
    code, _, err = run(
        capsys,
        "print",
        "opp-summary",
        "--pupil",
        str(pid),
        "-o",
        str(target),
        "--database",
        demo_path,
    )
    assert code == 2
    assert "heeft geen OPP" in err
    assert not target.exists()
    code, _, err = run(
        capsys, "print", "profile", "--pupil", str(pid), "-o", str(target), "--database", demo_path
    )
    assert code == 0, err
    assert len(PdfReader(str(target)).pages) == 1
