"""A realistic demo school, deterministic for a seed, fast enough for 50,000 pupils.

Everything is generated in memory as rows and written with bulk inserts in one transaction.
Dates are relative to ``today`` so that the demo always has evaluations done, due and overdue.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session, selectinload

from ib_desktop import pg_policies
from ib_desktop.dates import school_year_bounds
from ib_desktop.models import (
    Assessment,
    CareProvider,
    Group,
    GroupMembership,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    Guardian,
    LevelAssignment,
    Meeting,
    MeetingParticipant,
    Opp,
    OppConsent,
    OppConversation,
    OppGoal,
    OppSignature,
    OppVersion,
    Pupil,
    Registration,
    SchoolHistoryEntry,
    SchoolYear,
    ShortIntervention,
    Staff,
    group_teachers,
    meeting_pupils,
)
from ib_desktop.names import split_trailing_tussenvoegsel, split_tussenvoegsel
from ib_desktop.services.school import create_school, development_areas, ensure_school_year
from ib_desktop.services.snapshot import pupil_snapshot
from ib_desktop.storage import Database, DatabaseError

PUPILS_PER_GROUP = 27
#: The setting that marks a database as made by the demo generator (the ids of its schools).
DEMO_MARK = "demo_database"
DEMO_SWV = "Samenwerkingsverband Passend Onderwijs Midden"
YEARS_OF_HISTORY = 8

# Names that carry the characters a font must print (é, ë, ï, ĳ, ř, ç, ö).
SPECIAL_FIRST = ["Zoë", "Noël", "Chloë", "Anaïs", "Daniël", "Joëlle", "Eloïse", "Ĳsbrand", "Søren"]
SPECIAL_LAST = [("", "Dvořák"), ("", "Çelik"), ("", "Öztürk"), ("van", "IJzendoorn"), ("", "Brouwér")]

GOALS = {
    "Rekenen": [
        "Automatiseert de tafels 1 t/m 5 binnen 3 seconden per som.",
        "Lost plus- en minsommen tot 100 met tientaloverschrijding op met het rekenrek.",
        "Leest de klok op hele en halve uren.",
    ],
    "Lezen (technisch)": [
        "Leest AVI-E4 op instructieniveau.",
        "Leest 40 woorden per minuut op de DMT-kaart 2.",
    ],
    "Spelling": ["Schrijft woorden met -ng en -nk foutloos in een dictee van 20 woorden."],
    "Taal": ["Vertelt een gebeurtenis in de goede volgorde met drie zinnen."],
    "Begrijpend lezen": ["Vindt de kernzin in een alinea van een informatieve tekst."],
    "Sociaal-emotionele ontwikkeling": [
        "Vraagt een klasgenoot om mee te spelen tijdens de pauze.",
        "Benoemt boosheid en kiest een afgesproken manier om af te koelen.",
    ],
    "Taak-/werkhouding": [
        "Werkt tien minuten zelfstandig met de time-timer zonder hulp te vragen.",
        "Plant een weektaak met een stappenkaart.",
    ],
}
NEEDS = [
    "Heeft baat bij verlengde instructie aan de instructietafel.",
    "Heeft een vaste plek dicht bij de leerkracht nodig.",
    "Heeft behoefte aan korte opdrachten met een duidelijk eindpunt.",
    "Heeft concreet materiaal nodig om handelingen te kunnen uitvoeren.",
]
EXECUTION = [
    "- 3x per week 15 minuten extra oefenen met de onderwijsassistent\n- wekelijks even terugkijken met de leerkracht",
    "- dagelijks 10 minuten flitsen met de tafelkaarten\n- thuis oefenen met de ouders (oefenblad)",
    "- start van elke les: stappenplan op tafel\n- na 10 minuten korte check-in van de leerkracht",
]
EVALUATIONS = [
    "Doel behaald; de leerling past de strategie zelfstandig toe.",
    "Grote vooruitgang, nog niet stabiel. Doel wordt voortgezet.",
    "Weinig vooruitgang. Aanpak wordt in de leerlingbespreking met de IB-er bijgesteld.",
]
REASONS_UP = [
    "Geen voldoende groei na twee perioden extra instructie in de groep.",
    "Zorgen over de sociaal-emotionele ontwikkeling; besproken in de leerlingbespreking.",
    "Achterstand van meer dan een jaar op rekenen en technisch lezen.",
    "Advies van de orthopedagoog van het samenwerkingsverband na het MDO.",
]
REASONS_DOWN = [
    "De doelen zijn behaald; extra ondersteuning is niet meer nodig.",
    "Goede groei in de afgelopen periode; verder met basisondersteuning.",
]
ASSESSMENTS = [
    ("Intelligentieonderzoek (WISC-V)", "Orthopedagoog SWV", "Gemiddelde totale intelligentie; zwakke verwerkingssnelheid."),
    ("Dyslexieonderzoek", "Regionaal instituut voor dyslexie", "Ernstige enkelvoudige dyslexie vastgesteld; dyslexieverklaring afgegeven."),
    ("Observatie in de groep", "Ambulant begeleider", "Concentratie neemt na 10 minuten sterk af; werkt beter met structuur."),
    ("Logopedisch onderzoek", "Logopediepraktijk", "Taalbegrip op leeftijdsniveau, taalproductie zwak."),
]  # fmt: skip
CARE_ORGS = [
    ("leerling", "Jeugd-GGZ Midden", "behandeling"),
    ("gezin", "Sociaal wijkteam", "gezinsbegeleiding"),
    ("leerling", "Logopediepraktijk De Klank", "logopedie"),
    ("school", "Ambulante dienst SWV", "ambulante begeleiding"),
]
PRESCHOOLS = ["Peuterspeelzaal Het Kleine Duimpje", "Kinderdagverblijf De Boomhut", "Peuteropvang Olleke Bolleke"]
OTHER_SCHOOLS = ["OBS De Wilgen", "CBS Het Anker", "RKBS De Sleutel", "Daltonschool Het Mozaïek"]
OUTFLOWS = ["praktijkonderwijs", "vmbo-bb", "vmbo-kb", "vmbo-gt"]


@dataclass
class DemoResult:
    """What :func:`generate` made, for the command line and the benchmarks."""

    school_id: int
    pupils: int
    groups: int
    staff: int
    counts: dict[str, int] = field(default_factory=dict)


class _Ids:
    """Deterministic primary keys, handed out per table in insertion order."""

    def __init__(self, session: Session) -> None:
        self._next: dict[str, int] = {}
        self._session = session

    def __call__(self, model: Any) -> int:
        table = model.__table__
        if table.name not in self._next:
            current = self._session.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
            self._next[table.name] = current + 1
        value = self._next[table.name]
        self._next[table.name] += 1
        return value


def _split_name(raw: str) -> tuple[str, str]:
    """Faker writes both "van Vliet" and "Bourgondië, van": split either into (tv, name)."""
    if "," in raw:
        return split_trailing_tussenvoegsel(raw)
    return split_tussenvoegsel(raw)


def _school_day(d: date) -> date:
    """Move a weekend date to the following Monday."""
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


class DemoRefusedError(DatabaseError):
    """The database holds a real school: a demo school never goes in beside it."""


def demo_state(session: Session) -> bool | None:
    """True when the database was made by the demo generator, None when it has no school yet,
    False when it holds any school the generator did not make (a real school)."""
    from ib_desktop.models import School, Setting

    school_ids = set(session.scalars(sa.select(School.id)))
    if not school_ids:
        return None
    mark = session.get(Setting, DEMO_MARK)
    made = set((mark.value or {}).get("school_ids", [])) if mark is not None else set()
    return school_ids <= made


def made_by_an_older_demo(session: Session) -> bool:
    """A demo database from before the mark existed: only the generator's own school in it
    (its name, BRIN and samenwerkingsverband). Trusted only for the demo's own default file."""
    from ib_desktop.models import School

    rows = session.execute(sa.select(School.name, School.brin, School.swv_name)).all()
    return bool(rows) and all(
        (name, brin, swv) == ("OBS De Regenboog", "12AB", DEMO_SWV) for name, brin, swv in rows
    )


