"""A realistic demo school, deterministic for a seed, fast enough for 50,000 pupils.

Everything is generated in memory as rows and written with bulk inserts in one transaction.
Dates are relative to ``today`` so that the demo always has evaluations done, due and overdue.

The package: ``school`` (the school, staff, groups and pupils), ``care`` (levels, talks, plans,
meetings), ``opps`` (the OPPs), ``texts`` (what they are written with), ``marking`` (a demo
never lands beside a real school) and ``common`` (ids and school days).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from ib_desktop.demo.care import make_care, make_school_meetings, write_care
from ib_desktop.demo.common import school_day
from ib_desktop.demo.marking import (
    DEMO_MARK,
    DEMO_SWV,
    DemoRefusedError,
    demo_state,
    made_by_an_older_demo,
    refuse_real_school,
)
from ib_desktop.demo.opps import make_opps
from ib_desktop.demo.school import PUPILS_PER_GROUP, YEARS_OF_HISTORY, DemoSchool, Names
from ib_desktop.models import (
    Group,
    GroupMembership,
    GrowthDocument,
    Guardian,
    Pupil,
    Registration,
    ShortIntervention,
    Staff,
    group_teachers,
)
from ib_desktop.storage import Database, pg_policies

__all__ = [
    "DEMO_MARK",
    "DEMO_SWV",
    "PUPILS_PER_GROUP",
    "YEARS_OF_HISTORY",
    "DemoRefusedError",
    "DemoResult",
    "demo_state",
    "generate",
    "made_by_an_older_demo",
]


@dataclass
class DemoResult:
    """What :func:`generate` made, for the command line and the benchmarks."""

    school_id: int
    pupils: int
    groups: int
    staff: int
    counts: dict[str, int] = field(default_factory=dict)


def generate(
    db: Database,
    *,
    pupils: int = 400,
    seed: int = 2026,
    today: date | None = None,
    school_name: str = "OBS De Regenboog",
    structure: str = "vier-niveaus",
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Fill ``db`` with one demo school of ``pupils`` pupils; returns what was made."""
    today = today or date.today()
    rng = random.Random(seed)
    talk_rng = random.Random(seed + 1)  # own stream: adding talks keeps the rest of the school
    say = progress or (lambda _msg: None)
    names = Names.for_seed(seed)

    with db.session() as s:
        refuse_real_school(s)
        pg_policies.bulk_load(s)  # a made-up school is nobody's work: no change-log lines
        demo = DemoSchool.create(s, rng, talk_rng, names, today, school_name, structure)
        say("Groepen en leerkrachten")
        demo.make_staff_and_groups(pupils)
        _write(demo, Staff, Group, group_teachers)
        say("Leerlingen")
        demo.make_pupils(pupils)
        _write(demo, Pupil, Guardian, GroupMembership)
        say("Ondersteuningsniveaus en documenten")
        opp_pupils = make_care(demo)
        say("Vergaderingen")
        groups = make_school_meetings(demo, opp_pupils)
        write_care(demo)
        say("OPP's")
        school = demo.school
        make_opps(
            s,
            demo.ids,
            rng,
            opp_pupils,
            today,
            demo.ib_id,
            demo.director_id,
            school.name,
            demo.group_name,
        )
        _registrations(demo, pupils)
        s.flush()
        result = DemoResult(
            school_id=school.id,
            pupils=pupils,
            groups=groups,
            staff=len(demo.rows[Staff]),
            counts={
                "korte_interventies": len(demo.rows[ShortIntervention]),
                "groeidocumenten": len(demo.rows[GrowthDocument]),
                "opps": len(opp_pupils),
            },
        )
    say("Statistieken voor de database bijwerken ...")
    db.sync_id_sequences()
    db.refresh_statistics()
    return result


def _write(demo: DemoSchool, *tables: object) -> None:
    """The collected rows of ``tables`` in one bulk insert each."""
    for table in tables:
        demo.s.execute(sa.insert(table), demo.rows[table])  # type: ignore[arg-type]


def _registrations(demo: DemoSchool, pupils: int) -> None:
    """A few zorgplicht registrations, one a fortnight or so back."""
    rng, names = demo.rng, demo.names
    for k in range(max(1, pupils // 200)):
        received = school_day(demo.today - timedelta(days=7 + 12 * k))
        child = f"{rng.choice(names.female + names.male)} {rng.choice(names.last_names)}"
        demo.s.add(
            Registration(
                school_id=demo.school.id,
                child_name=child,
                received_on=received,
                handled_by_id=demo.ib_id,
            )
        )
