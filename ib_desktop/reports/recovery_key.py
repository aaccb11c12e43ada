"""The recovery key on paper: one page for the directie's safe."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from ib_desktop.dates import long_date
from ib_desktop.private_files import create_private_file


def write_recovery_key_pdf(target: Path, code: str, database: str) -> Path:
    """Write the page to ``target`` (a new file, private to the user); returns it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    target = target.expanduser()
    tmp = target.with_name(f".{target.name}.part")
    tmp.unlink(missing_ok=True)
    create_private_file(tmp)
    styles = getSampleStyleSheet()
    code_style = ParagraphStyle("code", parent=styles["Title"], fontName="Courier-Bold",
                                fontSize=20, leading=30)  # fmt: skip
    body = styles["BodyText"]
    story = [
        Paragraph("Herstelsleutel IB Desktop", styles["Title"]),
        Paragraph(f"Database: {_escape(database)}", body),
        Paragraph(f"Gemaakt op {long_date(date.today())}", body),
        Spacer(1, 1.2 * cm),
        Paragraph(_two_lines(code), code_style),
        Spacer(1, 1.2 * cm),
        Paragraph(
            "Bewaar dit papier in de kluis van de directie. Met deze sleutel kan een nieuw "
            "wachtwoord worden gekozen als niemand het wachtwoord van de versleutelde "
            "leerlingdatabase meer weet: <b>ib-desktop unlock --recovery-key</b>.",
            body,
        ),
        Paragraph(
            "Wie deze sleutel en de database heeft, kan alle leerlinggegevens lezen. Maak er geen "
            "kopie of foto van en verwijder het PDF-bestand na het printen.",
            body,
        ),
    ]
    try:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, title="Herstelsleutel IB Desktop")
        doc.build(story)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _two_lines(code: str) -> str:
    """The groups in two lines of four, so the key never breaks in the middle of a group."""
    groups = code.split("-")
    half = (len(groups) + 1) // 2
    return _escape("-".join(groups[:half])) + "-<br/>" + _escape("-".join(groups[half:]))
