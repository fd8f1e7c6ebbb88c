"""What CRM services and other internal systems agree on: the envelope, the topology, the events."""

from contracts.envelope import Envelope, Event
from contracts.registry import EVENT_TYPES, event_model

__all__ = ["EVENT_TYPES", "Envelope", "Event", "event_model"]
