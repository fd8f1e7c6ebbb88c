"""Customer use cases live in `records` (customers), `contacts`, `pending` (R-05) and `tiering` (R-03);
this name is kept for existing callers (`service.get`)."""

from customer.records import create, get, present, read, update

__all__ = ["create", "get", "present", "read", "update"]
