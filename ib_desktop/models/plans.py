"""Plans below and beside the OPP: korte interventies and groeidocumenten.

Rich text (multi-line, bullet lists) is stored as Markdown: Qt's text editor reads and writes
it, and the reports turn it into paragraphs and bullet lists.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import (
    Base,
    DocumentStatus,
    Outcome,
    TimestampMixin,
    enum_column,
    period_check,
)

if TYPE_CHECKING:
    from .pupil import Pupil
    from .school import Staff


class EvaluationFields:
    """The evaluation a teacher writes at the end of a period, with its outcome."""

    evaluation: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    evaluated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="SET NULL")
    )
    evaluated_on: Mapped[date | None]


class ShortIntervention(EvaluationFields, TimestampMixin, Base):
    """A korte interventie: one goal for 4-8 weeks, evaluated at its end."""

    __tablename__ = "short_interventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    status: Mapped[DocumentStatus] = mapped_column(
        enum_column(DocumentStatus), default=DocumentStatus.CONCEPT
    )
    group_name: Mapped[str] = mapped_column(sa.String(20), default="")
    teacher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))
    teacher_name: Mapped[str] = mapped_column(sa.String(200), default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    support_need: Mapped[str] = mapped_column(sa.Text, default="")
    execution: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    pupil: Mapped[Pupil] = relationship()
    teacher: Mapped[Staff | None] = relationship(foreign_keys=[teacher_id])
    evaluated_by: Mapped[Staff | None] = relationship(
        foreign_keys="ShortIntervention.evaluated_by_id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        period_check("start_date", "end_date"),
        period_check("start_date", "evaluated_on", "evaluated_after_start"),
        sa.Index("ix_short_interventions_pupil_id", "pupil_id"),
    )


class GrowthDocument(TimestampMixin, Base):
    """A groeidocument (handelingsplan): goals per development area and period."""

    __tablename__ = "growth_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200), default="Groeidocument")
    status: Mapped[DocumentStatus] = mapped_column(
        enum_column(DocumentStatus), default=DocumentStatus.CONCEPT
    )
    group_name: Mapped[str] = mapped_column(sa.String(20), default="")
    teacher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))
    teacher_name: Mapped[str] = mapped_column(sa.String(200), default="")
    # The development areas this document uses, in order (a document can leave some out).
    areas: Mapped[list[str]] = mapped_column(default=list)
    version: Mapped[int] = mapped_column(default=1)

    pupil: Mapped[Pupil] = relationship()
    teacher: Mapped[Staff | None] = relationship()
    periods: Mapped[list[GrowthPeriod]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="GrowthPeriod.number",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index("ix_growth_documents_pupil_id", "pupil_id"),)


class GrowthPeriod(Base):
    """One period of a groeidocument; closing it needs an evaluation of every goal."""

    __tablename__ = "growth_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("growth_documents.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(sa.SmallInteger)
    start_date: Mapped[date]
    end_date: Mapped[date]
    closed: Mapped[bool] = mapped_column(default=False)

    document: Mapped[GrowthDocument] = relationship(back_populates="periods")
    goals: Mapped[list[GrowthGoal]] = relationship(
        back_populates="period",
        cascade="all, delete-orphan",
        order_by="GrowthGoal.position",
        foreign_keys="GrowthGoal.period_id",
    )

    __table_args__ = (
        sa.UniqueConstraint("document_id", "number"),
        period_check("start_date", "end_date"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )


class GrowthGoal(EvaluationFields, Base):
    """One cell of the grid: the plan for one development area in one period."""

    __tablename__ = "growth_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("growth_periods.id", ondelete="CASCADE"))
    area: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    support_need: Mapped[str] = mapped_column(sa.Text, default="")
    execution: Mapped[str] = mapped_column(sa.Text, default="")
    carried_over_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("growth_goals.id", ondelete="SET NULL")
    )
    # Its own version: evaluating one goal must not look like a conflict for the next goal.
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    period: Mapped[GrowthPeriod] = relationship(back_populates="goals", foreign_keys=[period_id])
    carried_over_from: Mapped[GrowthGoal | None] = relationship(remote_side=[id])
    evaluated_by: Mapped[Staff | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("period_id", "area"),
        sa.Index("ix_growth_goals_period_id", "period_id"),
    )

    @property
    def carried_over(self) -> bool:
        """True when this goal continues an unreached goal of the previous period."""
        return self.carried_over_from_id is not None
