"""The PostgreSQL fixture gives a private, migrated-on-demand database with password login."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url


def test_pg_url_is_an_empty_database_of_its_own(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        tables = conn.execute(
            sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar_one()
        name = conn.execute(sa.text("SELECT current_database()")).scalar_one()
    engine.dispose()
    assert tables == 0
    assert name == make_url(pg_url).database


def test_wrong_password_is_refused(pg_url: str) -> None:
    wrong = make_url(pg_url).set(password="niet-het-wachtwoord")
    engine = sa.create_engine(wrong)
    with pytest.raises(sa.exc.OperationalError, match="password authentication failed"):
        engine.connect()
    engine.dispose()


def test_migrations_run_on_postgresql(pg_url: str) -> None:
    from ib_desktop.storage import open_database

    database = open_database(pg_url)
    try:
        with database.session() as s:
            names = set(sa.inspect(s.get_bind()).get_table_names())
    finally:
        database.dispose()
    assert {"pupils", "opps", "alembic_version"} <= names
