"""Views of the honors app."""
