"""Screenshot steps: the pupil file of pupil 1 with its Inzage dialog open (see
tools/screenshot.py)."""

from __future__ import annotations


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    from ib_desktop.ui.pupil_file.inzage_dialog import InzageDialog

    window.open_pupil(1)
    app.processEvents()
    files = [w for w in app.topLevelWidgets() if w.objectName() == "pupil-file" and w.isVisible()]
    parent = files[0] if files else window
    dialog = InzageDialog(ctx, 1, parent.file.full_name if files else "", parent)
    dialog.show()
    window._inzage_dialog = dialog  # kept alive until the grab
    return None
