"""The change history: who changed what, when."""

from __future__ import annotations

import getpass
import os

from sqlalchemy.orm import Session

from ib_desktop.models import ChangeLog


def current_actor() -> str:
    """The person working: ``IB_DESKTOP_USER`` or the operating system's user name."""
    name = os.environ.get("IB_DESKTOP_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database on the machine
        return "onbekend"


def record(
    session: Session,
    entity: str,
    entity_id: int,
    action: str,
    *,
    field: str = "",
    old: object = "",
    new: object = "",
    summary: str = "",
    actor: str | None = None,
) -> ChangeLog:
    """Add one line to the history (in the caller's transaction)."""
    entry = ChangeLog(
        actor=actor or current_actor(),
        entity=entity,
        entity_id=entity_id,
        action=action,
        field=field,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
        summary=summary,
    )
    session.add(entry)
    return entry
