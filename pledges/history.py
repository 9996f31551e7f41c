"""The change history of a pledge, its points and its items, as one timeline for the secretary.

Built from django-simple-history's records: one query per model, consecutive records of the same
row compared field by field in Python (``diff_against`` would cost a query per record).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from common.history import ACTIONS, EMPTY, who

from .models import Pledge, PledgeItem, PledgePoint

_SKIPPED = {"id", "updated_at", "created_at", "pledge", "campaign", "person", "previous"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: str
    kind: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def _fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in _SKIPPED]


def _shown(record, model_field, users: dict) -> str:
    value = getattr(record, model_field.attname)
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return users.get(value, str(value))
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def _subject(model, record) -> str:
    if model is Pledge:
        return f"承诺书（第{record.version}版）"
    if model is PledgePoint:
        return f"承诺要点“{record.get_point_display()}”"
    return f"承诺事项“{record.title}”"


def pledge_timeline(pledge: Pledge) -> list[Entry]:
    """Every recorded change to ``pledge``, its points and its items, newest first."""
    sources = [
        (Pledge, Pledge.history.filter(id=pledge.pk)),
        (PledgePoint, PledgePoint.history.filter(pledge_id=pledge.pk)),
        (PledgeItem, PledgeItem.history.filter(pledge_id=pledge.pk)),
    ]
    records = []
    for model, history in sources:
        rows = list(
            history.select_related("history_user__person").order_by("id", "history_date", "pk")
        )
        records.append((model, rows))

    user_ids = {
        getattr(row, f.attname)
        for model, rows in records
        for row in rows
        for f in _fields(model)
        if f.is_relation and getattr(row, f.attname)
    }
    users = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))

    entries = []
    for model, rows in records:
        previous = None
        for row in rows:
            same_row = previous is not None and previous.id == row.id
            changes = []
            if row.history_type == "~" and same_row:
                for f in _fields(model):
                    old, new = _shown(previous, f, users), _shown(row, f, users)
                    if old != new:
                        changes.append(Change(str(f.verbose_name), old, new))
            elif row.history_type == "+":
                for f in _fields(model):
                    new = _shown(row, f, users)
                    if new != EMPTY:
                        changes.append(Change(str(f.verbose_name), "", new))
            previous = row
            if row.history_type == "~" and not changes:
                continue  # saved again without a visible change
            entries.append(
                Entry(
                    when=row.history_date,
                    who=who(row.history_user),
                    kind=ACTIONS.get(row.history_type, row.history_type),
                    subject=_subject(model, row),
                    changes=changes,
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
