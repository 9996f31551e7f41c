"""Writers: each renders a ``reports.document.Document`` in one format, without the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..document import Document
from .docx import write_docx
from .html import write_html
from .xlsx import write_xlsx


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    write: Callable[[Document], bytes]


FORMATS: dict[str, Format] = {
    "html": Format("html", "text/html; charset=utf-8", write_html),
    "docx": Format(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        write_docx,
    ),
    "xlsx": Format(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx
    ),
}
