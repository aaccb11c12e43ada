"""Writing aids of a school: the goal bank and the text blocks (issue 21).

Both are the school's own: a starter set ships with the app (resources/goal_bank.json) and is
copied into the database once per school, after which the school edits and extends it. Texts are
Markdown, like every rich-text field.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class GoalBankEntry(Base):
    """A goal to pick from, for one development area and a range of year groups (groep 1-8)."""

    __tablename__ = "goal_bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    area: Mapped[str] = mapped_column(sa.String(80))
    grade_low: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    grade_high: Mapped[int] = mapped_column(sa.SmallInteger, default=8)
    text: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("grade_low BETWEEN 1 AND 8", name="grade_low_range"),
        sa.CheckConstraint("grade_high BETWEEN grade_low AND 8", name="grade_high_range"),
        sa.CheckConstraint("length(text) > 0", name="has_text"),
        sa.Index("ix_goal_bank_school_area", "school_id", "area"),
    )


class TextBlock(Base):
    """A standard paragraph of the school, with placeholders such as {roepnaam}."""

    __tablename__ = "text_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(120))
    #: Where the block is meant for ("OPP deel 5"); only shown, never enforced.
    used_for: Mapped[str] = mapped_column(sa.String(80), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("length(title) > 0", name="has_title"),
        sa.UniqueConstraint("school_id", "title"),
    )
