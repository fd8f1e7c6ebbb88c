"""The append-only audit trail (R-09) and the auditors' query over it."""
