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


class Region(enum.StrEnum):
    """School holiday region (vakantieregio)."""

    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


class StaffRole(enum.StrEnum):
    """What a staff member does in the support work."""

    IB = "ib"
    LEERKRACHT = "leerkracht"
    DIRECTIE = "directie"
    ONDERWIJSASSISTENT = "onderwijsassistent"
    OVERIG = "overig"


class PupilStatus(enum.StrEnum):
    """Where the pupil stands with the school."""

    AANGEMELD = "aangemeld"  # registered, zorgplicht running, not yet enrolled
    ACTIEF = "actief"
    VERTROKKEN = "vertrokken"


class Tier(enum.StrEnum):
    """The samenwerkingsverband's three tiers that every school level maps onto."""

    BASIS = "basis"
    EXTRA = "extra"
    GESPECIALISEERD = "gespecialiseerd"


class DocumentKind(enum.StrEnum):
    """The support documents a level can require."""

    KORTE_INTERVENTIE = "korte_interventie"
    GROEIDOCUMENT = "groeidocument"
    OPP = "opp"


class DocumentStatus(enum.StrEnum):
    """Life cycle of a korte interventie or groeidocument."""

    CONCEPT = "concept"
    ACTIEF = "actief"
    AFGESLOTEN = "afgesloten"


class Outcome(enum.StrEnum):
    """Result of evaluating a goal."""

    BEHAALD = "behaald"
    DEELS_BEHAALD = "deels_behaald"
    NIET_BEHAALD = "niet_behaald"


class MeetingKind(enum.StrEnum):
    """Kinds of meeting in the support cycle."""

    KINDBESPREKING = "kindbespreking"
    GROEPSBESPREKING = "groepsbespreking"
    OT = "ot"
    MDO = "mdo"
    OUDERGESPREK = "oudergesprek"
    OVERIG = "overig"


class CareScope(enum.StrEnum):
    """Around whom a care provider works (OPP part 1: bij leerling, school en gezin)."""

    LEERLING = "leerling"
    SCHOOL = "school"
    GEZIN = "gezin"


class HistoryKind(enum.StrEnum):
    """Kinds of entry in a pupil's school career (OPP part 2)."""

    VOORSCHOOLS = "voorschools"
    BASISSCHOOL = "basisschool"
    SBO = "sbo"
    SO = "so"
    OVERIG = "overig"


class Declaration(enum.StrEnum):
    """Declarations that count in the school support profile's figures."""

    DYSLEXIE = "dyslexie"
    DYSCALCULIE = "dyscalculie"


class OppStatus(enum.StrEnum):
    """Life cycle of one OPP version."""

    CONCEPT = "concept"
    BESPROKEN = "besproken"  # besproken met ouders
    VASTGESTELD = "vastgesteld"
    GEEVALUEERD = "geevalueerd"


class OppForm(enum.StrEnum):
    """Which set of parts an OPP must complete."""

    DERTIEN_DELEN = "13_delen"  # the samenwerkingsverband's 13 minimum parts
    WETTELIJK = "wettelijk"  # the law's shorter minimum


class OutflowPerspective(enum.StrEnum):
    """Expected secondary school type (uitstroomperspectief)."""

    PRO = "praktijkonderwijs"
    VMBO_BB = "vmbo-bb"
    VMBO_KB = "vmbo-kb"
    VMBO_GT = "vmbo-gt"
    HAVO = "havo"
    VWO = "vwo"
    VSO = "vso"
    SO = "so"


class SignatureRole(enum.StrEnum):
    """Who signs an OPP (part 13)."""

    OUDER = "ouder"
    LEERLING = "leerling"
    LEERKRACHT = "leerkracht"
    IB = "ib"
    DIRECTIE = "directie"


class MomentKind(enum.StrEnum):
    """Kinds of moment the schedule engine plans."""

    INTERVENTIE = "interventie"
    GROEIDOCUMENT = "groeidocument"
    OPP_EVALUATIE = "opp_evaluatie"
    OPP_DOEL = "opp_doel"
    OUDERGESPREK = "oudergesprek"
    GROEPSBESPREKING = "groepsbespreking"
    MDO = "mdo"
    ZORGPLICHT = "zorgplicht"


class RegistrationDecision(enum.StrEnum):
    """Outcome of the zorgplicht procedure after a written registration."""

    TOEGELATEN = "toegelaten"
    ELDERS = "elders"  # suitable place found at another school
    NIET_TOEGELATEN = "niet_toegelaten"
    INGETROKKEN = "ingetrokken"


def as_date(value: date | datetime | None) -> date | None:
    """Normalise a datetime to its date; dates pass unchanged."""
    if isinstance(value, datetime):
        return value.date()
    return value
