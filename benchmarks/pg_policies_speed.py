"""The pupil list and the agenda as the owner, an IB-er and a teacher (row-level security).

    PYTHONPATH=. python3 benchmarks/pg_policies_speed.py 20000

Starts a throwaway PostgreSQL cluster (``tests/pg_cluster.py``), makes a demo school, adds an
``ib`` and a ``leerkracht`` login and prints the best of three warm runs per login.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from ib_desktop.demo import generate
from ib_desktop.services import agenda
from ib_desktop.services.pupil.listing import load_pupil_list
from ib_desktop.storage import open_database
from tests import pg_cluster

CURRENT_TEACHER = (
    "SELECT gt.staff_id FROM group_teachers gt JOIN groups g ON g.id = gt.group_id "
    "JOIN school_years y ON y.id = g.school_year_id "
    "WHERE current_date BETWEEN y.start_date AND y.end_date LIMIT 1"
)


def _logins(info: dict) -> int:
    with psycopg.connect(**info, autocommit=True) as c:
        ib_staff = c.execute("SELECT id FROM staff WHERE role = 'ib' LIMIT 1").fetchone()[0]
        teacher = c.execute(CURRENT_TEACHER).fetchone()[0]
        for login, group, staff in (
            ("b_ib", "ibd_ib", ib_staff),
            ("b_lk", "ibd_leerkracht", teacher),
        ):
            c.execute(f"CREATE ROLE {login} LOGIN PASSWORD 'pw'")
            c.execute(f"GRANT {group} TO {login}")
            c.execute(
                "INSERT INTO accounts (login, role, staff_id, active, password_hash, created_at,"
                " version) VALUES (%s, %s, %s, true, '', now(), 1)",
                (login, group.removeprefix("ibd_"), staff),
            )
        return int(c.execute("SELECT id FROM schools").fetchone()[0])


def main(pupils: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pg-policies-bench-"))
    url = make_url(pg_cluster.start(folder / "cluster"))
    try:
        name = "bench_" + uuid.uuid4().hex[:8]
        info = dict(host=url.host, port=url.port, user=url.username, password=url.password)
        with psycopg.connect(**info, dbname="postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        db_url = url.set(database=name)
        db = open_database(db_url)
        generate(db, pupils=pupils, seed=3, today=date.today())
        db.dispose()
        school = _logins(dict(info, dbname=name))
        cases = {
            "pupil list": lambda s: len(load_pupil_list(s, school, today=date.today()).rows),
            "agenda": lambda s: len(agenda.load_agenda(s, school, today=date.today()).items),
        }
        for who in ("owner", "b_ib", "b_lk"):
            target = db_url if who == "owner" else db_url.set(username=who, password="pw")
            db = open_database(target)
            for what, case in cases.items():
                times = []
                for _ in range(4):
                    start = time.perf_counter()
                    with db.session() as s:
                        rows = case(s)
                    times.append(time.perf_counter() - start)
                best = min(times[1:]) * 1000
                print(f"{pupils} pupils, {who:5}: {what} {best:.0f} ms ({rows} rows)")
            db.dispose()
    finally:
        pg_cluster.stop(folder / "cluster")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
