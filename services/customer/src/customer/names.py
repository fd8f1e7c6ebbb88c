"""Search key for customer names (R-01): one pure function shared by search and duplicate detection."""

import unicodedata


def search_key(name: str) -> str:
    """NFKC-normalise (full-width -> half-width), case-fold and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())
