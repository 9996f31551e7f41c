"""Forms of the honors app."""
