"""Owners and owner rules (R-08)."""
