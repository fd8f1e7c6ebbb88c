"""The staff in-app inbox (R-40), through the staff_inbox service; idempotent per notification id."""

from __future__ import annotations

from notifier.delivery.channels import Outgoing
from notifier.staff_inbox import service as staff_inbox
from servicekit.db import Database


class InAppChannel:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def send(self, message: Outgoing) -> str | None:
        async with self.db.session() as session:
            return await staff_inbox.deliver(
                session,
                staff=message.address,
                subject=message.subject,
                text=message.text,
                notification_id=message.id,
                purpose=message.purpose,
            )

    async def close(self) -> None:
        return None
