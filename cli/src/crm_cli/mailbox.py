"""A local mail catcher for `crm up`: an SMTP server (aiosmtpd) that keeps every message as a .eml file.

With it the notifier's email channel works on a fresh machine with no mail server: open
`var/mail/*.eml` to read what customers and staff would receive. Production points
`CRM_NOTIFIER_SMTP_HOST/PORT` at a real relay and `crm up` does not start this.

Usage: python -m crm_cli.mailbox PORT DIRECTORY
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

DEFAULT_PORT = 1025


class MaildirWriter:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        (self.directory / f"{uuid.uuid4().hex}.eml").write_bytes(envelope.original_content or envelope.content)
        return "250 OK"


async def serve(port: int, directory: Path) -> None:
    controller = Controller(MaildirWriter(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"mail catcher on 127.0.0.1:{port}, messages in {directory}/", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), Path(sys.argv[2])))
