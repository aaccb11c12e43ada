"""The role rules, as a table: what each account role may do, and 'accounts off'."""

from __future__ import annotations

import pytest

from ib_desktop import permissions as perm
from ib_desktop.domain_types import AccountRole

L, IB, D, B = AccountRole.LEERKRACHT, AccountRole.IB, AccountRole.DIRECTIE, AccountRole.BEHEER


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        (perm.reads_whole_school, {IB, D, B, None}),
        (perm.reads_restricted, {IB, D, B, None}),
        (perm.writes_care_file, {IB, D, B, None}),
        (perm.writes_evaluations, {L, IB, D, B, None}),
        (perm.signs_for_school, {D, None}),
        (perm.manages_accounts, {B, None}),
    ],
)
def test_each_role_may_do_what_the_issue_says(rule, allowed) -> None:
    for role in [*AccountRole, None]:
        assert rule(role) is (role in allowed), (rule.__name__, role)
