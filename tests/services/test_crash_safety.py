"""A process killed in the middle of work loses no saved document and leaves no half one.

The writer saves groeidocumenten (each with its periods and goals, a korte interventie and an edit
of the pupil, all in one unit of work) in a loop and prints the id of every save that returned.
The test kills it with SIGKILL at a random moment, many times over on the same database, and then
checks what a user would check: the file is sound, every document whose save returned is there,
and no document is there only in part.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop.models import GrowthDocument, GrowthGoal, GrowthPeriod, ShortIntervention
from ib_desktop.storage import file_integrity_problems, open_database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

AREAS = 7
PERIODS = 3
ROUNDS = 14

WRITER = textwrap.dedent(
    f"""
    import sys
    from datetime import date
    from ib_desktop.models import GrowthDocument, GrowthGoal, GrowthPeriod, Pupil, ShortIntervention
    from ib_desktop.storage import open_database

    db = open_database(sys.argv[1])
    round_no = int(sys.argv[2])
    with db.session() as s:
        pupil_ids = [p.id for p in s.query(Pupil).limit(5)]
    text = "De leerling oefent dagelijks met de leerkracht. " * 60   # several pages per goal
    print("ready", flush=True)
    i = 0
    while True:
        pid = pupil_ids[i % len(pupil_ids)]
        with db.session() as s:
            label = f"crash {{round_no}}-{{i}}"
            areas = [f"gebied {{a}}" for a in range({AREAS})]
            doc = GrowthDocument(pupil_id=pid, title=label, areas=areas)
            for n in range(1, {PERIODS} + 1):
                period = GrowthPeriod(
                    number=n, start_date=date(2026, n, 1), end_date=date(2026, n, 28)
                )
                period.goals = [
                    GrowthGoal(
                        area=area, position=a, goal=f"doel {{a}} " + text,
                        support_need=text, execution=text,
                    )
                    for a, area in enumerate(areas)
                ]
                doc.periods.append(period)
            s.add(doc)
            s.add(ShortIntervention(
                pupil_id=pid, start_date=date(2026, 9, 1), end_date=date(2026, 10, 15), goal=label
            ))
            pupil = s.get(Pupil, pid)
            pupil.notes = f"crash {{round_no}}-{{i}}"
            s.flush()
            doc_id = doc.id
        print(f"saved {{doc_id}} {{round_no}}-{{i}}", flush=True)
        i += 1
    """
)


def run_and_kill(
    script: Path, db_path: Path, round_no: int, rng: random.Random
) -> list[tuple[int, str]]:
    """Start the writer, kill it at a random moment after it is ready; the saves it reported."""
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db_path), str(round_no)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    try:
        first = proc.stdout.readline()
        assert first.strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        out, _err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    saved = []
    # Only complete lines count; a torn last one may belong to a save that had not returned.
    for line in out.split("\n")[:-1]:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "saved":
            saved.append((int(parts[1]), f"crash {parts[2]}"))
    return saved


def test_killed_writer_never_loses_or_halves_a_document(
    demo_template: Path, tmp_path: Path
) -> None:
    import shutil

    db_path = tmp_path / "school.sqlite"
    shutil.copyfile(demo_template, db_path)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(20261118)
    reported: dict[int, str] = {}
    for round_no in range(ROUNDS):
        for doc_id, label in run_and_kill(script, db_path, round_no, rng):
            reported[doc_id] = label
        # After every crash the file must open and pass SQLite's full check.
        assert file_integrity_problems(db_path) == [], f"round {round_no}"
        db = open_database(db_path, check_integrity=True)
        db.dispose()
    assert len(reported) > ROUNDS  # the kills did land in the middle of real work
    print(f"{len(reported)} saves reported over {ROUNDS} kills")

    db = open_database(db_path, check_integrity=True)
    try:
        with db.session() as s:
            docs = {
                d.id: d
                for d in s.scalars(
                    sa.select(GrowthDocument).where(GrowthDocument.title.like("crash %"))
                ).all()
            }
            # Every save that returned is there, with its title.
            for doc_id, label in reported.items():
                assert doc_id in docs, f"saved document {doc_id} lost"
                assert docs[doc_id].title == label
            # No document is there in part: every one has all its periods and all its goals.
            for doc in docs.values():
                assert len(doc.periods) == PERIODS, doc.title
                assert all(len(p.goals) == AREAS for p in doc.periods), doc.title
                assert all(
                    g.goal.startswith(f"doel {g.position} ") for p in doc.periods for g in p.goals
                )
            # The other rows of each save came with it (one transaction): one intervention each.
            titles = set(
                s.scalars(
                    sa.select(ShortIntervention.goal).where(ShortIntervention.goal.like("crash %"))
                )
            )
            assert titles == {d.title for d in docs.values()}
            # Nothing dangles.
            orphans = s.scalar(
                sa.select(sa.func.count())
                .select_from(GrowthPeriod)
                .where(~GrowthPeriod.document_id.in_(sa.select(GrowthDocument.id)))
            )
            assert orphans == 0
            assert (
                s.scalar(sa.select(sa.func.count()).select_from(GrowthGoal))
                >= len(docs) * PERIODS * AREAS
            )
    finally:
        db.dispose()


BACKUP_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ib_desktop import backup
    from ib_desktop import storage

    real = storage.backup_sqlite
    def slow(src, dst, *, progress=None, pages_per_step=-1):
        # Small steps with a pause, so that the kill lands in the middle of writing the copy.
        return real(src, dst, progress=lambda d, t: time.sleep(0.002), pages_per_step=4)
    backup.making.backup_sqlite = slow
    print("ready", flush=True)
    while True:
        info = backup.make_backup(Path(sys.argv[1]), Path(sys.argv[2]), reason="handmatig")
        print("saved", info.path.name, flush=True)
    """
)


def test_killed_backup_leaves_only_complete_checked_backups(
    demo_template: Path, tmp_path: Path
) -> None:
    import shutil

    from ib_desktop import backup as bk

    db_path = tmp_path / "school.sqlite"
    shutil.copyfile(demo_template, db_path)
    folder = tmp_path / "backups"
    script = tmp_path / "backup_writer.py"
    script.write_text(BACKUP_WRITER)
    rng = random.Random(7)
    reported: set[str] = set()
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(db_path), str(folder)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
        )  # fmt: skip
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.5))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        reported |= {line.split()[1] for line in out.splitlines() if line.startswith("saved ")}
    listed = bk.list_backups(folder)
    assert {b.path.name for b in listed} >= reported
    for info in listed:  # whatever carries a backup's name is complete and sound
        assert file_integrity_problems(info.path) == [], info.path.name
        assert info.counts is not None
        assert info.pupils > 0
    # An interrupted copy only ever exists under a temporary name.
    assert all(".part" in p.name for p in folder.iterdir() if bk.parse_name(p.name) is None)
