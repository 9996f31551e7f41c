"""Admin of the pledges app."""
