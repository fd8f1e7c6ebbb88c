"""R-02/R-03 tier rules as data and the history of every classification change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from customer.database import AutoId, Base
from servicekit.db import UTCDateTime


class ClassificationChange(Base):
    """R-02: every change of type, stage, tier or service level, with its reason."""

    __tablename__ = "classification_history"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, doc='{"tier": ["low", "high"], ...}')
    reason: Mapped[str] = mapped_column(Text)
    rule_id: Mapped[str | None] = mapped_column(String(36))
    changed_by: Mapped[str] = mapped_column(String(100), doc="a staff subject or 'system'")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TierRule(Base):
    """R-03: classification rules as data. The first active rule (by priority) whose conditions all hold wins."""

    __tablename__ = "tier_rules"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    priority: Mapped[int] = mapped_column(Integer)
    # {"revenue_12m_gte": 1000000, "orders_12m_gte": 12, "complaints_12m_lte": 2, "survey_score_gte": 4.0}
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON)
    # {"tier": "high", "service_level": "vip"}
    sets: Mapped[dict[str, str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
