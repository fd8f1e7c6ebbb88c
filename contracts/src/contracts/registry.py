"""Event type -> model, the single lookup producers, consumers and the AsyncAPI generator use."""

from __future__ import annotations

from contracts.envelope import Event
from contracts.events import calendar, cases, customer, engagement, notification, orders, staff, surveys

_MODULES = (customer, cases, orders, notification, calendar, surveys, staff, engagement)


def _collect() -> dict[str, type[Event]]:
    found: dict[str, type[Event]] = {}
    for module in _MODULES:
        for value in vars(module).values():
            # only concrete events: bases without an event_type of their own are skipped
            if isinstance(value, type) and issubclass(value, Event) and "event_type" in vars(value):
                found[value.event_type] = value
    return dict(sorted(found.items()))


EVENT_TYPES: dict[str, type[Event]] = _collect()


def event_model(event_type: str) -> type[Event]:
    try:
        return EVENT_TYPES[event_type]
    except KeyError:
        raise KeyError(f"unknown event type {event_type!r}") from None
