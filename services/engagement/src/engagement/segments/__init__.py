"""This service's read model of customers, kept from customer and case events: the segment facts cadences key on
(R-11), the owner everything here is assigned to (R-08)."""
