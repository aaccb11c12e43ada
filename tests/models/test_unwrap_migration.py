"""Migration 0005: stored rich text that Qt wrapped at 80 columns is joined again."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop.storage import open_database, run_migrations
from tests.conftest import TODAY

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


def revision_before_0005() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from ib_desktop.storage import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_revision("0005").down_revision


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_school(request: pytest.FixtureRequest, tmp_path: Path):
    """A small demo school on a SQLite file and on a fresh PostgreSQL database."""
    from ib_desktop.demo import generate

    url = str(tmp_path / "demo.sqlite")
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    database = open_database(url)
    generate(database, pupils=40, seed=7, today=TODAY)
    yield database
    database.dispose()


def test_migration_unwraps_every_rich_text_column_and_nothing_else(demo_school) -> None:
    engine = demo_school.engine
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
        # Back to the revision before 0005, as a database made before this release.
        conn.execute(
            sa.text("UPDATE alembic_version SET version_num = :v"), {"v": revision_before_0005()}
        )

    run_migrations(engine, "0005")  # only this step: the schema is otherwise already newer

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
