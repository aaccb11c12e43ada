"""The level timeline paints every level a pupil was on, area lines, and answers clicks."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage

from ib_desktop.models import LevelAssignment, Pupil
from ib_desktop.services import levels as level_service
from ib_desktop.services import pupil as pf
from ib_desktop.ui.pupil_file.level_timeline import LEFT_LINE, LevelTimeline
from tests.conftest import TODAY
from tests.ui.pupil_helpers import level_at


def _colours(image: QImage, step: int = 2) -> Counter:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    counts: Counter = Counter()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            counts[QColor(image.pixel(x, y)).name()] += 1
    return counts


@pytest.fixture
def history(school_db) -> pf.LevelHistory:
    """A pupil who climbed 1 -> 2 -> 3, came down to 2, with rekenen on a level of its own."""
    with school_db.session() as s:
        data = pf.PupilData(
            first_name="Daan",
            last_name="Visser",
            birth_date=date(2017, 5, 1),
            first_school_day=date(2021, 5, 3),
        )
        pupil = pf.create_pupil(s, school_db.school_id, data, today=TODAY)
        s.execute(
            sa.update(LevelAssignment)
            .where(LevelAssignment.pupil_id == pupil.id)
            .values(start_date=date(2021, 5, 3))
        )
        lv = [level_at(s, school_db.school_id, n) for n in (1, 2, 3)]
        level_service.change_level(s, pupil, lv[1], date(2022, 10, 3), "extra hulp", today=TODAY)
        level_service.change_level(s, pupil, lv[2], date(2024, 2, 5), "OPP nodig", today=TODAY)
        level_service.change_level(s, pupil, lv[1], date(2025, 6, 2), "doelen behaald", today=TODAY)
        level_service.change_level(
            s, pupil, lv[2], date(2025, 9, 1), "rekenen", area="Rekenen", today=TODAY
        )
        pid = pupil.id
    with school_db.session() as s:
        return pf.level_history(s, pid, today=TODAY)


def _timeline(qtbot, history) -> LevelTimeline:
    widget = LevelTimeline()
    qtbot.addWidget(widget)
    widget.resize(900, 320)
    widget.set_history(history, TODAY)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_every_level_present_is_painted_in_its_colour(qtbot, history) -> None:
    widget = _timeline(qtbot, history)
    counts = _colours(widget.grab().toImage())
    present = {step.level.color.lower() for step in history.steps}
    assert len(present) == 3
    for color in present:
        # The bars are filled with the level colour: many pixels, not just the small swatch.
        assert counts[color] > 150, (color, counts[color])
    absent = next(lvl.color.lower() for lvl in history.levels if lvl.color.lower() not in present)
    assert counts[absent] < 60  # level 4 only has its swatch beside the label


def test_area_line_and_legend(qtbot, history) -> None:
    widget = _timeline(qtbot, history)
    area_colour = QColor(history.current("Rekenen").level.color).darker(130).name()
    counts = _colours(widget.grab().toImage())
    assert counts[area_colour] > 10
    assert "Rekenen" in widget.summary()


def test_click_on_bar_selects_step(qtbot, history) -> None:
    widget = _timeline(qtbot, history)
    widget.grab()  # paint, so the bars are known
    target = history.steps[1]  # the move to level 2
    hit = next(h for h in widget._hits if h.step.assignment_id == target.assignment_id)  # noqa: SLF001
    centre = hit.rect.center()
    assert widget.step_at(QPointF(centre)).assignment_id == target.assignment_id
    with qtbot.waitSignal(widget.stepActivated) as blocker:
        qtbot.mouseClick(
            widget, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y()))
        )
    assert blocker.args == [target.assignment_id]


def test_empty_history_says_so(qtbot) -> None:
    widget = _timeline(qtbot, None)
    assert "Nog geen" in widget.summary()
    widget.grab()


def test_pupil_who_left_has_a_left_marker(qtbot, school_db) -> None:
    with school_db.session() as s:
        data = pf.PupilData(first_name="Noor", last_name="Bakker", birth_date=date(2016, 2, 1))
        pupil = pf.create_pupil(s, school_db.school_id, data, today=date(2025, 3, 1))
        pf.leave_school(s, pupil.id, date(2026, 1, 9), "sbo", today=TODAY)
        pid = pupil.id
    with school_db.session() as s:
        history = pf.level_history(s, pid, today=TODAY)
        assert s.get(Pupil, pid).left_on == date(2026, 1, 9)
    widget = _timeline(qtbot, history)
    assert _colours(widget.grab().toImage(), step=1)[LEFT_LINE.name()] > 40
