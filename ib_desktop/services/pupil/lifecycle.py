"""A pupil leaving school, coming back, and the file deleted once its retention has passed.

Leaving closes the open levels and the running OPP on the day of leaving and makes the file
read-only; coming back reopens what closed that day. Both write the pupil record through
:func:`~ib_desktop.services.versioned.save_versioned`. Deleting keeps only a
:class:`RetentionRecord` that it was done: the change log about the pupil goes too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import (
    ChangeLog,
    GroupMembership,
    GrowthDocument,
    LevelAssignment,
    Meeting,
    Opp,
    OppVersion,
    Pupil,
    PupilStatus,
    RetentionRecord,
    School,
    ShortIntervention,
)
from ib_desktop.services import audit, versioned
from ib_desktop.services.privacy import pupil_data
from ib_desktop.services.pupil.labels import LEAVE_KIND_LABELS, LeaveKind
from ib_desktop.services.pupil.lookups import current_school_year, pupil_or_gone, writable_pupil
from ib_desktop.services.pupil.meetings import pupil_meetings
from ib_desktop.services.pupil.records import pupil_lock_spec
from ib_desktop.services.pupil.validation import clean, past_problem
from ib_desktop.storage import pg_policies
from ib_desktop.validation import ValidationErrors

#: The school board's usual retention after leaving; referrals to special education longer.
RETENTION_YEARS = 2
RETENTION_YEARS_SPECIAL = 3


# ---------------------------------------------------------------------------- retention


def retention_years(school: School | None, kind: LeaveKind | str) -> int:
    """Years the file is kept after leaving: the school's setting or the board's default."""
    settings = (school.settings if school else None) or {}
    if LeaveKind(kind) in (LeaveKind.SBO, LeaveKind.SO):
        return int(settings.get("retention_years_special", RETENTION_YEARS_SPECIAL))
    return int(settings.get("retention_years", RETENTION_YEARS))


def delete_after_for(school: School | None, left_on: date, kind: LeaveKind | str) -> date:
    """The first day the file of a pupil who left on ``left_on`` may be deleted."""
    return left_on + relativedelta(years=retention_years(school, kind))


def format_destination(kind: LeaveKind | str, text: str) -> str:
    """ "SBO: De Brug" as stored in ``Pupil.left_destination``."""
    label = LEAVE_KIND_LABELS[LeaveKind(kind)]
    text = clean(text)
    return f"{label}: {text}" if text else label


def parse_destination(stored: str) -> tuple[LeaveKind | None, str]:
    """The kind and free text of a stored destination (kind None for free text only)."""
    for kind, label in LEAVE_KIND_LABELS.items():
        if stored == label:
            return kind, ""
        if stored.startswith(label + ": "):
            return kind, stored[len(label) + 2 :]
    return None, stored


# ---------------------------------------------------------------------------- leaving


def check_leave(
    session: Session,
    pupil: Pupil,
    left_on: date | None,
    kind: Any,
    destination: str,
    *,
    today: date,
) -> dict[str, str]:
    """Errors for a pupil leaving school."""
    errors: dict[str, str] = {}
    if left_on is None:
        errors["left_on"] = "Vul de datum van vertrek in."
    elif msg := _left_on_problem(session, pupil, left_on, today):
        errors["left_on"] = msg
    try:
        LeaveKind(kind)
    except ValueError:
        errors["kind"] = "Kies waar de leerling naartoe gaat."
    shown_kind = kind if "kind" not in errors else LeaveKind.OVERIG
    if len(format_destination(shown_kind, destination)) > 200:
        errors["destination"] = "De bestemming is te lang (hoogstens 180 tekens)."
    return errors


def _left_on_problem(session: Session, pupil: Pupil, left_on: date, today: date) -> str:
    """Why a pupil cannot have left on ``left_on``: the first rule it breaks, or ""."""
    if msg := past_problem(left_on, today, "datum van vertrek"):
        return msg
    if pupil.birth_date and left_on < pupil.birth_date:
        return "De datum van vertrek ligt vóór de geboortedatum."
    latest = session.scalars(
        sa.select(sa.func.max(LevelAssignment.start_date)).where(
            LevelAssignment.pupil_id == pupil.id, LevelAssignment.end_date.is_(None)
        )
    ).first()
    if latest is not None and left_on < latest:
        return (
            "De datum van vertrek ligt vóór de start van het huidige niveau "
            f"({short_date(latest)})."
        )
    if pupil.enrolled_on and left_on < pupil.enrolled_on:
        return "De datum van vertrek ligt vóór de datum van inschrijving."
    opp_start = session.scalars(
        sa.select(sa.func.max(Opp.start_date)).where(
            Opp.pupil_id == pupil.id, Opp.end_date.is_(None)
        )
    ).first()
    if opp_start is not None and left_on < opp_start:
        return (
            "De datum van vertrek ligt vóór de start van het lopende OPP "
            f"({short_date(opp_start)})."
        )
    return ""


def leave_school(
    session: Session,
    pupil_id: int,
    left_on: date | None,
    kind: LeaveKind | str,
    destination: str = "",
    *,
    expected_version: int | None = None,
    today: date,
    actor: str | None = None,
) -> date:
    """Register that a pupil left: close the open levels, keep the file read-only.

    Returns the date after which the file may be deleted (2 years, 3 for SBO/SO by default).
    """
    pupil = writable_pupil(session, pupil_id)
    spec = pupil_lock_spec(session, pupil_id)
    # Somebody else's save is told before the mistakes in this form.
    versioned.check_version(session, pupil, expected_version, {}, spec)
    ValidationErrors.collect(check_leave(session, pupil, left_on, kind, destination, today=today))
    assert left_on is not None
    kind = LeaveKind(kind)
    for assignment in session.scalars(
        sa.select(LevelAssignment).where(
            LevelAssignment.pupil_id == pupil_id, LevelAssignment.end_date.is_(None)
        )
    ):
        assignment.end_date = left_on
    _end_running_opps(session, pupil_id, left_on, actor)
    left_destination = format_destination(kind, destination)
    delete_after = delete_after_for(pupil.school, left_on, kind)
    audit.record(
        session,
        "pupil",
        pupil_id,
        "vertrokken",
        field="status",
        old="actief",
        new="vertrokken",
        summary=(
            f"Vertrokken op {short_date(left_on)} naar {left_destination}; "
            f"bewaren tot {short_date(delete_after)} "
            f"({retention_years(pupil.school, kind)} jaar)."
        ),
        actor=actor,
    )
    values = {
        "status": PupilStatus.VERTROKKEN,
        "left_on": left_on,
        "left_destination": left_destination,
        "delete_after": delete_after,
        "group_id": None,
    }
    versioned.save_versioned(session, pupil, expected_version, values, spec)
    return delete_after


def _end_running_opps(session: Session, pupil_id: int, left_on: date, actor: str | None) -> None:
    """The OPP ends with the pupil's time at school: its end date goes to the national registry."""
    for opp in session.scalars(
        sa.select(Opp).where(Opp.pupil_id == pupil_id, Opp.end_date.is_(None))
    ):
        opp.end_date = left_on
        audit.record(
            session,
            "opp",
            opp.id,
            "beëindigd",
            field="end_date",
            old="",
            new=left_on.isoformat(),
            summary=(
                f"OPP beëindigd op {short_date(left_on)}: de leerling heeft de school verlaten."
            ),
            actor=actor,
        )


