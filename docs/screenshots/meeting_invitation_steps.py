"""Screenshot steps: page 1 of a kindbespreking's printed invitation in the print preview at
1366x768 (see tools/screenshot.py; meetings_steps.py plans the year and fills the agenda)."""

from __future__ import annotations

import runpy
from pathlib import Path


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    from ib_desktop.reports.meetings import invitation_pdf
    from ib_desktop.services.meetings.sheet import meeting_sheet
    from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    runpy.run_path(str(Path(__file__).with_name("meetings_steps.py")))["setup"](window, ctx, app)
    editor = window.page("vergaderingen").editor
    with ctx.db.session() as s:
        pdf = invitation_pdf(meeting_sheet(s, editor.meeting_id))
    dialog = PdfPreviewDialog(pdf, "Uitnodiging", "uitnodiging.pdf", window)
    dialog.move(0, 0)
    dialog.resize(1366, 740)
    dialog.show()
    window._keep = dialog  # noqa: SLF001 - keep it alive until the shot
    return None
