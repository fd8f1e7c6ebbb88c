"""The recipient read model (R-09): what sending needs about a customer, kept from customer.* events."""
