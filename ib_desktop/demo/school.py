"""The demo school itself: the school and its years, staff and groups, pupils with their
guardians, group history and preschool; and the rows all steps collect before they are written.

Every random choice is drawn in a fixed order from the seed's stream, so a seed always gives
the same school: a step that draws must keep its place and its order of draws.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from ib_desktop.demo.common import Ids, school_day, split_name
from ib_desktop.demo.marking import DEMO_SWV, mark_as_demo
from ib_desktop.demo.texts import PRESCHOOLS, SPECIAL_FIRST, SPECIAL_LAST
from ib_desktop.models import (
    Group,
    GroupMembership,
    Guardian,
    Meeting,
    MeetingParticipant,
    Pupil,
    School,
    SchoolHistoryEntry,
    SchoolYear,
    Staff,
    meeting_pupils,
)
from ib_desktop.services.school import create_school, development_areas, ensure_school_year

PUPILS_PER_GROUP = 27
YEARS_OF_HISTORY = 8


@dataclass(frozen=True)
class Names:
    """Names drawn from Faker once per seed: first names, last names, streets and the city."""

    female: list[str]
    male: list[str]
    last_names: list[str]
    streets: list[str]
    city: str

    @classmethod
    def for_seed(cls, seed: int) -> Names:
        """The same names for the same seed (Dutch locale)."""
        from faker import Faker

        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        female = sorted({fake.first_name_female() for _ in range(400)})
        male = sorted({fake.first_name_male() for _ in range(400)})
        last_names = sorted({fake.last_name() for _ in range(900)})
        streets = [fake.street_name() for _ in range(60)]
        return cls(female, male, last_names, streets, fake.city())


class DemoSchool:
    """The school being made: its settings, years and levels, and the rows collected so far.

    ``rows`` holds the rows per model (or association table) until they are written in one
    bulk insert each.
    """

    def __init__(
        self,
        s: Session,
        rng: random.Random,
        talk_rng: random.Random,
        names: Names,
        today: date,
        school: School,
    ) -> None:
        self.s = s
        self.ids = Ids(s)
        self.rng = rng
        self.talk_rng = talk_rng  # own stream: adding talks keeps the rest of the school
        self.names = names
        self.today = today
        self.school = school
        self.rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        self.areas: list[str] = []
        self.levels: list[Any] = []
        self.opp_from = 0
        self.years: list[SchoolYear] = []
        self.ib_id = 0
        self.director_id = 0
        # (year index, grade) -> group ids; name and teacher of each group
        self.groups_by_year_grade: dict[tuple[int, int], list[int]] = {}
        self.group_name: dict[int, str] = {}
        self.group_teacher: dict[int, int] = {}
        self.pupil_info: dict[int, dict[str, Any]] = {}

    @property
    def current_year(self) -> SchoolYear:
        """The school year of ``today`` (the last of ``years``)."""
        return self.years[-1]

    @classmethod
    def create(
        cls,
        s: Session,
        rng: random.Random,
        talk_rng: random.Random,
        names: Names,
        today: date,
        school_name: str,
        structure: str,
    ) -> DemoSchool:
        """The school marked as a demo, with its areas, levels and eight school years."""
        school = create_school(
            s,
            school_name,
            brin="12AB",
            swv_name=DEMO_SWV,
            region="midden",
            structure_template=structure,
            today=today,
        )
        school.settings = {**(school.settings or {}), "demo": True}
        s.flush()
        mark_as_demo(s, school.id)
        school.address = f"{rng.choice(names.streets)} 1, {names.city}"
        school.phone = "030-1234567"
        demo = cls(s, rng, talk_rng, names, today, school)
        demo.areas = development_areas(s, school.id)
        demo.levels = list(school.support_structure.levels)  # type: ignore[union-attr]
        demo.opp_from = next(
            (lvl.position for lvl in demo.levels if lvl.required_documents == ["opp"]),
            len(demo.levels),
        )
        current_year = ensure_school_year(s, today)
        years: list[SchoolYear] = [current_year]
        for back in range(1, YEARS_OF_HISTORY):
            years.append(ensure_school_year(s, date(current_year.start_date.year - back, 9, 1)))
        years.reverse()  # oldest first
        demo.years = years
        s.flush()
        return demo

    # ------------------------------------------------------------------ staff and groups

    def new_staff(self, role: str) -> int:
        """A staff member with a drawn name; returns the id."""
        names, rng = self.names, self.rng
        first = rng.choice(names.female if rng.random() < 0.8 else names.male)
        tv, last = split_name(rng.choice(names.last_names))
        sid = self.ids(Staff)
        address = f"{first.lower()}.{last.lower().replace(' ', '')}@regenboog.example"
        self.rows[Staff].append(
            dict(
                id=sid,
                school_id=self.school.id,
                first_name=first,
                tussenvoegsel=tv,
                last_name=last,
                role=role,
                email=address.replace("'", ""),
                active=True,
            )
        )
        return sid

    def make_staff_and_groups(self, pupils: int) -> None:
        """The IB-er, director and assistant; the groups of every year, teachers for this one."""
        per_grade = max(1, math.ceil(pupils / 8 / PUPILS_PER_GROUP))
        self.ib_id = self.new_staff("ib")
        self.director_id = self.new_staff("directie")
        self.new_staff("onderwijsassistent")
        last_year = len(self.years) - 1
        for yi, year in enumerate(self.years):
            for grade in range(1, 9):
                for k in range(per_grade):
                    suffix = chr(ord("A") + k) if per_grade > 1 else ""
                    gid = self._group(yi, year, f"{grade}{suffix}", grade)
                    if yi == last_year:
                        self._teachers(gid)

    def _group(self, yi: int, year: SchoolYear, name: str, grade: int) -> int:
        gid = self.ids(Group)
        self.rows[Group].append(
            dict(
                id=gid,
                school_id=self.school.id,
                school_year_id=year.id,
                name=name,
                grade_low=grade,
                grade_high=grade,
            )
        )
        self.group_name[gid] = name
        self.groups_by_year_grade.setdefault((yi, grade), []).append(gid)
        return gid

    def _teachers(self, gid: int) -> None:
        """A teacher for a current group, and now and then a duo partner."""
        from ib_desktop.models import group_teachers

        tid = self.new_staff("leerkracht")
        self.group_teacher[gid] = tid
        self.rows[group_teachers].append({"group_id": gid, "staff_id": tid})
        if self.rng.random() < 0.3:  # duo partner
            duo = self.new_staff("leerkracht")
            self.rows[group_teachers].append({"group_id": gid, "staff_id": duo})

    # ------------------------------------------------------------------ pupils

    def make_pupils(self, pupils: int) -> None:
        """``pupils`` pupils at school and one in fifty who left, with their history."""
        seen_names: set[tuple[str, str, str, date]] = set()
        n_left = max(1, pupils // 50)
        for i in range(pupils + n_left):
            self._pupil(i, left=i >= pupils, seen_names=seen_names)

    def _pupil(self, i: int, *, left: bool, seen_names: set[tuple[str, str, str, date]]) -> None:
        rng, names, today = self.rng, self.names, self.today
        grade = 1 + (i % 8)
        gids = self.groups_by_year_grade[(len(self.years) - 1, grade)]
        gid = gids[(i // 8) % len(gids)]
        is_female = rng.random() < 0.5
        first = rng.choice(names.female if is_female else names.male)
        if rng.random() < 0.01:
            first = rng.choice(SPECIAL_FIRST)
        tv, last = split_name(rng.choice(names.last_names))
        if rng.random() < 0.005:
            tv, last = rng.choice(SPECIAL_LAST)
        birth_year = self.current_year.start_date.year - grade - 4
        birth = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
        while (last, tv, first, birth) in seen_names:
            birth += timedelta(days=1)
        seen_names.add((last, tv, first, birth))
        first_day = school_day(birth + relativedelta(years=4) + timedelta(days=1))
        pid = self.ids(Pupil)
        left_on = school_day(today - timedelta(days=rng.randrange(30, 400))) if left else None
        if left_on and left_on < first_day:
            left_on = school_day(first_day + timedelta(days=30))
        self.rows[Pupil].append(
            dict(
                id=pid,
                school_id=self.school.id,
                lvs_id=str(100000 + pid),
                first_name=first,
                tussenvoegsel=tv,
                last_name=last,
                gender="v" if is_female else "m",
                birth_date=birth,
                first_school_day=first_day,
                enrolled_on=first_day,
                group_id=None if left else gid,
                status="vertrokken" if left else "actief",
                left_on=left_on,
                left_destination=rng.choice(
                    ["Verhuisd, OBS De Wilgen", "SBO De Brug", "SO De Kompas"]
                )
                if left
                else "",
                family_composition=rng.choice(
                    [
                        "Woont bij vader en moeder met een oudere zus.",
                        "Ouders gescheiden; woont om de week bij vader en moeder.",
                        "Woont bij moeder en twee broertjes.",
                        "Woont bij vader, moeder en een jongere broer.",
                    ]
                ),
                delete_after=left_on + relativedelta(years=2) if left_on else None,
                version=1,
            )
        )
        self.pupil_info[pid] = {"grade": grade, "group": gid, "first_day": first_day, "left": left}
        self._memberships(pid, grade, gid)
        self._guardians(pid, tv, last)
        if rng.random() < 0.7:  # voorschoolse periode
            self.rows[SchoolHistoryEntry].append(
                dict(
                    id=self.ids(SchoolHistoryEntry),
                    pupil_id=pid,
                    kind="voorschools",
                    institution=rng.choice(PRESCHOOLS),
                    start_date=birth + relativedelta(years=2),
                    end_date=first_day - timedelta(days=1),
                    notes="",
                )
            )

    def _memberships(self, pid: int, grade: int, gid: int) -> None:
        """The pupil's groups over the years it has been at school."""
        ylast = len(self.years) - 1
        for back in range(0, grade):
            yi = ylast - back
            if yi < 0:
                break
            year_gids = self.groups_by_year_grade[(yi, grade - back)]
            self.rows[GroupMembership].append(
                dict(
                    id=self.ids(GroupMembership),
                    pupil_id=pid,
                    school_year_id=self.years[yi].id,
                    group_id=gid if back == 0 else year_gids[pid % len(year_gids)],
                )
            )

    def _guardians(self, pid: int, tv: str, last: str) -> None:
        """A mother, and mostly a father (now and then without custody)."""
        rng, names = self.rng, self.names
        mother = f"{rng.choice(names.female)} {rng.choice(names.last_names)}"
        father = f"{rng.choice(names.male)} {' '.join(p for p in (tv, last) if p)}"
        street = f"{rng.choice(names.streets)} {rng.randrange(1, 200)}, {names.city}"
        self.rows[Guardian].append(
            dict(
                id=self.ids(Guardian),
                pupil_id=pid,
                name=mother,
                relation="moeder",
                has_custody=True,
                phone=f"06-{rng.randrange(10000000, 99999999)}",
                email="",
                address=street,
                notes="",
            )
        )
        if rng.random() < 0.85:
            custody = rng.random() < 0.93
            self.rows[Guardian].append(
                dict(
                    id=self.ids(Guardian),
                    pupil_id=pid,
                    name=father,
                    relation="vader",
                    has_custody=custody,
                    phone=f"06-{rng.randrange(10000000, 99999999)}",
                    email="",
                    address=street,
                    notes="" if custody else "Geen gezag; wel informatierecht.",
                )
            )

    # ------------------------------------------------------------------ meetings

    def meeting(
        self,
        kind: str,
        when: date,
        pupil_ids: list[int],
        title: str,
        held: bool,
        group_id: int | None = None,
    ) -> int:
        """A meeting with the IB-er as participant; returns its id."""
        mid = self.ids(Meeting)
        self.rows[Meeting].append(
            dict(
                id=mid,
                school_id=self.school.id,
                kind=kind,
                date=when,
                title=title,
                group_id=group_id,
                held=held,
                notes="",
                decisions="",
            )
        )
        for p in pupil_ids:
            self.rows[meeting_pupils].append({"meeting_id": mid, "pupil_id": p})
        self.rows[MeetingParticipant].append(
            dict(
                id=self.ids(MeetingParticipant),
                meeting_id=mid,
                staff_id=self.ib_id,
                name="IB-er",
                role="IB-er",
            )
        )
        return mid
