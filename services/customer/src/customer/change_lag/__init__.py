"""When a change became known and how late it was entered (R-06)."""
