"""The customer service: customer records, classification and owners (R-01 .. R-09)."""

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
