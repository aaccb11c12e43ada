"""PostgreSQL's side of accounts: every account is the server's own LOGIN role (issue 18).

The server keeps the password (as a SCRAM verifier) and decides what the role may read and write
through its group role (``ibd_leerkracht``, ``ibd_ib``, ``ibd_directie``, ``ibd_beheer``; their
grants and row-level security are made by the migrations). The statements run on the connection
of whoever manages accounts (a role with CREATEROLE), inside that session's transaction, so the
role and the ``accounts`` row are made (or not) together.

The password never travels as text: libpq turns it into a SCRAM-SHA-256 verifier on this side
(what ``psql``'s ``\\password`` does), so it cannot end up in the server's statement log either.
Names and values are quoted by psycopg (``sql.Identifier``/``sql.Literal``), never formatted in.

This module belongs with the storage code (the only place for engine-specific SQL); it lives
beside ``storage.py`` until that becomes a package.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.domain_types import AccountRole

#: The NOLOGIN group role of each account role.
GROUP_ROLES: dict[AccountRole, str] = {
    AccountRole.LEERKRACHT: "ibd_leerkracht",
    AccountRole.IB: "ibd_ib",
    AccountRole.DIRECTIE: "ibd_directie",
    AccountRole.BEHEER: "ibd_beheer",
}

#: SQLSTATE class 28: invalid authorization (a wrong password, an unknown or NOLOGIN role).
AUTH_FAILED_CLASS = "28"


class RoleExistsError(Exception):
    """The server already has a role of that name (perhaps for another school's database)."""


class MissingGroupRoleError(Exception):
    """The server lacks the group role of an account role (the policies' migration makes it)."""


@contextlib.contextmanager
def _may_manage() -> Iterator[None]:
    """A role without CREATEROLE gets a Dutch refusal instead of the server's text."""
    from psycopg import errors

    from ib_desktop.permissions import NotAllowed

    try:
        yield
    except errors.InsufficientPrivilege:
        raise NotAllowed(
            "U mag op deze databaseserver geen gebruikers maken of wijzigen: daarvoor is een "
            "beheerder nodig (een rol met CREATEROLE). Er is niets opgeslagen."
        ) from None


def _driver(session: Session) -> Any:
    """The psycopg connection under the session, in the session's transaction."""
    return session.connection().connection.driver_connection


def is_postgresql(session: Session) -> bool:
    """True when the session talks to PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def ensure_group_roles(conn: Any) -> None:
    """Create the four NOLOGIN group roles when missing (the migration of the policies does too).

    ``conn`` is a psycopg connection or a SQLAlchemy session.
    """
    from psycopg import sql

    if isinstance(conn, Session):
        conn = _driver(conn)
    with conn.cursor() as cur:
        for name in GROUP_ROLES.values():
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))


def role_exists(session: Session, login: str) -> bool:
    """True when the server has a role named ``login``."""
    with _driver(session).cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,))
        return cur.fetchone() is not None


def _verifier(conn: Any, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of the password, computed on this side by libpq."""
    raw = conn.pgconn.encrypt_password(
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    )
    return bytes(raw).decode("ascii")


def create_login_role(session: Session, login: str, password: str, role: AccountRole) -> None:
    """``CREATE ROLE login LOGIN PASSWORD ...`` and membership of its group role.

    Raises :class:`RoleExistsError` when the server already has the name.
    """
    from psycopg import sql

    if role_exists(session, login):
        raise RoleExistsError(login)
    if not role_exists(session, GROUP_ROLES[role]):
        raise MissingGroupRoleError(GROUP_ROLES[role])
    conn = _driver(session)
    with _may_manage(), conn.cursor() as cur:
        # A beheer account manages accounts from the app: it creates roles itself.
        extra = sql.SQL(" CREATEROLE" if role == AccountRole.BEHEER else "")
        cur.execute(
            sql.SQL("CREATE ROLE {} LOGIN{} PASSWORD {}").format(
                sql.Identifier(login), extra, sql.Literal(_verifier(conn, login, password))
            )
        )
        cur.execute(
            sql.SQL("GRANT {} TO {}").format(
                sql.Identifier(GROUP_ROLES[role]), sql.Identifier(login)
            )
        )


def set_role_password(session: Session, login: str, password: str) -> None:
    """``ALTER ROLE login PASSWORD ...`` (the verifier, never the text)."""
    from psycopg import sql

    conn = _driver(session)
    with _may_manage(), conn.cursor() as cur:
        cur.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(login), sql.Literal(_verifier(conn, login, password))
            )
        )


def set_role_login(session: Session, login: str, *, allowed: bool) -> None:
    """``ALTER ROLE login LOGIN`` or ``NOLOGIN``."""
    from psycopg import sql

    keyword = sql.SQL("LOGIN" if allowed else "NOLOGIN")
    with _may_manage(), _driver(session).cursor() as cur:
        cur.execute(sql.SQL("ALTER ROLE {} {}").format(sql.Identifier(login), keyword))


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
