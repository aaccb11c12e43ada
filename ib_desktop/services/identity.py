"""Who is working: the member of staff the user said they are ("Ik ben").

This is the seam a real login fills later. Today the user picks themself once, explicitly;
the choice is kept in the database's own settings (so a second database does not inherit it),
under a key made of the operating system's login name, so two colleagues sharing one
PostgreSQL database each keep their own choice. The person is the default for "besloten door",
"geëvalueerd door" and signatures, and their name goes into the change log.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.domain_types import AccountRole
from ib_desktop.models import Setting, Staff, StaffRole
from ib_desktop.services.audit import current_actor

KEY_PREFIX = "ik_ben/"


@dataclass(frozen=True)
class CurrentUser:
    """The person working; a later login replaces how it is chosen, not what it holds."""

    staff_id: int
    name: str
    role: StaffRole
    login: str  # the operating system's login the choice belongs to (or the account's)
    #: The logged-in account's role; None when accounts are off (full rights, as before).
    account_role: AccountRole | None = None


def setting_key(login: str | None = None) -> str:
    """The settings key of a login's choice ("ik_ben/jdevries")."""
    name = (login or current_actor()).strip() or "onbekend"
    return (KEY_PREFIX + name)[:100]


def load_current_user(
    session: Session, school_id: int, *, login: str | None = None
) -> CurrentUser | None:
    """The person this login chose in this database; None when nobody was chosen yet.

    A choice that no longer fits (the person left or became inactive) counts as no choice:
    the app asks again rather than silently using someone else.
    """
    login = login or current_actor()
    setting = session.get(Setting, setting_key(login))
    if setting is None or not isinstance(setting.value, dict):
        return None
    staff_id = setting.value.get("staff_id")
    if not isinstance(staff_id, int):
        return None
    member = session.get(Staff, staff_id)
    if member is None or member.school_id != school_id or not member.active:
        return None
    return CurrentUser(member.id, member.full_name, StaffRole(member.role), login)


def choose_current_user(
    session: Session, school_id: int, staff_id: int, *, login: str | None = None
) -> CurrentUser:
    """Remember that this login is ``staff_id`` (an active member of staff of the school)."""
    login = login or current_actor()
    member = session.get(Staff, staff_id)
    if member is None or member.school_id != school_id or not member.active:
        raise ValueError("Kies een medewerker die op deze school werkt.")
    key = setting_key(login)
    value = {"staff_id": member.id, "name": member.full_name, "school_id": school_id}
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value
    session.flush()
    return CurrentUser(member.id, member.full_name, StaffRole(member.role), login)


def forget_current_user(session: Session, *, login: str | None = None) -> None:
    """Drop this login's choice (the next start asks again)."""
    session.execute(sa.delete(Setting).where(Setting.key == setting_key(login)))


def user_for_account(
    session: Session, school_id: int, login: str, role: AccountRole, staff_id: int | None
) -> CurrentUser | None:
    """The person a logged-in account belongs to; None for an account without a member of staff.

    With accounts the login says who works: no "Ik ben" choice is asked or kept.
    """
    member = session.get(Staff, staff_id) if staff_id is not None else None
    if member is None or member.school_id != school_id:
        return None
    return CurrentUser(member.id, member.full_name, StaffRole(member.role), login, role)
