"""The parents' copy of a pupil's file as data: everything, machine-readable.

The same dictionary feeds the JSON file and the readable PDF of the inzage ZIP. Its tables come
from :mod:`.pupil_data`, so every table with a path to the pupil is in it, also one added later.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.models import Pupil, School
from ib_desktop.services import audit
from ib_desktop.services.privacy import pupil_data
from ib_desktop.services.pupil.data import RecordGoneError

FORMAT = "ib-desktop-inzage"
FORMAT_VERSION = 1

#: Dutch titles of the tables, in the order the PDF shows them; other tables follow by name.
TABLE_TITLES: dict[str, str] = {
    "pupils": QT_TRANSLATE_NOOP("Inzage", "Leerling"),
    "guardians": QT_TRANSLATE_NOOP("Inzage", "Ouders en verzorgers"),
    "care_providers": QT_TRANSLATE_NOOP("Inzage", "Hulpverlening"),
    "school_history": QT_TRANSLATE_NOOP("Inzage", "Schoolloopbaan"),
    "group_memberships": QT_TRANSLATE_NOOP("Inzage", "Groepen per schooljaar"),
    "level_assignments": QT_TRANSLATE_NOOP("Inzage", "Ondersteuningsniveaus"),
    "assessments": QT_TRANSLATE_NOOP("Inzage", "Onderzoek en diagnostiek"),
    "short_interventions": QT_TRANSLATE_NOOP("Inzage", "Korte interventies"),
    "growth_documents": QT_TRANSLATE_NOOP("Inzage", "Groeidocumenten"),
    "growth_periods": QT_TRANSLATE_NOOP("Inzage", "Groeidocumenten: periodes"),
    "growth_goals": QT_TRANSLATE_NOOP("Inzage", "Groeidocumenten: doelen"),
    "opps": QT_TRANSLATE_NOOP("Inzage", "Ontwikkelingsperspectiefplannen (OPP)"),
    "opp_versions": QT_TRANSLATE_NOOP("Inzage", "OPP: alle versies"),
    "opp_goals": QT_TRANSLATE_NOOP("Inzage", "OPP: doelen"),
    "opp_conversations": QT_TRANSLATE_NOOP("Inzage", "OPP: gesprekken met ouders"),
    "opp_consents": QT_TRANSLATE_NOOP("Inzage", "OPP: toestemming en instemming"),
    "opp_signatures": QT_TRANSLATE_NOOP("Inzage", "OPP: handtekeningen"),
    "meetings": QT_TRANSLATE_NOOP("Inzage", "Besprekingen en overleggen"),
    "meeting_participants": QT_TRANSLATE_NOOP("Inzage", "Deelnemers aan besprekingen"),
    "meeting_pupils": QT_TRANSLATE_NOOP("Inzage", "Besproken in"),
    "evaluation_moments": QT_TRANSLATE_NOOP("Inzage", "Evaluatiemomenten"),
    "registrations": QT_TRANSLATE_NOOP("Inzage", "Aanmelding"),
    "inzage_requests": QT_TRANSLATE_NOOP("Inzage", "Verzoeken om inzage"),
    "change_log": QT_TRANSLATE_NOOP("Inzage", "Wijzigingsgeschiedenis"),
}


def ordered_tables(tables: list[str]) -> list[str]:
    """The known tables in reading order, then any other table by name."""
    known = [t for t in TABLE_TITLES if t in tables]
    return known + sorted(t for t in tables if t not in TABLE_TITLES)


def inzage_data(session: Session, pupil_id: int, *, now: datetime) -> dict[str, Any]:
    """The whole file of the pupil as JSON-ready data."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise RecordGoneError("Deze leerling")
    school = session.get(School, pupil.school_id)
    rows = pupil_data.pupil_rows(session, pupil_id)
    return {
        "formaat": FORMAT,
        "versie": FORMAT_VERSION,
        "gemaakt_op": now.isoformat(timespec="seconds"),
        "school": school.name if school else "",
        "leerling": {
            "id": pupil.id,
            "naam": pupil.full_name,
            "geboortedatum": pupil.birth_date.isoformat(),
            "lvs_id": pupil.lvs_id,
        },
        "uitleg": (
            "Alle gegevens die de school in IB Desktop over deze leerling bewaart "
            "(AVG artikel 15). Per tabel de rijen zoals ze zijn opgeslagen; datums in ISO-notatie."
        ),
        "tabellen": {name: rows[name] for name in ordered_tables(list(rows))},
        "namen": pupil_data.referenced_names(session, rows),
    }


def record_export(
    session: Session,
    pupil_id: int,
    *,
    protected: bool,
    today: date,
    actor: str | None = None,
) -> None:
    """Write to the change log that a copy of the whole file left the program."""
    how = "met wachtwoord" if protected else "zonder wachtwoord"
    audit.record(
        session,
        "pupil",
        pupil_id,
        "inzage geëxporteerd",
        field="inzage",
        new=today.isoformat(),
        summary=f"Kopie van het volledige dossier gemaakt op {short_date(today)} (ZIP {how}).",
        actor=actor,
    )
