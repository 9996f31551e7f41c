"""Forms of the pledges app."""
