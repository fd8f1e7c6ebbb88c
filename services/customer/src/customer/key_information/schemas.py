"""The decision on a pending key-information change (R-05)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from customer.fields import Strict, Text


class Decision(Strict):
    note: Annotated[Text, StringConstraints(max_length=1000)] | None = None
