"""SLA targets and clocks for complaints and service cases (R-23, R-24, R-25, R-26). Pure: no I/O.

Targets (fixed names): ``first_response``, ``investigation_report``, ``resolution``. Each runs on
the ``wall`` clock (elapsed time) or on ``business`` time (working time of a named business calendar, ``office``
unless the policy names another, e.g. ``hotline`` for 7x24).

"N working days" means N x the calendar's working-day length of working time (8 h by default),
see ``BusinessCalendar.add_working_days``: a case received Friday 17:30 with 3 working days is due
Wednesday 17:30; one received outside working hours is due at the close of the 3rd working day.

Clock model (``evaluate``), from a case's ``ClockEvent`` history:
- the policy is chosen by the latest (kind, severity, tier, channel) and every deadline is computed
  from the received time with it, so a change (e.g. to serious, R-26) recomputes them all;
- paused time (waiting on the customer) does not count: a wall target moves back by the paused
  duration, a business target by the paused working time; an open pause counts as ending now;
- the first ``met`` of a target ends its clock for good: met by the deadline -> met, later ->
  breached (met_at still recorded); an unmet target is breached from its deadline on and the breach
  is dated at the deadline (``breached_at``), not when someone noticed;
- at_risk once ``used_ratio`` reaches the target's ``at_risk_ratio`` (default 0.75).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from servicekit.calendar.book import DEFAULT_CALENDAR, CalendarBook
from servicekit.calendar.rules import BusinessCalendar

TARGETS = ("first_response", "investigation_report", "resolution")
KINDS = ("complaint", "service_request", "inquiry")
SEVERITIES = ("normal", "serious")
TIERS = ("high", "mid", "low", "unknown")
CHANNELS = ("hotline", "online_chat", "email", "web_form", "in_person")
DIMENSIONS = {"kind": KINDS, "severity": SEVERITIES, "tier": TIERS, "channel": CHANNELS}
STATES = ("on_track", "at_risk", "breached", "met")
Clock = Literal["wall", "business"]
_UNITS = {"minutes": "wall", "hours": "wall", "working_hours": "business", "working_days": "business"}

DEFAULT_POLICY_CONFIG: dict[str, Any] = {
    "at_risk_ratio": 0.75,
    # matching rules all apply, least specific first; a more specific rule replaces the targets it names
    # (null removes one). Ties in specificity: the later rule wins. Omitted or "*" match keys are wildcards.
    "rules": [
        # R-23 channel standard "email replied within 24 h" as the slowest first response, R-25 six days.
        # The hotline's "answered within 30 s" is a telephony (ACD) metric, not a case target.
        {"id": "base", "match": {}, "targets": {"first_response": {"hours": 24}, "resolution": {"working_days": 6}}},
        # R-23 online chat "immediately": 5 minutes of wall clock
        {"id": "chat", "match": {"channel": "online_chat"}, "targets": {"first_response": {"minutes": 5}}},
        # R-23 acknowledge a complaint within 1 hour; R-24 investigation report in 3 days; R-25 closed in 6
        {
            "id": "complaint",
            "match": {"kind": "complaint"},
            "targets": {
                "first_response": {"hours": 1},
                "investigation_report": {"working_days": 3},
                "resolution": {"working_days": 6},
            },
        },
        # R-23 the chat standard is tighter than the complaint hour, so it keeps the complaint's chat reply at 5 min
        {
            "id": "complaint-chat",
            "match": {"kind": "complaint", "channel": "online_chat"},
            "targets": {"first_response": {"minutes": 5}},
        },
        # R-26 serious complaints go to the vice-president at once: report within 1 and close within 3 working days
        {
            "id": "complaint-serious",
            "match": {"kind": "complaint", "severity": "serious"},
            "targets": {"investigation_report": {"working_days": 1}, "resolution": {"working_days": 3}},
        },
    ],
}


def _utc(dt: datetime, name: str) -> datetime:
    if not isinstance(dt, datetime) or dt.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {dt!r}")
    return dt.astimezone(UTC)


@dataclass(frozen=True)
class TargetSpec:
    """One target: ``duration`` is elapsed time (wall) or working time (business); ``working_days``
    instead counts whole working days of the calendar (business)."""

    name: str
    duration: timedelta | None
    clock: Clock = "wall"
    at_risk_ratio: float = 0.75
    working_days: float | None = None
    calendar: str = DEFAULT_CALENDAR  # the business calendar its working time runs on

    def __post_init__(self) -> None:
        if self.name not in TARGETS:
            raise ValueError(f"target name {self.name!r} is not one of {TARGETS}")
        if self.clock not in ("wall", "business"):
            raise ValueError(f"{self.name}.clock must be 'wall' or 'business'")
        if (self.duration is None) == (self.working_days is None):
            raise ValueError(f"{self.name}: give exactly one of duration and working_days")
        if self.working_days is not None and (self.clock != "business" or self.working_days <= 0):
            raise ValueError(f"{self.name}.working_days must be positive and on the business clock")
        if self.duration is not None and self.duration <= timedelta(0):
            raise ValueError(f"{self.name}.duration must be positive")
        if not 0 < self.at_risk_ratio <= 1:
            raise ValueError(f"{self.name}.at_risk_ratio must be in (0, 1]")

    def budget(self, calendar: BusinessCalendar) -> timedelta:
        return self.duration if self.duration is not None else calendar.working_day_length * self.working_days

    @classmethod
    def from_config(
        cls, name: str, cfg: dict[str, Any], default_ratio: float = 0.75, default_calendar: str = DEFAULT_CALENDAR
    ) -> TargetSpec:
        """``{"hours": 1}``, ``{"minutes": 5}``, ``{"working_hours": 4}`` or ``{"working_days": 3}``,
        optionally with ``"at_risk_ratio"`` and ``"calendar"``; the unit decides the clock."""
        units = [u for u in _UNITS if u in cfg]
        unknown = set(cfg) - set(_UNITS) - {"at_risk_ratio", "calendar"}
        if len(units) != 1 or unknown:
            raise ValueError(f"target {name}: give exactly one of {sorted(_UNITS)} (got {sorted(cfg)})")
        unit, ratio = units[0], float(cfg.get("at_risk_ratio", default_ratio))
        calendar = str(cfg.get("calendar", default_calendar))
        if unit == "working_days":
            return cls(name, None, "business", ratio, working_days=float(cfg[unit]), calendar=calendar)
        hours = cfg[unit] / 60 if unit == "minutes" else cfg[unit]
        return cls(name, timedelta(hours=hours), _UNITS[unit], ratio, calendar=calendar)


@dataclass(frozen=True)
class SlaPolicy:
    """The targets that apply to one case, and the rule ids they came from (for audit)."""

    targets: tuple[TargetSpec, ...]
    rules: tuple[str, ...] = ()

    def target(self, name: str) -> TargetSpec | None:
        return next((t for t in self.targets if t.name == name), None)


@dataclass(frozen=True)
class _Rule:
    id: str
    match: dict[str, str]
    targets: dict[str, TargetSpec | None]

    @property
    def specificity(self) -> int:
        return len(self.match)


@dataclass(frozen=True)
class PolicyMatrix:
    """Chooses the SlaPolicy for (kind, severity, tier, channel); config is data, not code (R-23..R-26)."""

    rules: tuple[_Rule, ...]

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> PolicyMatrix:
        default_ratio = float(config.get("at_risk_ratio", 0.75))
        rules = []
        for i, raw in enumerate(config.get("rules", [])):
            rid = str(raw.get("id", f"rule-{i}"))
            match = {k: v for k, v in (raw.get("match") or {}).items() if v != "*"}
            for key, value in match.items():
                if key not in DIMENSIONS or value not in DIMENSIONS[key]:
                    raise ValueError(
                        f"rule {rid}: match {key}={value!r} is not one of {DIMENSIONS.get(key, list(DIMENSIONS))}"
                    )
            # a rule's "calendar" applies to its business-time targets unless one names its own
            rule_calendar = str(raw.get("calendar", DEFAULT_CALENDAR))
            targets = {
                name: None if cfg is None else TargetSpec.from_config(name, cfg, default_ratio, rule_calendar)
                for name, cfg in (raw.get("targets") or {}).items()
            }
            rules.append(_Rule(rid, match, targets))
        return cls(tuple(rules))

    def policy_for(
        self, kind: str, severity: str = "normal", tier: str | None = "unknown", channel: str | None = None
    ) -> SlaPolicy:
        case = {"kind": kind, "severity": severity, "tier": tier or "unknown", "channel": channel}
        for key, value in case.items():
            if value not in DIMENSIONS[key] and not (key == "channel" and value is None):
                raise ValueError(f"{key} {value!r} is not one of {DIMENSIONS[key]}")
        matching = [r for r in self.rules if all(case[k] == v for k, v in r.match.items())]
        merged: dict[str, TargetSpec | None] = {}
        # stable sort keeps declaration order within a specificity, so the later rule wins ties
        for rule in sorted(matching, key=lambda r: r.specificity):
            merged.update(rule.targets)
        targets = tuple(merged[n] for n in TARGETS if merged.get(n) is not None)
        return SlaPolicy(targets, tuple(r.id for r in sorted(matching, key=lambda r: r.specificity)))

    def calendars(self) -> set[str]:
        """Every calendar a business-time target names (checked against the known calendars at start-up)."""
        return {t.calendar for r in self.rules for t in r.targets.values() if t is not None and t.clock == "business"}


def default_policy_matrix() -> PolicyMatrix:
    return PolicyMatrix.from_config(DEFAULT_POLICY_CONFIG)


@dataclass(frozen=True)
class ClockEvent:
    """One entry of a case's SLA history; ``kind`` is received | paused | resumed | policy_changed | met."""

    at: datetime
    kind: Literal["received", "paused", "resumed", "policy_changed", "met"]
    target: str | None = None  # met: which target
    case_kind: str | None = None  # received / policy_changed: the policy keys (None = unchanged)
    severity: str | None = None
    tier: str | None = None
    channel: str | None = None

    @classmethod
    def received(
        cls, at: datetime, case_kind: str, severity: str = "normal", tier: str = "unknown", channel: str | None = None
    ) -> ClockEvent:
        return cls(at, "received", case_kind=case_kind, severity=severity, tier=tier, channel=channel)

    @classmethod
    def paused(cls, at: datetime) -> ClockEvent:
        return cls(at, "paused")

    @classmethod
    def resumed(cls, at: datetime) -> ClockEvent:
        return cls(at, "resumed")

    @classmethod
    def policy_changed(
        cls,
        at: datetime,
        *,
        case_kind: str | None = None,
        severity: str | None = None,
        tier: str | None = None,
        channel: str | None = None,
    ) -> ClockEvent:
        return cls(at, "policy_changed", case_kind=case_kind, severity=severity, tier=tier, channel=channel)

    @classmethod
    def met(cls, at: datetime, target: str) -> ClockEvent:
        return cls(at, "met", target=target)


