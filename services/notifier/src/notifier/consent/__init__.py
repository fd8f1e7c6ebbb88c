"""Consent (R-42): the local consent table, the consent rule and the one-click unsubscribe link."""