# ---------------------------------------------------------------------------- coming back


def reactivate(
    session: Session,
    pupil_id: int,
    *,
    expected_version: int | None = None,
    today: date,
    actor: str | None = None,
) -> None:
    """Undo a registered departure on purpose: the file becomes editable again.

    The levels that were closed on the day of leaving are opened again, and the group of the
    current school year is restored when the pupil still has one.
    """
    pupil = pupil_or_gone(session, pupil_id)
    if pupil.status != PupilStatus.VERTROKKEN:
        raise ValidationErrors({"status": "Deze leerling staat al als actief ingeschreven."})
    spec = pupil_lock_spec(session, pupil_id)
    versioned.check_version(session, pupil, expected_version, {}, spec)
    left_on = pupil.left_on
    reopened = 0
    if left_on is not None:
        reopened = _reopen_levels(session, pupil_id, left_on)
        _reopen_opps(session, pupil_id, left_on, actor)
    values: dict[str, Any] = {
        "status": PupilStatus.ACTIEF,
        "left_on": None,
        "left_destination": "",
        "delete_after": None,
    }
    if (group_id := _group_this_year(session, pupil_id, today)) is not None:
        values["group_id"] = group_id
    audit.record(
        session,
        "pupil",
        pupil_id,
        "teruggezet naar actief",
        field="status",
        old="vertrokken",
        new="actief",
        summary=f"Vertrek van {short_date(left_on)} ({pupil.left_destination}) teruggedraaid; "
        f"{reopened} niveau(s) weer geopend.",
        actor=actor,
    )
    versioned.save_versioned(session, pupil, expected_version, values, spec)


