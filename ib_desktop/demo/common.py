"""What the demo's steps share: deterministic ids, Faker's names split, and school days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.names import split_trailing_tussenvoegsel, split_tussenvoegsel


class Ids:
    """Deterministic primary keys, handed out per table in insertion order."""

    def __init__(self, session: Session) -> None:
        self._next: dict[str, int] = {}
        self._session = session

    def __call__(self, model: Any) -> int:
        table = model.__table__
        if table.name not in self._next:
            current = self._session.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
            self._next[table.name] = current + 1
        value = self._next[table.name]
        self._next[table.name] += 1
        return value


def split_name(raw: str) -> tuple[str, str]:
    """Faker writes both "van Vliet" and "Bourgondië, van": split either into (tv, name)."""
    if "," in raw:
        return split_trailing_tussenvoegsel(raw)
    return split_tussenvoegsel(raw)


def school_day(d: date) -> date:
    """Move a weekend date to the following Monday."""
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d
