"""Placeholders 【名称】 in narrative texts: found, and checked against the figures' names.

Kept apart from ``narrative.py`` so that the model (``NarrativeText.clean``) can check a text
without importing the module that reads the model.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from .figures import Figures, ReportPeriod

PLACEHOLDER = re.compile(r"【([^【】\n]{1,40})】")


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text or "")


def check_placeholders(text: str, valid_names: list[str]) -> None:
    """Raise a Chinese ``ValidationError`` listing unknown placeholders and the valid names."""
    valid = set(valid_names)
    unknown = list(dict.fromkeys(name for name in placeholders(text) if name not in valid))
    if unknown:
        raise ValidationError(
            "未知的数据名称：%(unknown)s。可用的名称有：%(valid)s。",
            code="unknown_placeholder",
            params={
                "unknown": "、".join(f"【{name}】" for name in unknown),
                "valid": "、".join(f"【{name}】" for name in valid_names),
            },
        )


def valid_names(campaign, year: int | None = None) -> list[str]:
    if year:
        return Figures(campaign.branch, ReportPeriod.for_year(campaign.branch, year)).names()
    return Figures(campaign.branch, ReportPeriod.for_campaign(campaign)).names()
