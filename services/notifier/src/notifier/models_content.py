"""Templates (stored, versioned) and the staff in-app inbox."""

from __future__ import annotations
