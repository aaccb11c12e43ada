"""Where the shipped data lives: support structure templates, default areas, holidays, fonts."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``."""
    return RESOURCES.joinpath(*parts)


@cache
def load_json(*parts: str) -> Any:
    """A JSON resource, parsed once per process."""
    return json.loads(resource_path(*parts).read_text(encoding="utf-8"))


def structure_templates() -> dict[str, dict[str, Any]]:
    """The shipped support structure templates by key ("vier-niveaus", "vijf-niveaus")."""
    out = {}
    for p in sorted(resource_path("structures").glob("*.json")):
        data = load_json("structures", p.name)
        out[data["key"]] = data
    return out


def default_development_areas() -> list[str]:
    """The default development areas of a groeidocument."""
    return list(load_json("development_areas.json"))
