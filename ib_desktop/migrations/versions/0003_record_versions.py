"""record versions: optimistic locking for every record the pupil file and the evaluations edit

Guardians, care providers, school career steps, assessments and meetings were saved without a
version check, so two people saving the same record both "succeeded" and one change was lost.
OPP goals and groeidocument goals get their own version so that evaluating one goal does not
make the evaluation of the next goal of the same document look like a conflict.

Existing rows start at version 1, the value a new row gets.

No table is copied: a batch that recreates ``meetings`` on SQLite drops the old table while
foreign keys are on, and that DROP deleted every meeting's participants and pupils (CASCADE)
and unlinked consents and level decisions (SET NULL). A plain string server default lets
SQLite's ``ALTER TABLE ADD COLUMN`` do it; the downgrade is an ``ALTER TABLE DROP COLUMN``.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables that get a ``version`` column (``pupils`` and the documents already have one).
VERSIONED_TABLES = (
    "guardians",
    "care_providers",
    "school_history",
    "assessments",
    "meetings",
    "opp_goals",
    "growth_goals",
)


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column("version")
