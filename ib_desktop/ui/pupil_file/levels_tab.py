"""The tab Niveaus of the pupil file: the level timeline above the table of moves.

Op-/afschalen opens the level dialog; the last move can be taken back when it was a mistake.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import short_date
from ib_desktop.services import pupil as pf
from ib_desktop.ui.pupil_file.columns import (
    LEVEL_COLUMNS,
)
from ib_desktop.ui.pupil_file.form_helpers import (
    confirm,
)
from ib_desktop.ui.pupil_file.level_timeline import LevelTimeline
from ib_desktop.ui.pupil_file.record_table import RecordTab
from ib_desktop.validation import ReadOnlyError, ValidationErrors


class LevelsMixin:
    """The levels tab of :class:`PupilFileWindow`.

    Owns ``timeline`` and ``levels_tab``; uses the window's ``ctx``, ``nav``, ``file``, ``tabs``,
    ``reload`` and ``_changed``.
    """

    def _build_levels(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.timeline = LevelTimeline()
        self.timeline.setObjectName("level-timeline")
        splitter.addWidget(self.timeline)
        self.levels_tab = RecordTab(
            LEVEL_COLUMNS,
            add_text=QCoreApplication.translate("PupilFileWindow", "&Op-/afschalen…"),
            name="levels",
            sort_column=0,
            descending=True,
        )
        self.levels_tab.remove_button.setText(
            QCoreApplication.translate("PupilFileWindow", "&Laatste wijziging ongedaan maken…")
        )
        self.levels_tab.edit_button.hide()
        # Zienswijze ouders on a level decision (issue 19).
        self.level_view_button = QPushButton(
            QCoreApplication.translate("PupilFileWindow", "&Zienswijze ouders…")
        )
        self.level_view_button.setObjectName("levels-parent-view")
        self.level_view_button.clicked.connect(self._on_level_parent_view)
        self.level_view_button.setEnabled(False)
        buttons = self.levels_tab.buttons
        buttons.insertWidget(buttons.count() - 1, self.level_view_button)
        self.levels_tab.view.selectionModel().selectionChanged.connect(
            lambda *_a: self.level_view_button.setEnabled(
                self.levels_tab.current() is not None and not self.levels_tab.read_only
            )
        )
        self.levels_tab.addRequested.connect(self._on_change_level)
        self.levels_tab.removeRequested.connect(self._on_undo_level)
        self.levels_tab.view.selectionModel().selectionChanged.connect(self._on_level_row_selected)
        self.timeline.stepActivated.connect(
            lambda aid: self.levels_tab.select_where(lambda s: s.assignment_id == aid)
        )
        splitter.addWidget(self.levels_tab)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        lay.addWidget(splitter)
        return page

    @Slot()
    def _on_level_parent_view(self) -> None:
        from ib_desktop.ui.pupil_file.parent_view_dialog import ParentViewDialog

        step = self.levels_tab.current()
        if step is None or (self.file is not None and self.file.read_only):
            return
        about = QCoreApplication.translate("PupilFileWindow", "niveaubesluit %s, %s") % (
            step.level.label,
            short_date(step.start),
        )
        if ParentViewDialog.add_to(
            self, self.ctx, self.pupil_id, "level_assignment", step, about,
            record_id=step.assignment_id,
        ) is not None:  # fmt: skip
            self.reload()
            self._changed()

    # -------------------------------------------------------------- levels
    def _fill_levels(self, file: pf.PupilFile) -> None:
        """The table of moves and the timeline after a (re)load."""
        steps = list(file.levels.steps) if file.levels else []
        self.levels_tab.set_rows(
            steps, QCoreApplication.translate("PupilFileWindow", "Nog geen niveau vastgelegd.")
        )
        self.timeline.set_history(file.levels, self.ctx.today())

    @Slot()
    def _on_change_level(self) -> None:
        if self.file is None or self.file.read_only:
            return
        from ib_desktop.ui.pupil_file.level_dialog import LevelChangeDialog

        change = LevelChangeDialog.change(self, self.ctx, self.pupil_id, nav=self.nav)
        if change is not None:
            self.reload()
            self.tabs.setCurrentWidget(self.timeline.parentWidget().parentWidget())
            self.levels_tab.select_where(lambda s: s.assignment_id == change.assignment_id)
            self._changed()

    def _on_undo_level(self, step: pf.LevelStep) -> None:
        current = self.file.levels.current(step.area) if self.file and self.file.levels else None
        if current is None or current.assignment_id != step.assignment_id:
            current = current or step
            QMessageBox.information(
                self,
                APP_NAME,
                QCoreApplication.translate(
                    "PupilFileWindow",
                    "Alleen de laatste wijziging kan ongedaan worden gemaakt; dat is die van "
                    "%s (%s).",
                )
                % (short_date(current.start), current.level.label),
            )
            return
        if not confirm(
            self,
            QCoreApplication.translate("PupilFileWindow", "Laatste wijziging ongedaan maken"),
            QCoreApplication.translate(
                "PupilFileWindow",
                "De wijziging naar niveau %s van %s wordt verwijderd en het vorige niveau "
                "loopt weer door. Alleen doen bij een vergissing. Doorgaan?",
            )
            % (step.level.label, short_date(step.start)),
        ):
            return
        try:
            with self.ctx.db.session() as s:
                pf.undo_last_level_change(s, self.pupil_id, step.area, actor=self.ctx.actor)
        except ValidationErrors as exc:
            QMessageBox.information(self, APP_NAME, "\n".join(exc.errors.values()))
            return
        except (ReadOnlyError, pf.RecordGoneError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.reload()
        self._changed()

    @Slot()
    def _on_level_row_selected(self, *_args: Any) -> None:
        step = self.levels_tab.current()
        self.timeline.select_step(step.assignment_id if step is not None else None)
