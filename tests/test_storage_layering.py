"""The storage, backup and recovery layers point one way, and commands never lean on ``cli``.

``ib_desktop.storage`` knows nothing of backups (the backup an upgrade needs first is passed in
by ``ib_desktop.database``), the recovery store and the private files sit below the storage,
and every command takes its shared helpers from ``ib_desktop.commands.common``/``lookup``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ib_desktop"


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports (at the top or inside a function), as absolute names."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1]  # the package a relative import starts from
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def files(*names: str) -> list[Path]:
    out: list[Path] = []
    for name in names:
        target = PACKAGE / name
        out += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return out


def reaches(path: Path, forbidden: str) -> bool:
    return any(m == forbidden or m.startswith(forbidden + ".") for m in imported_modules(path))


@pytest.mark.parametrize("path", files("storage", "private_files.py"), ids=str)
def test_storage_does_not_import_backup_or_recovery(path: Path) -> None:
    assert not reaches(path, "ib_desktop.backup"), path
    assert not reaches(path, "ib_desktop.recovery"), path
    assert not reaches(path, "ib_desktop.database"), path


@pytest.mark.parametrize("path", files("recovery.py", "private_files.py"), ids=str)
def test_recovery_does_not_import_storage(path: Path) -> None:
    assert not reaches(path, "ib_desktop.storage"), path
    assert not reaches(path, "ib_desktop.backup"), path


@pytest.mark.parametrize("path", files("commands"), ids=str)
def test_commands_do_not_import_cli(path: Path) -> None:
    assert not reaches(path, "ib_desktop.cli"), path


def test_the_check_sees_relative_imports() -> None:
    """The guard above would catch ``from ..backup import make_backup`` in the storage."""
    found = imported_modules(PACKAGE / "storage" / "opening.py")
    assert "ib_desktop.migrations" in found
    assert "ib_desktop.storage.engine" in found


@pytest.mark.parametrize("path", files("services"), ids=str)
def test_services_do_not_import_reports(path: Path) -> None:
    """Printed documents use the services, never the other way round."""
    assert not reaches(path, "ib_desktop.reports"), path


#: The size a module may reach before it is split (issue 22: aim for 600, never over 800).
MAX_LINES = 800


def test_no_module_outgrows_its_room() -> None:
    too_big = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_big == {}
