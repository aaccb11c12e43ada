"""The demo's OPPs: versions, goals, conversations, consent and signatures; a fixed version
freezes the pupil's data as the app does."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ib_desktop.demo.common import Ids, school_day
from ib_desktop.demo.texts import EVALUATIONS, OUTFLOWS
from ib_desktop.models import (
    Opp,
    OppConsent,
    OppConversation,
    OppGoal,
    OppSignature,
    OppVersion,
    Pupil,
    Staff,
)
from ib_desktop.services.snapshot import pupil_snapshot

OPP_GOALS = [
    ("Cognitieve ontwikkeling", "Beheerst de tafels 1 t/m 10."),
    ("Sociaal-emotionele ontwikkeling", "Werkt samen in een tweetal zonder conflict."),
    ("Leren leren", "Gebruikt een stappenplan om een taak te plannen."),
]


def make_opps(
    s: Session,
    ids: Ids,
    rng: random.Random,
    opp_pupils: list[tuple[int, int]],
    today: date,
    ib_id: int,
    director_id: int,
    school_name: str,
    group_name: dict[int, str],
) -> None:
    """One OPP with one to three versions for each pupil in ``opp_pupils``."""
    if not opp_pupils:
        return
    pupils = _load_pupils(s, [p for p, _ in opp_pupils])
    staff = {
        st.id: st.full_name
        for st in s.scalars(sa.select(Staff).where(Staff.id.in_([ib_id, director_id])))
    }
    rows: dict[Any, list[dict[str, Any]]] = {
        model: [] for model in (Opp, OppVersion, OppGoal, OppConsent, OppSignature, OppConversation)
    }
    for pid, _level in opp_pupils:
        pupil = pupils[pid]
        snapshot = pupil_snapshot(
            pupil, school_name=school_name, group_name=group_name.get(pupil.group_id or 0, "")
        )
        n_versions = rng.choice([1, 2, 2, 3])
        start = school_day(
            today - timedelta(days=120 + 180 * (n_versions - 1) + rng.randrange(0, 60))
        )
        oid = ids(Opp)
        rows[Opp].append(dict(id=oid, pupil_id=pid, start_date=start, end_date=None))
        prev_id = None
        for n in range(1, n_versions + 1):
            vid = ids(OppVersion)
            v_start = start + timedelta(days=180 * (n - 1))
            status = (
                "geevalueerd"
                if n != n_versions
                else rng.choice(["vastgesteld", "vastgesteld", "besproken", "concept"])
            )
            fixed = status in ("vastgesteld", "geevalueerd")
            rows[OppVersion].append(
                _version_row(
                    rng, vid, oid, n, status, prev_id, v_start, snapshot if fixed else None
                )
            )
            _goals(rows[OppGoal], ids, rng, vid, v_start, done=status == "geevalueerd")
            if status != "concept":
                rows[OppConversation].append(
                    dict(
                        id=ids(OppConversation),
                        opp_version_id=vid,
                        date=v_start + timedelta(days=10),
                        participants="ouders, leerkracht, IB-er",
                        summary="OPP besproken; ouders kunnen zich vinden in de doelen.",
                    )
                )
            if fixed:
                _consent_and_signatures(rows, ids, pupil, vid, v_start, staff, ib_id, director_id)
            prev_id = vid
    for model, model_rows in rows.items():
        if model_rows:
            s.execute(sa.insert(model), model_rows)


def _load_pupils(s: Session, pupil_ids: list[int]) -> dict[int, Pupil]:
    """The pupils with what their snapshot needs, read in chunks of 500."""
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
    return pupils


def _version_row(
    rng: random.Random,
    vid: int,
    oid: int,
    n: int,
    status: str,
    prev_id: int | None,
    v_start: date,
    frozen_pupil: Any,
) -> dict[str, Any]:
    """Version ``n`` of an OPP: every part written, as a school would."""
    fixed = frozen_pupil is not None
    return dict(
        id=vid,
        opp_id=oid,
        number=n,
        status=status,
        form="13_delen",
        previous_version_id=prev_id,
        discussed_on=v_start + timedelta(days=10) if status != "concept" else None,
        fixed_on=v_start + timedelta(days=14) if fixed else None,
        evaluated_on=v_start + timedelta(days=180) if status == "geevalueerd" else None,
        next_evaluation_on=school_day(v_start + timedelta(days=182)),
        frozen_pupil=frozen_pupil,
        general_notes="",
        school_career_notes="Doorlopende schoolloopbaan zonder doublures.",
        assessment_notes=(
            "Zie de onderzoeken hierboven; de conclusies zijn met de ouders besproken."
        ),
        arrangement_kind=rng.choice(
            ["Arrangement leesondersteuning", "Arrangement gedrag", "TLV SBO"]
        ),
        arrangement_granted_on=v_start,
        arrangement_start=v_start,
        arrangement_end=v_start + timedelta(days=365),
        funding_category=rng.choice(["", "laag", "midden"]),
        funder="Samenwerkingsverband",
        arrangement_notes="",
        promoting_factors="- is gemotiveerd en werkt graag met de leerkracht\n- betrokken ouders",
        hindering_factors="- snel afgeleid in een drukke omgeving\n- zwak werkgeheugen",
        need_attention="Twee keer per dag een korte instructie in een klein groepje.",
        need_materials="Concreet rekenmateriaal en auditieve ondersteuning bij lezen.",
        need_space="Een rustige werkplek aan de rand van de groep.",
        need_expertise="Advies van de orthopedagoog van het samenwerkingsverband.",
        need_cooperation=("Afstemming met de jeugdhulpverlener over de aanpak thuis en op school."),
        youth_act="Begeleiding door het sociaal wijkteam.",
        long_term_care_act="",
        health_insurance="Logopedie",
        coordination="De IB-er coördineert; overleg elke acht weken.",
        lead_by="IB-er",
        outflow=rng.choice(OUTFLOWS),
        outflow_rationale=(
            "Op basis van de leerresultaten en het onderzoek verwachten wij dit uitstroomniveau."
        ),
        subject_levels={"Rekenen": "1F", "Begrijpend lezen": "1F", "Technisch lezen": "E6"},
        adjustments="- verlengde instructie rekenen\n- eigen leerlijn spelling vanaf groep 5",
        parents_view="Ouders herkennen het beeld en steunen de aanpak.",
        pupil_view="Ik wil graag beter leren lezen.",
        evaluation=""
        if n == 1
        else (
            "Ten opzichte van de vorige versie is er groei op technisch lezen; "
            "rekenen blijft een aandachtspunt."
        ),
        version=1,
    )


def _goals(
    goal_rows: list[dict[str, Any]],
    ids: Ids,
    rng: random.Random,
    vid: int,
    v_start: date,
    *,
    done: bool,
) -> None:
    """The version's three goals; evaluated when the version was."""
    for pos, (area, text) in enumerate(OPP_GOALS):
        goal_rows.append(
            dict(
                id=ids(OppGoal),
                opp_version_id=vid,
                area=area,
                position=pos,
                goal=text,
                intermediate_goals="- na 8 weken: eerste helft\n- na 16 weken: geheel",
                evaluation_date=school_day(v_start + timedelta(days=170)),
                result=rng.choice(EVALUATIONS) if done else "",
                outcome=rng.choice(["behaald", "deels_behaald", "niet_behaald"]) if done else None,
            )
        )


