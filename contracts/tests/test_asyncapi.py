"""The committed AsyncAPI document matches the models and is a well-formed AsyncAPI 3 document."""

import json
import re

from contracts.asyncapi import DOCUMENT_PATH, build_document, main, render
from contracts.registry import EVENT_TYPES
from contracts.topology import EXCHANGE, SUBSCRIPTIONS

COMPONENT_KEY = re.compile(r"^[\w.\-]+$")


def _committed() -> dict:
    return json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


def _resolve(document: dict, ref: str):
    assert ref.startswith("#/"), f"only local refs expected, got {ref}"
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"dangling $ref {ref}"
        node = node[part]
    return node


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_committed_document_matches_the_models():
    assert DOCUMENT_PATH.read_text(encoding="utf-8") == render(build_document()), (
        "contracts/asyncapi.json is stale: run `python -m contracts.asyncapi` and commit the result"
    )


def test_every_event_type_has_a_channel_message_and_send_operation():
    document = _committed()
    for event_type in EVENT_TYPES:
        channel = document["channels"][event_type]
        assert channel["address"] == event_type
        assert channel["bindings"]["amqp"]["exchange"] == {
            "name": EXCHANGE,
            "type": "topic",
            "durable": True,
            "autoDelete": False,
        }
        message = document["components"]["messages"][event_type]
        assert message["payload"]["properties"]["type"]["const"] == event_type
        data_schema = _resolve(document, message["payload"]["properties"]["data"]["$ref"])
        assert data_schema["title"] == EVENT_TYPES[event_type].__name__
        assert message["correlationId"] == {"$ref": "#/components/correlationIds/envelope"}
        assert document["operations"][f"publish.{event_type}"]["action"] == "send"
    location = document["components"]["correlationIds"]["envelope"]["location"]
    assert location == "$message.payload#/correlation_id"


def test_every_subscription_is_a_receive_operation_with_its_queues():
    document = _committed()
    for sub in SUBSCRIPTIONS:
        operation = document["operations"][sub.queue]
        assert operation["action"] == "receive"
        binding = _resolve(document, operation["channel"]["$ref"])["bindings"]["amqp"]
        assert binding["queue"]["name"] == sub.queue
        assert binding["x-dead-letter-queue"] == sub.dead_letter_queue
        assert sub.dead_letter_queue in operation["description"]
        assert sorted(binding["x-routing-keys"]) == sorted(sub.event_types)


def test_document_is_well_formed_asyncapi_3():
    document = _committed()
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "CRM events" and document["info"]["version"]
    assert document["servers"]["rabbitmq"]["protocol"] == "amqp"
    for ref in _refs(document):
        _resolve(document, ref)
    for kind, entries in document["components"].items():
        assert all(COMPONENT_KEY.match(key) for key in entries), f"bad component key in {kind}"
    for name, operation in document["operations"].items():
        assert operation["action"] in {"send", "receive"}, name
        channel_ref = operation["channel"]["$ref"]
        assert channel_ref.startswith("#/channels/"), name
        # AsyncAPI 3: an operation's messages must be messages of its own channel.
        for message in operation["messages"]:
            assert message["$ref"].startswith(f"{channel_ref}/messages/"), name


def test_check_fails_on_a_stale_file_and_passes_on_a_fresh_one(tmp_path, capsys):
    path = tmp_path / "asyncapi.json"
    path.write_text("{}\n", encoding="utf-8")
    assert main(["--check", "--path", str(path)]) == 1
    assert "python -m contracts.asyncapi" in capsys.readouterr().err
    assert main(["--path", str(path)]) == 0
    assert main(["--check", "--path", str(path)]) == 0
