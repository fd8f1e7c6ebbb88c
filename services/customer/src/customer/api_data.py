"""HTTP routes (placeholder, filled by the work on issue 3)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
