"""The migrations produce exactly the models' schema, and the app knows its head revision."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import ib_desktop.migrations as migrations
from ib_desktop.database import open_database
from ib_desktop.models import Base
from ib_desktop.storage import create_engine, run_migrations


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


# ---------------------------------------------------------------------------- 0003: record versions

VERSIONED_0003 = (
    "guardians",
    "care_providers",
    "school_history",
    "assessments",
    "meetings",
    "opp_goals",
    "growth_goals",
)


def _downgrade(engine: sa.Engine, revision: str) -> None:
    from alembic import command

    from ib_desktop.storage import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _columns(engine: sa.Engine, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns(table)}


def test_upgrading_a_0001_database_gives_existing_records_a_version(
    demo_template: Path, tmp_path: Path
) -> None:
    """A school's file from before 0003 keeps every row, and each row starts at version 1."""
    import shutil

    from ib_desktop.database import open_database
    from ib_desktop.services import pupil as pf
    from ib_desktop.storage import file_revision

    path = tmp_path / "school.sqlite"
    shutil.copyfile(demo_template, path)
    engine = create_engine(f"sqlite:///{path}")
    _downgrade(engine, "0001")
    with engine.connect() as conn:
        counts = {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in VERSIONED_0003
        }
    for table in VERSIONED_0003:
        assert "version" not in _columns(engine, table)
    engine.dispose()
    assert file_revision(path) == "0001"
    assert all(counts.values()), counts  # the demo school has rows of every kind

    db = open_database(path, backup_dir=tmp_path / "backups")  # backs up, then upgrades
    try:
        assert file_revision(path) == migrations.HEAD_REVISION
        with db.engine.connect() as conn:
            for table in VERSIONED_0003:
                assert "version" in _columns(db.engine, table)
                versions = conn.execute(sa.text(f"SELECT version FROM {table}")).scalars().all()
                assert len(versions) == counts[table]
                assert set(versions) == {1}, table
            gid, pid = conn.execute(sa.text("SELECT id, pupil_id FROM guardians LIMIT 1")).one()
        # The locking works on the upgraded rows: a save moves the version on.
        with db.session() as s:
            data = pf.load_guardian(s, pid, gid)
            assert data.version == 1
            data.phone = "06-12345678"
            pf.save_guardian(s, pid, data)
        with db.session() as s:
            assert pf.load_guardian(s, pid, gid).version == 2
    finally:
        db.dispose()


def test_migration_0003_on_postgresql(pg_url: str) -> None:
    """The same upgrade on PostgreSQL: rows written under 0001 get version 1."""
    from ib_desktop.database import open_database
    from ib_desktop.services import pupil as pf
    from ib_desktop.services.school import create_school
    from tests.conftest import TODAY

    db = open_database(pg_url)
    try:
        with db.session() as s:
            school = create_school(s, "De Test", brin="99ZZ", swv_name="SWV", today=TODAY)
            pupil = pf.create_pupil(
                s,
                school.id,
                pf.PupilData(first_name="Zoë", last_name="Dijk", birth_date=date(2017, 5, 1)),
                today=TODAY,
            )
            pf.save_guardian(s, pupil.id, pf.GuardianData(name="Fatma Yılmaz"))
        _downgrade(db.engine, "0001")
        assert "version" not in _columns(db.engine, "guardians")
        run_migrations(db.engine)
        for table in VERSIONED_0003:
            assert "version" in _columns(db.engine, table)
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version FROM guardians")).scalars().all() == [1]
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        db.dispose()


# ---------------------------------------------------------------------------- 0010: more versions

VERSIONED_0010 = (
    "registrations",
    "staff",
    "groups",
    "schools",
    "support_structures",
    "support_levels",
    "development_areas",
)


def _facts(path: Path) -> dict[str, int]:
    """Rows per table, and per foreign key column the rows that point somewhere."""
    import sqlite3

    facts: dict[str, int] = {}
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.startswith(("sqlite_", "alembic_")):
                continue
            facts[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
                column = fk[3]
                facts[f"{table}.{column}"] = conn.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL'
                ).fetchone()[0]
    return facts


