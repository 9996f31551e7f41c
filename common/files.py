"""Stored uploads: a file is removed only once the change that dropped it is committed.

A rolled-back transaction keeps its rows, so it must keep their files too; a committed one must
not leave files nobody names. Every app deletes or replaces uploads through this one helper.
"""

from __future__ import annotations

from django.db import transaction


def delete_after_commit(*files) -> None:
    """Delete the stored ``files`` (``FieldFile`` values, empty ones skipped) after the commit.

    Outside a transaction the files go at once (Django runs the callback immediately).
    """
    names = [(field_file.storage, field_file.name) for field_file in files if field_file]
    if not names:
        return

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)
