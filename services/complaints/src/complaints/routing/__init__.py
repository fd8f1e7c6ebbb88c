"""R-27 assignment: which department and owner a new case goes to."""
