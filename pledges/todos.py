"""This app's lines on the home page's to-do list (``members.todos``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.urls import reverse

from members.access import SECRETARY, branch_list_for
from members.models import RoleAssignment
from members.todos import ACTION, OVERDUE, Todo

from .models import Pledge, PledgeItem, PledgeObjection


def my_pledges(user, today):
    """A member: pledges returned to them, approved and waiting for their signature, overdue items."""
    mine = Pledge.objects.of_user(user).current()
    url = reverse("pledges:my-pledges")
    counts = mine.count_by_status()
    yield Todo("承诺书被退回，请修改后重新提交", counts.get(Pledge.Status.RETURNED, 0), url, ACTION)
    yield Todo("承诺书已通过审核，请签署", counts.get(Pledge.Status.APPROVED, 0), url, ACTION)
    overdue = PledgeItem.objects.of_user(user).tracked().overdue(today).count()
    yield Todo("承诺事项已过完成时限，请更新进展", overdue, url, OVERDUE)


def branch_pledges(user, today):
    """A secretary: pledges waiting for review and 群众意见 not yet answered, per branch."""
    branches = branch_list_for(user, SECRETARY) or []
    several = len(branches) > 1
    for branch in branches:
        suffix = f"（{branch.short_name}）" if several else ""
        waiting = (
            Pledge.objects.for_branch(branch)
            .current()
            .awaiting_review()
            .exclude(person__user=user)  # another 支委 or the committee reviews one's own
            .count()
        )
        yield Todo(
            f"待审核的承诺书{suffix}",
            waiting,
            f"{reverse('pledges:pledge-list')}?branch={branch.pk}",
            ACTION,
        )
        unanswered = PledgeObjection.objects.for_branch(branch).unhandled().count()
        yield Todo(
            f"未处理的群众意见{suffix}",
            unanswered,
            f"{reverse('pledges:objection-list')}?branch={branch.pk}",
            ACTION,
        )


def pledges_for_many(users, today):
    """``my_pledges`` and ``branch_pledges`` for many users in five queries (the weekly digest).
    Labels and links as above; the secretary's lines always name the branch."""
    ids = [user.pk for user in users]
    found = defaultdict(list)
    url = reverse("pledges:my-pledges")
    mine = defaultdict(dict)
    rows = Pledge.objects.current().filter(
        person__user__in=ids, status__in=[Pledge.Status.RETURNED, Pledge.Status.APPROVED]
    )
    for user_pk, status, n in (
        rows.values_list("person__user", "status").annotate(n=Count("pk")).order_by()
    ):
        mine[user_pk][status] = n
    overdue = dict(
        PledgeItem.objects.tracked()
        .overdue(today)
        .filter(pledge__person__user__in=ids)
        .values_list("pledge__person__user")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for user_pk in set(mine) | set(overdue):
        counts = mine.get(user_pk, {})
        found[user_pk] += [
            Todo(
                "承诺书被退回，请修改后重新提交", counts.get(Pledge.Status.RETURNED, 0), url, ACTION
            ),
            Todo("承诺书已通过审核，请签署", counts.get(Pledge.Status.APPROVED, 0), url, ACTION),
            Todo("承诺事项已过完成时限，请更新进展", overdue.get(user_pk, 0), url, OVERDUE),
        ]
    secretaries = defaultdict(list)
    for user_pk, branch_pk, name in RoleAssignment.objects.filter(
        user__in=ids, role=SECRETARY, branch__isnull=False
    ).values_list("user", "branch", "branch__short_name"):
        secretaries[user_pk].append((branch_pk, name))
    branch_ids = {pk for pairs in secretaries.values() for pk, _name in pairs}
    waiting = dict(
        Pledge.objects.current()
        .awaiting_review()
        .filter(campaign__branch__in=branch_ids)
        .values_list("campaign__branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    unanswered = dict(
        PledgeObjection.objects.unhandled()
        .filter(campaign__branch__in=branch_ids)
        .values_list("campaign__branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    pledge_list, objection_list = reverse("pledges:pledge-list"), reverse("pledges:objection-list")
    for user_pk, pairs in secretaries.items():
        for branch_pk, name in pairs:
            found[user_pk] += [
                Todo(
                    f"待审核的承诺书（{name}）",
                    waiting.get(branch_pk, 0),
                    f"{pledge_list}?branch={branch_pk}",
                    ACTION,
                ),
                Todo(
                    f"未处理的群众意见（{name}）",
                    unanswered.get(branch_pk, 0),
                    f"{objection_list}?branch={branch_pk}",
                    ACTION,
                ),
            ]
    return found
