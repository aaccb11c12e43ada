"""restricted reports: vertrouwelijk notes, release to the SWV, the view log, zienswijze ouders

Issue 19. Meetings and care providers get a ``confidential`` flag (their notes are then read by
ib and directie only, as sensitive assessments are); assessments get the release to the
samenwerkingsverband (date, who released it, the guardian who gave permission); two new tables:
``view_log`` (who opened, printed or exported a pupil's file) and ``parent_views`` (the parents'
own view on a record).

As in 0010 no existing table is copied: every new column has a plain server default (or is
nullable without a reference), so SQLite's own ``ALTER TABLE ADD COLUMN`` does the upgrade and
``recreate="never"`` the downgrade.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-07 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def _new_columns() -> dict[str, list[sa.Column]]:
    """The columns added to existing tables (fresh objects: a Column joins one table only)."""
    return {
        "meetings": [
            sa.Column("confidential", sa.Boolean(), server_default=sa.false(), nullable=False)
        ],
        "care_providers": [
            sa.Column("confidential", sa.Boolean(), server_default=sa.false(), nullable=False)
        ],
        "assessments": [
            sa.Column("swv_released_on", sa.Date(), nullable=True),
            sa.Column("swv_released_by", sa.String(length=200), server_default="", nullable=False),
            sa.Column("swv_guardian_id", sa.Integer(), nullable=True),
            sa.Column(
                "swv_guardian_name", sa.String(length=200), server_default="", nullable=False
            ),
        ],
    }


def upgrade() -> None:
    for table, columns in _new_columns().items():
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            for column in columns:
                batch_op.add_column(column)
    op.create_table(
        "view_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("what", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "action IN ('geopend', 'afgedrukt', 'geexporteerd')",
            name=op.f("ck_view_log_known_action"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_view_log_pupil_id_pupils"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_view_log")),
    )
    op.create_index("ix_view_log_pupil_at", "view_log", ["pupil_id", "at"], unique=False)
    op.create_table(
        "parent_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=True),
        sa.Column("guardian_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "length(guardian_name) > 0", name=op.f("ck_parent_views_has_guardian")
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["guardians.id"], name=op.f("fk_parent_views_guardian_id_guardians"),
            ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_parent_views_pupil_id_pupils"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parent_views")),
    )
    op.create_index("ix_parent_views_entity", "parent_views", ["entity", "entity_id"])
    op.create_index("ix_parent_views_pupil_id", "parent_views", ["pupil_id"])


def downgrade() -> None:
    op.drop_index("ix_parent_views_pupil_id", table_name="parent_views")
    op.drop_index("ix_parent_views_entity", table_name="parent_views")
    op.drop_table("parent_views")
    op.drop_index("ix_view_log_pupil_at", table_name="view_log")
    op.drop_table("view_log")
    for table, columns in reversed(_new_columns().items()):
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column.name)
