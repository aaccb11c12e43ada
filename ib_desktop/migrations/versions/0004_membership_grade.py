"""the pupil's jaargroep per school year (for combination groups such as 1/2)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 12:00:00

A pupil in a combination group is in one of its grades; the move to a new school year needs to
know which one. The column is nullable: older memberships and imports leave it empty, and the
move then estimates the grade from the pupil's age (the user checks it in the preview).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("group_memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grade", sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(
            "grade_range", "grade IS NULL OR grade BETWEEN 1 AND 8"
        )


def downgrade() -> None:
    with op.batch_alter_table("group_memberships", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_group_memberships_grade_range"), type_="check")
        batch_op.drop_column("grade")
