"""Where the database is: the default file, ``--database`` and the environment turned into a URL."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from .. import APP_SLUG
from .errors import DatabaseError

ENV_VAR = "IB_DESKTOP_DATABASE"


def default_data_dir() -> Path:
    """The user's data folder for the app (created on demand)."""
    from platformdirs import user_data_path

    return user_data_path(APP_SLUG, appauthor=False)


def default_database_path() -> Path:
    """Where the database lives when nothing else is chosen."""
    return default_data_dir() / "ib-desktop.sqlite"


def sqlite_url(path: str | os.PathLike[str]) -> sa.URL:
    """The URL of a SQLite file, built as an object: a ``?``, ``#`` or space is part of the name."""
    return sa.URL.create("sqlite", database=os.fspath(Path(path).expanduser().resolve()))


def resolve_url(database: str | os.PathLike[str] | sa.URL | None = None) -> sa.URL:
    """Turn ``--database`` (a path or a URL), the environment or the default into a URL.

    A path is always a path: it is never pasted into a URL string, where a ``?`` would start
    the query (and open another, empty database) and a ``#`` a fragment.
    """
    if isinstance(database, sa.URL):
        return database
    value = os.fspath(database) if database else os.environ.get(ENV_VAR, "")
    if not value:
        return sqlite_url(default_database_path())
    if "://" in value:
        try:
            return sa.make_url(value)
        except sa.exc.ArgumentError as exc:
            raise DatabaseError(
                "Dit is geen geldige database-URL. Geef een bestand of een URL als "
                "'postgresql+psycopg://gebruiker@server/database'."
            ) from exc
    return sqlite_url(value)


def file_uri(path: Path) -> str:
    """SQLite's ``file:`` URI of a path, every special character percent-encoded."""
    return Path(path).resolve().as_uri()


def sqlite_path(url: str | sa.URL) -> Path | None:
    """The file behind a SQLite URL, or None for another engine or an in-memory database."""
    u = sa.make_url(url) if isinstance(url, str) else url
    if not u.get_backend_name().startswith("sqlite") or not u.database or u.database == ":memory:":
        return None
    if u.database.startswith("file:") and str(u.query.get("uri", "")).lower() == "true":
        from urllib.parse import urlsplit
        from urllib.request import url2pathname

        return Path(url2pathname(urlsplit(u.database).path))  # url2pathname unquotes
    return Path(u.database)


def display_url(url: str | sa.URL) -> str:
    """A database as it may be shown or printed: the file, or the URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    u = sa.make_url(url) if isinstance(url, str) else url
    return u.render_as_string(hide_password=True)
