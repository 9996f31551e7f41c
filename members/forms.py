"""Forms of the members app."""
