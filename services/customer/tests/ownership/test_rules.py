"""R-08 owner rules: industry or service type -> owner. Pure."""

import pytest

from customer.ownership.rules import OwnerRuleView, pick_owner

OWNER_RULES = [
    OwnerRuleView("r-food", 20, "food", None, "olga", "east"),
    OwnerRuleView("r-food-install", 10, "food", "installation", "ivan", "east"),
    OwnerRuleView("r-install", 30, None, "installation", "ines", "west"),
    OwnerRuleView("r-old", 1, "food", None, "gone", None, active=False),
]


@pytest.mark.parametrize(
    ("industry", "service_type", "owner"),
    [
        ("Food", "installation", "ivan"),  # most specific rule has the lowest priority number
        ("food", None, "olga"),
        ("retail", "installation", "ines"),
        ("retail", None, None),
        (None, None, None),
    ],
)
def test_owner_rule_by_industry_or_service_type(
    industry: str | None, service_type: str | None, owner: str | None
) -> None:
    match = pick_owner(OWNER_RULES, industry=industry, service_type=service_type)
    assert (match.owner if match else None) == owner
