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


class RetentionRecord(Base):
    """Proof that a pupil file was deleted after its retention period, without its content."""

    __tablename__ = "retention_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(default=now)
    actor: Mapped[str] = mapped_column(sa.String(200), default="")
    pupil_reference: Mapped[str] = mapped_column(sa.String(80))  # LVS id or internal number
    left_on: Mapped[date | None]
    retention_rule: Mapped[str] = mapped_column(sa.String(200), default="")
