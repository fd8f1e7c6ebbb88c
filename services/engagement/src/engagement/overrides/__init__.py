"""Per-customer cadence overrides (R-19): the owner lowers the cadence for a customer who finds contact too
frequent, with a reason, until a date or for good."""