def _consent_and_signatures(
    rows: dict[Any, list[dict[str, Any]]],
    ids: Ids,
    pupil: Pupil,
    vid: int,
    v_start: date,
    staff: dict[int, str],
    ib_id: int,
    director_id: int,
) -> None:
    """Consent and a signature of every guardian with custody, and the IB-er's and director's."""
    signed_on = v_start + timedelta(days=14)
    for g in pupil.guardians:
        if g.has_custody:
            rows[OppConsent].append(
                dict(
                    id=ids(OppConsent),
                    opp_version_id=vid,
                    guardian_id=g.id,
                    guardian_name=g.name,
                    consent=True,
                    date=signed_on,
                    view="",
                )
            )
            rows[OppSignature].append(
                dict(
                    id=ids(OppSignature),
                    opp_version_id=vid,
                    role="ouder",
                    name=g.name,
                    guardian_id=g.id,
                    staff_id=None,
                    signed_on=signed_on,
                    image_png=None,
                    captured_at=None,
                )
            )
    for role, sid in (("ib", ib_id), ("directie", director_id)):
        rows[OppSignature].append(
            dict(
                id=ids(OppSignature),
                opp_version_id=vid,
                role=role,
                name=staff[sid],
                guardian_id=None,
                staff_id=sid,
                signed_on=signed_on,
                image_png=None,
                captured_at=None,
            )
        )