def _reopen_levels(session: Session, pupil_id: int, left_on: date) -> int:
    """Open again the last level of each area when it closed on the day of leaving."""
    by_area: dict[str, LevelAssignment] = {}
    for a in session.scalars(
        sa.select(LevelAssignment)
        .where(LevelAssignment.pupil_id == pupil_id)
        .order_by(LevelAssignment.start_date, LevelAssignment.id)
    ):
        by_area[a.area] = a
    reopened = 0
    for a in by_area.values():
        if a.end_date == left_on:
            a.end_date = None
            reopened += 1
    return reopened


def _reopen_opps(session: Session, pupil_id: int, left_on: date, actor: str | None) -> None:
    """The OPP that ended with the departure runs again (one ended on another day stays)."""
    for opp in session.scalars(
        sa.select(Opp).where(Opp.pupil_id == pupil_id, Opp.end_date == left_on)
    ):
        opp.end_date = None
        audit.record(
            session,
            "opp",
            opp.id,
            "weer lopend",
            field="end_date",
            old=left_on.isoformat(),
            new="",
            summary="Einde van het OPP teruggedraaid met het vertrek van de leerling.",
            actor=actor,
        )


def _group_this_year(session: Session, pupil_id: int, today: date) -> int | None:
    """The pupil's group in the current school year, when it has one."""
    year = current_school_year(session, today)
    if year is None:
        return None
    membership = session.scalars(
        sa.select(GroupMembership).where(
            GroupMembership.pupil_id == pupil_id, GroupMembership.school_year_id == year.id
        )
    ).first()
    return membership.group_id if membership is not None else None


# ---------------------------------------------------------------------------- deleting


def delete_file(
    session: Session,
    pupil_id: int,
    *,
    confirm_name: str,
    today: date,
    allow_early: bool = False,
    actor: str | None = None,
) -> RetentionRecord:
    """Delete the whole file of a pupil who left, keeping only a record that it was done.

    Only for pupils who left. Before the retention date ``allow_early`` must be given (the
    window asks separately). ``confirm_name`` must be the pupil's full name, typed by the user.
    The pupil's own change log lines go too: they hold personal data.
    """
    pupil = pupil_or_gone(session, pupil_id)
    ValidationErrors.collect(_deletion_errors(pupil, confirm_name, today, allow_early))
    return erase_file(session, pupil, today=today, actor=actor)