@dataclass(frozen=True)
class TargetStatus:
    name: str
    clock: Clock
    deadline: datetime  # UTC; while paused: as if resumed now
    state: str  # on_track | at_risk | breached | met
    used_ratio: float  # clock time used / budget, at met_at when met, else at now
    at_risk_at: datetime  # when used_ratio reaches at_risk_ratio (UTC)
    met_at: datetime | None = None
    breached_at: datetime | None = None  # == deadline when breached
    paused: bool = False
    calendar: str = DEFAULT_CALENDAR
    provisional: bool = False  # the deadline depends on a year the business calendar does not cover
    unknown_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Case:
    received_at: datetime
    keys: dict[str, str | None]
    pauses: tuple[tuple[datetime, datetime | None], ...]  # [start, end) ; end None = still paused
    met: dict[str, datetime]


def _replay(history: list[ClockEvent], now: datetime) -> _Case:
    events = sorted((e for e in history if _utc(e.at, "event.at") <= now), key=lambda e: e.at)
    if not events or events[0].kind != "received":
        raise ValueError("history must start with a 'received' event at or before now")
    first = events[0]
    keys = {
        "kind": first.case_kind,
        "severity": first.severity or "normal",
        "tier": first.tier or "unknown",
        "channel": first.channel,
    }
    pauses: list[tuple[datetime, datetime | None]] = []
    met: dict[str, datetime] = {}
    for e in events[1:]:
        at = e.at.astimezone(UTC)
        if e.kind == "paused" and not (pauses and pauses[-1][1] is None):  # a second pause is a no-op
            pauses.append((at, None))
        elif e.kind == "resumed" and pauses and pauses[-1][1] is None:  # a resume without a pause is a no-op
            pauses[-1] = (pauses[-1][0], at)
        elif e.kind == "policy_changed":
            keys.update(
                {
                    k: v
                    for k, v in (
                        ("kind", e.case_kind),
                        ("severity", e.severity),
                        ("tier", e.tier),
                        ("channel", e.channel),
                    )
                    if v is not None
                }
            )
        elif e.kind == "met":
            if e.target not in TARGETS:
                raise ValueError(f"met event: target {e.target!r} is not one of {TARGETS}")
            met.setdefault(e.target, at)  # the first met counts: a met target stays met
        elif e.kind == "received":
            raise ValueError("a case is received only once")
    return _Case(first.at.astimezone(UTC), keys, tuple(pauses), met)


