"""The main window's lazy registry: every "module:Name" in PAGES, DOCUMENT_EDITORS and ACTIONS
imports and names a class (a page) or a function (an editor's ``open_editor``, a menu action);
so do the few the start loads (``ib_desktop.ui.app.LAZY_SYMBOLS``).

The window loads them only when first shown, so a misspelt string would otherwise surface as a
page or a menu item that silently does nothing.
"""

from __future__ import annotations

import inspect

import pytest

from ib_desktop.ui.app import LAZY_SYMBOLS
from ib_desktop.ui.main_window import (
    ACTIONS,
    DOCUMENT_EDITORS,
    PAGES,
    registered_symbols,
    resolve_symbol,
)


def test_the_registry_lists_every_table_entry() -> None:
    paths = registered_symbols()
    assert len(paths) == len(PAGES) + len(DOCUMENT_EDITORS) + len([a for a in ACTIONS if a[3]])
    assert all(":" in p for p in paths)


@pytest.mark.parametrize("path", [path for _key, _title, path in PAGES])
def test_every_page_is_a_class(path: str) -> None:
    assert inspect.isclass(resolve_symbol(path)), path


@pytest.mark.parametrize("module", sorted(DOCUMENT_EDITORS.values()))
def test_every_document_editor_opens_with_open_editor(module: str) -> None:
    assert callable(resolve_symbol(f"{module}:open_editor")), module


@pytest.mark.parametrize("path", [a[3] for a in ACTIONS if a[3]])
def test_every_menu_action_is_a_function(path: str) -> None:
    fn = resolve_symbol(path)
    assert callable(fn), path
    assert not inspect.isclass(fn), path


@pytest.mark.parametrize("path", LAZY_SYMBOLS)
def test_every_symbol_the_start_loads_is_a_function(path: str) -> None:
    fn = resolve_symbol(path)
    assert callable(fn), path
    assert not inspect.isclass(fn), path


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("ib_desktop.ui.dashboard:NoSuchPage", AttributeError),
        ("ib_desktop.ui.no_such_module:DashboardPage", ModuleNotFoundError),
        ("ib_desktop.ui.dashboard.DashboardPage", ValueError),
    ],
)
def test_a_wrong_string_fails(path: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        resolve_symbol(path)
