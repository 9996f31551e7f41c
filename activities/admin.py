"""Admin of the activities app."""
