"""What the agenda screen and the dashboard show, as plain data (no Qt).

The schedule engine says what is due; this module adds the names to show, sorts moments into
the agenda's sections (overdue, this week, the coming weeks), gathers the dashboard's cards, and
records a meeting as held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import (
    Group,
    Guardian,
    Meeting,
    MeetingKind,
    MomentKind,
    Opp,
    OppConsent,
    OppStatus,
    OppVersion,
    Pupil,
    PupilStatus,
    SchoolYear,
    Staff,
    StaffRole,
)
from ib_desktop.schedule import (
    SOURCE_GROWTH,
    SOURCE_INTERVENTION,
    SOURCE_LEVEL,
    SOURCE_MEETING,
    SOURCE_OPP,
    Directory,
    Moment,
    compute_moments,
    directory,
)
from ib_desktop.services import audit
from ib_desktop.services.accounts.access import pupil_scope
from ib_desktop.validation import ValidationErrors

#: How far ahead "Komende weken" looks, counted from the end of this week.
WEEKS_AHEAD = 8
#: Kinds that are an evaluation of a plan (the dashboard's "overdue evaluations").
EVALUATION_KINDS = frozenset(
    {
        MomentKind.INTERVENTIE,
        MomentKind.GROEIDOCUMENT,
        MomentKind.OPP_EVALUATIE,
        MomentKind.OPP_DOEL,
    }
)
MEETING_MOMENT_KINDS = frozenset(
    {MomentKind.OUDERGESPREK, MomentKind.GROEPSBESPREKING, MomentKind.MDO}
)
#: The editor that opens for a moment's source (DOCUMENT_EDITORS keys of the main window).
DOCUMENT_OF_SOURCE = {
    SOURCE_INTERVENTION: "korte_interventie",
    SOURCE_GROWTH: "groeidocument",
    SOURCE_OPP: "opp",
}


class Section(StrEnum):
    """The agenda's tabs."""

    TE_LAAT = "te_laat"
    DEZE_WEEK = "deze_week"
    KOMEND = "komend"


SECTION_TITLES = {
    Section.TE_LAAT: "Te laat",
    Section.DEZE_WEEK: "Deze week",
    Section.KOMEND: "Komende weken",
}


def end_of_week(day: date) -> date:
    """The Sunday of ``day``'s week; at the weekend the Sunday of the coming school week.

    On a Saturday "this week" means the week ahead: nobody plans Sunday alone.
    """
    sunday = day + timedelta(days=6 - day.weekday())
    return sunday + timedelta(days=7) if day.weekday() >= 5 else sunday


def section_of(moment: Moment, today: date) -> Section:
    """Overdue, due this week (today up to Sunday), or later."""
    if moment.is_overdue(today):
        return Section.TE_LAAT
    if moment.due <= end_of_week(today):
        return Section.DEZE_WEEK
    return Section.KOMEND


def days_text(moment: Moment, today: date) -> str:
    """ "3 dagen te laat", "vandaag", "morgen", "over 5 dagen", "gedaan"."""
    if moment.done_on is not None:
        return "gedaan"
    delta = (moment.due - today).days
    if delta < -13:
        return f"{-delta // 7} weken te laat"
    if delta < 0:
        return "1 dag te laat" if delta == -1 else f"{-delta} dagen te laat"
    if delta == 0:
        return "vandaag"
    if delta == 1:
        return "morgen"
    if delta > 13:
        return f"over {delta // 7} weken"
    return f"over {delta} dagen"


