"""Whole pages served again to the same account while no record of any branch has changed.

The dashboard, the roster, the activity list and the committee's tables keep their bodies in the
fragment cache (``members.freshness``); what a repeated request still cost was the page around
them: the role read, the access checks, the navigation, the to-dos and the template of the page
itself. The other list pages (meetings, measures, pledges, honors, mechanisms) and the calendar,
ledger, evaluation rounds and pipeline were built whole on every visit. This middleware keeps
the finished page (content and the headers set inside the stack) for the account that asked for
it and serves it again while nothing has changed:

- The key holds the account (its id, name, superuser and staff flags, person record), the
  path with its query string, the day, and ``user.portal_version``: the sum of the data versions
  of all branches and their number, read by the account's own query (``members.backends``). Any
  change to a record of any branch, a role given or taken away included (``role_changed``),
  moves it on, so a stored page is never served after a change, nor after the account's rights
  changed. A page is stored under the version read before the view read its records.
- A page is never served to another account: the account's id is in the key. A deactivated
  account or an ended session is not signed in, and the view itself runs for anonymous users.
- Forms keep working: every CSRF token of the stored page is replaced by a fresh one for the
  request (``get_token``), as rendering would.
- With a shared cache (Redis), each process keeps its own copies of the last pages it served
  (``LocalCopies``) and serves a repeated page without asking Redis: what a key names never
  changes, since the key holds the data version the page was built at. Bounded, and kept no
  longer than the shared entry.
- Only GET of the listed pages and downloads, status 200 and not streamed, with no message
  waiting or added, no cookie set by the view; ``PAGE_CACHE_SECONDS=0`` turns it off with the fragment cache. The middlewares
  around this one (session renewal, ``Cache-Control: private, no-store``, CSRF cookie) act on
  the served page as on a rendered one.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from . import freshness

# The pages served whole (URL names): those whose content is the branches' records, the rules
# that judge them and the account's roles, all of it moving the data version when it changes,
# and the day. The report downloads too: the file is cached per branch already, this spares the
# access checks and the period. Not the forms (a POST is never served from here, but their GET
# may hold what the session carries, such as a roster import waiting to be confirmed).
PAGES = frozenset(
    {
        "activities:dashboard",
        "members:person-list",
        "activities:activity-list",
        "activities:meeting-list",
        "activities:measure-list",
        "pledges:pledge-list",
        "honors:honor-list",
        "mechanisms:mechanism-list",
        "obligations:calendar",
        "obligations:heatmap",
        "dues:ledger",
        "evaluation:round-list",
        "recruitment:pipeline",
        "committees:branch-overview",
        "reports:report-download",
    }
)
CSRF_FIELD = b'name="csrfmiddlewaretoken" value="'  # Django's {% csrf_token %}, then the token


class LocalCopies:
    """The pages this process served last, in front of a shared cache.

    A page's key holds the data version the page was built at, so the page stored under a key
    never changes: a copy kept in the process is as good as the shared entry and spares a round
    trip to Redis on every repeated request. At most ``size`` pages (the least recently served
    dropped first), none kept past the time its shared entry expires (stored with the page)."""

    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if expires(page) <= time.time():
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return page

    def set(self, key: str, page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


LOCAL_PAGES = 200  # about 30 kB each: some 6 MB a process at most


def shared_cache() -> bool:
    """Whether the cache is shared by the processes (Redis), not this process's own memory."""
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache)


class WholePageCacheMiddleware:
    """Sits below the authentication and messages middlewares (``settings.MIDDLEWARE``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        # With the cache in the process's own memory already, a second copy would gain nothing.
        self.local = LocalCopies(LOCAL_PAGES) if shared_cache() else None

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        stored = self.local.get(key) if self.local is not None else None
        if stored is None:
            stored = cache.get(key)
            if stored is not None and self.local is not None:
                self.local.set(key, stored)
        if stored is not None:
            return replay(request, stored)
        response = self.get_response(request)
        if storable(request, response):
            seconds = freshness.page_cache_seconds()
            stored = record(response, time.time() + seconds)
            cache.set(key, stored, seconds)
            if self.local is not None:
                self.local.set(key, stored)
        return response

    def key(self, request) -> str | None:
        """The page's key, or ``None`` when this request is not served from the cache."""
        if request.method != "GET" or freshness.page_cache_seconds() <= 0:
            return None
        try:
            if resolve(request.path_info).view_name not in PAGES:
                return None
        except Resolver404:
            return None
        user = request.user
        version = getattr(user, "portal_version", None)
        if not user.is_authenticated or version is None or messages_waiting(request):
            return None
        person = getattr(user, "person", None)
        text = repr(
            (
                user.pk,
                user.get_username(),
                user.get_full_name(),
                user.is_superuser,
                user.is_staff,
                person.pk if person is not None else None,
                request.get_full_path(),
                version,
                timezone.localdate(),
                translation.get_language(),
            )
        )
        return f"page:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def messages_waiting(request) -> bool:
    """Whether a message waits to be shown (the page would show it once, so not stored)."""
    if request.COOKIES.get(CookieStorage.cookie_name):
        return True
    return SessionStorage.session_key in request.session


def storable(request, response) -> bool:
    added = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not added
    )


def record(response, until: float) -> tuple[bytes, list[tuple[str, str]], float]:
    """What is stored of a page: its content, its headers, and when its entry expires."""
    return response.content, list(response.items()), until


def expires(stored) -> float:
    return stored[2]


def replay(request, stored) -> HttpResponse:
    content, headers, _until = stored
    if CSRF_FIELD in content:
        token = get_token(request).encode()
        before, *forms = content.split(CSRF_FIELD)
        content = CSRF_FIELD.join([before, *(token + rest[rest.index(b'"') :] for rest in forms)])
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
