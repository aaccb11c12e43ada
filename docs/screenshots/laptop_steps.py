"""Screenshot steps for docs/screenshots/opp_editor.png and growth_editor.png on a school laptop.

    xvfb-run -a -s "-screen 0 1366x768x24" python tools/screenshot.py \
        docs/screenshots/opp_editor.png --size 1366x768 --script docs/screenshots/laptop_steps.py
    SHOT=growth xvfb-run -a -s "-screen 0 1366x768x24" python tools/screenshot.py \
        docs/screenshots/growth_editor.png --size 1366x768 --script docs/screenshots/laptop_steps.py

The screen is 1366x768 with room kept for a 40-pixel task bar (the strip at the bottom), as on
a school laptop at 100%: the editor opens at the size that fits, buttons on screen.
"""

import os

import sqlalchemy as sa
from PySide6.QtCore import QRect

from ib_desktop.models import GrowthDocument, Opp


def setup(window, ctx, app):
    from ib_desktop.ui.widgets import window_size

    window_size.set_available_override(QRect(0, 0, 1366, 728))
    if os.environ.get("SHOT") == "growth":
        from ib_desktop.ui.plans.growth_editor import open_editor

        with ctx.db.session() as s:
            doc = s.scalars(sa.select(GrowthDocument.id).order_by(GrowthDocument.id)).first()
        editor = open_editor(ctx, window, doc_id=doc)
    else:
        from ib_desktop.ui.opp.entry import open_editor

        with ctx.db.session() as s:
            opp_id = next(
                o.id
                for o in s.scalars(sa.select(Opp).order_by(Opp.id))
                if o.versions and not o.versions[-1].is_frozen and o.end_date is None
            )
        editor = open_editor(ctx, window, doc_id=opp_id)
        editor.go_to_part(int(os.environ.get("SHOT_PART", "4")))
    editor.move(0, 0)
    editor.show()
    editor.raise_()
    editor.activateWindow()
    return None
