"""A real SMTP server process for the tests (aiosmtpd): every accepted message is one JSON line in a file.

Usage: python smtp_sink.py PORT OUTFILE
"""

from __future__ import annotations

import asyncio
import json
import sys
from email import message_from_bytes

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, path: str) -> None:
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's hook
        parsed = message_from_bytes(envelope.content)
        line = {
            "message_id": parsed["Message-ID"],
            "to": envelope.rcpt_tos,
            "subject": parsed["Subject"],
            "list_unsubscribe": parsed["List-Unsubscribe"],
        }
        self.file.write(json.dumps(line) + "\n")
        self.file.flush()
        return "250 OK"


async def main(port: int, path: str) -> None:
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
