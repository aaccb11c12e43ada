"""accounts: who logs in, with which role, as which member of staff

Revision ID: 0020
Revises: 0011
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "leerkracht", "ib", "directie", "beheer",
                name="accountrole", native_enum=False, create_constraint=True, length=24,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("length(login) > 0", name=op.f("ck_accounts_has_login")),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_accounts_staff_id_staff"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("login", name=op.f("uq_accounts_login")),
    )
    op.create_index("ix_accounts_staff_id", "accounts", ["staff_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_accounts_staff_id", table_name="accounts")
    op.drop_table("accounts")
