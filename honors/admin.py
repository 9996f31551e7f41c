"""Admin of the honors app."""
