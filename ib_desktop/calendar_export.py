"""Calendar export: the moments of the schedule as an .ics file for Outlook or Google Calendar.

Each moment becomes an all-day event. Its UID is made from the moment's stable key and the
school, so importing a newer export updates the events instead of adding them twice. SEQUENCE
is the number of minutes since 2024 at the time of export: it only ever grows, so a calendar
always takes the newer export as the newer version. Moments that were done since are kept in
the file (marked "gedaan"), so an imported event is corrected rather than left behind as if it
were still to do.

A moment can also vanish: a pupil left, an OPP was ended, a document deleted. Left out of the
file, its event would stay in Outlook or Google for ever. So the app remembers per export target
(the file's path, or a named feed) which UIDs it wrote with which SEQUENCE, in the database's
settings table; a UID that was in the previous file but is no longer due is written once more
with ``STATUS:CANCELLED`` and a higher SEQUENCE, so a calendar that honours UIDs removes it.
Pupils appear with initials by default: a calendar is often shared or kept in the cloud.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop import APP_NAME, __version__
from ib_desktop.dates import long_date
from ib_desktop.models import School, Setting
from ib_desktop.schedule import KIND_LABELS, Directory, Moment, compute_moments, directory

SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
DEFAULT_WEEKS_AHEAD = 26
DONE_WEEKS_BACK = 8  # done moments this far back stay in the file, so imports correct them
CANCELLED_WEEKS_KEPT = 26  # a cancelled event is repeated in each export until this long past
MEMORY_PREFIX = "calendar-export:"
CANCELLED_PREFIX = "Vervallen: "


@dataclass(frozen=True)
class CalendarExport:
    """The .ics file and what went into it."""

    data: bytes
    events: int
    name: str
    cancelled: int = 0  # events written as STATUS:CANCELLED (moments that vanished)
    memory_key: str | None = None
    memory: dict[str, Any] = field(default_factory=dict)  # what to remember once it is written


def target_key(path: str | Path) -> str:
    """The settings key under which the export to this file is remembered."""
    resolved = str(Path(path).expanduser().resolve())
    return MEMORY_PREFIX + "file:" + hashlib.sha256(resolved.encode()).hexdigest()[:40]


def feed_key(name: str) -> str:
    """The settings key of a named feed (an export that is not tied to one file)."""
    folded = " ".join(name.split()).casefold()
    return MEMORY_PREFIX + "feed:" + hashlib.sha256(folded.encode()).hexdigest()[:40]


def load_memory(session: Session, key: str | None) -> dict[str, Any]:
    """The UIDs the previous export to this target held: {uid: {sequence, start, summary, ...}}."""
    if key is None:
        return {}
    row = session.get(Setting, key)
    value = row.value if row is not None else None
    if not isinstance(value, dict) or not isinstance(value.get("events"), dict):
        return {}
    return dict(value["events"])


def remember_export(session: Session, export: CalendarExport, *, label: str = "") -> None:
    """Store what this export held, after its file was written (call in its own unit of work)."""
    if export.memory_key is None:
        return
    value = {"target": label, "events": export.memory}
    row = session.get(Setting, export.memory_key)
    if row is None:
        session.add(Setting(key=export.memory_key, value=value))
    else:
        row.value = value
    session.flush()


def school_uid_part(school_id: int, brin: str) -> str:
    """The school's part of every event id: its BRIN (when known) and its id in the database."""
    brin = re.sub(r"[^0-9A-Za-z]", "", brin or "").lower()
    return f"school{school_id}" + (f"-{brin}" if brin else "")


def event_uid(key: str, school_part: str) -> str:
    """A stable, globally unique event id for a moment: the same moment, the same UID."""
    safe = re.sub(r"[^0-9A-Za-z]+", "-", key).strip("-")
    return f"{safe}.{school_part}@ib-desktop"


