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
