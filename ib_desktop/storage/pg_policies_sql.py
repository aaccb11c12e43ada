"""The SQL that puts ``ib_desktop.storage.pg_policies`` into a PostgreSQL database.

Kept apart from the description so that the description reads as a table; everything here is
derived from ``POLICIES`` except the helper functions, which say who a person is.
"""

from __future__ import annotations

from typing import Any

from ib_desktop.storage.pg_policies import (
    ALL,
    BEHEER,
    CARE,
    EXTRA_READ,
    LEERKRACHT,
    LOG_ENTITIES,
    POLICIES,
    Policy,
    ensure_group_roles,
    execute,
    is_postgresql,
)

#: Names of everything :func:`apply` creates, so :func:`remove` can drop it.
LOG_TRIGGERS = ("ibd_log_insert", "ibd_log_update", "ibd_log_delete")
VIEW = "restricted_reports"

# Functions every role calls through the policies (name, signature).
_SHARED_FUNCTIONS = (
    "ibd_staff()",
    "ibd_school()",
    "ibd_is_care()",
    "ibd_whole_school()",
    "ibd_groups()",
    "ibd_pupils()",
    "ibd_meetings()",
    "ibd_log_visible(text, integer)",
)
_CARE_FUNCTIONS = ("ibd_forget_change_log(integer)",)
_BEHEER_FUNCTIONS = (
    "ibd_create_login(text, text, text)",
    "ibd_set_password(text, text)",
    "ibd_set_login_active(text, boolean)",
    "ibd_set_login_role(text, text)",
)
_PRIVATE_FUNCTIONS = ("ibd_log_rows()", "ibd_log_actor()", "ibd_manageable(text)")


def _pupil_of(table: str, columns: set[str]) -> str | None:
    """SQL giving the pupil id of row ``p_id`` of ``table`` (for the change log's visibility)."""
    joins = {
        "pupils": "p_id",
        "growth_periods": "(SELECT d.pupil_id FROM growth_periods x JOIN growth_documents d "
        "ON d.id = x.document_id WHERE x.id = p_id)",
        "growth_goals": "(SELECT d.pupil_id FROM growth_goals g JOIN growth_periods x "
        "ON x.id = g.period_id JOIN growth_documents d ON d.id = x.document_id WHERE g.id = p_id)",
        "opp_versions": "(SELECT o.pupil_id FROM opp_versions v JOIN opps o ON o.id = v.opp_id "
        "WHERE v.id = p_id)",
    }
    if table in joins:
        return joins[table]
    if "opp_version_id" in columns:
        return (
            f"(SELECT o.pupil_id FROM {table} c JOIN opp_versions v ON v.id = c.opp_version_id "
            "JOIN opps o ON o.id = v.opp_id WHERE c.id = p_id)"
        )
    if "pupil_id" in columns and "id" in columns:
        return f"(SELECT pupil_id FROM {table} WHERE id = p_id)"
    return None


