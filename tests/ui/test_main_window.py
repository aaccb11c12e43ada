"""The main window opens offscreen on the demo school and navigates by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ib_desktop.ui.main_window import PAGES


def test_main_window_opens(main_window, qtbot) -> None:
    assert main_window.isVisible()
    assert "OBS De Regenboog" in main_window.windowTitle()
    assert main_window.nav_list.count() == len(PAGES)
    assert main_window.current_page_key() == "overzicht"  # the dashboard is the home screen
    menus = [a.text() for a in main_window.menuBar().actions()]
    assert "Bestand" in menus


def test_pages_switch_with_keyboard(main_window, qtbot) -> None:
    qtbot.keyClick(main_window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_page_key() == "agenda"
    main_window.nav_list.setFocus()
    qtbot.keyClick(main_window.nav_list, Qt.Key.Key_Up)
    assert main_window.current_page_key() == "groepen"


def test_a_new_document_is_found_again_after_its_first_save(main_window, qtbot) -> None:
    """Opening a document that is already open raises its window instead of a second one."""
    import sqlalchemy as sa

    from ib_desktop.models import Pupil, PupilStatus

    with main_window.ctx.db.session() as s:
        pupil_id = s.scalars(sa.select(Pupil.id).where(Pupil.status == PupilStatus.ACTIEF)).first()
    main_window.open_document("korte_interventie", pupil_id=pupil_id)
    (editor,) = main_window.open_windows()
    assert editor.save()
    doc_id = editor.doc_id()
    assert doc_id is not None
    main_window.open_document("korte_interventie", doc_id)
    assert main_window.open_windows() == [editor]


def test_qt_own_dialogs_speak_dutch(ctx, qtbot) -> None:
    """Issue 15: the file dialog said "Look in" and "Files of type"."""
    from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

    dialog = QFileDialog(None, "Bestand kiezen")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = [label.text().replace("&", "") for label in dialog.findChildren(QLabel)]
    assert "Zoeken in:" in labels
    assert "Bestandstype:" in labels
    assert "Bestandsnaam:" in labels  # from Qt's own Dutch translation, still there
    assert not any("Look in" in t or "Files of" in t for t in labels)
    buttons = {b.text().replace("&", "") for b in dialog.findChildren(QPushButton)}
    assert "Annuleren" in buttons
