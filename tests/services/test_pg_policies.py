"""Issue 18: the database enforces the roles, proved from OUTSIDE the app.

A demo school on PostgreSQL; a teacher and an IB-er log in with psycopg and their own password
(as someone with psql would) and the server decides what they see and may change. The cluster's
admin is a superuser and the tables' owner, which row-level security does not bind: every check
here runs as an ordinary login role.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

psycopg = pytest.importorskip("psycopg")


@dataclass
class School:
    """A migrated demo school and the facts the tests need about it."""

    url: str
    admin: dict
    teacher: str
    ib: str
    password: str
    group_id: int
    own_pupils: set[int]
    all_pupils: set[int]
    teacher_staff: int
    school_id: int
    logins: list[str]

    def add_login(self, group: str, staff_role: str | None) -> str:
        """One more person's login role, bound to a member of staff with ``staff_role``."""
        login = f"{group.removeprefix('ibd_')}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(**self.admin, autocommit=True) as admin:
            staff = None
            if staff_role is not None:
                staff = admin.execute(
                    "SELECT id FROM staff WHERE role = %s LIMIT 1", (staff_role,)
                ).fetchone()[0]
            _make_login(admin, login, self.password, group, staff)
        self.logins.append(login)
        return login

    def url_of(self, login: str, password: str | None = None) -> str:
        """The app's URL for a person's own login."""
        from sqlalchemy.engine import make_url

        url = make_url(self.url).set(username=login, password=password or self.password)
        return url.render_as_string(hide_password=False)


def _conninfo(url: str) -> dict:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return dict(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)


def _login(school: School, user: str, password: str | None = None):
    info = dict(school.admin, user=user, password=password or school.password)
    return psycopg.connect(**info, autocommit=True)


def _make_login(admin, login: str, password: str, group: str, staff_id: int | None) -> None:
    from psycopg import sql

    admin.execute(
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(login), sql.Literal(password)
        )
    )
    admin.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login)))
    role = group.removeprefix("ibd_")
    admin.execute(
        "INSERT INTO accounts (login, role, staff_id, active, password_hash, created_at, version)"
        " VALUES (%s, %s, %s, true, '', now(), 1)",
        (login, role, staff_id),
    )


