"""Evaluation moments: what is due, when, and whether it was done, by whom, with what outcome.

The schedule engine derives moments from the documents and the school's settings; it never
writes. A row here records a moment that was planned by hand (a group review, an MDO), moved, or
done. ``key`` is the engine's stable identifier of the moment, which also gives calendar exports
their stable event ids.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, MomentKind, Outcome, enum_column, now
from .pupil import Pupil
from .school import Staff


class EvaluationMoment(Base):
    """A moment in the support cycle that is planned, moved or done."""

    __tablename__ = "evaluation_moments"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[MomentKind] = mapped_column(enum_column(MomentKind))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    pupil_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id", ondelete="SET NULL"))
    due_date: Mapped[date]
    responsible_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="SET NULL")
    )
    done_on: Mapped[date | None]
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)

    pupil: Mapped[Pupil | None] = relationship()
    responsible: Mapped[Staff | None] = relationship(foreign_keys=[responsible_id])
    done_by: Mapped[Staff | None] = relationship(foreign_keys=[done_by_id])

    __table_args__ = (
        sa.UniqueConstraint("school_id", "key"),
        sa.Index("ix_evaluation_moments_due", "school_id", "due_date"),
    )
