"""What the logged-in account may do, checked where every save passes: the policy on SQLite.

After a login, every session of the database carries the account (:func:`bind_access`). Two
checks follow from :mod:`ib_desktop.permissions`, written once here rather than in each
service:

* **writing**: before each flush the changed rows are held against :data:`WRITE_RULES`; a role
  that may not write a kind of row gets :class:`~ib_desktop.permissions.NotAllowed` and the
  transaction is rolled back. A teacher writes evaluations: on a korte interventie, a
  groeidocument goal or an OPP goal only the evaluation columns (and the document's own
  version, which an evaluation moves) may change;
* **reading**: every service that lists pupils or their documents asks one scope,
  :func:`pupil_scope` (a teacher sees the pupils of the groups they teach this school year;
  :func:`visible_pupils` is the same as a SELECT for queries): the pupil list and file, the
  schedule engine (so the agenda, dashboard, evaluations, forms, calendar export and schedule
  prints), the dashboard's cards, the group overview, the deadlines and every print of a
  pupil (:func:`check_pupil_visible`). The school's figures are refused to a teacher
  (:func:`require` with ``reads_whole_school``).

On PostgreSQL the database's own policies say the same for anyone who connects; these checks
then give the clear message before the server's refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from ib_desktop import models as m
from ib_desktop import permissions
from ib_desktop.domain_types import AccountRole

ACCESS_KEY = "ib_desktop.access"


@dataclass(frozen=True)
class Access:
    """The logged-in account: who, with which role, as which member of staff."""

    login: str
    role: AccountRole
    staff_id: int | None = None


#: What a row's kind is called in a refusal, and which rule its writer needs.
CARE = permissions.writes_care_file
WRITE_RULES: dict[type, tuple[Any, str]] = {
    m.Pupil: (CARE, "leerlinggegevens"),
    m.GroupMembership: (CARE, "leerlinggegevens"),
    m.Guardian: (CARE, "leerlinggegevens"),
    m.CareProvider: (CARE, "leerlinggegevens"),
    m.SchoolHistoryEntry: (CARE, "leerlinggegevens"),
    m.Assessment: (CARE, "leerlinggegevens"),
    m.Registration: (CARE, "aanmeldingen"),
    m.LevelAssignment: (CARE, "niveaus"),
    m.Opp: (CARE, "OPP's"),
    m.OppVersion: (CARE, "OPP's"),
    m.OppGoal: (CARE, "OPP's"),
    m.OppConversation: (CARE, "OPP's"),
    m.OppConsent: (CARE, "OPP's"),
    m.OppSignature: (CARE, "OPP's"),
    m.GrowthDocument: (CARE, "groeidocumenten"),
    m.GrowthPeriod: (CARE, "groeidocumenten"),
    m.GrowthGoal: (CARE, "groeidocumenten"),
    m.ShortIntervention: (CARE, "korte interventies"),
    m.Meeting: (CARE, "vergaderingen"),
    m.MeetingParticipant: (CARE, "vergaderingen"),
    m.School: (CARE, "schoolinstellingen"),
    m.SchoolYear: (CARE, "schoolinstellingen"),
    m.Group: (CARE, "groepen"),
    m.Staff: (CARE, "medewerkers"),
    m.Holiday: (CARE, "vakanties"),
    m.DevelopmentArea: (CARE, "ontwikkelingsgebieden"),
    m.SupportStructure: (CARE, "de ondersteuningsstructuur"),
    m.SupportLevel: (CARE, "de ondersteuningsstructuur"),
    m.RetentionRecord: (CARE, "leerlinggegevens"),
    m.Account: (permissions.manages_accounts, "gebruikers"),
}

#: Columns an evaluation writes (every role writes evaluations), per kind of row. The documents
#: only get their change moment touched, which moves their version.
EVALUATION_COLUMNS: dict[type, frozenset[str]] = {
    m.ShortIntervention: frozenset(
        {"evaluation", "outcome", "evaluated_by_id", "evaluated_on", "updated_at"}
    ),
    m.GrowthGoal: frozenset({"evaluation", "outcome", "evaluated_by_id", "evaluated_on"}),
    m.OppGoal: frozenset({"result", "outcome"}),
    m.GrowthDocument: frozenset({"updated_at"}),
    m.OppVersion: frozenset({"updated_at"}),
}


def bind_access(sessions: Any, access: Access | None) -> None:
    """Every new session of ``sessions`` (a database's sessionmaker) carries ``access``."""
    _install()
    sessions.configure(info={ACCESS_KEY: access})


def session_access(session: Session) -> Access | None:
    """The account the session works for; None when accounts are off (full rights)."""
    value = session.info.get(ACCESS_KEY)
    return value if isinstance(value, Access) else None


def session_role(session: Session) -> AccountRole | None:
    """The role the session works with; None when accounts are off."""
    access = session_access(session)
    return access.role if access is not None else None


def refusal(role: AccountRole, what: str) -> permissions.NotAllowed:
    """The Dutch refusal for a role that may not change ``what``."""
    if what == "gebruikers":
        return permissions.NotAllowed(
            "Alleen een beheerder mag gebruikers toevoegen of wijzigen. Er is niets opgeslagen."
        )
    return permissions.NotAllowed(
        f"Als {permissions.ROLE_WORDS[role]} mag u geen {what} wijzigen; dat doen de intern "
        "begeleider en de directie. Er is niets opgeslagen."
    )


def _changed_columns(obj: Any) -> set[str]:
    state = sa.inspect(obj)
    return {
        attr.key
        for attr in state.mapper.column_attrs
        if state.attrs[attr.key].history.has_changes()
    }


def _evaluation_only(obj: Any, session: Session) -> bool:
    allowed = EVALUATION_COLUMNS.get(type(obj))
    return allowed is not None and obj in session.dirty and _changed_columns(obj) <= allowed


def _signs_for_school(obj: Any) -> bool:
    """A signature of the directie: the school's own (``permissions.signs_for_school``)."""
    return isinstance(obj, m.OppSignature) and obj.role == m.SignatureRole.DIRECTIE


def check_flush(session: Session, _context: Any = None, _instances: Any = None) -> None:
    """Refuse the flush when the session's role may not write one of the changed rows."""
    access = session_access(session)
    if access is None:
        return
    for obj in session.new:
        if _signs_for_school(obj) and not permissions.signs_for_school(access.role):
            raise permissions.NotAllowed(
                "Alleen de directie tekent namens de school. Er is niets opgeslagen."
            )
    for obj in (*session.new, *session.dirty, *session.deleted):
        rule = WRITE_RULES.get(type(obj))
        if rule is None or rule[0](access.role):
            continue
        changed = obj not in session.new and obj not in session.deleted
        if changed and (not session.is_modified(obj) or _evaluation_only(obj, session)):
            continue
        raise refusal(access.role, rule[1])


def _check_bulk(state: Any) -> None:
    """``session.execute(update/delete/insert)`` of a protected kind passes the same rule."""
    access = session_access(state.session)
    if access is None or not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    kind = mapper.class_ if mapper is not None else None
    rule = WRITE_RULES.get(kind) if kind is not None else None
    if rule is not None and not rule[0](access.role) and not _touch_only(state, kind):
        raise refusal(access.role, rule[1])


#: The columns an evaluation moves on the document around the evaluated goals.
TOUCH_COLUMNS = frozenset({"version", "updated_at"})


def _touch_only(state: Any, kind: type | None) -> bool:
    """An evaluation moving its document's number (``plans.common.bump_version``), nothing else.

    Every role evaluates; the evaluation raises the version of the groeidocument or OPP version
    it belongs to on the server, so an editor open on it cannot overwrite the evaluation.
    """
    if not state.is_update or kind not in EVALUATION_COLUMNS:
        return False
    values = getattr(state.statement, "_values", None) or {}
    names = {getattr(column, "key", str(column)) for column in values}
    return bool(names) and names <= TOUCH_COLUMNS


def _install() -> None:
    if not event.contains(Session, "before_flush", check_flush):
        event.listen(Session, "before_flush", check_flush)
        event.listen(Session, "do_orm_execute", _check_bulk)


def require(session: Session, rule: Any, what: str) -> None:
    """Raise :class:`~ib_desktop.permissions.NotAllowed` unless the session's role passes."""
    access = session_access(session)
    if access is not None and not rule(access.role):
        raise refusal(access.role, what)


# ---------------------------------------------------------------------------- reading
def _current_year(session: Session, today: date) -> Any:
    return (
        sa.select(m.SchoolYear.id)
        .where(m.SchoolYear.start_date <= today, m.SchoolYear.end_date >= today)
        .scalar_subquery()
    )


def visible_pupils(session: Session, today: date) -> sa.Select | None:
    """A SELECT of the pupil ids the session's account may read; None for the whole school.

    A teacher reads the pupils in the groups they teach this school year (the pupil's group
    now, or their membership of this year).
    """
    access = session_access(session)
    if access is None or permissions.reads_whole_school(access.role):
        return None
    taught = taught_groups(session, today)
    assert taught is not None
    by_group = sa.select(m.Pupil.id).where(m.Pupil.group_id.in_(taught))
    by_membership = sa.select(m.GroupMembership.pupil_id).where(
        m.GroupMembership.group_id.in_(taught)
    )
    return sa.union(by_group, by_membership)  # type: ignore[return-value]


def check_pupil_visible(session: Session, pupil_id: int, today: date) -> None:
    """Raise :class:`~ib_desktop.permissions.NotAllowed` for a pupil outside one's groups."""
    ids = visible_pupils(session, today)
    if ids is None:
        return
    found = session.scalar(
        sa.select(sa.literal(1)).where(m.Pupil.id == pupil_id, m.Pupil.id.in_(ids))
    )
    if found is None:
        raise permissions.NotAllowed(OUTSIDE)


OUTSIDE = (
    "Deze leerling zit niet in een groep die u dit schooljaar lesgeeft; u kunt het "
    "dossier niet openen."
)


@dataclass(frozen=True)
class Scope:
    """What a teacher's account reads: the pupils and the groups they teach this school year."""

    pupil_ids: frozenset[int]
    group_ids: frozenset[int]

    def keeps(self, pupil_id: int | None, group_id: int | None = None) -> bool:
        """A row about ``pupil_id`` (or, without a pupil, about ``group_id``) is in scope."""
        if pupil_id is not None:
            return pupil_id in self.pupil_ids
        return group_id is not None and group_id in self.group_ids


def taught_groups(session: Session, today: date) -> sa.Select | None:
    """A SELECT of the ids of the groups the account teaches this year; None: every group."""
    access = session_access(session)
    if access is None or permissions.reads_whole_school(access.role):
        return None
    return (
        sa.select(m.group_teachers.c.group_id)
        .join(m.Group, m.Group.id == m.group_teachers.c.group_id)
        .where(
            m.group_teachers.c.staff_id == (access.staff_id or -1),
            m.Group.school_year_id == _current_year(session, today),
        )
    )


def pupil_scope(session: Session, today: date) -> Scope | None:
    """The session's scope as sets; None when the account reads the whole school.

    The one helper the services filter with: a list of moments, deadlines or rows keeps the
    ones :meth:`Scope.keeps`.
    """
    pupils = visible_pupils(session, today)
    groups = taught_groups(session, today)
    if pupils is None or groups is None:
        return None
    return Scope(frozenset(session.scalars(pupils)), frozenset(session.scalars(groups)))


def check_pupils_visible(session: Session, pupil_ids: Any, today: date) -> None:
    """:class:`~ib_desktop.permissions.NotAllowed` when one of ``pupil_ids`` is out of scope."""
    scope = pupil_scope(session, today)
    if scope is not None and any(not scope.keeps(pid) for pid in pupil_ids if pid is not None):
        raise permissions.NotAllowed(OUTSIDE)


def check_group_visible(session: Session, group_id: int | None, today: date) -> None:
    """:class:`~ib_desktop.permissions.NotAllowed` for a group the teacher does not teach
    (``None``, the whole school, too)."""
    scope = pupil_scope(session, today)
    if scope is not None and (group_id is None or group_id not in scope.group_ids):
        raise permissions.NotAllowed(
            "U geeft deze groep dit schooljaar geen les; als leerkracht ziet u alleen uw "
            "eigen groepen."
        )


def require_whole_school(session: Session, what: str, verb: str = "gaat") -> None:
    """NotAllowed for a teacher asking for ``what``, a list about the whole school (the OPP
    register, the school's figures, a back-up)."""
    access = session_access(session)
    if access is not None and not permissions.reads_whole_school(access.role):
        raise permissions.NotAllowed(
            f"{what} {verb} over de hele school; dat is voor de intern begeleider en de directie. "
            f"Als {permissions.ROLE_WORDS[access.role]} ziet u alleen de leerlingen van uw "
            "eigen groepen."
        )
