"""inzage requests: the register of parents' requests to see the file (AVG art. 15)

Revision ID: 0023
Revises: 0024
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inzage_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_on", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "length(requested_by) > 0", name=op.f("ck_inzage_requests_has_requester")
        ),
        sa.CheckConstraint(
            "due_on IS NULL OR received_on IS NULL OR due_on >= received_on",
            name=op.f("ck_inzage_requests_due_on_after_received_on"),
        ),
        sa.CheckConstraint(
            "done_on IS NULL OR received_on IS NULL OR done_on >= received_on",
            name=op.f("ck_inzage_requests_done_on_after_received_on"),
        ),
        sa.CheckConstraint(
            "extended_on IS NULL OR received_on IS NULL OR extended_on >= received_on",
            name=op.f("ck_inzage_requests_extended_on_after_received_on"),
        ),
        sa.CheckConstraint(
            "(extended_on IS NULL) = (length(extension_reason) = 0)",
            name=op.f("ck_inzage_requests_extension_has_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"],
            ["guardians.id"],
            name=op.f("fk_inzage_requests_guardian_id_guardians"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_inzage_requests_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inzage_requests")),
    )
    op.create_index("ix_inzage_requests_open", "inzage_requests", ["done_on", "due_on"])
    op.create_index("ix_inzage_requests_pupil_id", "inzage_requests", ["pupil_id"])


def downgrade() -> None:
    op.drop_index("ix_inzage_requests_pupil_id", table_name="inzage_requests")
    op.drop_index("ix_inzage_requests_open", table_name="inzage_requests")
    op.drop_table("inzage_requests")
