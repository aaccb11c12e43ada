"""Freeze a database at the current schema revision, for the upgrade tests.

    python tools/freeze_schema.py            # writes tests/data/schema-<head>.sqlite and .json

Run it once per release (each Alembic head that reaches users): the file is a small demo school
(seed 7, 60 pupils) plus a pupil with untidy data (Turkish and NFD letters, emoji, nested
lists), and the JSON beside it records what the upgrade test must find again after migrating the
file to the newest schema. Never regenerate an existing file: it stands for databases in the
field.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data"
TODAY = date(2026, 11, 18)
UNTIDY_NAME = unicodedata.normalize("NFD", "Çağla Yılmaz-Ünal")
UNTIDY_TEXT = (
    "Sterke punten 😀:\n\n- lezen\n  - technisch lezen, AVI E5\n    - tempo nog laag\n"
    "- **rekenen** met *tafels*\n\nOuders: «samen verder»."
)

#: Facts read with plain SQL, so they mean the same at every schema revision.
FACT_QUERIES = {
    "pupils": "SELECT count(*) FROM pupils",
    "opp_versions": "SELECT count(*) FROM opp_versions",
    "level_assignments": "SELECT count(*) FROM level_assignments",
    "guardians": "SELECT count(*) FROM guardians",
    "growth_goals": "SELECT count(*) FROM growth_goals",
    "short_interventions": "SELECT count(*) FROM short_interventions",
    "change_log": "SELECT count(*) FROM change_log",
    "first_names": "SELECT group_concat(first_name, '|') FROM "
                   "(SELECT first_name FROM pupils ORDER BY id)",
}


def read_facts(path: Path) -> dict[str, object]:
    """The facts of a database file (plain sqlite3, no app code in between)."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        return {key: conn.execute(sql).fetchone()[0] for key, sql in FACT_QUERIES.items()}


def main() -> int:
    from ib_desktop.demo import generate
    from ib_desktop.migrations import HEAD_REVISION
    from ib_desktop.storage import backup_sqlite, open_database

    target = DATA / f"schema-{HEAD_REVISION}.sqlite"
    if target.exists():
        print(f"{target} exists already: a frozen database is never made again", file=sys.stderr)
        return 1
    DATA.mkdir(parents=True, exist_ok=True)
    work = DATA / f".work-{HEAD_REVISION}.sqlite"
    work.unlink(missing_ok=True)
    database = open_database(work)
    generate(database, pupils=60, seed=7, today=TODAY)
    with database.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE pupils SET first_name = ? WHERE id = (SELECT min(id) FROM pupils)",
            (UNTIDY_NAME,),
        )
        conn.exec_driver_sql(
            "UPDATE short_interventions SET goal = ? WHERE id = (SELECT min(id) FROM "
            "short_interventions)", (UNTIDY_TEXT,),
        )
    database.dispose()
    backup_sqlite(work, target)  # one clean file, no WAL beside it
    for leftover in DATA.glob(f".work-{HEAD_REVISION}.sqlite*"):
        leftover.unlink()
    facts = read_facts(target)
    facts["revision"] = HEAD_REVISION
    facts["untidy_text"] = UNTIDY_TEXT
    (DATA / f"schema-{HEAD_REVISION}.json").write_text(
        json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"frozen: {target} ({target.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
