"""Cached page fragments that are never stale: keyed by the data version of their branches.

Every branch carries ``data_version`` (``Branch`` in this app): the time, in microseconds, of the last
change to any of its records. A change to a record of the portal's apps (``post_save`` /
``post_delete``, connected in ``members/apps.py``) moves the version of the record's branch on
(``touch_branches``), after the transaction commits. A cached fragment's key holds the versions
of the branches it shows (``fragment_key``), so after a change its old entry is simply never
asked for again, and the next request builds the fragment anew from the records.

Why this is safe:

- The version is read (with the branch, at the start of the request) before the records, and is
  moved on only after the change is committed: a fragment stored under a version was built from
  records at least as new as that version.
- Writes that bypass the model signals (``bulk_create``, ``QuerySet.update``) call
  ``touch_branches`` themselves. Every model of the portal's apps declares how a record finds
  its branch (``branch_path``, ``members/scoping.py``), and a test fails when a model declares
  none.
- A rule by which branches are judged (dated data of no branch: obligations, dues, admission
  times, the 优秀 quota; ``judges_branches = True``) moves on every branch it covers when it
  changes, by the admin too (``rule_changed``): its committee's branches, or all for a national
  rule. A test fails when a record of no branch does not say whether it is such a rule.
- Versions are timestamps, not counters starting at 0, so a database built anew (``migrate`` +
  ``generate_data`` / ``restore``) cannot meet entries a shared cache (Redis) kept from an
  earlier one.
- Entries also expire after ``PAGE_CACHE_SECONDS`` (10 minutes by default): a process that dies
  between a commit and the version's update leaves stale fragments for at most that long.

``PAGE_CACHE_SECONDS=0`` turns the fragment cache off (every request builds everything).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.template.loader import render_to_string

from .scoping import branch_ids_of, branch_path

# Tests replace this with a direct call: their transaction is rolled back, never committed.
_after_commit = transaction.on_commit


def now_version() -> int:
    """A new data version: the current time in microseconds."""
    return time.time_ns() // 1000


def page_cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 600))


# Moving versions on ------------------------------------------------------------------------


def _bump(branch_ids: set[int]) -> None:
    # Looked up, not imported: members.models imports this module (``now_version``).
    Branch = apps.get_model("members", "Branch")
    Branch.objects.filter(pk__in=sorted(branch_ids)).update(
        data_version=Greatest(F("data_version") + 1, now_version())
    )


def touch_branches(branch_ids: Iterable[int | None]) -> None:
    """Mark the records of these branches as changed, once the current transaction commits.

    Several touches in one transaction update each branch once: they join the callback the
    transaction already holds.
    """
    wanted = {pk for pk in branch_ids if pk is not None}
    if not wanted:
        return
    if connection.in_atomic_block:
        for _savepoints, func, _robust in connection.run_on_commit:
            pending = getattr(func, "branch_ids", None)
            if pending is not None:
                pending.update(wanted)
                return

    def bump() -> None:
        _bump(bump.branch_ids)

    bump.branch_ids = wanted
    _after_commit(bump)


def portal_models() -> list:
    """The models of the portal's own apps (those whose code lives in the project), history
    tables left out: each must declare ``branch_path``, ``None`` for a record of no branch."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        model
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == root
        for model in config.get_models()
        if not model._meta.object_name.startswith("Historical")
    ]


def tracked_models() -> list:
    """The portal's models whose records belong to a branch: a change to one of them makes the
    branch's cached pages stale. A new app's models are tracked as soon as it is installed."""
    return [model for model in portal_models() if branch_path(model) is not None]


def record_changed(sender, instance, raw=False, **kwargs) -> None:
    """``post_save`` / ``post_delete`` of a tracked model: its branch's pages are stale."""
    if raw or branch_path(sender) is None:
        return
    touch_branches(branch_ids_of(instance))


def rule_models() -> list:
    """The portal's rules: dated data of no branch (``branch_path = None``) by which the records
    of branches are judged, each declaring ``judges_branches = True``. A record of no branch
    that judges nothing (a log, a user's setting) declares ``judges_branches = False``."""
    return [model for model in portal_models() if getattr(model, "judges_branches", False)]


def rule_changed(sender, instance, raw=False, **kwargs) -> None:
    """``post_save`` / ``post_delete`` of a rule: what the branches it covers owe, and so their
    pages and to-dos, may have changed. A committee's rule (``committee_id``) covers the
    committee's branches; a national one, every branch. Whether it was changed through a
    committee's page, the admin or a data migration."""
    if raw:
        return
    Branch = apps.get_model("members", "Branch")
    committee_id = getattr(instance, "committee_id", None)
    branches = Branch.objects.all()
    if committee_id is not None:
        branches = branches.filter(committee_id=committee_id)
    touch_branches(branches.values_list("pk", flat=True))


def role_changed(sender, instance, raw=False, **kwargs) -> None:
    """``post_save`` / ``post_delete`` of a role assignment. One of a branch moves that branch on
    (``record_changed``); one of a committee (no branch) moves on every branch of the committee,
    so that a page served whole to the account (``members.pagecache``) is built anew with its
    new rights."""
    if raw or instance.branch_id is not None or instance.committee_id is None:
        return
    Branch = apps.get_model("members", "Branch")
    touch_branches(
        Branch.objects.filter(committee_id=instance.committee_id).values_list("pk", flat=True)
    )


# Reading fragments -------------------------------------------------------------------------


def context_processor(request) -> dict:
    """``page_cache_seconds`` for ``{% cache %}`` in templates (the navigation's links)."""
    return {"page_cache_seconds": page_cache_seconds()}


def fragment_key(name: str, versions: Iterable[tuple[int, int]], *variant) -> str:
    """The cache key of fragment ``name`` for branches at ``versions`` ((pk, version) pairs)."""
    text = repr((sorted(versions), variant))
    return f"fragment:{name}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def branch_versions(branches) -> list[tuple[int, int]]:
    """(pk, data_version) of each branch, from loaded branches or a QuerySet (one query)."""
    if hasattr(branches, "values_list"):
        return list(branches.values_list("pk", "data_version"))
    return [(branch.pk, branch.data_version) for branch in branches]


def cached(name: str, branches, variant: tuple, build: Callable[[], object]):
    """``build()``, or what it returned for the same branches, versions and ``variant`` before."""
    seconds = page_cache_seconds()
    if seconds <= 0:
        return build()
    key = fragment_key(name, branch_versions(branches), *variant)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


def get_many(keys) -> dict:
    """The cached values of ``keys`` that are there (none while the cache is off)."""
    return cache.get_many(list(keys)) if page_cache_seconds() > 0 else {}


def set_many(values: dict) -> None:
    if page_cache_seconds() > 0 and values:
        cache.set_many(values, page_cache_seconds())


def query_variant(request) -> tuple:
    """The request's query string as a key part, its parameters sorted."""
    return tuple(sorted((key, tuple(values)) for key, values in request.GET.lists()))


def cached_render(name: str, request, branches, variant: tuple, template: str, context) -> str:
    """``template`` rendered with ``context()`` (called only on a miss), cached like ``cached``.

    The template must not depend on the user beyond what ``variant`` holds, and must carry no
    CSRF token: one rendering is served to every request with the same key.
    """
    return cached(
        name,
        branches,
        variant,
        lambda: render_to_string(template, context(), request=request),
    )
