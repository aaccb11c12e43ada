"""holiday versions: optimistic locking for the school's holidays and days off

Two people changing the same holiday both "succeeded" and one change was lost. Existing rows
start at version 1, the value a new row gets.

As in 0010, no table is copied: a plain string server default lets SQLite's own ``ALTER TABLE
ADD COLUMN`` do the upgrade, and ``recreate="never"`` makes the downgrade an ``ALTER TABLE DROP
COLUMN`` (SQLite 3.35 and later).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("holidays", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("holidays", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("version")
