"""Requests of parents to see the file (inzage, AVG article 15) and their deadlines."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, now, period_check

if TYPE_CHECKING:
    from .pupil import Guardian, Pupil


class InzageRequest(Base):
    """One request to see a pupil's file: received, answered within a month (or three).

    ``requested_by`` keeps the guardian's name as it was on the day of the request, so the
    register stays readable when the guardian record changes or goes.
    """

    __tablename__ = "inzage_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    guardian_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("guardians.id", ondelete="SET NULL")
    )
    requested_by: Mapped[str] = mapped_column(sa.String(200))
    received_on: Mapped[date]
    due_on: Mapped[date]
    extended_on: Mapped[date | None]
    extension_reason: Mapped[str] = mapped_column(sa.Text, default="")
    done_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by: Mapped[str] = mapped_column(sa.String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    pupil: Mapped[Pupil] = relationship()
    guardian: Mapped[Guardian | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        sa.CheckConstraint("length(requested_by) > 0", name="has_requester"),
        period_check("received_on", "due_on"),
        period_check("received_on", "done_on"),
        period_check("received_on", "extended_on"),
        sa.CheckConstraint(
            "(extended_on IS NULL) = (length(extension_reason) = 0)", name="extension_has_reason"
        ),
        sa.Index("ix_inzage_requests_pupil_id", "pupil_id"),
        sa.Index("ix_inzage_requests_open", "done_on", "due_on"),
    )
