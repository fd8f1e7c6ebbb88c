"""The trigger mapping (R-41) is data, validated at start."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from notifier.delivery import triggers


def test_the_trigger_mapping_is_validated() -> None:
    mapping = triggers.triggers()
    assert mapping["case.acknowledged.v1"].audience == "customer"
    assert mapping["case.escalated.v1"].audience == "roles"
    with pytest.raises(ValidationError):
        triggers.parse("case.resolved.v1: {template: x, audience: everybody, purpose: service}")
    with pytest.raises(ValidationError):
        triggers.parse("case.resolved.v1: {template: x, audience: customer, purpose: spam}")
    with pytest.raises(KeyError):
        triggers.parse("case.nonexistent.v1: {template: x, audience: customer, purpose: service}")
