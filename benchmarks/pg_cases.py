"""Case 9: a whole school on PostgreSQL (issue 18).

    python benchmarks/run.py --only postgres [--pupils 50000] [--repeat 5]

The server is ``IB_BENCH_PG_URL`` (an admin URL: the case makes its own databases there and
keeps the 50,000-pupil one, ``ibbench_<pupils>_<seed>``, for the next run), or else a throwaway
cluster started like the tests do (``tests/pg_cluster.py``; the demo school is then generated
anew). Measured:

- 9a: 30 teachers saving evaluations at once, each a process of its own with its own connection
  (as thirty laptops), started together; per save the wall-clock time of the service call the
  evaluation screen makes (``Database.run`` around ``save_evaluation_task``); p95 and errors
  (anything but an edit conflict); beside it the transaction as the server timed it (first
  statement to just before COMMIT) and the client's CPU per save, since on 2 cores the thirty
  clients compete with the server for the same CPU;
- 9b: the pupil list page at N pupils, loaded from the server (as case 2a);
- 9c: the full evaluation schedule at N pupils (as case 6);
- 9d: start until the pupil list is filled, 400 pupils on the server, against bare Qt (as 1c).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import SEED, TODAY, Result, app_env, time_to_ready, timed

TEACHERS = 30
SAVES_PER_TEACHER = 10
#: Seconds a teacher takes to type the next evaluation (random between these): thirty people
#: entering evaluations, not thirty scripts saving back to back. The first saves of all thirty
#: are at the same instant (the barrier), which is reported apart as the burst.
THINK_S = (0.5, 1.5)


# ---------------------------------------------------------------- the server
class Server:
    """An admin URL, and the cluster to stop afterwards when this case started one."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        url = os.environ.get("IB_BENCH_PG_URL")
        if not url:
            from tests import pg_cluster

            self.folder = Path(tempfile.mkdtemp(prefix="ibbench-pg-")) / "cluster"
            url = pg_cluster.start(self.folder)
        self.admin = url

    def database(self, name: str, *, fresh: bool = False) -> tuple[str, bool]:
        """The URL of database ``name`` (made when missing); True when it already existed."""
        import psycopg
        from sqlalchemy.engine import make_url

        admin = make_url(self.admin)
        info = dict(host=admin.host, port=admin.port, user=admin.username,
                    password=admin.password, dbname=admin.database or "postgres")  # fmt: skip
        with psycopg.connect(**info, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (name,)).fetchone() is not None  # fmt: skip
            if exists and fresh:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = False
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        return admin.set(database=name).render_as_string(hide_password=False), exists

    def stop(self) -> None:
        if self.folder is not None:
            from tests import pg_cluster

            pg_cluster.stop(self.folder)


def demo_on_server(server: Server, pupils: int) -> str:
    """A demo school of ``pupils`` on the server (kept between runs on IB_BENCH_PG_URL)."""
    from ib_desktop.demo import generate
    from ib_desktop.storage import open_database

    url, existed = server.database(f"ibbench_{pupils}_{SEED}")
    db = open_database(url)
    try:
        with db.session() as s:
            from ib_desktop.services.school import get_school

            ready = existed and get_school(s) is not None
        if not ready:
            print(f"  (demo-school met {pupils} leerlingen op de server maken ...)", flush=True)
            t0 = time.perf_counter()
            generate(db, pupils=pupils, seed=SEED, today=TODAY)
            print(f"  (klaar in {time.perf_counter() - t0:.1f} s)", flush=True)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does a minute later
    finally:
        db.dispose()
    return url


def _school_id(db) -> int:
    from ib_desktop.services.school import get_school

    with db.session() as s:
        return get_school(s).id


# ---------------------------------------------------------------- 9a. thirty teachers
def _evaluation_moments(db, count: int) -> list:
    """``count`` groeidocument periods with goals: what thirty teachers evaluate."""
    import sqlalchemy as sa

    from ib_desktop.models import GrowthDocument, GrowthGoal, GrowthPeriod, MomentKind
    from tests.services.test_plans import FakeMoment

    with db.session() as s:
        rows = s.execute(
            sa.select(GrowthPeriod.id, GrowthPeriod.end_date, GrowthDocument.id,
                      GrowthDocument.pupil_id)
            .join(GrowthDocument, GrowthPeriod.document_id == GrowthDocument.id)
            .where(sa.exists().where(GrowthGoal.period_id == GrowthPeriod.id),
                   GrowthPeriod.closed.is_(False))
            .order_by(GrowthPeriod.id)
            .limit(count)
        ).all()  # fmt: skip
    return [
        FakeMoment(f"groeiperiode:{pid}", MomentKind.GROEIDOCUMENT, end, "Evaluatie", pupil,
                   None, None, "groeidocument", doc)  # fmt: skip
        for pid, end, doc, pupil in rows
    ]


