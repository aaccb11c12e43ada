"""The models and the migrations describe the same schema, down to the rules the database keeps.

Alembic's own comparison (tests/models/test_migrations.py) looks at tables, columns, types,
indexes and foreign keys, but not at CHECK rules, ``ON DELETE`` actions or server defaults, and
those are written twice: once in the models, once in the migrations. Here both schemas are built
on the same engine (one from ``Base.metadata.create_all``, one by running the migrations), read
back with SQLAlchemy's inspector, and compared fact by fact, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ib_desktop.models import Base
from ib_desktop.storage import create_engine, run_migrations

#: Where the PostgreSQL test builds the models' schema, beside the migrated one in "public".
MODELS_SCHEMA = "models"


def _norm(text: Any) -> str:
    """SQL text without the quoting, spacing and brackets that differ between two writers."""
    text = re.sub(r"[\s()\"'`]", "", str(text or "")).lower()
    return text.replace(f"{MODELS_SCHEMA}.", "")


def schema_facts(inspector: sa.Inspector, schema: str | None = None) -> dict[str, Any]:
    """Every rule of every model table as the database reports it."""
    facts: dict[str, Any] = {}
    for table in sorted(Base.metadata.tables):
        facts[table] = {
            "columns": sorted(
                (c["name"], _norm(c["type"]), c["nullable"], _norm(c.get("default")))
                for c in inspector.get_columns(table, schema=schema)
            ),
            "checks": sorted(
                (c["name"], _norm(c["sqltext"]))
                for c in inspector.get_check_constraints(table, schema=schema)
            ),
            "foreign_keys": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    _norm((fk.get("options") or {}).get("ondelete")),
                )
                for fk in inspector.get_foreign_keys(table, schema=schema)
            ),
            "uniques": sorted(
                tuple(u["column_names"])
                for u in inspector.get_unique_constraints(table, schema=schema)
            ),
            "indexes": sorted(
                (i["name"], tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table, schema=schema)
            ),
        }
    return facts


def differences(models: dict[str, Any], migrated: dict[str, Any]) -> list[str]:
    """One line per rule that only one of the two schemas has."""
    lines = []
    for table in sorted(models):
        for kind, wanted in models[table].items():
            have = migrated.get(table, {}).get(kind, [])
            lines += [f"{table} {kind}: only in the models: {x}" for x in wanted if x not in have]
            lines += [
                f"{table} {kind}: only in the migrations: {x}" for x in have if x not in wanted
            ]
    return lines


def _sqlite_facts(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    from_models = sa.create_engine(f"sqlite:///{tmp_path / 'models.sqlite'}")
    Base.metadata.create_all(from_models)
    migrated = create_engine(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    run_migrations(migrated)
    try:
        return schema_facts(sa.inspect(from_models)), schema_facts(sa.inspect(migrated))
    finally:
        from_models.dispose()
        migrated.dispose()


def test_models_and_migrations_agree_on_sqlite(tmp_path: Path) -> None:
    models, migrated = _sqlite_facts(tmp_path)
    assert sum(len(t["checks"]) for t in models.values()) > 20  # the rules are really read
    assert differences(models, migrated) == []


def test_models_and_migrations_agree_on_postgresql(pg_url: str) -> None:
    engine = create_engine(pg_url)
    try:
        run_migrations(engine)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {MODELS_SCHEMA}"))
            Base.metadata.create_all(
                conn.execution_options(schema_translate_map={None: MODELS_SCHEMA})
            )
        inspector = sa.inspect(engine)
        models, migrated = schema_facts(inspector, MODELS_SCHEMA), schema_facts(inspector)
    finally:
        engine.dispose()
    assert sum(len(t["checks"]) for t in models.values()) > 20
    assert differences(models, migrated) == []


def test_a_check_written_differently_is_noticed(tmp_path: Path) -> None:
    """The comparison can fail: a CHECK rule that differs in one place shows up."""
    models, migrated = _sqlite_facts(tmp_path)
    table = next(t for t, f in models.items() if f["checks"])
    name, text = models[table]["checks"][0]
    models[table]["checks"][0] = (name, text.replace("<", "<=", 1) + "or1=1")
    found = differences(models, migrated)
    assert any(f"{table} checks" in line for line in found)


@pytest.mark.parametrize("kind", ["foreign_keys", "columns"])
def test_a_changed_delete_rule_or_default_is_noticed(tmp_path: Path, kind: str) -> None:
    models, migrated = _sqlite_facts(tmp_path)
    table = next(t for t, f in models.items() if f[kind])
    entry = list(models[table][kind][0])
    entry[-1] = "cascade" if entry[-1] != "cascade" else "restrict"
    models[table][kind][0] = tuple(entry)
    assert any(f"{table} {kind}" in line for line in differences(models, migrated))
