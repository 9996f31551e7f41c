"""Admin of the mechanisms app."""
