"""The pupil data an OPP shows in parts 1-3, as a plain dict that can be frozen into a version.

A fixed OPP keeps this dict, so later edits to the pupil file do not change what was agreed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ib_desktop.models import Pupil


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
                "date": _d(a.date),
                "kind": a.kind,
                "performed_by": a.performed_by,
                "conclusion": a.conclusion,
                "sensitive": a.sensitive,
            }
            for a in pupil.assessments
        ],
    }
