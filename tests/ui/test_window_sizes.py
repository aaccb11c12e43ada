"""Every window and dialog fits a school laptop (1366x768 with a task bar, at 100% and 125%),
keeps its buttons on screen, and opens again at the size the user gave it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from ib_desktop.models import Opp, OppVersion, Pupil, PupilStatus, StaffRole
from ib_desktop.models.school import Group
from ib_desktop.services import opp as opp_svc
from ib_desktop.services import plans
from ib_desktop.ui.widgets import window_size
from ib_desktop.ui.widgets.window_size import FRAME_ALLOWANCE, LAPTOP_100, LAPTOP_125
from tests.conftest import TODAY
from tests.ui.pupil_helpers import answer_boxes


class FakeNav:
    """What a window may ask of the main window."""

    def __init__(self) -> None:
        self.changed = 0

    def open_pupil(self, pupil_id: int) -> None:
        pass

    def open_document(self, *args, **kwargs) -> None:
        pass

    def show_page(self, key: str) -> None:
        pass

    def notify_changed(self) -> None:
        self.changed += 1


def _pupil(ctx) -> int:
    with ctx.db.session() as s:
        return s.scalars(
            sa.select(Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF, Pupil.group_id.is_not(None))
            .order_by(Pupil.id)
        ).first()


def _concept_opp(ctx) -> int:
    """An OPP whose newest version is a concept: the editor shows Vaststellen."""
    with ctx.db.session() as s:
        for opp in s.scalars(sa.select(Opp).order_by(Opp.id)):
            if opp.versions and not opp.versions[-1].is_frozen and opp.end_date is None:
                return opp.id
    raise AssertionError("the demo school has no concept OPP")


def _version(ctx) -> opp_svc.OppVersionData:
    with ctx.db.session() as s:
        vid = s.scalars(sa.select(OppVersion.id).order_by(OppVersion.id)).first()
        return opp_svc.load_version(s, vid)


def _staff(ctx) -> list[plans.StaffChoice]:
    with ctx.db.session() as s:
        return plans.staff_choices(s, ctx.school_id)


def _groups(ctx) -> list[tuple[int, str, int]]:
    with ctx.db.session() as s:
        return [(g.id, g.name, 0) for g in s.scalars(sa.select(Group).order_by(Group.id))]


def _main(ctx):
    from ib_desktop.ui.main_window import MainWindow

    return MainWindow(ctx)


def _opp_editor(ctx):
    from ib_desktop.ui.opp.entry import open_editor

    return open_editor(ctx, FakeNav(), doc_id=_concept_opp(ctx))


def _growth_editor(ctx):
    from ib_desktop.models import GrowthDocument
    from ib_desktop.ui.plans.growth_editor import open_editor

    with ctx.db.session() as s:
        doc = s.scalars(sa.select(GrowthDocument.id).order_by(GrowthDocument.id)).first()
    return open_editor(ctx, FakeNav(), doc_id=doc)


def _intervention_editor(ctx):
    from ib_desktop.ui.plans.intervention_editor import open_editor

    return open_editor(ctx, FakeNav(), pupil_id=_pupil(ctx))


def _pupil_file(ctx):
    from ib_desktop.ui.pupil_file.shell import PupilFileWindow

    return PupilFileWindow(ctx, FakeNav(), _pupil(ctx))


def _opp_versions(ctx):
    from ib_desktop.ui.opp.versions import OppVersionsWindow

    with ctx.db.session() as s:
        opp_id = s.scalars(sa.select(OppVersion.opp_id).where(OppVersion.number >= 2)).first()
    return OppVersionsWindow(ctx, FakeNav(), opp_id)


def _record(cls_name: str):
    def make(ctx):
        from ib_desktop.ui.pupil_file import child_dialogs as pupil_dialogs

        dialog = getattr(pupil_dialogs, cls_name)(None, ctx, _pupil(ctx))
        dialog.load()
        return dialog

    return make


def _import_wizard(ctx):
    from ib_desktop.ui.import_wizard import ImportWizard

    return ImportWizard(ctx)


def _first_run(ctx):
    from ib_desktop.ui.first_run import FirstRunWizard

    return FirstRunWizard(ctx.db, today=TODAY)


def _level_dialog(ctx):
    from ib_desktop.ui.pupil_file.level_dialog import LevelChangeDialog

    return LevelChangeDialog(None, ctx, _pupil(ctx))


def _new_pupil(ctx):
    from ib_desktop.ui.pupil_file.lifecycle_dialogs import NewPupilDialog

    return NewPupilDialog(None, ctx)


def _leave_school(ctx):
    from ib_desktop.ui.pupil_file.lifecycle_dialogs import LeaveSchoolDialog

    return LeaveSchoolDialog(None, ctx, _pupil(ctx), None)


def _delete_file(ctx):
    from ib_desktop.ui.pupil_file.lifecycle_dialogs import DeleteFileDialog

    return DeleteFileDialog(None, ctx, _pupil(ctx))


def _opp_end(ctx):
    from ib_desktop.ui.opp.end_dialog import OppEndDialog

    return OppEndDialog(
        pupil_name="Sanne", today=TODAY, start_date=date(2026, 1, 5), submit=lambda *a: {}
    )


def _holiday(ctx):
    from ib_desktop.models import Region
    from ib_desktop.ui.settings.holiday_dialogs import HolidayDialog

    return HolidayDialog(ctx, Region.MIDDEN)


def _schedule(ctx):
    from ib_desktop.ui.print_dialogs import ScheduleDialog

    staff = [(c.id, c.name) for c in _staff(ctx)]
    return ScheduleDialog(_groups(ctx), staff, TODAY)


def _group_opps(ctx):
    from ib_desktop.ui.print_dialogs import GroupOppsDialog

    return GroupOppsDialog(_groups(ctx))


def _group_overview(ctx):
    from ib_desktop.ui.print_dialogs import GroupOverviewDialog

    return GroupOverviewDialog(_groups(ctx))


def _restore(ctx):
    from ib_desktop.ui.backup import RestoreDialog

    return RestoreDialog(ctx.db.path.parent, ctx.db.path.stem)


def _history(ctx):
    from ib_desktop.ui.pupil_file.history_dialog import HistoryDialog

    return HistoryDialog([], "OPP van Sanne")


def _pdf_preview(ctx):
    from ib_desktop.reports.opp import opp_pdf
    from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    with ctx.db.session() as s:
        pdf = opp_pdf(s, _concept_opp(ctx))
    return PdfPreviewDialog(pdf, "OPP", "OPP test", None)


def _areas(ctx):
    from ib_desktop.ui.plans.growth_dialogs import AreasDialog

    return AreasDialog(["Rekenen", "Taal", "Lezen"], ["Rekenen"])


def _close_period(ctx):
    from ib_desktop.ui.plans.growth_dialogs import ClosePeriodDialog

    areas = ("Rekenen", "Taal", "Lezen", "Spelling", "Begrijpend lezen", "Werkhouding")
    goals = [plans.GoalData(None, area, goal="Doel " * 40) for area in areas]
    return ClosePeriodDialog(1, goals, _staff(ctx), None, TODAY, lambda *a: None)


def _discussed(ctx):
    from ib_desktop.ui.opp.conversation_dialog import DiscussedDialog

    return DiscussedDialog(TODAY)


def _fix(ctx):
    from ib_desktop.ui.opp.lifecycle_dialogs import FixDialog

    return FixDialog(TODAY, 2)


def _evaluate(ctx):
    from ib_desktop.ui.opp.lifecycle_dialogs import EvaluateDialog

    return EvaluateDialog(_version(ctx), TODAY)


def _conversation(ctx):
    from ib_desktop.ui.opp.conversation_dialog import ConversationDialog

    return ConversationDialog(None, TODAY)


def _consent(ctx):
    from ib_desktop.ui.opp.signature_dialogs import ConsentDialog

    return ConsentDialog("Isa Courtier", None, TODAY)


def _signature_entry(ctx):
    from ib_desktop.models.base import SignatureRole
    from ib_desktop.ui.opp.signature_dialogs import SignatureEntryDialog

    signers = [opp_svc.SignerChoice(SignatureRole.DIRECTIE, "J. de Vries")]
    return SignatureEntryDialog(signers, TODAY)


def _signature_pad(ctx):
    from ib_desktop.ui.widgets.signature_pad import SignatureDialog

    return SignatureDialog("Isa Courtier")


def _ics(ctx):
    from ib_desktop.ui.agenda import IcsExportDialog

    return IcsExportDialog([(c.id, c.name) for c in _staff(ctx)], None)


def _recovered(ctx):
    from ib_desktop.ui.recovery import RecoveredEditsDialog

    return RecoveredEditsDialog([])


def _evaluation(ctx):
    from ib_desktop.ui.plans.evaluation_dialog import EvaluationDialog

    with ctx.db.session() as s:
        teachers = [c.id for c in plans.staff_choices(s, ctx.school_id)
                    if c.role == StaffRole.LEERKRACHT]  # fmt: skip
        for teacher in teachers:
            tasks = plans.evaluation_tasks(s, ctx.school_id, teacher, today=TODAY)
            if tasks:
                return EvaluationDialog(ctx, tasks[0], _staff(ctx))
    raise AssertionError("no evaluation task in the demo school")


def _school_year_move(ctx):
    from ib_desktop.services import school_year as sy
    from ib_desktop.ui.school_year_move import SchoolYearMoveDialog

    with ctx.db.session() as s:
        plan = sy.plan_move(s, ctx.school_id)
    return SchoolYearMoveDialog(ctx, plan)


def _choose_user(ctx):
    from ib_desktop.ui.widgets.staff_picker import ChooseUserDialog

    return ChooseUserDialog(ctx)


def _login(ctx):
    from ib_desktop.ui.login import LoginDialog

    return LoginDialog(lambda login, password: None, where=ctx.db.label)


def _add_user(ctx):
    from ib_desktop.ui.settings.users import AddUserDialog

    return AddUserDialog(ctx)


def _user_password(ctx):
    from ib_desktop.ui.settings.users import PasswordDialog

    return PasswordDialog(ctx, "jdevries")


def _conflict(ctx):
    from ib_desktop.services.versioned import EditConflict, FieldConflict
    from ib_desktop.ui.widgets.conflict_dialog import ConflictDialog

    fields = [FieldConflict(f"f{i}", f"Veld {i}", "mijn tekst " * 60, "hun tekst " * 60)
              for i in range(6)]  # fmt: skip
    return ConflictDialog(EditConflict("het OPP", fields=fields, current_version=3))


#: Every top-level window and dialog of the app, by a function that opens it on the demo school.
WINDOWS: dict[str, Callable] = {
    "main_window": _main,
    "opp_editor": _opp_editor,
    "growth_editor": _growth_editor,
    "intervention_editor": _intervention_editor,
    "pupil_file": _pupil_file,
    "opp_versions": _opp_versions,
    "import_wizard": _import_wizard,
    "first_run": _first_run,
    "level_dialog": _level_dialog,
    "guardian": _record("GuardianDialog"),
    "care_provider": _record("CareProviderDialog"),
    "school_history": _record("HistoryDialog"),
    "assessment": _record("AssessmentDialog"),
    "meeting": _record("MeetingDialog"),
    "new_pupil": _new_pupil,
    "leave_school": _leave_school,
    "delete_file": _delete_file,
    "opp_end": _opp_end,
    "holiday": _holiday,
    "schedule_print": _schedule,
    "group_opps_print": _group_opps,
    "group_overview_print": _group_overview,
    "restore_backup": _restore,
    "change_history": _history,
    "pdf_preview": _pdf_preview,
    "growth_areas": _areas,
    "close_period": _close_period,
    "opp_discussed": _discussed,
    "opp_fix": _fix,
    "opp_evaluate": _evaluate,
    "opp_conversation": _conversation,
    "opp_consent": _consent,
    "opp_signature_entry": _signature_entry,
    "signature_pad": _signature_pad,
    "ics_export": _ics,
    "recovered_edits": _recovered,
    "evaluation": _evaluation,
    "school_year_move": _school_year_move,
    "choose_user": _choose_user,
    "login": _login,
    "add_user": _add_user,
    "user_password": _user_password,
    "edit_conflict": _conflict,
}


@pytest.fixture(autouse=True)
def _quiet(monkeypatch, no_dialogs):
    answer_boxes(monkeypatch, [], QMessageBox.StandardButton.Discard)
    yield
    window_size.set_available_override(None)


def _open(ctx, qtbot, name: str, screen: QRect) -> QWidget:
    window_size.set_available_override(screen)
    widget = WINDOWS[name](ctx)
    assert widget is not None, name
    qtbot.addWidget(widget)
    widget.move(screen.topLeft())
    widget.show()
    qtbot.waitExposed(widget)
    QApplication.processEvents()
    return widget


def _in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _check_fits(widget: QWidget, screen: QRect) -> None:
    frame = widget.size() + FRAME_ALLOWANCE
    assert frame.width() <= screen.width(), (widget.size(), screen)
    assert frame.height() <= screen.height(), (widget.size(), screen)
    # Every visible button outside a scroll area is inside the window, not cut off below it.
    for button in widget.findChildren(QAbstractButton):
        if not button.isVisibleTo(widget) or _in_scroll_area(button, widget):
            continue
        top_left = button.mapTo(widget, QPoint(0, 0))
        rect = QRect(top_left, button.size())
        assert widget.rect().contains(rect), (button.text(), rect, widget.size())


@pytest.mark.parametrize("name", sorted(WINDOWS))
@pytest.mark.parametrize("screen", [LAPTOP_100, LAPTOP_125], ids=["100%", "125%"])
def test_every_window_fits_a_school_laptop(ctx, qtbot, name, screen) -> None:
    widget = _open(ctx, qtbot, name, screen)
    _check_fits(widget, screen)
    if isinstance(widget, QDialog):
        widget.reject()
    else:
        widget.close()


def test_vaststellen_is_on_screen_in_the_opp_editor(ctx, qtbot) -> None:
    widget = _open(ctx, qtbot, "opp_editor", LAPTOP_125)
    button = widget.fix_button
    assert button.isVisible()
    assert button.isEnabled()
    rect = QRect(button.mapTo(widget, QPoint(0, 0)), button.size())
    assert widget.rect().contains(rect)


def test_a_window_opens_again_at_the_size_it_was_given(ctx, qtbot) -> None:
    first = _open(ctx, qtbot, "growth_editor", LAPTOP_100)
    first.resize(QSize(1180, 660))
    QApplication.processEvents()
    first.close()
    second = _open(ctx, qtbot, "growth_editor", LAPTOP_100)
    assert second.size() == QSize(1180, 660)
    second.close()
    # On a smaller screen (the same laptop at 125%) the remembered size is cut to what fits.
    third = _open(ctx, qtbot, "growth_editor", LAPTOP_125)
    assert third.width() + FRAME_ALLOWANCE.width() <= LAPTOP_125.width()
    assert third.height() + FRAME_ALLOWANCE.height() <= LAPTOP_125.height()
    assert third.width() > 900  # as wide as fits, not back to some small default


def test_a_dialog_remembers_its_size_too(ctx, qtbot) -> None:
    first = _open(ctx, qtbot, "change_history", LAPTOP_100)
    first.resize(QSize(700, 420))
    first.reject()
    second = _open(ctx, qtbot, "change_history", LAPTOP_100)
    assert second.size() == QSize(700, 420)


def test_fit_to_screen_never_makes_a_window_larger_than_the_screen(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.setMinimumSize(1200, 900)
    size = window_size.fit_to_screen(widget, QSize(1240, 820), LAPTOP_125)
    assert size.width() + FRAME_ALLOWANCE.width() <= LAPTOP_125.width()
    assert size.height() + FRAME_ALLOWANCE.height() <= LAPTOP_125.height()
    assert widget.minimumHeight() + FRAME_ALLOWANCE.height() <= LAPTOP_125.height()