@pytest.fixture(scope="module")
def school(pg_server: str) -> Iterator[School]:
    """The demo school, migrated by the app's owner, with a teacher and an IB-er login."""
    import psycopg as pg
    from sqlalchemy.engine import make_url

    from ib_desktop.demo import generate
    from ib_desktop.storage import open_database

    admin_url = make_url(pg_server)
    name = f"ibt_pol_{uuid.uuid4().hex[:10]}"
    base = _conninfo(pg_server)
    base["dbname"] = admin_url.database or "postgres"
    with pg.connect(**base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    db = open_database(url)
    try:
        # The policies use the server's date for "this school year".
        generate(db, pupils=120, seed=11, today=date.today())
    finally:
        db.dispose()
    info = _conninfo(url)
    suffix = uuid.uuid4().hex[:6]
    teacher, ib = f"juf_anne_{suffix}", f"ib_ilse_{suffix}"
    password = "geheim-" + uuid.uuid4().hex[:8]
    with pg.connect(**info, autocommit=True) as admin:
        # A teacher of exactly one group of the current school year.
        group_id, staff_id = admin.execute(
            "SELECT g.id, gt.staff_id FROM groups g JOIN group_teachers gt ON gt.group_id = g.id"
            " JOIN school_years y ON y.id = g.school_year_id"
            " WHERE current_date BETWEEN y.start_date AND y.end_date"
            " AND gt.staff_id IN (SELECT staff_id FROM group_teachers GROUP BY staff_id"
            "                     HAVING count(*) = 1)"
            " AND EXISTS (SELECT 1 FROM pupils p JOIN growth_documents d ON d.pupil_id = p.id"
            "   JOIN growth_periods gp ON gp.document_id = d.id"
            "   JOIN growth_goals gg ON gg.period_id = gp.id WHERE p.group_id = g.id)"
            " ORDER BY g.id LIMIT 1"
        ).fetchone()
        ib_staff = admin.execute("SELECT id FROM staff WHERE role = 'ib' LIMIT 1").fetchone()[0]
        _make_login(admin, teacher, password, "ibd_leerkracht", staff_id)
        _make_login(admin, ib, password, "ibd_ib", ib_staff)
        own = {
            r[0]
            for r in admin.execute(
                "SELECT id FROM pupils WHERE group_id = %s UNION SELECT pupil_id FROM"
                " group_memberships WHERE group_id = %s",
                (group_id, group_id),
            )
        }
        everyone = {r[0] for r in admin.execute("SELECT id FROM pupils")}
        school_id = admin.execute("SELECT id FROM schools").fetchone()[0]
    found = School(
        url, info, teacher, ib, password, group_id, own, everyone, staff_id, school_id,
        [teacher, ib],
    )  # fmt: skip
    yield found
    with pg.connect(**base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for login in found.logins:
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def _ids(conn, query: str, *args) -> set[int]:
    return {r[0] for r in conn.execute(query, args)}


def test_a_teacher_sees_only_the_pupils_of_their_groups(school: School) -> None:
    assert school.own_pupils
    assert school.all_pupils - school.own_pupils  # there are others to hide
    with _login(school, school.teacher) as conn:
        assert _ids(conn, "SELECT id FROM pupils") == school.own_pupils
        # Their documents follow the pupils: none about another pupil comes through.
        for table in ("guardians", "growth_documents", "short_interventions", "opps",
                      "level_assignments", "group_memberships"):  # fmt: skip
            seen = _ids(conn, f"SELECT pupil_id FROM {table}")
            assert seen <= school.own_pupils, table
        goals = _ids(
            conn, "SELECT d.pupil_id FROM growth_goals g JOIN growth_periods p ON"
            " p.id = g.period_id JOIN growth_documents d ON d.id = p.document_id"
        )  # fmt: skip
        assert goals <= school.own_pupils
        # No way round through the registrations or the accounts.
        assert conn.execute("SELECT * FROM registrations").fetchall() == []
        assert _ids(conn, "SELECT login FROM accounts") == {school.teacher}


def test_an_ib_login_sees_the_whole_school(school: School) -> None:
    with _login(school, school.ib) as conn:
        assert _ids(conn, "SELECT id FROM pupils") == school.all_pupils
        count = conn.execute("SELECT count(*) FROM assessments WHERE sensitive").fetchone()[0]
    with psycopg.connect(**school.admin) as admin:
        assert (
            count == admin.execute("SELECT count(*) FROM assessments WHERE sensitive").fetchone()[0]
        )


def test_a_teacher_never_reads_a_restricted_report_but_sees_that_one_exists(
    school: School,
) -> None:
    pupil = min(school.own_pupils)
    with psycopg.connect(**school.admin, autocommit=True) as admin:
        report = admin.execute(
            "INSERT INTO assessments (pupil_id, date, kind, performed_by, conclusion,"
            " declaration, sensitive, share_with_swv, version) VALUES (%s, current_date,"
            " 'Psychologisch onderzoek', 'Dr. Öztürk', 'Zeer vertrouwelijk: ADHD', NULL, true,"
            " false, 1) RETURNING id",
            (pupil,),
        ).fetchone()[0]
        open_report = admin.execute(
            "INSERT INTO assessments (pupil_id, date, kind, performed_by, conclusion,"
            " declaration, sensitive, share_with_swv, version) VALUES (%s, current_date,"
            " 'Leestoets', '', 'AVI E4', NULL, false, false, 1) RETURNING id",
            (pupil,),
        ).fetchone()[0]
    with _login(school, school.teacher) as conn:
        visible = _ids(conn, "SELECT id FROM assessments")
        assert open_report in visible
        assert report not in visible
        assert not conn.execute(
            "SELECT 1 FROM assessments WHERE conclusion LIKE '%%ADHD%%'"
        ).fetchall()
        # That it exists, with its date, and nothing more.
        rows = conn.execute("SELECT * FROM restricted_reports WHERE id = %s", (report,)).fetchall()
        assert rows == [(report, pupil, date.today())]
        others = _ids(conn, "SELECT pupil_id FROM restricted_reports")
        assert others <= school.own_pupils
    with _login(school, school.ib) as conn:
        conclusion = conn.execute(
            "SELECT conclusion FROM assessments WHERE id = %s", (report,)
        ).fetchone()
        assert conclusion == ("Zeer vertrouwelijk: ADHD",)


def test_nobody_changes_or_deletes_the_change_log(school: School) -> None:
    for login in (school.teacher, school.ib):
        with _login(school, login) as conn:
            conn.execute(
                "INSERT INTO change_log (at, actor, entity, entity_id, action, field, old_value,"
                " new_value, summary) VALUES (now(), 'Iemand Anders', 'pupil', 1, 'gewijzigd',"
                " '', '', '', 'proef')"
            )
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("UPDATE change_log SET actor = 'niemand'")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM change_log")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("TRUNCATE change_log")
    with psycopg.connect(**school.admin) as admin:
        actors = _ids(admin, "SELECT actor FROM change_log WHERE summary = 'proef'")
    # The database user, not what the client claimed.
    assert actors == {school.teacher, school.ib}


def test_a_teacher_does_not_write_levels_or_opps(school: School) -> None:
    pupil = min(school.own_pupils)
    with _login(school, school.teacher) as conn:
        level = conn.execute("SELECT id FROM support_levels LIMIT 1").fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO level_assignments (pupil_id, level_id, area, start_date, reason,"
                " decided_by_name, created_at) VALUES (%s, %s, '', current_date, 'x', '', now())",
                (pupil, level),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE level_assignments SET reason = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO opps (pupil_id, start_date, created_at, updated_at)"
                " VALUES (%s, current_date, now(), now())",
                (pupil,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE opp_versions SET parents_view = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE pupils SET last_name = 'x'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM pupils")


def test_a_teacher_evaluates_their_own_pupils_only(school: School) -> None:
    with psycopg.connect(**school.admin) as admin:
        goals = admin.execute(
            "SELECT g.id, d.pupil_id FROM growth_goals g JOIN growth_periods p ON"
            " p.id = g.period_id JOIN growth_documents d ON d.id = p.document_id"
        ).fetchall()
    own = next(g for g, p in goals if p in school.own_pupils)
    other = next(g for g, p in goals if p not in school.own_pupils)
    with _login(school, school.teacher) as conn:
        done = conn.execute(
            "UPDATE growth_goals SET evaluation = 'Leest vlot: 35 woorden per minuut 🙂',"
            " outcome = 'behaald', version = version + 1 WHERE id = %s",
            (own,),
        )
        assert done.rowcount == 1
        # Another group's pupil: the row is not there for this teacher.
        assert (
            conn.execute(
                "UPDATE growth_goals SET evaluation = 'x' WHERE id = %s", (other,)
            ).rowcount
            == 0
        )
        # The goal itself is the IB-er's, not the teacher's.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE growth_goals SET goal = 'x' WHERE id = %s", (own,))
    with psycopg.connect(**school.admin) as admin:
        assert (
            admin.execute("SELECT evaluation FROM growth_goals WHERE id = %s", (other,)).fetchone()[
                0
            ]
            != "x"
        )
        logged = admin.execute(
            "SELECT actor, action FROM change_log WHERE entity = 'growth_goals'"
            " AND entity_id = %s", (own,),
        ).fetchall()  # fmt: skip
    assert (school.teacher, "UPDATE") in logged


def test_a_wrong_password_is_refused(school: School) -> None:
    with pytest.raises(psycopg.OperationalError):
        _login(school, school.teacher, password="fout-" + school.password)


def test_an_inactive_account_sees_nothing(school: School) -> None:
    with psycopg.connect(**school.admin, autocommit=True) as admin:
        admin.execute("UPDATE accounts SET active = false WHERE login = %s", (school.teacher,))
        try:
            with _login(school, school.teacher) as conn:
                assert conn.execute("SELECT count(*) FROM pupils").fetchone()[0] == 0
        finally:
            admin.execute("UPDATE accounts SET active = true WHERE login = %s", (school.teacher,))


def test_a_teacher_writes_notes_on_their_own_pupils_only(school: School) -> None:
    own = min(school.own_pupils)
    other = min(school.all_pupils - school.own_pupils)
    with _login(school, school.ib) as conn:  # a history line about the other pupil
        conn.execute("UPDATE pupils SET notes = 'Gesprek met ouders' WHERE id = %s", (other,))
    with _login(school, school.teacher) as conn:
        note = "Vraagt veel uitleg bij rekenen; İlknur helpt"
        done = conn.execute("UPDATE pupils SET notes = %s WHERE id = %s", (note, own))
        assert done.rowcount == 1
        assert conn.execute("UPDATE pupils SET notes = 'x' WHERE id = %s", (other,)).rowcount == 0
        # Their own history lines and those about their pupils; not another group's.
        seen = conn.execute("SELECT entity, entity_id, actor FROM change_log").fetchall()
        assert ("pupils", own, school.teacher) in seen
        assert not [r for r in seen if r[:2] == ("pupils", other)]
    with psycopg.connect(**school.admin) as admin:
        assert (
            admin.execute("SELECT notes FROM pupils WHERE id = %s", (other,)).fetchone()[0] != "x"
        )
        assert (school.ib,) in admin.execute(
            "SELECT actor FROM change_log WHERE entity = 'pupils' AND entity_id = %s", (other,)
        ).fetchall()


def test_a_teacher_keeps_only_their_own_settings(school: School) -> None:
    with _login(school, school.teacher) as conn:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (%s, '{}')", (f"ik_ben/{school.teacher}",)
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO settings (key, value) VALUES ('ik_ben/iemand_anders', '{}')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM settings")


def test_only_directie_signs_for_the_school(school: School) -> None:
    directie = school.add_login("ibd_directie", "directie")
    with psycopg.connect(**school.admin) as admin:
        version = admin.execute("SELECT id FROM opp_versions ORDER BY id LIMIT 1").fetchone()[0]
    insert = (
        "INSERT INTO opp_signatures (opp_version_id, role, name, signed_on, captured_at)"
        " VALUES (%s, %s, 'Mevr. Doğan', current_date, now())"
    )
    with _login(school, school.ib) as conn:
        conn.execute(insert, (version, "ouder"))  # the IB-er records the parents' signature
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(insert, (version, "directie"))
    with _login(school, directie) as conn:
        conn.execute(insert, (version, "directie"))
    with (
        _login(school, school.teacher) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(insert, (version, "directie"))


def test_beheer_manages_logins_without_createrole(school: School) -> None:
    beheer = school.add_login("ibd_beheer", None)
    new = f"meester_{uuid.uuid4().hex[:8]}"
    school.logins.append(new)
    with _login(school, beheer) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f'CREATE ROLE "{new}" LOGIN')
        conn.execute("SELECT ibd_create_login(%s, %s, 'leerkracht')", (new, "Wachtwoord-1"))
        # Never a role outside the app's groups: not the cluster's admin, not a group itself.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT ibd_set_password(%s, 'overgenomen')", (school.admin["user"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT ibd_set_login_active('ibd_ib', true)")
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            conn.execute("SELECT ibd_create_login('x_' || %s, 'pw', 'superuser')", (new,))
    info = dict(school.admin, user=new, password="Wachtwoord-1")
    with psycopg.connect(**info) as conn:
        groups = conn.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            " JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = current_user"
        ).fetchall()
        assert groups == [("ibd_leerkracht",)]
    with _login(school, beheer) as conn:
        conn.execute("SELECT ibd_set_login_active(%s, false)", (new,))
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(**info)
    with (
        _login(school, school.teacher) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("SELECT ibd_create_login('nog_een', 'pw', 'ib')")


def test_ensure_group_roles_is_harmless_to_repeat(school: School) -> None:
    from ib_desktop.storage.pg_policies import ALL, ensure_group_roles

    with psycopg.connect(**school.admin, autocommit=True) as admin:
        ensure_group_roles(admin)
        ensure_group_roles(admin)
        found = admin.execute(
            "SELECT rolname, rolcanlogin, rolcreaterole FROM pg_roles WHERE rolname LIKE 'ibd%%'"
        ).fetchall()
    assert sorted(found) == sorted((r, False, False) for r in ALL)


def test_the_bulk_switch_does_not_silence_a_person(school: School) -> None:
    """``ibd.bulk`` leaves the owner's demo out of the log; a person setting it is still logged."""
    own = max(school.own_pupils)
    with _login(school, school.teacher) as conn:
        conn.execute("SELECT set_config('ibd.bulk', 'on', false)")
        conn.execute("UPDATE pupils SET notes = 'stil?' WHERE id = %s", (own,))
    with psycopg.connect(**school.admin) as admin:
        logged = admin.execute(
            "SELECT count(*) FROM change_log WHERE entity = 'pupils' AND entity_id = %s"
            " AND actor = %s AND action = 'UPDATE'",
            (own, school.teacher),
        ).fetchone()[0]
    assert logged >= 1


def test_create_login_sends_no_password_and_the_person_logs_in(school: School) -> None:
    from ib_desktop.storage.pg_policies import create_login, set_password

    beheer = school.add_login("ibd_beheer", None)
    login = f"ib_{uuid.uuid4().hex[:8]}"
    school.logins.append(login)
    password = "Zoë-Çağrı-ünïcode 🙂"
    with _login(school, beheer) as conn:
        create_login(conn, login, password, "ib")
    with _login(school, login, password) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (login,)
    with _login(school, beheer) as conn:
        set_password(conn, login, "nieuw-" + password)
    with pytest.raises(psycopg.OperationalError):
        _login(school, login, password)
    with _login(school, login, "nieuw-" + password) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
