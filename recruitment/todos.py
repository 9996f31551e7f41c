"""This app's rows on the to-do lists (``members.todos``): what falls due in development."""

from __future__ import annotations

import datetime

from django.urls import reverse

from members import todos
from members.access import COMMITTEE, SECRETARY, branch_ids_for

from .models import Development, RuleBook
from .progress import next_steps

SOON = datetime.timedelta(days=31)


def development_deadlines(user, today: datetime.date):
    """For a secretary: steps of development overdue, and those due within a month."""
    ids = branch_ids_for(user, SECRETARY)
    if ids is not None and not ids:
        return
    developments = Development.objects.open().for_pipeline()
    if ids is not None:
        developments = developments.filter(person__branch_id__in=sorted(ids))
    book = RuleBook()
    overdue, soon = [], []
    for development in developments:
        for step in next_steps(development, book, today):
            if step.due is None:
                continue
            entry = f"{development.person.name}：{step.label}（{step.due:%Y-%m-%d}）"
            if step.overdue:
                overdue.append(entry)
            elif step.due <= today + SOON:
                soon.append(entry)
    url = reverse("recruitment:pipeline")
    yield todos.Todo(
        "发展党员：已逾期的事项", len(overdue), url, todos.OVERDUE, "；".join(overdue[:3])
    )
    yield todos.Todo("发展党员：一个月内到期", len(soon), url, todos.ACTION, "；".join(soon[:3]))


def approvals_waiting(user, today: datetime.date):
    """For a superior committee: admissions the 支部大会 passed, waiting for its approval."""
    if user.is_superuser:
        ids = None
    else:
        ids = branch_ids_for(user, COMMITTEE)
        if not ids:
            return
    waiting = Development.objects.awaiting_approval().for_pipeline()
    if ids is not None:
        waiting = waiting.filter(person__branch_id__in=sorted(ids))
    book = RuleBook()
    overdue = count = 0
    for development in waiting:
        count += 1
        overdue += any(s.overdue for s in next_steps(development, book, today))
    url = reverse("recruitment:approvals")
    yield todos.Todo("待审批的发展党员（已超期）", overdue, url, todos.OVERDUE)
    yield todos.Todo("待审批的发展党员", count - overdue, url, todos.ACTION)
