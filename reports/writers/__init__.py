"""Writers: each renders a ``reports.document.Document`` in one format, without the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..document import Document
from . import pdf
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


def write_pdf(document: Document) -> bytes:
    """The Word file through LibreOffice (``pdf.available()`` says whether it can be made)."""
    return pdf.convert(write_docx(document), "docx")


PDF = Format("pdf", "application/pdf", write_pdf)


def formats_available() -> dict[str, Format]:
    """The formats this machine can write: PDF only where LibreOffice is installed."""
    return {**FORMATS, "pdf": PDF} if pdf.available() else FORMATS
