"""Closed-loop to-dos (R-15): a promise with an owner and a due time in working time; open -> resolved -> customer
informed -> closed; overdue ones remind the owner and escalate once to the supervisor."""
