"""Result reads: figures only, never a customer, contact or comment (R-09)."""

from __future__ import annotations

from pydantic import BaseModel


class Figures(BaseModel):
    answers: int
    csat: float | None
    mean_score: float | None
    nps: float | None
    promoters: int
    passives: int
    detractors: int
    levels: dict[str, int]


class QuestionFigures(Figures):
    question: str


class Summary(BaseModel):
    period: str
    invitations: int
    responses: int
    response_rate: float | None
    overall: Figures
    questions: list[QuestionFigures]


class StaffItemFigures(Figures):
    staff: str
    team: str | None
    item: str


class Scorecard(BaseModel):
    month: str
    rows: list[StaffItemFigures]
