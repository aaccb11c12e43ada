"""``ib-desktop import FORMULIER.pdf``: a returned evaluation form, reviewed and saved.

Called by ``ib-desktop import`` for a ``.pdf`` file. Prints per goal what saving does (saved,
empty, changed meanwhile in the app, not possible) and saves unless ``--dry-run``. Goals changed
in the app since the form was made are never overwritten from the command line: the review in
the program lets the user choose per goal. Exit code 2 when the form is refused.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def _fail(message: str) -> int:
    print(f"Fout: {message}", file=sys.stderr)
    return 2


def run_import(args: argparse.Namespace) -> int:
    """Read the form, print the review, and apply it unless ``--dry-run``."""
    from ib_desktop.commands.common import LookupFailed, open_school
    from ib_desktop.dates import parse_date
    from ib_desktop.services.plans.evaluation_forms import (
        FormRefused,
        apply_form,
        format_review,
        read_form,
        review_form,
    )
    from ib_desktop.services.versioned import EditConflict

    today = date.today()
    if getattr(args, "date", None):
        try:
            today = parse_date(args.date) or today
        except ValueError as exc:
            return _fail(f"--date: {exc}.")
    try:
        form = read_form(Path(args.file).read_bytes())
    except OSError as exc:
        return _fail(f"Het bestand kan niet worden gelezen: {exc.strerror or exc}.")
    except FormRefused as exc:
        return _fail(str(exc))
    try:
        db, school_id = open_school(args)
    except LookupFailed as exc:
        return _fail(str(exc))
    try:
        if args.dry_run:
            with db.session() as s:
                review = review_form(s, school_id, form)
                s.rollback()  # a first look writes nothing (not even the database's id)
            print(format_review(review))
            print("Proefrit: er is niets opgeslagen.")
            return 0
        with db.session() as s:
            result = apply_form(s, school_id, form, today=today)
        print(format_review(result.review, result=result))
        if result.review.conflicts:
            print(
                "Doelen die intussen in het programma zijn gewijzigd, zijn niet overschreven. "
                "Kies per doel in het programma (Evaluaties > Ingevuld formulier inlezen…)."
            )
    except FormRefused as exc:
        return _fail(str(exc))
    except EditConflict as exc:
        return _fail(f"{exc} Lees het formulier opnieuw in.")
    finally:
        db.dispose()
    return 0
