"""Customer imports from CSV or XLSX files, as background jobs."""
