"""Restricted reports (issue 19): who reads the content of sensitive and confidential records.

Medical and psychological reports (assessments marked ``sensitive``) and notes marked
*vertrouwelijk* (meetings and care providers with ``confidential``) are read by ib and directie
only (:func:`ib_desktop.permissions.reads_restricted`). Everyone else gets the record with its
content blanked and ``restricted=True``: they see that it exists, not what it says. The services
blank it here, once, when the record is loaded, so every screen, print and export that reads
through the services shows the same. A role that may not read a record may not change or delete
it either (:func:`check_may_change`): saving the blanked copy back would erase the content.

The role is ``CurrentUser.account_role`` (the accounts issue); ``None`` means accounts are off:
one person's file, full rights.
"""

from __future__ import annotations

from typing import Any

from ib_desktop.domain_types import AccountRole
from ib_desktop.permissions import Role, reads_restricted

#: The Dutch message when a role tries to change what it may not read.
NOT_ALLOWED = (
    "Dit is een vertrouwelijk gegeven; alleen de intern begeleider en de directie kunnen het "
    "lezen en wijzigen."
)


class RestrictedError(PermissionError):
    """A role tried to change or read the content of a restricted record; ``str()`` is Dutch."""

    def __init__(self, message: str = NOT_ALLOWED) -> None:
        super().__init__(message)


def role_of(user: Any) -> Role:
    """The account role of a :class:`~ib_desktop.services.identity.CurrentUser` (or None).

    Read with ``getattr``: the field comes with the accounts issue; without it, or without a
    user, accounts are off and the role is None (full rights).
    """
    role = getattr(user, "account_role", None)
    if role is None:
        return None
    return AccountRole(role)


def hidden_from(role: Role, marked: bool) -> bool:
    """True when a record ``marked`` sensitive/confidential must be blanked for ``role``."""
    return bool(marked) and not reads_restricted(role)


def blank(data: Any, fields: tuple[str, ...]) -> Any:
    """``data`` with ``fields`` emptied and ``restricted`` set (in place; returned)."""
    for name in fields:
        setattr(data, name, "" if isinstance(getattr(data, name), str) else None)
    data.restricted = True
    return data


def check_may_change(role: Role, marked: bool) -> None:
    """Refuse (:class:`RestrictedError`) a change to a record the role may not read."""
    if hidden_from(role, marked):
        raise RestrictedError()
