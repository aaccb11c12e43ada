"""What each account role may read and write on PostgreSQL: grants and row-level security.

The rules of ``ib_desktop.permissions`` (which the services check on SQLite) written once more, for
the database itself, so that they hold for someone who connects with psql and their own password.
``POLICIES`` below is the one readable place: per table, which group roles read it, which write
it, and which rows each may see. Migration 0021 applies it with :func:`apply`; a later migration
that adds a table adds an entry here and calls :func:`apply` again (it is idempotent, and skips
tables that do not exist yet). ``tests/models/test_pg_policies.py`` fails for a table in
``Base.metadata`` that has neither an entry nor a reason in ``NOT_COVERED``.

The design, in short:

* Four NOLOGIN group roles (``ibd_leerkracht``, ``ibd_ib``, ``ibd_directie``, ``ibd_beheer``);
  every person's login role is a member of one (issue 18's accounts create them).
* Who a person is comes from ``accounts.login = session_user``: their member of staff, that
  member's school and the groups they teach in the current school year. The helper functions are
  SECURITY DEFINER (they read ``accounts`` and ``group_teachers``, which a teacher may not read)
  and look at ``session_user`` rather than a parameter, so nobody can ask them about another
  person.
* The owner of the tables (the account that runs the migrations) is not bound by the policies:
  RLS is enabled, not forced. Forcing it would bind nobody who matters: an owner can switch it off
  again (``ALTER TABLE ... NO FORCE``), drop a policy or a trigger; and the demo generator, the
  import and the migrations need the owner unbound. The owner is the IT partner's account, not a
  person's.
* ``ibd_beheer`` is not created WITH CREATEROLE: in PostgreSQL 15 a CREATEROLE role may grant
  itself membership of every non-superuser role (``pg_read_server_files``,
  ``pg_execute_server_program``...), close to superuser. It manages accounts through SECURITY
  DEFINER functions instead (``ibd_create_login``...), which create LOGIN roles that are members of
  exactly one ``ibd_`` group and refuse to touch any role outside those groups.
* The change log is written by statement-level triggers on every pupil-data table (who =
  ``session_user``, the table, the row id, the action, when). Nobody but the owner may UPDATE or
  DELETE a change-log row; a person's own lines get their login as the actor, whatever the app
  sends. A retention deletion removes a pupil's lines through ``ibd_forget_change_log``, for a
  pupil who left only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ib_desktop.domain_types import AccountRole

LEERKRACHT = "ibd_leerkracht"
IB = "ibd_ib"
DIRECTIE = "ibd_directie"
BEHEER = "ibd_beheer"

#: The group role of each account role.
GROUP_ROLES: dict[AccountRole, str] = {
    AccountRole.LEERKRACHT: LEERKRACHT,
    AccountRole.IB: IB,
    AccountRole.DIRECTIE: DIRECTIE,
    AccountRole.BEHEER: BEHEER,
}
ALL = (LEERKRACHT, IB, DIRECTIE, BEHEER)
#: Read the whole school, write levels, OPPs and restricted reports (``permissions.CARE_ROLES``).
CARE = (IB, DIRECTIE, BEHEER)

# Row filters, evaluated as the person who asks. ``(SELECT f())`` is computed once per query.
# A child row follows its parent: ``SELECT id FROM pupils`` is filtered by the pupils' own
# policy, so the planner joins on the index instead of calling a function per row.
# ``ibd_whole_school()``: a care role in a database of one school reads every row; computed
# once per query, it spares the planner the subqueries (whose estimates misled it).
MY_SCHOOL = "school_id = (SELECT ibd_school())"
WHOLE = "(SELECT ibd_whole_school())"
MY_PUPIL = "pupil_id IN (SELECT id FROM pupils)"
MY_MEETING = "meeting_id IN (SELECT id FROM meetings)"


def _or_whole(row: str) -> str:
    return f"{WHOLE} OR {row}"


#: The settings a teacher's own work writes (see ``services.identity``, the evaluation forms and
#: ``calendar_export``).
TEACHER_SETTINGS = (
    "(key = 'ik_ben/' || session_user OR key LIKE 'evaluatieformulier/%' "
    "OR key LIKE 'calendar-export:%')"
)

#: Evaluation columns a teacher may write, and the version/time a save moves (``touch``).
EVALUATION = ("evaluation", "outcome", "evaluated_by_id", "evaluated_on", "version")


@dataclass(frozen=True)
class Policy:
    """Who may do what with one table.

    ``read`` roles get SELECT, ``write`` roles INSERT, UPDATE and DELETE. With a ``row`` filter
    the table has row-level security and every role sees (and writes) only the rows it passes;
    ``teacher_row`` replaces it for ``ibd_leerkracht`` (None: the same). ``teacher_update`` are
    the columns a teacher may UPDATE (evaluations and notes) in the rows they read (or, with
    ``teacher_write``, in the rows that pass it);
    ``teacher_insert`` is the check on rows a teacher may add. ``write_check`` is AND-ed to what
    the writing roles may store. ``logged`` tables are watched by the change-log triggers.
    """

    table: str
    read: tuple[str, ...]
    write: tuple[str, ...] = ()
    row: str | None = None
    teacher_row: str | None = None
    teacher_update: tuple[str, ...] = ()
    teacher_write: str | None = None
    teacher_insert: str | None = None
    write_check: str | None = None
    logged: bool = False
    append_only: bool = False


def _pupil_data(table: str, row: str = MY_PUPIL, **kw: Any) -> Policy:
    if "teacher_row" not in kw:
        kw["teacher_row"] = row
    return Policy(table, read=ALL, write=CARE, row=_or_whole(row), logged=True, **kw)


POLICIES: tuple[Policy, ...] = (
    # -- the school's set-up: every role reads it (names of groups and staff, levels, holidays),
    #    the care roles change it. No pupil data, so no row filter.
    Policy("schools", read=ALL, write=CARE),
    Policy("school_years", read=ALL, write=CARE),
    Policy("support_structures", read=ALL, write=CARE),
    Policy("support_levels", read=ALL, write=CARE),
    Policy("development_areas", read=ALL, write=CARE),
    Policy("groups", read=ALL, write=CARE),
    Policy("staff", read=ALL, write=CARE),
    Policy("group_teachers", read=ALL, write=CARE),
    Policy("holidays", read=ALL, write=CARE),
    # The school's goal bank and text blocks: everyone writes with them, the care roles edit.
    Policy("goal_bank", read=ALL, write=CARE),
    Policy("text_blocks", read=ALL, write=CARE),
    # App preferences and bookkeeping. A teacher adds or changes only their own choice of who
    # they are, the forms they applied and their calendar exports (and the database's id once).
    Policy(
        "settings",
        read=ALL,
        write=CARE,
        row="true",
        teacher_update=("value",),
        teacher_write=TEACHER_SETTINGS,
        teacher_insert=f"{TEACHER_SETTINGS} OR key = 'database_id'",
    ),
    # -- accounts: everyone reads their own row; beheer manages them all.
    Policy(
        "accounts",
        read=ALL,
        write=(BEHEER,),
        logged=True,
        row="login = session_user OR pg_has_role(session_user, 'ibd_beheer', 'MEMBER')",
    ),
    # -- the pupils and everything about them: the school's pupils for the care roles, the
    #    pupils of the groups one teaches this school year for a teacher.
    _pupil_data(
        "pupils",
        row=MY_SCHOOL,
        teacher_row="id IN (SELECT ibd_pupils())",
        teacher_update=("notes", "version", "updated_at"),
    ),
    _pupil_data("group_memberships"),
    _pupil_data("guardians"),
    _pupil_data("care_providers"),
    _pupil_data("school_history"),
    # Restricted (sensitive) reports: a teacher never reads them; the view
    # ``restricted_reports`` tells only that one exists (id, pupil, date).
    _pupil_data("assessments", teacher_row=f"{MY_PUPIL} AND NOT sensitive"),
    _pupil_data("level_assignments"),
    _pupil_data("short_interventions", teacher_update=(*EVALUATION, "updated_at")),
    _pupil_data("growth_documents", teacher_update=("version", "updated_at")),
    _pupil_data("growth_periods", row="document_id IN (SELECT id FROM growth_documents)"),
    _pupil_data(
        "growth_goals",
        row="period_id IN (SELECT id FROM growth_periods)",
        teacher_update=EVALUATION,
    ),
    _pupil_data("opps"),
    # An OPP is the care roles'; a teacher evaluates its goals (the evaluation round), which
    # moves the version's number so an open editor cannot overwrite the evaluation.
    _pupil_data(
        "opp_versions",
        row="opp_id IN (SELECT id FROM opps)",
        teacher_update=("version", "updated_at"),
    ),
    _pupil_data(
        "opp_goals",
        row="opp_version_id IN (SELECT id FROM opp_versions)",
        teacher_update=("result", "outcome", "version"),
    ),
    _pupil_data("opp_consents", row="opp_version_id IN (SELECT id FROM opp_versions)"),
    _pupil_data("opp_conversations", row="opp_version_id IN (SELECT id FROM opp_versions)"),
    # Directie signs for the school; a teacher signs as themselves only.
    _pupil_data(
        "opp_signatures",
        row="opp_version_id IN (SELECT id FROM opp_versions)",
        write_check="(role <> 'directie' OR pg_has_role(session_user, 'ibd_directie', 'MEMBER'))",
        teacher_insert=(
            "opp_version_id IN (SELECT id FROM opp_versions) AND role = 'leerkracht' "
            "AND staff_id = (SELECT ibd_staff())"
        ),
    ),
    _pupil_data(
        "evaluation_moments",
        row=f"{MY_SCHOOL} AND (pupil_id IS NULL OR {MY_PUPIL})",
        teacher_update=("done_on", "done_by_id", "outcome", "notes"),
    ),
    # The parents' own view on a record, beside it wherever the record is read.
    _pupil_data("parent_views"),
    # Inzage requests (AVG art. 15) are the care roles' work: a teacher has no grant at all.
    Policy("inzage_requests", read=CARE, write=CARE, row=_or_whole(MY_PUPIL), logged=True),
    _pupil_data("meetings", row=MY_SCHOOL, teacher_row="id IN (SELECT ibd_meetings())"),
    _pupil_data("meeting_participants", row=MY_MEETING),
    _pupil_data("meeting_pupils", row=f"{MY_MEETING} AND {MY_PUPIL}"),
    # Tasks decided at a meeting: with the meeting (a task about one pupil or about the group).
    _pupil_data("meeting_tasks", row=f"{MY_MEETING} AND (pupil_id IS NULL OR {MY_PUPIL})"),
    # Registrations (zorgplicht) are about children who are not yet pupils: the care roles'
    # only. A teacher's query finds none (the schedule engine reads them for everyone).
    Policy("registrations", read=ALL, write=CARE, row=MY_SCHOOL, teacher_row="false", logged=True),
    # -- the history: added to, never changed. Everyone adds lines (the app's own, and the
    #    triggers'); a teacher reads their own lines and those about pupils they read.
    Policy(
        "change_log",
        read=ALL,
        write=ALL,
        append_only=True,
        row="true",
        teacher_row="actor = session_user OR ibd_log_visible(entity, entity_id)",
    ),
    Policy("retention_records", read=CARE, write=CARE, append_only=True),
    # Who saw what: every role adds its own views (opening a file, printing); the IB-er and the
    # directie read them per pupil; nobody changes or deletes a line (retention takes the pupil's).
    Policy(
        "view_log",
        read=CARE,
        write=ALL,
        append_only=True,
        row="true",
        teacher_row="login = session_user",
    ),
)

#: Tables of the models without an entry above, each with the reason.
NOT_COVERED: dict[str, str] = {}

#: Tables that are not in ``Base.metadata`` but that every role needs.
EXTRA_READ = ("alembic_version",)

#: The app's entity names in the change log and the table each one's id points into.
LOG_ENTITIES = {
    "pupil": "pupils",
    "korte_interventie": "short_interventions",
    "groeidocument": "growth_documents",
    "opp": "opps",
    "opp_version": "opp_versions",
    "meeting": "meetings",
}


def policy_for(table: str) -> Policy | None:
    """The entry of ``table``, or None."""
    return next((p for p in POLICIES if p.table == table), None)


def _roles(roles: Iterable[str]) -> str:
    return ", ".join(roles)


# ---------------------------------------------------------------------------- roles


def group_roles_sql() -> list[str]:
    """Statements creating the four NOLOGIN group roles when they are missing (cluster-wide)."""
    out = []
    for role in ALL:
        out.append(
            "DO $$ BEGIN "
            f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN; END IF; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    return out


def execute(conn: Any, statement: str) -> None:
    """Run one statement, without parameters, on a SQLAlchemy or a psycopg connection.

    Straight to the driver: the functions' bodies use ``format('%I')``, which a parameter
    style would take for a placeholder.
    """
    _raw(conn).execute(statement)


def is_postgresql(conn: Any) -> bool:
    """True for a connection to PostgreSQL (SQLAlchemy or psycopg)."""
    dialect = getattr(conn, "dialect", None)
    if dialect is not None:
        return bool(dialect.name == "postgresql")
    return type(conn).__module__.startswith("psycopg")


def ensure_group_roles(conn: Any) -> None:
    """Create the group roles ``ibd_*`` where they are missing; nothing on SQLite.

    For the accounts feature before it creates a person's login role. Needs a connection whose
    role may create roles (the owner that ran the migrations, or a superuser).
    """
    if not is_postgresql(conn):
        return
    for statement in group_roles_sql():
        execute(conn, statement)


def group_role(role: AccountRole | str) -> str:
    """The database group role of an account role (``ibd_leerkracht``...)."""
    return GROUP_ROLES[AccountRole(role)]


def _raw(conn: Any) -> Any:
    return conn.connection.dbapi_connection if hasattr(conn, "exec_driver_sql") else conn


def password_verifier(conn: Any, login: str, password: str) -> str:
    """The SCRAM verifier of a password, computed here: the password itself never travels.

    What the server stores anyway; sending it instead of the password keeps the password out of
    the server's statement log.
    """
    raw = _raw(conn)
    verifier = raw.pgconn.encrypt_password(
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    )
    return bytes(verifier).decode("ascii")


def create_login(conn: Any, login: str, password: str, role: AccountRole | str) -> None:
    """Create a person's login role in the group of ``role`` (as ``ibd_beheer`` or the owner)."""
    verifier = password_verifier(conn, login, password)
    _raw(conn).execute(
        "SELECT ibd_create_login(%s, %s, %s)", (login, verifier, AccountRole(role).value)
    )


