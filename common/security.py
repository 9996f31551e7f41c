"""Content-Security-Policy header (Django 5.2 has none built in).

The policy is ``settings.CONTENT_SECURITY_POLICY``: a dict of directive → list of sources. Pages
load only the site's own scripts, styles and images, so templates carry no inline ``<script>``
code, no ``on…=`` handlers and no ``style=""`` attributes. Data for charts goes through
``{{ value|json_script:"id" }}``: a ``<script type="application/json">`` tag is data, which the
browser never executes, so the policy allows it.
"""

from __future__ import annotations

import math
import re
import time

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.views.debug import SafeExceptionReporterFilter

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


class SessionRefreshMiddleware:
    """Renews a signed-in session (its row and its cookie) at most once a minute.

    The session ends after ``SESSION_COOKIE_AGE`` without a request; Django's way to keep it
    alive, ``SESSION_SAVE_EVERY_REQUEST``, rewrites the session row on every request. This saves it
    only when the last renewal is ``SESSION_REFRESH_SECONDS`` (60) old, so the idle limit holds
    to within that minute and a busy page costs one session write a minute instead of one per
    request. Sits below ``SessionMiddleware``, which does the saving.
    """

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = int(getattr(settings, "SESSION_REFRESH_SECONDS", 60))

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.session_key:
            now = int(time.time())
            if session.modified or now - int(session.get(self.KEY, 0)) >= self.interval:
                session[self.KEY] = now
        return response


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind ``AXES_PROXY_COUNT`` proxies the entry
    they appended to ``X-Forwarded-For`` (counted from the right, so an address the client put
    there itself is never taken). django-axes calls it (``AXES_CLIENT_IP_CALLABLE``) and so does
    every other limit of the portal (``members.throttle``)."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies][:45]


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


PERSONAL_NAMES = re.compile(r"phone|birth|id_?card|identity|password|passwd", re.IGNORECASE)


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the mail to ADMINS, the 500 page's data) without personal data.

    Besides what Django hides (settings named like keys and passwords, ``sensitive_variables``,
    ``sensitive_post_parameters``), any POST field, local variable or dictionary key whose name
    mentions a phone, a birth date, an ID-card number or a password is replaced by stars.
    """

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|DSN|AWS", flags=re.I
    )

    def _hide_personal(self, name, value):
        if isinstance(name, str) and PERSONAL_NAMES.search(name):
            return self.cleansed_substitute
        if isinstance(value, dict):
            return {key: self._hide_personal(key, item) for key, item in value.items()}
        return value

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None or not self.is_active(request):
            return parameters
        cleansed = parameters.copy()
        for name in list(cleansed):
            if PERSONAL_NAMES.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return [(name, self._hide_personal(name, value)) for name, value in variables]


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body exceeds ``MAX_REQUEST_BODY_SIZE`` with 413, before
    anything reads it. Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves uploaded files out and no
    cap applies to them; this one counts the whole body. A body sent without a length (chunked)
    is counted as it is read by ``LimitedUploadHandler``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_SIZE:
            response = render(request, "400.html", status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class LimitedUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: stops an upload once its files pass
    ``MAX_REQUEST_BODY_SIZE`` in all (400), whatever the request declared."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_REQUEST_BODY_SIZE:
            raise RequestDataTooBig("上传的文件超过大小上限。")
        return raw_data

    def file_complete(self, file_size):
        return None


DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-change-me"


def refuse_development_key() -> None:
    """Called by ``wsgi.py`` / ``asgi.py``: a server does not start with ``DEBUG`` off on the
    public development key (sessions, CSRF tokens and password-reset links could be forged)."""
    from django.core.exceptions import ImproperlyConfigured

    if not settings.DEBUG and settings.SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
        raise ImproperlyConfigured(
            "SECRET_KEY 未设置：DEBUG 关闭时不能使用公开的开发密钥启动。请在环境中设置一个长的随机值"
            '（python -c "import secrets; print(secrets.token_urlsafe(50))"），见 docs/deployment.md。'
        )


class PrivatePagesMiddleware:
    """Pages and exports for signed-in users carry personal data: ``Cache-Control: private,
    no-store`` so neither a shared cache nor the browser's disk keeps them. A response that sets
    its own Cache-Control keeps it; public pages for anonymous visitors are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class SafeGZipMiddleware(GZipMiddleware):
    """Django's gzip only for responses without secrets (BREACH, docs/security.md): never for a
    signed-in user (personal data; every such page also carries the logout form's CSRF token)
    nor for any page with a CSRF token; the public pages, the screen and its data are compressed."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if not response.streaming and b"csrfmiddlewaretoken" in response.content:
            return response
        return super().process_response(request, response)
