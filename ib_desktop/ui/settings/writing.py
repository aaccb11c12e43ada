"""Instellingen > Doelenbank and Tekstblokken: the school's goals to pick from and its paragraphs.

Both tabs edit a list as a whole and save it with one button (Ctrl+S); a change someone else
saved meanwhile is refused with a message, and the tab keeps what was typed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.pupil_rows import fold
from ib_desktop.services import writing
from ib_desktop.services.groups import grades_text
from ib_desktop.services.opp.parts import REQUIRED_GOAL_AREAS
from ib_desktop.services.school import development_areas
from ib_desktop.ui.widgets.rich_text import RichTextEdit
from ib_desktop.ui.widgets.table_model import (
    Column,
    TableModel,
    select_source_row,
    selected_source_row,
    table_view,
)
from ib_desktop.ui.writing.autosave import autosave_enabled, set_autosave_enabled
from ib_desktop.validation import ConcurrentEditError, ValidationErrors


class BankModel(TableModel):
    """The goals of the bank."""

    TR_CONTEXT = "BankModel"
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("BankModel", "Gebied"), lambda g: g.area),
        Column(
            QT_TRANSLATE_NOOP("BankModel", "Groep"),
            lambda g: grades_text(g.grade_low, g.grade_high),
            sort=lambda g: (g.grade_low, g.grade_high),
        ),
        Column(QT_TRANSLATE_NOOP("BankModel", "Doel"), lambda g: g.text, tooltip=lambda g: g.text),
    )


class _SearchProxy(QSortFilterProxyModel):
    """Rows with every typed word in their area or text (accents and case ignored)."""

    words: list[str] = []

    def filterAcceptsRow(  # noqa: N802 - Qt override
        self, row: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        goal = model.row_at(row) if isinstance(model, BankModel) else None
        if goal is None or not self.words:
            return True
        text = fold(f"{goal.area} {goal.text}")
        return all(w in text for w in self.words)


class GoalBankTab(QWidget):
    """The goal bank: search, add, change and remove goals per area and year group."""

    def __init__(self, ctx: Any, nav: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded_ids: list[int] = []
        self._saved: list[writing.BankGoal] = []
        self._filling = False
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoeken in de doelenbank…"))
        self.search.setClearButtonEnabled(True)
        self.model = BankModel(self)
        self.proxy = _SearchProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = table_view(self.proxy, name=self.tr("Doelenbank"))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.area = QComboBox()
        self.area.setEditable(True)
        self.low = QSpinBox()
        self.high = QSpinBox()
        for box in (self.low, self.high):
            box.setRange(1, 8)
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(90)
        self.text.setPlaceholderText(
            self.tr("Op {einddatum} kan de leerling … (meetbaar: hoe vaak, hoeveel goed)")
        )
        self.add_button = QPushButton(self.tr("Doel &toevoegen"))
        self.remove_button = QPushButton(self.tr("Doel &verwijderen"))
        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.discard_button = QPushButton(self.tr("&Ongedaan maken"))
        self.autosave_check = QCheckBox(
            self.tr("Editors slaan automatisch op terwijl ik typ (voor mij op deze computer)")
        )
        self.autosave_check.setChecked(autosave_enabled())
        self.autosave_check.toggled.connect(set_autosave_enabled)
        grades = QHBoxLayout()
        grades.addWidget(self.low)
        grades.addWidget(QLabel(self.tr("t/m")))
        grades.addWidget(self.high)
        grades.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("&Gebied:"), self.area)
        form.addRow(self.tr("Groep:"), grades)
        form.addRow(self.tr("&Doel:"), self.text)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(self.view, 1)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.autosave_check)
        self.search.textChanged.connect(self._on_search)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._fill())
        self.area.currentTextChanged.connect(self._store)
        self.low.valueChanged.connect(self._store)
        self.high.valueChanged.connect(self._store)
        self.text.textChanged.connect(self._store)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.load()

    def load(self) -> None:
        """The bank as stored."""
        with self.ctx.db.session() as s:
            goals = writing.load_goal_bank(s, self.ctx.school_id)
            areas = development_areas(s, self.ctx.school_id)
        self._saved = goals
        self._loaded_ids = [g.id for g in goals if g.id is not None]
        names = list(dict.fromkeys([*areas, *REQUIRED_GOAL_AREAS, *(g.area for g in goals)]))
        self._filling = True
        self.area.clear()
        self.area.addItems(names)
        self._filling = False
        self.model.set_rows([replace(g) for g in goals])
        select_source_row(self.view, 0)
        self._fill()

    def has_unsaved_changes(self) -> bool:
        """The list differs from what was loaded."""
        return self.model.rows() != self._saved

    @Slot()
    def save(self) -> bool:
        """Store the list; True when stored."""
        try:
            with self.ctx.db.session() as s:
                writing.save_goal_bank(
                    s, self.ctx.school_id, self.model.rows(), loaded_ids=self._loaded_ids,
                    actor=self.ctx.actor,
                )  # fmt: skip
        except ValidationErrors as exc:
            first = next(iter(exc.errors))
            row = int(first.split(".")[0]) if first[0].isdigit() else -1
            if row >= 0:
                self.search.clear()
                select_source_row(self.view, row)
            QMessageBox.warning(self, APP_NAME, "\n".join(exc.errors.values()))
            return False
        except ConcurrentEditError as exc:
            QMessageBox.warning(
                self, APP_NAME, str(exc) + "\n\n" + self.tr("Uw wijzigingen staan nog in de lijst.")
            )
            return False
        self.load()
        return True

    @Slot()
    def discard(self) -> None:
        """Back to the stored list."""
        self.load()

    def _current(self) -> int:
        return selected_source_row(self.view)

    def _fill(self) -> None:
        row = self._current()
        goal = self.model.row_at(row) if row >= 0 else None
        self._filling = True
        try:
            self.area.setCurrentText(goal.area if goal else "")
            self.low.setValue(goal.grade_low if goal else 1)
            self.high.setValue(goal.grade_high if goal else 8)
            self.text.setPlainText(goal.text if goal else "")
        finally:
            self._filling = False
        for w in (self.area, self.low, self.high, self.text, self.remove_button):
            w.setEnabled(goal is not None)

    @Slot()
    def _store(self, *_args: Any) -> None:
        row = self._current()
        if self._filling or row < 0:
            return
        goal = self.model.row_at(row)
        new = replace(
            goal, area=self.area.currentText().strip(), grade_low=self.low.value(),
            grade_high=self.high.value(), text=self.text.toPlainText(),
        )  # fmt: skip
        if new != goal:
            self.model.replace_row(row, new)

    @Slot(str)
    def _on_search(self, text: str) -> None:
        self.proxy.words = fold(text).split()
        self.proxy.invalidate()

    @Slot()
    def _on_add(self) -> None:
        self.search.clear()
        area = self.area.currentText().strip() or self.area.itemText(0)
        row = self.model.append(writing.BankGoal(area, "Op {einddatum} "))
        select_source_row(self.view, row)
        self._fill()
        self.text.setFocus()
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)

    @Slot()
    def _on_remove(self) -> None:
        row = self._current()
        if row >= 0:
            self.model.remove(row)
            select_source_row(self.view, min(row, self.model.rowCount() - 1))
            self._fill()


class TextBlocksTab(QWidget):
    """The school's text blocks with their placeholders."""

    def __init__(self, ctx: Any, nav: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._blocks: list[writing.TextBlockData] = []
        self._saved: list[writing.TextBlockData] = []
        self._loaded_ids: list[int] = []
        self._row = -1
        self._filling = False
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Tekstblokken"))
        self.title = QLineEdit()
        self.title.setMaxLength(120)
        self.used_for = QLineEdit()
        self.used_for.setMaxLength(80)
        self.used_for.setPlaceholderText(self.tr("bijv. OPP deel 5"))
        self.body = RichTextEdit(min_lines=8, max_lines=20)
        help_text = QLabel(
            self.tr("Plaatshouders: %s. Ze worden ingevuld voor de leerling van het document.")
            % ", ".join(f"{{{k}}} ({v})" for k, v in writing.PLACEHOLDERS.items())
        )
        help_text.setWordWrap(True)
        help_text.setStyleSheet("color:#555555;")
        self.add_button = QPushButton(self.tr("&Nieuw tekstblok"))
        self.remove_button = QPushButton(self.tr("Tekstblok &verwijderen"))
        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.discard_button = QPushButton(self.tr("&Ongedaan maken"))
        right = QWidget()
        form = QFormLayout(right)
        form.addRow(self.tr("&Naam:"), self.title)
        form.addRow(self.tr("&Bedoeld voor:"), self.used_for)
        form.addRow(self.tr("&Tekst:"), self.body)
        form.addRow(help_text)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.addWidget(splitter, 1)
        lay.addLayout(buttons)
        self.list.currentRowChanged.connect(self._on_row)
        self.title.textChanged.connect(self._store)
        self.used_for.textChanged.connect(self._store)
        self.body.textChanged.connect(self._store)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.load()

    def load(self) -> None:
        """The blocks as stored."""
        with self.ctx.db.session() as s:
            blocks = writing.load_text_blocks(s, self.ctx.school_id)
        self._saved = blocks
        self._blocks = [replace(b) for b in blocks]
        self._loaded_ids = [b.id for b in blocks if b.id is not None]
        self._refill(0)

    def has_unsaved_changes(self) -> bool:
        """The blocks differ from what was loaded."""
        self._store()
        return self._blocks != self._saved

    @Slot()
    def save(self) -> bool:
        """Store the blocks; True when stored."""
        self._store()
        try:
            with self.ctx.db.session() as s:
                writing.save_text_blocks(
                    s, self.ctx.school_id, self._blocks, loaded_ids=self._loaded_ids,
                    actor=self.ctx.actor,
                )  # fmt: skip
        except (ValidationErrors, ConcurrentEditError) as exc:
            text = "\n".join(exc.errors.values()) if isinstance(exc, ValidationErrors) else str(exc)
            QMessageBox.warning(self, APP_NAME, text)
            return False
        row = self._row
        self.load()
        self._refill(row)
        return True

    @Slot()
    def discard(self) -> None:
        """Back to the stored blocks."""
        self.load()

    def _refill(self, row: int) -> None:
        self._filling = True
        self.list.clear()
        for b in self._blocks:
            self.list.addItem(b.title or self.tr("(zonder naam)"))
        self._filling = False
        self._row = -1
        self.list.setCurrentRow(min(row, len(self._blocks) - 1))
        self._on_row(self.list.currentRow())

    @Slot(int)
    def _on_row(self, row: int) -> None:
        if self._filling:
            return
        self._store()
        self._row = row
        block = self._blocks[row] if 0 <= row < len(self._blocks) else None
        self._filling = True
        try:
            self.title.setText(block.title if block else "")
            self.used_for.setText(block.used_for if block else "")
            self.body.setMarkdown(block.body if block else "")
        finally:
            self._filling = False
        for w in (self.title, self.used_for, self.body, self.remove_button):
            w.setEnabled(block is not None)

    @Slot()
    def _store(self, *_args: Any) -> None:
        if self._filling or not (0 <= self._row < len(self._blocks)):
            return
        b = self._blocks[self._row]
        self._blocks[self._row] = replace(
            b, title=self.title.text(), used_for=self.used_for.text(), body=self.body.markdown()
        )
        item = self.list.item(self._row)
        if item is not None and item.text() != self.title.text():
            item.setText(self.title.text())

    @Slot()
    def _on_add(self) -> None:
        self._store()
        self._blocks.append(writing.TextBlockData(self.tr("Nieuw tekstblok"), "{roepnaam}"))
        self._refill(len(self._blocks) - 1)
        self.title.setFocus()
        self.title.selectAll()

    @Slot()
    def _on_remove(self) -> None:
        if not (0 <= self._row < len(self._blocks)):
            return
        block = self._blocks[self._row]
        answer = QMessageBox.question(
            self, self.tr("Tekstblok verwijderen"),
            self.tr("Het tekstblok '%s' verwijderen? Dit wordt pas definitief bij Opslaan.")
            % block.title,
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self._row
        del self._blocks[row]
        self._row = -1
        self._refill(max(0, row - 1))
