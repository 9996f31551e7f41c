"""This app's lines on the home page's to-do list (``members.todos``)."""

from __future__ import annotations

from django.urls import reverse

from members.access import SECRETARY, branch_list_for
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
