"""The surveys service: Satisfaction surveys and staff ratings (R-33 .. R-35)."""

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
