"""The school support profile's figures, against values counted by hand.

Two ways: a small school built row by row here, whose figures are known by construction (on
SQLite and PostgreSQL), and the demo school, counted again in plain Python over all its rows
(not through the service's queries).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

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
from ib_desktop.services.figures import (
    destination_kind,
    level_rows,
    school_figures,
    table_rows,
    year_figures,
)
from ib_desktop.services.school import create_school, ensure_school_year
from ib_desktop.storage import open_database
from tests.conftest import TODAY

CD = date(2025, 10, 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def small_school(request: pytest.FixtureRequest, tmp_path: Path):
    """A school of seven pupils in two groups in 2025-2026, each row placed on purpose."""
    url = str(tmp_path / "k.sqlite") if request.param == "sqlite" else request.getfixturevalue(
        "pg_url"
    )
    db = open_database(url)
    with db.session() as s:
        school = create_school(s, "De Telschool", today=date(2025, 9, 1))
        sid = school.id
        year = ensure_school_year(s, date(2025, 9, 1))
        levels = {
            lv.position: lv.id
            for lv in s.scalars(
                sa.select(SupportLevel).where(
                    SupportLevel.structure_id == school.support_structure_id
                )
            )
        }
        g5 = Group(school_id=sid, school_year_id=year.id, name="5", grade_low=5, grade_high=5)
        g6 = Group(school_id=sid, school_year_id=year.id, name="6", grade_low=6, grade_high=6)
        empty = Group(school_id=sid, school_year_id=year.id, name="7", grade_low=7, grade_high=7)
        s.add_all([g5, g6, empty])
        s.flush()

        def pupil(first, group, *, enrolled=date(2020, 9, 1), left=None, dest="", status=None):
            p = Pupil(
                school_id=sid, first_name=first, last_name="Telling", birth_date=date(2016, 1, 1),
                enrolled_on=enrolled, group_id=None if left else group.id, left_on=left,
                left_destination=dest,
                status=status or (PupilStatus.VERTROKKEN if left else PupilStatus.ACTIEF),
            )  # fmt: skip
            s.add(p)
            s.flush()
            if status is not PupilStatus.AANGEMELD:
                s.add(GroupMembership(pupil_id=p.id, school_year_id=year.id, group_id=group.id))
            return p

        anna = pupil("Anna", g5)
        bram = pupil("Bram", g5)
        cees = pupil("Cees", g6)
        # left after the counting date, to an SBO: counted and a referral
        dirk = pupil("Dirk", g6, left=date(2026, 3, 1), dest="SBO De Brug")
        # left before the counting date, to an SO: not counted, but a referral of this year
        pupil("Eva", g6, left=date(2025, 9, 15), dest="SO De Kompas")
        # enrolled after the counting date: not counted
        pupil("Fem", g6, enrolled=date(2025, 11, 1))
        # registered only: never counted
        pupil("Gijs", g5, status=PupilStatus.AANGEMELD)
        # a pupil who left last year to "Verhuisd, OBS De Wilgen": neither counted nor referral
        pupil("Hans", g5, left=date(2025, 3, 1), dest="Verhuisd, OBS De Wilgen")
        s.add_all(
            [
                Assessment(pupil_id=anna.id, date=date(2025, 5, 1), kind="Dyslexieonderzoek",
                           declaration=Declaration.DYSLEXIE),
                Assessment(pupil_id=anna.id, date=date(2025, 6, 1), kind="Herhaling",
                           declaration=Declaration.DYSLEXIE),  # the same pupil twice: 1
                Assessment(pupil_id=bram.id, date=date(2025, 10, 2), kind="Te laat",
                           declaration=Declaration.DYSLEXIE),  # after the counting date
                Assessment(pupil_id=cees.id, date=date(2024, 1, 1), kind="Rekenonderzoek",
                           declaration=Declaration.DYSCALCULIE),
                SchoolHistoryEntry(pupil_id=cees.id, kind=HistoryKind.SBO,
                                   institution="SBO De Brug", start_date=date(2023, 8, 1),
                                   end_date=date(2025, 8, 20)),  # returned this year
                SchoolHistoryEntry(pupil_id=bram.id, kind=HistoryKind.SO,
                                   institution="SO De Kompas", start_date=date(2022, 8, 1),
                                   end_date=date(2024, 8, 20)),  # returned last year
            ]
        )  # fmt: skip
        held = Meeting(school_id=sid, kind=MeetingKind.MDO, date=date(2025, 11, 3), held=True)
        planned = Meeting(school_id=sid, kind=MeetingKind.MDO, date=date(2026, 2, 3))
        ot = Meeting(school_id=sid, kind=MeetingKind.OT, date=date(2025, 11, 3), held=True)
        s.add_all([held, planned, ot])
        s.flush()
        s.execute(
            sa.insert(meeting_pupils),
            [
                {"meeting_id": held.id, "pupil_id": anna.id},
                {"meeting_id": held.id, "pupil_id": dirk.id},
                {"meeting_id": planned.id, "pupil_id": bram.id},
                {"meeting_id": ot.id, "pupil_id": cees.id},
            ],
        )
        s.add_all(
            [
                LevelAssignment(pupil_id=anna.id, level_id=levels[1], start_date=date(2020, 9, 1),
                                end_date=date(2025, 3, 1), reason="start"),
                LevelAssignment(pupil_id=anna.id, level_id=levels[3], start_date=date(2025, 3, 1),
                                reason="op"),
                LevelAssignment(pupil_id=bram.id, level_id=levels[2], start_date=date(2025, 10, 2),
                                reason="na de teldatum"),
                LevelAssignment(pupil_id=cees.id, level_id=levels[1], start_date=date(2020, 9, 1),
                                reason="start"),
                LevelAssignment(pupil_id=dirk.id, level_id=levels[2], start_date=date(2024, 9, 1),
                                reason="start"),
            ]
        )  # fmt: skip
        opp = Opp(pupil_id=anna.id, start_date=date(2025, 4, 1))
        ended = Opp(pupil_id=dirk.id, start_date=date(2024, 4, 1), end_date=date(2025, 9, 1))
        s.add_all([opp, ended])
        s.flush()
        s.add(OppVersion(opp_id=opp.id, number=1, next_evaluation_on=date(2026, 1, 10),
                         evaluated_on=date(2026, 1, 20)))  # late  # fmt: skip
        s.add_all(
            [
                ShortIntervention(pupil_id=bram.id, start_date=date(2025, 9, 1),
                                  end_date=date(2025, 10, 15), evaluated_on=date(2025, 10, 15)),
                ShortIntervention(pupil_id=cees.id, start_date=date(2025, 9, 1),
                                  end_date=date(2025, 11, 1)),  # open after its date: late
                ShortIntervention(pupil_id=cees.id, start_date=date(2025, 9, 1),
                                  end_date=date(2026, 6, 1)),  # not due yet on "today"
                ShortIntervention(pupil_id=cees.id, start_date=date(2024, 9, 1),
                                  end_date=date(2024, 11, 1)),  # last year: not counted
            ]
        )  # fmt: skip
        doc = GrowthDocument(pupil_id=dirk.id)
        s.add(doc)
        s.flush()
        period = GrowthPeriod(document_id=doc.id, number=1, start_date=date(2025, 9, 1),
                              end_date=date(2025, 12, 19))  # fmt: skip
        s.add(period)
        s.flush()
        s.add_all(
            [
                GrowthGoal(period_id=period.id, area="rekenen", evaluated_on=date(2025, 12, 18)),
                GrowthGoal(period_id=period.id, area="lezen", evaluated_on=date(2025, 12, 19)),
            ]
        )
    db.school_id = sid  # type: ignore[attr-defined]
    yield db
    db.dispose()


def test_the_small_school_has_the_figures_counted_by_hand(small_school) -> None:
    with small_school.session() as s:
        f = year_figures(s, small_school.school_id, "2025-2026", today=date(2026, 2, 1))
    assert f.counting_date == CD
    # Anna, Bram, Cees, Dirk (Eva left before, Fem came after, Gijs only registered, Hans left)
    assert f.pupils == 4
    assert f.mdo == 2  # Anna and Dirk at the held MDO; the planned one and the OT do not count
    assert (f.dyslexia, f.dyscalculia) == (1, 1)
    assert (f.to_sbo, f.to_so) == (1, 1)  # Dirk to SBO, Eva to SO; Hans moved house
    assert (f.from_sbo, f.from_so) == (1, 0)  # Cees back from SBO; Bram's return was last year
    assert f.groups == 2  # group 7 has nobody
    assert f.average_group == 2.0
    assert f.opps == 1  # Dirk's OPP ended before the counting date
    # on time: Bram's intervention, two growth goals; late: Anna's OPP, Cees's open intervention
    assert (f.on_time, f.late, f.open) == (3, 2, 1)
    assert f.per_level == {"5": {3: 1, 0: 1}, "6": {1: 1, 2: 1}}


def test_the_years_side_by_side_and_the_rows_for_a_file(small_school) -> None:
    with small_school.session() as s:
        figs = school_figures(
            s, small_school.school_id, "2025-2026", years=2, today=date(2026, 2, 1)
        )
    assert [y.label for y in figs.years] == ["2024-2025", "2025-2026"]
    earlier = figs.years[0]
    assert earlier.pupils == 6  # Anna, Bram, Cees, Dirk, Eva (left 2025) and Hans (March 2025)
    assert earlier.from_so == 1  # Bram came back from SO in August 2024
    rows = table_rows(figs)
    assert rows[0][0] == "Kengetal"
    assert ["Aantal leerlingen", 6, 4] in rows
    assert ["Verwezen naar SBO", 0, 1] in rows
    levels = level_rows(figs.years[1], figs.levels)
    assert levels[-1][0] == "Totaal"
    assert sum(levels[-1][1:]) == 4


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SBO De Brug", HistoryKind.SBO),
        ("speciaal basisonderwijs De Brug", HistoryKind.SBO),
        ("SO De Kompas", HistoryKind.SO),
        ("Speciaal onderwijs cluster 4", HistoryKind.SO),
        ("Verhuisd, OBS De Wilgen", None),
        ("Basisschool Sonnewijzer", None),
        ("", None),
    ],
)
def test_destination_kind(text: str, kind: HistoryKind | None) -> None:
    assert destination_kind(text) is kind


def _hand_count(s, school_id: int, label: str, today: date) -> dict[str, object]:
    """The demo school's figures counted in Python over every row, without the service."""
    start, end = date(int(label[:4]), 8, 1), date(int(label[:4]) + 1, 7, 31)
    year = s.scalars(sa.select(SchoolYear).where(SchoolYear.label == label)).one()
    cd = year.counting_date
    pupils = s.scalars(sa.select(Pupil).where(Pupil.school_id == school_id)).all()

    def counts(p: Pupil) -> bool:
        since = p.enrolled_on or p.first_school_day
        return (
            p.status != PupilStatus.AANGEMELD
            and (since is None or since <= cd)
            and (p.left_on is None or p.left_on > cd)
        )

    counted = {p.id for p in pupils if counts(p)}
    mdo = set()
    for m in s.scalars(sa.select(Meeting).where(Meeting.school_id == school_id)).all():
        if m.kind == MeetingKind.MDO and m.held and start <= m.date <= end:
            mdo |= {p.id for p in m.pupils}
    declared: dict[str, set[int]] = {"dyslexie": set(), "dyscalculie": set()}
    for a in s.scalars(sa.select(Assessment)).all():
        if a.pupil_id in counted and a.declaration is not None and a.date <= cd:
            declared[a.declaration.value].add(a.pupil_id)
    groups: dict[str, set[int]] = {}
    for m in s.scalars(sa.select(GroupMembership)).all():
        if m.school_year_id == year.id and m.pupil_id in counted:
            groups.setdefault(m.group.name, set()).add(m.pupil_id)
    to = {"sbo": 0, "so": 0}
    for p in pupils:
        if p.left_on and start <= p.left_on <= end:
            d = p.left_destination
            if d.startswith("SBO"):
                to["sbo"] += 1
            elif d.startswith("SO"):
                to["so"] += 1
    opps = sum(
        1
        for o in s.scalars(sa.select(Opp)).all()
        if o.pupil.school_id == school_id
        and o.start_date <= cd
        and (o.end_date is None or o.end_date >= cd)
    )
    on_time = late = 0
    reference = min(today, end)
    dues: list[tuple[date, date | None]] = []
    dues += [(i.end_date, i.evaluated_on) for i in s.scalars(sa.select(ShortIntervention)).all()]
    for g in s.scalars(sa.select(GrowthGoal)).all():
        dues.append((g.period.end_date, g.evaluated_on))
    for v in s.scalars(sa.select(OppVersion)).all():
        if v.next_evaluation_on:
            dues.append((v.next_evaluation_on, v.evaluated_on))
    for due, done in dues:
        if not start <= due <= end:
            continue
        if done is not None and done <= due:
            on_time += 1
        elif done is not None or due < reference:
            late += 1
    return {
        "pupils": len(counted),
        "mdo": len(mdo),
        "dyslexia": len(declared["dyslexie"]),
        "dyscalculia": len(declared["dyscalculie"]),
        "groups": len(groups),
        "in_groups": sum(len(v) for v in groups.values()),
        "to_sbo": to["sbo"],
        "to_so": to["so"],
        "opps": opps,
        "on_time": on_time,
        "late": late,
    }


@pytest.mark.parametrize("label", ["2024-2025", "2025-2026", "2026-2027"])
def test_the_demo_school_matches_a_count_by_hand(demo_db, label: str) -> None:
    with demo_db.session() as s:
        want = _hand_count(s, demo_db.school_id, label, TODAY)
        got = year_figures(s, demo_db.school_id, label, today=TODAY)
    assert want["pupils"] > 50, "the demo has a school to count"
    assert (got.pupils, got.mdo, got.dyslexia, got.dyscalculia) == (
        want["pupils"], want["mdo"], want["dyslexia"], want["dyscalculia"]
    )  # fmt: skip
    assert (got.groups, got.pupils_in_groups) == (want["groups"], want["in_groups"])
    assert (got.to_sbo, got.to_so, got.opps) == (want["to_sbo"], want["to_so"], want["opps"])
    assert (got.on_time, got.late) == (want["on_time"], want["late"])
