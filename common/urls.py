"""Reversing a URL once for a whole list of rows."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_MARK = 987654321  # a primary key no table reaches, to find where the key goes in the path


def pk_url(name: str, *before: object, after: tuple = ()) -> Callable[[object], str]:
    """``reverse(name, args=[*before, pk, *after])`` as a function of ``pk``, reversing once.

    A list page with a link per row reverses its URL pattern per row (about 25 µs each, in a
    ``{% url %}`` tag more); this resolves the pattern once and only joins strings per row. The
    key must be an integer (``<int:pk>``)."""
    path = reverse(name, args=[*before, _MARK, *after])
    head, tail = path.rsplit(str(_MARK), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"
