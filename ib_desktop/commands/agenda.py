"""``ib-desktop agenda``: what is due (evaluations, meetings, deadlines), or an .ics calendar.

For scripts and for a quick look without starting the program: the overdue moments and those of
the coming weeks, for one teacher or group if asked, as a table; with ``--ics`` the same moments
go into a calendar file that Outlook and Google Calendar import (a second export updates the
events instead of adding them twice).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_WEEKS = 6


class UsageError(Exception):
    """Something on the command line cannot be used; ``str()`` is Dutch and says what to do."""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    from ib_desktop.models import MomentKind

    p = sub.add_parser(
        "agenda",
        help="toon de evaluaties, gesprekken en termijnen die eraan komen (of maak een .ics)",
        description="Toont wat er te doen is: evaluaties van korte interventies, "
        "groeidocumenten en OPP's, oudergesprekken, groepsbesprekingen, MDO's en "
        f"zorgplichttermijnen. Zonder datums: alles wat te laat is en de komende "
        f"{DEFAULT_WEEKS} weken. Datums mogen als 12-03-2026, 12 maart 2026 of 2026-03-12.",
    )
    p.add_argument(
        "--teacher", metavar="NAAM", help="alleen wat deze medewerker aangaat (naam of nummer)"
    )
    p.add_argument("--group", metavar="GROEP", help="alleen deze groep, bijv. 5B")
    p.add_argument("--from", dest="date_from", metavar="DATUM", help="vanaf deze datum")
    p.add_argument("--to", dest="date_to", metavar="DATUM", help="tot en met deze datum")
    p.add_argument("--overdue", action="store_true", help="alleen wat te laat is")
    p.add_argument(
        "--kind",
        choices=[k.value for k in MomentKind],
        metavar="SOORT",
        help="alleen deze soort: " + ", ".join(k.value for k in MomentKind),
    )
    p.add_argument(
        "--ics", metavar="BESTAND", help="schrijf een agendabestand (.ics); '-' = scherm"
    )
    p.add_argument(
        "--initials",
        action="store_true",
        help="alleen de initialen van leerlingen in het .ics-bestand (standaard; privacy)",
    )
    p.add_argument(
        "--full-names",
        action="store_true",
        help="volledige namen van leerlingen in het .ics-bestand (alleen voor een eigen agenda)",
    )
    p.add_argument(
        "--feed",
        metavar="NAAM",
        help="onthoud de export onder deze naam in plaats van onder het bestand (ook bij '-'), "
        "zodat vervallen afspraken als geannuleerd meegaan",
    )
    p.add_argument("--today", metavar="DATUM", help=argparse.SUPPRESS)  # pin "today" for scripts
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p  # fmt: skip


def _date(text: str | None, option: str) -> date | None:
    from ib_desktop.dates import parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}.") from None


def _suggest(text: str, options: dict[str, str]) -> str:
    """ " Bedoelt u: ...?" from the names closest to what was typed."""
    from ib_desktop.commands.common import fold

    close = difflib.get_close_matches(fold(text), list(options), n=4, cutoff=0.5)
    return f" Bedoelt u: {', '.join(options[c] for c in close)}?" if close else ""


def resolve_teacher(session: Session, school_id: int, text: str) -> tuple[int, str]:
    """A staff member by number or name; a clear Dutch error with suggestions otherwise."""
    import sqlalchemy as sa

    from ib_desktop.commands.common import fold
    from ib_desktop.models import Staff

    staff = list(
        session.scalars(
            sa.select(Staff).where(Staff.school_id == school_id).order_by(Staff.last_name, Staff.id)
        )
    )
    q = fold(text)
    if q.isdigit():
        found = [s for s in staff if s.id == int(q)]
    else:
        found = [
            s
            for s in staff
            if q
            in (
                fold(s.full_name),
                fold(s.last_name),
                fold(f"{s.tussenvoegsel} {s.last_name}"),
                fold(s.first_name),
            )
        ]
        if not found:
            found = [s for s in staff if q and q in fold(s.full_name)]
    if len(found) == 1:
        return found[0].id, found[0].full_name
    if found:
        lines = [f"'{text}' past bij {len(found)} medewerkers; kies er een met --teacher NUMMER:"]
        lines += [f"  {s.id:>6}  {s.full_name}" for s in found[:15]]
        raise UsageError("\n".join(lines))
    names = {fold(s.full_name): s.full_name for s in staff}
    names.update({fold(s.last_name): s.full_name for s in staff})
    raise UsageError(
        f"Geen medewerker '{text}' gevonden.{_suggest(text, names)} "
        "Gebruik de (achter)naam of het nummer van de medewerker."
    )


def resolve_group(session: Session, school_id: int, text: str, today: date) -> tuple[int, str]:
    """A group of the current school year by name ("5B", "groep 5b"); suggestions otherwise."""
    import sqlalchemy as sa

    from ib_desktop.commands.common import fold
    from ib_desktop.dates import school_year_label
    from ib_desktop.models import Group, SchoolYear

    rows = session.execute(
        sa.select(Group.id, Group.name, SchoolYear.label)
        .join(SchoolYear, SchoolYear.id == Group.school_year_id)
        .where(Group.school_id == school_id)
        .order_by(Group.grade_low, Group.name)
    ).all()
    label = school_year_label(today)
    current = [(gid, name) for gid, name, lbl in rows if lbl == label]
    if not current and rows:
        newest = max(lbl for _g, _n, lbl in rows)
        current = [(gid, name) for gid, name, lbl in rows if lbl == newest]
    q = fold(text)
    if q.startswith("groep "):
        q = q[6:].strip()
    for gid, name in current:
        if fold(name) == q:
            return gid, name
    names = {fold(name): name for _gid, name in current}
    listed = ", ".join(name for _gid, name in current[:40]) or "geen"
    raise UsageError(
        f"Geen groep '{text}' in dit schooljaar.{_suggest(q, names)} Groepen: {listed}."
    )


def run(args: argparse.Namespace) -> int:
    """List the moments, or write them as an .ics file."""
    try:
        return _run(args)
    except UsageError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the list was piped into "head": fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    from ib_desktop.commands.common import format_table, open_for_command
    from ib_desktop.dates import WEEKDAYS, short_date
    from ib_desktop.models import MomentKind
    from ib_desktop.schedule import KIND_LABELS, compute_moments, directory
    from ib_desktop.services.school import get_school

    today = _date(args.today, "--today") or date.today()
    start = _date(args.date_from, "--from")
    end = _date(args.date_to, "--to")
    if start and end and end < start:
        raise UsageError("--to ligt vóór --from; draai de datums om.")
    db = open_for_command(args, write=False)
    try:
        with db.session() as s:
            school = get_school(s)
            if school is None:
                raise UsageError(
                    "Deze database heeft nog geen school. Start het programma of gebruik "
                    "'ib-desktop demo'."
                )
            school_id = school.id
            teacher = resolve_teacher(s, school_id, args.teacher) if args.teacher else None
            group = resolve_group(s, school_id, args.group, today) if args.group else None

            if args.ics:
                return _write_ics(s, args, school_id, today, start, end, teacher, group)

            horizon = end or (
                today - timedelta(days=1)
                if args.overdue
                else today + timedelta(weeks=DEFAULT_WEEKS)
            )
            moments = compute_moments(s, school_id, today=today, start=start, end=horizon)
            names = directory(s, school_id, [m.pupil_id for m in moments if m.pupil_id])
            if teacher is not None:
                moments = [m for m in moments if names.involves(m, teacher[0])]
            if group is not None:
                moments = [m for m in moments if m.group_id == group[0]]
            if args.kind:
                moments = [m for m in moments if m.kind == MomentKind(args.kind)]
            if args.overdue:
                moments = [m for m in moments if m.is_overdue(today)]
    finally:
        db.dispose()

    scope = []
    if teacher:
        scope.append(teacher[1])
    if group:
        scope.append(f"groep {group[1]}")
    period = (
        "te laat"
        if args.overdue
        else f"{'te laat en ' if start is None else ''}"
        f"{'vanaf ' + short_date(start) + ' ' if start else ''}t/m {short_date(horizon)}"
    )
    print(f"Agenda {school.name}{' – ' + ', '.join(scope) if scope else ''} ({period})")
    if not moments:
        print("Niets te doen in deze periode.")
        return 0
    rows = []
    for m in moments:
        rows.append(
            [
                f"{WEEKDAYS[m.due.weekday()][:2]} {short_date(m.due)}",
                KIND_LABELS[m.kind],
                names.pupil(m.pupil_id) or "-",
                names.group(m.group_id) or "-",
                m.title,
                names.person(m.responsible_id) or "-",
                "TE LAAT" if m.is_overdue(today) else "",
            ]
        )
    print(format_table(["Datum", "Soort", "Leerling", "Groep", "Wat", "Wie", ""], rows))
    late = sum(m.is_overdue(today) for m in moments)
    count = "1 moment" if len(moments) == 1 else f"{len(moments)} momenten"
    print(f"\n{count}, waarvan {late} te laat.")
    return 0


def _write_ics(
    session: Session,
    args: argparse.Namespace,
    school_id: int,
    today: date,
    start: date | None,
    end: date | None,
    teacher: tuple[int, str] | None,
    group: tuple[int, str] | None,
) -> int:
    from ib_desktop.calendar_export import (
        export_calendar,
        feed_key,
        remember_export,
        target_key,
    )

    if args.initials and args.full_names:
        raise UsageError("Kies --initials of --full-names, niet allebei.")
    target = None if args.ics == "-" else Path(args.ics).expanduser()
    if target is not None:
        if target.is_dir():
            raise UsageError(f"'{target}' is een map; geef een bestandsnaam, bijv. agenda.ics.")
        if not target.parent.exists():
            raise UsageError(f"De map '{target.parent}' bestaat niet.")
    if args.feed is not None and args.feed.strip():
        key: str | None = feed_key(args.feed)
    elif target is not None:
        key = target_key(target)
    else:
        key = None  # to the screen without a feed name: nothing to remember
    result = export_calendar(
        session,
        school_id,
        today=today,
        teacher_id=teacher[0] if teacher else None,
        group_id=group[0] if group else None,
        start=start,
        end=end,
        only_initials=not args.full_names,
        memory_key=key,
    )
    if target is None:
        sys.stdout.write(result.data.decode("utf-8"))
        remember_export(session, result, label=args.feed or "-")
        return 0
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_bytes(result.data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(
            f"Het bestand '{target}' kan niet worden geschreven: {exc.strerror}."
        ) from None
    remember_export(session, result, label=str(target))
    cancelled = f"; {result.cancelled} vervallen als geannuleerd" if result.cancelled else ""
    print(f"{result.events} afspraken geschreven naar {target} ({result.name}){cancelled}.")
    return 0
