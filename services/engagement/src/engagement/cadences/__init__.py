"""Contact cadences as data (R-11), crisis mode's tighter cadence, per-customer overrides (R-19), and the contact
obligations they produce; what to talk about (R-12) and by which channel (R-13)."""
