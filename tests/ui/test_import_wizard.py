"""The import wizard, walked as the IB-er does: choose the file, map, preview, import."""

from __future__ import annotations

import csv

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWizard

from ib_desktop.importer import Field, read_table
from ib_desktop.models import ChangeLog, Group, Pupil, PupilStatus
from ib_desktop.ui.import_wizard import (
    ImportWizard,
    LeaverModel,
    MappingTableModel,
    SectionModel,
    import_action,
)
from tests.importer_exports import csv_bytes, dump

HEADERS = [
    "Leerlingnummer",
    "Achternaam",
    "Tussenvoegsel",
    "Roepnaam",
    "Geboortedatum",
    "Lokaal",
    "Leerkracht",
]


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch, no_dialogs) -> dict:
    """QFileDialog answers with the paths a test puts here; message boxes are recorded."""
    state: dict = {"open": "", "save": "", "opened": [], "saved": [], "boxes": no_dialogs}

    def get_open(parent, caption="", directory="", filter="", *args, **kwargs):
        state["opened"].append(caption)
        return state["open"], ""

    def get_save(parent, caption="", directory="", filter="", *args, **kwargs):
        state["saved"].append(directory)
        return state["save"], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", get_open)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save)
    return state


@pytest.fixture
def demo_export(ctx, tmp_path) -> dict:
    """The demo school as its LVS would export it today, with what a year brings.

    Two pupils are gone, two are new, one moved group, one name is spelled differently, and
    one row has an impossible birth date. The group column has a header the wizard does not
    know ("Lokaal"), so the user maps it by hand.
    """
    with ctx.db.session() as s:
        rows = s.execute(
            sa.select(Pupil, Group)
            .join(Group, Pupil.group_id == Group.id)
            .where(Pupil.status == PupilStatus.ACTIEF)
            .order_by(Pupil.id)
        ).all()
        table = [HEADERS]
        for pupil, group in rows:
            teacher = group.teachers[0].full_name if group.teachers else ""
            table.append(
                [
                    pupil.lvs_id,
                    pupil.last_name,
                    pupil.tussenvoegsel,
                    pupil.first_name,
                    pupil.birth_date.strftime("%d-%m-%Y"),
                    f"Groep {group.name}",
                    teacher,
                ]
            )
        gone = [table.pop(5), table.pop(5)]
        table[1][5] = "Groep 8" if table[1][5] != "Groep 8" else "Groep 7"  # moved
        table[2][3] = table[2][3] + "je"  # new spelling of the first name
        table += [
            ["900001", "Vermeulen", "", "Liv", "09-01-2022", "Groep 1/2", "J. de Vries"],
            ["900002", "Beek", "van", "Otis", "03-03-2022", "Groep 1/2", "J. de Vries"],
            ["900003", "Klaassen", "", "Bo", "31-02-2019", "Groep 3", ""],
        ]
    path = tmp_path / "leerlingen.csv"
    path.write_bytes(csv_bytes(table))
    return {
        "path": path,
        "gone": [g[0] for g in gone],
        "moved": table[1][0],
        "renamed": table[2][0],
        "active": len(rows),
        "bad_row": len(table),  # the last row; the header is row 1
    }


def click_next(qtbot, wizard: QWizard, button=QWizard.WizardButton.NextButton) -> None:
    qtbot.mouseClick(wizard.button(button), Qt.MouseButton.LeftButton)


