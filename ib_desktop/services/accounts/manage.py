"""Adding, listing, disabling accounts and setting their passwords.

On SQLite the password is kept as an Argon2id hash in ``accounts.password_hash``. On PostgreSQL
the account is also the server's own LOGIN role, created through the connection of the person
managing accounts (see :mod:`ib_desktop.storage.pg_accounts`); the server keeps the password and the
hash column stays empty. Either way the ``accounts`` row and the server's role change in one
transaction: the caller's ``with db.session()`` block.

Passwords go in as arguments and are never stored in the clear, logged or put in a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.domain_types import AccountRole
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.models import Account, Staff
from ib_desktop.names import fold_name as fold
from ib_desktop.services import audit
from ib_desktop.storage import pg_accounts
from ib_desktop.validation import ValidationError

ENTITY = "gebruiker"

#: The roles as lists and pickers show them.
ROLE_LABELS: dict[AccountRole, str] = {
    AccountRole.LEERKRACHT: QT_TRANSLATE_NOOP("Accounts", "leerkracht"),
    AccountRole.IB: QT_TRANSLATE_NOOP("Accounts", "intern begeleider"),
    AccountRole.DIRECTIE: QT_TRANSLATE_NOOP("Accounts", "directie"),
    AccountRole.BEHEER: QT_TRANSLATE_NOOP("Accounts", "beheer"),
}

MIN_PASSWORD = 8
#: A login is also a PostgreSQL role name: lower case, no quotes needed, at most 63 bytes.
LOGIN_PATTERN = re.compile(r"[a-z][a-z0-9._-]{0,62}")
#: Names the server reserves or the app's group roles use.
RESERVED_PREFIXES = ("pg_", "ibd_")
RESERVED_LOGINS = frozenset({"postgres", "public", "none", "current_user", "session_user"})


@dataclass(frozen=True)
class AccountRow:
    """One account as lists show it; never carries a password or its hash."""

    id: int
    login: str
    role: AccountRole
    staff_id: int | None
    staff_name: str
    active: bool
    created_at: datetime
    version: int

    @property
    def role_label(self) -> str:
        """ "leerkracht", "intern begeleider", ..."""
        return ROLE_LABELS[self.role]


def _hasher():  # argon2-cffi's defaults are RFC 9106's; Argon2id
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash of a password (salted; its parameters are part of the string)."""
    return _hasher().hash(password)


def password_matches(stored: str, password: str) -> bool:
    """True when ``password`` is the one behind the Argon2id hash ``stored``."""
    from argon2.exceptions import InvalidHashError, VerificationError

    if not stored:
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def clean_login(login: str) -> str:
    """The login as stored (trimmed, lower case), or a :class:`ValidationError` why not."""
    value = (login or "").strip().lower()
    if not value:
        raise ValidationError("login", "Vul een inlognaam in.")
    if not LOGIN_PATTERN.fullmatch(value) or len(value.encode()) > 63:
        raise ValidationError(
            "login",
            "Een inlognaam begint met een letter en bevat alleen kleine letters, cijfers, punt, "
            "streepje of liggend streepje (hoogstens 63 tekens), bijvoorbeeld 'jdevries'.",
        )
    if value in RESERVED_LOGINS or value.startswith(RESERVED_PREFIXES):
        raise ValidationError("login", f"De inlognaam '{value}' is gereserveerd; kies een andere.")
    return value


def check_password(password: str, again: str | None = None) -> None:
    """Raise a :class:`ValidationError` for a password that may not be used."""
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError("password", f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens.")
    if "\x00" in password:
        raise ValidationError("password", "Het wachtwoord bevat een teken dat niet kan.")
    if again is not None and again != password:
        raise ValidationError("password_again", "De twee wachtwoorden zijn niet gelijk.")


def parse_role(text: str | AccountRole) -> AccountRole:
    """``leerkracht``, ``ib``, ``directie`` or ``beheer``; a Dutch error for anything else."""
    try:
        return AccountRole(str(text).strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in AccountRole)
        raise ValidationError("role", f"Onbekende rol '{text}'; kies uit: {names}.") from None


def find_staff(session: Session, school_id: int, text: str) -> Staff:
    """A member of staff by id or by name (full or last name, accents and case as typed)."""
    members = list(session.scalars(sa.select(Staff).where(Staff.school_id == school_id)))
    wanted = (text or "").strip()
    if wanted.isdigit():
        found = [m for m in members if m.id == int(wanted)]
    else:
        q = fold(wanted)
        found = [m for m in members if q in (fold(m.full_name), fold(m.last_name))]
        if not found and q:
            found = [m for m in members if q in fold(m.full_name)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError("staff", f"Geen medewerker gevonden voor '{text}'.")
    choices = "; ".join(f"{m.id}: {m.full_name}" for m in found)
    raise ValidationError(
        "staff", f"'{text}' past bij {len(found)} medewerkers ({choices}); geef het nummer."
    )


def _row(account: Account) -> AccountRow:
    return AccountRow(
        id=account.id,
        login=account.login,
        role=AccountRole(account.role),
        staff_id=account.staff_id,
        staff_name=account.staff.full_name if account.staff is not None else "",
        active=account.active,
        created_at=account.created_at,
        version=account.version,
    )


def list_accounts(session: Session) -> list[AccountRow]:
    """Every account, active ones first, by login."""
    accounts = session.scalars(sa.select(Account).order_by(Account.active.desc(), Account.login))
    return [_row(a) for a in accounts]


def accounts_enabled(session: Session) -> bool:
    """True once the database has an active account: then everybody logs in."""
    return session.scalar(sa.select(sa.literal(1)).where(Account.active.is_(True)).limit(1)) == 1


def _active_managers(session: Session) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count(Account.id)).where(
                Account.active.is_(True), Account.role == AccountRole.BEHEER
            )
        )
        or 0
    )


