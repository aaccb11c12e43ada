"""Screenshot steps: the OPP editor, part 10, with the text-block menu at the cursor
(Ctrl+Shift+T) (see tools/screenshot.py)."""

from __future__ import annotations


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    import sqlalchemy as sa

    from ib_desktop.models import Opp, OppStatus, OppVersion
    from ib_desktop.ui.opp.entry import open_editor

    with ctx.db.session() as s:
        opp_id = s.scalars(
            sa.select(Opp.id)
            .join(OppVersion, OppVersion.opp_id == Opp.id)
            .where(OppVersion.status == OppStatus.CONCEPT)
            .order_by(Opp.id)
        ).first()
    editor = open_editor(ctx, window, doc_id=opp_id)
    editor.move(0, 0)
    editor.resize(1366, 740)
    editor.show()
    editor.go_to_part(10)
    field = editor.page(10).fields["adjustments"]
    field.setFocus()
    cursor = field.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    field.setTextCursor(cursor)
    window._keep = editor  # noqa: SLF001 - keep it alive until the shot
    from PySide6.QtCore import QTimer

    def focus() -> None:
        editor.activateWindow()
        field.setFocus()

    QTimer.singleShot(200, focus)
    QTimer.singleShot(600, editor.writing.show_block_menu)
    return None
