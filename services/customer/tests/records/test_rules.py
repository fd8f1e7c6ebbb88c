"""Pure record rules: which fields a change touches."""

from customer.records.rules import diff


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
