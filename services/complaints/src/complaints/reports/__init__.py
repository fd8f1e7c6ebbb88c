"""R-32 monthly review of closed cases."""
