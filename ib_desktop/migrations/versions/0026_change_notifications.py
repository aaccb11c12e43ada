"""change notifications: on PostgreSQL every save of pupil data sends a NOTIFY

Open lists on other laptops refresh when someone saves (LISTEN in the app). The payload is small
and carries no personal data: the table and the pupil's id, as ``table:id``. On SQLite (one
laptop, one app) there is nobody to tell: nothing happens.

Revision ID: 0026
Revises: 0023
Create Date: 2026-12-07 15:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The channel the app listens on (``ib_desktop.storage.listening.CHANNEL`` says the same).
CHANNEL = "ib_desktop_changes"

#: Per table: the column with the pupil's id, and for a child without one the parent table
#: whose ``pupil_id`` that column points at.
TABLES: dict[str, tuple[str, str]] = {
    "pupils": ("id", ""),
    "assessments": ("pupil_id", ""),
    "care_providers": ("pupil_id", ""),
    "evaluation_moments": ("pupil_id", ""),
    "group_memberships": ("pupil_id", ""),
    "growth_documents": ("pupil_id", ""),
    "guardians": ("pupil_id", ""),
    "level_assignments": ("pupil_id", ""),
    "meeting_pupils": ("pupil_id", ""),
    "opps": ("pupil_id", ""),
    "parent_views": ("pupil_id", ""),
    "inzage_requests": ("pupil_id", ""),
    "registrations": ("pupil_id", ""),
    "school_history": ("pupil_id", ""),
    "short_interventions": ("pupil_id", ""),
    "growth_periods": ("document_id", "growth_documents"),
    "opp_versions": ("opp_id", "opps"),
}

FUNCTION = f"""
CREATE OR REPLACE FUNCTION ib_notify_pupil_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    row_data jsonb;
    ref text;
    pupil text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_data := to_jsonb(OLD);
    ELSE
        row_data := to_jsonb(NEW);
    END IF;
    ref := row_data ->> TG_ARGV[0];
    IF TG_ARGV[1] <> '' AND ref IS NOT NULL THEN
        EXECUTE format('SELECT pupil_id::text FROM %I WHERE id = $1', TG_ARGV[1])
            INTO pupil USING ref::integer;
    ELSE
        pupil := ref;
    END IF;
    PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME || ':' || coalesce(pupil, ''));
    RETURN NULL;
END
$$
"""


def _trigger(table: str) -> str:
    return f"ib_notify_{table}"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table, (column, parent) in TABLES.items():
        op.execute(
            f"CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION ib_notify_pupil_change('{column}', '{parent}')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS ib_notify_pupil_change()")
