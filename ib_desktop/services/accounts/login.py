"""Logging in: the password checked (SQLite) or the server asked (PostgreSQL).

On SQLite the app checks the Argon2id hash itself. On PostgreSQL the app connects as the
person: their login and password go into the connection (never printed: a URL is shown through
``storage.display_url``), and the server checks them. Either way a refusal says nothing about
which of the two was wrong.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.domain_types import AccountRole
from ib_desktop.models import Account
from ib_desktop.storage import pg_accounts

from .access import Access
from .manage import hash_password, password_matches

if TYPE_CHECKING:
    from ib_desktop.storage import Database

#: How many times the login dialog lets someone try before the app closes.
MAX_ATTEMPTS = 5
REFUSED = "Inloggen is niet gelukt: de inlognaam of het wachtwoord klopt niet."


class LoginRefused(Exception):
    """The login or the password is wrong (or the account is disabled); ``str()`` is Dutch."""

    def __init__(self, message: str = REFUSED) -> None:
        super().__init__(message)


def sign_in(session: Session, login: str, password: str) -> Access:
    """The account behind ``login`` when ``password`` is right (SQLite), else LoginRefused."""
    value = (login or "").strip().lower()
    account = session.scalar(sa.select(Account).where(Account.login == value))
    # An unknown login costs the same hash as a known one: the time taken tells nothing.
    stored = account.password_hash if account is not None else _stand_in_hash()
    matches = password_matches(stored, password or "")
    if not matches or account is None or not account.active:
        raise LoginRefused()
    return Access(login=account.login, role=AccountRole(account.role), staff_id=account.staff_id)


@functools.cache
def _stand_in_hash() -> str:
    return hash_password("stand-in for a login that does not exist")


def access_of_connection(session: Session) -> Access | None:
    """On PostgreSQL: the account of the server role this session is connected as, if any."""
    if not pg_accounts.is_postgresql(session):
        return None
    login = session.scalar(sa.text("SELECT current_user"))
    account = session.scalar(sa.select(Account).where(Account.login == login))
    if account is None or not account.active:
        return None
    return Access(login=account.login, role=AccountRole(account.role), staff_id=account.staff_id)


def needs_login(url: sa.URL) -> bool:
    """True for a server database whose URL brings no password: the person logs in."""
    return url.get_backend_name() == "postgresql" and not url.password


def connect_as(url: sa.URL, login: str, password: str) -> Database:
    """Open the server database as ``login``; :class:`LoginRefused` when the server says no."""
    from ib_desktop.storage import DatabaseError, open_database

    if not (login or "").strip() or not password:
        raise LoginRefused()
    personal = url.set(username=login.strip().lower(), password=password)
    try:
        return open_database(personal, check_integrity=True)
    except (DatabaseError, sa.exc.DBAPIError) as exc:
        if pg_accounts.is_login_refused(exc):
            raise LoginRefused() from None
        raise
