"""The readable copy of a pupil's whole file for the parents (inzage, AVG article 15).

It prints the data of :func:`ib_desktop.services.privacy.export.inzage_data`: every table with a
path to the pupil, every row, every version. Each row is a small form of labelled fields;
rich text (notes, conclusions, goals) is printed as the editor shows it (Markdown), dates as
12-03-2026. Technical columns (ids, row versions) stay in the JSON beside it.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from reportlab.platypus import Flowable

from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.services import opp as opp_service
from ib_desktop.services import plans as plan_service
from ib_desktop.services import pupil as pf
from ib_desktop.services.privacy import pupil_data
from ib_desktop.services.privacy.export import TABLE_TITLES

from .base import (
    ReportInfo,
    build_pdf,
    content_width,
    empty_note,
    esc,
    field_table,
    fmt_date,
    para,
    paragraph,
    section_heading,
    spacer,
    styles,
)
from .markdown import markdown_flowables

#: Dutch labels of the columns that occur in many tables; others get their name in words.
COLUMN_LABELS: dict[str, str] = {
    "first_name": QT_TRANSLATE_NOOP("Inzage", "Voornaam"),
    "tussenvoegsel": QT_TRANSLATE_NOOP("Inzage", "Tussenvoegsel"),
    "last_name": QT_TRANSLATE_NOOP("Inzage", "Achternaam"),
    "birth_date": QT_TRANSLATE_NOOP("Inzage", "Geboortedatum"),
    "name": QT_TRANSLATE_NOOP("Inzage", "Naam"),
    "notes": QT_TRANSLATE_NOOP("Inzage", "Aantekeningen"),
    "date": QT_TRANSLATE_NOOP("Inzage", "Datum"),
    "start_date": QT_TRANSLATE_NOOP("Inzage", "Begin"),
    "end_date": QT_TRANSLATE_NOOP("Inzage", "Einde"),
    "status": QT_TRANSLATE_NOOP("Inzage", "Status"),
    "kind": QT_TRANSLATE_NOOP("Inzage", "Soort"),
    "created_at": QT_TRANSLATE_NOOP("Inzage", "Aangemaakt"),
    "updated_at": QT_TRANSLATE_NOOP("Inzage", "Laatst gewijzigd"),
    "at": QT_TRANSLATE_NOOP("Inzage", "Moment"),
    "actor": QT_TRANSLATE_NOOP("Inzage", "Door"),
    "action": QT_TRANSLATE_NOOP("Inzage", "Wat"),
    "summary": QT_TRANSLATE_NOOP("Inzage", "Toelichting"),
    "old_value": QT_TRANSLATE_NOOP("Inzage", "Was"),
    "new_value": QT_TRANSLATE_NOOP("Inzage", "Werd"),
    "conclusion": QT_TRANSLATE_NOOP("Inzage", "Conclusie"),
    "relation": QT_TRANSLATE_NOOP("Inzage", "Relatie"),
    "has_custody": QT_TRANSLATE_NOOP("Inzage", "Gezag"),
    "phone": QT_TRANSLATE_NOOP("Inzage", "Telefoon"),
    "email": QT_TRANSLATE_NOOP("Inzage", "E-mail"),
    "address": QT_TRANSLATE_NOOP("Inzage", "Adres"),
    "left_on": QT_TRANSLATE_NOOP("Inzage", "Vertrokken op"),
    "left_destination": QT_TRANSLATE_NOOP("Inzage", "Naar"),
    "delete_after": QT_TRANSLATE_NOOP("Inzage", "Bewaren tot"),
    "received_on": QT_TRANSLATE_NOOP("Inzage", "Ontvangen op"),
    "due_on": QT_TRANSLATE_NOOP("Inzage", "Uiterlijk"),
    "done_on": QT_TRANSLATE_NOOP("Inzage", "Afgehandeld op"),
    "title": QT_TRANSLATE_NOOP("Inzage", "Titel"),
    "number": QT_TRANSLATE_NOOP("Inzage", "Versie"),
}
COLUMN_LABELS.update(
    {
        "gender": QT_TRANSLATE_NOOP("Inzage", "Geslacht"),
        "first_school_day": QT_TRANSLATE_NOOP("Inzage", "Eerste schooldag"),
        "enrolled_on": QT_TRANSLATE_NOOP("Inzage", "Ingeschreven op"),
        "family_composition": QT_TRANSLATE_NOOP("Inzage", "Gezinssamenstelling"),
        "lvs_id": QT_TRANSLATE_NOOP("Inzage", "LVS-nummer"),
        "requested_by": QT_TRANSLATE_NOOP("Inzage", "Verzocht door"),
        "extended_on": QT_TRANSLATE_NOOP("Inzage", "Verlengd op"),
        "extension_reason": QT_TRANSLATE_NOOP("Inzage", "Reden van verlenging"),
        "recorded_by": QT_TRANSLATE_NOOP("Inzage", "Vastgelegd door"),
        "recorded_at": QT_TRANSLATE_NOOP("Inzage", "Vastgelegd op"),
        "grade": QT_TRANSLATE_NOOP("Inzage", "Jaargroep"),
    }
)
#: Labels per table, as the editors of those records name their fields.
TABLE_COLUMN_LABELS: dict[str, dict[str, str]] = {
    "opp_versions": dict(getattr(opp_service, "CONFLICT_LABELS", {})),
    "short_interventions": dict(plan_service.INTERVENTION_FIELD_LABELS),
    "growth_documents": dict(plan_service.GROWTH_FIELD_LABELS),
    "growth_goals": dict(plan_service.GOAL_FIELD_LABELS),
}
#: What the pupil file's editors call the fields of the pupil and its records.
GENERAL_LABELS = {**pf.FIELD_LABELS, **pf.PUPIL_FIELD_LABELS}
#: Columns only the JSON needs: keys and row versions.
HIDDEN = frozenset({"id", "version"})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")


def column_label(name: str, table: str = "") -> str:
    """The Dutch label of a column, or its name in words."""
    label = (
        TABLE_COLUMN_LABELS.get(table, {}).get(name)
        or COLUMN_LABELS.get(name)
        or GENERAL_LABELS.get(name)
        or name.replace("_", " ")
    )
    return label[:1].upper() + label[1:]


def _value(name: str, value: Any) -> Any:
    """A stored (JSON) value as the page shows it."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str):
        try:
            if ISO_DATE.fullmatch(value):
                return fmt_date(date.fromisoformat(value))
            if ISO_MOMENT.fullmatch(value):
                moment = datetime.fromisoformat(value)
                return f"{fmt_date(moment.date())} {moment:%H:%M}"
        except ValueError:
            return value
        if "\n" in value or len(value) > 80:
            return markdown_flowables(value, styles().cell)
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=1)[:4000]
    return str(value)


