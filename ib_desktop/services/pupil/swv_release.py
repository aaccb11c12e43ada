"""Release of a report to the samenwerkingsverband, per report, with the parents' permission.

Sharing a medical or psychological report with the SWV needs the permission of a parent or
guardian with gezag, per report (issue 19). The release is three facts on the assessment: the
date of the permission, the guardian who gave it (by id and by name, so the record outlives a
guardian later removed), and who recorded it. Only a role that writes the care file records or
withdraws a release; the packet for the SWV (issue 20) takes :func:`released_for_swv`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import Assessment, Guardian
from ib_desktop.permissions import Role, writes_care_file
from ib_desktop.services import audit
from ib_desktop.services.pupil.data import AssessmentData
from ib_desktop.services.pupil.restricted import RestrictedError
from ib_desktop.validation import ValidationErrors

NOT_ALLOWED = (
    "Alleen de intern begeleider en de directie geven een verslag vrij aan het "
    "samenwerkingsverband."
)


def prepare_release(
    session: Session,
    pupil_id: int,
    data: AssessmentData,
    *,
    today: date,
    actor: str | None,
    role: Role = None,
) -> None:
    """Check the release on ``data`` and complete it (guardian's name, who released it).

    An unchanged release keeps what was stored; a new or changed one needs a guardian of this
    pupil with gezag and a date that is not in the future; clearing both withdraws it.
    """
    stored = session.get(Assessment, data.id) if data.id is not None else None
    before = (stored.swv_released_on, stored.swv_guardian_id) if stored else (None, None)
    if (data.swv_released_on, data.swv_guardian_id) == before:
        data.swv_guardian_name = stored.swv_guardian_name if stored else ""
        data.swv_released_by = stored.swv_released_by if stored else ""
        return
    if not writes_care_file(role):
        raise RestrictedError(NOT_ALLOWED)
    if data.swv_released_on is None and data.swv_guardian_id is None:
        data.swv_guardian_name = data.swv_released_by = ""
        return
    errors: dict[str, str] = {}
    guardian = session.get(Guardian, data.swv_guardian_id) if data.swv_guardian_id else None
    if data.swv_guardian_id is None:
        errors["swv_guardian_id"] = "Kies de ouder/verzorger met gezag die toestemming gaf."
    elif guardian is None or guardian.pupil_id != pupil_id:
        errors["swv_guardian_id"] = "Deze ouder/verzorger hoort niet (meer) bij de leerling."
    elif not guardian.has_custody:
        errors["swv_guardian_id"] = "Alleen een ouder/verzorger met gezag geeft toestemming."
    if data.swv_released_on is None:
        errors["swv_released_on"] = "Vul de datum van de toestemming in."
    elif data.swv_released_on > today:
        errors["swv_released_on"] = "De datum van de toestemming ligt in de toekomst."
    ValidationErrors.collect(errors)
    assert guardian is not None
    data.swv_guardian_name = guardian.name
    data.swv_released_by = actor or audit.current_actor()


def released_for_swv(
    session: Session, pupil_id: int, *, include_not_sensitive: bool = False
) -> list[AssessmentData]:
    """The pupil's reports released to the samenwerkingsverband, oldest first.

    Only reports with a recorded release (date and guardian): the packet for the SWV shares
    nothing the parents did not release. With ``include_not_sensitive`` the reports not marked
    sensitive (a school's own didactic test, say) come along without a release; whether the
    school wants that is its policy, so the caller decides.
    """
    from ib_desktop.services.pupil.children import ASSESSMENTS

    query = sa.select(Assessment).where(Assessment.pupil_id == pupil_id)
    released = Assessment.swv_released_on.is_not(None)
    query = query.where(
        sa.or_(released, Assessment.sensitive.is_(False)) if include_not_sensitive else released
    )
    rows = session.scalars(query.order_by(Assessment.date, Assessment.id)).all()
    return [ASSESSMENTS.load(row) for row in rows]
