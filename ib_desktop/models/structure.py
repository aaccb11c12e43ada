"""The school's staircase of support levels and each pupil's place on it over time."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, StaffRole, Tier, enum_column, now, period_check

if TYPE_CHECKING:
    from .meeting import Meeting
    from .pupil import Pupil
    from .school import Staff


class SupportStructure(Base):
    """A staircase of 4, 5 (or any number of) support levels, as the school describes it."""

    __tablename__ = "support_structures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    template_key: Mapped[str | None] = mapped_column(sa.String(40))
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    levels: Mapped[list[SupportLevel]] = relationship(
        back_populates="structure",
        cascade="all, delete-orphan",
        order_by="SupportLevel.position",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def active_levels(self) -> list[SupportLevel]:
        """The levels pupils can still be placed on (retired ones only keep history)."""
        return [lvl for lvl in self.levels if not lvl.retired]


class SupportLevel(Base):
    """One step of the staircase: what it means, who is responsible, what it requires."""

    __tablename__ = "support_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("support_structures.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(sa.SmallInteger)  # 1 = lowest step
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    tier: Mapped[Tier] = mapped_column(enum_column(Tier), default=Tier.BASIS)
    responsible_role: Mapped[StaffRole] = mapped_column(
        enum_column(StaffRole), default=StaffRole.LEERKRACHT
    )
    parent_meeting_weeks: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # Document kinds (DocumentKind values) this level requires; with ``requires_any`` one of
    # them is enough (De Bloemaert level 3: korte interventie, groeidocument or OPP).
    required_documents: Mapped[list[str]] = mapped_column(default=list)
    requires_any: Mapped[bool] = mapped_column(default=False)
    color: Mapped[str] = mapped_column(sa.String(9), default="#9e9e9e")
    retired: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    structure: Mapped[SupportStructure] = relationship(back_populates="levels")

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        sa.UniqueConstraint("structure_id", "name"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint(
            "parent_meeting_weeks IS NULL OR parent_meeting_weeks > 0",
            name="meeting_interval_positive",
        ),
    )

    @property
    def label(self) -> str:
        """"3 - Speciale zorg": number and name as the staircase shows it."""
        return f"{self.position} - {self.name}"


class LevelAssignment(Base):
    """A pupil's place on a level from a date (opschalen/afschalen), with its reason.

    ``area`` is empty for the pupil as a whole, or the name of a development area for schools
    that escalate per area. At most one assignment per pupil and area is open (no end date).
    """

    __tablename__ = "level_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    level_id: Mapped[int] = mapped_column(
        sa.ForeignKey("support_levels.id", ondelete="RESTRICT")
    )
    area: Mapped[str] = mapped_column(sa.String(80), default="")
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    reason: Mapped[str] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="SET NULL")
    )
    decided_by_name: Mapped[str] = mapped_column(sa.String(200), default="")
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=now)

    pupil: Mapped[Pupil] = relationship(back_populates="level_assignments")
    level: Mapped[SupportLevel] = relationship()
    decided_by: Mapped[Staff | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()

    __table_args__ = (
        period_check("start_date", "end_date"),
        sa.CheckConstraint("length(trim(reason)) > 0", name="has_reason"),
        sa.Index("ix_level_assignments_pupil_id", "pupil_id"),
        sa.Index(
            "uq_level_assignments_open",
            "pupil_id",
            "area",
            unique=True,
            sqlite_where=sa.text("end_date IS NULL"),
            postgresql_where=sa.text("end_date IS NULL"),
        ),
    )
