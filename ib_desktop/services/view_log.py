"""Who saw what (issue 19): opening a pupil's file, printing and exporting leave a line.

The lines sit beside the change log (``view_log``), are only ever added, and go only when the
whole file of the pupil is deleted after its retention (the foreign key cascades). Writing one
is a single INSERT in the caller's transaction, or one executemany for a batch of pupils, so
the hot paths (opening a file, printing a group) pay one statement and no extra read.

Only the IB-er (a role that reads restricted content) reads a pupil's log: who looked at a file
says something about the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.models import ViewLogEntry
from ib_desktop.models.base import now
from ib_desktop.permissions import Role, reads_restricted
from ib_desktop.services.audit import current_actor

OPENED = "geopend"
PRINTED = "afgedrukt"
EXPORTED = "geexporteerd"

#: How the screens show an action (translated where shown, context "ViewLog").
ACTION_LABELS = {
    OPENED: QT_TRANSLATE_NOOP("ViewLog", "geopend"),
    PRINTED: QT_TRANSLATE_NOOP("ViewLog", "afgedrukt"),
    EXPORTED: QT_TRANSLATE_NOOP("ViewLog", "geëxporteerd"),
}

NOT_ALLOWED = "Alleen de intern begeleider en de directie zien wie een dossier inzag."


@dataclass(frozen=True)
class ViewRow:
    """One line of a pupil's view log, as the screen and the inzage show it."""

    at: datetime
    actor: str
    login: str
    action: str
    what: str


def _values(
    pupil_id: int | None, action: str, what: str, actor: str | None, login: str | None
) -> dict[str, object]:
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown view action {action!r}")
    os_login = login or current_actor()
    return {
        "at": now(),
        "actor": (actor or os_login)[:200],
        "login": os_login[:100],
        "pupil_id": pupil_id,
        "action": action,
        "what": what[:200],
    }


def record_view(
    session: Session,
    pupil_id: int | None,
    action: str,
    what: str,
    *,
    actor: str | None = None,
    login: str | None = None,
) -> None:
    """One line: ``actor`` (the person's name; the login when none) did ``action`` on ``what``.

    A single INSERT in the caller's transaction; ``pupil_id`` None for what covers the school.
    """
    session.execute(sa.insert(ViewLogEntry).values(**_values(pupil_id, action, what, actor, login)))


def record_views(
    session: Session,
    pupil_ids: Iterable[int | None],
    action: str,
    what: str,
    *,
    actor: str | None = None,
    login: str | None = None,
) -> int:
    """The same line for several pupils (a group's OPPs printed at once) in one executemany."""
    rows = [_values(pid, action, what, actor, login) for pid in dict.fromkeys(pupil_ids)]
    if rows:
        session.execute(sa.insert(ViewLogEntry), rows)
    return len(rows)


def pupil_view_log(session: Session, pupil_id: int, *, role: Role = None) -> list[ViewRow]:
    """Who opened, printed or exported this pupil's file, newest first (ib and directie only)."""
    if not reads_restricted(role):
        from ib_desktop.services.pupil.restricted import RestrictedError

        raise RestrictedError(NOT_ALLOWED)
    rows = session.execute(
        sa.select(
            ViewLogEntry.at, ViewLogEntry.actor, ViewLogEntry.login,
            ViewLogEntry.action, ViewLogEntry.what,
        )
        .where(ViewLogEntry.pupil_id == pupil_id)
        .order_by(ViewLogEntry.at.desc(), ViewLogEntry.id.desc())
    ).all()  # fmt: skip
    return [ViewRow(*row) for row in rows]
