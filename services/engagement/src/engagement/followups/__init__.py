"""Follow-ups: contacts an owner owes a customer, planned from customer events (R-11 cadence, R-15 closed loop)."""
