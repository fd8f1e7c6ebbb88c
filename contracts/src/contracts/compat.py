"""Frozen snapshots of published event versions, and the check that current models still honour them.

A snapshot (contracts/published/<event_type>.json) records each field's resolved JSON-schema type and
whether it is required. Breaking: a field removed (a rename is a removal plus an addition), a type
changed (enum values added or removed, nullability changed, format changed, ...), an optional field
made required, a new required field, a published event type removed. Adding optional fields or new
event types is fine.

`python -m contracts.compat --write` snapshots event types not yet published (never overwrites one);
`python -m contracts.compat --check` exits 1 listing breaking changes or unpublished event types.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contracts.envelope import Event
from contracts.registry import EVENT_TYPES

PUBLISHED_DIR = Path(__file__).resolve().parents[2] / "published"
# Keywords that only document a schema; changing them never breaks a producer or consumer.
_ANNOTATIONS = {"title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly"}


def _resolve(schema: dict[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = {**defs[schema["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _describe(schema: dict[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    """A field's type with $refs resolved, `null` folded into `nullable`, and annotations dropped."""
    schema = _resolve(schema, defs)
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema["oneOf"]
        non_null = [_describe(option, defs) for option in options if option.get("type") != "null"]
        # Sorted so that `int | str` and `str | int` describe the same type.
        non_null.sort(key=lambda d: json.dumps(d, sort_keys=True))
        union = non_null[0] if len(non_null) == 1 else {"anyOf": non_null}
        return {**union, "nullable": True} if len(non_null) < len(options) else union
    if schema == {} or set(schema) <= _ANNOTATIONS:
        return {"type": "any"}
    described: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS or key in ("properties", "required", "$defs"):
            continue
        if key == "items" or (key == "additionalProperties" and isinstance(value, dict)):
            described[key] = _describe(value, defs)
        elif key == "enum":
            described[key] = sorted(value, key=str)
        else:
            described[key] = value
    if "properties" in schema:
        described["fields"] = _fields(schema, defs)
    return described


def _fields(schema: dict[str, Any], defs: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    required = set(schema.get("required", ()))
    return {
        name: {**_describe(prop, defs), "required": name in required}
        for name, prop in sorted(schema.get("properties", {}).items())
    }


def describe_fields(model: type[Event]) -> dict[str, dict[str, Any]]:
    """Field name -> resolved type description plus `required`, from the model's JSON schema."""
    schema = model.model_json_schema(mode="validation")
    return _fields(schema, schema.get("$defs", {}))


def snapshot(model: type[Event]) -> dict[str, Any]:
    return {"event_type": model.event_type, "fields": describe_fields(model)}


def _show(description: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in description.items() if k != "required"}, sort_keys=True, ensure_ascii=False)


def _type_change(name: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    old_type = {k: v for k, v in old.items() if k != "required"}
    new_type = {k: v for k, v in new.items() if k != "required"}
    if old_type == new_type:
        return None
    details = []
    if old.get("nullable") and not new.get("nullable"):
        details.append("no longer nullable")
    if new.get("nullable") and not old.get("nullable"):
        details.append("became nullable (consumers of the published version reject null)")
    if "enum" in old and "enum" in new:
        if removed := [v for v in old["enum"] if v not in new["enum"]]:
            details.append(f"enum values removed: {removed}")
        if added := [v for v in new["enum"] if v not in old["enum"]]:
            details.append(f"enum values added: {added} (consumers of the published version reject them)")
    why = f" ({'; '.join(details)})" if details else ""
    return f"field {name!r} type changed{why}: {_show(old)} -> {_show(new)}"


def compare(published: dict[str, Any], model: type[Event] | None) -> list[str]:
    """Breaking changes of `model` (None: the type is gone) against a published snapshot."""
    event_type = published["event_type"]
    if model is None:
        return [f"{event_type}: published event type removed (keep its model; add a new version beside it)"]
    old_fields, new_fields = published["fields"], describe_fields(model)
    problems = []
    for name, old in old_fields.items():
        new = new_fields.get(name)
        if new is None:
            problems.append(f"field {name!r} removed (or renamed)")
            continue
        if change := _type_change(name, old, new):
            problems.append(change)
        if new["required"] and not old["required"]:
            problems.append(f"field {name!r} became required (events published without it would fail)")
    for name, new in new_fields.items():
        if name not in old_fields and new["required"]:
            problems.append(f"new required field {name!r} (give it a default, or publish a new version)")
    return [f"{event_type}: {problem}" for problem in problems]


def load_published(directory: Path = PUBLISHED_DIR) -> dict[str, dict[str, Any]]:
    snapshots = (json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json")))
    return {snap["event_type"]: snap for snap in snapshots}


def breaking_changes(
    published: Mapping[str, dict[str, Any]], registry: Mapping[str, type[Event]] = EVENT_TYPES
) -> list[str]:
    return [problem for event_type, snap in published.items() for problem in compare(snap, registry.get(event_type))]


def render(snap: dict[str, Any]) -> str:
    return json.dumps(snap, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_missing(directory: Path = PUBLISHED_DIR, registry: Mapping[str, type[Event]] = EVENT_TYPES) -> list[Path]:
    """Snapshot every event type without one; an existing snapshot is a published contract and stays."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for event_type, model in registry.items():
        path = directory / f"{event_type}.json"
        if not path.exists():
            path.write_text(render(snapshot(model)), encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contracts.compat", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="snapshot event types that have no snapshot yet")
    action.add_argument("--check", action="store_true", help="exit 1 on breaking changes or unpublished types")
    parser.add_argument("--dir", type=Path, default=PUBLISHED_DIR)
    args = parser.parse_args(argv)
    if args.write:
        for path in write_missing(args.dir):
            print(f"wrote {path}")
        return 0
    published = load_published(args.dir)
    problems = breaking_changes(published)
    unpublished = sorted(set(EVENT_TYPES) - set(published))
    for problem in problems:
        print(f"BREAKING {problem}", file=sys.stderr)
    if unpublished:
        # Without a snapshot nothing would stop the next edit from breaking these types.
        print(f"no snapshot for {unpublished}: run `python -m contracts.compat --write` and commit", file=sys.stderr)
    if problems:
        print("A published event version is frozen: restore it and add a new `.v<N+1>` model instead.", file=sys.stderr)
    if problems or unpublished:
        return 1
    print(f"{len(published)} published event types compatible.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