def test_upgrading_the_frozen_0001_file_keeps_every_row_and_every_link(tmp_path: Path) -> None:
    """No migration may copy a table on SQLite: dropping the old one cascades to its children.

    0003 recreated ``meetings``, and the DROP emptied ``meeting_participants`` and
    ``meeting_pupils`` and unlinked every consent from its guardian.
    """
    import shutil

    frozen = Path(__file__).parents[1] / "data" / "schema-0001.sqlite"
    path = tmp_path / "school.sqlite"
    shutil.copyfile(frozen, path)
    before = _facts(path)
    assert before["meeting_participants"]
    assert before["opp_consents.guardian_id"]
    open_database(path, backup_dir=tmp_path / "backups").dispose()
    after = _facts(path)
    assert {k: after.get(k) for k in before} == before


def test_a_migration_that_rebuilds_a_table_keeps_the_links_to_it(
    demo_template: Path, tmp_path: Path, monkeypatch
) -> None:
    """The defence in depth behind the test above: a future migration that does copy a table
    (batch mode's usual way on SQLite) runs with foreign keys off, so nothing cascades."""
    import shutil
    import textwrap

    from ib_desktop import storage

    path = tmp_path / "school.sqlite"
    shutil.copyfile(demo_template, path)
    scripts = tmp_path / "migraties"
    shutil.copytree(storage.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_rebuild.py").write_text(textwrap.dedent(f"""
        import sqlalchemy as sa
        from alembic import op

        revision = "9999"
        down_revision = "{storage.HEAD_REVISION}"
        branch_labels = None
        depends_on = None

        def upgrade():
            for table in ("meetings", "guardians", "staff"):
                with op.batch_alter_table(table, recreate="always") as batch:
                    batch.add_column(sa.Column("extra", sa.Integer, server_default=sa.text("1")))

        def downgrade():
            pass
        """))
    monkeypatch.setattr(storage.opening, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(storage.opening, "HEAD_REVISION", "9999")
    monkeypatch.setattr(storage.opening, "KNOWN_REVISIONS", storage.KNOWN_REVISIONS | {"9999"})
    before = _facts(path)
    assert before["meeting_participants"]
    assert before["opp_consents.guardian_id"]
    engine = create_engine(f"sqlite:///{path}")
    run_migrations(engine)
    engine.dispose()
    after = _facts(path)
    assert {k: after.get(k) for k in before} == before


def test_upgrading_a_0004_database_gives_existing_records_a_version(
    demo_template: Path, tmp_path: Path
) -> None:
    """A school's file at 0004 keeps every row and link; each row of 0010's tables is at 1."""
    import shutil

    from ib_desktop.services import staff as staff_service
    from ib_desktop.storage import file_revision

    path = tmp_path / "school.sqlite"
    shutil.copyfile(demo_template, path)
    engine = create_engine(f"sqlite:///{path}")
    _downgrade(engine, "0004")
    for table in VERSIONED_0010:
        assert "version" not in _columns(engine, table)
    engine.dispose()
    assert file_revision(path) == "0004"
    before = _facts(path)
    assert all(before[t] for t in VERSIONED_0010 if t != "registrations"), before

    db = open_database(path, backup_dir=tmp_path / "backups")
    try:
        assert file_revision(path) == migrations.HEAD_REVISION
        with db.engine.connect() as conn:
            for table in VERSIONED_0010:
                versions = conn.execute(sa.text(f"SELECT version FROM {table}")).scalars().all()
                assert len(versions) == before[table]
                assert set(versions) <= {1}, table
            school_id, staff_id = conn.execute(
                sa.text("SELECT school_id, id FROM staff ORDER BY id LIMIT 1")
            ).one()
        after = _facts(path)
        assert {k: after.get(k) for k in before} == before  # nothing lost or unlinked
        # The locking works on the upgraded rows: a save moves the version on.
        with db.session() as s:
            row = staff_service.staff_row(s, staff_id)
            assert row is not None
            assert row.version == 1
            data = staff_service.StaffData(name=row.name, role=row.role, active=False, version=1)
            saved = staff_service.save_staff(s, school_id, data, staff_id=staff_id)
        assert saved.version == 2
    finally:
        db.dispose()


def test_migration_0010_on_postgresql(pg_url: str) -> None:
    """The same upgrade on PostgreSQL: rows written under 0004 get version 1."""
    from ib_desktop.services.school import create_school
    from tests.conftest import TODAY

    db = open_database(pg_url)
    try:
        with db.session() as s:
            create_school(s, "De Test", brin="99ZZ", swv_name="SWV", today=TODAY)
        _downgrade(db.engine, "0004")
        assert "version" not in _columns(db.engine, "schools")
        run_migrations(db.engine)
        for table in VERSIONED_0010:
            assert "version" in _columns(db.engine, table)
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version FROM schools")).scalars().all() == [1]
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        db.dispose()
