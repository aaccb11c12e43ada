"""Accounts: who logs in, with which role, as which member of staff (issue 18).

On PostgreSQL each account is also the database's own login role (its password lives there, and
row-level security decides what it sees); on SQLite with accounts turned on, the password hash
(Argon2id) is kept here and the services check the role. Roles are ``AccountRole``; what each
may do is ``ib_desktop.permissions``.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import AccountRole, Base, enum_column, now
from .school import Staff


class Account(Base):
    """One person's login."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The login name; on PostgreSQL also the role name (at most 63 bytes there).
    login: Mapped[str] = mapped_column(sa.String(63), unique=True)
    role: Mapped[AccountRole] = mapped_column(enum_column(AccountRole))
    staff_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    active: Mapped[bool] = mapped_column(default=True)
    #: Argon2id hash for a SQLite database with accounts; empty on PostgreSQL (the server checks).
    password_hash: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    staff: Mapped[Staff | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("length(login) > 0", name="has_login"),
        sa.Index("ix_accounts_staff_id", "staff_id"),
    )