def test_walk_the_wizard_end_to_end(qtbot, ctx, dialogs, demo_export, tmp_path) -> None:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert wizard.currentId() == ImportWizard.PAGE_FILE
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    # 1. choose the file with the file dialog
    dialogs["open"] = str(demo_export["path"])
    qtbot.mouseClick(wizard.file_page.browse_button, Qt.MouseButton.LeftButton)
    assert dialogs["opened"] == ["Export kiezen"]
    assert wizard.file_page.path_edit.text() == str(demo_export["path"])
    # Since issue 16 "the file holds all pupils" is off by default: the IB-er ticks it.
    check = wizard.file_page.full_check
    assert not check.isChecked()
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert check.isChecked()
    click_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PAGE_MAPPING

    # 2. the columns are guessed, except "Lokaal", which the user maps to Groep by typing
    page = wizard.mapping_page
    assert "UTF-8 (met BOM)" in page.source_label.text()
    assert page.model.mapping() == {
        0: Field.LVS_ID,
        1: Field.LAST_NAME,
        2: Field.TUSSENVOEGSEL,
        3: Field.FIRST_NAME,
        4: Field.BIRTH_DATE,
        5: None,
        6: Field.TEACHER,
    }
    combo = page.combo_for("Lokaal")
    assert combo.currentText() == "Niet importeren"
    combo.setFocus()
    qtbot.keyClicks(combo, "Groep")
    assert combo.currentText() == "Groep"
    assert page.model.mapping()[5] == Field.GROUP
    # "G" passed "Geboortedatum" on the way to "Groep": the birth date column kept its field.
    assert page.model.mapping()[4] == Field.BIRTH_DATE
    # Without a surname column the wizard says why and does not go on.
    surname = page.combo_for("Achternaam")
    surname.setFocus()
    qtbot.keyClicks(surname, "Niet")
    assert page.error_label.isVisible()
    assert "geen kolom met de achternaam" in page.error_label.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.wait(QApplication.keyboardInputInterval() + 100)  # a new keyboard search
    qtbot.keyClicks(surname, "Achternaam")
    assert surname.currentText() == "Achternaam"
    assert not page.error_label.isVisible()
    # The same field on two columns: explained, and no way on until it is solved.
    first_name = page.combo_for("Roepnaam")
    first_name.setFocus()
    qtbot.keyClicks(first_name, "Achternaam")
    assert "meer dan één kolom gekoppeld: Achternaam" in page.error_label.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.wait(QApplication.keyboardInputInterval() + 100)
    qtbot.keyClicks(first_name, "Roepnaam")
    assert not page.error_label.isVisible()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    click_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PAGE_PREVIEW

    # 3. preview: the sections with their counts
    preview = wizard.preview_page
    titles = [preview.tabs.tabText(i) for i in range(preview.tabs.count())]
    active = demo_export["active"]
    assert titles == [
        "Nieuw (2)",
        "Gewijzigd (2)",
        f"Ongewijzigd ({active - 4})",
        "Vertrekt (2)",
        "Afgewezen (1)",
    ]
    assert preview.tabs.currentIndex() == 0  # the first section with something to check
    changed = preview.models["gewijzigd"]
    summaries = {
        changed.item(r).data.lvs_id: changed.item(r).summary for r in range(changed.rowCount())
    }
    assert summaries[demo_export["moved"]].startswith("groep: ")
    assert summaries[demo_export["renamed"]].startswith("naam: ")
    rejected = preview.models["afgewezen"]
    assert rejected.index(0, 1).data() == "Geboortedatum '31-02-2019' bestaat niet"
    assert "1/2" in preview.summary_label.text()
    assert "J. de Vries" in preview.summary_label.text()

    # Export the rejected row to fix it.
    preview.tabs.setCurrentIndex(4)
    dialogs["save"] = str(tmp_path / "afgewezen")
    qtbot.mouseClick(preview.export_button, Qt.MouseButton.LeftButton)
    with (tmp_path / "afgewezen.csv").open(encoding="utf-8-sig") as fh:
        exported = list(csv.reader(fh, delimiter=";"))
    assert exported[0][:3] == ["Rij", "Reden", "Leerlingnummer"]
    assert exported[1][:3] == [
        str(demo_export["bad_row"]),
        "Geboortedatum '31-02-2019' bestaat niet",
        "900003",
    ]
    assert dialogs["boxes"]["information"]

    # Confirm one of the two leavers with the keyboard (Space on the check box).
    preview.tabs.setCurrentIndex(3)
    view = preview.views["vertrekt"]
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    confirmed = preview.confirmed_leavers()
    assert len(confirmed) == 1

    # 4. import: the confirmation is asked, then the summary page
    before_left = _count(ctx, PupilStatus.VERTROKKEN)
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "&Importeren"
    click_next(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert any(
        "1 leerling(en) krijgen de status 'vertrokken'" in q for q in dialogs["boxes"]["question"]
    )
    assert wizard.currentId() == ImportWizard.PAGE_DONE
    assert "Nieuwe leerlingen: 2" in wizard.done_page.result_label.text()
    assert "Als vertrokken gemarkeerd: 1" in wizard.done_page.result_label.text()

    with ctx.db.session() as s:
        assert (
            s.scalar(
                sa.select(sa.func.count())
                .select_from(Pupil)
                .where(Pupil.lvs_id.in_(["900001", "900002"]))
            )
            == 2
        )
        assert (
            s.scalar(sa.select(sa.func.count()).select_from(Pupil).where(Pupil.lvs_id == "900003"))
            == 0
        )
        left = s.get(Pupil, confirmed[0])
        assert left.status == PupilStatus.VERTROKKEN
        others = [lv for lv in demo_export["gone"] if lv != left.lvs_id]
        assert s.scalars(sa.select(Pupil.status).where(Pupil.lvs_id.in_(others))).all() == [
            PupilStatus.ACTIEF
        ]
        assert (
            s.scalars(sa.select(ChangeLog).where(ChangeLog.entity == "import")).one().actor
            == "Test IB-er"
        )
    assert _count(ctx, PupilStatus.VERTROKKEN) == before_left + 1
    click_next(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert not wizard.isVisible()


def _count(ctx, status: PupilStatus) -> int:
    with ctx.db.session() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Pupil).where(Pupil.status == status))