def erase_file(
    session: Session, pupil: Pupil, *, today: date, actor: str | None = None, rule_note: str = ""
) -> RetentionRecord:
    """Remove every row about ``pupil`` (the caller checked that it may), keep the record.

    What goes is what the inzage shows: the rows found by
    :func:`~ib_desktop.services.privacy.pupil_data.pupil_row_keys`, so a table added later is
    deleted as well, including rows a cascade would only unlink (a registration's child name).
    """
    keys = pupil_data.pupil_row_keys(session, pupil.id)
    # The change log goes through _forget_change_log below: on PostgreSQL only the database's
    # own function may delete its lines (nobody's login may), so they are not deleted row by row.
    keys.pop("change_log", None)
    rule = _retention_rule(pupil, today)
    record = RetentionRecord(
        actor=actor or audit.current_actor(),
        pupil_reference=pupil.lvs_id or f"intern {pupil.id}",
        left_on=pupil.left_on,
        retention_rule=f"{rule}; {rule_note}" if rule_note else rule,
    )
    session.add(record)
    _forget_change_log(session, pupil.id)
    # Meetings about this pupil alone go with the file; shared ones only lose the link.
    for meeting in pupil_meetings(session, pupil.id):
        if meeting.other_pupils == 0:
            m = session.get(Meeting, meeting.id)
            if m is not None:
                session.delete(m)
    session.delete(pupil)
    session.flush()
    pupil_data.delete_owned_rows(session, keys)
    session.flush()
    return record


def _deletion_errors(
    pupil: Pupil, confirm_name: str, today: date, allow_early: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if pupil.status != PupilStatus.VERTROKKEN:
        errors["status"] = (
            "Alleen het dossier van een leerling die de school heeft verlaten kan worden "
            "verwijderd."
        )
    elif pupil.delete_after and today < pupil.delete_after and not allow_early:
        errors["delete_after"] = f"De bewaartermijn loopt nog tot {short_date(pupil.delete_after)}."
    if clean(confirm_name).lower() != clean(pupil.full_name).lower():
        errors["confirm_name"] = "Typ de volledige naam van de leerling precies over."
    return errors


def _retention_rule(pupil: Pupil, today: date) -> str:
    """The rule the deletion followed, as the retention record keeps it."""
    if pupil.delete_after and pupil.left_on:
        years = relativedelta(pupil.delete_after, pupil.left_on).years
        kind, _text = parse_destination(pupil.left_destination)
        referral = " (verwijzing naar SBO/SO)" if kind in (LeaveKind.SBO, LeaveKind.SO) else ""
        rule = f"{years} jaar na vertrek{referral} (bewaren tot {short_date(pupil.delete_after)})"
    else:
        rule = "geen bewaartermijn vastgelegd"
    if pupil.delete_after and today < pupil.delete_after:
        rule += "; vervroegd verwijderd"
    return rule


def _forget_change_log(session: Session, pupil_id: int) -> None:
    """Remove the change-log lines about the pupil and its documents: they hold personal data.

    On PostgreSQL nobody's login may delete change-log lines; the database does it for a pupil
    who left (``pg_policies.forget_change_log``).
    """
    forgotten = pg_policies.forget_change_log(session, pupil_id)
    doc_ids: dict[str, list[int]] = {
        "pupil": [pupil_id],
        "korte_interventie": list(
            session.scalars(
                sa.select(ShortIntervention.id).where(ShortIntervention.pupil_id == pupil_id)
            )
        ),
        "groeidocument": list(
            session.scalars(sa.select(GrowthDocument.id).where(GrowthDocument.pupil_id == pupil_id))
        ),
        "opp": list(session.scalars(sa.select(Opp.id).where(Opp.pupil_id == pupil_id))),
    }
    doc_ids["opp_version"] = list(
        session.scalars(
            sa.select(OppVersion.id).where(OppVersion.opp_id.in_(doc_ids["opp"] or [-1]))
        )
    )
    if doc_ids["opp_version"]:
        # Versions point at their predecessor (RESTRICT): unlink before the cascade runs.
        session.execute(
            sa.update(OppVersion)
            .where(OppVersion.id.in_(doc_ids["opp_version"]))
            .values(previous_version_id=None)
            .execution_options(synchronize_session=False)
        )
    for entity, ids in doc_ids.items():
        if ids and not forgotten:
            session.execute(
                sa.delete(ChangeLog).where(ChangeLog.entity == entity, ChangeLog.entity_id.in_(ids))
            )
