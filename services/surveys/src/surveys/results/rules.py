"""Result figures, pure (R-34, R-51): CSAT is the share of the top two answers, NPS is promoters minus detractors
(in points, with the counts), response rate is responses over invitations sent. No personal data goes in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

TOP_TWO = {"rating4": {"very_satisfied", "satisfied"}, "csat": {4, 5}}
LEVEL_SCORE = {"very_satisfied": 5.0, "satisfied": 4.0, "average": 3.0, "poor": 1.0}


@dataclass
class Tally:
    rated: int = 0
    top_two: int = 0
    score_sum: float = 0.0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    levels: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, value: object) -> None:
        if kind == "nps":
            n = int(value)  # type: ignore[call-overload]
            if n >= 9:
                self.promoters += 1
            elif n >= 7:
                self.passives += 1
            else:
                self.detractors += 1
            return
        if kind not in TOP_TWO:
            return
        self.rated += 1
        self.top_two += value in TOP_TWO[kind]
        self.score_sum += LEVEL_SCORE[str(value)] if kind == "rating4" else float(value)  # type: ignore[arg-type]
        key = str(value)
        self.levels[key] = self.levels.get(key, 0) + 1

    def figures(self) -> dict[str, object]:
        answered_nps = self.promoters + self.passives + self.detractors
        return {
            "answers": self.rated,
            "csat": round(self.top_two / self.rated, 4) if self.rated else None,
            "mean_score": round(self.score_sum / self.rated, 2) if self.rated else None,
            "nps": round(100 * (self.promoters - self.detractors) / answered_nps, 1) if answered_nps else None,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "levels": dict(sorted(self.levels.items())),
        }


def tally(answers: Iterable[tuple[str, object]]) -> Tally:
    found = Tally()
    for kind, value in answers:
        found.add(kind, value)
    return found


def response_rate(responses: int, invitations: int) -> float | None:
    return round(responses / invitations, 4) if invitations else None


@dataclass(frozen=True)
class Scope:
    """Whose evaluations a principal sees (R-51): everyone's, a team's, or only their own."""

    everyone: bool = False
    team: str | None = None
    staff: str | None = None


SEE_ALL = frozenset({"vice_president", "auditor", "admin"})
SEE_TEAM = frozenset({"supervisor", "manager"})


def scorecard_scope(subject: str, roles: Iterable[str], team: str | None) -> Scope:
    """VPs, auditors, admins see all; managers and supervisors their team (all without one); staff their own."""
    held = set(roles)
    if held & SEE_ALL:
        return Scope(everyone=True)
    if held & SEE_TEAM:
        return Scope(team=team) if team else Scope(everyone=True)
    return Scope(staff=subject)
