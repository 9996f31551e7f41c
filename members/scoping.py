"""Each model's path to its branch, declared once, and what is read from it.

A model of the portal's apps declares ``branch_path``: the ORM lookup from the model to
``members.Branch`` (``"branch"``, ``"meeting__branch"``, ``"carrier__campaign__branch"``; ``""``
for ``Branch`` itself). ``Committee`` is the one record that belongs to several branches: its
path ``"branches"`` names every branch of the committee (``COMMITTEE_PATH``), read apart below.

Three things read the declaration: ``BranchScopedQuerySet.for_branch`` (the records of a
branch), ``members.freshness`` (whose cached pages a change makes stale) and
``members.access.get_for_user`` (whether a user acts on a record's branch).
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

# The committee's path: every branch of the committee, not one.
COMMITTEE_PATH = "branches"


def branch_path(model) -> str | None:
    """The model's declared path to its branch, ``None`` when it declares none."""
    return getattr(model, "branch_path", None)


def branch_id_of(instance) -> int | None:
    """The id of the one branch ``instance`` belongs to, read along its ``branch_path``.

    ``"a__b__branch"`` is read as ``instance.a.b.branch_id`` (no query when ``a__b`` was selected
    with the record). ``None`` when a link on the way is empty or was deleted in the same cascade.
    """
    path = type(instance).branch_path
    if path == COMMITTEE_PATH:
        raise ValueError("a committee has many branches: use branch_ids_of()")
    if path == "":
        return instance.pk
    *links, last = path.split("__")
    value = instance
    for name in links:
        try:
            value = getattr(value, name)
        except ObjectDoesNotExist:
            return None
        if value is None:
            return None
    return getattr(value, f"{last}_id")


def branch_ids_of(instance) -> set[int]:
    """The branches whose records include ``instance``: its one branch, or a committee's all."""
    if type(instance).branch_path == COMMITTEE_PATH:
        return set(instance.branches.values_list("pk", flat=True))
    branch_id = branch_id_of(instance)
    return set() if branch_id is None else {branch_id}


class BranchScopedQuerySet(models.QuerySet):
    """``for_branch(branch)`` read from the model's ``branch_path``."""

    def for_branch(self, branch):
        return self.filter(**{self.model.branch_path or "pk": branch})
