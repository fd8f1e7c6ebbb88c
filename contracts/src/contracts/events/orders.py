"""Events other internal systems (order management, ERP) publish for us to consume."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from contracts.envelope import Event


class OrderFiguresReportedV1(Event):
    """A customer's trailing 12-month order figures; the customer service re-derives the value tier (R-03)."""

    event_type: ClassVar[str] = "order.figures_reported.v1"
    aggregate: ClassVar[str] = "order"  # the order-figures stream of one customer: aggregate_id = customer_id

    customer_id: str
    revenue_12m: Decimal = Field(ge=0, description="revenue over the last 12 months, CNY")
    orders_12m: int = Field(ge=0, description="number of orders over the last 12 months")
    as_of: date
    source_system: str
