"""SLA clocks (R-23 .. R-26): targets and policy, tracking rows per case, the due-row evaluator, metrics."""
