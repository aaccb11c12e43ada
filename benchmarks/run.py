"""IB Desktop benchmarks: speed and memory at school and samenwerkingsverband scale.

    python benchmarks/run.py [--pupils 50000] [--repeat 5] [--only CASE ...] [--json FILE]
                             [--encrypt]

With ``--encrypt`` every case runs on an encrypted (SQLCipher) copy of the same data, unlocked
with a password from ``IB_DESKTOP_PASSWORD`` as a script would; compare with a plain run.

Data comes from the demo generator with a fixed seed and is cached in ``benchmarks/.data``.
Every case runs several times, each case in a fresh process; the table shows the median, the
spread (min-max) and the target, plus a fixed loop timed at the start and the end that shows how
fast the machine was. Timings are never asserted in tests: this is where they are measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / ".data"
SEED = 2026
TODAY = date(2026, 11, 18)  # pinned so every run measures the same data
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))


@dataclass
class Result:
    """One case: samples in seconds (or MB for memory cases) and its target."""

    case: str
    samples: list[float]
    unit: str = "ms"
    target: str = ""
    ok: bool | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (its own: ru_maxrss keeps a parent's)."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def demo_database(pupils: int) -> Path:
    """A cached demo database of ``pupils`` pupils (made once, copied for each use)."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"demo-{pupils}-{SEED}.sqlite"
    if not path.exists():
        from ib_desktop.demo import generate
        from ib_desktop.storage import open_database

        print(f"  (demo-database met {pupils} leerlingen maken ...)", flush=True)
        tmp = path.with_suffix(".tmp.sqlite")
        for p in DATA.glob(tmp.name + "*"):
            p.unlink()
        t0 = time.perf_counter()
        db = open_database(tmp)
        generate(db, pupils=pupils, seed=SEED, today=TODAY)
        db.dispose()
        from ib_desktop.storage import backup_sqlite

        backup_sqlite(tmp, path)
        for p in DATA.glob(tmp.name + "*"):
            p.unlink()
        print(f"  (klaar in {time.perf_counter() - t0:.1f} s)", flush=True)
    return path


def app_env(page: str = "leerlingen") -> dict[str, str]:
    """Environment for a GUI subprocess: its own settings folder, opening on ``page``.

    Without it the app would open on whatever page the user last had open.
    """
    config = Path(tempfile.mkdtemp(prefix="ibbench-config-"))
    (config / "ib-desktop").mkdir()
    (config / "ib-desktop" / "ib-desktop.conf").write_text(f"[main_window]\npage={page}\n")
    data = Path(tempfile.mkdtemp(prefix="ibbench-data-"))
    return dict(os.environ, XDG_CONFIG_HOME=str(config), XDG_DATA_HOME=str(data),
                IB_DESKTOP_NO_AUTO_BACKUP="1")  # fmt: skip


#: Set (to "1") for every process of an ``--encrypt`` run.
ENCRYPT_ENV = "IB_BENCH_ENCRYPT"
BENCH_PASSWORD = "benchmark-wachtwoord"


def encrypting() -> bool:
    """True in an ``--encrypt`` run."""
    return os.environ.get(ENCRYPT_ENV) == "1"


def encrypted_variant(path: Path) -> Path:
    """The cached encrypted copy of a demo database (made once with ``encrypt_file``)."""
    from ib_desktop.storage import encrypt_file, keys

    target = path.with_name(path.stem + "-versleuteld.sqlite")
    if not target.exists():
        tmp = path.with_name(path.stem + "-versleuteld.tmp.sqlite")
        shutil.copyfile(path, tmp)
        encrypt_file(tmp, keys.new_key(BENCH_PASSWORD))
        os.replace(keys.key_file_path(tmp), keys.key_file_path(target))
        os.replace(tmp, target)
    return target


def new_database(path: Path) -> Path:
    """A new database file's path; in an ``--encrypt`` run its key file is made first."""
    if encrypting():
        from ib_desktop.storage import keys

        keys.write_key_file(path, keys.new_key(BENCH_PASSWORD).key_file)
    return path


def fresh_copy(path: Path) -> Path:
    """A private copy so that a case never changes the cached database."""
    if encrypting():
        path = encrypted_variant(path)
    target = Path(tempfile.mkdtemp(prefix="ibbench-")) / path.name
    shutil.copyfile(path, target)
    if encrypting():
        shutil.copyfile(Path(str(path) + ".keys"), Path(str(target) + ".keys"))
    # Written out now: otherwise the kernel writes the 100 MB back while the case is timed.
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())
    return target


