"""Delivery rules, pure; the caller passes the clock. Don't over-disturb (R-43): quiet hours in the recipient's
time zone and a frequency cap per recipient and purpose; why a message is suppressed (R-42, R-43); when a failed
delivery is tried again (R-40)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notifier.consent.rules import allowed
from notifier.recipients.rules import Address

WAITING = ("pending", "deferred", "sending")  # message statuses not finished yet
COUNTED = ("pending", "deferred", "sending", "sent")  # messages the frequency cap counts


@dataclass(frozen=True)
class Decision:
    """send now, defer to `due_at`, or drop with `reason`."""

    outcome: str  # "send" | "defer" | "drop"
    due_at: datetime
    reason: str | None = None


def _zone(name: str | None, default: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def quiet_hours_end(
    now: datetime, *, start: time, end: time, time_zone: str | None, default_zone: str
) -> datetime | None:
    """When quiet hours end if `now` falls inside them (in the recipient's zone), else None.
    The window may span midnight (21:00-08:00) or not (12:00-14:00)."""
    local = now.astimezone(_zone(time_zone, default_zone))
    t = local.time().replace(tzinfo=None)
    if start == end:
        return None
    spans_midnight = start > end
    inside = (t >= start or t < end) if spans_midnight else (start <= t < end)
    if not inside:
        return None
    opening_day = local.date() + timedelta(days=1) if spans_midnight and t >= start else local.date()
    opening = datetime.combine(opening_day, end, tzinfo=local.tzinfo)
    return opening.astimezone(now.tzinfo)


def frequency_cap(now: datetime, recent: Sequence[datetime], *, limit: int, days: int, policy: str) -> Decision:
    """`recent`: when this recipient's earlier messages of the purpose were sent or are due (deferred ones in
    the future). Fewer than `limit` in the window -> send; otherwise defer to the moment the oldest leaves the
    window (after any already deferred), or drop (policy)."""
    window = timedelta(days=days)
    points = sorted(at for at in recent if at > now - window)
    slot = max([now, *(at for at in points if at > now)])

    def counted(at: datetime) -> list[datetime]:
        return [p for p in points if at - window < p <= at]

    if policy == "drop":
        return Decision("send", now) if len(points) < limit else Decision("drop", now, "frequency_cap")
    while len(in_window := counted(slot)) >= limit:
        slot = in_window[0] + window  # the oldest leaves the window then
    return Decision("send", now) if slot == now else Decision("defer", slot, "frequency_cap")


def decide(
    now: datetime,
    *,
    purpose: str,
    time_zone: str | None,
    recent: Sequence[datetime],
    quiet_start: time,
    quiet_end: time,
    default_zone: str,
    caps: dict[str, tuple[int, int]],
    cap_policy: str,
    open_case_exempt: bool,
    about_open_case: bool,
) -> Decision:
    """The R-43 decision for one message: frequency cap first, then quiet hours on the chosen time."""
    decision = Decision("send", now)
    cap = caps.get(purpose)
    if cap is not None:
        decision = frequency_cap(now, recent, limit=cap[0], days=cap[1], policy=cap_policy)
        if decision.outcome == "drop":
            return decision
    if purpose == "service" and about_open_case and open_case_exempt:
        return decision
    opening = quiet_hours_end(
        decision.due_at, start=quiet_start, end=quiet_end, time_zone=time_zone, default_zone=default_zone
    )
    if opening is None:
        return decision
    return Decision("defer", opening, decision.reason or "quiet_hours")


def oldest_window_start(now: datetime, caps: dict[str, tuple[int, int]]) -> datetime | None:
    """Where the longest frequency-cap window starts (None: no cap), so one look-up serves every purpose."""
    return now - timedelta(days=max(days for _, days in caps.values())) if caps else None


def suppression(
    *, purpose: str, channel: str, to_customer: bool, address: Address, granted: bool | None, decision: Decision
) -> str | None:
    """Why this channel's message is not sent, or None (R-42 consent, R-43 frequency cap, no address)."""
    if decision.outcome == "drop":
        return decision.reason
    if to_customer:
        ok, reason = allowed(purpose, channel, granted)
        if not ok:
            return reason
    if address.address is None:
        return "no_address"
    return None


def backoff(attempts: int, base: float, cap: float, rng: Callable[[], float] = random.random) -> timedelta:
    """Exponential backoff with full jitter between delivery attempts."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)) * (0.5 + rng() / 2))
