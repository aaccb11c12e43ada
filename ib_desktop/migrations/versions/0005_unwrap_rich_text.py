"""unwrap stored rich text

Qt's Markdown writer hard-wrapped every paragraph at 80 columns; those line breaks were stored
and leaked into the evaluation dialog, printed overviews, version diffs and the change log. This
revision joins the soft-wrapped lines of every rich-text column again. Only line ends that
Markdown reads as a space are removed, so the text means (and prints) exactly what it did;
paragraphs, lists and hard breaks stay. Timestamps and edit counters are left alone: nobody
changed these texts. There is no downgrade of the data (wrapped text would be no better).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ib_desktop.markdown_text import unwrap_markdown

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every column that a rich-text editor (``ui.rich_text.RichTextEdit``) writes.
RICH_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "opp_versions": (
        "general_notes",
        "school_career_notes",
        "assessment_notes",
        "arrangement_notes",
        "promoting_factors",
        "hindering_factors",
        "need_attention",
        "need_materials",
        "need_space",
        "need_expertise",
        "need_cooperation",
        "youth_act",
        "long_term_care_act",
        "health_insurance",
        "coordination",
        "outflow_rationale",
        "adjustments",
        "parents_view",
        "pupil_view",
        "evaluation",
    ),
    "opp_goals": ("goal", "intermediate_goals", "result"),
    "opp_conversations": ("summary",),
    "opp_consents": ("view",),
    "short_interventions": ("goal", "support_need", "execution", "evaluation"),
    "growth_goals": ("goal", "support_need", "execution", "evaluation"),
}


def upgrade() -> None:
    conn = op.get_bind()
    for table_name, column_names in RICH_TEXT_COLUMNS.items():
        table = sa.table(
            table_name, sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in column_names)
        )
        has_newline = sa.or_(*(table.c[c].contains("\n") for c in column_names))
        rows = conn.execute(
            sa.select(table.c.id, *(table.c[c] for c in column_names)).where(has_newline)
        ).all()
        for row in rows:
            changed = {}
            for name in column_names:
                value = row._mapping[name]
                if value and "\n" in value:
                    unwrapped = unwrap_markdown(value)
                    if unwrapped != value:
                        changed[name] = unwrapped
            if changed:
                conn.execute(sa.update(table).where(table.c.id == row.id).values(**changed))


def downgrade() -> None:
    """Nothing to undo: unwrapped Markdown reads the same as the wrapped text it replaced."""
