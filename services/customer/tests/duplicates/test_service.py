"""Likely duplicates: the same phone or email by blind index, a similar name by pg_trgm."""

from __future__ import annotations

import uuid

import pytest

from servicekit.pii import blind_index

pytestmark = pytest.mark.integration


async def test_find_likely_reports_same_phone_same_email_and_similar_names(seed) -> None:
    from customer.app import service
    from customer.duplicates.service import find_likely

    tag = uuid.uuid4().hex[:6]
    by_phone = await seed(f"Alpha {tag}", phone="+8613900000001")
    by_email = await seed(f"Beta {tag}", email=f"{tag}@example.com")
    by_name = await seed(f"杭州西湖{tag}科技有限公司")
    unrelated = await seed(f"Gamma {tag} Holdings")
    async with service.db.session() as session:
        found = await find_likely(
            session,
            name=f"杭州西湖{tag}科技公司",
            phone_indexes=[blind_index("+8613900000001")],
            email_indexes=[blind_index(f"{tag}@example.com")],
        )
    reasons = {item["customer_id"]: item["reason"] for item in found}
    assert reasons == {by_phone: "same_phone", by_email: "same_email", by_name: "similar_name"}
    assert unrelated not in reasons
    assert all(0 < item["score"] <= 1 and item["number"] for item in found)
