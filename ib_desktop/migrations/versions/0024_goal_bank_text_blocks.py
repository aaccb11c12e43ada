"""goal bank and text blocks: the school's goals to pick from and its standard paragraphs

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-07 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goal_bank",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=80), nullable=False),
        sa.Column("grade_low", sa.SmallInteger(), nullable=False),
        sa.Column("grade_high", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "grade_low BETWEEN 1 AND 8", name=op.f("ck_goal_bank_grade_low_range")
        ),
        sa.CheckConstraint(
            "grade_high BETWEEN grade_low AND 8", name=op.f("ck_goal_bank_grade_high_range")
        ),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_goal_bank_has_text")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_goal_bank_school_id_schools"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_bank")),
    )
    op.create_index("ix_goal_bank_school_area", "goal_bank", ["school_id", "area"], unique=False)
    op.create_table(
        "text_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("used_for", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_text_blocks_has_title")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_text_blocks_school_id_schools"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_blocks")),
        sa.UniqueConstraint("school_id", "title", name=op.f("uq_text_blocks_school_id_title")),
    )


def downgrade() -> None:
    op.drop_table("text_blocks")
    op.drop_index("ix_goal_bank_school_area", table_name="goal_bank")
    op.drop_table("goal_bank")
