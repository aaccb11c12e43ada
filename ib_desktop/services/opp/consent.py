"""Part 13: the guardians' consent to the handelingsdeel and the signatures.

Consent and signatures are legal acts: each is stored the moment it is given, on its own, with a
line in the change log, and never as part of the editor's draft (so a stale editor can never
drop one, and the version's lock is not touched). :func:`consent_problems` and
:func:`signature_problems` say what part 13 still lacks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import (
    Guardian,
    OppConsent,
    OppSignature,
    Pupil,
    SignatureRole,
    Staff,
    StaffRole,
)
from ib_desktop.services import audit
from ib_desktop.services.labels import SIGNATURE_ROLE_LABELS
from ib_desktop.services.opp.data import (
    ENTITY,
    SCHOOL_SIGNERS,
    OppVersionData,
    SignatureData,
    SignerChoice,
)
from ib_desktop.services.opp.store import blank, check_editable, load_row, load_version
from ib_desktop.validation import ConcurrentEditError, ValidationError, ValidationErrors


def custody_guardians(pupil: dict[str, Any]) -> list[dict[str, Any]]:
    """The guardians with gezag in a pupil snapshot: they give consent and sign."""
    return [g for g in pupil.get("guardians", []) if g.get("has_custody")]


def consent_problems(data: OppVersionData, pupil: dict[str, Any]) -> dict[str, str]:
    """Per guardian with gezag what is wrong with their consent (empty when all consented)."""
    by_guardian = {c.guardian_id: c for c in data.consents}
    problems: dict[str, str] = {}
    for g in custody_guardians(pupil):
        consent = by_guardian.get(g["id"])
        who = f"{g['name']} ({g.get('relation') or 'ouder'})"
        if consent is None:
            problems[f"toestemming_{g['id']}"] = (
                f"De toestemming van {who} voor het handelingsdeel is nog niet vastgelegd."
            )
        elif not consent.consent:
            problems[f"toestemming_{g['id']}"] = (
                f"{who} heeft op {short_date(consent.date)} geen toestemming gegeven voor het "
                "handelingsdeel."
            )
    return problems


def signature_problems(data: OppVersionData) -> dict[str, str]:
    """Which of the school's signatures (IB-er, directie) are missing."""
    present = {s.role for s in data.signatures}
    return {
        f"handtekening_{role.value}": (
            f"De handtekening van de {SIGNATURE_ROLE_LABELS[role.value].lower()} ontbreekt."
        )
        for role in SCHOOL_SIGNERS
        if role not in present
    }


def signer_choices(
    session: Session, data: OppVersionData, pupil: dict[str, Any]
) -> list[SignerChoice]:
    """Who can sign: guardians with gezag, the IB-ers and directie, the group's teachers."""
    choices = [
        SignerChoice(SignatureRole.OUDER, g["name"], guardian_id=g["id"])
        for g in pupil.get("guardians", [])
        if g.get("has_custody")
    ]
    school_id = session.scalar(sa.select(Pupil.school_id).where(Pupil.id == data.pupil_id))
    staff = session.scalars(
        sa.select(Staff)
        .where(Staff.school_id == school_id, Staff.active.is_(True))
        .order_by(Staff.last_name, Staff.first_name)
    ).all()
    roles = {StaffRole.IB: SignatureRole.IB, StaffRole.DIRECTIE: SignatureRole.DIRECTIE}
    for member in staff:
        role = roles.get(StaffRole(member.role))
        if role:
            choices.append(SignerChoice(role, member.full_name, staff_id=member.id))
    pupil_row = session.get(Pupil, data.pupil_id)
    if pupil_row is not None and pupil_row.group is not None:
        for teacher in pupil_row.group.teachers:
            choices.append(
                SignerChoice(SignatureRole.LEERKRACHT, teacher.full_name, staff_id=teacher.id)
            )
        choices.append(SignerChoice(SignatureRole.LEERLING, pupil_row.full_name))
    return choices


def _legal_act_stored(session: Session) -> None:
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        # Two people recorded the same guardian's answer at once: the first one stands.
        raise ConcurrentEditError("de toestemming bij deze OPP-versie") from exc


def _custody_guardian(session: Session, guardian_id: int, pupil_id: int) -> Guardian:
    """The guardian who answers; refused when not of this pupil or without gezag."""
    guardian = session.get(Guardian, guardian_id)
    if guardian is None or guardian.pupil_id != pupil_id:
        raise ValidationError("guardian_id", "Deze ouder/verzorger hoort niet bij deze leerling.")
    if not guardian.has_custody:
        raise ValidationError(
            "guardian_id",
            f"{guardian.name} heeft geen gezag; alleen ouders met gezag geven toestemming.",
        )
    return guardian


