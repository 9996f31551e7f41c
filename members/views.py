"""Views of the members app."""
