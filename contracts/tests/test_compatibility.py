"""Published event versions stay satisfied by the code, and the checker really catches breakage."""

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import create_model

from contracts.compat import (
    breaking_changes,
    compare,
    describe_fields,
    load_published,
    main,
    render,
    snapshot,
    write_missing,
)
from contracts.envelope import Event
from contracts.registry import EVENT_TYPES


class Status(StrEnum):
    open = "open"
    closed = "closed"
    archived = "archived"


class StatusWithoutArchived(StrEnum):
    open = "open"
    closed = "closed"


class CaseOpenedV1(Event):
    """The published version the variants below are checked against."""

    event_type: ClassVar[str] = "case.opened.v1"
    aggregate: ClassVar[str] = "case"

    case_id: str
    status: Status
    count: int
    note: str | None = None


BASE_FIELDS: dict[str, Any] = {
    "case_id": (str, ...),
    "status": (Status, ...),
    "count": (int, ...),
    "note": (str | None, None),
}
PUBLISHED = snapshot(CaseOpenedV1)


def _variant(drop: tuple[str, ...] = (), **fields: Any) -> type[Event]:
    """CaseOpenedV1 as a later edit might leave it."""
    kept = {name: spec for name, spec in BASE_FIELDS.items() if name not in drop}
    return create_model("CaseOpenedV1", __base__=Event, **{**kept, **fields})


def _problems(model: type[Event]) -> str:
    return "\n".join(compare(PUBLISHED, model))


def test_every_published_snapshot_is_still_satisfied():
    published = load_published()
    problems = breaking_changes(published)
    assert not problems, "published event versions were broken:\n" + "\n".join(problems)
    assert set(EVENT_TYPES) <= set(published), "unpublished event types: run `python -m contracts.compat --write`"


def test_unchanged_model_is_compatible():
    assert compare(PUBLISHED, _variant()) == []


def test_adding_an_optional_field_is_fine():
    assert compare(PUBLISHED, _variant(priority=(int | None, None), tags=(list[str], []))) == []


def test_new_event_type_is_fine():
    assert breaking_changes({}, {"case.opened.v1": CaseOpenedV1}) == []


def test_field_removed_is_caught():
    assert "field 'note' removed" in _problems(_variant(drop=("note",)))


def test_field_renamed_is_caught_as_removed_plus_added():
    problems = _problems(_variant(drop=("count",), total=(int, ...)))
    assert "field 'count' removed" in problems
    assert "new required field 'total'" in problems


def test_field_retyped_is_caught():
    assert "field 'case_id' type changed" in _problems(_variant(case_id=(int, ...)))


def test_enum_value_removed_is_caught():
    assert "enum values removed: ['archived']" in _problems(_variant(status=(StatusWithoutArchived, ...)))


def test_optional_field_becoming_required_is_caught():
    assert "field 'note' became required" in _problems(_variant(note=(str | None, ...)))


def test_nullable_field_becoming_non_nullable_is_caught():
    assert "field 'note' type changed (no longer nullable)" in _problems(_variant(note=(str, "")))


def test_new_required_field_is_caught():
    assert "new required field 'priority'" in _problems(_variant(priority=(int, ...)))


def test_published_event_type_removed_is_caught():
    assert breaking_changes({"case.opened.v1": PUBLISHED}, {}) == [
        "case.opened.v1: published event type removed (keep its model; add a new version beside it)"
    ]


def test_describe_fields_resolves_enums_formats_and_nullability():
    fields = describe_fields(EVENT_TYPES["customer.registered.v1"])
    assert fields["tier"] == {"type": "string", "enum": ["high", "low", "mid"], "required": True}
    assert fields["registered_at"] == {"type": "string", "format": "date-time", "required": True}
    assert fields["owner"] == {"type": "string", "nullable": True, "required": False}


def test_write_never_overwrites_a_published_snapshot(tmp_path):
    frozen = tmp_path / "case.opened.v1.json"
    frozen.write_text(render(PUBLISHED), encoding="utf-8")
    registry = {"case.opened.v1": _variant(drop=("note",)), "customer.merged.v1": EVENT_TYPES["customer.merged.v1"]}
    assert write_missing(tmp_path, registry) == [tmp_path / "customer.merged.v1.json"]
    assert frozen.read_text(encoding="utf-8") == render(PUBLISHED)


def test_check_exits_1_listing_breaking_changes(tmp_path, capsys):
    write_missing(tmp_path)
    tampered = tmp_path / "customer.merged.v1.json"
    stale = snapshot(EVENT_TYPES["customer.merged.v1"])
    stale["fields"]["reason"] = {"type": "string", "required": True}
    tampered.write_text(render(stale), encoding="utf-8")
    assert main(["--check", "--dir", str(tmp_path)]) == 1
    assert "customer.merged.v1: field 'reason' removed" in capsys.readouterr().err
    tampered.unlink()
    write_missing(tmp_path)
    assert main(["--check", "--dir", str(tmp_path)]) == 0
