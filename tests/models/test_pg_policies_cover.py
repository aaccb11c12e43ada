"""Every table has a PostgreSQL policy entry, or a written reason why not (issue 18).

The next table someone adds to the models fails here until ``ib_desktop.storage.pg_policies``
says who may read and write it; a table with pupil data must have a row filter.
"""

from __future__ import annotations

from ib_desktop.models import Base
from ib_desktop.storage import pg_policies


def test_every_table_has_a_policy_or_a_reason() -> None:
    covered = {p.table for p in pg_policies.POLICIES}
    missing = set(Base.metadata.tables) - covered - set(pg_policies.NOT_COVERED)
    assert not missing, f"add these tables to pg_policies.POLICIES: {sorted(missing)}"
    for table, reason in pg_policies.NOT_COVERED.items():
        assert table not in covered, table
        assert len(reason.split()) >= 3, f"give {table} a real reason"


def test_every_entry_names_a_real_table_once() -> None:
    names = [p.table for p in pg_policies.POLICIES]
    assert len(names) == len(set(names))
    assert set(names) <= set(Base.metadata.tables)


def _holds_pupil_data(table) -> bool:
    if table.name == "pupils":
        return True
    links = {fk.column.table.name for fk in table.foreign_keys}
    linked = {"pupils", "growth_documents", "growth_periods", "opps", "opp_versions", "meetings"}
    return bool(links & linked)


def test_every_table_with_pupil_data_filters_rows_and_is_logged() -> None:
    for table in Base.metadata.sorted_tables:
        if not _holds_pupil_data(table):
            continue
        policy = pg_policies.policy_for(table.name)
        assert policy is not None, table.name
        assert policy.row is not None, f"{table.name} holds pupil data: give it a row filter"
        # A log of its own (who saw what) cannot change: nothing to log about it.
        assert policy.logged or policy.append_only, f"{table.name} holds pupil data: log it"
        assert policy.row != "true" or policy.append_only, table.name


def test_teachers_write_only_evaluations_and_notes() -> None:
    """A teacher writes no whole table of pupil data; only named columns, in rows they read."""
    for policy in pg_policies.POLICIES:
        if policy.row is not None and not policy.append_only:
            assert pg_policies.LEERKRACHT not in policy.write, policy.table
        names = set(Base.metadata.tables[policy.table].columns.keys())
        assert set(policy.teacher_update) <= names, policy.table


def test_care_roles_match_the_services_rules() -> None:
    from ib_desktop import permissions
    from ib_desktop.domain_types import AccountRole

    care = {pg_policies.group_role(r) for r in AccountRole if permissions.writes_care_file(r)}
    assert care == set(pg_policies.CARE)
    for table in ("level_assignments", "opps", "opp_versions", "assessments"):
        policy = pg_policies.policy_for(table)
        assert policy is not None
        assert set(policy.write) == care


def test_nothing_happens_on_sqlite(db) -> None:
    """SQLite keeps working alone: the roles and policies are PostgreSQL's business."""
    import sqlalchemy as sa

    with db.engine.begin() as conn:
        pg_policies.ensure_group_roles(conn)
        pg_policies.apply(conn)
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert "restricted_reports" not in tables
    with db.session() as s:
        assert pg_policies.forget_change_log(s, 1) is False
        pg_policies.bulk_load(s)
        assert s.execute(sa.text("SELECT 1")).scalar() == 1
