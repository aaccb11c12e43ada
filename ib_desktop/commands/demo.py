"""``ib-desktop demo``: make a demo school (and open it with ``--open``).

A demo only ever goes into a new database or replaces one the demo itself made (the generator
marks it). A database that holds any other school is refused, ``--force`` included: that is how a
real school, or a shared database on a server, is kept safe from a typo in ``--database``.
"""

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
    p.add_argument(
        "--force",
        action="store_true",
        help="vervang een eerder gemaakte demodatabase (nooit een database met een echte school)",
    )
    p.add_argument(
        "--encrypt",
        action="store_true",
        help="versleutel de database (wachtwoord uit IB_DESKTOP_PASSWORD of gevraagd)",
    )
    p.add_argument(
        "--recovery-key-pdf",
        metavar="BESTAND",
        help="met --encrypt: schrijf de herstelsleutel ook naar dit PDF-bestand (voor de kluis)",
    )
    p.add_argument("--open", action="store_true", help="open de demoschool daarna in het programma")
    return p


def default_demo_path() -> Path:
    """The demo database lives beside the real one, never in its place."""
    from ib_desktop.storage import default_data_dir

    return default_data_dir() / "demo.sqlite"


def run(args: argparse.Namespace) -> int:
    """Generate the demo school."""
    from ib_desktop.commands.common import database_arg, open_for_command
    from ib_desktop.demo import demo_state, generate, made_by_an_older_demo
    from ib_desktop.storage import erase_database, open_database

    if args.pupils < 1:
        print("Fout: --pupils moet minstens 1 zijn.", file=sys.stderr)
        return 2
    target = database_arg(args) or str(default_demo_path())
    t0 = time.perf_counter()
    from ib_desktop.commands.passwords import prepare_encryption, sqlite_target

    file = sqlite_target(args, target)
    fresh = file is None or not file.exists() or file.stat().st_size == 0
    new_key = prepare_encryption(args, database=target) if fresh else None
    # The checks of every writing command: lock, integrity, another program's file, newer.
    db = first = open_for_command(args, write=True, create=True, database=target)
    try:
        with db.session() as s:
            state = demo_state(s)
            if state is False and db.path == default_demo_path() and made_by_an_older_demo(s):
                state = True  # the demo's own file, made before demos were marked
        if state is False:
            print(
                f"Fout: '{db.label}' bevat een echte school. Een demoschool komt nooit in een "
                "database met een andere school, ook niet met --force. Er is niets gewijzigd. "
                "Kies een nieuw bestand met --database.",
                file=sys.stderr,
            )
            return 2
        if state is True:
            if not args.force and not args.open:
                print(
                    f"Fout: '{db.label}' bestaat al (een eerder gemaakte demoschool). Gebruik "
                    "--force om hem te vervangen.",
                    file=sys.stderr,
                )
                return 2
            erase_database(db)  # only ever a database the demo generator made
            new_key = prepare_encryption(args, database=target)  # a renewed demo: a new key
            db = open_database(target)
        result = generate(
            db,
            pupils=args.pupils,
            seed=args.seed,
            structure=args.structure,
            progress=lambda msg: print(f"  {msg} ...", file=sys.stderr),
        )
    finally:
        db.engine.dispose()
        first.dispose()  # the lock is let go last
    elapsed = time.perf_counter() - t0
    print(
        f"Demoschool gemaakt in {elapsed:.1f} s: {result.pupils} leerlingen, {result.groups} "
        f"groepen, {result.counts['opps']} OPP's -> {db.label}"
    )
    if new_key is not None:
        from ib_desktop.commands.passwords import print_recovery_key

        print("De demodatabase is versleuteld; het sleutelbestand staat ernaast.")
        print_recovery_key(new_key.recovery_key, args.recovery_key_pdf, db.label)
    if args.open:
        from ib_desktop.ui.app import run_gui

        return run_gui(target)
    return 0
