"""Figures entered by hand (R-03)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from customer.fields import Strict


class FiguresUpdate(Strict):
    """R-03 figures the tier rules read."""

    revenue_12m: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    orders_12m: int | None = Field(default=None, ge=0)
    complaints_12m: int | None = Field(default=None, ge=0)
    survey_score: float | None = Field(default=None, ge=0, le=5)
