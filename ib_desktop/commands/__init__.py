"""Subcommands of ``ib-desktop``; one module per command (``ib_desktop.cli`` assembles them).

Every command opens its database through ``common.open_for_command``, so that each one makes the
checks the app makes when it starts: integrity, a file of another program, a newer version, and,
for a command that writes, the lock that says the app (or another command) has it open. What the
commands share lives in ``common`` and ``lookup``, never in ``cli`` or another command.
"""
