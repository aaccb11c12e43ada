"""The migrations produce exactly the models' schema, and the app knows its head revision."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import ib_desktop.migrations as migrations
from ib_desktop.models import Base
from ib_desktop.storage import create_engine, open_database, run_migrations


def script_directory() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    return ScriptDirectory.from_config(cfg)


def test_head_constant_matches_scripts() -> None:
    scripts = script_directory()
    assert scripts.get_current_head() == migrations.HEAD_REVISION
    assert {s.revision for s in scripts.walk_revisions()} == set(migrations.KNOWN_REVISIONS)


def test_migrations_produce_the_models_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    run_migrations(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    tables = set(sa.inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_a_changed_model_is_noticed(tmp_path: Path) -> None:
    """The comparison above can fail: a column the migrations lack shows up as a difference."""
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    run_migrations(engine)
    md = sa.MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(md)
    md.tables["pupils"].append_column(sa.Column("shoe_size", sa.Integer))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), md)
    assert any(d[0] == "add_column" and d[3].name == "shoe_size" for d in diff)


def test_open_creates_schema_at_head(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite")
    with db.engine.connect() as conn:
        rev = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert rev == migrations.HEAD_REVISION
    db.dispose()


def test_sqlite_settings_are_on(db) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
