"""Who changed what, when; and the record that a file was deleted on schedule."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, now


class ChangeLog(Base):
    """One change to a document or file, for its history and for the parents' right to see."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now)
    actor: Mapped[str] = mapped_column(sa.String(200), default="")
    entity: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(40))  # aangemaakt, gewijzigd, heropend, ...
    field: Mapped[str] = mapped_column(sa.String(80), default="")
    old_value: Mapped[str] = mapped_column(sa.Text, default="")
    new_value: Mapped[str] = mapped_column(sa.Text, default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (sa.Index("ix_change_log_entity", "entity", "entity_id"),)


class ViewLogEntry(Base):
    """Someone opened, printed or exported a pupil's file: who, when, what (issue 19).

    Append-only, like the change log: no screen edits or deletes a line; the lines of a pupil
    go only when the whole file is deleted after its retention (the foreign key cascades).
    ``pupil_id`` is NULL for what covers the whole school (a group overview, the OPP-register).
    """

    __tablename__ = "view_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now)
    actor: Mapped[str] = mapped_column(sa.String(200), default="")  # the person's name
    login: Mapped[str] = mapped_column(sa.String(100), default="")  # the login behind it
    pupil_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pupils.id", ondelete="CASCADE")
    )
    action: Mapped[str] = mapped_column(sa.String(20))  # geopend, afgedrukt, geexporteerd
    what: Mapped[str] = mapped_column(sa.String(200), default="")

    __table_args__ = (
        sa.CheckConstraint(
            "action IN ('geopend', 'afgedrukt', 'geexporteerd')", name="known_action"
        ),
        sa.Index("ix_view_log_pupil_at", "pupil_id", "at"),
    )


class RetentionRecord(Base):
    """Proof that a pupil file was deleted after its retention period, without its content."""

    __tablename__ = "retention_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(default=now)
    actor: Mapped[str] = mapped_column(sa.String(200), default="")
    pupil_reference: Mapped[str] = mapped_column(sa.String(80))  # LVS id or internal number
    left_on: Mapped[date | None]
    retention_rule: Mapped[str] = mapped_column(sa.String(200), default="")
