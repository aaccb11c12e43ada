"""The pupil data an OPP shows in parts 1-3, as a plain dict that can be frozen into a version.

A fixed OPP keeps this dict, so later edits to the pupil file do not change what was agreed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ib_desktop.models import Pupil
from ib_desktop.permissions import Role, reads_restricted


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def pupil_snapshot(pupil: Pupil, *, school_name: str = "", group_name: str = "") -> dict[str, Any]:
    """Parts 1 (algemene gegevens), 2 (schoolloopbaan) and 3 (onderzoek) of a pupil's file."""
    return {
        "pupil": {
            "id": pupil.id,
            "lvs_id": pupil.lvs_id,
            "first_name": pupil.first_name,
            "tussenvoegsel": pupil.tussenvoegsel,
            "last_name": pupil.last_name,
            "full_name": pupil.full_name,
            "gender": pupil.gender,
            "birth_date": _d(pupil.birth_date),
            "first_school_day": _d(pupil.first_school_day),
            "enrolled_on": _d(pupil.enrolled_on),
            "group": group_name or (pupil.group.name if pupil.group else ""),
            "school": school_name or (pupil.school.name if pupil.school else ""),
            "family_composition": pupil.family_composition,
        },
        "guardians": [
            {
                "id": g.id,
                "name": g.name,
                "relation": g.relation,
                "has_custody": g.has_custody,
                "phone": g.phone,
                "email": g.email,
                "address": g.address,
            }
            for g in pupil.guardians
        ],
        "care_providers": [
            {
                "scope": str(c.scope),
                "organisation": c.organisation,
                "contact_name": c.contact_name,
                "kind": c.kind,
                "start_date": _d(c.start_date),
                "end_date": _d(c.end_date),
            }
            for c in pupil.care_providers
        ],
        "school_history": [
            {
                "kind": str(h.kind),
                "institution": h.institution,
                "start_date": _d(h.start_date),
                "end_date": _d(h.end_date),
                "notes": h.notes,
            }
            for h in pupil.school_history
        ],
        "assessments": [
            {
                "id": a.id,
                "date": _d(a.date),
                "kind": a.kind,
                "performed_by": a.performed_by,
                "conclusion": a.conclusion,
                "sensitive": a.sensitive,
            }
            for a in pupil.assessments
        ],
    }


#: What a role without :func:`~ib_desktop.permissions.reads_restricted` does not see of a
#: sensitive assessment in a snapshot (the same as :mod:`ib_desktop.services.pupil.restricted`).
HIDDEN_ASSESSMENT_KEYS = ("performed_by", "conclusion")


def restricted_snapshot(snap: dict[str, Any], role: Role) -> dict[str, Any]:
    """``snap`` as ``role`` may read it: sensitive assessments blanked and marked ``restricted``.

    A copy; the stored snapshot of a fixed OPP is never changed. For showing only: the
    completeness checks run on the full snapshot, so a teacher is not told to fill in a
    conclusion that is there.
    """
    if reads_restricted(role) or not any(a.get("sensitive") for a in snap.get("assessments", [])):
        return snap
    out = dict(snap)
    out["assessments"] = [
        {**a, **dict.fromkeys(HIDDEN_ASSESSMENT_KEYS, ""), "restricted": True}
        if a.get("sensitive")
        else a
        for a in snap.get("assessments", [])
    ]
    return out
