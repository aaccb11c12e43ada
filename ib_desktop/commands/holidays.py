"""``ib-desktop holidays``: the school's holidays, and loading them from a file.

``holidays list`` shows the stored holidays of the school's region; ``holidays load FILE``
reads the Rijksoverheid open data (.json or .csv from opendata.rijksoverheid.nl) or a school's
own calendar (.ics) and shows what would change, per region, without saving anything;
``--apply`` then saves it. ``holidays update`` does the same for vacation dates an earlier
version shipped wrongly (rows the school changed itself are left alone). Nothing is saved
without ``--apply``: the same preview-then-apply as the holidays tab in the app.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ib_desktop.models import Region

EPILOG = """\
voorbeelden:
  ib-desktop holidays list
  ib-desktop holidays load schoolvakanties-2028-2029.json          (alleen tonen)
  ib-desktop holidays load schoolvakanties-2028-2029.json --apply  (opslaan)
  ib-desktop holidays load jaarkalender.ics --apply                 (studiedagen van de school)
  ib-desktop holidays update --apply         (verkeerd meegeleverde data verbeteren)
"""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "holidays",
        help="toon de vakanties of laad ze uit open data (.json/.csv) of een agenda (.ics)",
        description="De vakanties en vrije dagen van de regio van de school. 'load' leest de "
        "open data van de Rijksoverheid (schoolvakanties, .json of .csv) of de eigen "
        "jaarkalender van de school (.ics) en toont wat er verandert; met --apply wordt het "
        "opgeslagen.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", choices=("list", "load", "update"), help="list, load of update")
    p.add_argument(
        "file", nargs="?", metavar="BESTAND", help="load: het .json-, .csv- of .ics-bestand"
    )
    p.add_argument("--apply", action="store_true", help="load/update: sla de wijzigingen op")
    p.add_argument(
        "--region",
        choices=("noord", "midden", "zuid", "alle"),
        help="load: voor deze regio (standaard de regio van de school; 'alle' = alle drie)",
    )
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """List, or load with a preview (and save with ``--apply``)."""
    from ib_desktop.commands.common import LookupFailed, open_school
    from ib_desktop.services.holiday_import import HolidayFileError, HolidayPlanOutdated

    if args.action == "load" and not args.file:
        print("Fout: geef het bestand: ib-desktop holidays load BESTAND", file=sys.stderr)
        return 2
    if args.action == "list" and (args.file or args.apply):
        print("Fout: 'holidays list' neemt geen bestand of --apply.", file=sys.stderr)
        return 2
    if args.action == "update" and args.file:
        print("Fout: 'holidays update' neemt geen bestand.", file=sys.stderr)
        return 2
    try:
        # Saving holidays writes: then the app's lock too (refused while the app has it open).
        db, school_id = open_school(args, write=bool(args.apply))
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    try:
        with db.session() as s:
            if args.action == "list":
                return _list(s, school_id)
            if args.action == "update":
                return _update(s, school_id, args)
            return _load(s, school_id, args)
    except (HolidayFileError, HolidayPlanOutdated) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _school_region(s: Session, school_id: int) -> Region:
    from ib_desktop.models import Region, School

    school = s.get(School, school_id)
    return Region(school.region) if school else Region.MIDDEN


def _list(s: Session, school_id: int) -> int:
    from ib_desktop.dates import short_date
    from ib_desktop.services import holidays as hol

    region = _school_region(s, school_id)
    hol.seed_holidays(s, region)
    print(f"Vakanties en vrije dagen, regio {region.value}:")
    for h in hol.list_holidays(s, region):
        span = (
            short_date(h.start) if h.days == 1 else f"{short_date(h.start)} t/m {short_date(h.end)}"
        )
        print(f"  {span:<26} {h.name}")
    from ib_desktop.services.holiday_import import outdated_shipped_changes

    if outdated := outdated_shipped_changes(s, region):
        print(
            f"Let op: {len(outdated)} vakantiedata komen uit een eerdere versie en zijn verkeerd; "
            "'ib-desktop holidays update' toont de verbetering."
        )
    return 0


def _update(s: Session, school_id: int, args: argparse.Namespace) -> int:
    from ib_desktop.services import holidays as hol
    from ib_desktop.services.holiday_import import apply_changes, outdated_shipped_changes

    region = _school_region(s, school_id)
    hol.seed_holidays(s, region)
    changes = outdated_shipped_changes(s, region)
    if not changes:
        print(f"Geen verbeteringen nodig: de vakanties van regio {region.value} kloppen.")
        return 0
    print(f"Regio {region.value}:")
    for c in changes:
        print(f"  {c.kind:<11} {c.describe()}")
    if not args.apply:
        print(f"{len(changes)} wijziging(en) niet opgeslagen; voeg --apply toe om ze op te slaan.")
        return 0
    print(f"{apply_changes(s, changes)} wijziging(en) opgeslagen.")
    return 0


def _load(s: Session, school_id: int, args: argparse.Namespace) -> int:
    from ib_desktop.models import Region
    from ib_desktop.services import holidays as hol
    from ib_desktop.services.holiday_import import (
        HolidayFileError,
        apply_changes,
        plan_changes,
        read_holiday_file,
    )

    path = Path(args.file).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise HolidayFileError(f"'{path}' kan niet worden gelezen: {exc.strerror}.") from None
    if args.region == "alle":
        regions = list(Region)
    elif args.region:
        regions = [Region(args.region)]
    else:
        regions = [_school_region(s, school_id)]
    loaded = read_holiday_file(data, path.name, ics_regions=regions)
    for region in regions:
        hol.seed_holidays(s, region)  # compare with what the app uses
    changes = plan_changes(s, loaded, regions)
    print(f"{path.name}: {loaded.kind}, schooljaar {', '.join(sorted(loaded.school_years))}.")
    for warning in loaded.warnings:
        print(f"  let op: {warning}")
    if not changes:
        print("Geen wijzigingen: de vakanties kloppen al met dit bestand.")
        return 0
    for region in regions:
        mine = [c for c in changes if c.region == region]
        if mine:
            print(f"Regio {region.value}:")
            for c in mine:
                print(f"  {c.kind:<11} {c.describe()}")
    if not args.apply:
        print(f"{len(changes)} wijziging(en) niet opgeslagen; voeg --apply toe om ze op te slaan.")
        return 0
    n = apply_changes(s, changes)
    print(f"{n} wijziging(en) opgeslagen.")
    return 0
