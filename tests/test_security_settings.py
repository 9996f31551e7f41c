"""Security settings: passwords, session expiry, response headers, production settings."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.security import SessionRefreshMiddleware
from tests.factories import UserFactory

BASE_DIR = Path(django_settings.BASE_DIR)


def run_manage(*args, **env):
    """``manage.py`` in a fresh interpreter, so settings are read from ``env``."""
    return run_python("manage.py", *args, **env)


def run_python(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    environment.update(DJANGO_SETTINGS_MODULE="branch_portal.settings", **env)
    if args[0] != "manage.py":
        args = ("-c", *args)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "0",
        "HTTPS": "1",
        "ALLOWED_HOSTS": "portal.example.org",
    }
    env.update(overrides)
    return env


SETTING_NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER",
    "CONTENT_SECURITY_POLICY",
]


def settings_under(**env) -> dict:
    """The settings a fresh interpreter reads from ``env``."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {SETTING_NAMES!r}}}))"
    )
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Passwords


@pytest.mark.parametrize(
    "password",
    ["Ab3$efgh9", "password123", "12345678901234", "zhangsan-portal"],
    ids=["shorter-than-ten", "common", "all-digits", "like-the-username"],
)
def test_weak_passwords_are_refused(password, db):
    user = UserFactory(username="zhangsan-portal")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_a_long_uncommon_password_is_accepted(db):
    validate_password("Tianlin-2nd-school-2012", user=UserFactory(username="zhangsan"))


def test_short_password_is_refused_with_a_chinese_message(db):
    with pytest.raises(ValidationError) as refused:
        validate_password("Ab3$efgh9")
    assert any("10" in message and "密码" in message for message in refused.value.messages)


# Sessions


def test_each_request_renews_the_two_hour_session(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 2 * 60 * 60
    assert cookie["httponly"]


def test_the_session_is_written_at_most_once_a_minute(client, db):
    client.force_login(UserFactory())
    client.get(reverse("home"))  # the first renewal after signing in
    session = Session.objects.get()
    expiry = session.expire_date

    client.get(reverse("home"))
    assert Session.objects.get().expire_date == expiry  # within the minute: not rewritten

    data = client.session
    renewed = data[SessionRefreshMiddleware.KEY] - 61  # as if the last renewal was 61 s ago
    data[SessionRefreshMiddleware.KEY] = renewed
    data.save()
    response = client.get(reverse("home"))
    assert Session.objects.get().get_decoded()[SessionRefreshMiddleware.KEY] >= renewed + 61
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 2 * 60 * 60


def test_a_session_idle_past_its_age_is_logged_out(client, db):
    user = UserFactory()
    client.force_login(user)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))

    response = client.get(reverse("home"))

    assert not response.wsgi_request.user.is_authenticated


# Response headers


def test_pages_carry_the_content_security_policy_and_framing_headers(client, db):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";"))
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in directives["script-src"] + directives["default-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE), "inline <script> code"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an on…= event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
    (re.compile(r"<style", re.IGNORECASE), "a <style> element"),
]


# Pages written to files for saving (never served under the site's policy).
STANDALONE_FILES = {"reports/document_standalone.html"}


def test_no_template_carries_code_the_policy_would_block():
    """The policy blocks inline code and <style> elements: keep them in static files."""
    found = []
    for template in sorted((BASE_DIR / "templates").rglob("*.html")):
        if template.relative_to(BASE_DIR / "templates").as_posix() in STANDALONE_FILES:
            continue
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE_CODE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(BASE_DIR)}:{line}: {what}")
    assert not found, "\n".join(found)


# Production settings


def test_debug_is_off_and_cookies_are_plain_unless_asked():
    values = settings_under(DEBUG="", HTTPS="")

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False


def test_https_turns_on_secure_cookies_hsts_and_ssl_redirect():
    values = settings_under(**production_env())

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert "upgrade-insecure-requests" in values["CONTENT_SECURITY_POLICY"]


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_about_the_development_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="", **env)

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
