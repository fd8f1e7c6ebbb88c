"""Versioned event models, one module per producing aggregate."""
