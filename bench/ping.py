"""The benchmark's ceiling: a view that returns a short text and touches nothing else.

Routed only when the server runs with ``BENCH=1`` (see ``branch_portal/urls.py``), so a normal
installation has no such URL. It is ``public``: no session, no database query.
"""

from django.http import HttpResponse

from members.access import public


@public
def ping(request):
    return HttpResponse("pong", content_type="text/plain; charset=utf-8")
