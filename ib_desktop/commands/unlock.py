"""``ib-desktop unlock --recovery-key``: the password is forgotten; the safe's key sets a new one.

The recovery key comes from ``IB_DESKTOP_RECOVERY_KEY`` or a hidden prompt, the new password
from ``IB_DESKTOP_PASSWORD`` or a hidden prompt (typed twice). Only the key file changes: the
database itself is opened (checked, locked) but not written.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "unlock",
        help="kies een nieuw wachtwoord met de herstelsleutel uit de kluis",
        description="Zet met de herstelsleutel een nieuw wachtwoord op een versleutelde database.",
    )
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    p.add_argument(
        "--recovery-key",
        action="store_true",
        required=True,
        help="gebruik de herstelsleutel (IB_DESKTOP_RECOVERY_KEY, of hij wordt gevraagd)",
    )
    p.add_argument(
        "--name",
        default="school",
        metavar="NAAM",
        help="wiens wachtwoord (een account; standaard het schoolwachtwoord)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Open the key with the recovery key, check the database, give the slot a new password."""
    from ib_desktop.commands.common import open_for_command
    from ib_desktop.commands.passwords import new_password, recovery_key, sqlite_target
    from ib_desktop.storage import is_encrypted_file, keys

    path = sqlite_target(args)
    if path is None or not path.exists() or not is_encrypted_file(path):
        db = open_for_command(args, write=True)  # says what is wrong with the file, if anything
        db.dispose()
        print(
            "Fout: deze database is niet versleuteld; er is geen wachtwoord om te herstellen.",
            file=sys.stderr,
        )
        return 2
    code = recovery_key()
    keys.unlock_with_recovery_key(path, code)  # a wrong key: a Dutch error, nothing changed
    db = open_for_command(args, write=True)
    try:
        password = new_password("een nieuw wachtwoord")
        keys.reset_with_recovery_key(path, code, password, name=args.name)
    finally:
        db.dispose()
    print(f"Het wachtwoord van '{args.name}' voor '{path.name}' is opnieuw ingesteld.")
    return 0
