"""Test helper: the object-level access (BOLA) matrix every service runs over its by-id routes (R-09).

The route list comes from the app's OpenAPI document (`by_id_routes`), so a new route with a path parameter
fails the service's matrix test until it is given a probe or an explicit, reasoned exemption. Each probe is
called once per caller in `CALLERS` (two teams, the record's owner and a teammate, a teamless agent, a
supervisor of a third team, a manager) on a fresh record owned by `OWNER` of `TEAM`, and must be:

- served (a status that shows the record was found and the caller let through: 2xx, or 409 for a state
  conflict) for the callers named in `allowed`;
- refused (403, or 404 exactly like a missing id) for every other caller.

Use (in a service's tests):

    PROBES = {("GET", "/cases/{case_id}"): Probe(new_case), ...}        # new_case() -> (url, json body)
    EXEMPT = {("GET", "/calendar/years/{year}"): "company calendar, no account data"}
    assert_covers(app, PROBES, EXEMPT)
    await run_matrix(client, PROBES, bearer, service="complaints")     # prints refused / total; raises on a wrong cell
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

OWNER, TEAM = "olly", "east"
METHODS = ("get", "put", "post", "patch", "delete")
SERVED = frozenset({200, 201, 202, 204, 409})
REFUSED = frozenset({403, 404})


@dataclass(frozen=True)
class Caller:
    name: str
    subject: str
    team: str | None
    roles: tuple[str, ...] | None = None  # None: the probe's roles


CALLERS = (
    Caller("owner", OWNER, TEAM),
    Caller("teammate", "tina", TEAM),
    Caller("other_team", "wes", "west"),
    Caller("teamless", "nemo", None),
    Caller("supervisor", "sue", "north", ("supervisor",)),
    Caller("manager", "meg", None, ("manager",)),
)
EVERYONE_WHO_SEES = frozenset({"owner", "teammate", "supervisor", "manager"})  # servicekit.access.sees_record


@dataclass(frozen=True)
class Probe:
    """`prepare()` makes a fresh record owned by OWNER of TEAM and returns (url, json body or None)."""

    prepare: Callable[[], Awaitable[tuple[str, Any]]]
    allowed: frozenset[str] = EVERYONE_WHO_SEES
    roles: tuple[str, ...] = ("agent",)  # the roles of the owner, teammate, other-team and teamless callers
    served: frozenset[int] = field(default=SERVED)


def by_id_routes(app: Any) -> set[tuple[str, str]]:
    """("GET", "/cases/{case_id}") for every operation with a path parameter in the app's OpenAPI document."""
    paths = app.openapi()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() if "{" in path for method in ops if method in METHODS}


def assert_covers(app: Any, probes: Mapping[tuple[str, str], Probe], exempt: Mapping[tuple[str, str], str]) -> None:
    routes = by_id_routes(app)
    missing = sorted(routes - set(probes) - set(exempt))
    stale = sorted((set(probes) | set(exempt)) - routes)
    assert not missing, f"by-id routes with no BOLA probe nor exemption: {missing}"
    assert not stale, f"probes or exemptions for routes that do not exist: {stale}"


async def run_matrix(
    client: Any, probes: Mapping[tuple[str, str], Probe], bearer: Callable[..., dict[str, str]], *, service: str
) -> tuple[int, int]:
    """Every probe for every caller; (refused, total), also printed (`pytest -s`). Fails listing each cell that
    was not as expected."""
    wrong: list[str] = []
    refused = total = 0
    for (method, route), probe in probes.items():
        for caller in CALLERS:
            url, body = await probe.prepare()
            headers = bearer(caller.subject, *(caller.roles or probe.roles), team=caller.team)
            response = await client.request(method, url, json=body, headers=headers)
            total += 1
            status = response.status_code
            refused += status in REFUSED
            expected = probe.served if caller.name in probe.allowed else REFUSED
            if status not in expected:
                wrong.append(f"{method} {route} as {caller.name}: {status} {response.text[:200]}")
    assert not wrong, "BOLA matrix:\n" + "\n".join(wrong)
    print(f"BOLA {service}: {len(probes)} by-id routes, refused {refused} / {total} calls")
    assert refused >= 2 * len(probes)  # at least another team and a teamless agent, on every route
    return refused, total
