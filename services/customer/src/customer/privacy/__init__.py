"""Personal data (R-09, PIPL): who sees contact data unmasked, erasure and subject access."""
