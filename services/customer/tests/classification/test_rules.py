"""R-02/R-03 the pure tier-rule evaluator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customer.classification import rules as classification
from customer.classification.rules import Rule, RuleError, changes, check_rule, first_match

RULES = [
    Rule("vip", 10, {"revenue_12m_gte": 1_000_000, "complaints_12m_lte": 2}, {"tier": "high", "service_level": "vip"}),
    Rule("mid", 20, {"orders_12m_gte": 6}, {"tier": "mid"}),
    Rule("survey", 15, {"survey_score_gte": 4.5}, {"service_level": "vip"}),
    Rule("off", 1, {}, {"tier": "low"}, active=False),
]


# --- pure ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "rule_id"),
    [
        ({"revenue_12m": Decimal("1000000"), "orders_12m": 1, "complaints_12m": 2, "survey_score": None}, "vip"),
        ({"revenue_12m": Decimal("1000000"), "orders_12m": 8, "complaints_12m": 3, "survey_score": None}, "mid"),
        ({"revenue_12m": Decimal("5"), "orders_12m": 1, "complaints_12m": 0, "survey_score": 4.6}, "survey"),
        ({"revenue_12m": Decimal("5"), "orders_12m": 1, "complaints_12m": 0, "survey_score": None}, None),
    ],
)
def test_first_active_rule_by_priority_whose_conditions_all_hold(figures: dict, rule_id: str | None) -> None:
    match = first_match(RULES, figures)
    assert (match.id if match else None) == rule_id


def test_changes_name_only_what_the_rule_changes() -> None:
    assert changes({"tier": "low", "service_level": "vip"}, RULES[0]) == {"tier": ("low", "high")}
    assert changes({"tier": "high", "service_level": "vip"}, RULES[0]) == {}
    assert changes({"tier": "low", "service_level": "normal"}, None) == {}


@pytest.mark.parametrize(
    ("conditions", "sets", "field"),
    [
        ({"revenue_gte": 1}, {"tier": "high"}, "conditions.revenue_gte"),
        ({"orders_12m_gte": "many"}, {"tier": "high"}, "conditions.orders_12m_gte"),
        ({}, {"tier": "platinum"}, "sets.tier"),
        ({}, {"colour": "red"}, "sets.colour"),
        ({}, {}, "sets"),
    ],
)
def test_bad_rules_name_the_field(conditions: dict, sets: dict, field: str) -> None:
    with pytest.raises(RuleError) as raised:
        check_rule(conditions, sets)
    assert raised.value.field == field


def test_default_rules_are_valid() -> None:
    for rule in classification.DEFAULT_TIER_RULES:
        check_rule(rule["conditions"], rule["sets"])
