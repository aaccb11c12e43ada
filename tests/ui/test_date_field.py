"""The one date field, typed into real dialogs: every usual way of writing a date works,
nothing typed is changed behind the user's back, and a bad date keeps the form from saving."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QMessageBox, QWidget

from ib_desktop.models import Assessment, CareProvider, Holiday, Pupil, PupilStatus, Region
from ib_desktop.ui.opp.end_dialog import OppEndDialog
from ib_desktop.ui.pupil_file.child_dialogs import AssessmentDialog, CareProviderDialog
from ib_desktop.ui.settings.holiday_dialogs import HolidayDialog
from ib_desktop.ui.widgets.date_field import DateField, check_dates
from tests.conftest import TODAY
from tests.ui.pupil_helpers import answer_boxes

CTRL = Qt.KeyboardModifier.ControlModifier
TYPED_4_NOVEMBER = ["4-11-2026", "04-11-2026", "04-11-26", "4 nov 2026", "4 november 2026",
                    "4/11/2026"]  # fmt: skip


@pytest.fixture(autouse=True)
def _boxes(monkeypatch, no_dialogs) -> None:
    """No message box ever waits for an answer (a failing test must not hang)."""
    answer_boxes(monkeypatch, [], QMessageBox.StandardButton.Discard)


@pytest.fixture
def pupil_id(ctx) -> int:
    with ctx.db.session() as s:
        return s.scalars(
            sa.select(Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF, Pupil.group_id.is_not(None))
            .order_by(Pupil.id)
        ).first()


def type_into(qtbot, field: QWidget, text: str) -> None:
    """Click into the field, select what is there, and type over it (as a user does)."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(field, text)


def shown(dialog: QWidget) -> QWidget:
    dialog.show()
    return dialog


@pytest.mark.parametrize("typed", TYPED_4_NOVEMBER)
def test_each_format_typed_into_an_assessment_is_saved(ctx, qtbot, pupil_id, typed) -> None:
    dialog = AssessmentDialog(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    shown(dialog)
    assert dialog.load()
    type_into(qtbot, dialog.date_edit, typed)
    # What was typed stays as typed; beside it, the date it reads.
    assert dialog.date_edit.text() == typed
    assert dialog.date_edit.feedback.text() in ("4 november 2026", "")
    assert dialog.date_edit.value() == date(2026, 11, 4)
    dialog.kind_combo.setCurrentIndex(1)
    type_into(qtbot, dialog.by_edit, "Orthopedagoog SWV")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_id is not None
    with ctx.db.session() as s:
        assert s.get(Assessment, dialog.saved_id).date == date(2026, 11, 4)


def test_typing_into_an_empty_field_keeps_the_text_and_empty_means_no_date(
    ctx, qtbot, pupil_id
) -> None:
    dialog = CareProviderDialog(None, ctx, pupil_id)
    qtbot.addWidget(dialog)
    shown(dialog)
    assert dialog.load()
    assert dialog.end_edit.text() == ""
    type_into(qtbot, dialog.organisation_edit, "Wijkteam")
    type_into(qtbot, dialog.start_edit, "01-09-2026")
    # QDateEdit made "-04122026" of this; here it stays what was typed.
    type_into(qtbot, dialog.end_edit, "04-12-2026")
    assert dialog.end_edit.text() == "04-12-2026"
    assert dialog.end_edit.feedback.text() == "4 december 2026"
    assert dialog.end_edit.feedback.isVisible()
    type_into(qtbot, dialog.end_edit, "")  # changed my mind: no end date
    assert dialog.end_edit.problem() == ""
    assert not dialog.end_edit.feedback.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_id is not None
    with ctx.db.session() as s:
        row = s.get(CareProvider, dialog.saved_id)
        assert (row.start_date, row.end_date) == (date(2026, 9, 1), None)


def test_a_date_that_does_not_exist_is_refused_with_a_message(ctx, qtbot) -> None:
    dialog = HolidayDialog(ctx, Region.MIDDEN)
    qtbot.addWidget(dialog)
    shown(dialog)
    type_into(qtbot, dialog.name_edit, "Studiedag")
    type_into(qtbot, dialog.start_edit, "31-02-2026")
    assert dialog.start_edit.text() == "31-02-2026"  # not "corrected" into another date
    message = dialog.start_edit.feedback.text()
    assert "31-02-2026" in message
    assert "geen bestaande datum" in message
    assert dialog.start_edit.feedback.isVisible()
    with ctx.db.session() as s:
        before = s.scalar(sa.select(sa.func.count()).select_from(Holiday))
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # Opslaan
    assert dialog.isVisible()
    assert dialog.saved is None
    assert dialog.focusWidget() is dialog.start_edit.line
    with ctx.db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Holiday)) == before
    # Fixed: the same button saves.
    type_into(qtbot, dialog.start_edit, "28-2-2026")
    type_into(qtbot, dialog.end_edit, "28 februari 2026")
    assert dialog.end_edit.value() == date(2026, 2, 28)
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    assert (dialog.saved.start, dialog.saved.end) == (date(2026, 2, 28), date(2026, 2, 28))


