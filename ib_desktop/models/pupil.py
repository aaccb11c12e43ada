"""The pupil and everything the pupil file holds about them."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ib_desktop.names import dutch_name  # noqa: F401 - re-exported (models.dutch_name)

from .base import (
    Base,
    CareScope,
    Declaration,
    HistoryKind,
    PupilStatus,
    RegistrationDecision,
    TimestampMixin,
    enum_column,
    period_check,
)

if TYPE_CHECKING:
    from .school import Group, School, SchoolYear, Staff
    from .structure import LevelAssignment


def sort_name(first: str, tussenvoegsel: str, last: str) -> str:
    """"Berg, Jan van der": the name as Dutch lists sort it (tussenvoegsel ignored)."""
    tail = " ".join(p for p in (first, tussenvoegsel) if p)
    return f"{last}, {tail}" if tail else last


class Pupil(TimestampMixin, Base):
    """A pupil of the school: personal data, current group and status."""

    __tablename__ = "pupils"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    lvs_id: Mapped[str | None] = mapped_column(sa.String(40))
    first_name: Mapped[str] = mapped_column(sa.String(80))
    tussenvoegsel: Mapped[str] = mapped_column(sa.String(20), default="")
    last_name: Mapped[str] = mapped_column(sa.String(120))
    gender: Mapped[str] = mapped_column(sa.String(1), default="")
    birth_date: Mapped[date]
    first_school_day: Mapped[date | None]
    enrolled_on: Mapped[date | None]
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id", ondelete="SET NULL"))
    status: Mapped[PupilStatus] = mapped_column(
        enum_column(PupilStatus), default=PupilStatus.ACTIEF
    )
    left_on: Mapped[date | None]
    left_destination: Mapped[str] = mapped_column(sa.String(200), default="")
    family_composition: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Retention: the date after which the file may be deleted (set when the pupil leaves).
    delete_after: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    school: Mapped[School] = relationship(back_populates="pupils")
    group: Mapped[Group | None] = relationship()
    memberships: Mapped[list[GroupMembership]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan"
    )
    guardians: Mapped[list[Guardian]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="Guardian.id"
    )
    care_providers: Mapped[list[CareProvider]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="CareProvider.id"
    )
    school_history: Mapped[list[SchoolHistoryEntry]] = relationship(
        back_populates="pupil",
        cascade="all, delete-orphan",
        order_by="SchoolHistoryEntry.start_date",
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="Assessment.date"
    )
    level_assignments: Mapped[list[LevelAssignment]] = relationship(
        back_populates="pupil",
        cascade="all, delete-orphan",
        order_by="LevelAssignment.start_date",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("school_id", "lvs_id"),
        sa.UniqueConstraint("school_id", "last_name", "tussenvoegsel", "first_name", "birth_date"),
        sa.Index("ix_pupils_school_status", "school_id", "status"),
        sa.Index("ix_pupils_group_id", "group_id"),
        sa.CheckConstraint("length(first_name) > 0 AND length(last_name) > 0", name="has_name"),
        sa.CheckConstraint(
            "(status = 'vertrokken') = (left_on IS NOT NULL)", name="left_has_date"
        ),
        period_check("birth_date", "first_school_day", "first_day_after_birth"),
        period_check("birth_date", "left_on", "left_after_birth"),
    )

    @property
    def full_name(self) -> str:
        """Name as spoken: "Sanne de Vries"."""
        return dutch_name(self.first_name, self.tussenvoegsel, self.last_name)

    @property
    def sort_name(self) -> str:
        """Name as sorted in lists: "Vries, Sanne de"."""
        return sort_name(self.first_name, self.tussenvoegsel, self.last_name)


class GroupMembership(Base):
    """The group a pupil was in during a school year: the history behind ``Pupil.group``."""

    __tablename__ = "group_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    school_year_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_years.id", ondelete="RESTRICT")
    )
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="RESTRICT"))
    # The pupil's jaargroep that year: which grade of a combination group ("1/2") they are in.
    grade: Mapped[int | None] = mapped_column(sa.SmallInteger)

    pupil: Mapped[Pupil] = relationship(back_populates="memberships")
    group: Mapped[Group] = relationship()
    school_year: Mapped[SchoolYear] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("pupil_id", "school_year_id"),
        sa.CheckConstraint("grade IS NULL OR grade BETWEEN 1 AND 8", name="grade_range"),
    )


class Guardian(Base):
    """A parent or guardian; only those with gezag (custody) sign."""

    __tablename__ = "guardians"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    relation: Mapped[str] = mapped_column(sa.String(40), default="ouder")
    has_custody: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    pupil: Mapped[Pupil] = relationship(back_populates="guardians")

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        sa.CheckConstraint("length(name) > 0", name="has_name"),
        sa.Index("ix_guardians_pupil_id", "pupil_id"),
    )


class CareProvider(Base):
    """Hulpverlening around the pupil, the school or the family (OPP part 1)."""

    __tablename__ = "care_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    scope: Mapped[CareScope] = mapped_column(enum_column(CareScope), default=CareScope.LEERLING)
    organisation: Mapped[str] = mapped_column(sa.String(200))
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    kind: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Notes marked vertrouwelijk: read by ib and directie only (issue 19).
    confidential: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    pupil: Mapped[Pupil] = relationship(back_populates="care_providers")

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        period_check("start_date", "end_date"),
        sa.Index("ix_care_providers_pupil_id", "pupil_id"),
    )


class SchoolHistoryEntry(Base):
    """A step in the school career: voorschoolse periode, previous schools (OPP part 2)."""

    __tablename__ = "school_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    kind: Mapped[HistoryKind] = mapped_column(
        enum_column(HistoryKind), default=HistoryKind.BASISSCHOOL
    )
    institution: Mapped[str] = mapped_column(sa.String(200))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    pupil: Mapped[Pupil] = relationship(back_populates="school_history")

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        period_check("start_date", "end_date"),
        sa.Index("ix_school_history_pupil_id", "pupil_id"),
    )


class Assessment(Base):
    """Onderzoek en diagnostiek (OPP part 3); medical and psychological reports are sensitive."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    date: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(120))
    performed_by: Mapped[str] = mapped_column(sa.String(200), default="")
    conclusion: Mapped[str] = mapped_column(sa.Text, default="")
    declaration: Mapped[Declaration | None] = mapped_column(enum_column(Declaration))
    sensitive: Mapped[bool] = mapped_column(default=False)
    share_with_swv: Mapped[bool] = mapped_column(default=False)
    # Released to the samenwerkingsverband (issue 19): when, by whom, with which guardian's
    # permission. The guardian is kept by id and name without a foreign key: the record of a
    # permission outlives a guardian later removed from the file (and SQLite adds a column with
    # a reference only by copying the table, which foreign keys make unsafe; see 0010).
    swv_released_on: Mapped[dt.date | None]  # "date" is a column of this class
    swv_released_by: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    swv_guardian_id: Mapped[int | None]
    swv_guardian_name: Mapped[str] = mapped_column(
        sa.String(200), default="", server_default=""
    )
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    pupil: Mapped[Pupil] = relationship(back_populates="assessments")

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (sa.Index("ix_assessments_pupil_id", "pupil_id"),)


