from django.shortcuts import redirect, render
from django.utils import timezone

from members.access import COMMITTEE, READ_ROLES, public, user_roles
from members.todos import cached_todos_for
from pledges.models import PledgePublication


@public
def home(request):
    assignments = []
    roles = user_roles(request.user)
    if roles == {COMMITTEE}:
        return redirect("committees:branch-overview")  # 上级党委: every branch side by side
    if roles & set(READ_ROLES):
        return redirect("activities:dashboard")  # 书记/支委, 工作人员, 上级党委 work from there
    if request.user.is_authenticated:
        assignments = request.user.role_assignments.select_related("branch", "committee")
    today = timezone.localdate()
    todos = cached_todos_for(request.user, today)
    # The pledge pages being published today (公示): the way in for visitors without an account.
    publications = (
        PledgePublication.objects.on(today)
        .select_related("campaign__branch")
        .order_by("campaign__branch__short_name", "-start")
    )
    return render(
        request,
        "home.html",
        {"assignments": assignments, "todos": todos, "publications": publications},
    )
