"""Over IB Desktop: version, database (never its password), data and backup folders; the icon."""

from __future__ import annotations

from ib_desktop import __version__
from ib_desktop.about import about_info, shown_database


def test_about_names_version_database_and_folders(main_window, ctx) -> None:
    text = main_window.about_text()
    assert f"IB Desktop {__version__}" in text
    assert str(ctx.db.path) in text
    info = about_info(ctx.db.url)
    assert str(info.backup_folder) in text
    assert str(info.data_folder) in text


def test_the_about_box_opens_from_the_help_menu(main_window, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    help_menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "Help")
    next(a for a in help_menu.actions() if a.text() == "Over IB Desktop").trigger()
    assert shown
    assert __version__ in shown[0]


def test_a_postgresql_password_is_never_shown() -> None:
    shown = shown_database("postgresql+psycopg://ib:geheim-wachtwoord@db.school.nl:5432/zorg")
    assert "geheim-wachtwoord" not in shown
    assert "db.school.nl" in shown
    path = "/home/ib/zorg dossier.sqlite"
    assert shown_database(f"sqlite:///{path}") == path
    assert shown_database(None) == "-"


def test_the_application_has_its_icon(qapp) -> None:
    from ib_desktop.ui.app import application_icon

    icon = application_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes
