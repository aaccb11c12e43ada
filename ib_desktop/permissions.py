"""What each account role may do: the rules of issue 18 and 19, written once.

The services ask these questions (on SQLite with accounts the services are the only guard); on
PostgreSQL the database's row-level security and grants say the same, so the rules hold for
someone who connects with psql too (see the PostgreSQL policies in the migrations).

``None`` as the role means "accounts are off": one person's laptop file, where the user is the
IB-er and may do everything, as before accounts existed.
"""

from __future__ import annotations

from ib_desktop.domain_types import AccountRole

Role = AccountRole | None

#: Roles that read the whole school and write levels, OPPs and restricted reports.
CARE_ROLES = frozenset({AccountRole.IB, AccountRole.DIRECTIE, AccountRole.BEHEER})


def reads_whole_school(role: Role) -> bool:
    """Every pupil of the school (a teacher reads the pupils of their own groups only)."""
    return role is None or role in CARE_ROLES


def reads_restricted(role: Role) -> bool:
    """The content of medical and psychological reports and notes marked vertrouwelijk."""
    return role is None or role in CARE_ROLES


def writes_care_file(role: Role) -> bool:
    """Levels, OPPs, groeidocumenten and korte interventies, restricted reports, pupil data."""
    return role is None or role in CARE_ROLES


def writes_evaluations(role: Role) -> bool:
    """Evaluations and notes on the pupils one may read (every role)."""
    return True


def signs_for_school(role: Role) -> bool:
    """Signs an OPP on behalf of the school."""
    return role is None or role == AccountRole.DIRECTIE


def manages_accounts(role: Role) -> bool:
    """Adds, disables and resets accounts."""
    return role is None or role == AccountRole.BEHEER


#: The words for each role in a message ("Als leerkracht mag u ...").
ROLE_WORDS: dict[AccountRole, str] = {
    AccountRole.LEERKRACHT: "leerkracht",
    AccountRole.IB: "intern begeleider",
    AccountRole.DIRECTIE: "directie",
    AccountRole.BEHEER: "beheerder",
}


class NotAllowed(PermissionError):
    """The logged-in account's role may not do this; ``str()`` is a Dutch sentence to show.

    Raised before anything is saved (or at the flush, which rolls the transaction back): the
    message can promise that nothing changed.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
