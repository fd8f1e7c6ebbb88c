"""Names on the broker: one topic exchange, `<service>.<purpose>` quorum queues, `<service>.dlq`.

Every service declares the whole topology at start-up (not only its own queues),
so an event published before its consumer has ever started is still routed and
kept, never dropped as unroutable.
"""

from __future__ import annotations

from dataclasses import dataclass

EXCHANGE = "crm.events"
DEFAULT_DELIVERY_LIMIT = 5


def queue_name(service: str, purpose: str) -> str:
    return f"{service}.{purpose}"


def dead_letter_queue(service: str) -> str:
    return f"{service}.dlq"


@dataclass(frozen=True)
class Subscription:
    """A consuming service's queue and the event types bound to it."""

    service: str
    purpose: str
    event_types: tuple[str, ...]

    @property
    def queue(self) -> str:
        return queue_name(self.service, self.purpose)

    @property
    def dead_letter_queue(self) -> str:
        return dead_letter_queue(self.service)


# Who consumes what. A new consumer adds its line here, so every producer routes to it.
SUBSCRIPTIONS: tuple[Subscription, ...] = (
    # engagement's read model of customers (R-11 segments, R-08 owners); merge re-points, erasure clears free text
    Subscription(
        "engagement",
        "customer-events",
        (
            "customer.registered.v1",
            "customer.classified.v1",
            "customer.owner_assigned.v1",
            "customer.tags_changed.v1",
            "customer.risk_changed.v1",
            "customer.merged.v1",
            "customer.erased.v1",
        ),
    ),
    # R-11/R-12 "has an open complaint" segment; R-16 cases received or closed are interactions
    Subscription("engagement", "case-events", ("case.received.v1", "case.closed.v1")),
    # R-16 a survey response is an interaction; R-35 a low score is a recovery to-do for the account owner
    Subscription("engagement", "survey-events", ("survey.response_recorded.v1", "survey.low_score_recorded.v1")),
    # rule 7: every service that computes working time keeps its copy of the company calendar (R-15 to-dos)
    Subscription("engagement", "calendar", ("calendar.changed.v1",)),
    # the complaints service's local read model of customers (name, tier, owner, time zone)
    Subscription(
        "complaints",
        "customer-events",
        (
            "customer.registered.v1",
            "customer.updated.v1",
            "customer.classified.v1",
            "customer.owner_assigned.v1",
            "customer.merged.v1",
            "customer.erased.v1",
        ),
    ),
    # a complaint asked for in a survey opens a case (origin survey)
    Subscription("complaints", "survey-events", ("survey.complaint_requested.v1",)),
    # figures that re-derive the value tier (orders from other systems, complaints, survey scores)
    Subscription(
        "customer", "figures", ("order.figures_reported.v1", "case.received.v1", "survey.response_recorded.v1")
    ),
    # R-14 need changes -> need tags or pending key-information changes; R-16 last contact
    Subscription("customer", "engagement-events", ("communication.need_changed.v1", "last_interaction.changed.v1")),
    # an unsubscribe link used in the notifier withdraws the consent of record
    Subscription("customer", "consent", ("notification.unsubscribed.v1",)),
    # the notifier's recipient list: contact points, language, time zone, consent, owner and team; erasure
    Subscription(
        "notifier",
        "customer-events",
        (
            "customer.registered.v1",
            "customer.updated.v1",
            "customer.owner_assigned.v1",
            "customer.contacts_changed.v1",
            "customer.consent_changed.v1",
            "customer.merged.v1",
            "customer.erased.v1",
        ),
    ),
    # the surveys service's read model of customers (segments, owner, consent); erasure
    Subscription(
        "surveys",
        "customer-events",
        (
            "customer.registered.v1",
            "customer.updated.v1",
            "customer.classified.v1",
            "customer.owner_assigned.v1",
            "customer.tags_changed.v1",
            "customer.consent_changed.v1",
            "customer.merged.v1",
            "customer.erased.v1",
        ),
    ),
    # who handles each case, and its end (closed, signed off) invites the customer to rate the staff
    Subscription(
        "surveys",
        "case-events",
        (
            "case.received.v1",
            "case.acknowledged.v1",
            "case.assigned.v1",
            "case.closed.v1",
            "service_request.dispatched.v1",
            "service_request.signed_off.v1",
        ),
    ),
    # the explicit command any system may publish
    Subscription("notifier", "requests", ("notification.requested.v1",)),
    # domain events that trigger messages (the mapping itself is data in the notifier)
    Subscription(
        "notifier",
        "domain-events",
        (
            "case.acknowledged.v1",
            "case.investigation_reported.v1",
            "case.resolved.v1",
            "case.escalated.v1",
            "case.sla_at_risk.v1",
        ),
    ),
    # staff contact points and supervisors from the gateway's staff directory, for messages to staff
    Subscription("notifier", "staff-events", ("staff.registered.v1", "staff.updated.v1", "staff.disabled.v1")),
)


def subscription(service: str, purpose: str) -> Subscription:
    for sub in SUBSCRIPTIONS:
        if sub.service == service and sub.purpose == purpose:
            return sub
    raise KeyError(f"no subscription {service}.{purpose} in contracts.topology")
