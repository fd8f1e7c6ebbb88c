"""Delivery (R-40, R-43): requests become due message rows, the dispatcher sends them over the channels."""
