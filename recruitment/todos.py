"""This app's rows on the to-do lists (``members.todos``): what falls due in development."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse

from members import todos
from members.access import COMMITTEE, SECRETARY, branch_ids_for
from members.models import Branch, RoleAssignment

from .models import Development, RuleBook
from .progress import Facts, steps_of

SOON = datetime.timedelta(days=31)


def development_deadlines(user, today: datetime.date):
    """For a secretary: steps of development overdue, and those due within a month."""
    ids = branch_ids_for(user, SECRETARY)
    if ids is not None and not ids:
        return
    developments = Development.objects.open()
    if ids is not None:
        developments = developments.filter(person__branch_id__in=sorted(ids))
    book = RuleBook()
    overdue, soon = [], []
    for row in developments.step_facts():
        for step in steps_of(Facts.of_row(row), book, today):
            if step.due is None:
                continue
            entry = f"{row['name']}：{step.label}（{step.due:%Y-%m-%d}）"
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
    waiting = Development.objects.awaiting_approval()
    if ids is not None:
        waiting = waiting.filter(person__branch_id__in=sorted(ids))
    book = RuleBook()
    overdue = count = 0
    for row in waiting.step_facts():
        count += 1
        overdue += any(s.overdue for s in steps_of(Facts.of_row(row), book, today))
    url = reverse("recruitment:approvals")
    yield todos.Todo("待审批的发展党员（已超期）", overdue, url, todos.OVERDUE)
    yield todos.Todo("待审批的发展党员", count - overdue, url, todos.ACTION)


def recruitment_for_many(users, today: datetime.date):
    """``development_deadlines`` and ``approvals_waiting`` for many users at once (the weekly
    digest): the open records of every branch concerned read in one query, one rule book."""
    ids = [user.pk for user in users]
    assignments = list(
        RoleAssignment.objects.filter(user__in=ids, role__in=[SECRETARY, COMMITTEE]).values_list(
            "user_id", "role", "branch_id", "committee_id"
        )
    )
    if not assignments:
        return {}
    committees = {committee for _, role, _, committee in assignments if role == COMMITTEE}
    committee_branches: dict[int, set[int]] = defaultdict(set)
    for branch_pk, committee_pk in Branch.objects.filter(committee__in=committees).values_list(
        "pk", "committee_id"
    ):
        committee_branches[committee_pk].add(branch_pk)
    secretary_of: dict[int, set[int]] = defaultdict(set)
    committee_of: dict[int, set[int]] = defaultdict(set)
    for user_pk, role, branch_pk, committee_pk in assignments:
        if role == SECRETARY and branch_pk:
            secretary_of[user_pk].add(branch_pk)
        elif role == COMMITTEE and committee_pk:
            committee_of[user_pk] |= committee_branches[committee_pk]
    wanted = set().union(*secretary_of.values(), *committee_of.values())
    book = RuleBook()
    overdue, soon = defaultdict(int), defaultdict(int)  # by branch
    for row in Development.objects.open().filter(person__branch_id__in=sorted(wanted)).step_facts():
        for step in steps_of(Facts.of_row(row), book, today):
            if step.due is None:
                continue
            branch_pk = row["branch_id"]
            if step.overdue:
                overdue[branch_pk] += 1
            elif step.due <= today + SOON:
                soon[branch_pk] += 1
    waiting, late = defaultdict(int), defaultdict(int)
    for row in (
        Development.objects.awaiting_approval()
        .filter(person__branch_id__in=sorted(wanted))
        .step_facts()
    ):
        branch_pk = row["branch_id"]
        waiting[branch_pk] += 1
        late[branch_pk] += any(s.overdue for s in steps_of(Facts.of_row(row), book, today))
    pipeline, approvals = reverse("recruitment:pipeline"), reverse("recruitment:approvals")
    found = defaultdict(list)
    for user_pk, branches in secretary_of.items():
        found[user_pk] += [
            todos.Todo(
                "发展党员：已逾期的事项",
                sum(overdue[b] for b in branches),
                pipeline,
                todos.OVERDUE,
            ),
            todos.Todo(
                "发展党员：一个月内到期", sum(soon[b] for b in branches), pipeline, todos.ACTION
            ),
        ]
    for user_pk, branches in committee_of.items():
        n_late = sum(late[b] for b in branches)
        found[user_pk] += [
            todos.Todo("待审批的发展党员（已超期）", n_late, approvals, todos.OVERDUE),
            todos.Todo(
                "待审批的发展党员",
                sum(waiting[b] for b in branches) - n_late,
                approvals,
                todos.ACTION,
            ),
        ]
    return found
