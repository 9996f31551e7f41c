"""Dated things people must do, from the apps that own them: read by calendars and reminders.

``members`` does not read pledges or other apps' records. An app registers a provider in its
``AppConfig.ready``::

    from members import deadlines

    @deadlines.register
    def pledge_items(person_ids, start, end):
        ...  # one query for all of them
        return {person_id: [deadlines.Deadline(key, "承诺事项：…", day, url_path)], ...}

A provider answers for many people at once (the weekly digest asks for every addressee in one
call) and returns, per person id, the ``Deadline`` rows falling from ``start`` to ``end``.
``key`` names the thing across runs (the digest never reminds twice of the same key and day).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    day: datetime.date
    url: str = ""


Provider = Callable[[list[int], datetime.date, datetime.date], dict[int, list[Deadline]]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def deadlines_for(
    person_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, list[Deadline]]:
    """Every provider's deadlines for these people, by person id, earliest first."""
    ids = list(person_ids)
    found: dict[int, list[Deadline]] = defaultdict(list)
    for provider in _providers:
        for person_id, rows in provider(ids, start, end).items():
            found[person_id].extend(rows)
    return {pk: sorted(rows, key=lambda d: d.day) for pk, rows in found.items()}
