from django.shortcuts import redirect, render
from django.utils import timezone

from members.access import READ_ROLES, public, user_roles
from members.todos import cached_todos_for


@public
def home(request):
    assignments = []
    if user_roles(request.user) & set(READ_ROLES):
        return redirect("activities:dashboard")  # 书记/支委, 工作人员, 上级党委 work from there
    if request.user.is_authenticated:
        assignments = request.user.role_assignments.select_related("branch", "committee")
    todos = cached_todos_for(request.user, timezone.localdate())
    return render(request, "home.html", {"assignments": assignments, "todos": todos})
