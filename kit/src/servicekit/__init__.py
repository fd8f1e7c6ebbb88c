"""The shared runtime kit: one way for each cross-cutting concern, used by every CRM service."""
