"""``ib-desktop encrypt``: turn an existing (plain) database file into an encrypted one.

First a backup (the original, kept in the backup folder), then an encrypted copy beside the
file, checked (integrity, every table's row count) before it replaces the original in one
rename. The password comes from ``IB_DESKTOP_PASSWORD`` or a hidden prompt; the recovery key is
shown once (and with ``--recovery-key-pdf`` printed to a PDF for the directie's safe).
"""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "encrypt",
        help="versleutel een bestaande database (met een back-up vooraf)",
        description="Versleutel het database-bestand en zijn toekomstige back-ups. Eerst wordt "
        "een back-up gemaakt; het wachtwoord komt uit IB_DESKTOP_PASSWORD of wordt gevraagd.",
    )
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    p.add_argument(
        "--recovery-key-pdf",
        metavar="BESTAND",
        help="schrijf de herstelsleutel ook naar dit PDF-bestand (voor de kluis)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Back up, encrypt, verify, swap; the recovery key shown once."""
    from ib_desktop import backup as bk
    from ib_desktop.commands.common import open_for_command
    from ib_desktop.commands.passwords import new_password, print_recovery_key, sqlite_target
    from ib_desktop.storage import encrypt_file, is_encrypted_file, keys

    path = sqlite_target(args)
    if path is None:
        print(
            "Fout: versleutelen kan alleen bij een database-bestand (SQLite). Een database op een "
            "server (PostgreSQL) wordt door de server beveiligd; er is niets gewijzigd.",
            file=sys.stderr,
        )
        return 2
    if path.exists() and is_encrypted_file(path):
        print(f"De database '{path.name}' is al versleuteld; er is niets gewijzigd.")
        return 0
    db = open_for_command(args, write=True)  # the lock, integrity, ours, up to date
    try:
        password = new_password()
        safety = bk.make_backup(db, reason="voor-versleutelen", rotation=False)
        db.engine.dispose()  # the lock stays held until the swap is done
        new = keys.new_key(password)
        counts = encrypt_file(path, new)
    finally:
        db.dispose()
    print(f"De database '{path}' is versleuteld ({sum(counts.values())} rijen, gecontroleerd).")
    print(f"Het sleutelbestand staat ernaast: {keys.key_file_path(path).name} (hoort erbij).")
    print(
        f"De oorspronkelijke, onversleutelde database staat als back-up in {safety.path}. "
        "Bewaar of verwijder die bewust: hij is niet versleuteld."
    )
    _warn_plain_backups(path, safety.path)
    print_recovery_key(new.recovery_key, args.recovery_key_pdf, str(path))
    return 0


def _warn_plain_backups(path: object, kept: object) -> None:
    from pathlib import Path

    from ib_desktop import backup as bk
    from ib_desktop.storage import is_encrypted_file

    stem = Path(str(path)).stem
    try:
        plain = [b for b in bk.list_backups(stem=stem, counts=False)
                 if b.path != kept and not is_encrypted_file(b.path)]  # fmt: skip
    except bk.BackupError:
        return
    if plain:
        n = len(plain)
        what = "staat 1 oudere back-up" if n == 1 else f"staan {n} oudere back-ups"
        print(
            f"Let op: er {what} zonder versleuteling in de back-upmap. Automatische back-ups "
            "verdwijnen vanzelf in de rotatie; back-ups die u zelf maakte, verwijdert u zelf."
        )
