"""Subcommands of ``ib-desktop``; one module per command (see ``ib_desktop.cli``)."""
