"""Pure rules: routing a new case to a department and owner (R-27)."""

from complaints.routing.rules import DEFAULT_ROUTING, Router


def test_routing_picks_the_most_specific_rule_r27() -> None:
    router = Router.from_config(
        [
            *DEFAULT_ROUTING,
            {"cause_category": "quality", "tier": "high", "department": "rnd", "owner": "chief-engineer"},
        ]
    )
    assert router.route({"cause_category": "quality/packaging", "tier": "low"}).department == "rnd"
    assert router.route({"cause_category": "quality/packaging", "tier": "high"}).owner == "chief-engineer"
    assert router.route({"cause_category": "non_quality/transport"}).department == "marketing"
    assert router.route({"cause_category": None}).department == "customer_service"
