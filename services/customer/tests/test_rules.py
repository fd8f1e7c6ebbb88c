"""Pure customer rules: field diffs, names (R-01), phones and emails (R-01), owner rules (R-08)."""

import pytest

from customer.names import search_key
from customer.owners import OwnerRuleView, pick_owner
from customer.phones import normalise_email, normalise_phone
from customer.rules import diff


def test_diff_keeps_only_real_changes_and_sorts_them_by_kind() -> None:
    change = diff(
        {"name": "A", "tier": "low", "owner": None, "industry": "retail"},
        {"name": "A", "tier": "high", "owner": "alice", "industry": "food"},
    )
    assert change.changed == {"tier": "high", "owner": "alice", "industry": "food"}
    assert change.previous == {"tier": "low", "owner": None, "industry": "retail"}
    assert change.profile_fields == ["industry"]
    assert change.classification_changed and change.ownership_changed


def test_no_change_when_values_are_equal() -> None:
    change = diff({"name": "A"}, {"name": "A"})
    assert not change.changed and not change.classification_changed and not change.ownership_changed


# --- R-01 names and contact points ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("  ＡＢＣ　有限公司 ", "abc 有限公司"),  # full-width letters and space fold to half-width
        ("Hangzhou  WEST Lake", "hangzhou west lake"),
        ("杭州西湖科技有限公司", "杭州西湖科技有限公司"),
        ("", ""),
    ],
)
def test_search_key_folds_width_case_and_spaces(name: str, key: str) -> None:
    assert search_key(name) == key


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("138 1234 5678", "CN", "+8613812345678"),
        ("+86 (10) 6552-9988", "CN", "+861065529988"),
        ("0086 138-1234-5678", "CN", "+8613812345678"),
        ("030 901820", "DE", "+4930901820"),
    ],
)
def test_phones_normalise_to_e164(raw: str, region: str, e164: str) -> None:
    assert normalise_phone(raw, region) == e164


@pytest.mark.parametrize("raw", ["12345", "not a phone", "+86 138"])
def test_invalid_phones_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        normalise_phone(raw, "CN")


def test_emails_are_checked_and_lower_cased() -> None:
    assert normalise_email(" Zhang.San@Example.COM ") == "zhang.san@example.com"
    assert normalise_email("王@例子.中国").endswith("@例子.中国")
    for bad in ("no-at-sign", "a@", "a b@example.com"):
        with pytest.raises(ValueError):
            normalise_email(bad)


# --- R-08 owner rules ----------------------------------------------------------------------------------

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
def test_owner_rule_by_industry_or_service_type(industry: str | None, service_type: str | None, owner: str | None) -> None:
    match = pick_owner(OWNER_RULES, industry=industry, service_type=service_type)
    assert (match.owner if match else None) == owner
