"""Figures entered by hand (R-03)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from customer.fields import Strict
from servicekit.fields import Count, NotABool, omittable


class FiguresUpdate(Strict):
    """R-03 figures the tier rules read: the counts and revenue may be left out but not cleared; null clears the
    survey score."""

    revenue_12m: Decimal = omittable(ge=0, max_digits=16, decimal_places=2)
    orders_12m: Count = omittable()
    complaints_12m: Count = omittable()
    survey_score: Annotated[float, Field(ge=0, le=5), NotABool] | None = None
