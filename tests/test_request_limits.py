"""Request bodies are capped in the application and gunicorn limits the request head
(issue 12, item 17)."""

import importlib.util
from pathlib import Path

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from common.security import LimitedUploadHandler, RequestBodyLimitMiddleware

ROOT = Path(__file__).resolve().parent.parent


def test_the_cap_counts_uploaded_files_too(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.MAX_REQUEST_BODY_SIZE
    assert settings.MAX_REQUEST_BODY_SIZE <= 25 * 1024 * 1024
    assert settings.FILE_UPLOAD_HANDLERS[0] == "common.security.LimitedUploadHandler"
    assert settings.MIDDLEWARE[0] == "common.security.RequestBodyLimitMiddleware"


def test_a_300_mb_declared_body_is_refused_before_it_is_read(rf, settings):
    read = []

    class Body:
        def read(self, *args):
            read.append(args)
            return b""

    request = rf.post("/pledges/public/1/1/objection/", data=b"", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = str(300 * 1024 * 1024)
    request.META["wsgi.input"] = Body()
    response = RequestBodyLimitMiddleware(lambda r: pytest.fail("the view ran"))(request)
    assert response.status_code == 413
    assert "请求无法处理" in response.content.decode()
    assert read == []


@pytest.mark.django_db
def test_an_anonymous_upload_over_the_cap_gets_413_and_the_view_never_runs(settings):
    settings.MAX_REQUEST_BODY_SIZE = 1024 * 1024
    client = Client()
    response = client.post(
        reverse("members:roster-import"),
        {"file": SimpleUploadedFile("big.xlsx", b"\0" * (2 * 1024 * 1024))},
    )
    assert response.status_code == 413


def test_a_body_without_a_declared_length_is_stopped_as_it_is_read(settings):
    settings.MAX_REQUEST_BODY_SIZE = 1000
    handler = LimitedUploadHandler()
    handler.handle_raw_input(None, {}, None, b"x")
    assert handler.receive_data_chunk(b"a" * 600, 0) == b"a" * 600
    with pytest.raises(RequestDataTooBig):
        handler.receive_data_chunk(b"a" * 600, 600)


def test_gunicorn_limits_the_request_line_and_headers():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert 0 < conf.limit_request_line <= 8190
    assert 0 < conf.limit_request_fields <= 100
    assert 0 < conf.limit_request_field_size <= 8190
