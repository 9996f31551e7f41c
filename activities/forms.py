"""Forms of the activities app."""