#: What a reference to a school record means in each column.
REFERENCE_LABELS: dict[str, str] = {
    "level_id": QT_TRANSLATE_NOOP("Inzage", "Niveau"),
    "group_id": QT_TRANSLATE_NOOP("Inzage", "Groep"),
    "school_year_id": QT_TRANSLATE_NOOP("Inzage", "Schooljaar"),
    "teacher_id": QT_TRANSLATE_NOOP("Inzage", "Leerkracht"),
    "decided_by_id": QT_TRANSLATE_NOOP("Inzage", "Besloten door"),
    "evaluated_by_id": QT_TRANSLATE_NOOP("Inzage", "Geëvalueerd door"),
    "responsible_id": QT_TRANSLATE_NOOP("Inzage", "Verantwoordelijk"),
    "done_by_id": QT_TRANSLATE_NOOP("Inzage", "Gedaan door"),
    "handled_by_id": QT_TRANSLATE_NOOP("Inzage", "Behandeld door"),
    "staff_id": QT_TRANSLATE_NOOP("Inzage", "Medewerker"),
}


def _row_table(
    table: str, row: dict[str, Any], width: float, names: dict[str, dict[str, str]]
) -> Flowable:
    targets = pupil_data.reference_targets(table)
    pairs = []
    for name, value in row.items():
        if name in targets and value is not None:
            label = REFERENCE_LABELS.get(name) or name.removesuffix("_id").replace("_", " ")
            shown = names.get(targets[name], {}).get(str(value), "") or str(value)
            pairs.append((label[:1].upper() + label[1:], shown))
        elif name not in HIDDEN and not name.endswith("_id"):
            pairs.append((column_label(name, table), _value(name, value)))
    if not pairs:  # a link between two records (pupil and meeting): its numbers, then
        pairs = [(column_label(name, table), _value(name, value)) for name, value in row.items()]
    return field_table(pairs, width)


def inzage_pdf(data: dict[str, Any]) -> bytes:
    """The readable PDF of ``data`` (from :func:`.privacy.export.inzage_data`)."""
    pupil = data["leerling"]
    info = ReportInfo(
        title=f"Inzage dossier {pupil['naam']}",
        footer=f"Inzage dossier {pupil['naam']} · {data['school']}",
        header_right=data["school"],
        subject="Kopie van het volledige dossier (AVG artikel 15)",
    )
    width = content_width(info)
    st = styles()
    made = datetime.fromisoformat(data["gemaakt_op"])
    story: list[Flowable] = [
        paragraph(esc(f"Inzage in het dossier van {pupil['naam']}"), st.title),
        para(
            f"Geboren {fmt_date(date.fromisoformat(pupil['geboortedatum']))} · kopie gemaakt op "
            f"{fmt_date(made.date())} om {made:%H:%M}",
            st.subtitle,
        ),
        para(
            "Dit is een kopie van alle gegevens die de school in IB Desktop over deze leerling "
            "bewaart, zoals ouders met gezag die mogen inzien (AVG artikel 15): elk document en "
            "elke versie, toestemmingen, gesprekken, niveaus, besprekingen en de "
            "wijzigingsgeschiedenis. Het bestand gegevens.json in dezelfde ZIP bevat dezelfde "
            "gegevens in een vorm die een computer kan lezen."
        ),
        spacer(3),
    ]
    for name, rows in data["tabellen"].items():
        title = TABLE_TITLES.get(name) or name.replace("_", " ").capitalize()
        story += section_heading(f"{title} ({len(rows)})")
        if not rows:
            story.append(empty_note("Geen gegevens."))
            continue
        for row in rows:
            story.append(_row_table(name, row, width, data.get("namen", {})))
            story.append(spacer(3))
    return build_pdf(info, story)
