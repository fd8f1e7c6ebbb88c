"""Saved segments: named search filters for campaigns."""
