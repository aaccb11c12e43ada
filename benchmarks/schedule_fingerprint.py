"""A fingerprint of everything the schedule engine derives, to prove a speed-up changed nothing.

    python benchmarks/schedule_fingerprint.py [--pupils 400 50000]

Runs ``compute_moments`` on the benchmark's demo schools for three dates, three windows and
with and without done moments, plus ``next_due_by_pupil``, and prints one SHA-256 over every
field of every moment, in the engine's order. Run it before and after changing the engine: the
two lines must be equal.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import TODAY, demo_database, fresh_copy  # noqa: E402


def fingerprint(pupils: int) -> tuple[str, int]:
    """The hash and the number of moments hashed for the ``pupils``-pupil demo school."""
    from ib_desktop.database import open_database
    from ib_desktop.schedule import compute_moments, next_due_by_pupil
    from ib_desktop.services.school import get_school

    db = open_database(fresh_copy(demo_database(pupils)))
    digest = hashlib.sha256()
    count = 0
    try:
        with db.session() as s:
            school_id = get_school(s).id
            for today in (TODAY, date(2026, 3, 1), date(2027, 6, 30)):
                windows = [
                    (None, None),
                    (today - timedelta(days=30), today + timedelta(days=120)),
                    (None, today + timedelta(days=365)),
                ]
                for include_done in (False, True):
                    for start, end in windows:
                        digest.update(f"{today} {include_done} {start} {end}\n".encode())
                        for m in compute_moments(
                            s, school_id, today=today, start=start, end=end,
                            include_done=include_done,
                        ):  # fmt: skip
                            fields = (
                                m.key,
                                str(m.kind),
                                m.due,
                                m.title,
                                m.pupil_id,
                                m.group_id,
                                m.responsible_id,
                                m.source_kind,
                                m.source_id,
                                m.done_on,
                            )
                            digest.update((repr(fields) + "\n").encode())
                            count += 1
            for pid, m in sorted(next_due_by_pupil(s, school_id, today=TODAY).items()):
                digest.update(f"{pid} {m.key} {m.due}\n".encode())
    finally:
        db.dispose()
    return digest.hexdigest(), count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, nargs="*", default=[400, 50000])
    args = parser.parse_args(argv)
    for n in args.pupils:
        value, count = fingerprint(n)
        print(f"{n:>6} leerlingen: {value}  ({count} momenten)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
