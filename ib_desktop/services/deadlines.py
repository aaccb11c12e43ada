"""Every legal clock in one list: what is due, by when, and what to do about it.

The clocks (calendar dates, as the law counts them; a clock is never moved past a holiday):

* **OPP vaststellen**: an OPP is fixed within 6 weeks after the extra support started (the start
  of the pupil's current level in the extra or specialised tier, or the OPP's start date when
  earlier), until one of the running OPP's versions is fixed;
* **OPP evalueren met ouders**: at least once a year, counted from the last evaluation (or from
  the fixing when it was never evaluated);
* **toestemming ouders**: per guardian with gezag who has not consented to the handelingsdeel of
  the version in force; asked when it was discussed or fixed, the talk is due 6 weeks later
  (the support goes on meanwhile); a refusal is due at once;
* **zorgplicht**: a decision 6 weeks after a written registration, 6 + 4 when extended;
* **arrangement / TLV**: the moment to request a renewal (8 weeks before an arrangement ends,
  13 weeks before a TLV ends), shown until the OPP ends;
* further clocks plug in: :func:`register_source` adds a source of lines (the inzage register's
  one-month deadline is one), and :func:`collect` asks every registered source.

Each :class:`Deadline` says what to do (``what``) and what to open (``target`` and
``target_id``): the OPP, or the pupil file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import long_date
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.models import (
    Guardian,
    LevelAssignment,
    Opp,
    OppConsent,
    OppStatus,
    OppVersion,
    Pupil,
    PupilStatus,
    Registration,
    School,
    SupportLevel,
    Tier,
)
from ib_desktop.names import dutch_name
from ib_desktop.services.accounts.access import pupil_scope

OPP_FIX_WEEKS = 6
CONSENT_WEEKS = 6
ARRANGEMENT_RENEWAL_WEEKS = 8
TLV_RENEWAL_WEEKS = 13
SOON_DAYS = 14

#: Kinds of clock, with their Dutch label (the CLI and the card show it).
KIND_LABELS = {
    "opp_vaststellen": QT_TRANSLATE_NOOP("Deadlines", "OPP vaststellen"),
    "opp_evaluatie": QT_TRANSLATE_NOOP("Deadlines", "OPP evalueren met ouders"),
    "toestemming": QT_TRANSLATE_NOOP("Deadlines", "Toestemming ouders"),
    "zorgplicht": QT_TRANSLATE_NOOP("Deadlines", "Zorgplicht"),
    "arrangement": QT_TRANSLATE_NOOP("Deadlines", "Arrangement verlengen"),
    "tlv": QT_TRANSLATE_NOOP("Deadlines", "TLV verlengen"),
    "inzage": QT_TRANSLATE_NOOP("Deadlines", "Inzageverzoek"),
    "vergadertaak": QT_TRANSLATE_NOOP("Deadlines", "Taak uit vergadering"),
}


@dataclass(frozen=True)
class Deadline:
    """One running legal clock."""

    kind: str
    due: date
    who: str
    what: str
    pupil_id: int | None = None
    target: str = "pupil"  # "opp" or "pupil": what a click opens
    target_id: int | None = None

    def days_left(self, today: date) -> int:
        """Days until the deadline; negative when it has passed."""
        return (self.due - today).days

    def is_overdue(self, today: date) -> bool:
        """True from the day after the deadline."""
        return today > self.due

    def state(self, today: date) -> str:
        """ "te laat", "binnenkort" (within two weeks) or "loopt"."""
        if self.is_overdue(today):
            return "te laat"
        return "binnenkort" if self.days_left(today) <= SOON_DAYS else "loopt"

    def when_text(self, today: date) -> str:
        """ "nog 3 dagen", "vandaag", "2 dagen te laat"."""
        n = self.days_left(today)
        if n == 0:
            return "vandaag"
        if n > 0:
            return f"nog {n} {'dag' if n == 1 else 'dagen'}"
        return f"{-n} {'dag' if n == -1 else 'dagen'} te laat"


Source = Callable[[Session, int, date], Iterable[Deadline]]
_SOURCES: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    """Add (or replace) a source of deadlines, e.g. the inzage register's open requests."""
    _SOURCES[name] = source


