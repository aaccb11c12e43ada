"""The import wizard with real school data (issue 16): EDEXML, the school year of the export,
possible twins to decide, the leavers' date and the question before many leavers."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMessageBox, QWizard

from ib_desktop.models import Group, GroupMembership, Pupil, PupilStatus, SchoolYear
from ib_desktop.ui.import_wizard import ImportWizard, TwinModel
from tests.importer_exports import csv_bytes, dump, write_edexml

HEADERS = ["Leerlingnummer", "Achternaam", "Tussenvoegsel", "Roepnaam", "Geboortedatum", "Groep"]


@pytest.fixture
def answer_no(monkeypatch: pytest.MonkeyPatch, no_dialogs) -> dict:
    """Questions are answered "Nee" (and recorded); other message boxes as ``no_dialogs``."""

    def question(parent, title, text, *args, **kwargs):
        no_dialogs["question"].append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return no_dialogs


def open_wizard(qtbot, ctx) -> ImportWizard:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def click(qtbot, wizard: QWizard, button=QWizard.WizardButton.NextButton) -> None:
    qtbot.mouseClick(wizard.button(button), Qt.MouseButton.LeftButton)


def tick_full_export(qtbot, wizard: ImportWizard) -> None:
    check = wizard.file_page.full_check
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert check.isChecked()


def type_date(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def active_rows(ctx, limit: int | None = None) -> list[list[str]]:
    """Active demo pupils as an LVS export row each."""
    with ctx.db.session() as s:
        rows = s.execute(
            sa.select(Pupil, Group)
            .join(Group, Pupil.group_id == Group.id)
            .where(Pupil.status == PupilStatus.ACTIEF)
            .order_by(Pupil.id)
            .limit(limit)
        ).all()
        return [[p.lvs_id, p.last_name, p.tussenvoegsel, p.first_name,
                 p.birth_date.strftime("%d-%m-%Y"), g.name] for p, g in rows]  # fmt: skip


def memberships(s) -> list[tuple[int, int, int]]:
    return sorted(
        (m.pupil_id, m.group_id, m.school_year_id) for m in s.scalars(sa.select(GroupMembership))
    )


def test_edexml_through_the_wizard(qtbot, ctx, no_dialogs, tmp_path) -> None:
    path = write_edexml(tmp_path / "EDEX.XML", schooljaar="2026-2027")
    wizard = open_wizard(qtbot, ctx)
    wizard.file_page.path_edit.setText(str(path))
    assert wizard.file_page.school_year() == "2026-2027"  # the current one (18 Nov 2026)
    click(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PAGE_MAPPING
    page = wizard.mapping_page
    assert "EDEXML, schooljaar 2026-2027" in page.source_label.text()
    assert page.combo_for("Voorvoegsel").currentText() == "Tussenvoegsel"
    assert page.combo_for("Leerkracht(en)").currentText() == "Leerkracht(en)"
    assert page.combo_for("Voornamen").currentText() == "Niet importeren"
    click(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.tabs.tabText(0) == "Nieuw (6)"
    assert preview.tabs.tabText(3) == "Vertrekt (0)"  # not a full export unless ticked
    assert "Nieuwe groepen: 1/2, Uilen, 5A" in preview.summary_label.text()
    assert "Mohamed El Amrani" in preview.summary_label.text()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == ImportWizard.PAGE_DONE
    with ctx.db.session() as s:
        noah = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "3004")).one()
        assert (noah.tussenvoegsel, noah.last_name, noah.gender) == ("", "El Amrani", "m")
        assert noah.group.school_year.label == "2026-2027"
        assert sorted(t.full_name for t in noah.group.teachers) == [
            "Anna de Vries", "Mohamed El Amrani",
        ]  # fmt: skip
        zoe = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "3002")).one()
        assert zoe.first_name == unicodedata.normalize("NFC", "Zoë")


def test_the_school_year_and_date_of_the_export_are_asked(qtbot, ctx, no_dialogs, tmp_path) -> None:
    """Next year's list, imported in November: the groups go to next year, this year's
    history stays as it was."""
    rows = active_rows(ctx, limit=12)
    moved = [[*r[:5], f"Groep {r[5]}"] for r in rows]
    path = tmp_path / "volgend-jaar.csv"
    path.write_bytes(csv_bytes([HEADERS, *moved]))
    with ctx.db.session() as s:
        before = memberships(s)
    wizard = open_wizard(qtbot, ctx)
    page = wizard.file_page
    page.path_edit.setText(str(path))
    assert [page.year_combo.itemText(i) for i in range(page.year_combo.count())] == [
        "2025-2026", "2026-2027", "2027-2028",
    ]  # fmt: skip
    assert page.date_edit.text() == "18-11-2026"
    # A date outside the chosen year is explained next to the field.
    type_date(qtbot, page.date_edit, "01-08-2027")
    click(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PAGE_FILE
    assert page.date_field.error_label.text() == "01-08-2027 ligt niet in schooljaar 2026-2027."
    # Choosing the year by keyboard moves the date into it.
    page.year_combo.setFocus()
    qtbot.keyClick(page.year_combo, Qt.Key.Key_Down)
    assert page.school_year() == "2027-2028"
    assert page.date_edit.text() == "01-08-2027"
    assert not page.date_field.error_label.isVisible()
    click(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PAGE_MAPPING
    click(qtbot, wizard)
    preview = wizard.preview_page
    assert "schooljaar 2027-2028" in preview.summary_label.text()
    assert preview.tabs.tabText(1) == "Gewijzigd (12)"  # a group in another school year
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == ImportWizard.PAGE_DONE
    with ctx.db.session() as s:
        next_id = s.scalars(sa.select(SchoolYear.id).where(SchoolYear.label == "2027-2028")).one()
        after = memberships(s)
        assert [m for m in after if m[2] != next_id] == before  # this year's history kept
        assert len([m for m in after if m[2] == next_id]) == 12


def test_a_possible_twin_is_decided_in_the_preview(
    qtbot, ctx, no_dialogs, tmp_path, qtlog, model_tester
) -> None:
    [row] = active_rows(ctx, limit=1)
    known_number = row[0]
    # The same child, written in NFD, with a new pupil number.
    twin = ["777001", unicodedata.normalize("NFD", row[1]), row[2],
            unicodedata.normalize("NFD", row[3]).upper(), row[4], row[5]]  # fmt: skip
    path = tmp_path / "nieuw-nummer.csv"
    path.write_bytes(csv_bytes([HEADERS, twin]))
    before = dump(ctx.db)
    wizard = open_wizard(qtbot, ctx)
    wizard.file_page.path_edit.setText(str(path))
    click(qtbot, wizard)
    click(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.tabs.tabText(5) == "Twijfel (1)"
    assert preview.tabs.currentIndex() == 5  # shown first, to decide
    assert preview.tabs.tabText(0) == "Nieuw (0)"  # never silently doubled
    assert "Te beslissen onder 'Twijfel': 1." in preview.summary_label.text()
    model = preview.twin_model
    assert isinstance(model, TwinModel)
    model_tester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    known_name = " ".join(f"{row[3]} {row[2]} {row[1]}".split())
    assert model.index(0, 6).data() == known_name
    assert model.index(0, 7).data() == known_number

    # "Importeren" without a decision: asked to decide, nothing changed.
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == ImportWizard.PAGE_PREVIEW
    assert "Twijfel" in no_dialogs["warning"][-1]
    assert {k: v for k, v in dump(ctx.db).items() if k != "settings"} == {
        k: v for k, v in before.items() if k != "settings"
    }

    # Decide with the keyboard: Space on "Zelfde leerling".
    view = preview.views["twijfel"]
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, TwinModel.COL_SAME))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.decisions() == {"777001": True}
    # Checking "Andere leerling" unchecks "Zelfde leerling", and back.
    model.setData(model.index(0, TwinModel.COL_OTHER), Qt.CheckState.Checked.value,
                  Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    assert model.decisions() == {"777001": False}
    assert model.index(0, TwinModel.COL_SAME).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Unchecked
    )
    model.setData(model.index(0, TwinModel.COL_SAME), Qt.CheckState.Checked.value,
                  Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == ImportWizard.PAGE_DONE
    with ctx.db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Pupil)) == len(before["pupils"])
        assert s.scalar(sa.select(Pupil.lvs_id).where(Pupil.lvs_id == known_number)) is None
        renumbered = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == "777001")).one()
        assert unicodedata.is_normalized("NFC", renumbered.last_name)
    assert not [r for r in qtlog.records if "FAIL" in r.message]


def test_many_leavers_are_asked_about_first(qtbot, ctx, answer_no, tmp_path) -> None:
    path = tmp_path / "deel.csv"
    path.write_bytes(csv_bytes([HEADERS, *active_rows(ctx, limit=10)]))
    wizard = open_wizard(qtbot, ctx)
    wizard.file_page.path_edit.setText(str(path))
    tick_full_export(qtbot, wizard)
    click(qtbot, wizard)
    click(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.tabs.tabText(3) == "Vertrekt (110)"
    preview.tabs.setCurrentIndex(3)
    qtbot.mouseClick(preview.check_all_button, Qt.MouseButton.LeftButton)
    before = dump(ctx.db)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    [asked] = answer_no["question"]
    assert asked.startswith("110 van de 120 actieve leerlingen (92%) zouden als vertrokken")
    assert wizard.currentId() == ImportWizard.PAGE_PREVIEW  # "Nee": nothing happens
    after = dump(ctx.db)
    assert {k: v for k, v in after.items() if k != "settings"} == {
        k: v for k, v in before.items() if k != "settings"
    }


def test_leavers_get_the_date_shown_in_the_preview(qtbot, ctx, no_dialogs, tmp_path) -> None:
    rows = active_rows(ctx)
    gone = rows.pop(0)
    path = tmp_path / "alles.csv"
    path.write_bytes(csv_bytes([HEADERS, *rows]))
    wizard = open_wizard(qtbot, ctx)
    wizard.file_page.path_edit.setText(str(path))
    tick_full_export(qtbot, wizard)
    click(qtbot, wizard)
    click(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.tabs.tabText(3) == "Vertrekt (1)"
    assert preview.left_on_edit.text() == "31-07-2026"  # the end of the last school year
    assert "31 juli 2026" in preview.leaver_hint.text()
    qtbot.mouseClick(preview.check_all_button, Qt.MouseButton.LeftButton)
    type_date(qtbot, preview.left_on_edit, "31-13-2026")
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == ImportWizard.PAGE_PREVIEW
    assert preview.left_on_field.error_label.isVisible()
    type_date(qtbot, preview.left_on_edit, "02-10-2026")
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == ImportWizard.PAGE_DONE
    assert not any("actieve leerlingen" in q for q in no_dialogs["question"])  # one is no share
    with ctx.db.session() as s:
        left = s.scalars(sa.select(Pupil).where(Pupil.lvs_id == gone[0])).one()
        assert (left.status, left.left_on) == (PupilStatus.VERTROKKEN, date(2026, 10, 2))


def test_the_school_year_of_an_edexml_file_is_followed(qtbot, ctx, no_dialogs, tmp_path) -> None:
    """ParnasSys' export for next year, made in November: the wizard chooses that year."""
    path = write_edexml(tmp_path / "EDEX.XML", schooljaar="2027-2028")
    wizard = open_wizard(qtbot, ctx)
    page = wizard.file_page
    page.path_edit.setText(str(path))
    click(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PAGE_FILE  # shown first, not silently
    assert page.school_year() == "2027-2028"
    assert page.date_edit.text() == "01-08-2027"
    assert "schooljaar 2027-2028" in page.date_field.error_label.text()
    click(qtbot, wizard)
    click(qtbot, wizard)
    assert "schooljaar 2027-2028" in wizard.preview_page.summary_label.text()
    assert "beschrijft schooljaar" not in wizard.preview_page.warning_label.text()
    # Another year chosen on purpose afterwards is respected (and warned about).
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    page.year_combo.setCurrentIndex(1)
    click(qtbot, wizard)
    click(qtbot, wizard)
    assert "schooljaar 2026-2027" in wizard.preview_page.summary_label.text()
    assert "beschrijft schooljaar 2027-2028" in wizard.preview_page.warning_label.text()
