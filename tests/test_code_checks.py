"""Mistakes a linter finds for certain: undefined names, unused imports and variables, syntax."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_undefined_or_unused_names() -> None:
    # Pyflakes' rules (F) and syntax errors (E9) only: style is left to the editor.
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--output-format",
         "concise", "--no-cache", "ib_desktop", "tests", "benchmarks", "tools"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
