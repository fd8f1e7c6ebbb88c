"""Complaints, service requests and inquiries: their lifecycle, timeline and the local read model of customers."""
