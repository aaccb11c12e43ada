"""Helpers for the pupil-file tests: a recording navigator, modal-dialog driving, test pupils."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from ib_desktop.models import LevelAssignment, Opp, Pupil, PupilStatus, SupportLevel
from ib_desktop.services import levels as level_service


@dataclass
class FakeNav:
    """A navigator that records what the screens asked for."""

    opened_pupils: list[int] = field(default_factory=list)
    documents: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    changes: int = 0

    def open_pupil(self, pupil_id: int) -> None:
        self.opened_pupils.append(pupil_id)

    def open_document(
        self, kind: str, doc_id: int | None = None, *, pupil_id: int | None = None
    ) -> None:
        self.documents.append((str(kind), doc_id, pupil_id))

    def show_page(self, key: str) -> None:
        pass

    def notify_changed(self) -> None:
        self.changes += 1


class ModalDriver:
    """Runs ``action(dialog)`` on the next modal dialog of a type, as a user would act on it.

    Should the action fail, the dialog is closed anyway so the test never hangs; the error is
    raised again by :meth:`check`.
    """

    def __init__(
        self, cls: type[QWidget], action: Callable[[Any], None], *, polls: int = 300
    ) -> None:
        self.cls = cls
        self.action = action
        self.polls = polls
        self.error: BaseException | None = None
        self.ran = False
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, self.cls):
            self.ran = True
            try:
                self.action(widget)
            except BaseException as exc:  # noqa: BLE001 - re-raised in check()
                self.error = exc
            if widget.isVisible() and isinstance(widget, QDialog) and self.error is not None:
                widget.done(0)
            return
        self.polls -= 1
        if self.polls > 0:
            QTimer.singleShot(10, self._poll)

    def check(self) -> None:
        """Raise what went wrong inside the dialog, or fail when no dialog came."""
        if self.error is not None:
            raise self.error
        assert self.ran, f"no {self.cls.__name__} appeared"


def active_pupil(
    session, *, ascii_name: bool = True, level_position: int | None = 1, without_opp: bool = True
) -> Pupil:
    """An active pupil of the demo school that fits, for a test to work on."""
    query = (
        sa.select(Pupil)
        .join(LevelAssignment, LevelAssignment.pupil_id == Pupil.id)
        .join(SupportLevel, SupportLevel.id == LevelAssignment.level_id)
        .where(
            Pupil.status == PupilStatus.ACTIEF,
            LevelAssignment.end_date.is_(None),
            LevelAssignment.area == "",
        )
        .order_by(Pupil.id)
    )
    if level_position is not None:
        query = query.where(SupportLevel.position == level_position)
    if without_opp:
        query = query.where(~sa.exists().where(Opp.pupil_id == Pupil.id))
    for pupil in session.scalars(query):
        if not ascii_name or pupil.full_name.isascii():
            return pupil
    raise LookupError("no fitting pupil in the demo school")


def level_at(session, school_id: int, position: int) -> SupportLevel:
    """The level of the school's staircase at ``position``."""
    from ib_desktop.models import School

    school = session.get(School, school_id)
    return next(lvl for lvl in school.support_structure.levels if lvl.position == position)


def current_position(session, pupil_id: int) -> int | None:
    """The position of the pupil's open level (the whole pupil)."""
    current = level_service.current_assignment(session, pupil_id)
    return current.level.position if current else None


def answer_boxes(
    monkeypatch,
    answers: list[QMessageBox.StandardButton],
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.Cancel,
) -> list[str]:
    """Make ``QMessageBox.exec`` (instances) answer from ``answers``; returns the texts asked.

    A test never hangs on a message box: when the answers run out, ``default`` is given.
    """
    asked: list[str] = []

    def fake_exec(self: QMessageBox) -> int:
        asked.append(self.text())
        return int((answers.pop(0) if answers else default).value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return asked
