"""The figures a school reports in its school support profile, per counting date (1 October).

De Balein's table, one column per school year: pupils, pupils discussed in an MDO, dyslexia and
dyscalculia declarations, referrals to SBO and SO and returns from them, average group size and
number of groups; and for the IB-er: pupils per support level per group, OPPs running and
evaluations done on time versus late.

Every figure is one set-based query (a count or a grouped count), so the table for a
samenwerkingsverband's worth of pupils costs a handful of round trips on SQLite and PostgreSQL
alike. The definitions, written once here and printed under the table:

* a pupil *counts* on the counting date when enrolled on or before it (``enrolled_on``, else the
  first school day) and not left before or on it; registered (aangemeld) pupils never count;
* *MDO*: distinct pupils on the list of an MDO held in the school year;
* *declarations*: counted pupils with an assessment bearing that declaration dated on or before
  the counting date;
* *referral*: a pupil who left during the school year to an SBO or SO school (read from the
  destination written when the pupil left); *return*: a school-career entry at an SBO or SO
  school that ended during the school year;
* *groups*: the groups of that school year with at least one counted pupil; the average group
  size is counted pupils in a group divided by that number;
* *evaluations*: korte interventies (due at their end date), groeidocument goals (due at their
  period's end) and OPP versions (due at their next evaluation) whose due date falls in the
  school year: on time when evaluated on or before it, late when evaluated after it or still open
  after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_bounds
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.models import (
    Assessment,
    Declaration,
    Group,
    GroupMembership,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    HistoryKind,
    LevelAssignment,
    Meeting,
    MeetingKind,
    Opp,
    OppVersion,
    Pupil,
    PupilStatus,
    SchoolHistoryEntry,
    SchoolYear,
    ShortIntervention,
    SupportLevel,
    meeting_pupils,
)

#: The rows of De Balein's table, in order: key, label (translated where shown).
TABLE_ROWS: list[tuple[str, str]] = [
    ("pupils", QT_TRANSLATE_NOOP("Figures", "Aantal leerlingen")),
    ("mdo", QT_TRANSLATE_NOOP("Figures", "Leerlingen besproken in het MDO")),
    ("dyslexia", QT_TRANSLATE_NOOP("Figures", "Dyslexieverklaringen")),
    ("dyscalculia", QT_TRANSLATE_NOOP("Figures", "Dyscalculieverklaringen")),
    ("to_sbo", QT_TRANSLATE_NOOP("Figures", "Verwezen naar SBO")),
    ("to_so", QT_TRANSLATE_NOOP("Figures", "Verwezen naar SO")),
    ("from_sbo", QT_TRANSLATE_NOOP("Figures", "Teruggeplaatst uit SBO")),
    ("from_so", QT_TRANSLATE_NOOP("Figures", "Teruggeplaatst uit SO")),
    ("average_group", QT_TRANSLATE_NOOP("Figures", "Gemiddelde groepsgrootte")),
    ("groups", QT_TRANSLATE_NOOP("Figures", "Aantal groepen")),
    ("opps", QT_TRANSLATE_NOOP("Figures", "Lopende OPP's")),
    ("on_time", QT_TRANSLATE_NOOP("Figures", "Evaluaties op tijd")),
    ("late", QT_TRANSLATE_NOOP("Figures", "Evaluaties te laat")),
]

_SBO = re.compile(r"\bsbo\b|speciaal\s+basisonderwijs", re.IGNORECASE)
_SO = re.compile(r"\bso\b|\bvso\b|speciaal\s+onderwijs", re.IGNORECASE)


def destination_kind(destination: str) -> HistoryKind | None:
    """SBO, SO or None for the destination written when a pupil left ("SBO De Brug")."""
    if _SBO.search(destination or ""):
        return HistoryKind.SBO
    if _SO.search(destination or ""):
        return HistoryKind.SO
    return None


@dataclass
class YearFigures:
    """One school year's column of the table, and the IB-er's extra figures."""

    label: str
    counting_date: date
    pupils: int = 0
    mdo: int = 0
    dyslexia: int = 0
    dyscalculia: int = 0
    to_sbo: int = 0
    to_so: int = 0
    from_sbo: int = 0
    from_so: int = 0
    groups: int = 0
    pupils_in_groups: int = 0
    opps: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    #: group name -> {level position (0 = no level) -> pupils}
    per_level: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def average_group(self) -> float:
        """Counted pupils in a group per group, one decimal; 0 without groups."""
        return round(self.pupils_in_groups / self.groups, 1) if self.groups else 0.0

    def value(self, key: str) -> int | float:
        """The figure of one row of :data:`TABLE_ROWS`."""
        return getattr(self, key)  # type: ignore[no-any-return]


@dataclass
class Figures:
    """Several school years side by side, with the school's levels for the per-level table."""

    years: list[YearFigures]
    levels: list[tuple[int, str]]  # (position, name) of the school's structure