def calibrate() -> float:
    """Milliseconds of a fixed pure-Python loop (best of 5): the machine's speed right now.

    Virtual machines change speed from minute to minute; printed at the start and the end, it
    shows whether a slow figure is the code's or the machine's.
    """
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of ``fn`` over ``repeat`` runs (after one warm-up)."""
    samples = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


# ---------------------------------------------------------------------------- cases

BARE_QT = textwrap.dedent(
    """
    import sys
    import time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv)
    w = QMainWindow()
    w.resize(1280, 800)
    w.show()
    def ready():
        w.repaint()
        print(f"IB_DESKTOP_READY {time.monotonic():.6f}", flush=True)
        app.quit()
    QTimer.singleShot(0, ready)
    app.exec()
    """
)
READY = "IB_DESKTOP_READY "


def time_to_ready(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds from starting ``cmd`` until it reports its window painted, and until it ended.

    The child prints ``IB_DESKTOP_READY <time.monotonic()>`` right after painting its window
    (the app does so under ``IB_DESKTOP_QUIT_AFTER``); the monotonic clock is the same for every
    process, so the figure runs from process start to the painted window and leaves out the
    shutting down that follows.
    """
    t0 = time.monotonic()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    end = time.monotonic()
    ready = next(float(line[len(READY) :]) for line in out.splitlines() if line.startswith(READY))
    return (ready - t0) * 1000, (end - t0) * 1000


def case_startup(args: argparse.Namespace) -> list[Result]:
    """1. Cold start on a 400-pupil school until the window is painted, beside bare Qt.

    Windows, each timed from process start until it is painted: a bare Qt window (the floor),
    the app's empty main window, the app's main window with the pupil list filled (1c: the
    rows of the quick read, see ``ib_desktop/quick_list.py``; the schedule's "volgende
    evaluatie" column and the backup-on-open follow after that paint), and, for information,
    the window once the database is attached and the full rows painted (1d).
    """
    db = fresh_copy(demo_database(400))
    env = app_env("leerlingen")
    app_cmd = [sys.executable, "-m", "ib_desktop", "--database", str(db)]
    bare_cmd = [sys.executable, "-c", BARE_QT]

    def run(cmd: list[str], quit_after: str = "") -> tuple[float, float]:
        return time_to_ready(cmd, dict(env, IB_DESKTOP_QUIT_AFTER=quit_after))

    run(app_cmd, "loaded")  # a first run warms the OS file cache, as any second start has it
    bare, shown, loaded, attached = [], [], [], []
    for _ in range(args.repeat):
        bare.append(run(bare_cmd))
        shown.append(run(app_cmd, "shown"))
        loaded.append(run(app_cmd, "loaded"))
        attached.append(run(app_cmd, "ready"))
    floor = statistics.median(b[0] for b in bare)
    ratio = statistics.median(s[0] for s in shown) / floor
    ratio_loaded = statistics.median(x[0] for x in loaded) / floor
    ratio_attached = statistics.median(x[0] for x in attached) / floor
    # For information: the same starts timed until the process ended (as before 2026-12).
    exit_ratio = statistics.median(x[1] for x in loaded) / statistics.median(b[1] for b in bare)
    return [
        Result("1a start kaal Qt-venster (vloer)", [b[0] for b in bare]),
        Result(
            "1b start IB Desktop tot hoofdvenster zichtbaar",
            [s[0] for s in shown],
            target="<= 1.5x vloer",
            ok=ratio <= 1.5,
            note=f"{ratio:.2f}x de vloer",
            extra={"ratio": ratio},
        ),
        Result(
            "1c start tot leerlingenlijst gevuld (400)",
            [x[0] for x in loaded],
            target="<= 3x vloer",
            ok=ratio_loaded <= 3,
            note=f"{ratio_loaded:.2f}x de vloer (tot proceseinde {exit_ratio:.2f}x)",
            extra={"ratio": ratio_loaded, "exit_ratio": exit_ratio},
        ),
        Result(
            "1d ... tot database gekoppeld, volle lijst",
            [x[0] for x in attached],
            note=f"{ratio_attached:.2f}x de vloer",
            extra={"ratio": ratio_attached},
        ),
    ]


def registry() -> dict[str, Callable[[argparse.Namespace], list[Result]]]:
    """All cases by short name, in the order of the issue."""
    cases: dict[str, Callable[[argparse.Namespace], list[Result]]] = {"start": case_startup}
    from benchmarks import cases as more  # the other cases, one function each

    cases.update(more.CASES)
    from benchmarks import pg_cases  # 9: the whole school on PostgreSQL

    cases["postgres"] = pg_cases.case_postgres
    return cases


