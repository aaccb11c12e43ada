"""Backups past the longest retention term: the app's own rotate out, manual ones are listed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from ib_desktop import backup as bk
from ib_desktop import backup_retention as br
from ib_desktop.cli import main
from tests.conftest import TODAY

NOON = datetime.combine(TODAY, datetime.min.time()).replace(hour=12)


@pytest.fixture
def school(demo_db) -> Path:
    demo_db.dispose()
    return demo_db.path


def _backups(school: Path, noon: datetime = NOON) -> dict[str, Path]:
    """Backups of several ages and kinds (before ``noon``), in the default backup folder."""
    made = {}
    for key, reason, years_ago in (
        ("old_auto", bk.AUTO, 4),
        ("old_safety", bk.BEFORE_RESTORE, 3),
        ("old_manual", bk.MANUAL, 5),
        ("recent_auto", bk.AUTO, 2),
        ("recent_manual", bk.MANUAL, 1),
    ):
        when = noon - relativedelta(years=years_ago, days=1)
        made[key] = bk.make_backup(school, reason=reason, now=when, rotation=False).path
    return made


def test_only_the_apps_own_backups_past_the_term_rotate_out(school: Path) -> None:
    made = _backups(school)
    folder = bk.backup_folder()
    old = br.expired_backups(folder, school.stem, years=3, today=TODAY)
    assert {b.path for b in old.own} == {made["old_auto"], made["old_safety"]}
    assert [b.path for b in old.manual] == [made["old_manual"]]
    removed = br.rotate_expired(folder, school.stem, years=3, today=TODAY)
    assert set(removed) == {made["old_auto"], made["old_safety"]}
    left = {b.path for b in bk.list_backups(folder, stem=school.stem, counts=False)}
    assert left == {made["old_manual"], made["recent_auto"], made["recent_manual"]}
    # A longer term keeps more.
    assert br.expired_backups(folder, school.stem, years=6, today=TODAY).total == 0


def test_retention_command_lists_manual_backups_and_rotates_with_apply(
    school: Path, capsys
) -> None:
    made = _backups(school, datetime.now().replace(hour=12, minute=0, second=0, microsecond=0))
    assert main(["retention", "--database", str(school)]) == 0
    out = capsys.readouterr().out
    assert "Back-ups van het programma ouder dan 3 jaar: 2" in out
    assert str(made["old_manual"]) in out
    assert made["old_auto"].exists()  # listing changes nothing
    assert main(["retention", "--apply", "--yes", "--database", str(school)]) == 0
    assert "Oude back-ups verwijderd: 2" in capsys.readouterr().out
    assert not made["old_auto"].exists()
    assert not made["old_safety"].exists()
    assert made["old_manual"].exists()
    assert made["recent_auto"].exists()
