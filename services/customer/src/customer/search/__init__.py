"""Finding customers: name search, filters, cursor pages, phone and email lookup."""