def get_account(session: Session, login: str) -> Account:
    """The account with this login, or a Dutch :class:`ValidationError`."""
    value = (login or "").strip().lower()
    account = session.scalar(sa.select(Account).where(Account.login == value))
    if account is None:
        raise ValidationError("login", f"Er is geen gebruiker met de inlognaam '{value}'.")
    return account


def add_account(
    session: Session,
    school_id: int,
    login: str,
    role: AccountRole | str,
    password: str,
    *,
    staff: int | str | None = None,
    actor: str | None = None,
) -> AccountRow:
    """Make an account (on PostgreSQL also its LOGIN role); refuses a login that exists."""
    value = clean_login(login)
    account_role = parse_role(role)
    check_password(password)
    member = None
    if staff is not None and str(staff).strip():
        member = find_staff(session, school_id, str(staff))
        if not member.active:
            raise ValidationError("staff", f"{member.full_name} werkt hier niet meer (inactief).")
    if member is None and account_role == AccountRole.LEERKRACHT:
        raise ValidationError(
            "staff", "Een leerkracht-account hoort bij een medewerker: kies wie het is."
        )
    if session.scalar(sa.select(Account.id).where(Account.login == value)) is not None:
        raise ValidationError("login", f"Er is al een gebruiker met de inlognaam '{value}'.")
    if account_role != AccountRole.BEHEER and not _active_managers(session):
        raise ValidationError(
            "role",
            "Maak eerst een gebruiker met de rol beheer: zodra er gebruikers zijn, logt iedereen "
            "in, en dan moet iemand de gebruikers kunnen beheren.",
        )
    account = Account(login=value, role=account_role, staff_id=member.id if member else None)
    if pg_accounts.is_postgresql(session):
        try:
            pg_accounts.create_login_role(session, value, password, account_role)
        except pg_accounts.MissingGroupRoleError as exc:
            raise ValidationError(
                "role",
                f"De databaseserver mist de groepsrol '{exc}' voor deze rol; werk de database "
                "bij (of vraag de beheerder van de server).",
            ) from None
        except pg_accounts.RoleExistsError:
            raise ValidationError(
                "login",
                f"De databaseserver kent de naam '{value}' al (misschien van een andere school "
                "of een andere toepassing). Kies een andere inlognaam.",
            ) from None
    else:
        account.password_hash = hash_password(password)
    session.add(account)
    session.flush()
    audit.record(
        session, ENTITY, account.id, "aangemaakt",
        summary=f"{value} ({ROLE_LABELS[account_role]})", actor=actor,
    )  # fmt: skip
    return _row(account)


def disable_account(session: Session, login: str, *, actor: str | None = None) -> AccountRow:
    """The account can no longer log in (on PostgreSQL: ``NOLOGIN``); its history stays."""
    account = get_account(session, login)
    if account.active and account.role == AccountRole.BEHEER and _active_managers(session) == 1:
        others = session.scalar(
            sa.select(sa.func.count(Account.id)).where(Account.active, Account.id != account.id)
        )
        if others:
            raise ValidationError(
                "login",
                "Dit is de laatste actieve beheerder: maak eerst een andere gebruiker met de rol "
                "beheer, anders kan niemand de gebruikers meer beheren.",
            )
    if pg_accounts.is_postgresql(session):
        pg_accounts.set_role_login(session, account.login, allowed=False)
    if account.active:
        account.active = False
        session.flush()
        audit.record(session, ENTITY, account.id, "uitgeschakeld", summary=account.login,
                     actor=actor)  # fmt: skip
    return _row(account)


def set_password(
    session: Session, login: str, password: str, *, actor: str | None = None
) -> AccountRow:
    """Give the account a new password (on PostgreSQL: ``ALTER ROLE ... PASSWORD``)."""
    account = get_account(session, login)
    check_password(password)
    if pg_accounts.is_postgresql(session):
        pg_accounts.set_role_password(session, account.login, password)
    else:
        account.password_hash = hash_password(password)
    session.flush()
    audit.record(session, ENTITY, account.id, "nieuw wachtwoord", summary=account.login,
                 actor=actor)  # fmt: skip
    return _row(account)
