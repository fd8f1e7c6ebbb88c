"""The staff in-app inbox (R-40): where the in_app channel delivers; staff read their own items."""
