"""The school, its years, groups, staff, holidays and settings."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Region, StaffRole, TimestampMixin, enum_column, period_check

if TYPE_CHECKING:
    from .pupil import Pupil
    from .structure import SupportStructure


class School(TimestampMixin, Base):
    """One school; a samenwerkingsverband database may hold several."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    brin: Mapped[str] = mapped_column(sa.String(8), default="")
    swv_name: Mapped[str] = mapped_column(sa.String(200), default="")
    region: Mapped[Region] = mapped_column(enum_column(Region), default=Region.MIDDEN)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    support_structure_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("support_structures.id", ondelete="RESTRICT")
    )
    # Rhythms, all configurable; the defaults are those of the seed documents.
    opp_evaluations_per_year: Mapped[int] = mapped_column(default=2)
    zorgplicht_weeks: Mapped[int] = mapped_column(default=6)
    zorgplicht_extension_weeks: Mapped[int] = mapped_column(default=4)
    logo_png: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    support_structure: Mapped[SupportStructure | None] = relationship()
    groups: Mapped[list[Group]] = relationship(back_populates="school")
    staff: Mapped[list[Staff]] = relationship(back_populates="school")
    pupils: Mapped[list[Pupil]] = relationship(back_populates="school")

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        sa.CheckConstraint("opp_evaluations_per_year >= 1", name="opp_evaluated_yearly"),
        sa.CheckConstraint("zorgplicht_weeks > 0", name="zorgplicht_weeks_positive"),
    )


class SchoolYear(Base):
    """A school year, 1 August to 31 July by default, with its counting date (teldatum)."""

    __tablename__ = "school_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(9), unique=True)  # "2025-2026"
    start_date: Mapped[date] = mapped_column(unique=True)
    end_date: Mapped[date]
    counting_date: Mapped[date]

    __table_args__ = (
        sa.CheckConstraint("end_date > start_date", name="end_after_start"),
        sa.CheckConstraint(
            "counting_date >= start_date AND counting_date <= end_date", name="counting_in_year"
        ),
    )


group_teachers = sa.Table(
    "group_teachers",
    Base.metadata,
    sa.Column("group_id", sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("staff_id", sa.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
)


class Group(Base):
    """A class (groep) in one school year, e.g. "5/6" or "7A"."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    school_year_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_years.id", ondelete="RESTRICT")
    )
    name: Mapped[str] = mapped_column(sa.String(20))
    grade_low: Mapped[int] = mapped_column(sa.SmallInteger)
    grade_high: Mapped[int] = mapped_column(sa.SmallInteger)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    school: Mapped[School] = relationship(back_populates="groups")
    school_year: Mapped[SchoolYear] = relationship()
    teachers: Mapped[list[Staff]] = relationship(
        secondary=group_teachers, back_populates="groups", order_by="Staff.last_name"
    )

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        sa.UniqueConstraint("school_id", "school_year_id", "name"),
        sa.CheckConstraint("grade_low BETWEEN 1 AND 8", name="grade_low_range"),
        sa.CheckConstraint("grade_high BETWEEN grade_low AND 8", name="grade_high_range"),
    )


class Staff(Base):
    """A member of staff: IB-er, teacher, school leader, assistant."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    first_name: Mapped[str] = mapped_column(sa.String(80))
    tussenvoegsel: Mapped[str] = mapped_column(sa.String(20), default="")
    last_name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[StaffRole] = mapped_column(enum_column(StaffRole), default=StaffRole.LEERKRACHT)
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    school: Mapped[School] = relationship(back_populates="staff")
    groups: Mapped[list[Group]] = relationship(secondary=group_teachers, back_populates="teachers")

    __mapper_args__ = {"version_id_col": version}

    @property
    def full_name(self) -> str:
        """Name as written in Dutch: first name, tussenvoegsel, last name."""
        return " ".join(p for p in (self.first_name, self.tussenvoegsel, self.last_name) if p)


class Holiday(Base):
    """A school holiday of a region; shipped as data, editable by the school."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[Region] = mapped_column(enum_column(Region))
    name: Mapped[str] = mapped_column(sa.String(80))
    start_date: Mapped[date]
    end_date: Mapped[date]
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        period_check("start_date", "end_date"),
        sa.UniqueConstraint("region", "start_date"),
    )


class DevelopmentArea(Base):
    """A development area for groeidocumenten (rekenen, lezen, ...), ordered per school."""

    __tablename__ = "development_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)


class Setting(Base):
    """A key/value setting kept in the database (e.g. the last import's column mapping)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
