"""Key information (contact position, core needs) waits for a second confirmation (R-05)."""
