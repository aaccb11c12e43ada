"""The linters the project runs, clean: ruff with the project's full rule set, mypy on the non-Qt
layers (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["ib_desktop", "tests", "benchmarks", "tools", "packaging", "docs"]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "--output-format", "concise", "--no-cache", *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean_below_the_ui() -> None:
    # The files and options are pyproject.toml's [tool.mypy]: everything but ui/ and the tests.
    result = _run("mypy", "--no-incremental", "ib_desktop")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_would_notice_a_mistake(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\ndef f(x=[]):\n    return undefined_name\n")
    result = _run("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(bad))
    assert result.returncode == 1
    for rule in ("F401", "F821", "B006"):
        assert rule in result.stdout
