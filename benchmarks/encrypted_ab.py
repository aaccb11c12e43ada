"""Plain against encrypted in one process, alternated: what encryption costs on a drifting machine.

    python benchmarks/encrypted_ab.py [--case planning|opp|lijst] [--rounds 6]

``benchmarks/run.py --encrypt`` runs every case in its own process; on a busy virtual machine two
runs minutes apart can differ by more than the encryption costs. Here the same work runs on the
plain and on the encrypted copy of the cached demo data in turn, in one process, so both see the
same machine; the first round is a warm-up and left out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.run import (  # noqa: E402
    BENCH_PASSWORD,
    TODAY,
    demo_database,
    encrypted_variant,
)


def _open_both(pupils: int) -> dict[str, object]:
    from ib_desktop.database import open_database

    os.environ["IB_DESKTOP_PASSWORD"] = BENCH_PASSWORD
    plain = demo_database(pupils)
    out: dict[str, object] = {}
    for name, source in (("plain", plain), ("enc", encrypted_variant(plain))):
        folder = Path(tempfile.mkdtemp(prefix="ibbench-ab-"))
        shutil.copyfile(source, folder / source.name)
        if name == "enc":
            shutil.copyfile(Path(f"{source}.keys"), folder / f"{source.name}.keys")
        out[name] = open_database(folder / source.name)
    return out


def work(case: str) -> dict[str, Callable[[], None]]:
    """One unit of the case per database."""
    from benchmarks.cases import _opp_with_previous, _school_id

    dbs = _open_both(5000 if case == "opp" else 50000)
    fns: dict[str, Callable[[], None]] = {}
    for name, db in dbs.items():
        if case == "planning":
            from ib_desktop.schedule import compute_moments

            sid = _school_id(db)

            def fn(db=db, sid=sid) -> None:
                with db.session() as s:
                    compute_moments(s, sid, today=TODAY, include_done=True)
        elif case == "opp":
            from ib_desktop.reports import opp_pdf

            vid = _opp_with_previous(db)

            def fn(db=db, vid=vid) -> None:
                with db.session() as s:
                    opp_pdf(s, vid, today=TODAY)
        else:
            fn = _list_loader(db)
        fns[name] = fn
    return fns


def _list_loader(db) -> Callable[[], None]:
    from PySide6.QtCore import QObject, Signal

    from benchmarks.cases import _school_id
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext
    from ib_desktop.ui.pupil_list.page import PupilListPage

    app = ensure_application()
    ctx = AppContext(db=db, school_id=_school_id(db), today_fn=lambda: TODAY)

    class _Sig(QObject):
        dataChanged = Signal()  # noqa: N815

    class Nav:
        def __init__(self) -> None:
            self._sig = _Sig()
            self.dataChanged = self._sig.dataChanged

        def open_pupil(self, pupil_id: int) -> None: ...
        def open_document(self, *a, **k) -> None: ...
        def show_page(self, key: str) -> None: ...
        def notify_changed(self) -> None: ...

    def load() -> None:
        page = PupilListPage(ctx, Nav(), None)
        page.resize(1200, 800)
        page.show()
        app.processEvents()
        load.page = page  # type: ignore[attr-defined]

    return load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=["planning", "opp", "lijst"], default="planning")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    fns = work(args.case)
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(args.rounds):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - t0) * 1000)
            page = getattr(fn, "page", None)
            if page is not None:  # the list: its background work and teardown are not timed
                from PySide6.QtCore import QCoreApplication, QEvent

                page.wait_for_background()
                page.close()
                page.deleteLater()
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    med = {name: statistics.median(v[1:]) for name, v in samples.items()}
    for name, values in samples.items():
        print(f"{name:<6} median {med[name]:8.1f} ms   {[round(x) for x in values]}")
    print(f"encrypted / plain: {med['enc'] / med['plain']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
