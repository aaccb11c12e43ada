"""Declarative base, shared column types and the domain's enumerations.

Enumerations are stored as short strings with a CHECK constraint (``native_enum=False``) so
that the schema is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ib_desktop.domain_types import (  # noqa: F401 - re-exported: the models' enumerations
    AccountRole,
    CareScope,
    Declaration,
    DocumentKind,
    DocumentStatus,
    HistoryKind,
    MeetingKind,
    MomentKind,
    OppForm,
    OppStatus,
    Outcome,
    OutflowPerspective,
    PupilStatus,
    Region,
    RegistrationDecision,
    SignatureRole,
    StaffRole,
    Tier,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every mapped class; carries the constraint naming convention."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: sa.JSON,
        list[Any]: sa.JSON,
        list[str]: sa.JSON,
    }

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{type(self).__name__} id={getattr(self, 'id', None)}>"


def enum_column(enum_cls: type[enum.Enum], length: int = 24) -> sa.Enum:
    """A portable enum type that stores the member's value and checks it in the database."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        name=f"{enum_cls.__name__.lower()}",
    )


def now() -> datetime:
    """Local wall-clock time without tzinfo: the app runs on one school laptop at a time."""
    return datetime.now().replace(microsecond=0)


class TimestampMixin:
    """Creation and last-change moments, filled in by SQLAlchemy."""

    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


def period_check(start: str, end: str, name: str | None = None) -> sa.CheckConstraint:
    """A CHECK that an optional end date does not come before its start date."""
    return sa.CheckConstraint(
        f"{end} IS NULL OR {start} IS NULL OR {end} >= {start}",
        name=name or f"{end}_after_{start}",
    )


# ---------------------------------------------------------------------------- enumerations
# Defined without SQLAlchemy in ib_desktop.domain_types (the quick first paint needs them).


def as_date(value: date | datetime | None) -> date | None:
    """Normalise a datetime to its date; dates pass unchanged."""
    if isinstance(value, datetime):
        return value.date()
    return value
