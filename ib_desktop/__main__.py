"""``python -m ib_desktop`` runs the same entry point as the ``ib-desktop`` command."""

from ib_desktop.cli import main

raise SystemExit(main())
