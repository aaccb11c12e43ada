"""``ib-desktop users``: the accounts that log in (add, list, disable, password).

The password comes from a prompt (asked twice, not echoed) or, for scripts, from the
environment variable ``IB_DESKTOP_PASSWORD``; it is never printed. On PostgreSQL ``--database``
is the URL of someone who may create roles (CREATEROLE): every account becomes the server's own
login role.
"""

from __future__ import annotations

import argparse
import os

PASSWORD_ENV = "IB_DESKTOP_PASSWORD"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand and its four actions."""
    p = sub.add_parser("users", help="gebruikers (accounts) toevoegen, tonen, uitschakelen")
    p.add_argument("--database", dest="sub_database", metavar="PAD_OF_URL", help="database")
    actions = p.add_subparsers(dest="users_action", metavar="ACTIE", required=True)
    add = actions.add_parser("add", help="een gebruiker toevoegen")
    add.add_argument("--login", required=True, help="inlognaam, bijv. jdevries")
    add.add_argument(
        "--role", required=True, help="leerkracht, ib, directie of beheer (beheert gebruikers)"
    )
    add.add_argument("--staff", metavar="NAAM_OF_ID", help="de medewerker bij dit account")
    listing = actions.add_parser("list", help="alle gebruikers tonen")
    disable = actions.add_parser(
        "disable", help="een gebruiker uitschakelen (kan daarna niet meer inloggen)"
    )
    disable.add_argument("login", metavar="LOGIN")
    password = actions.add_parser("password", help="een nieuw wachtwoord geven")
    password.add_argument("login", metavar="LOGIN")
    for action in (add, listing, disable, password):
        action.add_argument("--database", dest="sub_database", metavar="PAD_OF_URL",
                            help=argparse.SUPPRESS)  # fmt: skip
    return p


def read_password(login: str) -> str:
    """``IB_DESKTOP_PASSWORD``, or asked twice without echo; a Dutch error when they differ."""
    from ib_desktop.services.accounts import check_password
    from ib_desktop.validation import ValidationError

    from_env = os.environ.get(PASSWORD_ENV)
    if from_env is not None:
        check_password(from_env)
        return from_env
    import getpass

    try:
        first = getpass.getpass(f"Wachtwoord voor {login}: ")
        check_password(first)
        again = getpass.getpass("Nog een keer: ")
    except EOFError:
        raise ValidationError(
            "password",
            f"Er kon geen wachtwoord worden gevraagd; geef het in {PASSWORD_ENV}.",
        ) from None
    check_password(first, again)
    return first


def run(args: argparse.Namespace) -> int:
    """Do the chosen action."""
    from ib_desktop.commands.common import open_for_command

    action = args.users_action
    if action == "list":
        return _list(open_for_command(args, write=False))
    from ib_desktop.services import accounts
    from ib_desktop.validation import ValidationError

    login = accounts.clean_login(args.login)
    if action == "add":
        accounts.parse_role(args.role)  # a typo is said before the password is asked
    db = open_for_command(args, write=True)
    try:
        with db.session() as s:
            if action != "add":
                accounts.manage.get_account(s, login)  # before the password is asked
        if action == "disable":
            with db.session() as s:
                accounts.disable_account(s, login)
            _key_slot(db, "disable", login)
            print(f"Gebruiker '{login}' is uitgeschakeld en kan niet meer inloggen.")
            return 0
        password = read_password(login)
        with db.session() as s:
            if action == "password":
                accounts.set_password(s, login, password)
                _key_slot(db, "password", login, password)
                print(f"Gebruiker '{login}' heeft een nieuw wachtwoord.")
                return 0
            from ib_desktop.services.school import get_school

            school = get_school(s)
            if school is None:
                raise ValidationError("school", "Er is nog geen school ingericht.")
            row = accounts.add_account(s, school.id, login, args.role, password, staff=args.staff)
        _key_slot(db, "add", row.login, password)
        who = f", {row.staff_name}" if row.staff_name else ""
        print(f"Gebruiker '{row.login}' ({row.role_label}{who}) is toegevoegd.")
        return 0
    finally:
        db.dispose()


def _key_slot(db, action: str, login: str, password: str = "") -> None:
    """On an encrypted file every account opens the database with its own password (its slot in
    the key file, see ``ib_desktop.storage.keys``); a disabled account's slot is removed."""
    if db.encryption_key is None or db.path is None:
        return
    from ib_desktop.storage import keys

    if action == "disable":
        keys.remove_slot(db.path, login)
    elif action == "password":
        keys.change_password(db.path, login, password, slot_type=keys.ACCOUNT)
    else:
        keys.add_slot(db.path, login, password)
    print("Het sleutelbestand van de versleutelde database is bijgewerkt.")


def _list(db) -> int:
    from ib_desktop.commands.pupils import format_table
    from ib_desktop.services import accounts

    try:
        with db.session() as s:
            rows = accounts.list_accounts(s)
    finally:
        db.dispose()
    if not rows:
        print("Nog geen gebruikers: iedereen die de database opent, werkt zonder in te loggen.")
        return 0
    table = [
        [r.login, r.role_label, r.staff_name or "-", "actief" if r.active else "uitgeschakeld"]
        for r in rows
    ]
    print(format_table(["inlognaam", "rol", "medewerker", "status"], table))
    return 0
