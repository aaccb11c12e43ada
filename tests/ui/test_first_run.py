"""The first-run wizard, driven as a user: typing, choosing, clicking Volgende and Voltooien."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard

from ib_desktop.models import Pupil, Region, School, SupportLevel
from ib_desktop.resources import structure_templates
from ib_desktop.ui.app import ensure_application
from ib_desktop.ui.first_run import FirstRunWizard, run_first_run
from tests.conftest import TODAY


@pytest.fixture
def wizard(db, qtbot):
    ensure_application()
    w = FirstRunWizard(db, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    # A Python-level wait: Qt's own (waitActive) can hold the interpreter on a loaded machine,
    # and then not even the test timeout fires.
    qtbot.waitUntil(w.isActiveWindow)
    return w


def click(qtbot, wizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def fill_school(qtbot, wizard, name: str, brin: str, swv: str, region: str) -> None:
    page = wizard.school_page
    qtbot.keyClicks(page.name_edit, name)
    qtbot.keyClicks(page.brin_edit, brin)
    qtbot.keyClicks(page.swv_edit, swv)
    page.region_combo.setFocus()
    page.region_combo.setCurrentIndex(page.region_combo.findData(region))


def school_in(db) -> tuple[School, list[SupportLevel]]:
    with db.session() as s:
        school = s.scalars(sa.select(School)).one()
        levels = list(
            s.scalars(
                sa.select(SupportLevel)
                .where(SupportLevel.structure_id == school.support_structure_id)
                .order_by(SupportLevel.position)
            )
        )
        return school, levels


@pytest.mark.parametrize(("template", "levels"), [("vier-niveaus", 4), ("vijf-niveaus", 5)])
def test_create_a_school_from_each_template(wizard, db, qtbot, template, levels) -> None:
    assert wizard.currentId() == 0
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.school_page
    fill_school(qtbot, wizard, "OBS De Klimop", "23cd", "SWV Passend Onderwijs Noord", "noord")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.structure_page
    wizard.structure_page.radios[template].click()
    preview = wizard.structure_page.preview.text()
    for level in structure_templates()[template]["levels"]:
        assert level["name"] in preview
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.done_page
    assert "OBS De Klimop" in wizard.done_page.summary.text()
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.result() == QWizard.DialogCode.Accepted
    school, made = school_in(db)
    assert wizard.school_id == school.id
    assert (school.name, school.brin, school.swv_name, school.region) == (
        "OBS De Klimop", "23CD", "SWV Passend Onderwijs Noord", Region.NOORD,
    )  # fmt: skip
    assert [lvl.name for lvl in made] == [
        lvl["name"] for lvl in structure_templates()[template]["levels"]
    ]
    assert len(made) == levels


def test_structure_from_scratch_has_one_level(wizard, db, qtbot) -> None:
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_school(qtbot, wizard, "Kindcentrum Balans", "", "", "zuid")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wizard.structure_page.radios[""].click()
    assert "één niveau" in wizard.structure_page.preview.text()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    school, levels = school_in(db)
    assert school.brin == ""
    assert len(levels) == 1


def test_bad_brin_and_missing_name_keep_the_user_on_the_page(wizard, db, qtbot) -> None:
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.school_page
    qtbot.keyClicks(page.brin_edit, "1A2B")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is page
    assert page.errors.message("name") == "Vul de naam van de school in."
    assert "twee cijfers en twee letters" in page.errors.message("brin")
    qtbot.keyClicks(page.name_edit, "De Hien")
    assert page.errors.message("name") == ""  # gone as soon as it is right
    page.brin_edit.selectAll()
    qtbot.keyClicks(page.brin_edit, "04HN")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.structure_page
    with db.session() as s:
        assert s.scalar(sa.select(sa.func.count(School.id))) == 0  # nothing made before Voltooien


def test_back_and_cancel_make_nothing(wizard, db, qtbot) -> None:
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_school(qtbot, wizard, "OBS Test", "12AB", "", "midden")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    assert wizard.currentPage() is wizard.school_page
    assert wizard.school_page.name_edit.text() == "OBS Test"
    click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert wizard.school_id is None
    with db.session() as s:
        assert s.scalar(sa.select(sa.func.count(School.id))) == 0


def test_demo_school_instead(wizard, db, qtbot) -> None:
    wizard.welcome_page.demo_radio.click()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.demo_page
    wizard.demo_page.pupils_spin.setValue(40)
    wizard.demo_page.structure_combo.setCurrentIndex(
        wizard.demo_page.structure_combo.findData("vijf-niveaus")
    )
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    school, levels = school_in(db)
    assert wizard.school_id == school.id
    assert len(levels) == 5
    with db.session() as s:
        assert s.scalar(sa.select(sa.func.count(Pupil.id)).where(Pupil.status == "actief")) == 40


def test_run_first_run_returns_the_new_school(db, qtbot) -> None:
    ensure_application()

    def drive() -> None:
        w = QApplication.activeModalWidget()
        if not isinstance(w, FirstRunWizard):
            QTimer.singleShot(20, drive)
            return
        w.next()
        w.school_page.name_edit.setText("Basisschool De Bloemaert")
        w.next()
        w.structure_page.choose("vijf-niveaus")
        w.next()
        w.button(QWizard.WizardButton.FinishButton).click()

    QTimer.singleShot(0, drive)
    school_id = run_first_run(db, None)
    school, levels = school_in(db)
    assert school_id == school.id
    assert school.name == "Basisschool De Bloemaert"
    assert len(levels) == 5


def test_run_first_run_cancelled(db, qtbot) -> None:
    ensure_application()

    def cancel() -> None:
        w = QApplication.activeModalWidget()
        if not isinstance(w, FirstRunWizard):
            QTimer.singleShot(20, cancel)
            return
        w.reject()

    QTimer.singleShot(0, cancel)
    assert run_first_run(db, None) is None
