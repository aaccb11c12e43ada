"""Evaluation forms in *Evaluaties*: made with a button, a filled one read back, reviewed, saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QInputDialog

from ib_desktop.models import Outcome
from ib_desktop.reports.evaluation_forms import evaluation_form_pdf
from ib_desktop.services import plans
from ib_desktop.services.plans import evaluation_forms as ef
from ib_desktop.ui.plans.evaluation_form_import import EvaluationFormImportDialog, ReviewModel
from ib_desktop.ui.plans.evaluations import EvaluationsPage
from tests.conftest import TODAY
from tests.services.test_evaluation_forms import fill


@pytest.fixture
def page(main_window, qtbot) -> EvaluationsPage:
    main_window.show_page("evaluaties")
    widget = main_window.page("evaluaties")
    assert isinstance(widget, EvaluationsPage)
    return widget


def _stored(ctx, item: ef.FormItem) -> plans.EvaluationTarget:
    with ctx.db.session() as s:
        task = plans.load_evaluation_task(s, ef._moment(item.moment))
        return next(t for t in task.targets if t.key == item.target_key)


def _form(ctx) -> ef.FormContent:
    with ctx.db.session() as s:
        forms = ef.make_forms(s, ctx.school_id, today=TODAY, within_days=14)
    return max(forms, key=lambda f: len(f.items))


def _when_dialog(qtbot, act) -> dict:
    """Run ``act(dialog)`` on the review dialog as soon as it is shown."""
    seen: dict = {}

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, EvaluationFormImportDialog):
            QTimer.singleShot(20, handle)
            return
        seen["dialog"] = dialog
        try:
            act(dialog)
        except BaseException:
            dialog.reject()  # never leave the test hanging on an open dialog
            raise

    QTimer.singleShot(0, handle)
    return seen


def _rows(dialog: EvaluationFormImportDialog) -> list[ef.ReviewRow]:
    model = dialog.model
    return [model.index(r, 0).data(ReviewModel.ROW_ROLE) for r in range(model.rowCount())]


def test_make_forms_button_writes_a_pdf_per_teacher(
    ctx, page, qtbot, no_dialogs, tmp_path, monkeypatch
) -> None:
    folder = tmp_path / "uit"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    choices: list[list[str]] = []

    def choose(answer: int):
        def fake(parent, title, label, items, *args, **kwargs):
            choices.append(list(items))
            return items[answer], True

        return fake

    monkeypatch.setattr(QInputDialog, "getItem", choose(0))  # everyone
    qtbot.mouseClick(page.make_forms_button, Qt.MouseButton.LeftButton)
    files = sorted(folder.glob("*.pdf"))
    with ctx.db.session() as s:
        expected = ef.make_forms(s, ctx.school_id, today=TODAY, within_days=page.horizon())
    assert len(files) == len(expected) >= 2
    assert any("formulier" in text for text in no_dialogs["information"])

    # One teacher: only their form.
    one = tmp_path / "een"
    one.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(one))
    name = expected[0].teacher_name
    monkeypatch.setattr(QInputDialog, "getItem", choose(choices[0].index(name)))
    qtbot.mouseClick(page.make_forms_button, Qt.MouseButton.LeftButton)
    (only,) = one.glob("*.pdf")
    assert name in only.name
    assert ef.read_form(only.read_bytes()).teacher_id == expected[0].teacher_id


def test_filled_form_is_reviewed_and_saved(
    ctx, page, qtbot, no_dialogs, tmp_path, monkeypatch
) -> None:
    content = _form(ctx)
    first, second, third = content.items[0], content.items[1], content.items[2]
    path = tmp_path / "terug.pdf"
    path.write_bytes(
        fill(
            evaluation_form_pdf(content),
            {
                ef.evaluation_field(first.n): "Gaat goed, Zoë leest vlot 📚",
                ef.outcome_field(first.n): "behaald",
                ef.evaluation_field(second.n): "Nog oefenen",
                ef.outcome_field(second.n): "niet behaald",
                ef.evaluation_field(third.n): "Uitkomst vergeten",
            },
        )
    )
    # Meanwhile the second goal is evaluated in the app: a conflict, ticked to overwrite.
    with ctx.db.session() as s:
        task = plans.load_evaluation_task(s, ef._moment(second.moment))
        plans.save_evaluation_task(
            s, task, {second.target_key: ("In de app", Outcome.BEHAALD)},
            evaluated_by_id=None, evaluated_on=TODAY, today=TODAY,
        )  # fmt: skip
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def review(dialog: EvaluationFormImportDialog) -> None:
        QAbstractItemModelTester(dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        rows = _rows(dialog)
        assert len(rows) == len(content.items)
        assert rows[0].status == ef.NEW
        assert rows[0].text == "Gaat goed, Zoë leest vlot 📚"
        assert rows[1].status == ef.CONFLICT
        assert rows[2].status == ef.INVALID
        assert rows[2].needs_outcome
        assert all(r.status == ef.EMPTY for r in rows[3:])
        # The forgotten outcome is chosen in the review, through the table's own editor.
        cell = dialog.model.index(2, ReviewModel.COL_OUTCOME)
        assert cell.data() == "kies…"
        dialog.table.setCurrentIndex(cell)
        dialog.table.edit(cell)
        combo = dialog.table.findChild(QComboBox)
        assert combo is not None
        assert combo.currentData() == ""
        for _ in range(combo.findData(Outcome.DEELS_BEHAALD.value)):
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert cell.data() == "deels behaald"
        assert dialog.model.index(2, ReviewModel.COL_STATE).data() == "wordt opgeslagen"
        assert dialog.model.index(0, ReviewModel.COL_STATE).data() == "wordt opgeslagen"
        dialog.table.selectRow(1)  # both texts of the conflict, in full
        assert "Nog oefenen" in dialog.detail.toPlainText()
        assert "In de app" in dialog.detail.toPlainText()
        box = dialog.model.index(1, ReviewModel.COL_OVERWRITE)
        assert box.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
        assert dialog.model.setData(box, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    seen = _when_dialog(qtbot, review)
    qtbot.mouseClick(page.import_form_button, Qt.MouseButton.LeftButton)
    assert "dialog" in seen
    assert any("3 evaluatie(s)" in text for text in no_dialogs["information"])
    one, two, three = _stored(ctx, first), _stored(ctx, second), _stored(ctx, third)
    assert (three.evaluation, three.outcome) == ("Uitkomst vergeten", Outcome.DEELS_BEHAALD)
    assert (one.evaluation, one.outcome) == ("Gaat goed, Zoë leest vlot 📚", Outcome.BEHAALD)
    assert (two.evaluation, two.outcome) == ("Nog oefenen", Outcome.NIET_BEHAALD)

    # The same form again is refused with a Dutch message, and nothing opens.
    qtbot.mouseClick(page.import_form_button, Qt.MouseButton.LeftButton)
    assert "al ingelezen" in no_dialogs["warning"][-1]


def test_cancelling_the_review_saves_nothing(
    ctx, page, qtbot, no_dialogs, tmp_path, monkeypatch
) -> None:
    content = _form(ctx)
    first = content.items[0]
    path = tmp_path / "terug.pdf"
    path.write_bytes(
        fill(
            evaluation_form_pdf(content),
            {ef.evaluation_field(first.n): "Niet bewaren", ef.outcome_field(first.n): "behaald"},
        )
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    seen = _when_dialog(qtbot, lambda dialog: dialog.reject())
    qtbot.mouseClick(page.import_form_button, Qt.MouseButton.LeftButton)
    assert "dialog" in seen
    assert _stored(ctx, first).evaluation == first.evaluation
    # Not applied, so it can still be read in later.
    with ctx.db.session() as s:
        review = ef.review_form(s, ctx.school_id, ef.read_form(path.read_bytes()))
    assert review.to_save


def test_a_pdf_that_is_no_form_is_refused(
    ctx, page, qtbot, no_dialogs, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "iets.pdf"
    path.write_bytes(b"%PDF-1.4 kapot")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(page.import_form_button, Qt.MouseButton.LeftButton)
    assert no_dialogs["warning"]
    assert "PDF" in no_dialogs["warning"][-1]
    assert Path(path).exists()
