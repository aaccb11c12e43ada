"""What a screen needs from the application: the database, the school, and a navigator.

No global singletons: every page and window gets an :class:`AppContext` and the
:class:`Navigator` (the main window) passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # storage pulls in SQLAlchemy; the window shell must show without it
    from ib_desktop.storage import Database


def _current_actor() -> str:
    from ib_desktop.services.audit import current_actor

    return current_actor()


@dataclass
class AppContext:
    """The open database and school; ``today`` can be pinned in tests."""

    db: Database
    school_id: int
    actor: str = field(default_factory=_current_actor)
    today_fn: Callable[[], date] = date.today

    def today(self) -> date:
        """The date the app works with (the real date unless a test pins it)."""
        return self.today_fn()


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