def unregister_source(name: str) -> None:
    """Remove a source (tests, or a feature switched off)."""
    _SOURCES.pop(name, None)


def sources() -> dict[str, Source]:
    """The registered sources, by name."""
    return dict(_SOURCES)


def collect(
    session: Session, school_id: int, today: date, *, within_days: int | None = None
) -> list[Deadline]:
    """Every registered clock's lines, earliest deadline first; overdue ones always included."""
    out: list[Deadline] = []
    for source in _SOURCES.values():
        out.extend(source(session, school_id, today))
    if within_days is not None:
        out = [d for d in out if d.days_left(today) <= within_days]
    scope = pupil_scope(session, today)  # a teacher: their groups' pupils only
    if scope is not None:
        out = [d for d in out if scope.keeps(d.pupil_id)]
    return sorted(out, key=lambda d: (d.due, d.who, d.kind))


# ---------------------------------------------------------------------------- the sources


def _names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Pupil.id, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name).where(
            Pupil.id.in_(ids)
        )
    )
    return {pid: dutch_name(f, t, last) for pid, f, t, last in rows}


def _running_opps(session: Session, school_id: int, today: date) -> list[tuple[int, int, date]]:
    """(opp id, pupil id, start) of the school's running OPPs of active pupils."""
    return [
        (oid, pid, start)
        for oid, pid, start in session.execute(
            sa.select(Opp.id, Opp.pupil_id, Opp.start_date)
            .join(Pupil, Pupil.id == Opp.pupil_id)
            .where(
                Pupil.school_id == school_id,
                Pupil.status == PupilStatus.ACTIEF,
                sa.or_(Opp.end_date.is_(None), Opp.end_date >= today),
            )
        )
    ]


def opp_fix_deadlines(session: Session, school_id: int, today: date) -> list[Deadline]:
    """OPP vaststellen: 6 weeks after the extra support started, until a version is fixed."""
    starts: dict[int, date] = {
        pid: start
        for pid, start in session.execute(
            sa.select(LevelAssignment.pupil_id, sa.func.min(LevelAssignment.start_date))
            .join(SupportLevel, SupportLevel.id == LevelAssignment.level_id)
            .join(Pupil, Pupil.id == LevelAssignment.pupil_id)
            .where(
                Pupil.school_id == school_id,
                Pupil.status == PupilStatus.ACTIEF,
                LevelAssignment.area == "",
                LevelAssignment.end_date.is_(None),
                SupportLevel.tier != Tier.BASIS,
            )
            .group_by(LevelAssignment.pupil_id)
        )
    }
    opp_of: dict[int, int] = {}
    for oid, pid, start in _running_opps(session, school_id, today):
        opp_of[pid] = oid
        starts[pid] = min(start, starts.get(pid, start))
    fixed = set(
        session.scalars(
            sa.select(Opp.pupil_id)
            .join(OppVersion, OppVersion.opp_id == Opp.id)
            .where(
                OppVersion.fixed_on.is_not(None),
                sa.or_(Opp.end_date.is_(None), Opp.end_date >= today),
            )
        )
    )
    names = _names(session, starts)
    out = []
    for pid, start in starts.items():
        if pid in fixed:
            continue
        due = start + timedelta(weeks=OPP_FIX_WEEKS)
        opp_id = opp_of.get(pid)
        what = (
            f"Stel het OPP vast (extra ondersteuning sinds {long_date(start)})"
            if opp_id
            else f"Maak een OPP en stel het vast (extra ondersteuning sinds {long_date(start)})"
        )
        out.append(
            Deadline("opp_vaststellen", due, names.get(pid, ""), what, pid,
                     "opp" if opp_id else "pupil", opp_id or pid)  # fmt: skip
        )
    return out


def _versions_in_force(session: Session, school_id: int, today: date) -> list[Any]:
    """Per running OPP its newest version that left the concept stage, as a row."""
    opps = {oid: pid for oid, pid, _s in _running_opps(session, school_id, today)}
    if not opps:
        return []
    newest = (
        sa.select(OppVersion.opp_id, sa.func.max(OppVersion.number).label("n"))
        .where(OppVersion.opp_id.in_(opps), OppVersion.status != OppStatus.CONCEPT)
        .group_by(OppVersion.opp_id)
        .subquery()
    )
    return list(
        session.execute(
            sa.select(
                OppVersion.id,
                OppVersion.opp_id,
                OppVersion.number,
                OppVersion.status,
                OppVersion.discussed_on,
                OppVersion.fixed_on,
                Opp.pupil_id,
            )
            .join(newest, sa.and_(newest.c.opp_id == OppVersion.opp_id,
                                  newest.c.n == OppVersion.number))  # fmt: skip
            .join(Opp, Opp.id == OppVersion.opp_id)
        )
    )


