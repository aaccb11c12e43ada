"""Benchmark cases 2-8 (case 1, start-up, is in run.py). Each returns a list of Results."""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.run import TODAY, Result, demo_database, fresh_copy, new_database, timed


def _open(path: Path):
    from ib_desktop.database import open_database

    return open_database(path)


def _school_id(db) -> int:
    from ib_desktop.services.school import get_school

    with db.session() as s:
        return get_school(s).id


# ---------------------------------------------------------------- 2. pupil list at 50,000
def case_pupil_list(args: argparse.Namespace) -> list[Result]:
    """Loading the pupil list at N pupils, and the time per keystroke of the quick filter."""
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext
    from ib_desktop.ui.pupil_list.page import PupilListPage

    app = ensure_application()
    db = _open(fresh_copy(demo_database(args.pupils)))
    ctx = AppContext(db=db, school_id=_school_id(db), today_fn=lambda: TODAY)

    class Nav:
        def __init__(self) -> None:
            from PySide6.QtCore import QObject, Signal

            class _Sig(QObject):
                dataChanged = Signal()  # noqa: N815

            self._sig = _Sig()
            self.dataChanged = self._sig.dataChanged

        def open_pupil(self, pupil_id: int) -> None: ...
        def open_document(self, *a, **k) -> None: ...
        def show_page(self, key: str) -> None: ...
        def notify_changed(self) -> None: ...

    pages: list = []

    def close_previous() -> None:
        """One page at a time, as in the app; closing it is not part of loading the next."""
        if pages:
            pages[-1].wait_for_background()
            pages[-1].close()
            pages[-1].deleteLater()
            app.processEvents()
            from PySide6.QtCore import QCoreApplication, QEvent

            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            pages.clear()  # drop the dead page's Python side (its rows) too

    def load() -> None:
        page = PupilListPage(ctx, Nav(), None)
        page.resize(1200, 800)
        page.show()
        app.processEvents()
        pages.append(page)

    load_samples = []
    for _ in range(args.repeat):
        close_previous()  # outside the timing: the previous page's teardown and garbage
        load_samples.extend(timed(load, 1))
    complete: list[float] = []
    for _ in range(args.repeat):
        pages[-1].wait_for_background()
        pages[-1].close()
        t0 = time.perf_counter()
        page = PupilListPage(ctx, Nav(), None)
        page.show()
        app.processEvents()
        page.wait_for_background()
        app.processEvents()
        complete.append((time.perf_counter() - t0) * 1000)
        pages.append(page)
    page = pages[-1]
    rows = page.proxy.rowCount() if hasattr(page, "proxy") else -1
    edit = page.filter_edit
    keystroke: list[float] = []
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for _ in range(args.repeat):
        edit.clear()
        app.processEvents()
        for ch in "jansen":
            t0 = time.perf_counter()
            QTest.keyClick(edit, ch)
            app.processEvents()
            keystroke.append((time.perf_counter() - t0) * 1000)
        for _ in range(6):
            t0 = time.perf_counter()
            QTest.keyClick(edit, Qt.Key.Key_Backspace)
            app.processEvents()
            keystroke.append((time.perf_counter() - t0) * 1000)
    for p in pages:
        p.close()
        p.deleteLater()
    db.dispose()
    return [
        Result(f"2a leerlingenlijst laden ({args.pupils})", load_samples, target="< 1000 ms",
               ok=statistics.median(load_samples) < 1000, note=f"{rows} rijen zichtbaar"),
        Result("2b ... met kolom 'volgende evaluatie' gevuld", complete, target="(ter info)",
               note="planning rekent op de achtergrond"),
        Result("2c snelfilter per toetsaanslag", keystroke, target="< 30 ms",
               ok=statistics.median(keystroke) < 30,
               note=f"max {max(keystroke):.1f} ms"),
    ]  # fmt: skip


