"""Change history of a record (django-simple-history), as rows a page can show.

A record page shows its history to the branch's secretary only (``members.access.history_for``)::

    context["history"] = history_for(request.user, person, person.branch)   # None: not allowed
    {% if history is not None %}{% include "includes/history.html" %}{% endif %}

Each row says who changed the record, when, and what, field by field with the model's Chinese
field names and readable values (choice labels, related records by name, 是/否). Rows come newest
first, in a fixed number of queries whatever the length of the history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

# The one set of labels for what a history record did, on every history page.
ACTIONS = {"+": "创建", "~": "修改", "-": "删除"}
EMPTY = "（空）"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    who: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def history_rows(obj) -> list[HistoryRow]:
    """Who changed ``obj``, when and what, newest first."""
    records = list(
        obj.history.select_related("history_user__person").order_by("history_date", "history_id")
    )
    deltas = [
        (record, record.diff_against(before) if before is not None else None)
        for before, record in zip([None, *records], records, strict=False)
    ]
    values = _Values(obj._meta.model, deltas)
    rows = []
    for record, delta in deltas:
        changes = []
        if delta is not None and record.history_type == "~":
            changes = [
                FieldChange(
                    label=values.label(change.field),
                    old=values.show(change.field, change.old),
                    new=values.show(change.field, change.new),
                )
                for change in delta.changes
            ]
            if not changes:
                continue  # saved without a change
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=who(record.history_user),
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    rows.reverse()
    return rows


def who(user) -> str:
    if user is None:
        return "系统"
    person = getattr(user, "person", None)
    return person.name if person else (user.get_full_name() or user.get_username())


class _Values:
    """Readable field names and values; related records are fetched once per related model."""

    def __init__(self, model, deltas):
        self.model = model
        wanted = defaultdict(set)
        for _, delta in deltas:
            for change in delta.changes if delta else []:
                model_field = self.field(change.field)
                if isinstance(model_field, models.ForeignKey):
                    wanted[model_field.related_model].update(
                        value for value in (change.old, change.new) if value is not None
                    )
        self.related = {
            related: related._base_manager.select_related().in_bulk(ids)
            for related, ids in wanted.items()
        }

    def field(self, name):
        return self.model._meta.get_field(name)

    def label(self, name) -> str:
        return str(self.field(name).verbose_name)

    def show(self, name, value) -> str:
        model_field = self.field(name)
        if value is None or value == "":
            return EMPTY
        if isinstance(model_field, models.ForeignKey):
            related = self.related[model_field.related_model].get(value)
            return str(related) if related is not None else f"（已删除的记录 #{value}）"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return "是" if value else "否"
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(model_field, models.FileField):
            # Stored names are random (common.files.RandomName): say what kind of file it was.
            name = str(getattr(value, "name", value))
            suffix = name.rsplit(".", 1)[-1].upper() if "." in name.rsplit("/", 1)[-1] else ""
            return f"{suffix} 文件" if suffix else "文件"
        return str(value)


def history_user():
    """The signed-in user of the request being served (as simple_history's middleware records
    it), for history rows written in bulk; ``None`` outside a request."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
