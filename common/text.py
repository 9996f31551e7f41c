"""How wide text is on paper and on screen: a Chinese (wide) character takes two columns."""

from __future__ import annotations

import re

# The wide and full-width blocks of Unicode (East Asian Width W or F): CJK ideographs and
# punctuation, kana, Hangul, full-width forms. One regular expression instead of a lookup per
# character: the writers measure every cell.
WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60"
    "\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """Width in half-width units: a Chinese (wide) character counts 2, a digit or letter 1."""
    return len(text) + len(WIDE.findall(text))


# C0 control characters but tab, line feed and carriage return; DEL; the C1 block. No keyboard
# types them; Excel (XML 1.0) cannot store them, terminals act on them (\x1b).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(text: str) -> str:
    """``text`` without control characters (tabs and line breaks kept)."""
    return CONTROL_CHARACTERS.sub("", text)


def strip_control_characters_on_save(sender, instance, raw=False, **kwargs) -> None:
    """``pre_save`` hook: strips control characters from every text field of ``instance``.

    Connected for every model of the portal (``members.apps``), so a form, the roster import,
    the admin and code all store the same clean text.
    """
    if raw:
        return
    for field in _text_fields(sender):
        value = getattr(instance, field)
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            setattr(instance, field, strip_control_characters(value))


_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


def _text_fields(model) -> tuple[str, ...]:
    if model not in _TEXT_FIELDS:
        from django.db import models

        _TEXT_FIELDS[model] = tuple(
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        )
    return _TEXT_FIELDS[model]
