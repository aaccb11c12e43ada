"""The OPP (ontwikkelingsperspectiefplan) with its 13 parts and its versions.

Every evaluation with the parents produces a new version; earlier versions stay unchanged, and a
version that is fixed (vastgesteld) also freezes the pupil data it showed (``frozen_pupil``).
Prose parts are columns; repeating structures (goals, conversations, consents, signatures) are
child tables, so the schedule engine and the reports can query them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import (
    Base,
    OppForm,
    OppStatus,
    Outcome,
    OutflowPerspective,
    SignatureRole,
    TimestampMixin,
    enum_column,
    period_check,
)

if TYPE_CHECKING:
    from .pupil import Guardian, Pupil
    from .school import Staff


class Opp(TimestampMixin, Base):
    """The OPP of a pupil across its versions; start and end date go to the national registry."""

    __tablename__ = "opps"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    start_date: Mapped[date]
    end_date: Mapped[date | None]

    pupil: Mapped[Pupil] = relationship()
    versions: Mapped[list[OppVersion]] = relationship(
        back_populates="opp",
        cascade="all, delete-orphan",
        order_by="OppVersion.number",
        foreign_keys="OppVersion.opp_id",
    )

    __table_args__ = (
        period_check("start_date", "end_date"),
        sa.Index("ix_opps_pupil_id", "pupil_id"),
    )

    @property
    def current_version(self) -> OppVersion | None:
        """The newest version, the one that is being worked on or is in force."""
        return self.versions[-1] if self.versions else None


class OppVersion(TimestampMixin, Base):
    """One version of an OPP: all 13 parts as they were written and agreed."""

    __tablename__ = "opp_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    opp_id: Mapped[int] = mapped_column(sa.ForeignKey("opps.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(sa.SmallInteger)
    status: Mapped[OppStatus] = mapped_column(enum_column(OppStatus), default=OppStatus.CONCEPT)
    form: Mapped[OppForm] = mapped_column(enum_column(OppForm), default=OppForm.DERTIEN_DELEN)
    previous_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("opp_versions.id", ondelete="SET NULL")
    )
    discussed_on: Mapped[date | None]
    fixed_on: Mapped[date | None]
    evaluated_on: Mapped[date | None]
    next_evaluation_on: Mapped[date | None]
    # Parts 1-3 as shown when the version was fixed; empty while the version is a concept.
    frozen_pupil: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    # 1 algemene gegevens, 2 schoolloopbaan, 3 onderzoek: drawn from the pupil file; notes here.
    general_notes: Mapped[str] = mapped_column(sa.Text, default="")
    school_career_notes: Mapped[str] = mapped_column(sa.Text, default="")
    assessment_notes: Mapped[str] = mapped_column(sa.Text, default="")
    # 4 concrete inzet: arrangement or TLV.
    arrangement_kind: Mapped[str] = mapped_column(sa.String(120), default="")
    arrangement_granted_on: Mapped[date | None]
    arrangement_start: Mapped[date | None]
    arrangement_end: Mapped[date | None]
    funding_category: Mapped[str] = mapped_column(sa.String(80), default="")
    funder: Mapped[str] = mapped_column(sa.String(200), default="")
    arrangement_notes: Mapped[str] = mapped_column(sa.Text, default="")
    # 5 bevorderende en belemmerende factoren.
    promoting_factors: Mapped[str] = mapped_column(sa.Text, default="")
    hindering_factors: Mapped[str] = mapped_column(sa.Text, default="")
    # 6 ondersteunings- en onderwijsbehoefte on five aspects.
    need_attention: Mapped[str] = mapped_column(sa.Text, default="")
    need_materials: Mapped[str] = mapped_column(sa.Text, default="")
    need_space: Mapped[str] = mapped_column(sa.Text, default="")
    need_expertise: Mapped[str] = mapped_column(sa.Text, default="")
    need_cooperation: Mapped[str] = mapped_column(sa.Text, default="")
    # 7 jeugdwet, Wlz, zorgverzekering, and who leads.
    youth_act: Mapped[str] = mapped_column(sa.Text, default="")
    long_term_care_act: Mapped[str] = mapped_column(sa.Text, default="")
    health_insurance: Mapped[str] = mapped_column(sa.Text, default="")
    coordination: Mapped[str] = mapped_column(sa.Text, default="")
    lead_by: Mapped[str] = mapped_column(sa.String(200), default="")
    # 8 uitstroomperspectief with onderbouwing and the expected level per subject.
    outflow: Mapped[OutflowPerspective | None] = mapped_column(enum_column(OutflowPerspective))
    outflow_rationale: Mapped[str] = mapped_column(sa.Text, default="")
    subject_levels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # 10 aanpassingen van het reguliere programma.
    adjustments: Mapped[str] = mapped_column(sa.Text, default="")
    # 11 zienswijze ouders (en leerling).
    parents_view: Mapped[str] = mapped_column(sa.Text, default="")
    pupil_view: Mapped[str] = mapped_column(sa.Text, default="")
    # 12 evaluatiedeel.
    evaluation: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    opp: Mapped[Opp] = relationship(back_populates="versions", foreign_keys=[opp_id])
    previous_version: Mapped[OppVersion | None] = relationship(remote_side=[id])
    goals: Mapped[list[OppGoal]] = relationship(
        back_populates="opp_version", cascade="all, delete-orphan", order_by="OppGoal.position"
    )
    conversations: Mapped[list[OppConversation]] = relationship(
        back_populates="opp_version",
        cascade="all, delete-orphan",
        order_by="OppConversation.date",
    )
    consents: Mapped[list[OppConsent]] = relationship(
        back_populates="opp_version", cascade="all, delete-orphan"
    )
    signatures: Mapped[list[OppSignature]] = relationship(
        back_populates="opp_version", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("opp_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        period_check("arrangement_start", "arrangement_end"),
        sa.CheckConstraint(
            "status NOT IN ('vastgesteld', 'geevalueerd') OR fixed_on IS NOT NULL",
            name="fixed_has_date",
        ),
        sa.CheckConstraint(
            "status NOT IN ('vastgesteld', 'geevalueerd') OR frozen_pupil IS NOT NULL",
            name="fixed_is_frozen",
        ),
    )

    @property
    def is_frozen(self) -> bool:
        """A fixed or evaluated version is never edited again."""
        return self.status in (OppStatus.VASTGESTELD, OppStatus.GEEVALUEERD)


class OppGoal(Base):
    """Part 9, the handelingsdeel: a goal with tussendoelen and an evaluation date."""

    __tablename__ = "opp_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    opp_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opp_versions.id", ondelete="CASCADE")
    )
    area: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    goal: Mapped[str] = mapped_column(sa.Text)
    intermediate_goals: Mapped[str] = mapped_column(sa.Text, default="")
    evaluation_date: Mapped[date | None]
    result: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    # Its own version: evaluating one goal must not look like a conflict for the next goal.
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    opp_version: Mapped[OppVersion] = relationship(back_populates="goals")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index("ix_opp_goals_opp_version_id", "opp_version_id"),)


class OppConversation(Base):
    """Part 11: a conversation with the parents (and pupil) and its relevant points."""

    __tablename__ = "opp_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    opp_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opp_versions.id", ondelete="CASCADE")
    )
    date: Mapped[date]
    participants: Mapped[str] = mapped_column(sa.String(400), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")

    opp_version: Mapped[OppVersion] = relationship(back_populates="conversations")


class OppConsent(Base):
    """A guardian's consent (or refusal, with their view) to the handelingsdeel."""

    __tablename__ = "opp_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    opp_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opp_versions.id", ondelete="CASCADE")
    )
    guardian_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("guardians.id", ondelete="SET NULL")
    )
    guardian_name: Mapped[str] = mapped_column(sa.String(200))
    consent: Mapped[bool]
    date: Mapped[date]
    view: Mapped[str] = mapped_column(sa.Text, default="")

    opp_version: Mapped[OppVersion] = relationship(back_populates="consents")
    guardian: Mapped[Guardian | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("opp_version_id", "guardian_id"),)


class OppSignature(Base):
    """Part 13: who signed, when, and the signature drawn on screen if there is one."""

    __tablename__ = "opp_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    opp_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opp_versions.id", ondelete="CASCADE")
    )
    role: Mapped[SignatureRole] = mapped_column(enum_column(SignatureRole))
    name: Mapped[str] = mapped_column(sa.String(200))
    guardian_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("guardians.id", ondelete="SET NULL")
    )
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))
    signed_on: Mapped[date]
    image_png: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    captured_at: Mapped[datetime | None]

    opp_version: Mapped[OppVersion] = relationship(back_populates="signatures")
    staff: Mapped[Staff | None] = relationship()
