"""Screenshot steps: the Vergaderingen page after "Plan het jaar", the next kindbespreking open
with its proposed pupils on the agenda, attendees and a decision (see tools/screenshot.py).
Also writes page 1 of its invitation to docs/screenshots/meeting_invitation_pdf.png."""

from __future__ import annotations

from pathlib import Path


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    import sqlalchemy as sa

    from ib_desktop.models import Meeting, MeetingKind
    from ib_desktop.reports.meetings import invitation_pdf
    from ib_desktop.services.meetings import agenda, minutes, planning
    from ib_desktop.services.meetings.sheet import meeting_sheet

    today = ctx.today()
    with ctx.db.session() as s:
        planning.accept_proposals(s, ctx.school_id,
                                  planning.propose_year(s, ctx.school_id, today=today))
        mid = s.scalars(
            sa.select(Meeting.id)
            .where(Meeting.kind == MeetingKind.KINDBESPREKING, Meeting.date >= today,
                   Meeting.held.is_(False))
            .order_by(Meeting.date, Meeting.id)
        ).first()
        for line in agenda.propose_pupils(s, mid, today=today)[:8]:
            agenda.add_pupil(s, mid, line.pupil_id, line.reason)
        minutes.set_attendees(s, mid, [
            minutes.Attendee("Marieke de Boer", "intern begeleider"),
            minutes.Attendee("Leerkracht van de groep", "leerkracht"),
            minutes.Attendee("Jeroen de Wit", "consulent SWV"),
            minutes.Attendee("Fatma Yılmaz", "jeugdhulp"),
        ])  # fmt: skip
        pdf = invitation_pdf(meeting_sheet(s, mid))
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(pdf)[0]
    image = page.render(scale=1.6).to_pil()
    image.save(Path(__file__).with_name("meeting_invitation_pdf.png"))

    window.show_page("vergaderingen")
    meetings = window.page("vergaderingen")
    meetings.reload(mid)
    editor = meetings.editor
    editor.load(mid)
    editor.propose()
    if editor.agenda_model.rowCount():
        editor.agenda_table.selectRow(0)
        editor.minutes_edit.setPlainText("Lezen gaat vooruit; rekenen blijft achter.")
        editor.decision_edit.setPlainText("Korte interventie rekenen, evalueren na 6 weken.")
    return None
