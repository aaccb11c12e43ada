"""``ib-desktop deadlines``: every legal clock in one list, earliest first.

The OPP fixed within 6 weeks, the yearly evaluation with the parents, consent per guardian with
gezag, the zorgplicht after a registration, arrangement and TLV renewals (and every clock
another part of the program registers). Each line says what to do; the last line counts the
clocks that have passed.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "deadlines",
        help="alle wettelijke termijnen: OPP, evaluatie, toestemming, zorgplicht, TLV",
        description="Alle wettelijke termijnen in een lijst, de vroegste eerst.",
    )
    p.add_argument(
        "--within", type=int, metavar="DAGEN", help="alleen wat binnen zoveel dagen afloopt"
    )
    p.add_argument("--overdue", action="store_true", help="alleen wat te laat is")
    p.add_argument("--today", metavar="DATUM", help=argparse.SUPPRESS)
    return p


def run(args: argparse.Namespace) -> int:
    """Print the clocks."""
    from ib_desktop.commands.common import LookupFailed, format_table, open_school
    from ib_desktop.dates import parse_date, short_date
    from ib_desktop.services.deadlines import KIND_LABELS, collect

    today = parse_date(args.today) if args.today else date.today()
    assert today is not None
    try:
        db, school_id = open_school(args)
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    try:
        with db.session() as s:
            lines = collect(s, school_id, today, within_days=args.within)
    finally:
        db.dispose()
    if args.overdue:
        lines = [d for d in lines if d.is_overdue(today)]
    if not lines:
        print("Geen lopende termijnen.")
        return 0
    rows = [
        [short_date(d.due), d.when_text(today), KIND_LABELS.get(d.kind, d.kind), d.who, d.what]
        for d in lines
    ]
    print(format_table(["Uiterlijk", "", "Termijn", "Wie", "Wat te doen"], rows))
    late = sum(d.is_overdue(today) for d in lines)
    print(f"\n{len(lines)} termijnen, waarvan {late} te laat.")
    return 0
