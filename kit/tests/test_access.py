"""R-09 object-level access rules (servicekit.access): who reads, who sees unmasked, who assigns; the roles claim."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql

from servicekit.access import (
    Role,
    initial_assignment,
    may_assign,
    may_change_contact_data,
    roles_from_claim,
    sees_record,
    sees_unmasked,
    visible_filter,
)
from servicekit.auth import Principal, verify_token
from servicekit.errors import ApiError
from servicekit.settings import common_settings
from servicekit.testing import signed_claims


def staff(subject: str, *roles: Role, team: str | None = None) -> Principal:
    return Principal(subject, frozenset(roles), team)


AGENT_EAST = staff("alice", Role.agent, team="east")
AGENT_EAST_2 = staff("andy", Role.agent, team="east")
AGENT_WEST = staff("bob", Role.agent, team="west")
TEAMLESS = staff("nobody", Role.agent)
SUPERVISOR = staff("sue", Role.supervisor, team="north")
MANAGER = staff("meg", Role.manager)
AUDITOR = staff("aud", Role.auditor)
VICE_PRESIDENT = staff("vp", Role.vice_president)


@pytest.mark.parametrize(
    ("who", "owner", "team", "sees"),
    [
        (AGENT_EAST, "alice", "east", True),  # owner
        (AGENT_EAST_2, "alice", "east", True),  # same team, not the owner
        (AGENT_WEST, "alice", "east", False),  # another team
        (AGENT_EAST, "alice", "west", True),  # the owner, whatever the team
        (AGENT_EAST, None, None, False),  # no team: not open to every agent
        (TEAMLESS, None, None, False),  # a teamless caller does not match a teamless record
        (TEAMLESS, "x", None, False),
        (SUPERVISOR, "bob", "west", True),
        (SUPERVISOR, None, None, True),
        (MANAGER, None, None, True),
        (AUDITOR, "bob", "west", True),
        (VICE_PRESIDENT, "bob", "west", True),
    ],
)
def test_who_sees_a_record_r09(who: Principal, owner: str | None, team: str | None, sees: bool) -> None:
    assert sees_record(who, owner=owner, team=team) is sees


def test_only_owner_and_entitled_roles_see_contact_data_unmasked_and_change_it_r09() -> None:
    assert sees_unmasked(AGENT_EAST, owner="alice")
    assert not sees_unmasked(AGENT_EAST_2, owner="alice")  # same team: masked
    assert not sees_unmasked(AGENT_EAST, owner=None)
    assert all(sees_unmasked(p, owner="x") for p in (SUPERVISOR, MANAGER, AUDITOR))
    assert not sees_unmasked(VICE_PRESIDENT, owner="x")  # reads every account, contact data masked
    assert may_change_contact_data(AGENT_EAST, owner="alice")
    assert not may_change_contact_data(AGENT_EAST_2, owner="alice")


def _sql(clause: object) -> str:
    return str(clause.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]


def test_visible_filter_is_the_sql_twin_and_never_matches_null_teams() -> None:
    table = Table("t", MetaData(), Column("owner", String), Column("team", String), Column("dept", String))
    assert visible_filter(SUPERVISOR, table.c.owner, table.c.team) is None
    east = _sql(visible_filter(AGENT_EAST, table.c.owner, table.c.team, table.c.dept == "rnd"))
    assert east == "t.owner = 'alice' OR t.dept = 'rnd' OR t.team = 'east'"
    teamless = _sql(visible_filter(TEAMLESS, table.c.owner, table.c.team))
    assert teamless == "t.owner = 'nobody'" and "NULL" not in teamless
    select(table).where(visible_filter(AGENT_EAST, table.c.owner, table.c.team))  # usable in a query


def test_new_record_gets_an_owner_and_the_creators_team_r08_r09() -> None:
    assert initial_assignment(AGENT_EAST) == ("alice", "east")
    assert initial_assignment(AGENT_EAST, rule_owner="sam", rule_team="south") == ("sam", "south")
    assert initial_assignment(AGENT_EAST, rule_owner="sam") == ("sam", "east")
    assert initial_assignment(MANAGER, owner="bob", team="west", rule_owner="sam", rule_team="south") == (
        "bob",
        "west",
    )
    assert initial_assignment(MANAGER) == ("meg", None)  # a teamless creator: only oversight and the owner see it


def test_who_may_name_owner_and_team_r08() -> None:
    assert may_assign(AGENT_EAST, owner=None, team=None)
    assert may_assign(AGENT_EAST, owner="alice", team="east")
    assert not may_assign(AGENT_EAST, owner="bob", team=None)
    assert not may_assign(AGENT_EAST, owner=None, team="west")
    assert may_assign(SUPERVISOR, owner="bob", team="west")


@pytest.mark.parametrize(
    "claim",
    [None, [], {"admin": True}, "admin", ["admin", 1], ["emperor"], [["admin"]], {"roles": ["admin"]}],
)
def test_roles_claim_must_be_a_non_empty_list_of_known_roles(claim: object) -> None:
    with pytest.raises(ValueError):
        roles_from_claim(claim)


def test_roles_claim_read_as_roles() -> None:
    assert roles_from_claim(["agent", "supervisor", "agent"]) == {Role.agent, Role.supervisor}


@pytest.mark.parametrize("claim", [{"admin": True}, [], "admin", None])
def test_token_with_a_bad_roles_claim_is_401(claim: object) -> None:
    settings = common_settings()
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "mallory",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 60,
    }
    if claim is not None:
        claims["roles"] = claim
    with pytest.raises(ApiError) as refused:
        verify_token(signed_claims(claims))
    assert refused.value.status == 401