class ParentView(Base):
    """Zienswijze ouders: the parents' own view on a judgement in the file (AVG, issue 19).

    Attached to any record by ``entity`` and ``entity_id`` ("assessment", "meeting",
    "level_assignment", "opp_version", ...), so it needs no column on every table; the pupil is
    kept too, for listing a file's views in one query and deleting them with the file.
    """

    __tablename__ = "parent_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    entity: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[int]
    given_on: Mapped[date]
    guardian_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("guardians.id", ondelete="SET NULL")
    )
    guardian_name: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    recorded_by: Mapped[str] = mapped_column(sa.String(200), default="")
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_parent_views_pupil_id", "pupil_id"),
        sa.Index("ix_parent_views_entity", "entity", "entity_id"),
        sa.CheckConstraint("length(guardian_name) > 0", name="has_guardian"),
    )


class Registration(Base):
    """A written registration (aanmelding) that starts the school's zorgplicht period."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    pupil_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pupils.id", ondelete="SET NULL"))
    child_name: Mapped[str] = mapped_column(sa.String(200))
    received_on: Mapped[date]
    extended_on: Mapped[date | None]
    extension_reason: Mapped[str] = mapped_column(sa.Text, default="")
    parents_informed_on: Mapped[date | None]
    decided_on: Mapped[date | None]
    decision: Mapped[RegistrationDecision | None] = mapped_column(
        enum_column(RegistrationDecision)
    )
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff.id", ondelete="SET NULL")
    )
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    handled_by: Mapped[Staff | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        period_check("received_on", "decided_on"),
        period_check("received_on", "extended_on"),
        sa.CheckConstraint(
            "(decided_on IS NULL) = (decision IS NULL)", name="decision_has_date"
        ),
    )