def _teacher(url: str, moments: list, n: int, barrier, out) -> None:
    """One teacher's laptop: load the evaluations, wait for the others, save them one by one."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from ib_desktop.models import Outcome
    from ib_desktop.services import plans
    from ib_desktop.services.versioned import EditConflict
    from ib_desktop.storage import open_database

    db = open_database(url)
    times: list[float] = []
    in_database: list[float] = []  # per save: the time its statements took on the server
    clock = {"start": 0.0, "sum": 0.0}

    @event.listens_for(db.engine, "before_cursor_execute")
    def _before(*_args: object) -> None:
        clock["start"] = time.perf_counter()

    @event.listens_for(db.engine, "after_cursor_execute")
    def _after(*_args: object) -> None:
        clock["sum"] += time.perf_counter() - clock["start"]

    conflicts, errors = 0, []
    with db.session() as s:
        tasks = [plans.load_evaluation_task(s, m) for m in moments]
    # The transaction as the server saw it: from its first statement to just before COMMIT
    # (one extra, trivial statement per save). On 2 cores the thirty clients compete with the
    # server, so this, and the client's own CPU per save, say where the wall-clock time went.
    spans: list[float] = []
    cpu: list[float] = []
    span = {"s": 0.0}

    @event.listens_for(Session, "before_commit")
    def _span(session: Session) -> None:
        span["s"] = float(session.connection().exec_driver_sql(
            "SELECT EXTRACT(EPOCH FROM clock_timestamp() - now())").scalar())  # fmt: skip
    import random

    rng = random.Random(n)
    barrier.wait()
    for i, task in enumerate(tasks):
        if task is None or not task.targets:
            continue
        if i:
            time.sleep(rng.uniform(*THINK_S))
        text = f"Evaluatie {n}.{i} (run {os.getpid()}): ging goed"
        values = {t.key: (text, Outcome.BEHAALD) for t in task.targets}
        clock["sum"] = 0.0
        span["s"] = 0.0
        c0 = time.process_time()
        t0 = time.perf_counter()
        try:
            db.run(lambda s, task=task, values=values: plans.save_evaluation_task(
                s, task, values, evaluated_by_id=None, evaluated_on=TODAY, today=TODAY,
                actor=f"Leerkracht {n}"))  # fmt: skip
        except EditConflict:
            conflicts += 1
        except Exception as exc:  # noqa: BLE001 - counted and shown: the target is none
            errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        in_database.append(clock["sum"] * 1000)
        spans.append(span["s"] * 1000)
    db.dispose()
    out.put((times, conflicts, errors, in_database, spans, cpu))


def thirty_teachers(url: str) -> Result:
    from ib_desktop.storage import open_database

    db = open_database(url)
    moments = _evaluation_moments(db, TEACHERS * SAVES_PER_TEACHER)
    db.dispose()
    # Every teacher saves documents of their own, and one in ten is also saved by a colleague
    # at the same moment (the same goals: one of the two gets the conflict dialog).
    per = [moments[n * SAVES_PER_TEACHER:(n + 1) * SAVES_PER_TEACHER] for n in range(TEACHERS)]
    for n in range(TEACHERS):
        per[n][-1] = per[(n + 1) % TEACHERS][0]
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(TEACHERS), ctx.Queue()
    procs = [ctx.Process(target=_teacher, args=(url, per[n], n, barrier, out))
             for n in range(TEACHERS)]  # fmt: skip
    for p in procs:
        p.start()
    got = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(60)
    times = [t for g in got for t in g[0]]
    burst = [g[0][0] for g in got if g[0]]  # the thirty first saves, all at one instant
    server = [t for g in got for t in g[3]]
    server95 = statistics.quantiles(server, n=20)[-1]
    spans = [t for g in got for t in g[4] if t > 0]
    span50, span95 = statistics.median(spans), statistics.quantiles(spans, n=20)[-1]
    cpu = [t for g in got for t in g[5]]
    cpu50 = statistics.median(cpu)
    conflicts = sum(g[1] for g in got)
    errors = [e for g in got for e in g[2]]
    p95 = statistics.quantiles(times, n=20)[-1]
    burst95 = statistics.quantiles(burst, n=20)[-1]
    note = (f"p95 {p95:.1f} ms (de 30 eerste tegelijk: p95 {burst95:.0f} ms; waarvan in de "
            f"database: p95 {server95:.0f} ms; transactie op de server: mediaan "
            f"{span50:.1f} ms, p95 {span95:.0f} ms; CPU van de client per save: mediaan "
            f"{cpu50:.1f} ms), {len(times)} saves, {conflicts} conflicten, "
            f"{len(errors)} fouten")
    if errors:
        note += f" (bijv. {errors[0]})"
    return Result("9a 30 leerkrachten tegelijk: evaluatie opslaan", times,
                  target="p95 < 50 ms, 0 fouten", ok=p95 < 50 and not errors, note=note,
                  extra={"p95": p95, "burst_p95": burst95, "database_p95": server95,
                         "server_transaction_median": span50, "server_transaction_p95": span95,
                         "client_cpu_median": cpu50,
                         "conflicts": conflicts,
                         "errors": len(errors)})  # fmt: skip


# ---------------------------------------------------------------- 9b/9c. list and schedule
def pupil_list(url: str, pupils: int, repeat: int) -> Result:
    from ib_desktop.storage import open_database
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext
    from ib_desktop.ui.pupil_list.page import PupilListPage

    app = ensure_application()
    db = open_database(url)
    ctx = AppContext(db=db, school_id=_school_id(db), today_fn=lambda: TODAY)
    pages: list = []

    def load() -> None:
        page = PupilListPage(ctx, None, None)
        page.resize(1200, 800)
        page.show()
        app.processEvents()
        pages.append(page)

    samples = []
    for _ in range(repeat):
        if pages:
            pages[-1].wait_for_background()
            pages[-1].close()
            pages[-1].deleteLater()
            app.processEvents()
            pages.clear()
        samples.extend(timed(load, 1))
    rows = pages[-1].proxy.rowCount()
    pages[-1].wait_for_background()
    db.dispose()
    return Result(f"9b leerlingenlijst laden ({pupils}) op PostgreSQL", samples,
                  target="< 1500 ms", ok=statistics.median(samples) < 1500,
                  note=f"{rows} rijen zichtbaar")  # fmt: skip


def schedule(url: str, pupils: int, repeat: int) -> Result:
    from ib_desktop.schedule import compute_moments
    from ib_desktop.storage import open_database

    db = open_database(url)
    school_id = _school_id(db)
    count = {}

    def run() -> None:
        with db.session() as s:
            count["n"] = len(compute_moments(s, school_id, today=TODAY, include_done=True))

    run()
    samples = timed(run, repeat)
    db.dispose()
    return Result(f"9c evaluatieplanning voor {pupils} leerlingen op PostgreSQL", samples,
                  target="< 1500 ms", ok=statistics.median(samples) < 1500,
                  note=f"{count['n']} momenten")  # fmt: skip


# ---------------------------------------------------------------- 9d. start
def startup(server: Server, repeat: int) -> list[Result]:
    from benchmarks.run import BARE_QT

    url = demo_on_server(server, 400)
    env = app_env("leerlingen")
    app_cmd = [sys.executable, "-m", "ib_desktop", "--database", url]
    bare_cmd = [sys.executable, "-c", BARE_QT]

    def run(cmd: list[str], quit_after: str = "") -> float:
        return time_to_ready(cmd, dict(env, IB_DESKTOP_QUIT_AFTER=quit_after))[0]

    run(app_cmd, "loaded")  # warm the file cache, as any second start has it
    bare, loaded = [], []
    for _ in range(repeat):
        bare.append(run(bare_cmd))
        loaded.append(run(app_cmd, "loaded"))
    ratio = statistics.median(loaded) / statistics.median(bare)
    return [
        Result("9d start tot leerlingenlijst gevuld (400, PostgreSQL)", loaded,
               target="<= 3x vloer", ok=ratio <= 3,
               note=f"{ratio:.2f}x de vloer ({statistics.median(bare):.0f} ms)",
               extra={"ratio": ratio}),
    ]  # fmt: skip


def case_postgres(args: argparse.Namespace) -> list[Result]:
    """9. The PostgreSQL figures of issue 18 (see the module's docstring)."""
    from tests import pg_cluster

    if not os.environ.get("IB_BENCH_PG_URL") and pg_cluster.find_bindir() is None:
        return [Result("9 PostgreSQL", [], note="overgeslagen: geen IB_BENCH_PG_URL en geen "
                       "PostgreSQL geinstalleerd")]  # fmt: skip
    server = Server()
    try:
        url = demo_on_server(server, args.pupils)
        # First, before this process starts Qt: the thirty teachers are forked from it.
        results = [thirty_teachers(url)]
        results.append(pupil_list(url, args.pupils, args.repeat))
        results.append(schedule(url, args.pupils, args.repeat))
        results += startup(server, args.repeat)
        return results
    finally:
        server.stop()
