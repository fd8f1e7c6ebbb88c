"""The cadence engine, pure: segment facts + policy + time -> contact obligations. No I/O; the clock is passed in.

A rule says which customers it applies to (`when`: segment facts, every listed field must match), how many contacts
per period and of which kinds. Every matching rule applies; in crisis mode the crisis rules replace them (R-11, the
epidemic rules). A per-customer override (R-19) lowers whatever applies: a longer period, fewer contacts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PERIODS = ("week", "month", "quarter", "half_year", "year")
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
CYCLE_NAMES = {
    "week": "weekly",
    "month": "monthly",
    "quarter": "quarterly",
    "half_year": "half-yearly",
    "year": "yearly",
}
PERIOD_ORDER = {p: i for i, p in enumerate(PERIODS)}

# R-13 channels, and the kinds of contact a cadence asks for: a channel counts for every kind that lists it
CHANNELS = ("phone", "im", "email", "sms", "online_meeting", "video", "visit")
KINDS: dict[str, frozenset[str]] = {
    "any": frozenset(CHANNELS),
    "phone": frozenset({"phone"}),
    "online": frozenset({"im", "email", "online_meeting", "video"}),
    "in_depth": frozenset({"visit", "video", "online_meeting"}),
    "visit": frozenset({"visit"}),
}
FACT_FIELDS = ("customer_type", "stage", "tier", "service_level", "risk_state", "tags", "open_complaint")

# what to talk about, by focus
FOCUS = {
    "new": ("build trust, settle the cooperation details", "usage feedback, problem solving, cooperation suggestions"),
    "old": ("raise satisfaction, find further cooperation", "business progress, new services, needs mining"),
    "complaining": ("restore trust", "complaint progress, solution confirmation, compensation plan"),
}


@dataclass(frozen=True)
class CustomerFacts:
    """The segment as this service knows it (R-02, R-03, R-04, R-07, open complaints)."""

    customer_type: str
    stage: str
    tier: str
    service_level: str
    risk_state: str = "normal"
    tags: tuple[str, ...] = ()
    open_complaint: bool = False
    registered_at: datetime | None = None

    def matches(self, when: dict[str, list[str] | bool]) -> bool:
        for name, wanted in when.items():
            value = getattr(self, name)
            if isinstance(wanted, bool):
                if value != wanted:
                    return False
            elif name == "tags":
                if not set(wanted).intersection(value):
                    return False
            elif value not in wanted:
                return False
        return True


@dataclass(frozen=True)
class CadenceRule:
    name: str
    when: dict[str, list[str] | bool]
    period: str
    contacts: int
    kinds: tuple[str, ...] = ("any",)


@dataclass(frozen=True)
class Policy:
    rules: tuple[CadenceRule, ...]
    crisis_rules: tuple[CadenceRule, ...]
    onboarding_days: int = 7
    anniversary_days: int = 7  # the milestone contact falls within this many days either side of the anniversary
    zone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Override:
    """R-19: the owner lowered the cadence for one customer; `until` None = for good."""

    period: str
    contacts: int
    until: date | None = None

    def active(self, on: date) -> bool:
        return self.until is None or on <= self.until


@dataclass(frozen=True)
class PlannedObligation:
    rule: str
    window_start: datetime
    window_end: datetime
    contacts: int
    kinds: tuple[str, ...]
    period: str
    focus: str
    channel: str

    @property
    def key(self) -> tuple[str, datetime, datetime, int, tuple[str, ...], str]:
        """Two obligations with one key are the same; any other change (e.g. the R-12 focus) replaces it."""
        return (self.rule, self.window_start, self.window_end, self.contacts, self.kinds, self.focus)


# The seed's defaults (客户关系管理维护操作指南, 沟通频率): new customers monthly, stable ones a quarterly in-depth
# visit, high-value customers twice a month by phone and online; in a crisis weekly, key customers twice a week.
DEFAULT_POLICY = Policy(
    rules=(
        CadenceRule("new", {"stage": ["contact", "cooperation"]}, "month", 1, ("any",)),
        CadenceRule("stable", {"stage": ["stable"]}, "quarter", 1, ("in_depth",)),
        CadenceRule("high_value", {"tier": ["high"]}, "month", 2, ("phone", "online")),
    ),
    crisis_rules=(
        CadenceRule("crisis", {}, "week", 1, ("any",)),
        CadenceRule("crisis_key", {"customer_type": ["strategic"]}, "week", 2, ("any",)),
        CadenceRule("crisis_key", {"tier": ["high"]}, "week", 2, ("any",)),
    ),
)


def focus_of(facts: CustomerFacts) -> str:
    """R-12: a customer with an open complaint first, then a stable (long-standing) one, else new."""
    if facts.open_complaint:
        return "complaining"
    return "old" if facts.stage == "stable" else "new"


def channel_for(kinds: tuple[str, ...], focus: str) -> str:
    """R-13: routine contact by phone or IM; a complaint (an important matter) by video or a visit."""
    if focus == "complaining":
        return "video"
    if "in_depth" in kinds or "visit" in kinds:
        return "visit"
    if kinds and kinds[0] == "online":
        return "im"
    return "phone"


def window(period: str, at: datetime, zone: str) -> tuple[datetime, datetime]:
    """The period containing `at`, as local calendar weeks (Monday first), months, quarters..., in UTC."""
    tz = ZoneInfo(zone)
    day = at.astimezone(tz).date()
    if period == "week":
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=7)
    else:
        months = PERIOD_MONTHS[period]
        first = (day.month - 1) // months * months + 1
        start = date(day.year, first, 1)
        after = first - 1 + months
        end = date(day.year + after // 12, after % 12 + 1, 1)
    return _midnight(start, tz), _midnight(end, tz)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz).astimezone(UTC)


def _lowered(rule: CadenceRule, override: Override | None, on: date) -> CadenceRule:
    if override is None or not override.active(on):
        return rule
    period = max(rule.period, override.period, key=PERIOD_ORDER.__getitem__)
    contacts = min(rule.contacts, override.contacts)
    return CadenceRule(rule.name, rule.when, period, contacts, rule.kinds[:contacts] or ("any",))


def obligations_for(
    facts: CustomerFacts, policy: Policy, *, now: datetime, crisis: bool, override: Override | None = None
) -> list[PlannedObligation]:
    """The obligations whose window contains `now` (plus the onboarding call and the anniversary when due)."""
    today = now.astimezone(ZoneInfo(policy.zone)).date()
    focus = focus_of(facts)
    chosen: dict[str, CadenceRule] = {}
    for rule in policy.crisis_rules if crisis else policy.rules:
        if facts.matches(rule.when):
            chosen[rule.name] = rule  # a later rule of the same name (e.g. two ways to be a key customer) wins
    planned = []
    for rule in chosen.values():
        rule = _lowered(rule, override, today)
        start, end = window(rule.period, now, policy.zone)
        planned.append(
            PlannedObligation(
                rule.name, start, end, rule.contacts, rule.kinds, rule.period, focus, channel_for(rule.kinds, focus)
            )
        )
    planned.extend(_milestones(facts, policy, now, focus))
    return planned


def _milestones(facts: CustomerFacts, policy: Policy, now: datetime, focus: str) -> list[PlannedObligation]:
    if facts.registered_at is None:
        return []
    found = []
    onboarding_end = facts.registered_at + timedelta(days=policy.onboarding_days)
    if facts.registered_at <= now < onboarding_end:  # a phone call within a week of the first cooperation
        found.append(
            PlannedObligation("onboarding", facts.registered_at, onboarding_end, 1, ("phone",), "once", "new", "phone")
        )
    if facts.stage == "stable":  # a contact on the anniversary of the first cooperation
        span = timedelta(days=policy.anniversary_days)
        for year in (now.year - 1, now.year, now.year + 1):
            anniversary = _anniversary(facts.registered_at, year)
            if (
                anniversary is not None
                and anniversary - span <= now < anniversary + span
                and year > facts.registered_at.year
            ):
                found.append(
                    PlannedObligation(
                        "anniversary", anniversary - span, anniversary + span, 1, ("any",), "year", focus, "phone"
                    )
                )
    return found


def _anniversary(first: datetime, year: int) -> datetime | None:
    try:
        return first.replace(year=year)
    except ValueError:  # 29 February
        return first.replace(year=year, day=28)


@dataclass
class Tally:
    """The contacts logged inside one obligation's window, by channel."""

    channels: list[str] = field(default_factory=list)


