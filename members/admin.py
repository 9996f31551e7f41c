"""Admin of the members app."""