def test_a_date_past_the_maximum_is_reported_not_clamped(qtbot) -> None:
    submitted: list[tuple[date, str]] = []
    dialog = OppEndDialog(
        pupil_name="Sanne",
        today=TODAY,
        start_date=date(2026, 1, 5),
        submit=lambda end, reason: submitted.append((end, reason)) or {},
    )
    qtbot.addWidget(dialog)
    shown(dialog)
    type_into(qtbot, dialog.end_date, "31-07-2027")
    assert dialog.end_date.text() == "31-07-2027"  # QDateEdit made 18-07-2027 of this
    # The limit (today in the tests' pinned calendar) is named, the typed date is kept.
    assert "31 juli 2027 ligt na 18 november 2026" in dialog.end_date.feedback.text()
    type_into(qtbot, dialog.reason, "Verhuisd")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert submitted == []
    assert dialog.isVisible()
    assert dialog.end_date.text() == "31-07-2027"


def test_the_calendar_picks_a_date(ctx, qtbot) -> None:
    dialog = HolidayDialog(ctx, Region.MIDDEN)
    qtbot.addWidget(dialog)
    shown(dialog)
    type_into(qtbot, dialog.start_edit, "19-12-2026")
    qtbot.keyClick(dialog.start_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = dialog.start_edit.calendar_popup
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    calendar = popup.findChild(QCalendarWidget)
    assert calendar.selectedDate().toPython() == date(2026, 12, 19)
    view = calendar.focusWidget() or calendar
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert dialog.start_edit.text() == "20-12-2026"
    assert dialog.start_edit.value() == date(2026, 12, 20)
    assert dialog.start_edit.isModified()


def test_an_editor_window_refuses_to_save_a_bad_date(ctx, qtbot, pupil_id, no_dialogs) -> None:
    from ib_desktop.models import ShortIntervention
    from ib_desktop.ui.plans import intervention_editor

    class Nav:
        def notify_changed(self) -> None:
            pass

        def open_pupil(self, _pupil_id: int) -> None:
            pass

    window = intervention_editor.open_editor(ctx, Nav(), pupil_id=pupil_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.goal_edit.setFocus()
    qtbot.keyClicks(window.goal_edit, "Leest AVI-E4.")
    type_into(qtbot, window.end_edit, "31-11-2026")
    assert "november 2026 heeft 30 dagen" in window.end_edit.feedback.text()
    assert window.save() is False
    assert window.data.id is None
    with ctx.db.session() as s:
        assert not s.scalars(sa.select(ShortIntervention).where(
            ShortIntervention.pupil_id == pupil_id, ShortIntervention.goal == "Leest AVI-E4."
        )).first()  # fmt: skip
    type_into(qtbot, window.end_edit, "30-12-2026")
    assert window.save() is True
    with ctx.db.session() as s:
        assert s.get(ShortIntervention, window.data.id).end_date == date(2026, 12, 30)


def test_required_field_left_empty_says_so_only_when_saving(qtbot) -> None:
    from ib_desktop.ui.widgets.forms import date_edit

    holder = QWidget()
    qtbot.addWidget(holder)
    field = date_edit(TODAY, holder)
    holder.show()
    field.clear()
    assert not field.feedback.isVisible()  # no red text while the user is still busy
    assert check_dates(holder) is False
    assert "Vul een datum in" in field.feedback.text()
    assert field.feedback.isVisible()


def test_no_qdateedit_is_left_in_the_app() -> None:
    """Every date in the app is typed into the one DateField: no QDateEdit is made anywhere."""
    import re
    from pathlib import Path

    import ib_desktop.ui as ui

    made = re.compile(
        r"QDateEdit\s*\(|QDateTimeEdit\s*\(|import[^\n]*QDateEdit|^\s+QDateEdit,", re.M
    )
    sources = Path(ui.__file__).parent.rglob("*.py")
    offenders = [path.name for path in sources if made.search(path.read_text())]
    assert offenders == []
    assert issubclass(DateField, QWidget)
    assert not issubclass(DateField, QDateEdit)
