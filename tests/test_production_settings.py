"""Production serving: Redis cache and sessions, S3 media, collected static files, gunicorn."""

import json
import os
import runpy
import subprocess
import sys
import uuid
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from common.deploy import cache_settings, media_storage, session_engine

BASE_DIR = Path(settings.BASE_DIR)
REDIS_URL = "redis://127.0.0.1:6379/1"
PRODUCTION_ENV = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "a-production-key-" + "x7Q2v9Lr4TzW8mPa3KdN6sYb1HcJ5fGu" * 2,
    "ALLOWED_HOSTS": "portal.example.org",
    "MANIFEST_STATIC": "1",
}


def run_django(code: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run ``code`` (or manage.py with ``args``) in a fresh process with settings built from env."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "MEDIA_STORAGE", "DEBUG"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="branch_portal.settings", **env)
    command = [sys.executable, "manage.py", *args] if args else [sys.executable, "-c", code]
    return subprocess.run(
        command, cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120
    )


def settings_in_subprocess(env: dict, expression: str):
    code = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import default_storage\n"
        f"print(json.dumps({expression}))"
    )
    result = run_django(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- cache and sessions ---------------------------------------------------------------------


def test_without_redis_url_the_cache_is_local_memory_and_sessions_in_the_database():
    assert cache_settings("")["default"]["BACKEND"].endswith("LocMemCache")
    assert session_engine("") == "common.sessions.db"


def test_a_redis_url_gives_the_redis_cache_and_cached_db_sessions():
    cache = cache_settings(REDIS_URL)["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == REDIS_URL
    assert session_engine(REDIS_URL) == "common.sessions.cached_db"


def test_the_redis_cache_round_trips_a_value():
    key = f"test-{uuid.uuid4()}"
    with override_settings(CACHES=cache_settings(REDIS_URL)):
        cache = caches["default"]
        assert type(cache).__name__ == "RedisCache"
        cache.set(key, {"党支部": 200}, 30)
        assert cache.get(key) == {"党支部": 200}
        cache.delete(key)
        assert cache.get(key) is None


@pytest.mark.django_db
def test_sessions_are_kept_in_redis_and_the_database():
    with override_settings(
        CACHES=cache_settings(REDIS_URL), SESSION_ENGINE=session_engine(REDIS_URL)
    ):
        store = import_module(settings.SESSION_ENGINE).SessionStore
        session = store()
        session["branch"] = 7
        session.save()
        assert caches["default"].get(session.cache_key)["branch"] == 7
        assert store(session.session_key)["branch"] == 7
        from django.contrib.sessions.models import Session

        assert Session.objects.filter(session_key=session.session_key).exists()
        session.delete()


def test_the_settings_read_redis_url_from_the_environment():
    found = settings_in_subprocess(
        {"REDIS_URL": REDIS_URL},
        "[settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'],"
        " settings.SESSION_ENGINE]",
    )
    assert found == [
        "django.core.cache.backends.redis.RedisCache",
        REDIS_URL,
        "common.sessions.cached_db",
    ]


def test_without_redis_url_the_settings_use_local_memory():
    found = settings_in_subprocess({}, "settings.CACHES['default']['BACKEND']")
    assert found == "django.core.cache.backends.locmem.LocMemCache"


# --- the database behind a connection pooler -------------------------------------------------

DATABASE_KEYS = (
    "[settings.DATABASES['default'][key] for key in"
    " ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'DISABLE_SERVER_SIDE_CURSORS')]"
)


def test_by_default_connections_are_kept_a_minute_with_server_side_cursors(monkeypatch):
    for name in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DISABLE_SERVER_SIDE_CURSORS"):
        monkeypatch.delenv(name, raising=False)
    found = settings_in_subprocess(
        {"DATABASE_URL": "postgres://portal@127.0.0.1:5432/branch_portal"}, DATABASE_KEYS
    )
    assert found == [60, False, False]


def test_pgbouncer_in_transaction_mode_gets_its_settings_from_the_environment():
    """docs/deployment.md: behind PgBouncer (transaction mode) connections are not kept and
    ``.iterator()`` uses no named server-side cursor."""
    found = settings_in_subprocess(
        {
            "DATABASE_URL": "postgres://portal@127.0.0.1:6432/branch_portal",
            "CONN_MAX_AGE": "0",
            "DISABLE_SERVER_SIDE_CURSORS": "1",
            "CONN_HEALTH_CHECKS": "1",
        },
        DATABASE_KEYS,
    )
    assert found == [0, True, True]


# --- media storage --------------------------------------------------------------------------


def test_media_stay_on_the_filesystem_by_default():
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def test_s3_media_storage_is_built_from_the_environment():
    storage = media_storage(
        {
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": "portal-media",
            "S3_ENDPOINT_URL": "https://objects.example.org",
            "S3_REGION": "cn-east-1",
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "S3_ADDRESSING_STYLE": "path",
        }
    )

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "portal-media",
        "location": "media",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 3600,
        "endpoint_url": "https://objects.example.org",
        "region_name": "cn-east-1",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "secret",
        "addressing_style": "path",
    }


def test_the_django_storages_names_win_over_the_short_ones():
    storage = media_storage(
        {"MEDIA_STORAGE": "S3", "AWS_STORAGE_BUCKET_NAME": "aws-name", "S3_BUCKET": "short"}
    )
    assert storage["OPTIONS"]["bucket_name"] == "aws-name"
    assert "endpoint_url" not in storage["OPTIONS"]


def test_s3_media_storage_needs_a_bucket():
    with pytest.raises(ImproperlyConfigured, match="BUCKET"):
        media_storage({"MEDIA_STORAGE": "s3"})


def test_an_unknown_media_storage_is_refused():
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        media_storage({"MEDIA_STORAGE": "ftp"})


def test_the_settings_give_signed_s3_links_without_contacting_s3():
    env = {
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": "portal-media",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9",  # nothing listens there: no request is made
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY": "AKIAEXAMPLE",
        "S3_SECRET_KEY": "secret",
        "S3_ADDRESSING_STYLE": "path",
    }
    backend, url = settings_in_subprocess(
        env,
        "[default_storage.__class__.__name__, default_storage.url('honors/2011/certificate.jpg')]",
    )
    assert backend == "S3Storage"
    assert url.startswith("http://127.0.0.1:9/portal-media/media/honors/2011/certificate.jpg?")
    assert "Signature" in url


# --- static files ---------------------------------------------------------------------------


def test_the_test_suite_serves_static_files_without_collectstatic():
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def test_production_uses_the_compressed_manifest_storage():
    found = settings_in_subprocess(PRODUCTION_ENV, "settings.STORAGES['staticfiles']['BACKEND']")
    assert found == "common.storage.ManifestStaticFilesStorage"


def test_collectstatic_builds_hashed_compressed_files(tmp_path):
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}
    result = run_django("", env, "collectstatic", "--noinput")

    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    bootstrap = "vendor/bootstrap-5.3.9/bootstrap.min.css"
    assert bootstrap in manifest
    assert manifest[bootstrap] != bootstrap
    assert (tmp_path / (manifest[bootstrap] + ".gz")).exists()


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}
    result = run_django("", env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- gunicorn -------------------------------------------------------------------------------


def gunicorn_config(monkeypatch, **env) -> dict:
    for name in (
        "BIND",
        "HOST",
        "PORT",
        "WEB_CONCURRENCY",
        "GUNICORN_WORKERS",
        "GUNICORN_ACCESS_LOG",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_binds_to_port_and_runs_two_workers_per_core_plus_one(monkeypatch):
    config = gunicorn_config(monkeypatch, PORT="8123")

    assert config["bind"] == ["127.0.0.1:8123"]
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["wsgi_app"] == "branch_portal.wsgi:application"
    assert config["accesslog"] == "-"
    assert config["timeout"] >= 30


def test_gunicorn_bind_and_workers_come_from_the_environment(monkeypatch):
    config = gunicorn_config(
        monkeypatch,
        BIND="unix:/run/branch-portal/gunicorn.sock",
        PORT="9000",
        WEB_CONCURRENCY="3",
        GUNICORN_ACCESS_LOG="off",
    )

    assert config["bind"] == ["unix:/run/branch-portal/gunicorn.sock"]
    assert config["workers"] == 3
    assert config["accesslog"] is None
