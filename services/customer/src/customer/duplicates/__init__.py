"""Likely duplicate customers and merging them."""
