"""Communication records (R-14): numbered JL-…, entered within 24 h of the contact; need changes are published,
promises become to-dos (R-15), the next follow-up date plans a follow-up."""
