"""Customer records (R-01): the company profile, tags (R-04) and risk (R-07)."""
