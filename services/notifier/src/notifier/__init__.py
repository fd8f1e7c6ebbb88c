"""The notifier service: Customer and staff notifications (R-40 .. R-43)."""

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
