"""Content-Security-Policy header (Django 5.2 has none built in).

The policy is ``settings.CONTENT_SECURITY_POLICY``: a dict of directive → list of sources. Pages
load only the site's own scripts, styles and images, so templates carry no inline ``<script>``
code, no ``on…=`` handlers and no ``style=""`` attributes. Data for charts goes through
``{{ value|json_script:"id" }}``: a ``<script type="application/json">`` tag is data, which the
browser never executes, so the policy allows it.
"""

from __future__ import annotations

import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import password_validation
from django.shortcuts import render

HEADER = "Content-Security-Policy"


def policy_header(policy: dict[str, list[str]]) -> str:
    """``{"default-src": ["'self'"], "upgrade-insecure-requests": []}`` → the header's value."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(getattr(settings, "CONTENT_SECURITY_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and HEADER not in response:
            response[HEADER] = self.header
        return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the Chinese lockout page, status 429."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(
        request,
        "registration/lockout.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's check, with the Chinese error its translations lack in 5.2."""

    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
