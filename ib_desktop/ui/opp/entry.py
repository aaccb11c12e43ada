"""Opening the OPP editor: on an OPP, or on a pupil's OPP (offering to start one).

The main window opens every OPP through :func:`open_editor`; the window it gets shows the
versions of its OPP when asked ("Versies…").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.models import Pupil, PupilStatus
from ib_desktop.services import opp as svc
from ib_desktop.ui.opp.versions import open_version
from ib_desktop.validation import ReadOnlyError, ValidationError


@dataclass
class _Found:
    """What there is to open: the newest version, and an OPP that has ended (for a pupil)."""

    version_id: int | None
    pupil_name: str = ""
    ended: svc.OppPeriod | None = None


def open_editor(
    ctx: Any, nav: Any, *, doc_id: int | None = None, pupil_id: int | None = None
) -> QWidget | None:
    """The editor of OPP ``doc_id`` (its newest version), or of the pupil's OPP.

    For a pupil without an OPP the user is asked to start one (version 1, a concept); so is the
    user for a pupil whose OPP has ended (answering no opens the ended OPP to read).
    """
    found = _find(ctx, doc_id, pupil_id)
    parent = nav if isinstance(nav, QWidget) else None
    start_new = _ask_to_start(parent, found)
    if start_new is None:
        return None
    version_id = found.version_id
    if start_new:
        version_id = _start(ctx, nav, parent, pupil_id)
        if version_id is None:
            return None
    assert version_id is not None
    return open_version(ctx, nav, version_id)


def _find(ctx: Any, doc_id: int | None, pupil_id: int | None) -> _Found:
    with ctx.db.session() as s:
        if doc_id is not None:
            return _Found(svc.newest_version_id(s, doc_id))
        if pupil_id is None:
            raise ValueError("open_editor needs doc_id or pupil_id")
        doc_id = svc.opp_for_pupil(s, pupil_id)
        pupil = s.get(Pupil, pupil_id)
        found = _Found(None, pupil.full_name if pupil else "")
        if doc_id is None:
            return found
        found.version_id = svc.newest_version_id(s, doc_id)
        if pupil is not None and pupil.status != PupilStatus.VERTROKKEN:
            period = svc.opp_period(s, doc_id)
            # After an OPP has ended a new one may start; the old one stays to be read.
            if period.end_date is not None and period.end_date < ctx.today():
                found.ended = period
        return found


def _ask_to_start(parent: QWidget | None, found: _Found) -> bool | None:
    """Whether to start a new OPP; None when the user wants neither a new nor the old one."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    if found.ended is not None:
        answer = QMessageBox.question(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "opp",
                "Het OPP van %s is beëindigd op %s. Een nieuw OPP starten (versie 1, concept)? "
                "Kies Nee om het beëindigde OPP in te zien.",
            )
            % (found.pupil_name, long_date(found.ended.end_date)),
            buttons,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
    if found.version_id is None:
        answer = QMessageBox.question(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "opp", "%s heeft nog geen OPP. Een nieuw OPP starten (versie 1, concept)?"
            )
            % found.pupil_name,
            buttons,
            QMessageBox.StandardButton.Yes,
        )
        return True if answer == QMessageBox.StandardButton.Yes else None
    return False


def _start(ctx: Any, nav: Any, parent: QWidget | None, pupil_id: int | None) -> int | None:
    """Start the pupil's OPP (version 1, a concept); its id, or None when refused."""
    try:
        with ctx.db.session() as s:
            version_id = svc.start_opp(s, pupil_id, on=ctx.today(), actor=ctx.actor).id
    except (ValidationError, ReadOnlyError) as exc:
        QMessageBox.warning(parent, APP_NAME, str(exc))
        return None
    nav.notify_changed()
    return version_id
