"""Nothing below ``ib_desktop.ui`` may import Qt, not even indirectly."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ib_desktop


def lower_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(ib_desktop.__path__, "ib_desktop."):
        if info.name.startswith("ib_desktop.ui") or info.name.endswith("migrations.env"):
            continue
        if info.name in ("ib_desktop.__main__",):
            continue
        names.append(info.name)
    return names


def test_lower_layers_import_without_pyside6() -> None:
    modules = lower_modules()
    assert "ib_desktop.models" in modules
    assert "ib_desktop.storage" in modules
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'PySide6' or name.startswith('PySide6.'):\n"
        "            raise ImportError('PySide6 is blocked below ui: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_block_really_blocks() -> None:
    """The guard above would catch a module that imports Qt."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.startswith('PySide6'):\n"
        "            raise ImportError('blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import ib_desktop.ui.widgets.forms\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "blocked" in result.stderr