def test_an_unreadable_file_is_explained_next_to_the_field(qtbot, ctx, dialogs, tmp_path) -> None:
    garbage = tmp_path / "export.csv"
    garbage.write_bytes(bytes(range(256)) * 20)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.file_page
    page.path_edit.setFocus()
    qtbot.keyClicks(page.path_edit, str(garbage))
    click_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PAGE_FILE
    assert page.path_field.error_label.isVisible()
    assert "geen tekst- of CSV-bestand" in page.path_field.error_label.text()
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Backspace)  # editing clears the message
    assert not page.path_field.error_label.isVisible()


def test_tab_order_of_the_file_page(qtbot, ctx, dialogs) -> None:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    page = wizard.file_page
    page.path_edit.setFocus()
    assert wizard.focusWidget() is page.path_edit
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Tab)
    assert wizard.focusWidget() is page.browse_button
    # Issue 16 put the school year and the export's date between the file and the check box.
    qtbot.keyClick(page.browse_button, Qt.Key.Key_Tab)
    assert wizard.focusWidget() is page.year_combo
    qtbot.keyClick(page.year_combo, Qt.Key.Key_Tab)
    assert wizard.focusWidget() is page.date_edit.line  # the date field's text box
    qtbot.keyClick(page.date_edit, Qt.Key.Key_Tab)
    assert wizard.focusWidget() is page.full_check