def _refuse_real_school(session: Session) -> None:
    if demo_state(session) is False:
        raise DemoRefusedError(
            "Deze database bevat een echte school; een demoschool komt nooit in een database "
            "met een andere school. Er is niets gewijzigd. Kies een nieuw bestand voor de "
            "demoschool."
        )


def _mark_as_demo(session: Session, school_id: int) -> None:
    from ib_desktop.models import Setting

    mark = session.get(Setting, DEMO_MARK)
    ids = sorted({*(((mark.value or {}).get("school_ids", [])) if mark else []), school_id})
    value = {"school_ids": ids, "made_by": "ib-desktop demo"}
    if mark is None:
        session.add(Setting(key=DEMO_MARK, value=value))
    else:
        mark.value = value


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
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    female = sorted({fake.first_name_female() for _ in range(400)})
    male = sorted({fake.first_name_male() for _ in range(400)})
    last_names = sorted({fake.last_name() for _ in range(900)})
    streets = [fake.street_name() for _ in range(60)]
    city = fake.city()

    with db.session() as s:
        _refuse_real_school(s)
        pg_policies.bulk_load(s)  # a made-up school is nobody's work: no change-log lines
        ids = _Ids(s)
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
        _mark_as_demo(s, school.id)
        school.address = f"{rng.choice(streets)} 1, {city}"
        school.phone = "030-1234567"
        areas = development_areas(s, school.id)
        levels = list(school.support_structure.levels)  # type: ignore[union-attr]
        opp_from = next(
            (lvl.position for lvl in levels if lvl.required_documents == ["opp"]), len(levels)
        )
        current_year = ensure_school_year(s, today)
        years: list[SchoolYear] = [current_year]
        for back in range(1, YEARS_OF_HISTORY):
            years.append(ensure_school_year(s, date(current_year.start_date.year - back, 9, 1)))
        years.reverse()  # oldest first
        s.flush()

        # -- staff and groups
        say("Groepen en leerkrachten")
        n_groups_per_grade = max(1, math.ceil(pupils / 8 / PUPILS_PER_GROUP))
        staff_rows: list[dict[str, Any]] = []

        def new_staff(role: str) -> int:
            first = rng.choice(female if rng.random() < 0.8 else male)
            tv, last = _split_name(rng.choice(last_names))
            sid = ids(Staff)
            staff_rows.append(
                dict(
                    id=sid,
                    school_id=school.id,
                    first_name=first,
                    tussenvoegsel=tv,
                    last_name=last,
                    role=role,
                    email=f"{first.lower()}.{last.lower().replace(' ', '')}@regenboog.example".replace("'", ""),
                    active=True,
                )
            )
            return sid

        ib_id = new_staff("ib")
        director_id = new_staff("directie")
        new_staff("onderwijsassistent")
        group_rows: list[dict[str, Any]] = []
        teacher_links: list[dict[str, int]] = []
        # groups[(year_index, grade)] -> list of group ids; teacher of each current group
        groups_by_year_grade: dict[tuple[int, int], list[int]] = {}
        group_name: dict[int, str] = {}
        group_teacher: dict[int, int] = {}
        teachers_current: list[int] = []
        for yi, year in enumerate(years):
            grade_slots: list[tuple[str, int, int]] = []
            for g in range(1, 9):
                for k in range(n_groups_per_grade):
                    suffix = chr(ord("A") + k) if n_groups_per_grade > 1 else ""
                    grade_slots.append((f"{g}{suffix}", g, g))
            for name, low, high in grade_slots:
                gid = ids(Group)
                group_rows.append(
                    dict(
                        id=gid,
                        school_id=school.id,
                        school_year_id=year.id,
                        name=name,
                        grade_low=low,
                        grade_high=high,
                    )
                )
                group_name[gid] = name
                for g in range(low, high + 1):
                    groups_by_year_grade.setdefault((yi, g), []).append(gid)
                if yi == len(years) - 1:
                    tid = new_staff("leerkracht")
                    teachers_current.append(tid)
                    group_teacher[gid] = tid
                    teacher_links.append({"group_id": gid, "staff_id": tid})
                    if rng.random() < 0.3:  # duo partner
                        duo = new_staff("leerkracht")
                        teacher_links.append({"group_id": gid, "staff_id": duo})
        s.execute(sa.insert(Staff), staff_rows)
        s.execute(sa.insert(Group), group_rows)
        s.execute(sa.insert(group_teachers), teacher_links)

        # -- pupils with guardians, history and memberships
        say("Leerlingen")
        ylast = len(years) - 1
        pupil_rows: list[dict[str, Any]] = []
        guardian_rows: list[dict[str, Any]] = []
        membership_rows: list[dict[str, Any]] = []
        history_rows: list[dict[str, Any]] = []
        pupil_info: dict[int, dict[str, Any]] = {}
        seen_names: set[tuple[str, str, str, date]] = set()
        n_left = max(1, pupils // 50)
        for i in range(pupils + n_left):
            grade = 1 + (i % 8)
            gids = groups_by_year_grade[(ylast, grade)]
            gid = gids[(i // 8) % len(gids)]
            is_female = rng.random() < 0.5
            first = rng.choice(female if is_female else male)
            if rng.random() < 0.01:
                first = rng.choice(SPECIAL_FIRST)
            tv, last = _split_name(rng.choice(last_names))
            if rng.random() < 0.005:
                tv, last = rng.choice(SPECIAL_LAST)
            birth_year = current_year.start_date.year - grade - 4
            birth = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
            while (last, tv, first, birth) in seen_names:
                birth += timedelta(days=1)
            seen_names.add((last, tv, first, birth))
            first_day = _school_day(birth + relativedelta(years=4) + timedelta(days=1))
            left = i >= pupils
            pid = ids(Pupil)
            left_on = _school_day(today - timedelta(days=rng.randrange(30, 400))) if left else None
            if left_on and left_on < first_day:
                left_on = _school_day(first_day + timedelta(days=30))
            pupil_rows.append(
                dict(
                    id=pid,
                    school_id=school.id,
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
                    left_destination=rng.choice(["Verhuisd, OBS De Wilgen", "SBO De Brug", "SO De Kompas"]) if left else "",
                    family_composition=rng.choice(
                        ["Woont bij vader en moeder met een oudere zus.",
                         "Ouders gescheiden; woont om de week bij vader en moeder.",
                         "Woont bij moeder en twee broertjes.",
                         "Woont bij vader, moeder en een jongere broer."]
                    ),
                    delete_after=left_on + relativedelta(years=2) if left_on else None,
                    version=1,
                )
            )  # fmt: skip
            pupil_info[pid] = {"grade": grade, "group": gid, "first_day": first_day, "left": left}
            # group memberships over the years the pupil has been at school
            for back in range(0, grade):
                yi = ylast - back
                if yi < 0:
                    break
                g = grade - back
                year_gids = groups_by_year_grade[(yi, g)]
                membership_rows.append(
                    dict(
                        id=ids(GroupMembership),
                        pupil_id=pid,
                        school_year_id=years[yi].id,
                        group_id=gid if back == 0 else year_gids[pid % len(year_gids)],
                    )
                )
            # guardians
            mother = f"{rng.choice(female)} {rng.choice(last_names)}"
            father = f"{rng.choice(male)} {' '.join(p for p in (tv, last) if p)}"
            street = f"{rng.choice(streets)} {rng.randrange(1, 200)}, {city}"
            guardian_rows.append(dict(id=ids(Guardian), pupil_id=pid, name=mother, relation="moeder", has_custody=True, phone=f"06-{rng.randrange(10000000, 99999999)}", email="", address=street, notes=""))  # fmt: skip
            if rng.random() < 0.85:
                custody = rng.random() < 0.93
                guardian_rows.append(dict(id=ids(Guardian), pupil_id=pid, name=father, relation="vader", has_custody=custody, phone=f"06-{rng.randrange(10000000, 99999999)}", email="", address=street, notes="" if custody else "Geen gezag; wel informatierecht."))  # fmt: skip
            # voorschoolse periode
            if rng.random() < 0.7:
                history_rows.append(dict(id=ids(SchoolHistoryEntry), pupil_id=pid, kind="voorschools", institution=rng.choice(PRESCHOOLS), start_date=birth + relativedelta(years=2), end_date=first_day - timedelta(days=1), notes=""))  # fmt: skip
        s.execute(sa.insert(Pupil), pupil_rows)
        s.execute(sa.insert(Guardian), guardian_rows)
        s.execute(sa.insert(GroupMembership), membership_rows)

        # -- levels, documents and meetings
        say("Ondersteuningsniveaus en documenten")
        top = len(levels)
        assignment_rows: list[dict[str, Any]] = []
        intervention_rows: list[dict[str, Any]] = []
        growth_rows: list[dict[str, Any]] = []
        period_rows: list[dict[str, Any]] = []
        goal_rows: list[dict[str, Any]] = []
        meeting_rows: list[dict[str, Any]] = []
        meeting_pupil_rows: list[dict[str, int]] = []
        participant_rows: list[dict[str, Any]] = []
        assessment_rows: list[dict[str, Any]] = []
        care_rows: list[dict[str, Any]] = []
        opp_pupils: list[tuple[int, int]] = []  # (pupil, level position)

        def meeting(kind: str, when: date, pupil_ids: list[int], title: str, held: bool, group_id: int | None = None) -> int:
            mid = ids(Meeting)
            meeting_rows.append(dict(id=mid, school_id=school.id, kind=kind, date=when, title=title, group_id=group_id, held=held, notes="", decisions=""))  # fmt: skip
            for p in pupil_ids:
                meeting_pupil_rows.append({"meeting_id": mid, "pupil_id": p})
            participant_rows.append(dict(id=ids(MeetingParticipant), meeting_id=mid, staff_id=ib_id, name="IB-er", role="IB-er"))  # fmt: skip
            return mid

        for row in pupil_rows:
            pid = row["id"]
            info = pupil_info[pid]
            start = row["first_school_day"]
            end_of_file = row["left_on"] or today
            # target level now: most pupils at 1, a few percent on the OPP levels
            r = rng.random()
            if r < 0.80:
                target = 1
            elif r < 0.94:
                target = 2
            elif r < 0.98:
                target = min(3, top)
            else:
                target = min(4, top) if top < 5 else rng.choice([4, 5])
            path = [1]
            if rng.random() < 0.12 and target == 1:
                path += [2, 1]  # was helped earlier and came back down
            for lvl in range(2, target + 1):
                path.append(lvl)
            span = max((end_of_file - start).days, len(path) * 30)
            points = sorted(rng.sample(range(1, span), len(path) - 1)) if len(path) > 1 and span > len(path) else []
            dates = [start] + [_school_day(start + timedelta(days=d)) for d in points]
            dates = [min(d, end_of_file) for d in dates]
            for k, (lvl_pos, d0) in enumerate(zip(path, dates, strict=False)):
                d1 = dates[k + 1] if k + 1 < len(dates) else row["left_on"]  # closed on leaving
                if d1 is not None and d1 < d0:
                    d1 = d0
                lvl = levels[lvl_pos - 1]
                mid = None
                if k > 0:
                    up = lvl_pos > path[k - 1]
                    mid = meeting("kindbespreking" if lvl_pos <= 2 else "mdo", d0, [pid], "Leerlingbespreking" if lvl_pos <= 2 else "MDO", True)
                    reason = rng.choice(REASONS_UP if up else REASONS_DOWN)
                else:
                    reason = "Start op school: basisondersteuning."
                assignment_rows.append(dict(id=ids(LevelAssignment), pupil_id=pid, level_id=lvl.id, area="", start_date=d0, end_date=d1, reason=reason, decided_by_id=ib_id if k else None, decided_by_name="", meeting_id=mid))  # fmt: skip
            if info["left"]:
                continue
            teacher = group_teacher[info["group"]]
            gname = group_name[info["group"]]
            # parent meetings at the interval the current level asks; now and then one is missed
            weeks = levels[path[-1] - 1].parent_meeting_weeks
            if weeks:
                talk = max(dates[-1], current_year.start_date) + timedelta(weeks=weeks)
                while talk < today:
                    if talk_rng.random() < 0.85:
                        meeting("oudergesprek", _school_day(talk), [pid], "Oudergesprek", True)
                    talk += timedelta(weeks=weeks)
            # plans
            if target >= 2 or rng.random() < 0.05:
                area = rng.choice(list(GOALS))
                # a closed intervention in the past, evaluated
                s0 = _school_day(today - timedelta(days=rng.randrange(120, 300)))
                intervention_rows.append(dict(id=ids(ShortIntervention), pupil_id=pid, status="afgesloten", group_name=gname, teacher_id=teacher, teacher_name="", start_date=s0, end_date=_school_day(s0 + timedelta(weeks=6)), goal=rng.choice(GOALS[area]), support_need=rng.choice(NEEDS), execution=rng.choice(EXECUTION), evaluation=rng.choice(EVALUATIONS), outcome=rng.choice(["behaald", "deels_behaald", "niet_behaald"]), evaluated_by_id=teacher, evaluated_on=_school_day(s0 + timedelta(weeks=6)), version=1))  # fmt: skip
                # a running one: some overdue, most due in the coming weeks
                s1 = _school_day(today - timedelta(days=rng.randrange(7, 40)))
                e1 = _school_day(s1 + timedelta(weeks=rng.choice([4, 6, 8])))
                intervention_rows.append(dict(id=ids(ShortIntervention), pupil_id=pid, status="actief", group_name=gname, teacher_id=teacher, teacher_name="", start_date=s1, end_date=e1, goal=rng.choice(GOALS[area]), support_need=rng.choice(NEEDS), execution=rng.choice(EXECUTION), evaluation="", outcome=None, evaluated_by_id=None, evaluated_on=None, version=1))  # fmt: skip
            if target >= 2 and rng.random() < 0.6:
                gdid = ids(GrowthDocument)
                chosen = [a for a in areas if a in GOALS]
                chosen = sorted(rng.sample(chosen, k=min(len(chosen), rng.randrange(2, 4))), key=areas.index)
                growth_rows.append(dict(id=gdid, pupil_id=pid, title=f"Groeidocument {current_year.label}", status="actief", group_name=gname, teacher_id=teacher, teacher_name="", areas=chosen, version=1))  # fmt: skip
                p1s = current_year.start_date + timedelta(days=31)
                p1e = _school_day(p1s + timedelta(weeks=10))
                p2e = _school_day(p1e + timedelta(weeks=12))
                per1, per2 = ids(GrowthPeriod), ids(GrowthPeriod)
                closed1 = p1e < today
                period_rows.append(dict(id=per1, document_id=gdid, number=1, start_date=p1s, end_date=p1e, closed=closed1 and rng.random() < 0.7))  # fmt: skip
                period_rows.append(dict(id=per2, document_id=gdid, number=2, start_date=p1e + timedelta(days=1), end_date=p2e, closed=False))  # fmt: skip
                for pos, area_name in enumerate(chosen):
                    g1 = ids(GrowthGoal)
                    evaluated = period_rows[-2]["closed"]
                    outcome = rng.choice(["behaald", "deels_behaald", "niet_behaald"]) if evaluated else None
                    goal_text = rng.choice(GOALS[area_name])
                    goal_rows.append(dict(id=g1, period_id=per1, area=area_name, position=pos, goal=goal_text, support_need=rng.choice(NEEDS), execution=rng.choice(EXECUTION), evaluation=rng.choice(EVALUATIONS) if evaluated else "", outcome=outcome, evaluated_by_id=teacher if evaluated else None, evaluated_on=p1e if evaluated else None, carried_over_from_id=None))  # fmt: skip
                    carried = evaluated and outcome != "behaald"
                    goal_rows.append(dict(id=ids(GrowthGoal), period_id=per2, area=area_name, position=pos, goal=goal_text if carried else rng.choice(GOALS[area_name]), support_need=rng.choice(NEEDS), execution=rng.choice(EXECUTION), evaluation="", outcome=None, evaluated_by_id=None, evaluated_on=None, carried_over_from_id=g1 if carried else None))  # fmt: skip
            if target >= opp_from:
                opp_pupils.append((pid, target))
                for k in range(rng.randrange(1, 3)):
                    kind, by, concl = ASSESSMENTS[(pid + k) % len(ASSESSMENTS)]
                    assessment_rows.append(dict(id=ids(Assessment), pupil_id=pid, date=_school_day(today - timedelta(days=rng.randrange(60, 900))), kind=kind, performed_by=by, conclusion=concl, declaration="dyslexie" if "Dyslexie" in kind else None, sensitive=kind.startswith("Intelligentie"), share_with_swv=True))  # fmt: skip
                scope, org, kind = rng.choice(CARE_ORGS)
                care_rows.append(dict(id=ids(CareProvider), pupil_id=pid, scope=scope, organisation=org, contact_name=f"{rng.choice(female)} {rng.choice(last_names)}", kind=kind, phone="", email="", start_date=today - timedelta(days=rng.randrange(100, 500)), end_date=None, notes=""))  # fmt: skip
                if rng.random() < 0.4:
                    history_rows.append(dict(id=ids(SchoolHistoryEntry), pupil_id=pid, kind="basisschool", institution=rng.choice(OTHER_SCHOOLS), start_date=start, end_date=start + timedelta(days=400), notes="Overgestapt na verhuizing."))  # fmt: skip
            elif info["grade"] >= 4 and rng.random() < 0.04:
                assessment_rows.append(dict(id=ids(Assessment), pupil_id=pid, date=_school_day(today - timedelta(days=rng.randrange(60, 700))), kind="Dyslexieonderzoek", performed_by="Regionaal instituut voor dyslexie", conclusion="Dyslexie vastgesteld.", declaration="dyslexie", sensitive=False, share_with_swv=False))  # fmt: skip
            elif info["grade"] >= 5 and rng.random() < 0.01:
                assessment_rows.append(dict(id=ids(Assessment), pupil_id=pid, date=_school_day(today - timedelta(days=rng.randrange(60, 700))), kind="Dyscalculieonderzoek", performed_by="Praktijk voor leerproblemen", conclusion="Dyscalculie vastgesteld.", declaration="dyscalculie", sensitive=False, share_with_swv=False))  # fmt: skip

        # group reviews (3 a year) and MDO moments (6 a year) for the current year
        say("Vergaderingen")
        cur_groups = [g for g in group_rows if g["school_year_id"] == current_year.id]
        y0, y1 = school_year_bounds(current_year.label)
        for month in (10, 2, 6):
            when = _school_day(date(y0.year if month >= 8 else y1.year, month, 12))
            for g in cur_groups:
                meeting("groepsbespreking", when, [], f"Groepsbespreking groep {g['name']}", when < today, g["id"])
        for month in (9, 11, 1, 3, 5, 7):
            when = _school_day(date(y0.year if month >= 8 else y1.year, month, 5))
            meeting("mdo", when, [p for p, _ in opp_pupils[:6]], "MDO-moment", when < today)

        s.execute(sa.insert(ShortIntervention), intervention_rows) if intervention_rows else None
        if growth_rows:
            s.execute(sa.insert(GrowthDocument), growth_rows)
            s.execute(sa.insert(GrowthPeriod), period_rows)
            s.execute(sa.insert(GrowthGoal), [g for g in goal_rows if g["carried_over_from_id"] is None])
            carried = [g for g in goal_rows if g["carried_over_from_id"] is not None]
            if carried:
                s.execute(sa.insert(GrowthGoal), carried)
        s.execute(sa.insert(Meeting), meeting_rows)
        if meeting_pupil_rows:
            s.execute(sa.insert(meeting_pupils), meeting_pupil_rows)
        s.execute(sa.insert(MeetingParticipant), participant_rows)
        s.execute(sa.insert(LevelAssignment), assignment_rows)
        if assessment_rows:
            s.execute(sa.insert(Assessment), assessment_rows)
        if care_rows:
            s.execute(sa.insert(CareProvider), care_rows)
        if history_rows:
            s.execute(sa.insert(SchoolHistoryEntry), history_rows)

        # -- OPPs: versions, goals, consent, signatures; fixed versions freeze the pupil data
        say("OPP's")
        _make_opps(s, ids, rng, opp_pupils, today, ib_id, director_id, school.name, group_name)

        # -- a few zorgplicht registrations
        for k in range(max(1, pupils // 200)):
            received = _school_day(today - timedelta(days=7 + 12 * k))
            s.add(Registration(school_id=school.id, child_name=f"{rng.choice(female + male)} {rng.choice(last_names)}", received_on=received, handled_by_id=ib_id))  # fmt: skip
        s.flush()
        result = DemoResult(
            school_id=school.id,
            pupils=pupils,
            groups=len(cur_groups),
            staff=len(staff_rows),
            counts={
                "korte_interventies": len(intervention_rows),
                "groeidocumenten": len(growth_rows),
                "opps": len(opp_pupils),
            },
        )
    say("Statistieken voor de database bijwerken ...")
    db.sync_id_sequences()
    db.refresh_statistics()
    return result


def _make_opps(
    s: Session,
    ids: _Ids,
    rng: random.Random,
    opp_pupils: list[tuple[int, int]],
    today: date,
    ib_id: int,
    director_id: int,
    school_name: str,
    group_name: dict[int, str],
) -> None:
    if not opp_pupils:
        return
    pupil_ids = [p for p, _ in opp_pupils]
    pupils: dict[int, Pupil] = {}
    for chunk in range(0, len(pupil_ids), 500):
        part = pupil_ids[chunk : chunk + 500]
        for p in s.scalars(
            sa.select(Pupil)
            .where(Pupil.id.in_(part))
            .options(
                selectinload(Pupil.guardians),
                selectinload(Pupil.care_providers),
                selectinload(Pupil.school_history),
                selectinload(Pupil.assessments),
            )
        ):
            pupils[p.id] = p
    staff = {st.id: st.full_name for st in s.scalars(sa.select(Staff).where(Staff.id.in_([ib_id, director_id])))}
    opp_rows, version_rows, goal_rows, consent_rows, sign_rows, conv_rows = [], [], [], [], [], []
    for pid, _level in opp_pupils:
        pupil = pupils[pid]
        snapshot = pupil_snapshot(pupil, school_name=school_name, group_name=group_name.get(pupil.group_id or 0, ""))
        n_versions = rng.choice([1, 2, 2, 3])
        start = _school_day(today - timedelta(days=120 + 180 * (n_versions - 1) + rng.randrange(0, 60)))
        oid = ids(Opp)
        opp_rows.append(dict(id=oid, pupil_id=pid, start_date=start, end_date=None))
        prev_id = None
        for n in range(1, n_versions + 1):
            vid = ids(OppVersion)
            v_start = start + timedelta(days=180 * (n - 1))
            last = n == n_versions
            status = "geevalueerd" if not last else rng.choice(["vastgesteld", "vastgesteld", "besproken", "concept"])
            fixed = status in ("vastgesteld", "geevalueerd")
            version_rows.append(
                dict(
                    id=vid, opp_id=oid, number=n, status=status, form="13_delen", previous_version_id=prev_id,
                    discussed_on=v_start + timedelta(days=10) if status != "concept" else None,
                    fixed_on=v_start + timedelta(days=14) if fixed else None,
                    evaluated_on=v_start + timedelta(days=180) if status == "geevalueerd" else None,
                    next_evaluation_on=_school_day(v_start + timedelta(days=182)),
                    frozen_pupil=snapshot if fixed else None,
                    general_notes="", school_career_notes="Doorlopende schoolloopbaan zonder doublures.",
                    assessment_notes="Zie de onderzoeken hierboven; de conclusies zijn met de ouders besproken.",
                    arrangement_kind=rng.choice(["Arrangement leesondersteuning", "Arrangement gedrag", "TLV SBO"]),
                    arrangement_granted_on=v_start, arrangement_start=v_start, arrangement_end=v_start + timedelta(days=365),
                    funding_category=rng.choice(["", "laag", "midden"]), funder="Samenwerkingsverband", arrangement_notes="",
                    promoting_factors="- is gemotiveerd en werkt graag met de leerkracht\n- betrokken ouders",
                    hindering_factors="- snel afgeleid in een drukke omgeving\n- zwak werkgeheugen",
                    need_attention="Twee keer per dag een korte instructie in een klein groepje.",
                    need_materials="Concreet rekenmateriaal en auditieve ondersteuning bij lezen.",
                    need_space="Een rustige werkplek aan de rand van de groep.",
                    need_expertise="Advies van de orthopedagoog van het samenwerkingsverband.",
                    need_cooperation="Afstemming met de jeugdhulpverlener over de aanpak thuis en op school.",
                    youth_act="Begeleiding door het sociaal wijkteam.", long_term_care_act="", health_insurance="Logopedie",
                    coordination="De IB-er coördineert; overleg elke acht weken.", lead_by="IB-er",
                    outflow=rng.choice(OUTFLOWS), outflow_rationale="Op basis van de leerresultaten en het onderzoek verwachten wij dit uitstroomniveau.",
                    subject_levels={"Rekenen": "1F", "Begrijpend lezen": "1F", "Technisch lezen": "E6"},
                    adjustments="- verlengde instructie rekenen\n- eigen leerlijn spelling vanaf groep 5",
                    parents_view="Ouders herkennen het beeld en steunen de aanpak.", pupil_view="Ik wil graag beter leren lezen.",
                    evaluation="" if n == 1 else "Ten opzichte van de vorige versie is er groei op technisch lezen; rekenen blijft een aandachtspunt.",
                    version=1,
                )
            )  # fmt: skip
            for pos, (area, text) in enumerate(
                [
                    ("Cognitieve ontwikkeling", "Beheerst de tafels 1 t/m 10."),
                    ("Sociaal-emotionele ontwikkeling", "Werkt samen in een tweetal zonder conflict."),
                    ("Leren leren", "Gebruikt een stappenplan om een taak te plannen."),
                ]
            ):
                done = status == "geevalueerd"
                goal_rows.append(dict(id=ids(OppGoal), opp_version_id=vid, area=area, position=pos, goal=text, intermediate_goals="- na 8 weken: eerste helft\n- na 16 weken: geheel", evaluation_date=_school_day(v_start + timedelta(days=170)), result=rng.choice(EVALUATIONS) if done else "", outcome=rng.choice(["behaald", "deels_behaald", "niet_behaald"]) if done else None))  # fmt: skip
            if status != "concept":
                conv_rows.append(dict(id=ids(OppConversation), opp_version_id=vid, date=v_start + timedelta(days=10), participants="ouders, leerkracht, IB-er", summary="OPP besproken; ouders kunnen zich vinden in de doelen."))  # fmt: skip
            if fixed:
                for g in pupil.guardians:
                    if g.has_custody:
                        consent_rows.append(dict(id=ids(OppConsent), opp_version_id=vid, guardian_id=g.id, guardian_name=g.name, consent=True, date=v_start + timedelta(days=14), view=""))  # fmt: skip
                        sign_rows.append(dict(id=ids(OppSignature), opp_version_id=vid, role="ouder", name=g.name, guardian_id=g.id, staff_id=None, signed_on=v_start + timedelta(days=14), image_png=None, captured_at=None))  # fmt: skip
                for role, sid in (("ib", ib_id), ("directie", director_id)):
                    sign_rows.append(dict(id=ids(OppSignature), opp_version_id=vid, role=role, name=staff[sid], guardian_id=None, staff_id=sid, signed_on=v_start + timedelta(days=14), image_png=None, captured_at=None))  # fmt: skip
            prev_id = vid
    s.execute(sa.insert(Opp), opp_rows)
    s.execute(sa.insert(OppVersion), version_rows)
    s.execute(sa.insert(OppGoal), goal_rows)
    if consent_rows:
        s.execute(sa.insert(OppConsent), consent_rows)
    if sign_rows:
        s.execute(sa.insert(OppSignature), sign_rows)
    if conv_rows:
        s.execute(sa.insert(OppConversation), conv_rows)

