"""A meeting's printed invitation (with the agenda, one page where possible) and its minutes."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ib_desktop.dates import long_date, short_date
from ib_desktop.services.meetings.sheet import MeetingSheet

from .base import (
    ReportInfo,
    build_pdf,
    content_width,
    esc,
    field_table,
    grid_table,
    para,
    section_heading,
    spacer,
    styles,
)


def _info(sheet: MeetingSheet, what: str) -> ReportInfo:
    return ReportInfo(
        title=f"{what}: {sheet.title or sheet.kind_label}",
        footer=f"{sheet.school_name} - vertrouwelijk",
        header_right=long_date(sheet.date),
        logo_png=sheet.logo_png,
        subject=what,
    )


def _head(sheet: MeetingSheet, what: str, width: float) -> list[Flowable]:
    st = styles()
    rows: list[tuple[str, str]] = [
        ("Soort", sheet.kind_label),
        ("Datum", long_date(sheet.date)),
    ]
    if sheet.group_name:
        rows.append(("Groep", sheet.group_name))
    people = ", ".join(f"{a.name} ({a.role})" if a.role else a.name for a in sheet.attendees)
    rows.append(("Genodigden" if what == "Uitnodiging" else "Aanwezig", people or "-"))
    return [
        para(f"{what}: {sheet.title or sheet.kind_label}", st.title),
        spacer(2),
        field_table(rows, width, label_width=32 * mm),
        spacer(4),
    ]


def invitation_pdf(sheet: MeetingSheet) -> bytes:
    """The invitation: when, who, and the pupils on the agenda with the reason for each."""
    width = content_width(_info(sheet, "Uitnodiging"))
    story = _head(sheet, "Uitnodiging", width)
    story += section_heading("Agenda")
    if sheet.agenda:
        rows = [(str(i), a.name, a.reason or "-") for i, a in enumerate(sheet.agenda, 1)]
        story.append(grid_table(["", "Leerling", "Waarom"], rows,
                                [8 * mm, 55 * mm, width - 63 * mm]))  # fmt: skip
    else:
        story.append(para("Nog geen leerlingen op de agenda.", styles().muted))
    if sheet.notes.strip():
        story += section_heading("Toelichting")
        story.append(para(sheet.notes))
    return build_pdf(_info(sheet, "Uitnodiging"), story)


def minutes_pdf(sheet: MeetingSheet) -> bytes:
    """The minutes: per pupil what was said and decided, then the tasks with their dates."""
    st = styles()
    width = content_width(_info(sheet, "Verslag"))
    story = _head(sheet, "Verslag", width)
    story += section_heading("Besproken leerlingen")
    for a in sheet.agenda:
        story.append(para(esc(a.name), st.h3))
        story.append(field_table([("Waarom", a.reason or "-"), ("Verslag", a.minutes or "-"),
                                  ("Besluit", a.decision or "-")], width,
                                 label_width=32 * mm))  # fmt: skip
        story.append(spacer(2))
    if sheet.tasks:
        story += section_heading("Taken")
        rows = [(who or "-", what, short_date(due), "klaar" if done else "open")
                for who, what, due, done in sheet.tasks]  # fmt: skip
        story.append(grid_table(["Leerling", "Taak", "Datum", ""], rows,
                                [45 * mm, width - 100 * mm, 30 * mm, 25 * mm]))  # fmt: skip
    return build_pdf(_info(sheet, "Verslag"), story)
