"""Take a screenshot of IB Desktop on a demo school, under Xvfb, the way a user sees it.

    xvfb-run -a -s "-screen 0 1400x900x24" python tools/screenshot.py OUT.png \
        [--page leerlingen] [--database demo.sqlite] [--script steps.py] [--size 1280x800]

Without ``--database`` a 400-pupil demo school (seed 2026) is made in a temporary folder.
``--script`` names a Python file with ``def setup(window, ctx, app)`` that navigates (open a
pupil, a dialog, ...) and may return the widget to capture (default: the main window). The whole
screen is grabbed after the event loop has settled, so pop-ups and separate windows show too.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--page", default="leerlingen")
    parser.add_argument("--database")
    parser.add_argument("--script")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--widget-only", action="store_true", help="grab only the returned widget")
    parser.add_argument("--wait", type=int, default=600, help="ms to let the UI settle")
    args = parser.parse_args()
    os.environ.setdefault("IB_DESKTOP_USER", "Marieke de Boer")

    from ib_desktop.database import open_database

    if args.database:
        db = open_database(args.database)
    else:
        from ib_desktop.demo import generate

        tmp = Path(tempfile.mkdtemp()) / "demo.sqlite"
        db = open_database(tmp)
        generate(db, pupils=400, seed=2026)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ib_desktop.services.school import get_school
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext
    from ib_desktop.ui.main_window import MainWindow

    app = ensure_application()
    with db.session() as s:
        school_id = get_school(s).id
    ctx = AppContext(db=db, school_id=school_id)
    window = MainWindow(ctx)
    w, h = (int(v) for v in args.size.split("x"))
    window.resize(w, h)
    window.move(0, 0)
    window.show()
    window.show_page(args.page)
    target = window
    if args.script:
        ns = runpy.run_path(args.script)
        result = ns["setup"](window, ctx, app)
        if result is not None:
            target = result

    def grab() -> None:
        if args.widget_only or target is not window:
            pix = target.grab()
        else:
            screen = QApplication.primaryScreen()
            pix = screen.grabWindow(0, 0, 0, w, h)
        pix.save(args.out)
        print(f"saved {args.out} ({pix.width()}x{pix.height()})")
        app.quit()

    QTimer.singleShot(args.wait, grab)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
