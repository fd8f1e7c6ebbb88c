"""Maintenance plans (R-10): numbered JH-…, by hand or generated from the cadence, with postponement history."""
