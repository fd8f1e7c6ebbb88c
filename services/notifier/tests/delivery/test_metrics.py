"""Delivery metrics: every series exists from the start, so a first failure after a restart shows in rate()."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]


async def test_metrics_series_exist_from_the_start(client) -> None:
    text = (await client.get("/metrics")).text
    assert 'crm_notifications_total{channel="sms",outcome="failed",purpose="marketing"} 0.0' in text
    assert 'crm_notification_delivery_seconds_count{channel="im"}' in text
    assert "crm_notifications_deferred_backlog " in text and "crm_notifications_deferred_oldest_age_seconds " in text
