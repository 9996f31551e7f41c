"""A member's year in review (党员年度纪实): sections the domain apps contribute.

``members`` does not read the activities, pledges, honors, dues or meetings of a person; each app
registers what it knows about one person in one year, in its ``AppConfig.ready``::

    from members import year_review

    @year_review.register(order=20)
    def meetings(person, year):
        ...
        return year_review.Section(
            key="meetings",
            title="组织生活",
            rows=[("支部党员大会", "应参加 4 次，出席 3 次，请假 1 次")],
            template="activities/_year_meetings.html",  # optional: a richer page block
            context={...},
        )

A provider returns a ``Section`` or ``None`` (nothing to say). ``rows`` are plain (label, text)
pairs, the same on the page, in the Word export and in the self-assessment's starting text, so
every figure is written once, by the app that owns the records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Section:
    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    template: str = ""
    context: dict = field(default_factory=dict)


Provider = Callable[[object, int], Section | None]
_providers: list[tuple[int, str, Provider]] = []


def register(*, order: int):
    """Decorator: add a provider of one section, shown in ``order`` (same function: added once)."""

    def add(provider: Provider) -> Provider:
        key = f"{provider.__module__}.{provider.__qualname__}"
        if all(existing != key for _order, existing, _provider in _providers):
            _providers.append((order, key, provider))
            _providers.sort(key=lambda entry: (entry[0], entry[1]))
        return provider

    return add


def sections_for(person, year: int) -> list[Section]:
    """Every app's section for ``person`` in ``year``, in order; apps with nothing are left out."""
    found = []
    for _order, _key, provider in _providers:
        section = provider(person, year)
        if section is not None:
            found.append(section)
    return found
