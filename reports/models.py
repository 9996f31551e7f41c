"""Models of the reports app (narrative texts arrive with the reports)."""
