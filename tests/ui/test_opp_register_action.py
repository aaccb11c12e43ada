"""Menu "Afdrukken > OPP-register opslaan…": the register saved as PDF or CSV from the app."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from ib_desktop.models import Opp, Pupil
from ib_desktop.ui.opp import register_action as opp_register_action

PDF_FILTER, CSV_FILTER, _ = opp_register_action._filters()


@pytest.fixture
def save_as(monkeypatch, tmp_path) -> dict:
    """QFileDialog answers with ``state["answer"]`` and the filter in ``state["filter"]``."""
    state: dict = {"answer": str(tmp_path / "register"), "filter": PDF_FILTER, "asked": []}

    def fake_save(parent, caption, directory, filters, *args, **kwargs):
        state["asked"].append((caption, directory, filters))
        return state["answer"], state["filter"]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    return state


def _menu_action(main_window):
    afdrukken = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "Afdrukken")
    return next(a for a in afdrukken.actions() if a.text() == "OPP-register opslaan…")


def _names(ctx) -> set[str]:
    with ctx.db.session() as s:
        return {
            p.full_name for p in s.scalars(sa.select(Pupil).join(Opp, Opp.pupil_id == Pupil.id))
        }


def test_menu_action_saves_the_register_as_pdf(
    main_window, ctx, save_as, tmp_path, no_dialogs
) -> None:
    _menu_action(main_window).trigger()
    caption, suggested, filters = save_as["asked"][0]
    assert caption == "OPP-register opslaan"
    assert "*.pdf" in filters
    assert "*.csv" in filters
    assert suggested.endswith("OPP-register 2026-11-18.pdf")
    written = tmp_path / "register.pdf"  # the extension of the chosen filter is added
    assert written.exists()
    reader = PdfReader(io.BytesIO(written.read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    assert "OPP-register" in text
    assert "Start OPP" in text
    assert all(name in text for name in _names(ctx))
    assert str(written) in main_window.statusBar().currentMessage()
    assert no_dialogs["warning"] == []
    assert no_dialogs["information"] == []
    assert QSettings().value(opp_register_action.FOLDER_SETTING) == str(tmp_path)


@pytest.mark.parametrize(
    ("answer", "chosen_filter"),
    [("register.csv", PDF_FILTER), ("register", CSV_FILTER)],
    ids=["extension-wins", "filter-decides"],
)
def test_menu_action_saves_the_register_as_csv(
    main_window, ctx, save_as, tmp_path, no_dialogs, answer, chosen_filter
) -> None:
    save_as["answer"] = str(tmp_path / answer)
    save_as["filter"] = chosen_filter
    _menu_action(main_window).trigger()
    written = tmp_path / "register.csv"
    assert written.exists()
    assert not (tmp_path / "register.pdf").exists()
    assert written.read_bytes().startswith(b"\xef\xbb\xbf")
    with written.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh, delimiter=";"))
    assert records[0][:2] == ["Leerlingnummer", "Naam"]
    assert {r[1] for r in records[1:]} == _names(ctx)
    assert f"({len(records) - 1} OPP's)" in main_window.statusBar().currentMessage()


def test_cancelling_the_file_dialog_writes_nothing(
    main_window, save_as, tmp_path, no_dialogs
) -> None:
    save_as["answer"] = ""
    _menu_action(main_window).trigger()
    assert save_as["asked"]
    assert not list(tmp_path.glob("register*"))
    assert no_dialogs["warning"] == []


def test_a_folder_that_cannot_be_written_gives_a_dutch_warning(
    main_window, save_as, tmp_path, no_dialogs
) -> None:
    blocker = tmp_path / "geen-map"
    blocker.write_text("dit is een bestand")
    save_as["answer"] = str(blocker / "register.pdf")
    _menu_action(main_window).trigger()
    assert len(no_dialogs["warning"]) == 1
    assert "kon niet worden opgeslagen" in no_dialogs["warning"][0]
    assert QSettings().value(opp_register_action.FOLDER_SETTING) is None


def _make_two_open_opps(ctx) -> str:
    from datetime import timedelta

    with ctx.db.session() as s:
        first = s.scalars(sa.select(Opp).order_by(Opp.start_date, Opp.id)).first()
        first.end_date = None
        s.add(Opp(pupil_id=first.pupil_id, start_date=first.start_date + timedelta(days=30)))
        return first.pupil.full_name


def test_a_clean_register_is_saved_without_asking(main_window, save_as, no_dialogs) -> None:
    _menu_action(main_window).trigger()
    assert no_dialogs["question"] == []


@pytest.mark.parametrize("answer", ["Yes", "No"])
def test_problems_are_shown_with_the_pupil_before_saving(
    main_window, ctx, save_as, tmp_path, no_dialogs, monkeypatch, answer
) -> None:
    from PySide6.QtWidgets import QMessageBox

    name = _make_two_open_opps(ctx)
    asked: list[str] = []

    def fake_question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", fake_question)
    save_as["answer"] = str(tmp_path / "register.csv")
    _menu_action(main_window).trigger()
    assert len(asked) == 1
    assert "DUO weigert" in asked[0]
    assert f"{name}: 2 OPP's zonder einddatum" in asked[0]
    assert (tmp_path / "register.csv").exists() == (answer == "Yes")


def test_the_administrations_csv_has_duo_dates(main_window, ctx, save_as, tmp_path) -> None:
    save_as["answer"] = str(tmp_path / "register")
    save_as["filter"] = opp_register_action._filters()[2]
    _menu_action(main_window).trigger()
    with (tmp_path / "register.csv").open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh, delimiter=";"))
    assert records[0][-2:] == ["Begindatum OPP (EEJJMMDD)", "Einddatum OPP (EEJJMMDD)"]
    assert all(re.fullmatch(r"\d{8}", r[-2]) for r in records[1:])