def test_cancel_after_choosing_a_file_asks_first_and_changes_nothing(
    qtbot, ctx, dialogs, demo_export, monkeypatch
) -> None:
    before = dump(ctx.db)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(demo_export["path"]))
    click_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PAGE_MAPPING
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or next(answers)
    )
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.isVisible()
    assert asked == ["Het importeren afbreken? Er is nog niets gewijzigd."]
    click_next(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert not wizard.isVisible()
    assert len(asked) == 2
    after = dump(ctx.db)
    # Only the remembered column mapping (a setting) may have been written.
    assert {k: v for k, v in after.items() if k != "settings"} == {
        k: v for k, v in before.items() if k != "settings"
    }


def test_a_partial_export_proposes_no_leavers(qtbot, ctx, dialogs, demo_export) -> None:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.file_page.path_edit.setText(str(demo_export["path"]))
    # Issue 16: not a full export unless the IB-er ticks it (this test used to untick it).
    assert not wizard.file_page.full_check.isChecked()
    click_next(qtbot, wizard)
    wizard.mapping_page.model.set_field(5, Field.GROUP)
    click_next(qtbot, wizard)
    assert wizard.preview_page.tabs.tabText(3) == "Vertrekt (0)"
    assert "geen volledige export" in wizard.preview_page.leaver_hint.text()
    # Back to the columns, leave out the group, and the preview is made again.
    click_next(qtbot, wizard, QWizard.WizardButton.BackButton)
    assert wizard.currentId() == ImportWizard.PAGE_MAPPING
    wizard.mapping_page.model.set_field(5, None)
    click_next(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.tabs.count() == 5
    assert preview.tabs.tabText(1) == "Gewijzigd (1)"  # only the new spelling; no group changes
    assert preview.export_button.isEnabled()
    assert preview.export_button.isVisibleTo(preview.tabs.widget(4))


def test_menu_action_imports_and_tells_the_main_window(
    qtbot, main_window, dialogs, demo_export, monkeypatch
) -> None:
    def walk(self) -> int:
        self.show()
        self.file_page.path_edit.setText(str(demo_export["path"]))
        self.next()
        self.mapping_page.model.set_field(5, Field.GROUP)
        self.next()
        self.next()  # "Importeren"
        assert self.currentId() == ImportWizard.PAGE_DONE
        self.accept()
        return QWizard.DialogCode.Accepted.value

    monkeypatch.setattr(ImportWizard, "exec", walk)
    action = next(a for a in main_window.findChildren(type(main_window.menuBar().actions()[0]))
                  if a.data() == "ib_desktop.ui.import_wizard:import_action")  # fmt: skip
    assert action.shortcut().toString() == "Ctrl+I"
    with qtbot.waitSignal(main_window.dataChanged, timeout=5000):
        action.trigger()
    with main_window.ctx.db.session() as s:
        assert (
            s.scalar(sa.select(sa.func.count()).select_from(Pupil).where(Pupil.lvs_id == "900001"))
            == 1
        )


def test_nothing_imported_means_no_reload(qtbot, ctx, dialogs, monkeypatch) -> None:
    calls = []

    class Nav:
        def notify_changed(self) -> None:
            calls.append("changed")

    monkeypatch.setattr(ImportWizard, "exec", lambda self: QWizard.DialogCode.Rejected.value)
    import_action(ctx, Nav(), None)
    assert calls == []


# ----------------------------------------------------------------------------- models


def _check(model, qtlog) -> None:
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    assert tester is not None
    return tester


def test_models_pass_the_model_tester(qtbot, ctx, demo_export, qtlog) -> None:
    table = read_table(demo_export["path"])
    mapping = {i: None for i in range(len(table.headers))}
    mapping_model = MappingTableModel(table.headers, [["a", "b"]] * len(table.headers), mapping)
    testers = [_check(mapping_model, qtlog)]
    mapping_model.setData(
        mapping_model.index(1, MappingTableModel.COL_FIELD), Field.LAST_NAME.value
    )
    mapping_model.setData(
        mapping_model.index(2, MappingTableModel.COL_FIELD), Field.LAST_NAME.value
    )
    # A field chosen twice is not taken from the other column; it is shown as a conflict.
    assert mapping_model.mapping()[1] == mapping_model.mapping()[2] == Field.LAST_NAME
    assert mapping_model.duplicate_rows() == {1, 2}
    assert mapping_model.index(2, 0).data(MappingTableModel.RowRole) == (
        2,
        "Tussenvoegsel",
        Field.LAST_NAME,
    )
    assert not mapping_model.setData(
        mapping_model.index(2, MappingTableModel.COL_FIELD), "schoenmaat"
    )

    from ib_desktop.importer import build_plan, initial_mapping

    with ctx.db.session() as s:
        guessed, _ = initial_mapping(s, table.headers)
        guessed[5] = Field.GROUP
        plan = build_plan(s, table, guessed, school_id=ctx.school_id, today=ctx.today())
    for key, items in (
        ("nieuw", plan.new),
        ("gewijzigd", plan.changed),
        ("ongewijzigd", plan.unchanged),
        ("afgewezen", plan.rejected),
    ):
        model = SectionModel(key, items)
        testers.append(_check(model, qtlog))
        assert model.rowCount() == len(items)
        assert model.index(0, 0).data(SectionModel.RowRole) is items[0]
        assert isinstance(model.index(0, 0).data(SectionModel.SortRole), int)
    leavers = LeaverModel(plan.leavers)
    testers.append(_check(leavers, qtlog))
    leavers.setData(
        leavers.index(1, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert leavers.confirmed() == [plan.leavers[1].pupil_id]
    leavers.set_all(True)
    assert len(leavers.confirmed()) == 2
    leavers.set_all(False)
    assert leavers.confirmed() == []
    assert not [r for r in qtlog.records if "FAIL" in r.message]


def test_cancelling_the_progress_dialog_imports_nothing(
    qtbot, ctx, dialogs, demo_export, monkeypatch
) -> None:
    from PySide6.QtWidgets import QProgressDialog

    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(demo_export["path"]))
    click_next(qtbot, wizard)
    wizard.mapping_page.model.set_field(5, Field.GROUP)
    click_next(qtbot, wizard)
    before = dump(ctx.db)
    monkeypatch.setattr(
        QProgressDialog, "wasCanceled", lambda self: True
    )  # the user pressed "Afbreken"
    click_next(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == ImportWizard.PAGE_PREVIEW  # still here, can try again
    assert dialogs["boxes"]["warning"] == ["Het importeren is afgebroken; er is niets gewijzigd."]
    assert dump(ctx.db) == before
