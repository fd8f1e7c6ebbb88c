"""Every template test starts with no cached template heads (they outlive a test in the process)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    from notifier.templates import service

    service.forget()