def print_table(results: list[Result]) -> None:
    """Median, spread and target per case."""
    print()
    print(f"{'case':<52} {'mediaan':>10} {'spreiding':>19} {'doel':<22} ok")
    print("-" * 110)
    for r in results:
        if not r.samples:
            print(f"{r.case:<52} {'-':>10} {'':>19} {r.target:<22} -  {r.note}")
            continue
        lo, hi = min(r.samples), max(r.samples)
        spread = f"{lo:.1f}-{hi:.1f} {r.unit}"
        mark = {True: "ja", False: "NEE", None: ""}[r.ok]
        print(
            f"{r.case:<52} {r.median:>7.1f} {r.unit:<2} {spread:>19} {r.target:<22} "
            f"{mark:<3} {r.note}"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=50000, help="the large size (50000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (5)")
    parser.add_argument("--only", nargs="*", help="run only these cases")
    parser.add_argument("--json", type=Path, help="write the results as JSON")
    parser.add_argument(
        "--encrypt", action="store_true", help="run every case on an encrypted database"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # internal: one group
    args = parser.parse_args(argv)
    if args.encrypt:  # inherited by every case's process and the app's
        os.environ[ENCRYPT_ENV] = "1"
        os.environ["IB_DESKTOP_PASSWORD"] = BENCH_PASSWORD
    # An installed app has its bytecode compiled (pip does it); an editable checkout under
    # PYTHONDONTWRITEBYTECODE would recompile every module at every start.
    import compileall

    compileall.compile_dir(str(ROOT / "ib_desktop"), quiet=1)
    cases = registry()
    chosen = args.only or list(cases)
    unknown = [c for c in chosen if c not in cases]
    if unknown:
        parser.error(f"onbekende case(s): {', '.join(unknown)}; kies uit {', '.join(cases)}")
    if args.child is not None:  # one group of cases, for the parent process below
        results = []
        for name in chosen:
            print(f"- {name} ...", flush=True)
            results.extend(cases[name](args))
        payload = {"results": [asdict(r) for r in results], "peak_mb": peak_rss_mb()}
        args.child.write_text(json.dumps(payload))
        return 0
    print(f"IB Desktop benchmarks  |  {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}  |  "
          f"{args.pupils} leerlingen, {args.repeat}x per case"
          + ("  |  VERSLEUTELD (SQLCipher)" if args.encrypt else ""))  # fmt: skip
    speed_before = calibrate()
    results: list[Result] = []
    peaks: dict[str, float] = {}
    for group in case_groups(chosen):
        # Each case starts in a fresh process: what one case leaves behind (a heap full of
        # list rows, caches) made the next one up to a third slower.
        with tempfile.TemporaryDirectory(prefix="ibbench-") as tmp:
            out = Path(tmp) / "result.json"
            subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--only", *group,
                 "--pupils", str(args.pupils), "--repeat", str(args.repeat), "--child", str(out)],
                check=True,
            )  # fmt: skip
            payload = json.loads(out.read_text())
        results.extend(Result(**r) for r in payload["results"])
        peaks["+".join(group)] = payload["peak_mb"]
    speed_after = calibrate()
    results.append(
        Result("ijkloop: snelheid van de machine", [speed_before, speed_after],
               target="(ter info)", note=f"begin {speed_before:.0f} ms, eind {speed_after:.0f} ms")
    )  # fmt: skip
    print_table(results)
    top = max(peaks, key=peaks.__getitem__)
    print(f"Piekgeheugen van de benchmarkprocessen: hoogste {peaks[top]:.0f} MB ({top})")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(r) | {"median": r.median} for r in results], indent=2)
        )
    failed = [r.case for r in results if r.ok is False]
    if failed:
        print("Doel niet gehaald: " + "; ".join(failed))
    return 0


#: A case that needs another's result runs in its process (5 compares itself with 4's PDF).
RUNS_WITH = {"word": "opp"}


def case_groups(chosen: list[str]) -> list[list[str]]:
    """The chosen cases in order, one process each, a dependent case with its partner."""
    groups: list[list[str]] = []
    for name in chosen:
        partner = RUNS_WITH.get(name)
        home = next((g for g in groups if partner in g), None)
        if home is not None:
            home.append(name)
        else:
            groups.append([name])
    return groups


if __name__ == "__main__":
    sys.exit(main())
