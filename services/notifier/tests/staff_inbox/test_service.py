"""The staff in-app inbox (R-40): the in_app channel's delivery stores one item per notification."""

from __future__ import annotations

import uuid

import pytest

from notifier.app import service
from notifier.staff_inbox import service as staff_inbox

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]


async def test_same_notification_is_stored_once() -> None:
    notification_id = str(uuid.uuid4())
    async with service.db.session() as session:
        first = await staff_inbox.deliver(
            session, staff="dup", subject="s", text="t", notification_id=notification_id, purpose="service"
        )
    async with service.db.session() as session:
        again = await staff_inbox.deliver(
            session, staff="dup", subject="s", text="t", notification_id=notification_id, purpose="service"
        )
        assert await staff_inbox.unread_count(session, staff="dup") == 1
    assert first == again
