"""The complaints service: Complaints and service cases, SLA clocks and escalation (R-20 .. R-32)."""

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
