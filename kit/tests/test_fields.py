"""Request field types carry the bounds of their columns, in validation and in the JSON Schema."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, StringConstraints, ValidationError

from servicekit.fields import INT64_MAX, Count, Instant, Name, RowId, Text, TimeZone, omittable


class Form(BaseModel):
    name: Name
    code: Annotated[Text, StringConstraints(max_length=5)] | None = None
    count: Count = omittable()
    cursor: RowId | None = None
    at: Instant | None = None
    zone: TimeZone | None = None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "a\x00b"}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"name": "x", "code": "123456"}, "code"),
        ({"name": "x", "count": None}, "count"),
        ({"name": "x", "count": True}, "count"),
        ({"name": "x", "count": 2**31}, "count"),
        ({"name": "x", "cursor": INT64_MAX + 1}, "cursor"),
        ({"name": "x", "at": 0.5}, "at"),
        ({"name": "x", "at": "12"}, "at"),
        ({"name": "x", "zone": "Mars/Olympus"}, "zone"),
    ],
)
def test_values_beyond_the_column_are_refused(data: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Form.model_validate(data)
    assert refused.value.errors()[0]["loc"][0] == field


def test_valid_values_pass_and_a_left_out_field_is_none() -> None:
    form = Form.model_validate({"name": " 张三 ", "at": "2026-01-31T09:00:00+08:00", "zone": "Asia/Shanghai"})
    assert (form.name, form.count, form.at.year if form.at else None) == ("张三", None, 2026)


def test_the_schema_says_the_bounds() -> None:
    schema = Form.model_json_schema()["properties"]
    assert {k: schema["name"][k] for k in ("maxLength", "minLength", "pattern", "type")} == {
        "maxLength": 100,
        "minLength": 1,
        "pattern": r"^[^\x00]*$",
        "type": "string",
    }
    assert (schema["count"]["type"], schema["count"]["maximum"]) == ("integer", 2**31 - 1)  # no null
    assert schema["cursor"]["anyOf"][0]["maximum"] == INT64_MAX
