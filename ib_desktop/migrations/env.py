"""Alembic environment: runs on the connection the app hands over (batch mode for SQLite)."""

from __future__ import annotations

from alembic import context

from ib_desktop.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run against ``config.attributes['connection']`` or a URL from the config."""
    connection = config.attributes.get("connection")
    if connection is None:
        from ib_desktop.storage import create_engine

        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("No database: give a connection or sqlalchemy.url to Alembic")
        engine = create_engine(url)
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - the app never runs offline migrations
    raise SystemExit("IB Desktop runs its migrations online only.")
run_migrations_online()
