"""Crisis mode (R-11, the epidemic rules): an administrator switches it; every cadence tightens while it is on."""
