"""Survey scores as reported by the surveys service: the R-03 `survey_score` is their 12-month mean."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from customer.database import Base
from servicekit.db import UTCDateTime


class SurveyScore(Base):
    """One survey response's normalised satisfaction (0 .. 5); a changed response replaces its score."""

    __tablename__ = "survey_scores"

    response_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    satisfaction: Mapped[float] = mapped_column(Float)
    revision: Mapped[int] = mapped_column(Integer)
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime)
