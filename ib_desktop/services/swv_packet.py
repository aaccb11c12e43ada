"""What goes into the packet for the samenwerkingsverband's admission committee, and what not.

An onderwijskundig rapport has a legal content; the packet follows its order:

1. administrative data (pupil, school, guardians with gezag, care providers);
2. school career and results (schools attended, groups per year, levels over the years,
   assessments the parents released);
3. social-emotional development and behaviour (the OPP's and groeidocuments' goals in that
   area, with their evaluations);
4. guidance: what hinders, diagnosed limitations (declarations and released diagnoses), support
   given (levels, documents, arrangement);
5. absence (not kept in IB Desktop: the packet says where to find it);

followed by the latest fixed OPP. Left out, and listed as such on the cover: the BSN (never sent),
restricted reports the parents did not release, concept and older OPP versions.

This module only reads (and logs the export); the PDF is laid out by ``reports.swv_packet``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import (
    Group,
    GroupMembership,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    Opp,
    OppGoal,
    OppStatus,
    OppVersion,
    Pupil,
    SchoolYear,
    ShortIntervention,
)
from ib_desktop.services import audit
from ib_desktop.services.accounts.access import check_pupils_visible

#: Words that mark a goal area as social-emotional development or behaviour.
SOCIAL_WORDS = ("sociaal", "emotion", "gedrag", "werkhouding", "taak")
#: The most pages a packet may have (the admission committee's limit).
MAX_PAGES = 12


@dataclass
class PacketAssessment:
    """One assessment as the packet shows it."""

    id: int
    date: date
    kind: str
    performed_by: str
    conclusion: str
    declaration: str


@dataclass
class PacketData:
    """Everything the packet shows, read before it is laid out."""

    pupil_id: int
    name: str
    birth_date: date | None
    gender: str
    school: str
    brin: str
    swv: str
    group: str
    first_school_day: date | None
    enrolled_on: date | None
    family: str
    guardians: list[tuple[str, str, bool]]  # name, relation, gezag
    care: list[tuple[str, str, str]]  # organisation, kind, scope
    history: list[tuple[str, str, date | None, date | None]]  # kind, institution, start, end
    groups: list[tuple[str, str]]  # school year, group
    levels: list[tuple[date, date | None, str, str, str]]  # start, end, level, area, reason
    assessments: list[PacketAssessment]
    social: list[tuple[str, str, str]]  # source, goal, evaluation
    hindering: str
    promoting: str
    needs: list[tuple[str, str]]
    support: list[tuple[str, str, str]]  # what, period, result
    arrangement: str
    opp_version_id: int | None
    opp_label: str
    left_out: list[tuple[str, str]] = field(default_factory=list)  # what, why


def released_assessment_ids(session: Session, pupil_id: int) -> set[int]:
    """The pupil's assessments that may go to the samenwerkingsverband.

    A sensitive (medical, psychological) report only with the parents' release recorded per
    report (:func:`ib_desktop.services.pupil.swv_release.released_for_swv`); a report not marked
    sensitive (a school's own didactic test) may go as it is.
    """
    from ib_desktop.services.pupil.swv_release import released_for_swv

    return {
        a.id
        for a in released_for_swv(session, pupil_id, include_not_sensitive=True)
        if a.id is not None
    }


def latest_fixed_version(session: Session, pupil_id: int) -> OppVersion | None:
    """The newest OPP version that was fixed (vastgesteld, maybe evaluated since)."""
    return session.scalars(
        sa.select(OppVersion)
        .join(Opp, Opp.id == OppVersion.opp_id)
        .where(Opp.pupil_id == pupil_id, OppVersion.fixed_on.is_not(None))
        .order_by(OppVersion.fixed_on.desc(), OppVersion.number.desc())
        .limit(1)
    ).first()


def _is_social(area: str) -> bool:
    low = area.lower()
    return any(w in low for w in SOCIAL_WORDS)


def read_packet(session: Session, pupil_id: int) -> PacketData | None:
    """The packet's content for one pupil, or None when there is no such pupil.

    A pupil outside the logged-in teacher's groups: :class:`~ib_desktop.permissions.NotAllowed`.
    """
    check_pupils_visible(session, [pupil_id], date.today())
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        return None
    school = pupil.school
    released = released_assessment_ids(session, pupil_id)
    assessments, left_out = [], [("BSN", "wordt nooit meegestuurd")]
    for a in sorted(pupil.assessments, key=lambda a: a.date):
        if a.id in released:
            assessments.append(
                PacketAssessment(a.id, a.date, a.kind, a.performed_by, a.conclusion,
                                 a.declaration.value if a.declaration else "")  # fmt: skip
            )
        else:
            left_out.append(
                (f"{a.kind} ({a.date.strftime('%d-%m-%Y')})",
                 "vertrouwelijk verslag, niet vrijgegeven door de ouders")  # fmt: skip
            )
    groups = [
        (label, name)
        for label, name in session.execute(
            sa.select(SchoolYear.label, Group.name)
            .select_from(GroupMembership)
            .join(SchoolYear, SchoolYear.id == GroupMembership.school_year_id)
            .join(Group, Group.id == GroupMembership.group_id)
            .where(GroupMembership.pupil_id == pupil_id)
            .order_by(SchoolYear.label)
        )
    ]
    levels = [
        (la.start_date, la.end_date, la.level.name, la.area, la.reason)
        for la in pupil.level_assignments
    ]
    version = latest_fixed_version(session, pupil_id)
    social: list[tuple[str, str, str]] = []
    support: list[tuple[str, str, str]] = []
    for si in session.scalars(
        sa.select(ShortIntervention)
        .where(ShortIntervention.pupil_id == pupil_id)
        .order_by(ShortIntervention.start_date)
    ):
        period = f"{si.start_date.strftime('%d-%m-%Y')} t/m {si.end_date.strftime('%d-%m-%Y')}"
        support.append((f"Korte interventie: {si.goal}", period, si.evaluation))
    for doc in session.scalars(
        sa.select(GrowthDocument)
        .where(GrowthDocument.pupil_id == pupil_id)
        .order_by(GrowthDocument.id)
    ):
        periods = sorted(doc.periods, key=lambda p: p.start_date)
        if periods:
            span = (
                f"{periods[0].start_date.strftime('%d-%m-%Y')} t/m "
                f"{periods[-1].end_date.strftime('%d-%m-%Y')}"
            )
            support.append((f"{doc.title} ({', '.join(doc.areas)})", span, ""))
    for area, goal, evaluation, start in session.execute(
        sa.select(GrowthGoal.area, GrowthGoal.goal, GrowthGoal.evaluation, GrowthPeriod.start_date)
        .join(GrowthPeriod, GrowthPeriod.id == GrowthGoal.period_id)
        .join(GrowthDocument, GrowthDocument.id == GrowthPeriod.document_id)
        .where(GrowthDocument.pupil_id == pupil_id)
        .order_by(GrowthPeriod.start_date, GrowthGoal.position)
    ):
        if _is_social(area) and goal.strip():
            social.append((f"Groeidocument, {area} ({start.strftime('%m-%Y')})", goal, evaluation))
    arrangement = ""
    opp_label = ""
    if version is not None:
        for g in session.scalars(
            sa.select(OppGoal)
            .where(OppGoal.opp_version_id == version.id)
            .order_by(OppGoal.position)
        ):
            if _is_social(g.area) and g.goal.strip():
                social.append((f"OPP versie {version.number}, {g.area}", g.goal, g.result))
        if version.arrangement_kind or version.arrangement_end:
            bits = [version.arrangement_kind or "Arrangement"]
            if version.arrangement_start or version.arrangement_end:
                bits.append(
                    f"{_d(version.arrangement_start)} t/m {_d(version.arrangement_end)}"
                )
            if version.funding_category:
                bits.append(f"bekostigingscategorie {version.funding_category}")
            if version.funder:
                bits.append(f"bekostigd door {version.funder}")
            arrangement = ", ".join(bits)
        opp_label = f"OPP versie {version.number}, vastgesteld op {_d(version.fixed_on)}"
        others = session.execute(
            sa.select(OppVersion.number, OppVersion.status)
            .where(OppVersion.opp_id == version.opp_id, OppVersion.id != version.id)
            .order_by(OppVersion.number)
        ).all()
        for number, status in others:
            why = "concept, nog niet vastgesteld" if status in (
                OppStatus.CONCEPT, OppStatus.BESPROKEN) else "oudere versie"  # fmt: skip
            left_out.append((f"OPP versie {number}", why))
    else:
        left_out.append(("OPP", "er is geen vastgesteld OPP"))
    return PacketData(
        pupil_id=pupil.id,
        name=pupil.full_name,
        birth_date=pupil.birth_date,
        gender={"m": "jongen", "v": "meisje"}.get(pupil.gender, ""),
        school=school.name,
        brin=school.brin,
        swv=school.swv_name,
        group=pupil.group.name if pupil.group else "",
        first_school_day=pupil.first_school_day,
        enrolled_on=pupil.enrolled_on,
        family=pupil.family_composition,
        guardians=[(g.name, g.relation, g.has_custody) for g in pupil.guardians],
        care=[(c.organisation, c.kind, c.scope.value) for c in pupil.care_providers],
        history=[
            (h.kind.value, h.institution, h.start_date, h.end_date)
            for h in sorted(pupil.school_history, key=lambda h: h.start_date or date.min)
        ],
        groups=groups,
        levels=levels,
        assessments=assessments,
        social=social,
        hindering=version.hindering_factors if version else "",
        promoting=version.promoting_factors if version else "",
        needs=[
            (label, text)
            for label, text in (
                ("Aandacht en handen in de klas", version.need_attention if version else ""),
                ("Onderwijsmaterialen", version.need_materials if version else ""),
                ("Ruimtelijke omgeving", version.need_space if version else ""),
                ("Expertise", version.need_expertise if version else ""),
                ("Samenwerking met externe organisaties",
                 version.need_cooperation if version else ""),  # fmt: skip
            )
            if text.strip()
        ],
        support=support,
        arrangement=arrangement,
        opp_version_id=version.id if version else None,
        opp_label=opp_label,
        left_out=left_out,
    )


def _d(d: date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else "?"


def log_export(
    session: Session, data: PacketData, *, pages: int, actor: str | None = None
) -> None:
    """Write the export into the change log: what went out, and what was left out."""
    left = "; ".join(f"{what} ({why})" for what, why in data.left_out)
    audit.record(
        session,
        "pupil",
        data.pupil_id,
        "geëxporteerd",
        field="swv-pakket",
        new=f"{pages} pagina's",
        summary=(
            f"SWV-pakket van {data.name} gemaakt ({pages} pagina's"
            + (f", met {data.opp_label}" if data.opp_label else "")
            + f"). Weggelaten: {left}."
        ),
        actor=actor,
    )
