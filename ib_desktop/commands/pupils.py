"""``ib-desktop pupils``: list pupils with their ids, to name them in scripts and ``print``."""

from __future__ import annotations

import argparse
import sys

from ib_desktop.commands.common import LookupFailed, fold, format_table, open_school
from ib_desktop.commands.lookup import current_groups, find_pupils, pupil_rows, resolve_group


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "pupils",
        help="toon leerlingen met hun nummer (id), groep en niveau",
        description="Toont de leerlingen met hun nummer, naam, groep en ondersteuningsniveau. "
        "Het nummer gebruikt u bij 'ib-desktop print --pupil'.",
    )
    p.add_argument("--group", metavar="GROEP", help="alleen deze groep, bijv. 5B")
    p.add_argument("--level", type=int, metavar="N", help="alleen leerlingen op niveau N")
    p.add_argument("--has-opp", action="store_true", help="alleen leerlingen met een lopend OPP")
    p.add_argument("--left", action="store_true", help="ook vertrokken leerlingen tonen")
    p.add_argument("--name", metavar="NAAM", help="alleen leerlingen waarvan de naam dit bevat")
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p


def run(args: argparse.Namespace) -> int:
    """Print the list."""
    from ib_desktop.dates import short_date

    try:
        db, school_id = open_school(args)
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    try:
        with db.session() as s:
            if args.name:
                rows = find_pupils(s, school_id, args.name)
                if not args.left:
                    rows = [r for r in rows if r.left_on is None]
            else:
                rows = pupil_rows(s, school_id, include_left=args.left)
            if args.group:
                group = resolve_group(s, school_id, args.group)
                rows = [r for r in rows if r.group == group.name]
            if args.level is not None:
                rows = [r for r in rows if r.level == args.level]
            if args.has_opp:
                rows = [r for r in rows if r.has_opp]
            order = {g.name: i for i, g in enumerate(current_groups(s, school_id))}
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    rows.sort(key=lambda r: (r.left_on is not None, order.get(r.group, 999), fold(r.sort_name)))
    if not rows:
        print("Geen leerlingen gevonden.")
        return 0
    table = [
        [
            str(r.id),
            r.sort_name,
            r.group if r.left_on is None else f"vertrokken {short_date(r.left_on)}",
            str(r.level) if r.level is not None else "-",
            "ja" if r.has_opp else "",
        ]
        for r in rows
    ]
    try:
        print(format_table(["id", "naam", "groep", "niveau", "OPP"], table, right={0, 3}))
        print(f"\n{len(rows)} leerling(en).")
    except BrokenPipeError:  # "ib-desktop pupils | head" closed the pipe: that is fine
        sys.stderr.close()
    return 0
