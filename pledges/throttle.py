"""The limits of the pledges app, counted in the database (``members.throttle``).

The public objection box: per client address (read as django-axes reads it). Signing: wrong
passwords per account. Both hold across every worker and server.
"""

from __future__ import annotations

from members import throttle
from members.throttle import client_address

# The objection box: at most this many comments from one address per window.
OBJECTION_LIMIT = 3
OBJECTION_WINDOW = 10 * 60
# Signing: after this many wrong passwords, the account may not sign until the window passes.
SIGN_FAILURE_LIMIT = 5
SIGN_FAILURE_WINDOW = 15 * 60

__all__ = ["client_address", "objection_allowed", "signing_failed", "signing_locked"]


def objection_allowed(request) -> bool:
    """Count this comment from the request's address; False once over the limit."""
    address = client_address(request)
    return throttle.record("objection", address, window=OBJECTION_WINDOW) <= OBJECTION_LIMIT


def signing_locked(user) -> bool:
    return throttle.count("sign", user.pk, window=SIGN_FAILURE_WINDOW) >= SIGN_FAILURE_LIMIT


def signing_failed(user) -> None:
    throttle.record("sign", user.pk, window=SIGN_FAILURE_WINDOW)
