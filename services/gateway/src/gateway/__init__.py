"""The gateway: staff directory, logins and tokens, the one door to every service, one API description."""

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
