"""The envelope and the registry: what every producer and consumer relies on."""

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from contracts import EVENT_TYPES, Envelope
from contracts.events.customer import CustomerMergedV1

EVENT_TYPE = re.compile(r"^(?P<aggregate>[a-z][a-z_]*)\.(?P<name>[a-z][a-z_]*)\.v(?P<version>[1-9][0-9]*)$")


def _wrap(**overrides):
    event = CustomerMergedV1(survivor_id="c-1", merged_id="c-2")
    return Envelope.wrap(event, **{"producer": "customer", "aggregate_id": "c-1", "aggregate_version": 3, **overrides})


def test_wrap_and_payload_round_trip_through_json():
    sent = _wrap(correlation_id="req-1")
    received = Envelope.model_validate_json(sent.model_dump_json())
    assert received == sent
    assert received.type == "customer.merged.v1"
    assert received.payload() == CustomerMergedV1(survivor_id="c-1", merged_id="c-2")


def test_occurred_at_is_normalized_to_utc():
    beijing = timezone(timedelta(hours=8))
    envelope = _wrap(occurred_at=datetime(2026, 1, 5, 16, 0, tzinfo=beijing))
    assert envelope.occurred_at == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert envelope.occurred_at.utcoffset() == timedelta(0)


def test_naive_occurred_at_is_rejected():
    with pytest.raises(ValidationError):
        _wrap(occurred_at=datetime(2026, 1, 5, 16, 0))


def test_unknown_event_type_raises_key_error():
    envelope = Envelope(
        id=uuid.uuid4(),
        type="customer.vanished.v1",
        occurred_at=datetime.now(UTC),
        producer="customer",
        aggregate_id="c-1",
        aggregate_version=1,
        data={},
    )
    with pytest.raises(KeyError, match="customer.vanished.v1"):
        envelope.payload()


def test_registry_event_types_are_versioned_and_named_after_their_aggregate():
    assert EVENT_TYPES
    for event_type, model in EVENT_TYPES.items():
        match = EVENT_TYPE.match(event_type)
        assert match, f"{event_type!r} must look like <aggregate>.<name>.v<N>"
        assert model.event_type == event_type
        assert match["aggregate"] == model.aggregate, f"{event_type!r} must start with {model.aggregate!r}"
