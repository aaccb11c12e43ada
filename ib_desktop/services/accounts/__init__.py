"""Accounts and login (issue 18): who works, with which role, and what that role may do.

Callers use this package as one service: ``from ib_desktop.services import accounts``.

* :mod:`.manage`: adding, listing, disabling accounts and setting passwords (on PostgreSQL each
  account is the server's own login role, see :mod:`ib_desktop.storage.pg_accounts`);
* :mod:`.login`: checking a password (SQLite) or connecting as the person (PostgreSQL);
* :mod:`.access`: the logged-in account carried by every session, and the policy that the
  services' saves and the pupil list and file obey.
"""

from .access import (
    Access,
    bind_access,
    check_pupil_visible,
    require,
    session_access,
    session_role,
    visible_pupils,
)
from .login import (
    MAX_ATTEMPTS,
    LoginRefused,
    access_of_connection,
    connect_as,
    needs_login,
    sign_in,
)
from .manage import (
    MIN_PASSWORD,
    ROLE_LABELS,
    AccountRow,
    accounts_enabled,
    add_account,
    check_password,
    clean_login,
    disable_account,
    find_staff,
    list_accounts,
    parse_role,
    set_password,
)

__all__ = [
    "MAX_ATTEMPTS",
    "MIN_PASSWORD",
    "ROLE_LABELS",
    "Access",
    "AccountRow",
    "LoginRefused",
    "access_of_connection",
    "accounts_enabled",
    "add_account",
    "bind_access",
    "check_password",
    "check_pupil_visible",
    "clean_login",
    "connect_as",
    "disable_account",
    "find_staff",
    "list_accounts",
    "needs_login",
    "parse_role",
    "require",
    "session_access",
    "session_role",
    "set_password",
    "sign_in",
    "visible_pupils",
]
