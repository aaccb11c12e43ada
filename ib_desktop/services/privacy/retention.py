"""Deleting files on schedule once their retention period has passed.

Each pupil who left has a delete-after date: by default two years after leaving, three after a
referral to SBO or SO; the school board sets both terms (school settings). What is due is listed
(and what comes next), and deleting keeps a :class:`RetentionRecord` without personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.models import Pupil, PupilStatus, RetentionRecord, School
from ib_desktop.services import audit
from ib_desktop.services.pupil import labels, lifecycle
from ib_desktop.validation import ValidationErrors

#: The terms a board may choose (in years).
MIN_YEARS = 1
MAX_YEARS = 20


@dataclass(frozen=True)
class RetentionItem:
    """A pupil who left, with the day the file may go."""

    pupil_id: int
    name: str
    reference: str
    left_on: date
    delete_after: date
    referral: bool

    @property
    def rule(self) -> str:
        """Which term applies, in Dutch."""
        if self.referral:
            return QT_TRANSLATE_NOOP("RetentionModel", "verwijzing SBO/SO")
        return QT_TRANSLATE_NOOP("RetentionModel", "na vertrek")


@dataclass(frozen=True)
class RetentionOverview:
    """What is due today and what follows."""

    today: date
    years: int
    years_special: int
    due: list[RetentionItem]
    upcoming: list[RetentionItem]

    @property
    def longest_years(self) -> int:
        """The longest term: backups older than this hold nothing that may still be kept."""
        return max(self.years, self.years_special)


def terms(school: School | None) -> tuple[int, int]:
    """The board's terms: (years after leaving, years after a referral to SBO/SO)."""
    return (
        lifecycle.retention_years(school, labels.LeaveKind.OVERIG),
        lifecycle.retention_years(school, labels.LeaveKind.SBO),
    )


def _is_referral(pupil: Pupil) -> bool:
    kind, _text = lifecycle.parse_destination(pupil.left_destination)
    return kind in (labels.LeaveKind.SBO, labels.LeaveKind.SO)


def _item(pupil: Pupil, school: School | None) -> RetentionItem | None:
    if pupil.left_on is None:
        return None
    referral = _is_referral(pupil)
    kind = labels.LeaveKind.SBO if referral else labels.LeaveKind.OVERIG
    delete_after = pupil.delete_after or lifecycle.delete_after_for(school, pupil.left_on, kind)
    return RetentionItem(
        pupil_id=pupil.id,
        name=pupil.full_name,
        reference=pupil.lvs_id or f"intern {pupil.id}",
        left_on=pupil.left_on,
        delete_after=delete_after,
        referral=referral,
    )


def overview(
    session: Session, school_id: int, *, today: date, upcoming: int = 10
) -> RetentionOverview:
    """The files due for deletion today and the next ``upcoming`` ones after."""
    school = session.get(School, school_id)
    left = session.scalars(
        sa.select(Pupil).where(Pupil.school_id == school_id, Pupil.status == PupilStatus.VERTROKKEN)
    )
    items = sorted(
        (item for p in left if (item := _item(p, school)) is not None),
        key=lambda i: (i.delete_after, i.name, i.pupil_id),
    )
    years, special = terms(school)
    return RetentionOverview(
        today=today,
        years=years,
        years_special=special,
        due=[i for i in items if i.delete_after <= today],
        upcoming=[i for i in items if i.delete_after > today][:upcoming],
    )


def apply(
    session: Session,
    school_id: int,
    *,
    today: date,
    only: Iterable[int] | None = None,
    actor: str | None = None,
) -> list[RetentionRecord]:
    """Delete the files that are due; ``only``: just these (the list the user confirmed).

    A pupil in ``only`` who is not due (any more) is left alone: confirming a list never deletes
    more than it showed, nor a file that came back (the pupil was re-enrolled meanwhile).
    """
    chosen = set(only) if only is not None else None
    records = []
    for item in overview(session, school_id, today=today, upcoming=0).due:
        if chosen is not None and item.pupil_id not in chosen:
            continue
        pupil = session.get(Pupil, item.pupil_id)
        if pupil is None:
            continue
        records.append(
            lifecycle.erase_file(session, pupil, today=today, actor=actor, rule_note="op schema")
        )
    return records


def set_terms(
    session: Session, school_id: int, years: int, years_special: int, *, actor: str | None = None
) -> int:
    """The board's new terms; the delete-after date of every pupil who left follows them.

    Returns how many pupils got a new date.
    """
    errors = {}
    for key, value in (("retention_years", years), ("retention_years_special", years_special)):
        if not MIN_YEARS <= value <= MAX_YEARS:
            errors[key] = f"Kies een bewaartermijn van {MIN_YEARS} tot {MAX_YEARS} jaar."
    ValidationErrors.collect(errors)
    school = session.get(School, school_id)
    if school is None:
        raise ValidationErrors({"school": "De school bestaat niet meer."})
    old = terms(school)
    settings = dict(school.settings or {})
    settings["retention_years"] = years
    settings["retention_years_special"] = years_special
    school.settings = settings
    changed = 0
    for pupil in session.scalars(
        sa.select(Pupil).where(Pupil.school_id == school_id, Pupil.status == PupilStatus.VERTROKKEN)
    ):
        if pupil.left_on is None:
            continue
        kind = labels.LeaveKind.SBO if _is_referral(pupil) else labels.LeaveKind.OVERIG
        new_date = lifecycle.delete_after_for(school, pupil.left_on, kind)
        if pupil.delete_after != new_date:
            pupil.delete_after = new_date
            changed += 1
    if old != (years, years_special):
        audit.record(
            session,
            "school",
            school_id,
            "bewaartermijn gewijzigd",
            field="retention",
            old=f"{old[0]}/{old[1]}",
            new=f"{years}/{years_special}",
            summary=f"Bewaartermijn: {years} jaar na vertrek, {years_special} jaar na een "
            f"verwijzing naar SBO/SO; {changed} vertrokken leerling(en) met een nieuwe datum.",
            actor=actor,
        )
    session.flush()
    return changed


def due_text(item: RetentionItem, today: date) -> str:
    """ "sinds 12-03-2026" or "op 12-03-2027", for lists."""
    word = "sinds" if item.delete_after <= today else "vanaf"
    return f"{word} {short_date(item.delete_after)}"