def opp_evaluation_deadlines(session: Session, school_id: int, today: date) -> list[Deadline]:
    """Evaluate with the parents at least once a year, counted from the last evaluation."""
    opps = {oid: pid for oid, pid, _s in _running_opps(session, school_id, today)}
    if not opps:
        return []
    rows = session.execute(
        sa.select(
            OppVersion.opp_id,
            sa.func.max(OppVersion.evaluated_on),
            sa.func.min(OppVersion.fixed_on),
        )
        .where(OppVersion.opp_id.in_(opps))
        .group_by(OppVersion.opp_id)
    ).all()
    names = _names(session, opps.values())
    out = []
    for oid, evaluated, fixed in rows:
        since = evaluated or fixed
        if since is None:
            continue  # not fixed yet: the fixing clock runs
        due = _add_year(since)
        label = "geëvalueerd" if evaluated else "vastgesteld"
        out.append(
            Deadline(
                "opp_evaluatie",
                due,
                names.get(opps[oid], ""),
                f"Evalueer het OPP met de ouders (laatst {label} op {long_date(since)})",
                opps[oid],
                "opp",
                oid,
            )
        )
    return out


def _add_year(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def consent_deadlines(session: Session, school_id: int, today: date) -> list[Deadline]:
    """Per guardian with gezag: consent to the handelingsdeel of the version in force."""
    versions = _versions_in_force(session, school_id, today)
    if not versions:
        return []
    pupil_ids = {row.pupil_id for row in versions}
    guardians: dict[int, list[tuple[int, str]]] = {}
    for gid, pid, name in session.execute(
        sa.select(Guardian.id, Guardian.pupil_id, Guardian.name)
        .where(Guardian.pupil_id.in_(pupil_ids), Guardian.has_custody.is_(True))
        .order_by(Guardian.id)
    ):
        guardians.setdefault(pid, []).append((gid, name))
    answers: dict[tuple[int, int], tuple[bool, date]] = {}
    for vid, guardian_id, consent, on in session.execute(
        sa.select(OppConsent.opp_version_id, OppConsent.guardian_id, OppConsent.consent,
                  OppConsent.date)  # fmt: skip
        .where(OppConsent.opp_version_id.in_([r.id for r in versions]))
        .order_by(OppConsent.date, OppConsent.id)
    ):
        if guardian_id is not None:
            answers[(vid, guardian_id)] = (consent, on)  # the latest answer counts
    names = _names(session, pupil_ids)
    out = []
    for row in versions:
        asked = row.discussed_on or row.fixed_on
        if asked is None:
            continue
        for gid, guardian in guardians.get(row.pupil_id, []):
            answer = answers.get((row.id, gid))
            if answer is not None and answer[0]:
                continue
            if answer is not None:
                due = answer[1]
                what = (
                    f"{guardian} weigerde toestemming op {long_date(due)}: "
                    "ga in gesprek (de ondersteuning gaat door)"
                )
            else:
                due = asked + timedelta(weeks=CONSENT_WEEKS)
                what = (
                    f"Vraag {guardian} om toestemming voor het handelingsdeel "
                    f"(OPP versie {row.number})"
                )
            out.append(
                Deadline("toestemming", due, names.get(row.pupil_id, ""), what, row.pupil_id,
                         "opp", row.opp_id)  # fmt: skip
            )
    return out


def zorgplicht_deadlines(session: Session, school_id: int, today: date) -> list[Deadline]:
    """A decision 6 weeks after a written registration (6 + 4 when extended)."""
    school = session.get(School, school_id)
    weeks = school.zorgplicht_weeks if school else 6
    extra = school.zorgplicht_extension_weeks if school else 4
    out = []
    for pid, child, received, extended in session.execute(
        sa.select(
            Registration.pupil_id,
            Registration.child_name,
            Registration.received_on,
            Registration.extended_on,
        ).where(Registration.school_id == school_id, Registration.decided_on.is_(None))
    ):
        due = received + timedelta(weeks=weeks + (extra if extended else 0))
        what = (
            f"Besluit over de aanmelding (ontvangen {long_date(received)}, verlengd)"
            if extended
            else f"Besluit over de aanmelding (ontvangen {long_date(received)}); "
            f"eenmaal verlengen met {extra} weken kan, ouders informeren"
        )
        out.append(Deadline("zorgplicht", due, child, what, pid, "pupil", pid))
    return out


def renewal_deadlines(session: Session, school_id: int, today: date) -> list[Deadline]:
    """Arrangement and TLV end dates: the moment to request a renewal."""
    versions = _versions_in_force(session, school_id, today)
    if not versions:
        return []
    rows = session.execute(
        sa.select(OppVersion.id, OppVersion.arrangement_kind, OppVersion.arrangement_end).where(
            OppVersion.id.in_([r.id for r in versions]), OppVersion.arrangement_end.is_not(None)
        )
    ).all()
    by_version = {r.id: r for r in versions}
    names = _names(session, {r.pupil_id for r in versions})
    out = []
    for vid, kind_text, end in rows:
        assert end is not None  # selected for it
        row = by_version[vid]
        tlv = "tlv" in (kind_text or "").lower() or "toelaatbaarheid" in (kind_text or "").lower()
        weeks = TLV_RENEWAL_WEEKS if tlv else ARRANGEMENT_RENEWAL_WEEKS
        label = "De TLV" if tlv else f"Het arrangement{f' ({kind_text})' if kind_text else ''}"
        ended = "liep af" if end < today else "loopt af"
        out.append(
            Deadline(
                "tlv" if tlv else "arrangement",
                end - timedelta(weeks=weeks),
                names.get(row.pupil_id, ""),
                f"Vraag verlenging aan bij het samenwerkingsverband: {label[0].lower() + label[1:]}"
                f" {ended} op {long_date(end)}",
                row.pupil_id,
                "opp",
                row.opp_id,
            )
        )
    return out


def inzage_deadlines(session: Session, school_id: int, today: date) -> list[Deadline]:
    """Parents' inzage requests not answered yet: one month after receipt (AVG art. 12),
    three when extended with a reason."""
    from ib_desktop.services.privacy.inzage import open_requests

    out = []
    for r in open_requests(session, school_id):
        what = (
            f"Inzageverzoek van {r.requested_by} (ontvangen {long_date(r.received_on)}) "
            "beantwoorden: een kopie van het dossier geven"
        )
        if r.extended_on is not None:
            what += " (termijn verlengd)"
        out.append(Deadline("inzage", r.due_on, r.pupil, what, r.pupil_id, "pupil", r.pupil_id))
    return out


def meeting_task_deadlines(session: Session, school_id: int, today: date) -> list[Deadline]:
    """The open tasks decided at the school's meetings (issue 20), due on their date."""
    from ib_desktop.models import Meeting, MeetingTask

    rows = session.execute(
        sa.select(
            MeetingTask.pupil_id, MeetingTask.due_date, MeetingTask.text, Meeting.title,
            Meeting.date,
        )
        .join(Meeting, Meeting.id == MeetingTask.meeting_id)
        .where(Meeting.school_id == school_id, MeetingTask.done.is_(False))
    ).all()
    names = _names(session, [r[0] for r in rows if r[0] is not None])
    return [
        Deadline(
            "vergadertaak",
            due,
            names.get(pid, "") if pid is not None else title,
            f"{text} ({title} {day.strftime('%d-%m-%Y')})",
            pupil_id=pid,
        )
        for pid, due, text, title, day in rows
    ]


register_source("opp_vaststellen", opp_fix_deadlines)
register_source("opp_evaluatie", opp_evaluation_deadlines)
register_source("toestemming", consent_deadlines)
register_source("zorgplicht", zorgplicht_deadlines)
register_source("verlenging", renewal_deadlines)
register_source("inzage", inzage_deadlines)
register_source("vergadertaak", meeting_task_deadlines)
