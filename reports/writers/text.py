"""Text measures shared by the writers: how wide text is, where the signature goes."""

from __future__ import annotations

from common.text import display_width

from ..document import Signature


def signature_indents(signature: Signature) -> tuple[float, float]:
    """Right indents, in characters, of the organisation and the date (GB/T 9704 7.3.5.3).

    The organisation sits two characters in from the right; the date starts two characters to
    the right of where the organisation starts. If the date is the longer, the date sits two
    characters in and the organisation moves left to keep the rule.
    """
    name = display_width(signature.organisation) / 2
    date = display_width(signature.date) / 2
    name_indent, date_indent = 2.0, name - date
    if date_indent < 2:
        date_indent = 2.0
        name_indent = date + 4 - name
    return name_indent, date_indent
