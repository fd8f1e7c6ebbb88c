"""Questionnaire rules: answer checks name the question; scores normalise to 0..5; low scores per R-35."""

from __future__ import annotations

import pytest

from surveys.questionnaires import rules

GOOD = {"attitude": "very_satisfied", "skill": "satisfied", "response_time": "average", "promises": "satisfied"}
SURVEY = {
    "product_quality": "5",
    "product_performance": "4",
    "product_function": "4",
    "service_speed": "3",
    "service_attitude": "5",
    "service_efficiency": "4",
    "brand_image": "4",
    "recommend": "9",
}


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({**GOOD, "attitude": "great"}, "attitude"),
        ({k: v for k, v in GOOD.items() if k != "skill"}, "skill"),
        ({**GOOD, "unknown": "1"}, "unknown"),
    ],
)
def test_staff_evaluation_answers_are_checked(form, field):
    with pytest.raises(rules.AnswerError) as error:
        rules.check_answers(rules.STAFF_EVALUATION, form)
    assert error.value.field == field


@pytest.mark.parametrize(("field", "value"), [("product_quality", "6"), ("product_quality", "0"), ("recommend", "11")])
def test_scores_outside_the_scale_are_refused(field, value):
    with pytest.raises(rules.AnswerError) as error:
        rules.check_answers(rules.SATISFACTION, {**SURVEY, field: value})
    assert error.value.field == field


def test_staff_levels_normalise_to_the_survey_score_scale():
    answers = rules.check_answers(rules.STAFF_EVALUATION, {**GOOD, "comment": " thanks "})
    assert answers.texts == {"comment": "thanks"} and "comment" not in answers.scores
    scores = rules.score(rules.STAFF_EVALUATION, answers)
    assert scores == rules.Scores(satisfaction=4.0, nps=None, low_reasons=())


def test_a_poor_item_and_a_complaint_are_low_scores():
    answers = rules.check_answers(
        rules.STAFF_EVALUATION, {**GOOD, "promises": "poor", "complaint": "yes", "complaint_text": "never called"}
    )
    assert answers.wants_complaint and answers.texts == {"complaint": "never called"}
    assert rules.score(rules.STAFF_EVALUATION, answers).low_reasons == ("poor_item", "complaint_requested")


@pytest.mark.parametrize(("nps", "low"), [("6", ("nps_detractor",)), ("7", ())])
def test_an_nps_detractor_is_a_low_score(nps, low):
    scores = rules.score(rules.SATISFACTION, rules.check_answers(rules.SATISFACTION, {**SURVEY, "recommend": nps}))
    assert scores.nps == int(nps) and scores.low_reasons == low


def test_a_csat_of_two_is_a_low_score_and_free_text_is_optional():
    answers = rules.check_answers(rules.SATISFACTION, {**SURVEY, "service_speed": "2", "suggestions": "faster"})
    assert answers.texts == {"suggestions": "faster"}
    assert rules.score(rules.SATISFACTION, answers).low_reasons == ("low_csat",)


@pytest.mark.parametrize(
    ("requested", "browser", "customer", "expected"),
    [
        ("en", "zh-CN", "zh-CN", "en"),
        (None, "en-US,en", None, "en"),
        (None, "en", "zh-CN", "zh-CN"),
        (None, None, None, "zh-CN"),
    ],
)
def test_the_page_language(requested, browser, customer, expected):
    assert rules.pick_language(requested, browser, customer) == expected
