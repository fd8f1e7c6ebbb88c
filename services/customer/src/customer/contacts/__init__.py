"""The people at a customer and their phones and emails (R-01), encrypted at rest (R-09)."""