class _Meter:
    """Measures and advances one clock (wall or business) over the case's running (unpaused) time."""

    def __init__(
        self,
        clock: Clock,
        calendar: BusinessCalendar | None,
        received: datetime,
        pauses: tuple[tuple[datetime, datetime | None], ...],
        stop: datetime,
    ):
        self.clock, self.calendar = clock, calendar
        # running intervals [a, b) up to the stop time; b None = open ended. An open pause ends at stop.
        bounds, cursor = [], received
        for p_start, p_end in pauses:
            if p_start >= stop:
                break
            bounds.append((cursor, p_start))
            cursor = max(cursor, min(p_end or stop, stop))  # the clock stops at ``stop`` anyway
        self.running = [(a, b) for a, b in bounds if b > a] + [(cursor, None)]
        self.stop = stop

    def _measure(self, a: datetime, b: datetime) -> timedelta:
        return b - a if self.clock == "wall" else self.calendar.working_time_between(a, b)

    def _advance(self, a: datetime, d: timedelta) -> datetime:
        return a + d if self.clock == "wall" else self.calendar.add_working_time(a, d)

    def when_used(self, budget: timedelta) -> datetime:
        """The moment when ``budget`` of running clock time has been used (the budget's deadline)."""
        remaining = budget
        for a, b in self.running:
            capacity = self._measure(a, b) if b is not None else None
            if capacity is None or remaining <= capacity:
                return self._advance(a, remaining)
            remaining -= capacity
        raise AssertionError("unreachable")  # the last interval is open ended

    def used(self) -> timedelta:
        return sum(
            (self._measure(a, min(b or self.stop, self.stop)) for a, b in self.running if a < self.stop), timedelta()
        )


