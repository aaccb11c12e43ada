"""The ``ib-desktop`` command: the GUI without arguments, subcommands for work without a screen.

Each subcommand lives in ``ib_desktop/commands/<name>.py`` with ``add_parser(subparsers)`` and
``run(args) -> int``; heavy imports happen inside ``run`` so that ``--help`` and the GUI start
stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Iterator, Sequence

from ib_desktop import __version__
from ib_desktop.commands.common import database_arg

# name on the command line -> module under ib_desktop.commands
COMMANDS = {
    "demo": "demo",
    "info": "info",
    "init": "init",
    "pupils": "pupils",
    "print": "print_",
    "agenda": "agenda",
    "figures": "figures",
    "deadlines": "deadlines",
    "holidays": "holidays",
    "import": "import_",
    "backup": "backup",
    "restore": "restore",
    "encrypt": "encrypt",
    "unlock": "unlock",
    "users": "users",
    "inzage": "inzage",
    "retention": "retention",
}


#: Error reports (tracebacks, in a private folder) kept for whoever helps the user.
KEEP_ERROR_REPORTS = 10


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand whose module is present."""
    parser = argparse.ArgumentParser(
        prog="ib-desktop",
        description="IB Desktop: leerlingondersteuning voor de intern begeleider. "
        "Zonder opdracht start het programma.",
    )
    parser.add_argument("--version", action="version", version=f"IB Desktop {__version__}")
    parser.add_argument(
        "--database",
        metavar="PAD_OF_URL",
        help="database-bestand of SQLAlchemy-URL (standaard: IB_DESKTOP_DATABASE of de "
        "gegevensmap van de gebruiker)",
    )
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    for module_name in COMMANDS.values():
        try:
            module = importlib.import_module(f"ib_desktop.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ib_desktop.commands.{module_name}":
                continue
            raise
        p = module.add_parser(sub)
        p.set_defaults(_run=module.run)
        if not any("--login" in a.option_strings for a in p._actions):
            p.add_argument(
                "--login",
                dest="as_login",
                metavar="INLOGNAAM",
                help="werk als dit account, met de grenzen van zijn rol (een leerkracht: "
                "alleen de eigen groepen); wachtwoord uit IB_DESKTOP_PASSWORD of gevraagd. "
                "Zonder: als eigenaar van het bestand",
            )
        # Allow --database after the subcommand too ("ib-desktop demo --database x").
        if not any("--database" in a.option_strings for a in p._actions):
            p.add_argument("--database", dest="sub_database", metavar="PAD_OF_URL",
                           help=argparse.SUPPRESS)  # fmt: skip
    _dutch_headings(parser)
    return parser


def _dutch_headings(parser: argparse.ArgumentParser) -> None:
    """argparse ships no Dutch texts: name the sections of every help page in Dutch."""
    parser._positionals.title = "argumenten"
    parser._optionals.title = "opties"
    for action in parser._actions:
        if action.help == "show this help message and exit":
            action.help = "toon deze hulp en stop"
        if action.help == "show program's version number and exit":
            action.help = "toon het versienummer en stop"
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _dutch_headings(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ib-desktop`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] == "--database" and len(argv) == 2):
        from ib_desktop.ui.app import run_gui

        return run_gui(argv[1] if argv else None)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        from ib_desktop.ui.app import run_gui

        return run_gui(database_arg(args))
    # Names and notes come from users and LVS exports: no escape sequence of theirs reaches
    # the terminal, whatever a command prints.
    with terminal_safe_output():
        return _run(args)


@contextlib.contextmanager
def terminal_safe_output() -> Iterator[None]:
    """stdout and stderr through :func:`ib_desktop.display_safety.terminal_safe` meanwhile."""
    from ib_desktop.display_safety import TerminalSafeStream

    saved = sys.stdout, sys.stderr
    sys.stdout = TerminalSafeStream(sys.stdout)  # type: ignore[assignment]
    sys.stderr = TerminalSafeStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _run(args: argparse.Namespace) -> int:
    from ib_desktop.commands.passwords import ask_to_unlock
    from ib_desktop.permissions import NotAllowed
    from ib_desktop.storage import DatabaseError
    from ib_desktop.storage.keys import PasswordNeededError
    from ib_desktop.validation import ValidationError, ValidationErrors

    try:
        from ib_desktop.commands.common import check_login_may_run

        check_login_may_run(args)
        try:
            return int(args._run(args) or 0)
        except PasswordNeededError as exc:
            # Nothing was written before the key was needed: ask, then run the command again.
            if not ask_to_unlock(exc.path):
                raise
            return int(args._run(args) or 0)
    except (DatabaseError, ValidationError, ValidationErrors, NotAllowed) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("IB_DESKTOP_DEBUG"):
            raise
        print(f"Fout: {error_message(exc)}", file=sys.stderr)
        return 2


def error_message(exc: BaseException) -> str:
    """The Dutch sentence for an error no command caught: never SQL, values or a traceback.

    A database driver's text holds the statement and its values (pupils' names and birth
    dates), a traceback the same; both stay off the terminal. The details go to a file that
    only the user can read, for whoever helps them.
    """
    import errno

    import sqlalchemy as sa

    from ib_desktop.storage import database_error_message, disk_full_message, is_disk_full

    if isinstance(exc, sa.exc.SQLAlchemyError):
        message = database_error_message(exc)
    elif is_disk_full(exc):
        message = disk_full_message()
    elif isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        where = f" '{exc.filename}'" if exc.filename else ""
        message = (
            f"Het bestand of de map{where} is alleen-lezen of u hebt er geen toegang. Kies een "
            "andere plek."
        )
    elif isinstance(exc, OSError):
        message = f"Een bestand kon niet worden gelezen of geschreven ({exc.strerror or 'fout'})."
    else:
        message = f"Er ging iets mis in IB Desktop ({type(exc).__name__})."
    report = _write_error_report(exc)
    if report is not None:
        message += f" De details staan in {report} (alleen voor u leesbaar)."
    return message


def _write_error_report(exc: BaseException) -> str | None:
    """Write the traceback to a private file in the user's data folder; its path, or None."""
    import tempfile
    import traceback
    from datetime import datetime
    from pathlib import Path

    try:
        from ib_desktop.private_files import make_private_dirs
        from ib_desktop.storage import default_data_dir

        folder = default_data_dir() / "fouten"
        make_private_dirs(folder)
        fd, name = tempfile.mkstemp(  # a new name every time, readable by the user alone
            prefix=f"fout-{datetime.now():%Y-%m-%d_%H%M%S}-", suffix=".txt", dir=folder
        )
        path = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        for old in sorted(folder.glob("fout-*.txt"))[:-KEEP_ERROR_REPORTS]:
            old.unlink(missing_ok=True)  # they may hold pupils' data: only the newest stay
    except Exception:  # noqa: BLE001 - the report is a courtesy; the message goes out anyway
        return None
    return str(path)
