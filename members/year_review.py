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

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from common.docx import OfficialDocument


@dataclass
class Section:
    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    template: str = ""
    context: dict = field(default_factory=dict)


def year_span(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``year``, the span every section counts over."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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


def title_for(person, year: int) -> str:
    return f"{person.name}{year}年度党员纪实"


def membership_text(person, year: int) -> str:
    """The person's membership of the branch during ``year``, as one phrase."""
    start, end = year_span(year)
    spans = [
        f"{max(m.start, start):%m月%d日}至{min(m.end or end, end):%m月%d日}"
        for m in person.memberships.during(start, end).order_by("start")
    ]
    return f"本年度在册：{'、'.join(spans)}" if spans else "本年度不在册"


def as_text(sections: list[Section]) -> str:
    """The sections as plain text, one line a row: the start of a self-assessment."""
    lines = []
    for number, section in enumerate(sections, start=1):
        lines.append(f"{number}. {section.title}")
        lines += [f"    {label}：{text}" for label, text in section.rows]
    return "\n".join(lines)


def to_docx(person, year: int, sections: list[Section], *, today: datetime.date) -> bytes:
    """The year in review as a Word document (GB/T 9704 basics, ``common.docx``)."""
    document = OfficialDocument(title_for(person, year))
    document.paragraph(
        f"{person.branch.name}，{person.name}，{person.get_political_status_display()}。"
        f"{membership_text(person, year)}。"
    )
    numerals = "一二三四五六七八九十"
    for number, section in enumerate(sections):
        label = numerals[number] if number < len(numerals) else str(number + 1)
        document.heading(f"{label}、{section.title}")
        document.table(None, [[label, text] for label, text in section.rows], [40, 116])
    document.signature(person.branch.name, today)
    return document.to_bytes()
