"""Migration 0005: stored rich text that Qt wrapped at 80 columns is joined again."""

from __future__ import annotations

import sqlalchemy as sa

from ib_desktop.storage import run_migrations

WRAPPED_GOAL = (
    "Sanne kan aan het eind van de periode de sommen tot twintig vlot uitrekenen, met\n"
    "en zonder tientalovergang, en legt uit hoe\nze het deed.\n\n"
    "- drie keer per week tien minuten oefenen met\n  de rekenmaatjes\n"
    "  - **vrijdag** samen terugkijken op de\n    week\n- kort"
)
UNWRAPPED_GOAL = (
    "Sanne kan aan het eind van de periode de sommen tot twintig vlot uitrekenen, met "
    "en zonder tientalovergang, en legt uit hoe ze het deed.\n\n"
    "- drie keer per week tien minuten oefenen met de rekenmaatjes\n"
    "  - **vrijdag** samen terugkijken op de week\n- kort"
)


def test_migration_unwraps_every_rich_text_column_and_nothing_else(demo_db) -> None:
    engine = demo_db.engine
    with engine.begin() as conn:
        opp_goal = conn.execute(sa.text("SELECT id FROM opp_goals ORDER BY id LIMIT 1")).scalar()
        version = conn.execute(
            sa.text("SELECT id, updated_at, version FROM opp_versions ORDER BY id LIMIT 1")
        ).one()
        growth_goal = conn.execute(
            sa.text("SELECT id FROM growth_goals ORDER BY id LIMIT 1")
        ).scalar()
        pupil = conn.execute(sa.text("SELECT id FROM pupils ORDER BY id LIMIT 1")).scalar()
        assert opp_goal
        assert growth_goal
        assert pupil
        conn.execute(
            sa.text("UPDATE opp_goals SET goal = :g WHERE id = :i"),
            {"g": WRAPPED_GOAL, "i": opp_goal},
        )
        conn.execute(
            sa.text("UPDATE opp_versions SET hindering_factors = :g WHERE id = :i"),
            {"g": WRAPPED_GOAL, "i": version.id},
        )
        conn.execute(
            sa.text("UPDATE growth_goals SET evaluation = :g WHERE id = :i"),
            {"g": WRAPPED_GOAL, "i": growth_goal},
        )
        # A plain-text column: its line breaks are the user's own and must stay.
        conn.execute(
            sa.text("UPDATE pupils SET notes = :n WHERE id = :i"),
            {"n": "regel een\nregel twee", "i": pupil},
        )
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))

    run_migrations(engine)

    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0005"
        assert conn.execute(
            sa.text("SELECT goal FROM opp_goals WHERE id = :i"), {"i": opp_goal}
        ).scalar() == UNWRAPPED_GOAL
        after = conn.execute(
            sa.text(
                "SELECT hindering_factors, updated_at, version FROM opp_versions WHERE id = :i"
            ),
            {"i": version.id},
        ).one()
        assert after.hindering_factors == UNWRAPPED_GOAL
        # Nobody edited the OPP: its timestamp and edit counter are unchanged.
        assert (after.updated_at, after.version) == (version.updated_at, version.version)
        assert conn.execute(
            sa.text("SELECT evaluation FROM growth_goals WHERE id = :i"), {"i": growth_goal}
        ).scalar() == UNWRAPPED_GOAL
        assert conn.execute(
            sa.text("SELECT notes FROM pupils WHERE id = :i"), {"i": pupil}
        ).scalar() == "regel een\nregel twee"
