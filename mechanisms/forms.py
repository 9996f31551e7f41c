"""Forms of the mechanisms app."""
