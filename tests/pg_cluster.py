"""A throwaway PostgreSQL cluster for the tests, started as an unprivileged user.

One implementation serves two callers: ``.ci/run`` starts a cluster with
``python3 tests/pg_cluster.py start DIR`` (it prints the admin URL to export as
``IB_TEST_PG_URL``) and stops it with ``stop DIR``; the ``pg_url`` fixture in ``conftest.py``
uses ``IB_TEST_PG_URL`` when it is set and otherwise starts a cluster of its own for the test
session, so a developer with PostgreSQL installed runs the same tests without any set-up.

``initdb`` and ``pg_ctl`` refuse to run as root, so as root the cluster runs as the user
``ibtest`` (created without a home when missing). The cluster listens on 127.0.0.1 only, on a free
port, with its socket inside its own folder. Host connections need a password (scram-sha-256),
so a test can prove that a wrong password is refused.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ADMIN = "ibadmin"
UNPRIVILEGED_USER = "ibtest"


def find_bindir() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``: Debian keeps them off PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if Path(folder, "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as(user: str | None, argv: list[str]) -> None:
    if user is None:
        subprocess.run(argv, check=True, capture_output=True, text=True)
        return
    command = " ".join(shlex.quote(a) for a in argv)
    subprocess.run(["su", user, "-s", "/bin/sh", "-c", command], check=True,
                   capture_output=True, text=True)


def _unprivileged_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        subprocess.run(["useradd", "-M", "-r", "-s", "/usr/sbin/nologin", UNPRIVILEGED_USER],
                       check=True, capture_output=True)
    return UNPRIVILEGED_USER


def start(folder: Path) -> str:
    """Initialise and start a cluster in ``folder``; return the admin's SQLAlchemy URL."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb found)")
    folder.mkdir(parents=True, exist_ok=True)
    user = _unprivileged_user()
    password = secrets.token_hex(12)
    data = folder / "data"
    pwfile = folder / "pw"
    pwfile.write_text(password + "\n")
    port = _free_port()
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (folder, pwfile):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        # The folder may sit below a root-only parent (pytest's tmp): let the user through.
        parent = folder.parent
        while parent != parent.parent:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)
            parent = parent.parent
    _run_as(user, [str(bindir / "initdb"), "-D", str(data), "-U", ADMIN, "--pwfile", str(pwfile),
                   "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                   "-E", "UTF8", "--locale=C.UTF-8"])
    pwfile.unlink()
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} "
               f"-c unix_socket_directories={folder} -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    _run_as(user, [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w",
                   "-l", str(folder / "log"), "start"])
    url = f"postgresql+psycopg://{ADMIN}:{password}@127.0.0.1:{port}/postgres"
    (folder / "url").write_text(url)
    if user is not None:
        (folder / "url").chmod(0o600)
    return url


def stop(folder: Path) -> None:
    """Stop the cluster in ``folder`` (fast shutdown) and remove its files."""
    bindir = find_bindir()
    data = folder / "data"
    if bindir is not None and data.exists():
        with contextlib.suppress(subprocess.CalledProcessError):
            _run_as(_unprivileged_user(), [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                           "-w", "stop"])
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"start", "stop"}:
        sys.exit("usage: pg_cluster.py start|stop FOLDER")
    target = Path(sys.argv[2]).resolve()
    if sys.argv[1] == "start":
        print(start(target))
    else:
        stop(target)