@dataclass(frozen=True)
class AgendaItem:
    """A moment with the names the agenda shows beside it."""

    moment: Moment
    section: Section
    pupil: str
    pupil_sort: str
    group: str
    responsible: str

    @property
    def document_kind(self) -> str | None:
        """The editor that opens for this moment, or None when it has no document."""
        return DOCUMENT_OF_SOURCE.get(self.moment.source_kind)

    @property
    def can_mark_held(self) -> bool:
        """A meeting (planned, or a parent meeting the level asks for) that is not done."""
        m = self.moment
        if m.done_on is not None:
            return False
        return m.source_kind == SOURCE_MEETING or (
            m.source_kind == SOURCE_LEVEL and m.kind == MomentKind.OUDERGESPREK
        )

    @property
    def can_evaluate(self) -> bool:
        """An open evaluation of a plan."""
        return self.moment.done_on is None and self.moment.kind in EVALUATION_KINDS


@dataclass
class AgendaData:
    """Everything the agenda page shows, loaded in one short session."""

    today: date
    items: list[AgendaItem]
    staff: list[tuple[int, str]]  # people to filter on, by name
    groups: list[tuple[int, str]]  # the current groups, in grade order
    names: Directory = field(repr=False)

    def counts(self) -> dict[Section, int]:
        """How many items each section has (before filtering)."""
        out = dict.fromkeys(Section, 0)
        for item in self.items:
            out[item.section] += 1
        return out


def load_agenda(session: Session, school_id: int, *, today: date) -> AgendaData:
    """Open moments: everything overdue, and what is due up to ``WEEKS_AHEAD`` weeks ahead."""
    end = end_of_week(today) + timedelta(weeks=WEEKS_AHEAD)
    moments = compute_moments(session, school_id, today=today, end=end)
    names = directory(session, school_id, [m.pupil_id for m in moments if m.pupil_id])
    items = [
        AgendaItem(
            m,
            section_of(m, today),
            names.pupil(m.pupil_id),
            names.pupil_sort.get(m.pupil_id or 0, ""),
            names.group(m.group_id),
            names.person(m.responsible_id),
        )
        for m in moments
    ]
    staff = [
        (sid, name)
        for sid, name in sorted(
            (
                (sid, " ".join(p for p in (first, tv, last) if p))
                for sid, first, tv, last in session.execute(
                    sa.select(Staff.id, Staff.first_name, Staff.tussenvoegsel, Staff.last_name)
                    .where(
                        Staff.school_id == school_id,
                        Staff.active.is_(True),
                        Staff.role.in_([StaffRole.IB, StaffRole.LEERKRACHT, StaffRole.DIRECTIE]),
                    )
                    .order_by(Staff.last_name, Staff.first_name)
                )
            ),
            key=lambda t: t[1].casefold(),
        )
    ]
    return AgendaData(today, items, staff, current_groups(session, school_id, today), names)


def current_groups(session: Session, school_id: int, today: date) -> list[tuple[int, str]]:
    """The groups of the school year ``today`` falls in (or the newest year), by grade; a
    teacher's own groups only."""
    rows = session.execute(
        sa.select(Group.id, Group.name, Group.grade_low, SchoolYear.start_date, SchoolYear.end_date)
        .join(SchoolYear, SchoolYear.id == Group.school_year_id)
        .where(Group.school_id == school_id)
    ).all()
    scope = pupil_scope(session, today)
    if scope is not None:
        rows = [r for r in rows if r.id in scope.group_ids]
    now = [r for r in rows if r.start_date <= today <= r.end_date]
    if not now and rows:
        newest = max(r.start_date for r in rows)
        now = [r for r in rows if r.start_date == newest]
    now.sort(key=lambda r: (r.grade_low, r.name))
    return [(r.id, r.name) for r in now]


def filter_items(
    items: list[AgendaItem],
    names: Directory,
    *,
    staff_id: int | None = None,
    group_id: int | None = None,
    kind: MomentKind | None = None,
) -> list[AgendaItem]:
    """The items a teacher (responsible, or teaching the group), group or kind filter keeps."""
    out = items
    if staff_id is not None:
        out = [i for i in out if names.involves(i.moment, staff_id)]
    if group_id is not None:
        out = [i for i in out if i.moment.group_id == group_id]
    if kind is not None:
        out = [i for i in out if i.moment.kind == kind]
    return out


