"""Small counters in Django's cache that limit how often something may be tried.

Used for the public objection box (per client address) and for wrong passwords when signing
(per account). With several app servers the cache must be shared (Redis) for the limits to hold
across them; with the default local-memory cache they hold per process.
"""

from __future__ import annotations

from django.core.cache import cache

# The objection box: at most this many comments from one address per window.
OBJECTION_LIMIT = 3
OBJECTION_WINDOW = 10 * 60
# Signing: after this many wrong passwords, the account may not sign until the window passes.
SIGN_FAILURE_LIMIT = 5
SIGN_FAILURE_WINDOW = 15 * 60


def client_address(request) -> str:
    """The address the request came from. Behind a proxy, configure it to set REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, who) -> str:
    return f"pledges:throttle:{scope}:{who}"


def count(scope: str, who) -> int:
    return cache.get(_key(scope, who), 0)


def record(scope: str, who, window: int) -> int:
    """Count one more attempt (the window starts at the first one); return the new count."""
    key = _key(scope, who)
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def objection_allowed(request) -> bool:
    """Count this comment from the request's address; False once over the limit."""
    return record("objection", client_address(request), OBJECTION_WINDOW) <= OBJECTION_LIMIT


def signing_locked(user) -> bool:
    return count("sign", user.pk) >= SIGN_FAILURE_LIMIT


def signing_failed(user) -> None:
    record("sign", user.pk, SIGN_FAILURE_WINDOW)