def initials(name: str) -> str:
    """ "Sanne de Vries" -> "S. de V.": enough for the IB-er, less for a cloud calendar."""
    parts = name.split()
    if not parts:
        return ""
    out = []
    for i, part in enumerate(parts):
        if i == 0 or i == len(parts) - 1:
            out.append(part[0].upper() + ".")
        elif part.islower():
            out.append(part)  # tussenvoegsel
        else:
            out.append(part[0].upper() + ".")
    return " ".join(out)


def select_moments(
    moments: Iterable[Moment], names: Directory, teacher_id: int | None
) -> list[Moment]:
    """A teacher's moments (theirs, or about their group); everyone's without a teacher."""
    if teacher_id is None:
        return list(moments)
    return [m for m in moments if names.involves(m, teacher_id)]


def build_calendar(
    moments: Iterable[Moment],
    names: Directory,
    *,
    school_name: str,
    school_part: str,
    calendar_name: str,
    today: date,
    now: datetime | None = None,
    only_initials: bool = True,
    previous: dict[str, Any] | None = None,
    memory: dict[str, Any] | None = None,
) -> bytes:
    """The .ics text (UTF-8) of these moments, METHOD:PUBLISH, all-day events.

    ``previous`` is what the last export to the same target held; its UIDs that are not among
    these moments are written as cancelled. ``memory`` (a dict) is filled with what this file
    holds, for the next export.
    """
    from icalendar import Calendar, Event

    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    sequence = max(0, int((now - SEQUENCE_EPOCH).total_seconds() // 60))
    previous = previous or {}
    memory = memory if memory is not None else {}
    cal = Calendar()
    cal.add("prodid", f"-//{APP_NAME}//{APP_NAME} {__version__}//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-caldesc", f"Evaluaties, gesprekken en termijnen van {school_name}")
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    for m in moments:
        pupil = names.pupil(m.pupil_id)
        if only_initials and pupil:
            pupil = initials(pupil)
        group = names.group(m.group_id)
        who = names.person(m.responsible_id)
        summary = m.title
        if pupil:
            summary += f" – {pupil}"
        if group:
            summary += f" ({group})" if pupil else f" – groep {group}"
        if m.done_on is not None:
            summary = f"{summary} (gedaan)"
        lines = [f"Soort: {KIND_LABELS[m.kind]}"]
        if pupil:
            lines.append(f"Leerling: {pupil}")
        if group:
            lines.append(f"Groep: {group}")
        if who:
            lines.append(f"Verantwoordelijk: {who}")
        if m.done_on is not None:
            lines.append(f"Gedaan op {long_date(m.done_on)}.")
        elif m.is_overdue(today):
            lines.append(f"Te laat: dit stond op {long_date(m.due)}.")
        lines.append(f"Uit {APP_NAME} ({school_name}), bijgewerkt op {long_date(now.date())}.")
        event = Event()
        uid = event_uid(m.key, school_part)
        # Never lower than what the calendar already has (a cancellation wrote old + 1).
        seq = max(sequence, int(previous.get(uid, {}).get("sequence", -1)) + 1)
        memory[uid] = {"sequence": seq, "start": m.due.isoformat(), "summary": summary}
        event.add("uid", uid)
        event.add("dtstamp", now)
        event.add("last-modified", now)
        event.add("sequence", seq)
        event.add("dtstart", m.due)
        event.add("dtend", m.due + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", "\n".join(lines))
        event.add("categories", [KIND_LABELS[m.kind]])
        event.add("transp", "TRANSPARENT")
        event.add("status", "CONFIRMED")
        event.add("x-microsoft-cdo-alldayevent", "TRUE")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        cal.add_component(event)
    forget_before = today - timedelta(weeks=CANCELLED_WEEKS_KEPT)
    for uid, old in sorted(previous.items()):
        if uid in memory or not isinstance(old, dict):
            continue
        try:
            start = date.fromisoformat(str(old.get("start")))
            old_sequence = int(old.get("sequence", 0))
        except (TypeError, ValueError):
            continue  # an unreadable entry: nothing sensible to cancel
        if start < forget_before:
            continue  # long past: the calendar may keep it, the app forgets it
        was_cancelled = bool(old.get("cancelled"))
        seq = old_sequence if was_cancelled else old_sequence + 1
        summary = str(old.get("summary", ""))
        if not summary.startswith(CANCELLED_PREFIX):
            summary = CANCELLED_PREFIX + summary
        memory[uid] = {"sequence": seq, "start": start.isoformat(), "summary": summary,
                       "cancelled": True}  # fmt: skip
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", now)
        event.add("last-modified", now)
        event.add("sequence", seq)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
        event.add("summary", summary)
        event.add(
            "description",
            "Deze afspraak is vervallen (bijvoorbeeld omdat de leerling de school heeft verlaten "
            f"of het document is beëindigd). Uit {APP_NAME} ({school_name}), bijgewerkt op "
            f"{long_date(now.date())}.",
        )
        event.add("transp", "TRANSPARENT")
        event.add("status", "CANCELLED")
        event.add("x-microsoft-cdo-alldayevent", "TRUE")
        cal.add_component(event)
    return cal.to_ical()


def export_calendar(
    session: Session,
    school_id: int,
    *,
    today: date,
    teacher_id: int | None = None,
    group_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    only_initials: bool = True,
    now: datetime | None = None,
    memory_key: str | None = None,
) -> CalendarExport:
    """The calendar of one teacher (or, without ``teacher_id``, the IB-er's: everything).

    Open moments up to ``end`` (half a year ahead by default), overdue ones included on their
    original day; done ones from ``DONE_WEEKS_BACK`` weeks back. Pupils by their initials unless
    ``only_initials`` is False. With ``memory_key`` (``target_key(path)`` or ``feed_key(name)``)
    the moments the previous export to that target held and this one lacks come out cancelled;
    call ``remember_export`` once the file is written. Reads only.
    """
    end = end or today + timedelta(weeks=DEFAULT_WEEKS_AHEAD)
    done_from = start or today - timedelta(weeks=DONE_WEEKS_BACK)
    row = session.execute(sa.select(School.name, School.brin).where(School.id == school_id)).first()
    if row is None:
        raise ValueError(f"School {school_id} bestaat niet.")
    school_name, brin = row
    all_moments = compute_moments(
        session, school_id, today=today, start=None, end=end, include_done=True
    )
    chosen = [
        m
        for m in all_moments
        if (m.done_on is None and (start is None or m.due >= start or m.is_overdue(today)))
        or (m.done_on is not None and m.due >= done_from)
    ]
    names = directory(session, school_id, [m.pupil_id for m in chosen if m.pupil_id])
    chosen = select_moments(chosen, names, teacher_id)
    if group_id is not None:
        chosen = [m for m in chosen if m.group_id == group_id]
    if teacher_id is not None:
        calendar_name = f"{APP_NAME} – {names.person(teacher_id)}"
    else:
        calendar_name = f"{APP_NAME} – {school_name}"
    memory: dict[str, Any] = {}
    data = build_calendar(
        chosen,
        names,
        school_name=school_name,
        school_part=school_uid_part(school_id, brin),
        calendar_name=calendar_name,
        today=today,
        now=now,
        only_initials=only_initials,
        previous=load_memory(session, memory_key),
        memory=memory,
    )
    cancelled = sum(1 for v in memory.values() if v.get("cancelled"))
    return CalendarExport(data, len(chosen), calendar_name, cancelled, memory_key, memory)


def calendar_title(session: Session, school_id: int, teacher_id: int | None) -> str:
    """ "IB Desktop – Ilse Bakker" for a teacher's calendar, else with the school's name."""
    if teacher_id is not None:
        return f"{APP_NAME} – {directory(session, school_id, []).person(teacher_id)}"
    name = session.execute(sa.select(School.name).where(School.id == school_id)).scalar()
    return f"{APP_NAME} – {name or ''}"


def suggested_file_name(name: str, today: date) -> str:
    """ "agenda-ilse-bakker-2026-11-22.ics": lower case, no spaces or odd characters."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    slug = slug.replace("ib-desktop-", "", 1) or "agenda"
    return f"agenda-{slug}-{today.isoformat()}.ics"