# ---------------------------------------------------------------------------- meetings


def mark_held(session: Session, moment: Moment, *, today: date, actor: str | None = None) -> int:
    """Record that the meeting of ``moment`` took place; returns the meeting's id.

    A planned meeting is marked held. A parent meeting that the pupil's level asks for has no
    meeting row yet: one is made for today (held), from which the next one is counted.
    """
    if moment.source_kind == SOURCE_MEETING and moment.source_id is not None:
        meeting = session.get(Meeting, moment.source_id)
        if meeting is None:
            raise ValidationErrors({"meeting": "Deze vergadering bestaat niet meer."})
        if meeting.date > today:
            raise ValidationErrors(
                {"meeting": "Deze vergadering is pas later gepland; ze kan nog niet gehouden zijn."}
            )
        if not meeting.held:
            meeting.held = True
            audit.record(
                session, "meeting", meeting.id, "gehouden", summary=meeting.title, actor=actor
            )
        return meeting.id
    if moment.source_kind == SOURCE_LEVEL and moment.kind == MomentKind.OUDERGESPREK:
        pupil = session.get(Pupil, moment.pupil_id) if moment.pupil_id else None
        if pupil is None or pupil.status == PupilStatus.VERTROKKEN:
            raise ValidationErrors({"meeting": "Deze leerling staat niet (meer) op school."})
        meeting = Meeting(
            school_id=pupil.school_id,
            kind=MeetingKind.OUDERGESPREK,
            date=today,
            title="Oudergesprek",
            group_id=pupil.group_id,
            held=True,
        )
        meeting.pupils.append(pupil)
        session.add(meeting)
        session.flush()
        audit.record(
            session, "pupil", pupil.id, "oudergesprek gehouden", summary="Oudergesprek", actor=actor
        )
        return meeting.id
    raise ValidationErrors({"meeting": "Dit moment is geen vergadering of gesprek."})


# ---------------------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class ConsentGap:
    """An OPP whose current version lacks the consent of the parents with custody."""

    opp_id: int
    pupil_id: int
    pupil: str
    version_number: int
    refused: bool  # a guardian said no (otherwise: not given yet)
    since: date | None


def opps_missing_consent(session: Session, school_id: int, *, today: date) -> list[ConsentGap]:
    """Running OPPs whose newest version has no consent of every guardian with custody."""
    newest = (
        sa.select(OppVersion.opp_id, sa.func.max(OppVersion.number).label("number"))
        .group_by(OppVersion.opp_id)
        .subquery()
    )
    versions = session.execute(
        sa.select(
            Opp.id,
            Opp.pupil_id,
            OppVersion.id,
            OppVersion.number,
            OppVersion.status,
            OppVersion.discussed_on,
            Opp.start_date,
            Pupil.first_name,
            Pupil.tussenvoegsel,
            Pupil.last_name,
        )
        .join(newest, newest.c.opp_id == Opp.id)
        .join(
            OppVersion,
            sa.and_(OppVersion.opp_id == Opp.id, OppVersion.number == newest.c.number),
        )
        .join(Pupil, Pupil.id == Opp.pupil_id)
        .where(
            Pupil.school_id == school_id,
            Pupil.status != PupilStatus.VERTROKKEN,
            sa.or_(Opp.end_date.is_(None), Opp.end_date >= today),
            OppVersion.status != OppStatus.GEEVALUEERD,
        )
    ).all()
    if not versions:
        return []
    pupil_ids = {v[1] for v in versions}
    version_ids = {v[2] for v in versions}
    custody: dict[int, set[int]] = {}
    for guardian_id, pid in session.execute(
        sa.select(Guardian.id, Guardian.pupil_id).where(
            Guardian.has_custody.is_(True), Guardian.pupil_id.in_(pupil_ids)
        )
    ):
        custody.setdefault(pid, set()).add(guardian_id)
    given: dict[int, set[int]] = {}
    refused: dict[int, date] = {}
    for vid, gid, consent, day in session.execute(
        sa.select(
            OppConsent.opp_version_id, OppConsent.guardian_id, OppConsent.consent, OppConsent.date
        ).where(OppConsent.opp_version_id.in_(version_ids))
    ):
        if consent:
            if gid is not None:  # a guardian removed since: their consent no longer counts
                given.setdefault(vid, set()).add(gid)
        else:
            refused[vid] = min(day, refused.get(vid, day))
    out = []
    for opp_id, pid, vid, number, _status, discussed, start, first, tv, last in versions:
        needed = custody.get(pid, set())
        have = given.get(vid, set())
        if vid in refused or (needed - have) or not have:
            out.append(
                ConsentGap(
                    opp_id,
                    pid,
                    " ".join(p for p in (first, tv, last) if p),
                    number,
                    vid in refused,
                    refused.get(vid) or discussed or start,
                )
            )
    scope = pupil_scope(session, today)  # a teacher: their groups' pupils only
    if scope is not None:
        out = [g for g in out if scope.keeps(g.pupil_id)]
    out.sort(key=lambda g: (not g.refused, g.since or today, g.pupil))
    return out


