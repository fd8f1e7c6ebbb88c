"""The trailing figures the tier rules read (R-03): entered by hand or reported by other systems."""