def record_consent(
    session: Session,
    version_id: int,
    guardian_id: int,
    *,
    consent: bool,
    on: date,
    view: str = "",
    today: date | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Record a guardian's consent (or refusal, with their view) to the handelingsdeel.

    A legal act: it is stored at once, on its own, with a line in the change log. The rest of
    the version (the draft in the editor) is not touched, and neither is the version's lock, so
    the editor's own later save is no conflict. Returns the version as stored.
    """
    row = load_row(session, version_id)
    check_editable(row)
    guardian = _custody_guardian(session, guardian_id, row.opp.pupil_id)
    errors: dict[str, str] = {}
    if not consent and blank(view):
        errors[f"toestemming_{guardian_id}"] = (
            f"Noteer de zienswijze van {guardian.name}: waarom geeft "
            "de ouder/verzorger geen toestemming?"
        )
    if today is not None and on > today:
        errors["date"] = "De datum van de toestemming ligt in de toekomst."
    ValidationErrors.collect(errors)
    target = next((c for c in row.consents if c.guardian_id == guardian_id), None)
    if target is None:
        target = OppConsent(
            guardian_id=guardian_id, guardian_name=guardian.name, consent=consent, date=on
        )
        row.consents.append(target)
    target.guardian_name = guardian.name
    target.consent = consent
    target.date = on
    target.view = (view or "").strip()
    _legal_act_stored(session)
    audit.record(
        session,
        ENTITY,
        version_id,
        "toestemming" if consent else "geen toestemming",
        summary=f"{guardian.name}: {'' if consent else 'geen '}toestemming op {short_date(on)}",
        actor=actor,
    )
    return load_version(session, version_id)


def _same_signer(stored: OppSignature, signature: SignatureData) -> bool:
    """Whether a stored signature is of the same person in the same role (to be replaced)."""
    if stored.role != signature.role:
        return False
    if signature.guardian_id is not None:
        return stored.guardian_id == signature.guardian_id
    if signature.staff_id is not None:
        return stored.staff_id == signature.staff_id
    return stored.name == signature.name.strip()


def add_signature(
    session: Session,
    version_id: int,
    signature: SignatureData,
    *,
    today: date | None = None,
    actor: str | None = None,
) -> OppVersionData:
    """Add a signature to part 13 (replacing an earlier one of the same person and role).

    Stored at once, on its own, like consent: the draft and the version's lock stay as they are.
    """
    row = load_row(session, version_id)
    check_editable(row)
    errors: dict[str, str] = {}
    if blank(signature.name):
        errors["handtekening_naam"] = "Vul de naam in van wie tekent."
    if today is not None and signature.signed_on > today:
        errors["handtekening_datum"] = "De datum van de handtekening ligt in de toekomst."
    ValidationErrors.collect(errors)
    for old in [s for s in row.signatures if _same_signer(s, signature)]:
        row.signatures.remove(old)
    row.signatures.append(
        OppSignature(
            role=signature.role,
            name=signature.name.strip(),
            signed_on=signature.signed_on,
            guardian_id=signature.guardian_id,
            staff_id=signature.staff_id,
            image_png=signature.image_png,
            captured_at=signature.captured_at,
        )
    )
    _legal_act_stored(session)
    role = SIGNATURE_ROLE_LABELS.get(SignatureRole(signature.role).value, str(signature.role))
    audit.record(
        session,
        ENTITY,
        version_id,
        "ondertekend",
        summary=(
            f"Handtekening {role}: {signature.name.strip()} op {short_date(signature.signed_on)}"
            + (" (op het scherm getekend)" if signature.image_png else "")
        ),
        actor=actor,
    )
    return load_version(session, version_id)


def remove_signature(
    session: Session, version_id: int, signature_id: int, *, actor: str | None = None
) -> OppVersionData:
    """Take a signature off a concept version (stored at once, with a change-log line)."""
    row = load_row(session, version_id)
    check_editable(row)
    target = next((s for s in row.signatures if s.id == signature_id), None)
    if target is None:
        raise ConcurrentEditError("deze handtekening")
    row.signatures.remove(target)
    session.flush()
    audit.record(
        session,
        ENTITY,
        version_id,
        "handtekening verwijderd",
        summary=f"Handtekening van {target.name} ({short_date(target.signed_on)}) verwijderd",
        actor=actor,
    )
    return load_version(session, version_id)
