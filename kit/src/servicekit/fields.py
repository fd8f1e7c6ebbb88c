"""Request field types with the bounds of their columns, for every request model and parameter of every service.

Bad input is a 4xx naming the field, never a database error: a text has a maximum length and never holds a NUL
byte (PostgreSQL text cannot store one), an integer fits its column (32 or 64 bits), a float is finite. The
bounds are in the JSON Schema too, so the OpenAPI document says what is accepted.

    from servicekit.fields import Text, Int32

    class NoteIn(BaseModel):
        title: Annotated[Text, StringConstraints(min_length=1, max_length=200)]
        body: Note
        count: Count
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any
from zoneinfo import available_timezones

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, StringConstraints

# PostgreSQL's text types cannot hold a NUL byte: refused where it comes in, in the schema too
NO_NUL = r"^[^\x00]*$"
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

# text without NUL, surrounding whitespace stripped; give it a length: Annotated[Text, StringConstraints(...)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, pattern=NO_NUL)]
# text kept as sent (template bodies, secrets in links), still without NUL
RawText = Annotated[str, StringConstraints(pattern=NO_NUL)]

# the common lengths
Label = Annotated[Text, StringConstraints(min_length=1, max_length=30)]
Tag = Annotated[Text, StringConstraints(min_length=1, max_length=50)]
Name = Annotated[Text, StringConstraints(min_length=1, max_length=100)]
Title = Annotated[Text, StringConstraints(min_length=1, max_length=200)]
Note = Annotated[Text, StringConstraints(max_length=4000)]
LongText = Annotated[Text, StringConstraints(max_length=8000)]
Identifier = Annotated[Text, StringConstraints(min_length=1, max_length=36)]


def _not_a_bool(value: Any) -> Any:
    # pydantic would read true as 1: the schema says integer
    if isinstance(value, bool):
        raise ValueError("a number, not true or false")
    return value


# after a number's own Field(...): refuses true/false where a number is expected
NotABool = BeforeValidator(_not_a_bool)

# numbers that fit their column (constraints before the validator, so the schema says minimum/maximum)
Int32 = Annotated[int, Field(ge=-INT32_MAX - 1, le=INT32_MAX), NotABool]
Count = Annotated[int, Field(ge=0, le=INT32_MAX), NotABool]
RowId = Annotated[int, Field(ge=1, le=INT64_MAX, description="a row this API returned"), NotABool]
Finite = Annotated[float, Field(allow_inf_nan=False), NotABool]

_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _iso_text(value: Any) -> Any:
    # pydantic would read 0.5 as seconds since 1970: the schema says ISO 8601 text, so numbers are refused
    if isinstance(value, bool | int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T09:00:00+08:00")
    return value


# dates and times as ISO 8601 text only, as their schema says
Instant = Annotated[datetime, BeforeValidator(_iso_text)]
AwareInstant = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
Day = Annotated[date, BeforeValidator(_iso_text)]


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _known_zone(value: str) -> str:
    if value not in _time_zones():
        raise ValueError("unknown IANA time zone")
    return value


# an IANA time zone name the system knows, e.g. Asia/Shanghai
TimeZone = Annotated[Text, StringConstraints(min_length=1, max_length=64), AfterValidator(_known_zone)]


def omittable(**field: Any) -> Any:
    """A field that may be left out (None in Python, then "not sent") but is never sent as null: annotate it with
    its type without `| None`, so the schema and the validation both refuse null (a NOT NULL column)."""
    return Field(default=None, **field)