def functions_sql(schema: str, tables: dict[str, set[str]], owner: str) -> list[str]:
    """The helper functions (SECURITY DEFINER, with a fixed search path).

    ``owner`` is the tables' owner (the role that runs the migrations).
    """
    owner_name = "'" + owner.replace("'", "''") + "'"
    path = f'SET search_path = "{schema}", pg_temp'
    definer = f"SECURITY DEFINER {path}"
    entities = [(e, t) for e, t in LOG_ENTITIES.items()] + [(t, t) for t in sorted(tables)]
    branches = []
    for entity, table in entities:
        pupil = _pupil_of(table, tables.get(table, set()))
        if pupil is not None:
            branches.append(f"WHEN '{entity}' THEN {pupil}")
    case = "CASE p_entity " + " ".join(branches) + " ELSE NULL END"
    care = " OR ".join(f"pg_has_role(session_user, '{r}', 'MEMBER')" for r in CARE)
    owner = (
        "pg_has_role(session_user, (SELECT tableowner FROM pg_tables WHERE schemaname = "
        f"'{schema}' AND tablename = 'change_log'), 'MEMBER')"
    )
    return [
        # -- who the person is: their member of staff, its school, their groups this year.
        f"""CREATE OR REPLACE FUNCTION ibd_staff() RETURNS integer LANGUAGE sql STABLE {definer}
        AS $$ SELECT staff_id FROM accounts WHERE login = session_user AND active $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_school() RETURNS integer LANGUAGE sql STABLE {definer}
        AS $$ SELECT s.school_id FROM accounts a JOIN staff s ON s.id = a.staff_id
              WHERE a.login = session_user AND a.active $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_is_care() RETURNS boolean LANGUAGE sql STABLE {definer}
        AS $$ SELECT {care} $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_whole_school() RETURNS boolean LANGUAGE sql STABLE
        {definer} AS $$ SELECT ibd_is_care() AND ibd_school() IS NOT NULL
                        AND (SELECT count(*) FROM schools) = 1 $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_groups() RETURNS SETOF integer LANGUAGE sql STABLE
        ROWS 4 {definer} AS $$
            SELECT g.id FROM accounts a
            JOIN group_teachers gt ON gt.staff_id = a.staff_id
            JOIN groups g ON g.id = gt.group_id
            JOIN school_years y ON y.id = g.school_year_id
            WHERE a.login = session_user AND a.active
              AND current_date BETWEEN y.start_date AND y.end_date $$""",
        # The pupils a person may read: the school's for the care roles; for a teacher those in
        # (or registered in) the groups they teach this school year. ROWS: what the planner
        # should expect, a teacher's class (the care roles' rows do not come through here).
        f"""CREATE OR REPLACE FUNCTION ibd_pupils() RETURNS SETOF integer LANGUAGE sql STABLE
        ROWS 40 {definer} AS $$
            SELECT p.id FROM pupils p
            WHERE (SELECT ibd_is_care()) AND p.school_id = (SELECT ibd_school())
            UNION
            SELECT p.id FROM pupils p WHERE p.group_id IN (SELECT ibd_groups())
            UNION
            SELECT m.pupil_id FROM group_memberships m WHERE m.group_id IN (SELECT ibd_groups())
        $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_meetings() RETURNS SETOF integer LANGUAGE sql STABLE
        ROWS 40 {definer} AS $$
            SELECT m.id FROM meetings m
            WHERE (SELECT ibd_is_care()) AND m.school_id = (SELECT ibd_school())
            UNION
            SELECT m.id FROM meetings m WHERE m.group_id IN (SELECT ibd_groups())
            UNION
            SELECT mp.meeting_id FROM meeting_pupils mp WHERE mp.pupil_id IN (SELECT ibd_pupils())
            UNION
            SELECT pa.meeting_id FROM meeting_participants pa
            WHERE pa.staff_id = (SELECT ibd_staff())
        $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_log_visible(p_entity text, p_id integer)
        RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
            SELECT COALESCE(({case}) IN (SELECT ibd_pupils()), false) $$""",
        # -- the change log: statement-level triggers, one line per row, set-based.
        f"""CREATE OR REPLACE FUNCTION ibd_log_rows() RETURNS trigger LANGUAGE plpgsql
        {definer} AS $$
        BEGIN
            IF current_setting('ibd.bulk', true) = 'on'
               AND pg_has_role(session_user, {owner_name}, 'MEMBER') THEN
                RETURN NULL;  -- the owner's bulk load (the demo school), see bulk_load()
            END IF;
            IF TG_OP = 'DELETE' THEN
                INSERT INTO change_log (at, actor, entity, entity_id, action, field, old_value,
                                        new_value, summary)
                SELECT localtimestamp(0), session_user, TG_TABLE_NAME,
                       COALESCE((to_jsonb(r) ->> 'id')::integer,
                                (to_jsonb(r) ->> 'pupil_id')::integer, 0),
                       TG_OP, '', '', '', ''
                FROM ibd_old r;
            ELSE
                INSERT INTO change_log (at, actor, entity, entity_id, action, field, old_value,
                                        new_value, summary)
                SELECT localtimestamp(0), session_user, TG_TABLE_NAME,
                       COALESCE((to_jsonb(r) ->> 'id')::integer,
                                (to_jsonb(r) ->> 'pupil_id')::integer, 0),
                       TG_OP, '', '', '', ''
                FROM ibd_new r;
            END IF;
            RETURN NULL;
        END $$""",
        # A person's own lines carry their login and the server's time, whatever the app sent.
        f"""CREATE OR REPLACE FUNCTION ibd_log_actor() RETURNS trigger LANGUAGE plpgsql {path}
        AS $$
        BEGIN
            IF NOT pg_has_role(current_user, {owner_name}, 'MEMBER') THEN
                NEW.actor := session_user;
                NEW.at := localtimestamp(0);
            END IF;
            RETURN NEW;
        END $$""",
        # Retention: a departed pupil's history lines hold personal data and go with the file.
        f"""CREATE OR REPLACE FUNCTION ibd_forget_change_log(p_pupil integer) RETURNS void
        LANGUAGE plpgsql {definer} AS $$
        BEGIN
            IF NOT ({owner} OR (ibd_is_care() AND p_pupil IN (SELECT ibd_pupils()))) THEN
                RAISE EXCEPTION 'not allowed' USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF EXISTS (SELECT 1 FROM pupils WHERE id = p_pupil AND status <> 'vertrokken') THEN
                RAISE EXCEPTION 'only for a pupil who left' USING ERRCODE = 'check_violation';
            END IF;
            DELETE FROM change_log WHERE
                (entity = 'pupil' AND entity_id = p_pupil)
             OR (entity = 'korte_interventie' AND entity_id IN
                    (SELECT id FROM short_interventions WHERE pupil_id = p_pupil))
             OR (entity = 'groeidocument' AND entity_id IN
                    (SELECT id FROM growth_documents WHERE pupil_id = p_pupil))
             OR (entity = 'opp' AND entity_id IN (SELECT id FROM opps WHERE pupil_id = p_pupil))
             OR (entity = 'opp_version' AND entity_id IN
                    (SELECT v.id FROM opp_versions v JOIN opps o ON o.id = v.opp_id
                     WHERE o.pupil_id = p_pupil));
        END $$""",
        *_login_functions(definer),
    ]