def counting_date(session: Session, label: str) -> date:
    """The year's counting date: the stored one, else 1 October."""
    stored = session.scalars(
        sa.select(SchoolYear.counting_date).where(SchoolYear.label == label)
    ).first()
    return stored or date(int(label[:4]), 10, 1)


def previous_labels(label: str, count: int) -> list[str]:
    """``count`` school-year labels ending with ``label``, oldest first."""
    first = int(label[:4])
    return [f"{y}-{y + 1}" for y in range(first - count + 1, first + 1)]


def _counted(school_id: int, cd: date) -> sa.Select:
    """The ids of the school's pupils that count on the counting date."""
    since = sa.func.coalesce(Pupil.enrolled_on, Pupil.first_school_day)
    return sa.select(Pupil.id).where(
        Pupil.school_id == school_id,
        Pupil.status != PupilStatus.AANGEMELD,
        sa.or_(since.is_(None), since <= cd),
        sa.or_(Pupil.left_on.is_(None), Pupil.left_on > cd),
    )


def year_figures(
    session: Session, school_id: int, label: str, *, today: date | None = None
) -> YearFigures:
    """The figures of one school year (``"2025-2026"``) for one school."""
    check_reads_figures(session)
    today = today or date.today()
    start, end = school_year_bounds(label)
    cd = counting_date(session, label)
    counted = _counted(school_id, cd)
    one = lambda q: int(session.execute(q).scalar_one() or 0)  # noqa: E731
    out = YearFigures(label=label, counting_date=cd)
    out.pupils = one(sa.select(sa.func.count()).select_from(counted.subquery()))
    out.mdo = one(
        sa.select(sa.func.count(sa.distinct(meeting_pupils.c.pupil_id)))
        .join(Meeting, Meeting.id == meeting_pupils.c.meeting_id)
        .where(
            Meeting.school_id == school_id,
            Meeting.kind == MeetingKind.MDO,
            Meeting.held.is_(True),
            Meeting.date.between(start, end),
        )
    )
    declared = dict(
        session.execute(
            sa.select(Assessment.declaration, sa.func.count(sa.distinct(Assessment.pupil_id)))
            .where(
                Assessment.pupil_id.in_(counted),
                Assessment.declaration.is_not(None),
                Assessment.date <= cd,
            )
            .group_by(Assessment.declaration)
        ).all()
    )
    out.dyslexia = int(declared.get(Declaration.DYSLEXIE, 0))
    out.dyscalculia = int(declared.get(Declaration.DYSCALCULIE, 0))
    for (destination,) in session.execute(
        sa.select(Pupil.left_destination).where(
            Pupil.school_id == school_id,
            Pupil.left_on.between(start, end),
            Pupil.left_destination != "",
        )
    ):
        kind = destination_kind(destination)
        if kind is HistoryKind.SBO:
            out.to_sbo += 1
        elif kind is HistoryKind.SO:
            out.to_so += 1
    returned = dict(
        session.execute(
            sa.select(SchoolHistoryEntry.kind, sa.func.count(sa.distinct(Pupil.id)))
            .join(Pupil, Pupil.id == SchoolHistoryEntry.pupil_id)
            .where(
                Pupil.school_id == school_id,
                SchoolHistoryEntry.kind.in_([HistoryKind.SBO, HistoryKind.SO]),
                SchoolHistoryEntry.end_date.between(start, end),
            )
            .group_by(SchoolHistoryEntry.kind)
        ).all()
    )
    out.from_sbo = int(returned.get(HistoryKind.SBO, 0))
    out.from_so = int(returned.get(HistoryKind.SO, 0))
    _groups_and_levels(session, school_id, label, cd, counted, out)
    out.opps = one(
        sa.select(sa.func.count(Opp.id)).where(
            Opp.pupil_id.in_(sa.select(Pupil.id).where(Pupil.school_id == school_id)),
            Opp.start_date <= cd,
            sa.or_(Opp.end_date.is_(None), Opp.end_date >= cd),
        )
    )
    _evaluations(session, school_id, start, end, min(today, end), out)
    return out