Calendars = BusinessCalendar | CalendarBook


def _calendar(calendars: Calendars, name: str) -> BusinessCalendar:
    return calendars if isinstance(calendars, BusinessCalendar) else calendars.calendar(name)


def evaluate(
    history: list[ClockEvent],
    policy_matrix: PolicyMatrix,
    calendars: Calendars,
    now: datetime,
    only: set[str] | None = None,
) -> dict[str, TargetStatus]:
    """Each target's deadline and state at ``now`` (R-23 first response, R-24 report, R-25 resolution,
    R-26 serious complaints tighter). Recomputed from the full history every time, so it is idempotent.
    ``calendars`` is the company's calendar book (each business target on its named calendar) or one calendar
    for all. A business deadline that depends on a year no calendar source covers is marked provisional.
    ``only`` limits the work to the named targets (the evaluator re-checks single due targets)."""
    now = _utc(now, "now")
    case = _replay(history, now)
    k = case.keys
    policy = policy_matrix.policy_for(k["kind"], k["severity"], k["tier"], k["channel"])
    paused_now = bool(case.pauses) and case.pauses[-1][1] is None
    out: dict[str, TargetStatus] = {}
    for spec in policy.targets:
        if only is not None and spec.name not in only:
            continue
        met_at = case.met.get(spec.name)
        calendar = _calendar(calendars, spec.calendar)
        meter = _Meter(spec.clock, calendar, case.received_at, case.pauses, met_at or now)
        budget = spec.budget(calendar)
        deadline, at_risk_at = meter.when_used(budget), meter.when_used(budget * spec.at_risk_ratio)
        unknown = tuple(calendar.unknown_years(case.received_at, deadline)) if spec.clock == "business" else ()
        used_ratio = meter.used() / budget
        if met_at is not None:
            state = "met" if met_at <= deadline else "breached"
        elif now >= deadline:
            state = "breached"
        else:
            state = "at_risk" if now >= at_risk_at else "on_track"
        out[spec.name] = TargetStatus(
            spec.name,
            spec.clock,
            deadline,
            state,
            used_ratio,
            at_risk_at,
            met_at,
            breached_at=deadline if state == "breached" else None,
            paused=paused_now and met_at is None,
            calendar=spec.calendar,
            provisional=bool(unknown),
            unknown_years=unknown,
        )
    return out


