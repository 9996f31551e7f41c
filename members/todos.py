"""What needs a person's action: a small registry the apps fill, read by the home page.

An app contributes a provider in its ``AppConfig.ready``::

    from members import todos

    @todos.register
    def pledges_to_sign(user, today):
        ...
        yield todos.Todo("待签订的承诺书", count, reverse("pledges:mine"), todos.ACTION)

A provider receives the signed-in user and today's date (``timezone.localdate()``) and yields
``Todo`` rows for that user only, already scoped by the access helpers; a provider that has
nothing to say yields nothing. Lower apps never import the apps that provide to-dos: the home page
asks the registry, the apps answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from . import freshness
from .access import role_assignments_of
from .models import Branch

# How urgent a to-do is; the home page sorts by it and colours the badge by it.
OVERDUE = "overdue"  # a date has passed
ACTION = "action"  # waiting for this person
INFO = "info"  # coming up
LEVEL_ORDER = {OVERDUE: 0, ACTION: 1, INFO: 2}


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    level: str = ACTION
    detail: str = ""


Provider = Callable[[object, date], Iterable[Todo]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Adds a provider (usable as a decorator); registering the same function twice is a no-op."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


# The same rows for many users at once (the weekly digest asks for thousands): an app that can
# answer in a fixed number of queries registers a bulk provider too, which receives the users and
# today and returns {user pk: [Todo, …]}.
BulkProvider = Callable[[list, date], dict[int, list[Todo]]]
_bulk_providers: list[BulkProvider] = []


def register_bulk(provider: BulkProvider) -> BulkProvider:
    if provider not in _bulk_providers:
        _bulk_providers.append(provider)
    return provider


def bulk_todos_for(users, today: date) -> dict[int, list[Todo]]:
    """Every bulk provider's to-dos for ``users``, by user pk, the most urgent first."""
    users = list(users)
    found: dict[int, list[Todo]] = {}
    for provider in _bulk_providers:
        for user_pk, rows in provider(users, today).items():
            found.setdefault(user_pk, []).extend(row for row in rows if row.count > 0)
    return {
        pk: sorted(rows, key=lambda todo: LEVEL_ORDER.get(todo.level, 9))
        for pk, rows in found.items()
    }


def todos_for(user, today: date) -> list[Todo]:
    """Every provider's to-dos for ``user``, the most urgent first; rows counting 0 are left out."""
    if not user.is_authenticated:
        return []
    found = [todo for provider in _providers for todo in provider(user, today) if todo.count > 0]
    return sorted(found, key=lambda todo: LEVEL_ORDER.get(todo.level, 9))


def cached_todos_for(user, today: date) -> list[Todo]:
    """``todos_for``, kept in the fragment cache until a record of one of the user's branches
    changes (the branches of their roles; a committee role brings all the committee's branches)."""
    if not user.is_authenticated:
        return []
    assignments = role_assignments_of(user)
    branches: list = [a.branch for a in assignments if a.branch_id]
    committees = {a.committee_id for a in assignments if a.committee_id}
    if committees:
        branches += list(Branch.objects.filter(committee_id__in=committees).only("data_version"))
    return freshness.cached("todos", branches, (user.pk, today), lambda: todos_for(user, today))