def _login_functions(definer: str) -> list[str]:
    """Account management for ``ibd_beheer``, without giving it CREATEROLE itself."""
    guard = (
        "IF NOT pg_has_role(session_user, 'ibd_beheer', 'MEMBER') THEN "
        "RAISE EXCEPTION 'only beheer manages accounts' USING ERRCODE = 'insufficient_privilege'; "
        "END IF;"
    )
    roles = "('leerkracht', 'ib', 'directie', 'beheer')"
    bad_role = (
        f"IF p_role IS NULL OR p_role NOT IN {roles} THEN "
        "RAISE EXCEPTION 'unknown role' USING ERRCODE = 'invalid_parameter_value'; END IF;"
    )
    manageable = (
        "IF NOT ibd_manageable(p_login) THEN RAISE EXCEPTION 'not an account of IB Desktop' "
        "USING ERRCODE = 'insufficient_privilege'; END IF;"
    )
    return [
        # A role this app may manage: a member of an ibd_ group, nothing more powerful.
        f"""CREATE OR REPLACE FUNCTION ibd_manageable(p_login text) RETURNS boolean
        LANGUAGE sql STABLE {definer} AS $$
            SELECT EXISTS (
                SELECT 1 FROM pg_roles r
                JOIN pg_auth_members m ON m.member = r.oid
                JOIN pg_roles g ON g.oid = m.roleid
                WHERE r.rolname = p_login AND g.rolname IN
                      ('ibd_leerkracht', 'ibd_ib', 'ibd_directie', 'ibd_beheer')
                  AND NOT r.rolsuper AND NOT r.rolcreaterole AND NOT r.rolcreatedb
                  AND NOT r.rolreplication AND NOT r.rolbypassrls
                  AND left(r.rolname, 4) <> 'ibd_')
              AND NOT EXISTS (
                SELECT 1 FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
                JOIN pg_roles g ON g.oid = m.roleid
                WHERE r.rolname = p_login AND left(g.rolname, 4) <> 'ibd_') $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_create_login(p_login text, p_password text,
                                                     p_role text)
        RETURNS void LANGUAGE plpgsql {definer} AS $$
        BEGIN
            {guard}
            {bad_role}
            IF p_login IS NULL OR length(p_login) = 0 OR left(p_login, 4) = 'ibd_'
               OR left(p_login, 3) = 'pg_' THEN
                RAISE EXCEPTION 'invalid login' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            EXECUTE format('CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE '
                           'NOREPLICATION NOBYPASSRLS PASSWORD %L', p_login, p_password);
            EXECUTE format('GRANT %I TO %I', 'ibd_' || p_role, p_login);
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_set_password(p_login text, p_password text)
        RETURNS void LANGUAGE plpgsql {definer} AS $$
        BEGIN
            {guard}
            {manageable}
            EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_password);
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_set_login_active(p_login text, p_active boolean)
        RETURNS void LANGUAGE plpgsql {definer} AS $$
        BEGIN
            {guard}
            {manageable}
            EXECUTE format('ALTER ROLE %I %s', p_login,
                           CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ibd_set_login_role(p_login text, p_role text)
        RETURNS void LANGUAGE plpgsql {definer} AS $$
        DECLARE g text;
        BEGIN
            {guard}
            {bad_role}
            {manageable}
            FOREACH g IN ARRAY ARRAY['ibd_leerkracht', 'ibd_ib', 'ibd_directie', 'ibd_beheer']
            LOOP
                EXECUTE format('REVOKE %I FROM %I', g, p_login);
            END LOOP;
            EXECUTE format('GRANT %I TO %I', 'ibd_' || p_role, p_login);
        END $$""",
    ]


