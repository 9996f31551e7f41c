from django.shortcuts import render

from common.access import public


@public
def home(request):
    assignments = []
    if request.user.is_authenticated:
        assignments = request.user.role_assignments.select_related("branch", "committee")
    return render(request, "home.html", {"assignments": assignments})
