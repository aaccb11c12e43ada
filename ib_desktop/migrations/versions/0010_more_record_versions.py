"""more record versions: optimistic locking for staff, groups, registrations and school settings

0003 gave the records of a pupil's file a version. Staff, groups, zorgplicht registrations, the
school's own settings, its support staircase (and each level) and its development areas were
still saved without a version check, so two people saving the same one both "succeeded" and
one change was lost.

Existing rows start at version 1, the value a new row gets.

No table is copied: on SQLite a batch that recreates a table drops the old one while foreign
keys are on, and that DROP deletes (CASCADE), empties (SET NULL) or refuses (RESTRICT) the rows
of other tables that point at it: pupils would lose their group, a dropped ``schools`` would
take everything with it. A plain string server default lets SQLite's own ``ALTER TABLE ADD
COLUMN`` do the upgrade, and ``recreate="never"`` makes the downgrade an ``ALTER TABLE DROP
COLUMN`` (SQLite 3.35 and later).

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables that get a ``version`` column.
VERSIONED_TABLES = (
    "registrations",
    "staff",
    "groups",
    "schools",
    "support_structures",
    "support_levels",
    "development_areas",
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