# ---------------------------------------------------------------- 3. pupil file
def case_pupil_file(args: argparse.Namespace) -> list[Result]:
    """Opening the file of a pupil with eight school years of history (window shown)."""
    import sqlalchemy as sa

    from ib_desktop.models import GroupMembership, LevelAssignment
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext
    from ib_desktop.ui.main_window import MainWindow
    from ib_desktop.ui.pupil_file.shell import PupilFileWindow

    app = ensure_application()
    db = _open(fresh_copy(demo_database(400)))
    ctx = AppContext(db=db, school_id=_school_id(db), today_fn=lambda: TODAY)
    with db.session() as s:
        eight = (
            sa.select(GroupMembership.pupil_id)
            .group_by(GroupMembership.pupil_id)
            .having(sa.func.count() >= 8)
        )
        pupil_id = s.execute(
            sa.select(LevelAssignment.pupil_id)
            .where(LevelAssignment.pupil_id.in_(eight))
            .group_by(LevelAssignment.pupil_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).scalar_one()
    nav = MainWindow(ctx)

    def open_file() -> None:
        w = PupilFileWindow(ctx, nav, pupil_id)
        w.show()
        app.processEvents()
        w.close()
        w.deleteLater()

    open_file()
    samples = timed(open_file, args.repeat)
    nav.close()
    db.dispose()
    return [
        Result("3 leerlingdossier openen (8 schooljaren)", samples, target="< 100 ms",
               ok=statistics.median(samples) < 100, note=f"leerling {pupil_id}")
    ]  # fmt: skip


# ---------------------------------------------------------------- 4/5. OPP PDF and the Word route
def _opp_with_previous(db) -> int:
    import sqlalchemy as sa

    from ib_desktop.models import OppVersion

    with db.session() as s:
        return s.execute(
            sa.select(OppVersion.id)
            .where(OppVersion.previous_version_id.is_not(None))
            .order_by(OppVersion.number.desc(), OppVersion.id)
            .limit(1)
        ).scalar_one()


def case_opp_pdf(args: argparse.Namespace) -> list[Result]:
    """One complete OPP PDF (13 parts, a previous version) and 100 in a batch."""
    import sqlalchemy as sa

    from ib_desktop.models import OppVersion
    from ib_desktop.reports import opp_pdf

    db = _open(fresh_copy(demo_database(args.pupils if args.pupils <= 5000 else 5000)))
    version_id = _opp_with_previous(db)
    out: dict[str, bytes] = {}

    def one() -> None:
        with db.session() as s:
            out["pdf"] = opp_pdf(s, version_id, today=TODAY)

    one()
    single = timed(one, max(args.repeat, 5))
    with db.session() as s:
        ids = list(s.scalars(sa.select(OppVersion.id).order_by(OppVersion.id).limit(100)))

    def batch() -> None:
        with db.session() as s:
            for vid in ids:
                opp_pdf(s, vid, today=TODAY)

    batch_samples = timed(batch, max(1, args.repeat // 2))
    case_opp_pdf.last_pdf_ms = statistics.median(single)  # type: ignore[attr-defined]
    case_opp_pdf.version_id = version_id  # type: ignore[attr-defined]
    db.dispose()
    return [
        Result("4a één volledig OPP als PDF", single, target="< 150 ms",
               ok=statistics.median(single) < 150, note=f"{len(out['pdf']) // 1024} kB"),
        Result(f"4b {len(ids)} OPP's in één batch", batch_samples, unit="ms",
               note=f"{statistics.median(batch_samples) / len(ids):.0f} ms per OPP"),
    ]  # fmt: skip


def _word_document(db, version_id: int, path: Path) -> None:
    """The same OPP content as a Word document, the way schools fill their template today."""
    import docx
    from sqlalchemy.orm import selectinload

    from ib_desktop.dates import long_date
    from ib_desktop.models import Opp, OppVersion, Pupil
    from ib_desktop.services.opp.parts import NEED_ASPECTS, PARTS

    with db.session() as s:
        v = s.get(OppVersion, version_id, options=[selectinload(OppVersion.goals)])
        opp = s.get(Opp, v.opp_id)
        pupil = s.get(Pupil, opp.pupil_id, options=[selectinload(Pupil.guardians)])
        prev = s.get(OppVersion, v.previous_version_id) if v.previous_version_id else None
        prev_goals = list(prev.goals) if prev else []
        d = docx.Document()
        d.add_heading(f"Ontwikkelingsperspectiefplan {pupil.full_name}", 0)
        d.add_paragraph(f"Versie {v.number} - {v.status}")
        texts = {
            1: v.general_notes or pupil.family_composition,
            2: v.school_career_notes,
            3: v.assessment_notes,
            4: f"{v.arrangement_kind}, {long_date(v.arrangement_start)} - "
            f"{long_date(v.arrangement_end)}",
            5: f"{v.promoting_factors}\n{v.hindering_factors}",
            7: f"{v.youth_act}\n{v.health_insurance}\n{v.coordination}",
            8: f"{v.outflow}: {v.outflow_rationale}",
            10: v.adjustments,
            11: f"{v.parents_view}\n{v.pupil_view}",
            12: v.evaluation,
        }
        for part in PARTS:
            d.add_heading(f"{part.number}. {part.title}", 1)
            if part.number == 1:
                t = d.add_table(rows=0, cols=2)
                for g in pupil.guardians:
                    row = t.add_row().cells
                    row[0].text, row[1].text = g.name, "gezag" if g.has_custody else ""
            if part.number == 6:
                t = d.add_table(rows=0, cols=2)
                for col, label in NEED_ASPECTS:
                    row = t.add_row().cells
                    row[0].text, row[1].text = label, getattr(v, col)
            elif part.number == 9:
                t = d.add_table(rows=1, cols=4)
                for i, h in enumerate(("Gebied", "Doel", "Tussendoelen", "Evaluatie")):
                    t.rows[0].cells[i].text = h
                for goal in v.goals:
                    row = t.add_row().cells
                    row[0].text, row[1].text = goal.area, goal.goal
                    row[2].text, row[3].text = (
                        goal.intermediate_goals,
                        long_date(goal.evaluation_date),
                    )
            elif part.number == 12 and prev_goals:
                t = d.add_table(rows=0, cols=2)
                for goal in prev_goals:
                    row = t.add_row().cells
                    row[0].text, row[1].text = goal.goal, goal.result
            elif part.number == 13:
                for g in pupil.guardians:
                    if g.has_custody:
                        d.add_paragraph(
                            f"{g.name}    handtekening: ______________   datum: ________"
                        )
            d.add_paragraph(texts.get(part.number, "") or "")
        d.save(str(path))


def case_word_route(args: argparse.Namespace) -> list[Result]:
    """The same OPP via python-docx + LibreOffice headless, when LibreOffice is installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    try:
        import docx  # noqa: F401
    except ImportError:
        return [
            Result(
                "5 Word + LibreOffice (vergelijking)",
                [],
                note="python-docx ontbreekt: pip install -e '.[bench]'",
            )
        ]
    if soffice is None:
        return [
            Result(
                "5 Word + LibreOffice (vergelijking)",
                [],
                note="LibreOffice niet geïnstalleerd; overgeslagen",
            )
        ]
    db = _open(fresh_copy(demo_database(args.pupils if args.pupils <= 5000 else 5000)))
    version_id = getattr(case_opp_pdf, "version_id", None) or _opp_with_previous(db)
    work = Path(tempfile.mkdtemp(prefix="ibword-"))
    profile = work / "profile"

    def convert() -> None:
        src = work / "opp.docx"
        _word_document(db, version_id, src)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(work), str(src)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        assert (work / "opp.pdf").stat().st_size > 0

    convert()  # first start creates the LibreOffice profile
    samples = timed(convert, max(3, args.repeat // 2))
    db.dispose()
    ours = getattr(case_opp_pdf, "last_pdf_ms", None)
    ratio = statistics.median(samples) / ours if ours else None
    return [
        Result("5 zelfde OPP via Word + LibreOffice", samples, target=">= 20x trager dan 4a",
               ok=(ratio >= 20) if ratio else None,
               note=f"IB Desktop is {ratio:.0f}x sneller" if ratio else "draai samen met 'opp'",
               extra={"ratio": ratio or 0})
    ]  # fmt: skip


# ---------------------------------------------------------------- 6. schedule
def case_schedule(args: argparse.Namespace) -> list[Result]:
    """The full evaluation schedule for N pupils."""
    from ib_desktop.schedule import compute_moments

    db = _open(fresh_copy(demo_database(args.pupils)))
    school_id = _school_id(db)
    count = {}

    def run() -> None:
        with db.session() as s:
            count["n"] = len(compute_moments(s, school_id, today=TODAY, include_done=True))

    run()
    samples = timed(run, args.repeat)
    db.dispose()
    return [
        Result(f"6 evaluatieplanning voor {args.pupils} leerlingen", samples, target="< 1000 ms",
               ok=statistics.median(samples) < 1000, note=f"{count['n']} momenten")
    ]  # fmt: skip


# ---------------------------------------------------------------- 7. import
def _export_file(rows: int, path: Path) -> None:
    """A realistic LVS export: semicolon CSV in Windows-1252, Dutch headers and dates."""
    import random

    from faker import Faker

    rng = random.Random(7)
    fake = Faker("nl_NL")
    fake.seed_instance(7)
    firsts = [fake.first_name() for _ in range(300)]
    lasts = [fake.last_name() for _ in range(600)]
    teachers = [f"{fake.first_name()} {fake.last_name()}" for _ in range(40)]
    with path.open("w", encoding="cp1252", newline="", errors="replace") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Leerlingnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "Geboortedatum",
                    "Groep", "Leerkracht", "Datum inschrijving"])  # fmt: skip
        for i in range(rows):
            grade = 1 + i % 8
            born = f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{2021 - grade}"
            last = rng.choice(lasts)
            tv, _, rest = (
                last.partition(" ") if last.startswith(("van ", "de ")) else ("", "", last)
            )
            w.writerow(
                [
                    str(500000 + i),
                    rng.choice(firsts),
                    tv,
                    rest or last,
                    born,
                    f"{grade}{'ABCDE'[i % 5]}",
                    teachers[(i * 7) % 40],
                    f"01-08-{2025 - grade + 1}",
                ]
            )


def case_import(args: argparse.Namespace) -> list[Result]:
    """Importing a 10,000-row export into a new school (plan + apply, all or nothing)."""
    from ib_desktop.services.school import create_school

    work = Path(tempfile.mkdtemp(prefix="ibimport-"))
    export = work / "export.csv"
    _export_file(10_000, export)
    samples = []
    note = ""
    for k in range(max(3, args.repeat // 2)):
        db = _open(new_database(work / f"school-{k}.sqlite"))
        with db.session() as s:
            create_school(s, "Importschool", today=TODAY)
        from benchmarks.import_case import run_import

        t0 = time.perf_counter()
        note = run_import(db, export)
        samples.append((time.perf_counter() - t0) * 1000)
        db.dispose()
    return [
        Result("7 import van 10.000 rijen", samples, target="< 5000 ms",
               ok=statistics.median(samples) < 5000, note=note)
    ]  # fmt: skip


# ---------------------------------------------------------------- 8. GUI memory
MEMORY_SCRIPT = textwrap.dedent(
    """
    import os, resource, sys
    os.environ["IB_DESKTOP_QUIT_AFTER"] = "loaded"
    from ib_desktop.ui.app import run_gui
    run_gui(sys.argv[1])
    try:  # this process's own peak: ru_maxrss keeps the parent's across fork and exec
        with open("/proc/self/status") as fh:
            print(next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024)
    except (OSError, StopIteration):
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    """
)


def case_gui_memory(args: argparse.Namespace) -> list[Result]:
    """Peak memory of the GUI process with the N-pupil list loaded."""
    db = fresh_copy(demo_database(args.pupils))
    samples = []
    from benchmarks.run import app_env

    env = app_env("leerlingen")
    for _ in range(max(2, args.repeat // 2)):
        out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(db)], env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return [
        Result(f"8 piekgeheugen GUI met {args.pupils} leerlingen", samples, unit="MB",
               target="< 400 MB", ok=statistics.median(samples) < 400)
    ]  # fmt: skip


# ---------------------------------------------------------------- the IB-er's year
def case_year(args: argparse.Namespace) -> list[Result]:
    """Kengetallen for five school years, every legal clock, and the largest SWV packet."""
    from ib_desktop.reports.swv_packet import swv_packet
    from ib_desktop.services.deadlines import collect
    from ib_desktop.services.figures import school_figures

    db = _open(fresh_copy(demo_database(args.pupils)))
    school_id = _school_id(db)
    info: dict[str, object] = {}

    def figures() -> None:
        with db.session() as s:
            info["years"] = len(school_figures(s, school_id, "2026-2027", years=5,
                                               today=TODAY).years)  # fmt: skip

    def clocks() -> None:
        with db.session() as s:
            info["clocks"] = len(collect(s, school_id, TODAY))

    def packet() -> None:
        import sqlalchemy as sa

        from ib_desktop.models import Opp, OppVersion

        with db.session() as s:
            pid = s.scalars(
                sa.select(Opp.pupil_id).join(OppVersion).where(OppVersion.fixed_on.is_not(None))
            ).first()
            info["pages"] = swv_packet(s, pid, today=TODAY).pages

    results = []
    for run, label, target, limit in (
        (figures, f"kengetallen, 5 schooljaren, {args.pupils} leerlingen", "< 1000 ms", 1000),
        (clocks, f"wettelijke termijnen, {args.pupils} leerlingen", "< 500 ms", 500),
        (packet, "SWV-pakket van een leerling met vastgesteld OPP", "< 2000 ms", 2000),
    ):
        run()
        samples = timed(run, args.repeat)
        results.append(Result(label, samples, target=target,
                              ok=statistics.median(samples) < limit))  # fmt: skip
    db.dispose()
    results[1].note = f"{info['clocks']} termijnen"
    results[2].note = f"{info['pages']} pagina's"
    return results


CASES = {
    "lijst": case_pupil_list,
    "dossier": case_pupil_file,
    "opp": case_opp_pdf,
    "word": case_word_route,
    "planning": case_schedule,
    "import": case_import,
    "geheugen": case_gui_memory,
    "jaar": case_year,
}
