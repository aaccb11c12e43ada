"""The screens' side of issue 19: the role of the person working, and a line in the view log.

Both read the :class:`~ib_desktop.ui.context.AppContext`: the role comes from the current user
(``account_role``, filled by the accounts issue; None with accounts off), the name in the log is
the context's ``actor`` and the login the user's. Logging is one INSERT in the session the
screen already opened to build what it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ib_desktop.permissions import Role

#: The actions of ``ib_desktop.services.view_log`` (repeated here so a screen that logs does not
#: load SQLAlchemy on import; a test checks they agree).
OPENED = "geopend"
PRINTED = "afgedrukt"
EXPORTED = "geexporteerd"


def account_role(ctx: Any) -> Role:
    """The account role of the person working (None: accounts off, full rights)."""
    from ib_desktop.services.pupil.restricted import role_of

    return role_of(getattr(ctx, "user", None))


def log_views(
    session: Any, ctx: Any, pupil_ids: Iterable[int | None], action: str, what: str
) -> None:
    """Record that the person working opened, printed or exported ``what`` for these pupils."""
    from ib_desktop.services import view_log

    user = getattr(ctx, "user", None)
    view_log.record_views(
        session, pupil_ids, action, what, actor=ctx.actor, login=getattr(user, "login", None)
    )
