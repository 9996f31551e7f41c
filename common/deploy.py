"""Settings that depend on where the portal runs: the cache, the session store, media storage.

Plain functions of the environment, so ``settings.py`` stays short and the tests can call them
directly with the values a deployment would set. See ``docs/deployment.md``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def cache_settings(redis_url: str = "") -> dict:
    """``CACHES``: Redis when ``REDIS_URL`` is set (shared by every app server), else per process."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "branch-portal",
                "TIMEOUT": 300,
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "branch-portal",
        }
    }


def session_engine(redis_url: str = "") -> str:
    """Sessions read from Redis and written through to the database when Redis is there.

    Django's ``cached_db`` and ``db`` engines, with the row read by SQL written once
    (``common.sessions``).
    """
    if redis_url:
        return "common.sessions.cached_db"
    return "common.sessions.db"


def _first(environ: Mapping[str, str], *names: str, default: str = "") -> str:
    for name in names:
        if environ.get(name):
            return environ[name]
    return default


def media_storage(environ: Mapping[str, str]) -> dict:
    """``STORAGES["default"]``: the filesystem (``MEDIA_ROOT``), or ``MEDIA_STORAGE=s3``.

    For an S3-compatible store (AWS, MinIO, Ceph, a cloud's object storage) set the bucket and,
    outside AWS, the endpoint; each value may be given under its django-storages name (``AWS_*``)
    or a short ``S3_*`` one. Media stay private: links to files are signed and expire.
    """
    kind = environ.get("MEDIA_STORAGE", "filesystem").strip().lower() or "filesystem"
    if kind == "filesystem":
        return dict(FILESYSTEM_STORAGE)
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {kind!r}.")
    bucket = _first(environ, "AWS_STORAGE_BUCKET_NAME", "S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (or S3_BUCKET).")
    options = {
        "bucket_name": bucket,
        "location": _first(environ, "AWS_LOCATION", "S3_PREFIX", default="media"),
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": int(
            _first(environ, "AWS_QUERYSTRING_EXPIRE", "S3_URL_EXPIRE", default="3600")
        ),
    }
    optional = {
        "endpoint_url": ("AWS_S3_ENDPOINT_URL", "S3_ENDPOINT_URL"),
        "region_name": ("AWS_S3_REGION_NAME", "S3_REGION"),
        "access_key": ("AWS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID", "S3_ACCESS_KEY"),
        "secret_key": ("AWS_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "S3_SECRET_KEY"),
        "custom_domain": ("AWS_S3_CUSTOM_DOMAIN", "S3_CUSTOM_DOMAIN"),
        "addressing_style": ("AWS_S3_ADDRESSING_STYLE", "S3_ADDRESSING_STYLE"),
    }
    for option, names in optional.items():
        value = _first(environ, *names)
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