def _policies_sql(p: Policy) -> list[str]:
    """Row-level security of one table: one policy per kind of access."""
    if p.row is None:
        return []
    t = p.table
    out = [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"]
    others_read = [r for r in p.read if r != LEERKRACHT]
    others_write = [r for r in p.write if r != LEERKRACHT]
    teacher_row = p.teacher_row or p.row
    teacher_write = p.teacher_write or teacher_row
    check = f"({p.row}) AND {p.write_check}" if p.write_check else p.row
    if others_read:
        out.append(
            f"CREATE POLICY ibd_read ON {t} FOR SELECT TO {', '.join(others_read)} USING ({p.row})"
        )
    if LEERKRACHT in p.read:
        out.append(
            f"CREATE POLICY ibd_teacher_read ON {t} FOR SELECT TO {LEERKRACHT} "
            f"USING ({teacher_row})"
        )
    if p.append_only and p.write:
        out.append(
            f"CREATE POLICY ibd_add ON {t} FOR INSERT TO {', '.join(p.write)} WITH CHECK (true)"
        )
    elif others_write:
        out.append(
            f"CREATE POLICY ibd_write ON {t} FOR ALL TO {', '.join(others_write)} "
            f"USING ({p.row}) WITH CHECK ({check})"
        )
    if p.teacher_update:
        out.append(
            f"CREATE POLICY ibd_teacher_update ON {t} FOR UPDATE TO {LEERKRACHT} "
            f"USING ({teacher_write}) WITH CHECK ({teacher_write})"
        )
    if p.teacher_insert:
        out.append(
            f"CREATE POLICY ibd_teacher_insert ON {t} FOR INSERT TO {LEERKRACHT} "
            f"WITH CHECK ({p.teacher_insert})"
        )
    return out


def _grants_sql(p: Policy) -> list[str]:
    t = p.table
    out = [f"REVOKE ALL ON {t} FROM {', '.join(ALL)}"]
    if p.read:
        out.append(f"GRANT SELECT ON {t} TO {', '.join(p.read)}")
    if p.write:
        what = "INSERT" if p.append_only else "INSERT, UPDATE, DELETE"
        out.append(f"GRANT {what} ON {t} TO {', '.join(p.write)}")
    if p.teacher_update:
        out.append(f"GRANT UPDATE ({', '.join(p.teacher_update)}) ON {t} TO {LEERKRACHT}")
    if p.teacher_insert:
        out.append(f"GRANT INSERT ON {t} TO {LEERKRACHT}")
    return out


def _triggers_sql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER ibd_log_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS ibd_new "
        "FOR EACH STATEMENT EXECUTE FUNCTION ibd_log_rows()",
        f"CREATE TRIGGER ibd_log_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS ibd_old "
        "NEW TABLE AS ibd_new FOR EACH STATEMENT EXECUTE FUNCTION ibd_log_rows()",
        f"CREATE TRIGGER ibd_log_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS ibd_old "
        "FOR EACH STATEMENT EXECUTE FUNCTION ibd_log_rows()",
    ]


def _tables(conn: Any) -> tuple[str, dict[str, set[str]]]:
    """The current schema and its tables with their columns."""
    raw = conn.connection.dbapi_connection if hasattr(conn, "exec_driver_sql") else conn
    schema = raw.execute("SELECT current_schema()").fetchone()[0]
    rows = raw.execute(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
        "AND t.table_name = c.table_name "
        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
    ).fetchall()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return schema, tables


