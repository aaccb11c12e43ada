"""meetings: the agenda per pupil (reason, minutes, decision) and tasks decided at a meeting

Revision ID: 0025
Revises: 0021
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _new_columns() -> list[sa.Column]:
    return [
        sa.Column("reason", sa.String(length=200), server_default="", nullable=False),
        sa.Column("minutes", sa.Text(), server_default="", nullable=False),
        sa.Column("decision", sa.Text(), server_default="", nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("meeting_pupils", schema=None, recreate="never") as batch_op:
        for column in _new_columns():
            batch_op.add_column(column)
    op.create_table(
        "meeting_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_tasks_meeting_id_meetings"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_meeting_tasks_pupil_id_pupils"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_tasks")),
    )
    op.create_index("ix_meeting_tasks_meeting_id", "meeting_tasks", ["meeting_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # The new table gets its grants, row filter and change-log trigger (see 0021).
        from ib_desktop.storage import pg_policies

        pg_policies.apply(bind)


def downgrade() -> None:
    op.drop_index("ix_meeting_tasks_meeting_id", table_name="meeting_tasks")
    op.drop_table("meeting_tasks")
    with op.batch_alter_table("meeting_pupils", schema=None, recreate="never") as batch_op:
        for column in reversed(_new_columns()):
            batch_op.drop_column(column.name)
