"""The Dutch words of the pupil file: choices in its fields, names of its fields and statuses.

One place for every label the pupil-file services and screens show, so a text is changed (or
translated) once. Values are stored in English or as enum members; only these labels are Dutch.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from ib_desktop.dates import short_date
from ib_desktop.models import (
    CareScope,
    Declaration,
    HistoryKind,
    MeetingKind,
)
from ib_desktop.services import labels, versioned

GENDER_LABELS = {"": "Onbekend", "v": "Meisje", "m": "Jongen", "x": "Anders / niet opgegeven"}

GUARDIAN_RELATIONS = [
    "moeder",
    "vader",
    "ouder",
    "verzorger",
    "pleegouder",
    "voogd",
    "grootouder",
    "overig",
]

CARE_SCOPE_LABELS = {
    CareScope.LEERLING: "Leerling",
    CareScope.SCHOOL: "School",
    CareScope.GEZIN: "Gezin",
}

HISTORY_KIND_LABELS = {
    HistoryKind.VOORSCHOOLS: "Voorschoolse periode",
    HistoryKind.BASISSCHOOL: "Basisschool",
    HistoryKind.SBO: "SBO",
    HistoryKind.SO: "SO",
    HistoryKind.OVERIG: "Overig",
}

DECLARATION_LABELS = {
    None: "",
    Declaration.DYSLEXIE: "Dyslexieverklaring",
    Declaration.DYSCALCULIE: "Dyscalculieverklaring",
}

MEETING_KIND_LABELS = {
    MeetingKind.KINDBESPREKING: "Kindbespreking",
    MeetingKind.GROEPSBESPREKING: "Groepsbespreking",
    MeetingKind.OT: "Ondersteuningsteam (OT)",
    MeetingKind.MDO: "MDO",
    MeetingKind.OUDERGESPREK: "Oudergesprek",
    MeetingKind.OVERIG: "Overig overleg",
}

#: The documents' statuses as the pupil file shows them: the app's one wording.
DOCUMENT_STATUS_LABELS = labels.DOCUMENT_STATUS
OPP_STATUS_LABELS = labels.OPP_STATUS


class LeaveKind(enum.StrEnum):
    """Where a pupil goes when leaving; SBO and SO referrals are kept longer."""

    ANDERE_BASISSCHOOL = "andere_basisschool"
    SBO = "sbo"
    SO = "so"
    VO = "vo"
    VERHUIZING = "verhuizing"
    OVERIG = "overig"


LEAVE_KIND_LABELS = {
    LeaveKind.ANDERE_BASISSCHOOL: "Andere basisschool",
    LeaveKind.SBO: "SBO",
    LeaveKind.SO: "SO",
    LeaveKind.VO: "Voortgezet onderwijs",
    LeaveKind.VERHUIZING: "Verhuizing",
    LeaveKind.OVERIG: "Overig",
}

READ_ONLY_MESSAGE = (
    "Deze leerling heeft de school verlaten; het dossier is alleen-lezen. "
    "Zet de leerling eerst terug naar actief om iets te wijzigen."
)

#: Dutch names of the personal data, as the change log and a conflict show them.
PUPIL_FIELD_LABELS = {
    "first_name": "voornaam",
    "tussenvoegsel": "tussenvoegsel",
    "last_name": "achternaam",
    "gender": "geslacht",
    "birth_date": "geboortedatum",
    "first_school_day": "eerste schooldag",
    "enrolled_on": "datum inschrijving",
    "group_id": "groep",
    "lvs_id": "LVS-nummer",
    "family_composition": "gezinssamenstelling",
    "notes": "notities",
}

#: Dutch names of the fields of the records in the file, as a conflict shows them.
FIELD_LABELS = {
    "name": "naam",
    "relation": "relatie",
    "has_custody": "gezag",
    "phone": "telefoon",
    "email": "e-mail",
    "address": "adres",
    "notes": "notities",
    "scope": "rond",
    "organisation": "organisatie",
    "contact_name": "contactpersoon",
    "kind": "soort",
    "start_date": "begindatum",
    "end_date": "einddatum",
    "institution": "school of voorziening",
    "date": "datum",
    "performed_by": "uitgevoerd door",
    "conclusion": "conclusie",
    "declaration": "verklaring",
    "sensitive": "vertrouwelijk",
    "title": "titel",
    "held": "gehouden",
    "decisions": "besluiten",
    "confidential": "vertrouwelijk",
    "swv_released_on": "vrijgegeven aan het SWV op",
    "swv_guardian_id": "toestemming van (ouder/verzorger)",
    "swv_guardian_name": "toestemming van",
    "swv_released_by": "vrijgegeven door",
}

_ENUM_LABELS: dict[type, dict[Any, str]] = {
    CareScope: CARE_SCOPE_LABELS,
    HistoryKind: HISTORY_KIND_LABELS,
    Declaration: DECLARATION_LABELS,
    MeetingKind: MEETING_KIND_LABELS,
}


def show(_name: str, value: Any) -> str:
    """A value as the conflict dialog shows it (enum members by their Dutch label)."""
    labels = _ENUM_LABELS.get(type(value))
    if labels is not None:
        return labels[value]
    return versioned.display(value)


def log_value(value: Any) -> str:
    """A value as the change log writes it: dates as 12-03-2026, yes/no, none as empty."""
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if value is None:
        return ""
    return str(value)
