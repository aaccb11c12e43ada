"""The data shipped inside the package: structure templates, default areas, holidays, fonts, icons.

The files live in this package (``ib_desktop/resources/``) and are read through
``importlib.resources``, so a wheel, an editable install and a PyInstaller bundle all find them.
A file beside the package in the source tree would be missing after ``pip install .``.
"""

from __future__ import annotations

import atexit
import json
from contextlib import ExitStack
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

_ROOT: Traversable = resources.files(__name__)
_extracted = ExitStack()
atexit.register(_extracted.close)


def resource(*parts: str) -> Traversable:
    """A shipped file or folder, for reading (works even when the package is zipped)."""
    return _ROOT.joinpath(*parts)


@cache
def resource_path(*parts: str) -> Path:
    """A real file-system path of a shipped file, for libraries that want one (fonts).

    For an ordinary install this is the file itself; from a zipped package it is extracted once
    to a temporary file that lives until the process ends.
    """
    target = resource(*parts)
    if isinstance(target, Path):
        return target
    return Path(_extracted.enter_context(resources.as_file(target)))


@cache
def load_json(*parts: str) -> Any:
    """A JSON resource, parsed once per process."""
    return json.loads(resource(*parts).read_text(encoding="utf-8"))


def list_names(*parts: str, suffix: str = "") -> list[str]:
    """The names of the files in a shipped folder that end in ``suffix``, sorted."""
    folder = resource(*parts)
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name.endswith(suffix))


def structure_templates() -> dict[str, dict[str, Any]]:
    """The shipped support structure templates by key ("vier-niveaus", "vijf-niveaus")."""
    out = {}
    for name in list_names("structures", suffix=".json"):
        data = load_json("structures", name)
        out[data["key"]] = data
    return out


def default_development_areas() -> list[str]:
    """The default development areas of a groeidocument."""
    return list(load_json("development_areas.json"))
