"""The local read model of cases: who handles each one, so the person rated is fixed when invited (R-33)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from surveys.database import Base


class CaseView(Base):
    __tablename__ = "cases_view"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(30))
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    technician: Mapped[str | None] = mapped_column(String(100))
    acknowledged_by: Mapped[str | None] = mapped_column(String(100), doc="who answered first, if nobody owns it")
    version: Mapped[int] = mapped_column(Integer)
