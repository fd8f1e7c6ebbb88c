"""The last interaction per customer (R-16), published for the customer service's `last_contact_at`; silent
customers get one reactivation task whose owner records why contact lapsed."""
