"""The columns of the pupil file's record tables, one list per tab.

Titles and fixed cell texts are source texts marked with ``QT_TRANSLATE_NOOP`` in the context
``RecordTable``: :class:`~ib_desktop.ui.pupil_file.record_table.RecordTableModel` translates the
titles, :func:`shown` the cell texts when they are painted.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ib_desktop.dates import long_date
from ib_desktop.services import pupil as pf
from ib_desktop.ui.pupil_file.form_helpers import level_icon
from ib_desktop.ui.pupil_file.record_table import column, date_column

CONTEXT = "RecordTable"


def shown(text: str) -> str:
    """A cell text marked below, translated when it is shown."""
    return QCoreApplication.translate(CONTEXT, text)


def _first_line(text: str) -> str:
    return text.split("\n")[0]


YES = QT_TRANSLATE_NOOP("RecordTable", "ja")
NO = QT_TRANSLATE_NOOP("RecordTable", "nee")
SENSITIVE = QT_TRANSLATE_NOOP("RecordTable", "gevoelig")
CONFIDENTIAL = QT_TRANSLATE_NOOP(
    "RecordTable", "Vertrouwelijk - open het onderzoek om de conclusie te lezen"
)
RESTRICTED = QT_TRANSLATE_NOOP("RecordTable", "Vertrouwelijk - alleen voor IB en directie")
PARENT_VIEWS = QT_TRANSLATE_NOOP("RecordTable", "%d zienswijze(n)")
HELD = QT_TRANSLATE_NOOP("RecordTable", "gehouden")
PLANNED = QT_TRANSLATE_NOOP("RecordTable", "gepland")
OTHER_PUPILS = QT_TRANSLATE_NOOP("RecordTable", "%d andere leerling(en)")
WHOLE_PUPIL = QT_TRANSLATE_NOOP("RecordTable", "hele leerling")
DOCUMENT_KIND_TEXT = {
    "korte_interventie": QT_TRANSLATE_NOOP("RecordTable", "Korte interventie"),
    "groeidocument": QT_TRANSLATE_NOOP("RecordTable", "Groeidocument"),
    "opp": QT_TRANSLATE_NOOP("RecordTable", "OPP"),
}
DIRECTION_TEXT = {
    "op": QT_TRANSLATE_NOOP("RecordTable", "▲ opschalen"),
    "af": QT_TRANSLATE_NOOP("RecordTable", "▼ afschalen"),
    "start": QT_TRANSLATE_NOOP("RecordTable", "start"),
}

def _views_text(row: object) -> str:
    views = getattr(row, "parent_views", [])
    return shown(PARENT_VIEWS) % len(views) if views else ""


def _views_tooltip(row: object) -> str:
    return "\n\n".join(
        f"{v.guardian_name}, {long_date(v.given_on)}:\n{v.text or shown(RESTRICTED)}"
        for v in getattr(row, "parent_views", [])
    )


#: Zienswijze ouders beside the record: how many, and their text as the tooltip.
PARENT_VIEW_COLUMN = column(
    QT_TRANSLATE_NOOP("RecordTable", "Zienswijze ouders"),
    _views_text,
    lambda r: len(getattr(r, "parent_views", [])),
    tooltip=_views_tooltip,
)


def _note(text: str, restricted: bool) -> str:
    return shown(RESTRICTED) if restricted else _first_line(text)


GUARDIAN_COLUMNS = [
    column(QT_TRANSLATE_NOOP("RecordTable", "Naam"), lambda g: g.name),
    column(QT_TRANSLATE_NOOP("RecordTable", "Relatie"), lambda g: g.relation),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Gezag"),
        lambda g: shown(YES) if g.has_custody else shown(NO),
        lambda g: g.has_custody,
    ),
    column(QT_TRANSLATE_NOOP("RecordTable", "Telefoon"), lambda g: g.phone),
    column(QT_TRANSLATE_NOOP("RecordTable", "E-mail"), lambda g: g.email),
    column(QT_TRANSLATE_NOOP("RecordTable", "Adres"), lambda g: g.address),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Notities"),
        lambda g: _first_line(g.notes),
        tooltip=lambda g: g.notes,
    ),
]

CARE_COLUMNS = [
    column(QT_TRANSLATE_NOOP("RecordTable", "Rondom"), lambda c: pf.CARE_SCOPE_LABELS[c.scope]),
    column(QT_TRANSLATE_NOOP("RecordTable", "Organisatie"), lambda c: c.organisation),
    column(QT_TRANSLATE_NOOP("RecordTable", "Contactpersoon"), lambda c: c.contact_name),
    column(QT_TRANSLATE_NOOP("RecordTable", "Soort hulp"), lambda c: c.kind),
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Van"), lambda c: c.start_date),
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Tot en met"), lambda c: c.end_date),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Notities"),
        lambda c: _note(c.notes, c.restricted),
        tooltip=lambda c: c.notes,
    ),
    PARENT_VIEW_COLUMN,
]

HISTORY_COLUMNS = [
    column(QT_TRANSLATE_NOOP("RecordTable", "Soort"), lambda h: pf.HISTORY_KIND_LABELS[h.kind]),
    column(QT_TRANSLATE_NOOP("RecordTable", "School/voorziening"), lambda h: h.institution),
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Van"), lambda h: h.start_date),
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Tot en met"), lambda h: h.end_date),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Toelichting"),
        lambda h: _first_line(h.notes),
        tooltip=lambda h: h.notes,
    ),
]

MEMBERSHIP_COLUMNS = [
    column(QT_TRANSLATE_NOOP("RecordTable", "Schooljaar"), lambda m: m.school_year),
    column(QT_TRANSLATE_NOOP("RecordTable", "Groep"), lambda m: m.group_name),
    column(QT_TRANSLATE_NOOP("RecordTable", "Leerkracht(en)"), lambda m: m.teachers),
]


def _conclusion(a: pf.AssessmentData) -> str:
    if a.restricted:
        return shown(RESTRICTED)
    if a.sensitive:
        return shown(CONFIDENTIAL)
    return _first_line(a.conclusion)


ASSESSMENT_COLUMNS = [
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Datum"), lambda a: a.date),
    column(QT_TRANSLATE_NOOP("RecordTable", "Soort onderzoek"), lambda a: a.kind),
    column(QT_TRANSLATE_NOOP("RecordTable", "Uitgevoerd door"), lambda a: a.performed_by),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Verklaring"),
        lambda a: pf.DECLARATION_LABELS[a.declaration],
    ),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Gevoelig"),
        lambda a: shown(SENSITIVE) if a.sensitive else "",
        lambda a: a.sensitive,
    ),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Conclusie"),
        _conclusion,
        tooltip=lambda a: "" if a.sensitive else a.conclusion,
    ),
    date_column(
        QT_TRANSLATE_NOOP("RecordTable", "Vrijgegeven aan SWV"), lambda a: a.swv_released_on
    ),
    PARENT_VIEW_COLUMN,
]

MEETING_COLUMNS = [
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Datum"), lambda m: m.date),
    column(QT_TRANSLATE_NOOP("RecordTable", "Soort"), lambda m: pf.MEETING_KIND_LABELS[m.kind]),
    column(QT_TRANSLATE_NOOP("RecordTable", "Titel"), lambda m: m.title),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Gehouden"),
        lambda m: shown(HELD) if m.held else shown(PLANNED),
        lambda m: m.held,
    ),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Besluiten"),
        lambda m: _note(m.decisions, m.restricted),
        tooltip=lambda m: m.decisions,
    ),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Ook over"),
        lambda m: shown(OTHER_PUPILS) % m.other_pupils if m.other_pupils else "",
        lambda m: m.other_pupils,
    ),
    PARENT_VIEW_COLUMN,
]

DOCUMENT_COLUMNS = [
    column(QT_TRANSLATE_NOOP("RecordTable", "Soort"), lambda d: shown(DOCUMENT_KIND_TEXT[d.kind])),
    column(QT_TRANSLATE_NOOP("RecordTable", "Omschrijving"), lambda d: d.title),
    column(QT_TRANSLATE_NOOP("RecordTable", "Status"), lambda d: d.status),
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Van"), lambda d: d.start),
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Tot"), lambda d: d.end),
]

LEVEL_COLUMNS = [
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Datum"), lambda s: s.start),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Van"),
        lambda s: s.previous.label if s.previous else "",
        icon=lambda s: level_icon(s.previous.color) if s.previous else None,
    ),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Naar"),
        lambda s: s.level.label,
        lambda s: s.level.position,
        icon=lambda s: level_icon(s.level.color),
    ),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Richting"),
        lambda s: shown(DIRECTION_TEXT[s.direction]) if s.direction in DIRECTION_TEXT else "",
    ),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Reden"),
        lambda s: _first_line(s.reason),
        tooltip=lambda s: s.reason,
    ),
    column(QT_TRANSLATE_NOOP("RecordTable", "Besloten door"), lambda s: s.decided_by),
    column(QT_TRANSLATE_NOOP("RecordTable", "Vergadering"), lambda s: s.meeting_label),
    column(QT_TRANSLATE_NOOP("RecordTable", "Geldt voor"), lambda s: s.area or shown(WHOLE_PUPIL)),
    date_column(QT_TRANSLATE_NOOP("RecordTable", "Tot"), lambda s: s.end),
    PARENT_VIEW_COLUMN,
]
