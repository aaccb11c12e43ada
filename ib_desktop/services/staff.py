"""Staff (medewerkers) entered by hand: name, function and whether they still work here.

The importer fills the same ``staff`` table with teachers from the LVS export; this module is
for the people an export does not bring (the IB-er, directie, onderwijsassistenten) and for
corrections. Staff are never deleted here, only made inactive: decisions, evaluations and
signatures keep pointing at them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ib_desktop.models import Group, Staff, StaffRole, sort_name
from ib_desktop.names import split_full_name
from ib_desktop.services import audit, versioned
from ib_desktop.validation import ValidationErrors

#: The functions as the screen shows them, in the order of the choice list.
STAFF_ROLE_LABELS: dict[StaffRole, str] = {
    StaffRole.LEERKRACHT: "leerkracht",
    StaffRole.IB: "intern begeleider",
    StaffRole.DIRECTIE: "directie",
    StaffRole.ONDERWIJSASSISTENT: "onderwijsassistent",
    StaffRole.OVERIG: "anders",
}
NAME_MAX = 200


@dataclass(frozen=True)
class StaffRow:
    """One member of staff as lists and pickers show them."""

    id: int
    name: str
    role: StaffRole
    active: bool
    groups: str = ""  # the groups they teach in the newest school year, "5, 6/7"
    version: int = 1  # the stored version, handed back with a save (optimistic locking)

    @property
    def role_label(self) -> str:
        """ "leerkracht", "intern begeleider", ..."""
        return STAFF_ROLE_LABELS.get(self.role, str(self.role))

    @property
    def label(self) -> str:
        """ "Joke de Vries (intern begeleider)": the text of a picker."""
        return f"{self.name} ({self.role_label})"


@dataclass
class StaffData:
    """What the staff form edits."""

    name: str = ""
    role: StaffRole = StaffRole.LEERKRACHT
    active: bool = True
    #: The version the form loaded; None for a new member (or a script that did not load).
    version: int | None = None


def fold(text: str) -> str:
    """A name folded for comparing: NFC, single spaces, case-insensitive."""
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def list_staff(
    session: Session, school_id: int, *, active_only: bool = False
) -> list[StaffRow]:
    """Every member of staff (active first), sorted by name."""
    query = (
        sa.select(Staff)
        .where(Staff.school_id == school_id)
        .options(selectinload(Staff.groups).selectinload(Group.school_year))
    )
    if active_only:
        query = query.where(Staff.active.is_(True))
    keyed = []
    for s in session.scalars(query):
        groups: list[str] = []
        if s.groups:
            newest = max(g.school_year.start_date for g in s.groups)
            groups = sorted(g.name for g in s.groups if g.school_year.start_date == newest)
        row = StaffRow(
            s.id, s.full_name, StaffRole(s.role), s.active, ", ".join(groups), s.version
        )
        # Dutch lists sort by last name, the tussenvoegsel ignored ("Corput, Cato van den").
        keyed.append(((not s.active, fold(sort_name(s.first_name, "", s.last_name))), row))
    keyed.sort(key=lambda kr: kr[0])
    return [row for _key, row in keyed]


def staff_row(session: Session, staff_id: int) -> StaffRow | None:
    """One member of staff, or None when there is no such person."""
    s = session.get(Staff, staff_id)
    if s is None:
        return None
    return StaffRow(s.id, s.full_name, StaffRole(s.role), s.active, version=s.version)


def _spec(staff_id: int) -> versioned.Versioned:
    """How a conflict on a member of staff is told: the form's fields, in Dutch."""

    def value_of(member: Staff, name: str) -> object:
        return member.full_name if name == "name" else getattr(member, name)

    def show(name: str, value: object) -> str:
        if name == "role" and isinstance(value, str) and value in set(StaffRole):
            return STAFF_ROLE_LABELS.get(StaffRole(value), value)
        return versioned.display(value)

    return versioned.Versioned(
        "deze medewerker",
        labels={"name": "naam", "role": "functie", "active": "actief"},
        show=show,
        history=versioned.History("staff", staff_id),
        value_of=value_of,
    )


def check_staff(
    session: Session, school_id: int, data: StaffData, *, staff_id: int | None = None
) -> dict[str, str]:
    """What is wrong with the input, keyed by field ("name", "role")."""
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    _first, _tv, last = split_full_name(name)
    if not name:
        errors["name"] = "Vul de naam van de medewerker in."
    elif len(name) > NAME_MAX:
        errors["name"] = f"De naam is te lang (hoogstens {NAME_MAX} tekens)."
    elif not last:
        errors["name"] = "Vul de achternaam in, bijvoorbeeld 'Joke de Vries'."
    else:
        for other in session.scalars(sa.select(Staff).where(Staff.school_id == school_id)):
            if other.id != staff_id and fold(other.full_name) == fold(name):
                state = "" if other.active else " (niet meer actief)"
                errors["name"] = f"Er is al een medewerker {other.full_name}{state}."
                break
    try:
        StaffRole(data.role)
    except ValueError:
        errors["role"] = "Kies een functie."
    return errors


def save_staff(
    session: Session,
    school_id: int,
    data: StaffData,
    *,
    staff_id: int | None = None,
    actor: str | None = None,
) -> StaffRow:
    """Add a member of staff (``staff_id`` None) or change one; raises ValidationErrors.

    A change is checked against ``data.version``: when someone else saved this member after the
    form loaded it, :class:`~ib_desktop.services.versioned.EditConflict` is raised with both
    values per field and nothing is written.
    """
    clean_name = " ".join(data.name.split())
    mine = {"name": clean_name, "role": data.role, "active": bool(data.active)}
    if staff_id is not None:
        found = session.get(Staff, staff_id)
        if found is None or found.school_id != school_id:
            raise ValidationErrors({"name": "Deze medewerker bestaat niet meer."})
        versioned.check_version(session, found, data.version, mine, _spec(staff_id))
    ValidationErrors.collect(check_staff(session, school_id, data, staff_id=staff_id))
    first, tv, last = split_full_name(clean_name)
    first = unicodedata.normalize("NFC", first)
    tv = unicodedata.normalize("NFC", tv)
    last = unicodedata.normalize("NFC", last)
    if staff_id is None:
        member = Staff(school_id=school_id)
        session.add(member)
        action, old = "aangemaakt", ""
    else:
        found = session.get(Staff, staff_id)
        if found is None or found.school_id != school_id:
            raise ValidationErrors({"name": "Deze medewerker bestaat niet meer."})
        member = found
        action, old = "gewijzigd", f"{member.full_name} ({member.role})"
    with session.no_autoflush:  # one write at the end, where a missed version is caught
        member.first_name, member.tussenvoegsel, member.last_name = first, tv, last
        member.role = StaffRole(data.role)
        member.active = bool(data.active)
    if staff_id is None:
        session.flush()
    else:
        versioned.flush(session, member, mine, _spec(staff_id))
    audit.record(
        session,
        "staff",
        member.id,
        action,
        old=old,
        new=f"{member.full_name} ({member.role})",
        summary=f"Medewerker {member.full_name} {action}.",
        actor=actor,
    )
    return StaffRow(
        member.id, member.full_name, StaffRole(member.role), member.active,
        version=member.version,
    )  # fmt: skip
