"""Pledge items' deadlines for calendars and reminders (``members.deadlines``), in one query."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse

from members.deadlines import Deadline

from .models import PledgeItem


def pledge_item_deadlines(person_ids, start: datetime.date, end: datetime.date):
    items = (
        PledgeItem.objects.tracked()
        .open()
        .filter(pledge__person__in=person_ids, deadline__range=(start, end))
        .values_list("pk", "pledge_id", "pledge__person_id", "title", "deadline")
    )
    found = defaultdict(list)
    url = reverse("pledges:my-pledges")  # the person's own pledges (one link for all)
    for pk, _pledge_id, person_id, title, deadline in items:
        found[person_id].append(Deadline(f"pledge-item:{pk}", f"承诺事项：{title}", deadline, url))
    return found
