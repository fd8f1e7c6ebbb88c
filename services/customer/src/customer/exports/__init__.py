"""Customer exports as CSV or XLSX."""
