"""Meetings in the support cycle: kindbespreking, groepsbespreking, OT, MDO, oudergesprek."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, MeetingKind, TimestampMixin, enum_column

if TYPE_CHECKING:
    from .pupil import Pupil
    from .school import Group, Staff

meeting_pupils = sa.Table(
    "meeting_pupils",
    Base.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("pupil_id", sa.ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True),
    # The agenda per pupil (issue 20): why the pupil is discussed, the minutes, the decision.
    sa.Column("reason", sa.String(200), nullable=False, server_default=""),
    sa.Column("minutes", sa.Text, nullable=False, server_default=""),
    sa.Column("decision", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_meeting_pupils_pupil_id", "pupil_id"),
)


class Meeting(TimestampMixin, Base):
    """A planned or held meeting about one or more pupils or a whole group."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind))
    date: Mapped[date]
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id", ondelete="SET NULL"))
    held: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[str] = mapped_column(sa.Text, default="")
    # Notes and decisions marked vertrouwelijk: read by ib and directie only (issue 19).
    confidential: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    pupils: Mapped[list[Pupil]] = relationship(secondary=meeting_pupils)
    group: Mapped[Group | None] = relationship()
    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index("ix_meetings_school_date", "school_id", "date"),)


class MeetingParticipant(Base):
    """Someone at a meeting: staff, parent, or an outside expert such as the SWV consultant."""

    __tablename__ = "meeting_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(80), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    staff: Mapped[Staff | None] = relationship()


class MeetingTask(Base):
    """A task decided at a meeting, with a date: it shows among the deadlines until done."""

    __tablename__ = "meeting_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    pupil_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(sa.String(300))
    due_date: Mapped[date]
    done: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index("ix_meeting_tasks_meeting_id", "meeting_id"),)
