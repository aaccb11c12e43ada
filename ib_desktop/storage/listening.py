"""Hearing other people's saves: PostgreSQL's LISTEN on a connection of its own.

Migration 0026 makes every save of pupil data send a NOTIFY on :data:`CHANNEL` with the table
and the pupil's id (``"growth_documents:42"``, never a name). :class:`ChangeListener` holds one
dedicated psycopg connection (outside the pool, in autocommit, as LISTEN needs) in a daemon
thread and hands each notification to a callback, as a :class:`Change`. It never touches Qt:
``ib_desktop.ui.live_refresh`` turns the callback into a throttled Qt signal.

When the server goes away the thread waits and connects again; what was saved meanwhile is
announced as one ``Change("*", None)`` after the reconnect, so open lists read everything again.
SQLite has no other writers to hear: :func:`listener_for` returns None there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

CHANNEL = "ib_desktop_changes"
#: Seconds between attempts to reach a server that went away.
RECONNECT_AFTER_S = 2.0
#: Seconds the thread waits for a notification before it looks whether it must stop.
POLL_S = 0.5


@dataclass(frozen=True)
class Change:
    """One save somebody made: the table, and the pupil it concerns (None when unknown)."""

    table: str
    pupil_id: int | None

    @classmethod
    def parse(cls, payload: str) -> Change:
        """``"table:42"`` as a change; an unreadable id becomes None (refresh everything)."""
        table, _, pupil = payload.partition(":")
        return cls(table or "*", int(pupil) if pupil.isdigit() else None)


def _conninfo(url: sa.URL) -> dict[str, Any]:
    """The psycopg connection arguments of a SQLAlchemy URL (its query, e.g. sslmode, too)."""
    args: dict[str, Any] = {
        key: value
        for key, value in {
            "host": url.host,
            "port": url.port,
            "user": url.username,
            "password": url.password,
            "dbname": url.database,
        }.items()
        if value is not None
    }
    args.update({k: v for k, v in url.query.items() if isinstance(v, str)})
    args.setdefault("connect_timeout", 5)
    args["application_name"] = "IB Desktop (wijzigingen)"
    return args


class ChangeListener:
    """LISTEN in a background thread; ``on_change`` is called in that thread, per notification."""

    def __init__(
        self,
        url: sa.URL,
        on_change: Callable[[Change], None],
        *,
        own_pids: Collection[int] = (),
    ) -> None:
        self._url = url
        self._on_change = on_change
        #: Server processes of this app's own pool: its own saves are no news to it.
        self._own = own_pids
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start listening (returns at once; :meth:`wait_ready` waits for the first LISTEN)."""
        self._thread = threading.Thread(target=self._run, name="ib-listen", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """True once the first LISTEN is in place (a test saves only after that)."""
        return self._ready.wait(timeout)

    def stop(self) -> None:
        """Stop listening and close the connection (the app quits, another database opens)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(**_conninfo(self._url), autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    if not first:
                        self._on_change(Change("*", None))  # saves made while we were away
                    first = False
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=POLL_S):
                            if note.pid not in self._own:
                                self._deliver(note.payload)
            except psycopg.Error as exc:
                if self._stop.is_set():
                    break
                log.info("Luisteren naar wijzigingen onderbroken (%s)", type(exc).__name__)
                self._stop.wait(RECONNECT_AFTER_S)

    def _deliver(self, payload: str) -> None:
        try:
            self._on_change(Change.parse(payload))
        except Exception:  # noqa: BLE001 - a broken receiver must not stop the listening
            log.exception("Fout bij het verwerken van een wijziging")


def own_backend_pids(engine: Engine) -> set[int]:
    """The server process ids of ``engine``'s connections, kept up to date on every checkout.

    psycopg knows its backend's pid without asking the server, so this costs nothing per save.
    """
    pids: set[int] = set()

    def record(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        pid = getattr(getattr(dbapi_conn, "info", None), "backend_pid", None)
        if isinstance(pid, int):
            pids.add(pid)

    event.listen(engine, "checkout", record)
    return pids


def listener_for(engine: Engine, on_change: Callable[[Change], None]) -> ChangeListener | None:
    """A listener for a server database, or None for SQLite (there is no one else to hear).

    Notifications of ``engine``'s own saves are left out: the window that saved has refreshed.
    """
    if engine.dialect.name != "postgresql":
        return None
    return ChangeListener(engine.url, on_change, own_pids=own_backend_pids(engine))
