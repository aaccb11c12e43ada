"""Screenshot steps: Overzicht scrolled to the privacy cards (open inzage requests, files past
their retention term); run on a demo school with requests and leavers (see tools/screenshot.py)."""

from __future__ import annotations


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    from PySide6.QtWidgets import QScrollArea

    window.show_page("overzicht")
    page = window.page("overzicht")
    page.wait_for_background()
    app.processEvents()
    scroll = page.findChild(QScrollArea)
    scroll.ensureWidgetVisible(page.privacy.retention_card)
    return None