def _groups_and_levels(
    session: Session, school_id: int, label: str, cd: date, counted: sa.Select, out: YearFigures
) -> None:
    """Groups with counted pupils, pupils in them, and pupils per level per group."""
    # One grouped count over plain joins (the level as an outer join on its pupil index); a pupil
    # with no level on the counting date counts under position 0.
    position = sa.func.coalesce(SupportLevel.position, sa.literal_column("0"))
    rows = session.execute(
        sa.select(Group.name, position, sa.func.count(sa.distinct(GroupMembership.pupil_id)))
        .select_from(GroupMembership)
        .join(Group, Group.id == GroupMembership.group_id)
        .join(SchoolYear, SchoolYear.id == GroupMembership.school_year_id)
        .join(
            LevelAssignment,
            sa.and_(
                LevelAssignment.pupil_id == GroupMembership.pupil_id,
                LevelAssignment.area == "",
                LevelAssignment.start_date <= cd,
                sa.or_(LevelAssignment.end_date.is_(None), LevelAssignment.end_date > cd),
            ),
            isouter=True,
        )
        .join(SupportLevel, SupportLevel.id == LevelAssignment.level_id, isouter=True)
        .where(
            SchoolYear.label == label,
            Group.school_id == school_id,
            GroupMembership.pupil_id.in_(counted),
        )
        .group_by(Group.name, position)
    ).all()
    for group_name, pos, n in rows:
        out.per_level.setdefault(group_name, {})[int(pos)] = int(n)
    out.per_level = dict(sorted(out.per_level.items(), key=lambda kv: _group_key(kv[0])))
    out.groups = len(out.per_level)
    # The sum of the group sizes (a pupil has one level on a day, so no one is counted twice).
    out.pupils_in_groups = sum(sum(levels.values()) for levels in out.per_level.values())


def _group_key(name: str) -> tuple[int, str]:
    digits = re.match(r"\d+", name)
    return (int(digits.group()) if digits else 99, name)


def _evaluations(
    session: Session, school_id: int, start: date, end: date, reference: date, out: YearFigures
) -> None:
    """On time, late and still open evaluations whose due date falls in the school year."""
    of_school = sa.select(Pupil.id).where(Pupil.school_id == school_id)
    sources = [
        sa.select(ShortIntervention.end_date.label("due"), ShortIntervention.evaluated_on.label(
            "done"
        )).where(
            ShortIntervention.pupil_id.in_(of_school),
            ShortIntervention.end_date.between(start, end),
        ),
        sa.select(GrowthPeriod.end_date.label("due"), GrowthGoal.evaluated_on.label("done"))
        .join(GrowthPeriod, GrowthPeriod.id == GrowthGoal.period_id)
        .join(GrowthDocument, GrowthDocument.id == GrowthPeriod.document_id)
        .where(GrowthDocument.pupil_id.in_(of_school), GrowthPeriod.end_date.between(start, end)),
        sa.select(OppVersion.next_evaluation_on.label("due"), OppVersion.evaluated_on.label(
            "done"
        ))
        .join(Opp, Opp.id == OppVersion.opp_id)
        .where(
            Opp.pupil_id.in_(of_school), OppVersion.next_evaluation_on.between(start, end)
        ),
    ]
    due = sa.union_all(*sources).subquery()
    on_time = sa.and_(due.c.done.is_not(None), due.c.done <= due.c.due)
    late = sa.or_(
        sa.and_(due.c.done.is_not(None), due.c.done > due.c.due),
        sa.and_(due.c.done.is_(None), due.c.due < reference),
    )
    row = session.execute(
        sa.select(
            sa.func.count().filter(on_time),
            sa.func.count().filter(late),
            sa.func.count().filter(sa.and_(due.c.done.is_(None), due.c.due >= reference)),
        ).where(due.c.due.between(start, end))
    ).one()
    out.on_time, out.late, out.open = (int(v or 0) for v in row)


