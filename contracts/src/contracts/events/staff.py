"""Events the gateway's staff directory publishes: who the staff are, how to reach them, who supervises them.

Every event carries the whole directory entry (a snapshot), so a consumer needs no earlier event to act.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from contracts.envelope import Event


class StaffSnapshot(Event):
    """The directory entry of one staff member; carries contact data, so producers keep it encrypted (R-09)."""

    aggregate: ClassVar[str] = "staff"
    personal_data: ClassVar[bool] = True

    staff_id: str
    login: str = Field(description="The login name other services know the person by (token `sub`)")
    display_name: str
    email: str | None = None
    phone: str | None = None
    roles: list[str] = Field(default_factory=list)
    team: str | None = None
    supervisor: str | None = Field(default=None, description="The supervisor's login name")
    language: str = "zh-CN"
    time_zone: str = "Asia/Shanghai"
    active: bool = True


class StaffRegisteredV1(StaffSnapshot):
    """A new staff member exists in the directory."""

    event_type: ClassVar[str] = "staff.registered.v1"


class StaffUpdatedV1(StaffSnapshot):
    """A staff member's entry changed (contact points, roles, team, supervisor, language, time zone)."""

    event_type: ClassVar[str] = "staff.updated.v1"


class StaffDisabledV1(StaffSnapshot):
    """A staff member may no longer log in; their sessions are revoked. `active` is false."""

    event_type: ClassVar[str] = "staff.disabled.v1"