def _drop_sql(tables: dict[str, set[str]], policies: dict[str, list[str]]) -> list[str]:
    out = []
    for table in tables:
        out += [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in LOG_TRIGGERS]
        out += [f"DROP TRIGGER IF EXISTS ibd_log_actor ON {table}"]
        out += [f"DROP POLICY IF EXISTS {name} ON {table}" for name in policies.get(table, [])]
    return out


def _existing_policies(conn: Any) -> dict[str, list[str]]:
    raw = conn.connection.dbapi_connection if hasattr(conn, "exec_driver_sql") else conn
    rows = raw.execute(
        "SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema() "
        "AND policyname LIKE 'ibd\\_%'"
    ).fetchall()
    found: dict[str, list[str]] = {}
    for table, name in rows:
        found.setdefault(table, []).append(name)
    return found


def apply(conn: Any) -> None:
    """Create or renew everything of ``POLICIES`` in the connection's schema; nothing on SQLite.

    Runs in the caller's transaction (a migration's). Tables that do not exist (yet) are skipped.
    """
    if not is_postgresql(conn):
        return
    ensure_group_roles(conn)
    schema, tables = _tables(conn)
    raw = conn.connection.dbapi_connection if hasattr(conn, "exec_driver_sql") else conn
    owner = raw.execute(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename = 'change_log'"
    ).fetchone()[0]
    statements = _drop_sql(tables, _existing_policies(conn))
    statements += functions_sql(schema, tables, owner)
    statements += [f'GRANT USAGE ON SCHEMA "{schema}" TO {", ".join(ALL)}']
    for p in POLICIES:
        if p.table not in tables:
            continue
        statements += _grants_sql(p)
        statements += _policies_sql(p)
        if p.logged:
            statements += _triggers_sql(p.table)
    statements += [f"GRANT SELECT ON {t} TO {', '.join(ALL)}" for t in EXTRA_READ if t in tables]
    # The policies' subqueries make the planner's cost figures large enough to start the JIT
    # compiler, which costs more (0.8 s measured at 20,000 pupils) than these short queries
    # take. Off for the whole database (new sessions); skipped when the owner may not.
    statements.append(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = off', current_database()); "
        "EXCEPTION WHEN insufficient_privilege THEN NULL; END $$"
    )
    statements += [
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {", ".join(ALL)}',
        "CREATE TRIGGER ibd_log_actor BEFORE INSERT ON change_log FOR EACH ROW "
        "EXECUTE FUNCTION ibd_log_actor()",
        f"CREATE OR REPLACE VIEW {VIEW} WITH (security_barrier) AS "
        "SELECT a.id, a.pupil_id, a.date FROM assessments a "
        "WHERE a.sensitive AND a.pupil_id IN (SELECT ibd_pupils())",
        f"REVOKE ALL ON {VIEW} FROM PUBLIC",
        f"GRANT SELECT ON {VIEW} TO {', '.join(ALL)}",
    ]
    everything = _SHARED_FUNCTIONS + _CARE_FUNCTIONS + _BEHEER_FUNCTIONS + _PRIVATE_FUNCTIONS
    statements += [f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in everything]
    statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {', '.join(ALL)}" for f in _SHARED_FUNCTIONS]
    statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {', '.join(CARE)}" for f in _CARE_FUNCTIONS]
    statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {BEHEER}" for f in _BEHEER_FUNCTIONS]
    for statement in statements:
        execute(conn, statement)


def remove(conn: Any) -> None:
    """Undo :func:`apply`; the group roles stay (other databases of the cluster may use them)."""
    if not is_postgresql(conn):
        return
    _schema, tables = _tables(conn)
    statements = _drop_sql(tables, _existing_policies(conn))
    statements.append(f"DROP VIEW IF EXISTS {VIEW}")
    for p in POLICIES:
        if p.table in tables and p.row is not None:
            statements.append(f"ALTER TABLE {p.table} DISABLE ROW LEVEL SECURITY")
    roles_exist = "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ibd\\_%'"
    raw = conn.connection.dbapi_connection if hasattr(conn, "exec_driver_sql") else conn
    if raw.execute(roles_exist).fetchone()[0] == len(ALL):
        statements += [f"REVOKE ALL ON {t} FROM {', '.join(ALL)}" for t in tables]
    everything = _SHARED_FUNCTIONS + _CARE_FUNCTIONS + _BEHEER_FUNCTIONS + _PRIVATE_FUNCTIONS
    statements += [f"DROP FUNCTION IF EXISTS {f}" for f in everything]
    for statement in statements:
        execute(conn, statement)
