"""Views of the pledges app."""
