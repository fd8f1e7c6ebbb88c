"""Consent per contact, channel and purpose (R-42), and the unsubscribe link."""
