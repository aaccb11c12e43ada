"""The file name the print preview suggests is made safe, whatever the pupil or group is called."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from reportlab.pdfgen import canvas

from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog


@pytest.fixture
def pdf() -> bytes:
    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, "Leerlingoverzicht")
    page.save()
    return buf.getvalue()


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """The folder and name the save dialog is opened with; the user then cancels."""
    paths: list[str] = []

    def fake_save(parent, caption, directory, filters, *args, **kwargs):
        paths.append(directory)
        return "", filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    return paths


@pytest.mark.parametrize(
    ("suggested", "expected"),
    [
        ("OPP \u202eexe.fdp versie 2.pdf", "OPP exe.fdp versie 2.pdf"),
        ("groepsoverzicht-groep-5/6-2026-2027.pdf", "groepsoverzicht-groep-5 6-2026-2027.pdf"),
        ("OPP Zoe\u0308 Yılmaz versie 1", "OPP Zoë Yılmaz versie 1.pdf"),
        ("OPP Ali\x1b[2J versie 1.PDF", "OPP Ali versie 1.pdf"),
    ],
)
def test_save_suggests_a_safe_file_name(qtbot, pdf, asked, suggested, expected) -> None:
    dialog = PdfPreviewDialog(pdf, "Voorbeeld", suggested, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert Path(asked[0]).name == expected
    assert Path(asked[0]).parent == Path.home()
