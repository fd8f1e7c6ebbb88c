"""Likely duplicates of a customer: what counts as the same or a similar name. Pure: no I/O."""

from __future__ import annotations

import re

# a name this similar (0..1, trigram similarity) to an existing one is reported
NAME_SIMILARITY = 0.6
SAME_CONTACT_SCORE = 1.0

# words nearly every company name has: trigram posting lists that long make a lookup read much of the table
COMMON_WORDS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|股份|公司|\b(co|ltd|inc|llc|corp|corporation|company|limited|gmbh|b\.?v|group)\b\.?)",
)


def core(key: str) -> str:
    """The distinctive part of a folded name: 'beijing acme co., ltd.' -> 'beijing acme'."""
    return " ".join(COMMON_WORDS.sub(" ", key).replace(",", " ").split()) or key
