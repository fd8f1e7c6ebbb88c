"""Result figures: CSAT as the top-two share, NPS in points with counts, and who sees whose scorecard (R-51)."""

from __future__ import annotations

from surveys.results import rules


def test_csat_is_the_share_of_the_top_two_answers_and_nps_is_promoters_minus_detractors():
    answers = [("csat", 5), ("csat", 4), ("csat", 3), ("csat", 1), ("rating4", "satisfied"), ("rating4", "poor")]
    answers += [("nps", 10), ("nps", 9), ("nps", 8), ("nps", 3), ("single_choice", "x")]
    figures = rules.tally(answers).figures()
    assert figures["answers"] == 6 and figures["csat"] == 0.5
    assert (figures["promoters"], figures["passives"], figures["detractors"], figures["nps"]) == (2, 1, 1, 25.0)


def test_no_answers_give_no_figures():
    assert rules.tally([]).figures()["csat"] is None and rules.response_rate(0, 0) is None


def test_scorecard_scope():
    assert rules.scorecard_scope("al", ["agent"], "east") == rules.Scope(staff="al")
    assert rules.scorecard_scope("meg", ["manager"], "east") == rules.Scope(team="east")
    assert rules.scorecard_scope("vp", ["vice_president"], None) == rules.Scope(everyone=True)
