"""How customer names are matched (R-01): the folded search key, shared by search, duplicates and imports. Pure."""

from __future__ import annotations

import unicodedata


def search_key(name: str) -> str:
    """NFKC-normalise (full-width -> half-width), case-fold and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def contains_pattern(key: str) -> str:
    """A LIKE pattern for names containing `key`, its wildcards escaped with a backslash."""
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