def next_due_at(statuses: dict[str, TargetStatus]) -> datetime | None:
    """The earliest moment a state changes by itself (on_track -> at_risk -> breached), for the due row.

    Met, breached and paused targets change only on a new event, which triggers a fresh evaluation."""
    moments = [
        s.at_risk_at if s.state == "on_track" else s.deadline
        for s in statuses.values()
        if s.state in ("on_track", "at_risk") and not s.paused
    ]
    return min(moments, default=None)


def _elapsed_seconds(history: list[ClockEvent], target: str) -> float | None:
    """Wall-clock seconds from receipt to the target's first met, without paused time."""
    met = [e.at for e in history if e.kind == "met" and e.target == target]
    if not met:
        return None
    stop = _utc(min(met), "met.at")
    case = _replay(history, stop)
    return _Meter("wall", None, case.received_at, case.pauses, stop).used().total_seconds()


def first_response_seconds(history: list[ClockEvent]) -> float | None:
    """R-23 metric: wall seconds to the first response (pauses excluded); None until responded."""
    return _elapsed_seconds(history, "first_response")


def resolution_seconds(history: list[ClockEvent]) -> float | None:
    """R-25 metric: wall seconds to resolution (pauses excluded); None until resolved."""
    return _elapsed_seconds(history, "resolution")


__all__ = [
    "CHANNELS",
    "DEFAULT_POLICY_CONFIG",
    "KINDS",
    "SEVERITIES",
    "STATES",
    "TARGETS",
    "TIERS",
    "ClockEvent",
    "PolicyMatrix",
    "SlaPolicy",
    "TargetSpec",
    "TargetStatus",
    "default_policy_matrix",
    "evaluate",
    "first_response_seconds",
    "next_due_at",
    "resolution_seconds",
]
