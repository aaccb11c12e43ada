"""``ib-desktop demo``: make a demo school (and open it with ``--open``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser("demo", help="maak een demoschool met realistische gegevens")
    p.add_argument("--pupils", type=int, default=400, metavar="N", help="aantal leerlingen (400)")
    p.add_argument("--seed", type=int, default=2026, metavar="S", help="startgetal (2026)")
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    p.add_argument(
        "--structure",
        default="vier-niveaus",
        choices=["vier-niveaus", "vijf-niveaus"],
        help="ondersteuningsstructuur van de demoschool",
    )
    p.add_argument("--force", action="store_true", help="overschrijf een bestaand bestand")
    p.add_argument("--open", action="store_true", help="open de demoschool daarna in het programma")
    return p


def default_demo_path() -> Path:
    """The demo database lives beside the real one, never in its place."""
    from ib_desktop.storage import default_data_dir

    return default_data_dir() / "demo.sqlite"


def run(args: argparse.Namespace) -> int:
    """Generate the demo school."""
    from ib_desktop.cli import database_arg
    from ib_desktop.demo import generate
    from ib_desktop.storage import open_database, sqlite_path, resolve_url

    if args.pupils < 1:
        print("Fout: --pupils moet minstens 1 zijn.", file=sys.stderr)
        return 2
    target = database_arg(args) or str(default_demo_path())
    path = sqlite_path(resolve_url(target))
    if path is not None and path.exists():
        if not args.force and not args.open:
            print(
                f"Fout: '{path}' bestaat al. Gebruik --force om hem te vervangen.",
                file=sys.stderr,
            )
            return 2
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    db = open_database(target)
    result = generate(
        db,
        pupils=args.pupils,
        seed=args.seed,
        structure=args.structure,
        progress=lambda msg: print(f"  {msg} ...", file=sys.stderr),
    )
    db.dispose()
    elapsed = time.perf_counter() - t0
    print(
        f"Demoschool gemaakt in {elapsed:.1f} s: {result.pupils} leerlingen, {result.groups} "
        f"groepen, {result.counts['opps']} OPP's -> {path or target}"
    )
    if args.open:
        from ib_desktop.ui.app import run_gui

        return run_gui(target)
    return 0
