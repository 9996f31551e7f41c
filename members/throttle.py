"""Limits on how often something may be tried, counted in the database.

Each try is a row of ``Attempt`` (scope, who, when), so every worker process and every app
server sees the same count: a limit of 5 means 5, however the requests are spread. A client's
address is read exactly as django-axes reads it for the login lock (``AXES_IPWARE_*`` settings,
``X-Forwarded-For`` behind the proxy when ``AXES_PROXY_COUNT`` is set), so behind nginx each
visitor has their own count instead of sharing nginx's.
"""

from __future__ import annotations

import datetime

from axes.helpers import get_client_ip_address
from django.utils import timezone

from .models import Attempt


def client_address(request) -> str:
    """The client's address, as django-axes reads it (docs/security.md)."""
    return get_client_ip_address(request) or "unknown"


def _since(window: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=window)


def count(scope: str, who, *, window: int) -> int:
    """Tries of ``who`` in ``scope`` during the last ``window`` seconds."""
    return Attempt.objects.filter(scope=scope, who=str(who)[:200], at__gte=_since(window)).count()


def record(scope: str, who, *, window: int) -> int:
    """Count one more try and return the tries in the window, this one included.

    Rows older than the window are dropped on the way, so the table stays small.
    """
    who = str(who)[:200]
    Attempt.objects.filter(scope=scope, who=who, at__lt=_since(window)).delete()
    Attempt.objects.create(scope=scope, who=who)
    return count(scope, who, window=window)


def clear(scope: str, who) -> None:
    """Forget the tries of ``who`` in ``scope`` (after a success)."""
    Attempt.objects.filter(scope=scope, who=str(who)[:200]).delete()
