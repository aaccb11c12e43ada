"""What a screen needs from the application: the database, the school, and a navigator.

No global singletons: every page and window gets an :class:`AppContext` and the
:class:`Navigator` (the main window) passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # storage pulls in SQLAlchemy; the window shell must show without it
    from ib_desktop.services.accounts import Access
    from ib_desktop.services.identity import CurrentUser
    from ib_desktop.storage import Database


def _current_actor() -> str:
    from ib_desktop.services.audit import current_actor

    return current_actor()


@dataclass
class AppContext:
    """The open database and school; ``today`` can be pinned in tests.

    ``user`` is the member of staff working (chosen once with "Ik ben", kept per database);
    ``actor``, the name the change log records, is theirs once chosen and the operating
    system's login until then.
    """

    db: Database
    school_id: int
    actor: str = field(default_factory=_current_actor)
    today_fn: Callable[[], date] = date.today
    user: CurrentUser | None = None
    load_user: bool = True
    #: The logged-in account (None when the database has no accounts: full rights, as before).
    access: Access | None = None

    def __post_init__(self) -> None:
        self._login_actor = self.actor
        if self.access is not None:
            self._from_account(self.access)
        elif self.user is None and self.load_user:
            from ib_desktop.services.identity import load_current_user

            with self.db.session() as s:
                self.user = load_current_user(s, self.school_id, login=self._login_actor)
        if self.user is not None:
            self.actor = self.user.name

    def _from_account(self, access: Access) -> None:
        """With accounts the login says who works; every session carries the account."""
        from ib_desktop.services.accounts import bind_access
        from ib_desktop.services.identity import user_for_account

        bind_access(self.db.sessionmaker, access)
        with self.db.session() as s:
            self.user = user_for_account(
                s, self.school_id, access.login, access.role, access.staff_id
            )
        self._login_actor = access.login
        # The history names the person, as with "Ik ben"; an account without staff by its login.
        self.actor = self.user.name if self.user is not None else access.login

    @property
    def account_role(self) -> Any:
        """The logged-in account's role; None when accounts are off (full rights)."""
        return self.access.role if self.access is not None else None

    def today(self) -> date:
        """The date the app works with (the real date unless a test pins it)."""
        return self.today_fn()

    @property
    def user_staff_id(self) -> int | None:
        """The staff id of the person working (None until they chose themself)."""
        return self.user.staff_id if self.user is not None else None

    def choose_user(self, staff_id: int) -> CurrentUser:
        """The person working says who they are; remembered in this database for this login."""
        from ib_desktop.services.identity import choose_current_user

        with self.db.session() as s:
            user = choose_current_user(s, self.school_id, staff_id, login=self._login_actor)
        self.user = user
        self.actor = user.name
        return user

    def forget_user(self) -> None:
        """Nobody chosen any more: the change log records the login name again."""
        from ib_desktop.services.identity import forget_current_user

        with self.db.session() as s:
            forget_current_user(s, login=self._login_actor)
        self.user = None
        self.actor = self._login_actor


class Navigator(Protocol):
    """Opens files and documents and tells every screen that data changed."""

    def open_pupil(self, pupil_id: int) -> None:
        """Show the pupil file of this pupil (raising its window when already open)."""

    def open_document(
        self, kind: str, doc_id: int | None = None, *, pupil_id: int | None = None
    ) -> None:
        """Open a document editor; without ``doc_id`` a new document for ``pupil_id``."""

    def show_page(self, key: str) -> None:
        """Switch the main window to a page ("leerlingen", "agenda", ...)."""

    def notify_changed(self) -> None:
        """Something was saved: screens showing lists reload what they show."""
