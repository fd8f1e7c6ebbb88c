"""Who is rated after a case (R-33): fixed at the invitation from the case as it then stands."""

from __future__ import annotations

import pytest

from surveys.cases import rules


@pytest.mark.parametrize(
    ("kind", "owner", "technician", "acknowledged_by", "rated"),
    [
        ("service_request", "olga", "tom", None, "tom"),
        ("complaint", "olga", "tom", "hana", "olga"),
        ("complaint", None, None, "hana", "hana"),
        (None, None, None, None, None),
    ],
)
def test_the_technician_then_the_owner_then_who_answered_first(kind, owner, technician, acknowledged_by, rated):
    assert rules.rated_staff(kind, owner, technician, acknowledged_by) == rated


def test_inquiries_and_refused_resolutions_are_not_evaluated():
    assert rules.evaluated("complaint", "resolved") and rules.evaluated("service_request", None)
    assert not rules.evaluated("inquiry", "resolved") and not rules.evaluated("complaint", "rejected")
