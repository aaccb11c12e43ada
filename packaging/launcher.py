"""Entry point of the bundled app: the same ``main`` as the ``ib-desktop`` command."""

import sys

from ib_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
