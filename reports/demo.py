"""The demo data's narrative texts (written by people, with figure placeholders)."""


def load_narratives(campaign) -> None:
    """Store the source document's narrative for ``campaign``; filled in with the reports."""
