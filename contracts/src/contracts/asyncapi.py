"""The AsyncAPI 3.0.0 document of `crm.events`, generated from the models and committed as contracts/asyncapi.json.

`python -m contracts.asyncapi` rewrites the file; `--check` fails when it drifted from the code (CI runs it).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from contracts.envelope import Envelope
from contracts.registry import EVENT_TYPES
from contracts.topology import DEFAULT_DELIVERY_LIMIT, EXCHANGE, SUBSCRIPTIONS, Subscription

# Bump when the document changes in a way readers should notice; event versions live in the types.
DOCUMENT_VERSION = "1.0.0"
DOCUMENT_PATH = Path(__file__).resolve().parents[2] / "asyncapi.json"
AMQP_BINDING_VERSION = "0.3.0"
SCHEMA_REF = "#/components/schemas/{model}"


def _channel_ref(channel: str) -> dict[str, str]:
    return {"$ref": f"#/channels/{channel}"}


def _message_ref(channel: str, event_type: str) -> dict[str, str]:
    # Operations may only point at messages of their own channel (AsyncAPI 3).
    return {"$ref": f"#/channels/{channel}/messages/{event_type}"}


def _schemas() -> tuple[dict[str, Any], dict[str, dict[str, str]], dict[str, Any]]:
    """(envelope schema, event type -> $ref of its data schema, shared component schemas)."""
    models: list[type[BaseModel]] = [Envelope, *EVENT_TYPES.values()]
    # One pass over all models so shared enums get one name and one definition.
    refs, document = models_json_schema([(model, "validation") for model in models], ref_template=SCHEMA_REF)
    shared = document["$defs"]
    envelope = shared.pop("Envelope")
    data_refs = {event_type: refs[(model, "validation")] for event_type, model in EVENT_TYPES.items()}
    return envelope, data_refs, shared


def _payload(envelope: dict[str, Any], event_type: str, data_ref: dict[str, str]) -> dict[str, Any]:
    payload = copy.deepcopy(envelope)
    payload["title"] = f"{event_type} envelope"
    payload["properties"]["type"]["const"] = event_type
    payload["properties"]["data"] = dict(data_ref)
    return payload


def _message(event_type: str, envelope: dict[str, Any], data_ref: dict[str, str]) -> dict[str, Any]:
    model = EVENT_TYPES[event_type]
    return {
        "name": event_type,
        "title": model.__name__,
        "summary": (model.__doc__ or event_type).strip().splitlines()[0],
        "description": (
            f"Envelope whose `data` is a `{model.__name__}`. AMQP properties: `message_id` = envelope `id`, "
            "`content_type` application/json, persistent delivery."
        ),
        "contentType": "application/json",
        "correlationId": {"$ref": "#/components/correlationIds/envelope"},
        "payload": _payload(envelope, event_type, data_ref),
    }


def _event_channel(event_type: str) -> dict[str, Any]:
    return {
        "address": event_type,
        "description": f"Routing key `{event_type}` on the topic exchange `{EXCHANGE}`.",
        "messages": {event_type: {"$ref": f"#/components/messages/{event_type}"}},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {"name": EXCHANGE, "type": "topic", "durable": True, "autoDelete": False},
                "bindingVersion": AMQP_BINDING_VERSION,
            }
        },
    }


def _queue_description(sub: Subscription) -> str:
    keys = ", ".join(f"`{t}`" for t in sub.event_types)
    return (
        f"Durable quorum queue of `{sub.service}`, bound to `{EXCHANGE}` with {keys}. A message that fails "
        f"{DEFAULT_DELIVERY_LIMIT} deliveries is dead-lettered to `{sub.dead_letter_queue}`."
    )


def _queue_channel(sub: Subscription) -> dict[str, Any]:
    return {
        "address": sub.queue,
        "description": _queue_description(sub),
        "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in sub.event_types},
        "bindings": {
            "amqp": {
                "is": "queue",
                "queue": {"name": sub.queue, "durable": True, "exclusive": False, "autoDelete": False},
                "bindingVersion": AMQP_BINDING_VERSION,
                # The binding has no field for these broker arguments; extensions keep them machine-readable.
                "x-queue-type": "quorum",
                "x-delivery-limit": DEFAULT_DELIVERY_LIMIT,
                "x-dead-letter-queue": sub.dead_letter_queue,
                "x-routing-keys": list(sub.event_types),
            }
        },
    }


def build_document() -> dict[str, Any]:
    envelope, data_refs, shared = _schemas()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for event_type in EVENT_TYPES:
        channels[event_type] = _event_channel(event_type)
        operations[f"publish.{event_type}"] = {
            "action": "send",
            "channel": _channel_ref(event_type),
            "messages": [_message_ref(event_type, event_type)],
            "summary": f"The service owning `{EVENT_TYPES[event_type].aggregate}` publishes `{event_type}`.",
            "description": "Only the outbox relay publishes, with publisher confirms and mandatory routing.",
            "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": AMQP_BINDING_VERSION}},
        }
    for sub in SUBSCRIPTIONS:
        unknown = [t for t in sub.event_types if t not in EVENT_TYPES]
        if unknown or sub.queue in channels:
            raise ValueError(f"subscription {sub.queue}: unknown event types {unknown} or name clash with a channel")
        channels[sub.queue] = _queue_channel(sub)
        operations[sub.queue] = {
            "action": "receive",
            "channel": _channel_ref(sub.queue),
            "messages": [_message_ref(sub.queue, t) for t in sub.event_types],
            "summary": f"`{sub.service}` consumes from `{sub.queue}` ({sub.purpose}).",
            "description": _queue_description(sub) + " Consumers deduplicate on `id` and ack after commit.",
            "bindings": {"amqp": {"ack": True, "bindingVersion": AMQP_BINDING_VERSION}},
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "CRM events",
            "version": DOCUMENT_VERSION,
            "description": (
                f"Events the CRM services publish on the durable topic exchange `{EXCHANGE}`; "
                "the routing key is the event type. Generated from `contracts` by `python -m contracts.asyncapi`."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "rabbitmq": {
                "host": "localhost:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": (
                    "RabbitMQ; local default `amqp://guest:guest@localhost:5672/`, a 3-node cluster in production."
                ),
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": shared,
            "messages": {t: _message(t, envelope, data_refs[t]) for t in EVENT_TYPES},
            "correlationIds": {
                "envelope": {
                    "description": "Id of the request or event that caused this one.",
                    "location": "$message.payload#/correlation_id",
                }
            },
        },
    }


def render(document: dict[str, Any]) -> str:
    # Sorted keys and a trailing newline keep the committed file byte-stable.
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contracts.asyncapi", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the committed document differs from the code")
    parser.add_argument("--path", type=Path, default=DOCUMENT_PATH)
    args = parser.parse_args(argv)
    text = render(build_document())
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
        if current != text:
            print(f"{args.path} is out of date with the event models:", file=sys.stderr)
            print("run `python -m contracts.asyncapi` and commit it.", file=sys.stderr)
            return 1
        print(f"{args.path} is up to date.")
        return 0
    args.path.write_text(text, encoding="utf-8")
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
