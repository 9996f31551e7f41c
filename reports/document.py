"""The plain document tree the builders return and the writers walk.

Nothing here knows about the database, HTML, Word or Excel: a builder turns records into these
objects once, and each writer (``reports.writers``) renders the same tree in its own format.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar


@dataclass
class Run:
    """A piece of text; ``figure`` names the figure it was computed from, if any.

    ``error`` marks a placeholder that no longer names a figure (shown as written).
    """

    text: str
    figure: str | None = None
    error: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    align: str = "justify"  # justify | center | right
    indent: bool = True  # first-line indent of two characters
    bold: bool = False
    kind: ClassVar[str] = "paragraph"

    @classmethod
    def plain(cls, text: str, **kwargs) -> Paragraph:
        return cls([Run(text)], **kwargs)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Heading:
    """A numbered heading: level 1 “一、”, 2 “（一）”, 3 “1.”, 4 “（1）” (GB/T 9704-2012)."""

    level: int
    number: str
    text: str

    @property
    def display(self) -> str:
        return f"{self.number}{self.text}"


@dataclass
class ListBlock:
    """Numbered items “（1）…”, each one paragraph."""

    items: list[Paragraph]
    kind: ClassVar[str] = "list"

    @property
    def text(self) -> str:
        return "\n".join(item.text for item in self.items)


@dataclass
class Cell:
    paragraphs: list[Paragraph]
    colspan: int = 1
    label: bool = False  # a label cell of a form (centred, bold)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class Table:
    """A bordered form; ``widths_mm`` gives every column's width, summing to the type area."""

    widths_mm: list[float]
    rows: list[list[Cell]]
    kind: ClassVar[str] = "table"

    @property
    def text(self) -> str:
        return "\n".join(cell.text for row in self.rows for cell in row)

    @property
    def widths_percent(self) -> list[float]:
        """Each column's share of the table's width: the widths in mm on the A4 page, the same
        proportions on a screen narrower than the page."""
        total = sum(self.widths_mm)
        return [100 * width / total for width in self.widths_mm]


@dataclass
class Section:
    heading: Heading
    blocks: list = field(default_factory=list)
    kind: ClassVar[str] = "section"

    @property
    def text(self) -> str:
        return "\n".join([self.heading.display, *(block.text for block in self.blocks)])


@dataclass
class Signature:
    """The signature block: the organisation, and the date below it (“2012年9月”)."""

    organisation: str
    date: str


Value = str | int | Decimal | datetime.date | None


@dataclass
class DataSheet:
    """A plain table of the records behind the figures (an Excel sheet with a header row)."""

    name: str
    headers: list[str]
    rows: list[tuple[Value, ...]]


@dataclass
class Document:
    title: str
    filename: str  # without extension, e.g. 田林二中党支部创先争优工作总结
    blocks: list = field(default_factory=list)
    signature: Signature | None = None
    data_sheets: list[DataSheet] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All the text, in reading order (for tests and plain-text checks)."""
        parts = [self.title, *(block.text for block in self.blocks)]
        if self.signature:
            parts += [self.signature.organisation, self.signature.date]
        return "\n".join(parts)

    def headings(self) -> list[Heading]:
        found = []

        def walk(blocks):
            for block in blocks:
                if isinstance(block, Section):
                    found.append(block.heading)
                    walk(block.blocks)

        walk(self.blocks)
        return found
