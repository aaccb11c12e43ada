"""``ib-desktop figures``: the school support profile's figures per counting date (1 October).

The table schools report (pupils, MDO, declarations, referrals and returns, groups) for a school
year and the years before it, side by side, plus pupils per level per group, OPPs running and
evaluations on time versus late; on the terminal, or as .xlsx (for Excel) or .pdf.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date

EPILOG = """\
voorbeelden:
  ib-desktop figures                                   (dit schooljaar en de twee ervoor)
  ib-desktop figures --school-year 2025-2026 -o kengetallen.xlsx
  ib-desktop figures --school-year 2025-2026 --years 5 -o kengetallen.pdf
"""


def _year(text: str) -> str:
    m = re.fullmatch(r"\s*(\d{4})\s*[-/]\s*(\d{4})\s*", text)
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise argparse.ArgumentTypeError("schrijf het schooljaar als 2025-2026")
    return f"{m.group(1)}-{m.group(2)}"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "figures",
        help="kengetallen voor het schoolondersteuningsprofiel (teldatum 1 oktober)",
        description="De kengetallen per teldatum, meerdere schooljaren naast elkaar.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--school-year", type=_year, metavar="JAAR", help="bijv. 2025-2026 (nu)")
    p.add_argument(
        "--years", type=int, default=3, metavar="N", help="aantal schooljaren naast elkaar (3)"
    )
    p.add_argument("-o", "--output", metavar="BESTAND", help="een .xlsx- of .pdf-bestand")
    p.add_argument("--today", metavar="DATUM", help=argparse.SUPPRESS)
    return p


def run(args: argparse.Namespace) -> int:
    """Count and print or write the figures."""
    from pathlib import Path

    from ib_desktop.commands.common import LookupFailed, format_table, open_school
    from ib_desktop.dates import parse_date, school_year_label
    from ib_desktop.services.figures import fmt_value, level_rows, school_figures, table_rows

    today = parse_date(args.today) if args.today else date.today()
    assert today is not None
    label = args.school_year or school_year_label(today)
    if not 1 <= args.years <= 10:
        print("Fout: --years is 1 tot en met 10.", file=sys.stderr)
        return 2
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".pdf"):
        print("Fout: het bestand moet eindigen op .xlsx of .pdf.", file=sys.stderr)
        return 2
    try:
        db, school_id = open_school(args)
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    try:
        with db.session() as s:
            figures = school_figures(s, school_id, label, years=args.years, today=today)
            if out is not None and out.suffix.lower() == ".pdf":
                from ib_desktop.reports.batch import write_atomic
                from ib_desktop.reports.figures import figures_pdf
                from ib_desktop.services.school import get_school

                school = get_school(s, school_id)
                data = figures_pdf(figures, school.name if school else "", today=today)
                write_atomic(out, data)
    finally:
        db.dispose()
    rows = table_rows(figures)
    if out is None:
        print(format_table([str(c) for c in rows[0]], [[fmt_value(c) for c in r] for r in rows[1:]],
                           right=set(range(1, len(rows[0])))))  # fmt: skip
        last = figures.years[-1]
        print()
        print(f"Leerlingen per niveau per groep op {last.counting_date.strftime('%d-%m-%Y')}:")
        lv = level_rows(last, figures.levels)
        print(format_table([str(c) for c in lv[0]], [[str(c) for c in r] for r in lv[1:]],
                           right=set(range(1, len(lv[0])))))  # fmt: skip
        return 0
    if out.suffix.lower() == ".xlsx":
        from ib_desktop.services.figures import sheet_rows
        from ib_desktop.spreadsheet_safety import write_xlsx

        write_xlsx(out, sheet_rows(figures), sheet_title="Kengetallen")
    print(f"{out} (kengetallen {', '.join(y.label for y in figures.years)})")
    return 0
