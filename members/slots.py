"""Sections that higher apps add to a person's page, so ``members`` never imports them.

An app registers a section in its ``AppConfig.ready``::

    from members import slots

    slots.register_person_section(order=30, provider=participations_section)

A provider receives the request, the person and ``can_read_branch`` (whether the reader may open
the branch's records, so the section knows whether to link them) and returns a ``Section`` or
``None`` to show nothing. Sections are shown in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Section:
    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[..., Section | None]
_person_sections: list[tuple[int, str, Provider]] = []


def register_person_section(*, order: int, provider: Provider) -> None:
    """Adds ``provider`` to the person page (the same function twice is added once)."""
    key = f"{provider.__module__}.{provider.__qualname__}"
    if all(existing != key for _order, existing, _provider in _person_sections):
        _person_sections.append((order, key, provider))
        _person_sections.sort(key=lambda entry: (entry[0], entry[1]))


def person_sections(request, person, *, can_read_branch: bool) -> list[Section]:
    found = []
    for _order, _key, provider in _person_sections:
        section = provider(request, person, can_read_branch=can_read_branch)
        if section is not None:
            found.append(section)
    return found