def fulfilled(contacts: int, kinds: tuple[str, ...] | list[str], channels: list[str]) -> bool:
    """Met when enough contacts were logged and each required kind was covered by a different contact."""
    if len(channels) < contacts:
        return False
    remaining = list(channels)
    for kind in kinds:
        if kind == "any":
            continue
        match = next((c for c in remaining if c in KINDS[kind]), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def parse_rule(data: dict[str, object]) -> CadenceRule:
    """A rule from its stored or submitted form; raises ValueError naming the field."""
    name = str(data.get("name") or "")
    if not name:
        raise ValueError("name: required")
    period = str(data.get("period"))
    if period not in PERIODS:
        raise ValueError(f"period: one of {', '.join(PERIODS)}")
    contacts = data.get("contacts")
    if not isinstance(contacts, int) or not 1 <= contacts <= 31:
        raise ValueError("contacts: an integer from 1 to 31")
    kinds = tuple(str(k) for k in data.get("kinds") or ("any",))  # type: ignore[attr-defined]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"kinds: unknown {unknown}; known: {', '.join(KINDS)}")
    when = data.get("when") or {}
    if not isinstance(when, dict) or any(k not in FACT_FIELDS for k in when):
        raise ValueError(f"when: keys among {', '.join(FACT_FIELDS)}")
    return CadenceRule(name, dict(when), period, contacts, kinds)


def rule_data(rule: CadenceRule) -> dict[str, object]:
    return {
        "name": rule.name,
        "when": rule.when,
        "period": rule.period,
        "contacts": rule.contacts,
        "kinds": list(rule.kinds),
    }
