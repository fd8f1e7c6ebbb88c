"""The event -> message mapping (R-41) as data: triggers.yaml in this package, validated at start."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter

from contracts.events.customer import MessageChannel, Purpose
from contracts.registry import event_model


class Trigger(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str
    audience: Literal["customer", "owner", "roles"]
    purpose: Purpose
    channels: list[MessageChannel] | None = None  # None: the template's default channels
    open_case: bool = False


def parse(text: str) -> dict[str, Trigger]:
    """Parse and validate a mapping; every key must be a known event type."""
    triggers = TypeAdapter(dict[str, Trigger]).validate_python(yaml.safe_load(text) or {})
    for event_type in triggers:
        event_model(event_type)  # KeyError for an event type nobody publishes
    return triggers


@cache
def triggers() -> dict[str, Trigger]:
    return parse(resources.files("notifier.delivery").joinpath("triggers.yaml").read_text(encoding="utf-8"))