@dataclass(frozen=True)
class MissingDocument:
    """A pupil at a level that requires a document the pupil lacks."""

    pupil_id: int
    pupil: str
    group: str
    missing: str  # "OPP", "korte interventie of groeidocument"


@dataclass
class Dashboard:
    """The home screen's cards."""

    today: date
    overdue: list[AgendaItem]
    consent: list[ConsentGap]
    missing: list[MissingDocument]
    zorgplicht: list[AgendaItem]
    this_week: int
    overdue_meetings: int


def load_dashboard(session: Session, school_id: int, *, today: date) -> Dashboard:
    """Overdue evaluations, OPPs without consent, missing documents, zorgplicht soon."""
    from ib_desktop.services.levels import missing_documents_by_pupil, missing_label

    agenda = load_agenda(session, school_id, today=today)
    overdue = [
        i
        for i in agenda.items
        if i.section == Section.TE_LAAT and i.moment.kind in EVALUATION_KINDS
    ]
    overdue.sort(key=lambda i: (i.moment.due, i.pupil_sort, i.moment.key))
    soon = today + timedelta(weeks=2)
    zorgplicht = [
        i for i in agenda.items if i.moment.kind == MomentKind.ZORGPLICHT and i.moment.due <= soon
    ]
    missing_map = missing_documents_by_pupil(session, school_id, today=today)
    scope = pupil_scope(session, today)  # a teacher: their groups' pupils only
    if scope is not None:
        missing_map = {pid: kinds for pid, kinds in missing_map.items() if scope.keeps(pid)}
    missing: list[MissingDocument] = []
    if missing_map:
        ids = list(missing_map)
        rows = {}
        for i in range(0, len(ids), 500):
            for pid, first, tv, last, gname in session.execute(
                sa.select(
                    Pupil.id, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name, Group.name
                )
                .outerjoin(Group, Group.id == Pupil.group_id)
                .where(Pupil.id.in_(ids[i : i + 500]))
            ):
                rows[pid] = (" ".join(p for p in (first, tv, last) if p), f"{last}, {first}", gname)
        for pid, kinds in missing_map.items():
            name, sort_key, gname = rows.get(pid, ("", "", ""))
            missing.append(MissingDocument(pid, name, gname or "", missing_label(kinds)))
        missing.sort(key=lambda m: (m.group, m.pupil))
    counts = agenda.counts()
    return Dashboard(
        today=today,
        overdue=overdue,
        consent=opps_missing_consent(session, school_id, today=today),
        missing=missing,
        zorgplicht=zorgplicht,
        this_week=counts[Section.DEZE_WEEK],
        overdue_meetings=sum(
            1
            for i in agenda.items
            if i.section == Section.TE_LAAT and i.moment.kind in MEETING_MOMENT_KINDS
        ),
    )
