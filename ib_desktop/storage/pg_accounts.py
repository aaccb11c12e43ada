"""PostgreSQL's side of accounts: every account is the server's own LOGIN role (issue 18).

The server keeps the password (as a SCRAM verifier) and decides what the role may read and write
through its group role (``ibd_leerkracht``, ``ibd_ib``, ``ibd_directie``, ``ibd_beheer``; their
grants and row-level security are made by the migrations, see ``pg_policies``). Roles are made
and changed through the database's own SECURITY DEFINER functions (``ibd_create_login``,
``ibd_set_password``, ``ibd_set_login_active``), which ``ibd_beheer`` may call: nobody's login
gets CREATEROLE, which in PostgreSQL 15 would let it grant itself almost any role. The calls run
in the session's transaction, so the role and the ``accounts`` row are made (or not) together.

The password never travels as text: libpq turns it into a SCRAM-SHA-256 verifier on this side
(what ``psql``'s ``\\password`` does), so it cannot end up in the server's statement log either.
Names and values are quoted by psycopg (``sql.Identifier``/``sql.Literal``), never formatted in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.domain_types import AccountRole

from . import pg_policies

#: The NOLOGIN group role of each account role (the policies' one table says which).
GROUP_ROLES: dict[AccountRole, str] = pg_policies.GROUP_ROLES

#: SQLSTATE class 28: invalid authorization (a wrong password, an unknown or NOLOGIN role).
AUTH_FAILED_CLASS = "28"


class RoleExistsError(Exception):
    """The server already has a role of that name (perhaps for another school's database)."""


class MissingGroupRoleError(Exception):
    """The server lacks the group role of an account role (the policies' migration makes it)."""


@contextlib.contextmanager
def _may_manage() -> Iterator[None]:
    """A login that may not manage accounts gets a Dutch refusal instead of the server's text."""
    from psycopg import errors

    from ib_desktop.permissions import NotAllowed

    try:
        yield
    except errors.InsufficientPrivilege:
        raise NotAllowed(
            "U mag op deze databaseserver geen gebruikers maken of wijzigen: daarvoor is een "
            "account met de rol beheer nodig. Er is niets opgeslagen."
        ) from None


def _driver(session: Session) -> Any:
    """The psycopg connection under the session, in the session's transaction."""
    return session.connection().connection.driver_connection


def is_postgresql(session: Session) -> bool:
    """True when the session talks to PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def ensure_group_roles(conn: Any) -> None:
    """Create the four NOLOGIN group roles when missing (the policies' migration does too).

    ``conn`` is a psycopg connection or a SQLAlchemy session.
    """
    if isinstance(conn, Session):
        conn = _driver(conn)
    pg_policies.ensure_group_roles(conn)


def role_exists(session: Session, login: str) -> bool:
    """True when the server has a role named ``login``."""
    with _driver(session).cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,))
        return cur.fetchone() is not None


def create_login_role(session: Session, login: str, password: str, role: AccountRole) -> None:
    """A LOGIN role for ``login`` in the group of ``role``, through ``ibd_create_login``.

    Raises :class:`RoleExistsError` when the server already has the name.
    """
    if role_exists(session, login):
        raise RoleExistsError(login)
    if not role_exists(session, GROUP_ROLES[role]):
        raise MissingGroupRoleError(GROUP_ROLES[role])
    with _may_manage():
        pg_policies.create_login(_driver(session), login, password, role)


def set_role_password(session: Session, login: str, password: str) -> None:
    """A new password (its SCRAM verifier, never the text), through ``ibd_set_password``."""
    with _may_manage():
        pg_policies.set_password(_driver(session), login, password)


def set_role_login(session: Session, login: str, *, allowed: bool) -> None:
    """Let ``login`` log in again, or not, through ``ibd_set_login_active``."""
    with _may_manage():
        _driver(session).execute("SELECT ibd_set_login_active(%s, %s)", (login, allowed))


def is_login_refused(exc: BaseException) -> bool:
    """True when connecting failed because the server refused the login or the password.

    libpq reports a refused login as a connection failure; the server's SQLSTATE (class 28)
    comes with it in recent versions, its English text otherwise.
    """
    seen: BaseException | None = exc
    while seen is not None:
        state = getattr(seen, "sqlstate", None) or getattr(
            getattr(seen, "diag", None), "sqlstate", None
        )
        if isinstance(state, str) and state.startswith(AUTH_FAILED_CLASS):
            return True
        text = str(seen).lower()
        if (
            "password authentication failed" in text
            or "is not permitted to log in" in text
            or ("role" in text and "does not exist" in text)
            or "no password supplied" in text
        ):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return False
