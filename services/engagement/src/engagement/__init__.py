"""The engagement service: maintenance plans, contact cadence and follow-ups (R-10 .. R-19)."""

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
