"""Writing faster in the OPP editor: goal bank, text blocks and autosave (issue 21).

:class:`WritingSupport` is a part of :class:`~ib_desktop.ui.opp.editor.OppEditorWindow`. A goal
from the bank becomes a goal of part 9; a text block goes to the cursor of the focused field
(parts 5, 6 and 10 are what the school's blocks are written for). A fixed version is read-only
and never autosaved.
"""

from __future__ import annotations

from typing import Any

from ib_desktop.services import writing
from ib_desktop.ui.opp.parts.goals import GoalsPage
from ib_desktop.ui.writing.actions import WritingActions
from ib_desktop.ui.writing.autosave import Autosaver


class WritingSupport:
    """The goal bank, text blocks and autosave of the OPP editor."""

    def _build_writing(self: Any) -> None:
        self.writing = WritingActions(
            self, self.toolbar, self.ctx,
            pupil_id=lambda: self._data.pupil_id if self._data is not None else None,
            insert_goal=self.insert_bank_goal, goal_area=self._bank_goal_area,
            read_only=lambda: self.read_only, editor=self.format_bar.editor,
        )  # fmt: skip
        self.autosaver = Autosaver(
            self,
            save=lambda: self.save(auto=True),
            can_save=lambda: self._data is not None and not self.read_only and self._dirty,
        )

    def _bank_goal_area(self: Any) -> str | None:
        page = self.page(9)
        if self.current_part() == 9 and isinstance(page, GoalsPage) and page._current >= 0:
            return page.area.currentText().strip() or None
        return None

    def insert_bank_goal(self: Any, goal: writing.BankGoal) -> None:
        """The goal becomes the chosen goal of part 9 when that is empty, else a new one."""
        self.go_to_part(9)
        page = self.page(9)
        if not isinstance(page, GoalsPage):
            return
        filled = page.insert_bank_goal(goal)
        if filled.unknown:
            self.statusBar().showMessage(
                self.tr("Doel ingevoegd. Vul de evaluatiedatum in voor %s.")
                % ", ".join(filled.unknown),
                0,
            )
        else:
            self.statusBar().showMessage(self.tr("Doel uit de doelenbank ingevoegd."), 8000)
