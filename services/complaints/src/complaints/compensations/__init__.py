"""R-28 compensation: proposals, approval authority and decisions."""