def set_password(conn: Any, login: str, password: str) -> None:
    """Give a person's login role a new password (as ``ibd_beheer`` or the owner)."""
    verifier = password_verifier(conn, login, password)
    _raw(conn).execute("SELECT ibd_set_password(%s, %s)", (login, verifier))


def apply(conn: Any) -> None:
    """Create (or renew) the grants, policies, functions and triggers; nothing on SQLite."""
    from ib_desktop.storage import pg_policies_sql

    pg_policies_sql.apply(conn)


def remove(conn: Any) -> None:
    """Undo :func:`apply` (the group roles stay: they belong to the whole cluster)."""
    from ib_desktop.storage import pg_policies_sql

    pg_policies_sql.remove(conn)


def bulk_load(session: Any) -> None:
    """Leave the rows of this transaction out of the change log: the owner's bulk load only.

    For the demo generator, which writes a whole school with a statement per row; the triggers
    would add half again to its time for lines that record no one's work. It binds only the
    tables' owner (who could switch the triggers off anyway); a person's rows are always logged.
    Nothing on SQLite.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    import sqlalchemy as sa

    session.execute(sa.text("SELECT set_config('ibd.bulk', 'on', true)"))


def forget_change_log(session: Any, pupil_id: int) -> bool:
    """Remove a departed pupil's change-log lines through the database; False on SQLite.

    On PostgreSQL no person may DELETE from the change log; ``ibd_forget_change_log`` does it
    for a pupil who left, for the care roles and the owner only.
    """
    if session.get_bind().dialect.name != "postgresql":
        return False
    import sqlalchemy as sa

    session.execute(sa.text("SELECT ibd_forget_change_log(:pupil)"), {"pupil": pupil_id})
    return True
