"""Settings for branch-portal, read from the environment with safe development defaults."""

import datetime
import os
from pathlib import Path

import dj_database_url

from common.deploy import cache_settings, media_storage, session_engine

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Unset: the public development key; wsgi.py / asgi.py then refuse to start unless DEBUG is on.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "branch_portal.apps.AxesConfig",  # django-axes, its admin in Chinese
    "members",
    "activities",
    "pledges",
    "honors",
    "mechanisms",
    "evaluation",
    "recruitment",
    "dues",
    "obligations",
    "reports",
    "committees",
    "demo",  # the demo data set and the synthetic district: last, it reads every app
]

MIDDLEWARE = [
    "common.security.RequestBodyLimitMiddleware",  # first: refuses an oversized body unread
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.security.SafeGZipMiddleware",  # not for pages with a CSRF token (BREACH)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.security.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.security.PrivatePagesMiddleware",  # signed-in pages: Cache-Control private, no-store
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.pagecache.WholePageCacheMiddleware",  # repeated pages of an account, served whole
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "common.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "branch_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.freshness.context_processor",
            ],
        },
    },
]

WSGI_APPLICATION = "branch_portal.wsgi.application"

# Behind PgBouncer in transaction mode (docs/deployment.md, "Several app servers"): CONN_MAX_AGE=0
# and DISABLE_SERVER_SIDE_CURSORS=1 (a named WITH HOLD cursor of .iterator() would outlive its
# transaction there); CONN_HEALTH_CHECKS=1 checks a kept connection before reusing it.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS"),
        disable_server_side_cursors=env_bool("DISABLE_SERVER_SIDE_CURSORS"),
    )
}

# django-axes first: it refuses a locked-out account+address before the password is checked.
# It needs ``request`` in ``authenticate(request, ...)``; the login view and ``client.login`` pass it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "members.backends.PersonModelBackend",  # ModelBackend, with the account's person record
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "common.security.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# The portal's own catalogue: Chinese for django-axes' admin, which ships none.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"  # never served as a folder: every file goes through a view that checks access
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# How those views hand over a file on the filesystem: "django" streams it; "nginx" answers with
# X-Accel-Redirect to the internal location MEDIA_ACCEL_PREFIX (docs/deployment.md).
MEDIA_SERVE = env_str("MEDIA_SERVE", "django")
MEDIA_ACCEL_PREFIX = env_str("MEDIA_ACCEL_PREFIX", "/protected-media/")

# Media on the filesystem (MEDIA_ROOT) unless MEDIA_STORAGE=s3 (docs/deployment.md). Static files:
# in production set MANIFEST_STATIC=1 and run collectstatic (hashed, compressed, served by
# whitenoise); without it (development, tests) they are served as they are.
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "common.storage.ManifestStaticFilesStorage"
            if not DEBUG and env_bool("MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collected files (MANIFEST_STATIC unset) whitenoise serves static files from the apps'
# and STATICFILES_DIRS folders, so a server started without collectstatic still has its CSS.
WHITENOISE_USE_FINDERS = not env_bool("MANIFEST_STATIC", False)

# Cache and sessions: Redis when REDIS_URL is set (shared by every app server; sessions cached_db),
# otherwise a per-process memory cache and sessions in the database.
REDIS_URL = env_str("REDIS_URL")
CACHES = cache_settings(REDIS_URL)
SESSION_ENGINE = session_engine(REDIS_URL)

# Cached page fragments (members.freshness): keyed by their branches' data versions, so never
# stale; this is only how long an unused entry is kept. 0 turns the fragment cache off.
PAGE_CACHE_SECONDS = int(env_str("PAGE_CACHE_SECONDS", "600"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: certificates, photos and mechanism documents. Fields without files: 10 MB; a whole
# request body, files included: MAX_REQUEST_BODY_SIZE (413 when declared larger, 400 when a body
# without a declared length grows past it). The proxy caps it too (docs/deployment.md).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_REQUEST_BODY_SIZE = int(env_str("MAX_REQUEST_BODY_MB", "12")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "common.security.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Security (docs/security.md). Login throttling: AXES_FAILURE_LIMIT failed logins of one account
# from one address lock that combination for AXES_COOLOFF_MINUTES; a success resets the count.
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env_str("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "common.security.lockout_response"
# Behind a reverse proxy, the number of proxies in front of Django: the client address is then the
# entry they appended to X-Forwarded-For; unset or 0: REMOTE_ADDR. Login throttling and every
# other limit read it through the same function (common.security.client_ip).
PROXY_COUNT = int(env_str("AXES_PROXY_COUNT", "0") or 0)
AXES_CLIENT_IP_CALLABLE = "common.security.client_ip"

# A session ends after SESSION_IDLE_MINUTES without a request: common.security's
# SessionRefreshMiddleware renews it (row and cookie) at most every SESSION_REFRESH_SECONDS.
SESSION_COOKIE_AGE = int(env_str("SESSION_IDLE_MINUTES", "120")) * 60
SESSION_REFRESH_SECONDS = int(env_str("SESSION_REFRESH_SECONDS", "60"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (common.security): only this site's own scripts, style sheets and
# images (plus data: images); no inline <script> or on…= handlers, no framing. style="" attributes
# stay allowed (chart heights, report column widths); <style> elements do not.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if not DEBUG and env_bool("HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CONTENT_SECURITY_POLICY["upgrade-insecure-requests"] = []

# Backups (common/backup.py): the manifest is signed with this key (HMAC-SHA256); unset, with
# SECRET_KEY. A restore refuses an unsigned or wrongly signed backup unless --allow-unsigned.
BACKUP_SIGNING_KEY = env_str("BACKUP_SIGNING_KEY")
# Mail (the weekly digest, docs/obligations.md): SMTP when EMAIL_HOST is set, else the console.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "branch-portal@localhost")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# The address the digest's links start with (no request to read it from in a cron job).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Error reports (mail to ADMINS, the 500 page's data) hide phones, birth dates and passwords.
DEFAULT_EXCEPTION_REPORTER_FILTER = "common.security.PersonalDataExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