def school_figures(
    session: Session,
    school_id: int,
    label: str,
    *,
    years: int = 3,
    today: date | None = None,
) -> Figures:
    """``years`` school years side by side, ending with ``label``, and the school's levels.

    The school's figures, for the IB-er and the directie: a teacher's account is refused (the
    page is hidden for them), see :func:`check_reads_figures`.
    """
    from ib_desktop.models import School

    check_reads_figures(session)

    school = session.get(School, school_id)
    levels: list[tuple[int, str]] = []
    if school is not None and school.support_structure_id is not None:
        levels = [
            (int(p), n)
            for p, n in session.execute(
                sa.select(SupportLevel.position, SupportLevel.name)
                .where(SupportLevel.structure_id == school.support_structure_id)
                .order_by(SupportLevel.position)
            )
        ]
    return Figures(
        years=[
            year_figures(session, school_id, lab, today=today)
            for lab in previous_labels(label, years)
        ],
        levels=levels,
    )


def check_reads_figures(session: Session) -> None:
    """Refuse the figures to an account that does not read the whole school (a teacher).

    Not "their groups only": the figures count the school's years back (leavers, referrals,
    previous years' groups), which are outside a teacher's groups of this year, and counts of
    one group of twenty pupils point at single children.
    """
    from ib_desktop.services.accounts.access import require_whole_school

    require_whole_school(session, "De kengetallen", "gaan")


def fmt_value(value: object) -> str:
    """A figure as Dutch text: "15,1" for a fraction, "104" for a count."""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def table_rows(figures: Figures, tr: object = None) -> list[list[object]]:
    """The table as rows for a spreadsheet or a PDF: a heading row, then one row per figure.

    ``tr`` translates a label (the UI passes its translator; files keep the Dutch source text).
    """
    translate = tr if callable(tr) else (lambda s: s)
    head: list[object] = ["Kengetal"]
    head += [
        f"{y.label} (teldatum {y.counting_date.strftime('%d-%m-%Y')})" for y in figures.years
    ]
    rows: list[list[object]] = [head]
    for key, label in TABLE_ROWS:
        rows.append([translate(label)] + [y.value(key) for y in figures.years])
    return rows


def level_rows(year: YearFigures, levels: list[tuple[int, str]]) -> list[list[object]]:
    """Pupils per level per group on the counting date: a heading row, groups, a total row."""
    positions = [p for p, _n in levels]
    extra = sorted({p for g in year.per_level.values() for p in g} - set(positions) - {0})
    columns = positions + extra + [0]
    head: list[object] = ["Groep"]
    head += [
        next((f"{p}. {n}" for q, n in levels if q == p), f"Niveau {p}") if p else "Geen niveau"
        for p in columns
    ]
    rows: list[list[object]] = [head]
    for group, counts in year.per_level.items():
        rows.append([group] + [counts.get(p, 0) for p in columns])
    rows.append(
        ["Totaal"] + [sum(c.get(p, 0) for c in year.per_level.values()) for p in columns]
    )
    return rows


def sheet_rows(figures: Figures) -> list[list[object]]:
    """What the .xlsx export holds: the table, a blank row, the latest year's levels per group."""
    last = figures.years[-1]
    rows = table_rows(figures) + [[], [f"Leerlingen per niveau per groep, {last.label}"]]
    return rows + level_rows(last, figures.levels)
