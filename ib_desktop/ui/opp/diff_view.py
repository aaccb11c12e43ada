"""Two versions of an OPP compared per part: what was deleted, what was added.

The diff view puts two versions side by side per part, with deleted words struck through in red
on the left and added words underlined in green on the right.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.services import opp as svc
from ib_desktop.services.labels import STATUS_LABELS

DELETE_STYLE = "background-color:#fde2e1; color:#8a1c1c; text-decoration: line-through;"
INSERT_STYLE = "background-color:#dcf5df; color:#14532d; text-decoration: underline;"
HEAD_STYLE = "padding:4px; background:#f3f4f6"


def _segments_html(segments: tuple[svc.Segment, ...], keep: str) -> str:
    """One side of a field diff: equal text plus the deleted or the added words, marked."""
    out = []
    for s in segments:
        text = html.escape(s.text).replace("\n", "<br>")
        if s.op == "equal":
            out.append(text)
        elif s.op == keep:
            out.append(
                f"<span style='{DELETE_STYLE if keep == 'delete' else INSERT_STYLE}'>{text}</span>"
            )
    empty = QCoreApplication.translate("opp", "(leeg)")
    return "".join(out) or f"<i style='color:#6b7280'>{empty}</i>"


def diff_html(
    diffs: list[svc.PartDiff], old_label: str, new_label: str, *, only_changed: bool = True
) -> str:
    """The comparison of two versions as HTML: per part a table with both texts side by side."""
    changed = [d for d in diffs if d.changed]
    parts = [_summary_html(len(changed), len(diffs), old_label, new_label)]
    for d in diffs:
        if not only_changed or d.changed:
            parts.append(_part_html(d, old_label, new_label))
    if only_changed and not changed:
        same = QCoreApplication.translate("opp", "De twee versies zijn inhoudelijk gelijk.")
        parts.append(f"<p><i>{same}</i></p>")
    return "".join(parts)


def _summary_html(changed: int, total: int, old_label: str, new_label: str) -> str:
    """How many parts changed, and what the two markings mean."""
    deleted = QCoreApplication.translate("opp", "Doorgestreept")
    inserted = QCoreApplication.translate("opp", "onderstreept")
    text = QCoreApplication.translate(
        "opp",
        "{changed} van de {total} delen zijn gewijzigd. {deleted}: staat alleen in {old}; "
        "{inserted}: nieuw in {new}.",
    ).format(
        changed=changed,
        total=total,
        deleted=f"<span style='{DELETE_STYLE}'>{deleted}</span>",
        old=html.escape(old_label),
        inserted=f"<span style='{INSERT_STYLE}'>{inserted}</span>",
        new=html.escape(new_label),
    )
    return f"<p>{text}</p>"


def _part_html(d: svc.PartDiff, old_label: str, new_label: str) -> str:
    """One part: its title and state, and for a changed part its fields side by side."""
    if d.changed:
        state, color = QCoreApplication.translate("opp", "gewijzigd"), "#b45309"
    else:
        state, color = QCoreApplication.translate("opp", "ongewijzigd"), "#2e7d32"
    title = (
        f"<h3 style='margin-top:14px'>{d.number}. {html.escape(d.title)} "
        f"<span style='font-weight:normal; font-size:small; color:{color}'>"
        f"({state})</span></h3>"
    )
    if not d.changed:
        return title
    rows = [
        "<tr>"
        f"<th width='18%' align='left' style='padding:4px'></th>"
        f"<th width='41%' align='left' style='{HEAD_STYLE}'>{html.escape(old_label)}</th>"
        f"<th width='41%' align='left' style='{HEAD_STYLE}'>{html.escape(new_label)}</th>"
        "</tr>"
    ]
    for c in d.changes:
        rows.append(
            "<tr>"
            f"<td valign='top' style='padding:4px'><b>{html.escape(c.label)}</b></td>"
            f"<td valign='top' style='padding:4px'>{_segments_html(c.segments, 'delete')}</td>"
            f"<td valign='top' style='padding:4px'>{_segments_html(c.segments, 'insert')}</td>"
            "</tr>"
        )
    return title + "<table width='100%' cellspacing='0' border='0'>" + "".join(rows) + "</table>"


class OppDiffView(QWidget):
    """Two versions chosen from combos, compared per part."""

    compared = Signal(int, int)  # old version id, new version id

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.old_combo = QComboBox()
        self.old_combo.setAccessibleName(self.tr("Oude versie"))
        self.new_combo = QComboBox()
        self.new_combo.setAccessibleName(self.tr("Nieuwe versie"))
        self.only_changed = QCheckBox(self.tr("Alleen gewijzigde &delen"))
        self.only_changed.setChecked(True)
        self.browser = QTextBrowser()
        self.browser.setObjectName("diffBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Verschillen"))
        self.diffs: list[svc.PartDiff] = []
        old_label = QLabel(self.tr("&Vergelijk versie"))
        old_label.setBuddy(self.old_combo)
        new_label = QLabel(self.tr("&met versie"))
        new_label.setBuddy(self.new_combo)
        row = QHBoxLayout()
        row.addWidget(old_label)
        row.addWidget(self.old_combo)
        row.addWidget(new_label)
        row.addWidget(self.new_combo)
        row.addSpacing(16)
        row.addWidget(self.only_changed)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.browser, 1)
        self.old_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.new_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.only_changed.toggled.connect(self._render)
        self._versions: list[svc.VersionSummary] = []
        self._labels: tuple[str, str] = ("", "")

    def set_versions(self, versions: list[svc.VersionSummary]) -> None:
        """The versions to choose from; compares the newest with the one before."""
        self._versions = versions
        for box in (self.old_combo, self.new_combo):
            box.blockSignals(True)
            box.clear()
            for v in versions:
                box.addItem(
                    self.tr("%d (%s)") % (v.number, STATUS_LABELS[v.status.value].lower()), v.id
                )
            box.blockSignals(False)
        if len(versions) >= 2:
            self.compare(versions[-2].id, versions[-1].id)
        else:
            self.browser.setHtml(
                "<p><i>"
                + self.tr(
                    "Er is nog maar één versie; na de eerste evaluatie kunt u hier versies "
                    "vergelijken."
                )
                + "</i></p>"
            )

    def compare(self, old_id: int, new_id: int) -> None:
        """Show the differences between two versions."""
        for box, vid in ((self.old_combo, old_id), (self.new_combo, new_id)):
            box.blockSignals(True)
            box.setCurrentIndex(box.findData(vid))
            box.blockSignals(False)
        with self.ctx.db.session() as s:
            self.diffs = svc.diff_versions(s, old_id, new_id)
        numbers = {v.id: v.number for v in self._versions}
        self._labels = (
            self.tr("versie %d") % numbers.get(old_id, 0),
            self.tr("versie %d") % numbers.get(new_id, 0),
        )
        self._render()
        self.compared.emit(old_id, new_id)

    def changed_parts(self) -> list[int]:
        """The numbers of the parts that differ in the comparison shown."""
        return [d.number for d in self.diffs if d.changed]

    @Slot()
    def _render(self, *_args: Any) -> None:
        if not self.diffs:
            return
        self.browser.setHtml(
            diff_html(self.diffs, *self._labels, only_changed=self.only_changed.isChecked())
        )

    @Slot()
    def _on_choice_changed(self, *_args: Any) -> None:
        old_id, new_id = self.old_combo.currentData(), self.new_combo.currentData()
        if old_id is not None and new_id is not None:
            self.compare(old_id, new_id)
