"""HTML writer: the document tree through a Django template (autoescaped: user text is text)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from ..document import Document
from .text import signature_indents

STYLESHEET = "reports/report.css"


def document_context(document: Document) -> dict:
    """What the templates need besides the tree: the signature's indents."""
    indents = signature_indents(document.signature) if document.signature else (0, 0)
    return {"document": document, "signature_indents": indents}


def write_html(document: Document) -> bytes:
    """A standalone page (styles inlined) for the command line and for saving."""
    path = finders.find(STYLESHEET)
    with open(path, encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    html = render_to_string(
        "reports/document_standalone.html", {**document_context(document), "css": css}
    )
    return html.encode("utf-8")
