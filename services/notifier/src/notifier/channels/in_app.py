"""The staff in-app inbox (R-40), through notifier.inbox.deliver; idempotent per notification id."""

from __future__ import annotations

from notifier import inbox
from notifier.channels import Outgoing
from servicekit.db import Database


class InAppChannel:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def send(self, message: Outgoing) -> str | None:
        async with self.db.session() as session:
            return await inbox.deliver(
                session, staff=message.address, subject=message.subject, text=message.text,
                notification_id=message.id, purpose=message.purpose,
            )

    async def close(self) -> None:
        return None
