"""PostgreSQL: group roles, grants, row-level security and change-log triggers (issue 18)

The rules live in ``ib_desktop.storage.pg_policies`` (one readable table); this revision applies
them.
Nothing happens on SQLite: there the services check the roles (``ib_desktop.permissions``).

Revision ID: 0021
Revises: 0026
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from ib_desktop.storage import pg_policies

    pg_policies.apply(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from ib_desktop.storage import pg_policies

    pg_policies.remove(bind)
