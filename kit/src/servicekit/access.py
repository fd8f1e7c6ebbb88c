"""R-09 object-level access, once for every service: who reads a record, who sees its contact data unmasked,
who may change what. The rules are written down in docs/access.md; this module is their only implementation.

Pure (no I/O, no web, database or broker framework), so a service's `rules.py` may import it too. A record
belongs to an `owner` (a staff subject) and a `team`; the caller is the token's principal
(`servicekit.auth.Principal`: subject, roles, team) or anything with those three attributes.

How a service uses it (customer, complaints, notifier, engagement, surveys, gateway alike):

- a by-id route loads the row and answers what the caller may not see exactly like a missing id (404), so ids
  cannot be probed: `if row is None or not sees_record(principal, owner=row.owner, team=row.team): raise
  not_found("case", case_id)`;
- a list or search adds `clause = visible_filter(principal, Model.owner, Model.team)` and, when it is not None,
  `query.where(clause)` (None: the caller sees every account); extra grants (a department's queue) go in `*also`;
- a record about a customer that another service owns is checked against that service's read model of the
  customer (owner and team kept from `customer.registered.v1` and `customer.owner_assigned.v1`); a customer not
  known yet has no team, so only the oversight roles see it;
- contact data is shown unmasked only when `sees_unmasked(principal, owner=...)`; changing or deleting it needs
  the same right (`may_change_contact_data`: a 403 for a caller who sees the record but its contacts masked);
- a new record gets `initial_assignment(principal, ...)`: the hand-picked owner, else the owner rule's, else
  the creator; the creator's team unless an owner rule names one; `may_assign(...)` says who may pick by hand;
- a token's `roles` claim is read with `roles_from_claim` (`servicekit.auth.verify_token` does): a non-empty
  list of known role names, anything else is a 401.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from enum import StrEnum
from functools import reduce
from typing import Any, Protocol


class Role(StrEnum):
    """Roles of the business rules (docs/business-rules.md, Roles); staff tokens carry them."""

    agent = "agent"  # customer-service staff
    complaint_handler = "complaint_handler"
    order_handler = "order_handler"
    sales = "sales"  # account owners
    supervisor = "supervisor"
    manager = "manager"
    marketing = "marketing"
    rnd = "rnd"
    vice_president = "vice_president"
    auditor = "auditor"
    admin = "admin"


class Staff(Protocol):
    """The caller as the rules read it (`servicekit.auth.Principal` fits)."""

    @property
    def subject(self) -> str: ...

    @property
    def roles(self) -> frozenset[Role]: ...

    @property
    def team(self) -> str | None: ...


# roles that read every account, their team's or not, and records with no team (R-09: authorised roles)
OVERSIGHT: tuple[Role, ...] = (Role.supervisor, Role.manager, Role.vice_president, Role.auditor, Role.admin)
# roles that see every account's contact data unmasked; everyone else only for the customers they own
UNMASKED: tuple[Role, ...] = (Role.supervisor, Role.manager, Role.auditor, Role.admin)
# roles that set a record's owner and team by hand
ASSIGNERS: tuple[Role, ...] = (Role.supervisor, Role.manager, Role.admin)


def has_any(staff: Staff, roles: Iterable[str]) -> bool:
    return not staff.roles.isdisjoint(roles)


# -- reading ------------------------------------------------------------------------------------------------


def sees_record(staff: Staff, *, owner: str | None, team: str | None) -> bool:
    """The oversight roles, the owner, and the owning team's members; a record with no team only the first two."""
    if has_any(staff, OVERSIGHT) or (owner is not None and owner == staff.subject):
        return True
    return team is not None and team == staff.team


def visible_filter(staff: Staff, owner: Any, team: Any, *also: Any) -> Any:
    """The SQL twin of `sees_record` over the given columns (plus grants in `also`); None when all is visible."""
    if has_any(staff, OVERSIGHT):
        return None
    clauses = [owner == staff.subject, *also]
    if staff.team is not None:  # `team == None` would be SQL `IS NULL`: a teamless caller must not read those
        clauses.append(team == staff.team)
    return reduce(operator.or_, clauses)


# -- contact data ---------------------------------------------------------------------------------------------


def sees_unmasked(staff: Staff, *, owner: str | None) -> bool:
    """Contact data in clear: the customer's owner and the UNMASKED roles; everyone else gets it masked."""
    return (owner is not None and owner == staff.subject) or has_any(staff, UNMASKED)


def may_change_contact_data(staff: Staff, *, owner: str | None) -> bool:
    """Changing or deleting contact data needs the right to see it unmasked."""
    return sees_unmasked(staff, owner=owner)


# -- owner and team -------------------------------------------------------------------------------------------


def may_assign(staff: Staff, *, owner: str | None, team: str | None) -> bool:
    """Owner and team are set by hand by the ASSIGNERS; anyone else may only name themselves and their own team."""
    if has_any(staff, ASSIGNERS):
        return True
    return owner in (None, staff.subject) and team in (None, staff.team)


def initial_assignment(
    staff: Staff,
    *,
    owner: str | None = None,
    team: str | None = None,
    rule_owner: str | None = None,
    rule_team: str | None = None,
) -> tuple[str, str | None]:
    """(owner, team) of a new record: the ones given by hand, else the owner rule's, else the creator and the
    creator's team; a record never starts without an owner, and has no team only when nobody named one."""
    chosen_owner = owner or rule_owner or staff.subject
    chosen_team = team or (rule_team if rule_owner and not owner else None) or staff.team
    return chosen_owner, chosen_team


# -- tokens -------------------------------------------------------------------------------------------------


def roles_from_claim(claim: object) -> frozenset[Role]:
    """A token's `roles` claim: a non-empty list of known role names (ValueError otherwise, a 401 for the caller).
    An object such as {"admin": true} is refused, not read as its keys; no roles is no access, not an agent."""
    if not isinstance(claim, list) or not claim:
        raise ValueError("the roles claim must be a non-empty list of role names")
    roles: set[Role] = set()
    for name in claim:
        if not isinstance(name, str) or name not in Role.__members__:
            raise ValueError(f"unknown role {name!r} in the roles claim")
        roles.add(Role(name))
    return frozenset(roles)
