"""Databases frozen at each released schema revision upgrade to the newest one, data intact.

``tests/data/schema-<revision>.sqlite`` stands for the databases schools have; each was made by
``tools/freeze_schema.py`` when that revision was released and is never made again. The JSON
beside it holds what must survive the upgrade.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import unicodedata
from pathlib import Path

import pytest

from ib_desktop.migrations import HEAD_REVISION
from tests.conftest import TODAY

DATA = Path(__file__).resolve().parents[1] / "data"
FROZEN = sorted(DATA.glob("schema-*.sqlite"))

sys.path.insert(0, str(DATA.parents[1] / "tools"))
from freeze_schema import read_facts  # noqa: E402


def test_the_newest_schema_has_a_frozen_database() -> None:
    """A released head without a frozen file would leave its upgrade untested: freeze it."""
    assert (DATA / f"schema-{HEAD_REVISION}.sqlite").exists(), (
        "run `python tools/freeze_schema.py` for the new head revision"
    )


@pytest.mark.parametrize("frozen", FROZEN, ids=[p.stem for p in FROZEN])
def test_frozen_database_upgrades_with_its_data(frozen: Path, tmp_path: Path) -> None:
    from ib_desktop.database import open_database
    from ib_desktop.services.pupil.listing import load_pupil_list
    from ib_desktop.services.school import get_school

    expected = json.loads(frozen.with_suffix(".json").read_text(encoding="utf-8"))
    target = tmp_path / "school.sqlite"
    shutil.copyfile(frozen, target)

    database = open_database(target)
    try:
        with database.session() as s:
            school = get_school(s)
            listed = load_pupil_list(s, school.id, today=TODAY).rows
        assert 0 < len(listed) <= expected["pupils"]  # the app reads the upgraded file
    finally:
        database.dispose()

    with sqlite3.connect(target) as conn:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        texts = [row[0] for row in conn.execute("SELECT goal FROM short_interventions")]
    assert revision == HEAD_REVISION
    facts = read_facts(target)
    for key in ("pupils", "opp_versions", "level_assignments", "guardians", "growth_goals",
                "short_interventions"):
        assert facts[key] == expected[key], key
    assert facts["change_log"] >= expected["change_log"]

    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text)

    assert nfc(facts["first_names"]) == nfc(expected["first_names"])
    # Text may be re-wrapped by a migration, never lost: compare its words.
    untidy = " ".join(expected["untidy_text"].split())
    assert any(" ".join(t.split()) == untidy for t in texts)
    if expected["revision"] != HEAD_REVISION:
        backups = list(tmp_path.rglob("*voor-upgrade*"))
        assert backups, "an upgrade must leave a backup of the old file"
