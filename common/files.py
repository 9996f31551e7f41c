"""Stored uploads: random names, served only by views that checked who asks, removed only
once the change that dropped them is committed.

A rolled-back transaction keeps its rows, so it must keep their files too; a committed one must
not leave files nobody names. Every app deletes or replaces uploads through this one helper.
"""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header


def delete_after_commit(*files) -> None:
    """Delete the stored ``files`` (``FieldFile`` values, empty ones skipped) after the commit.

    Outside a transaction the files go at once (Django runs the callback immediately).
    """
    names = [(field_file.storage, field_file.name) for field_file in files if field_file]
    if not names:
        return

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@deconstructible
class RandomName:
    """``upload_to`` that stores a file under ``folder`` (strftime codes allowed) and a random
    name keeping only the extension: the uploader's file name never reaches the disk or a URL."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePath(filename or "").suffix.lower()[:10]
        if not extension.isascii() or not extension[1:].isalnum():
            extension = ""
        folder = timezone.localdate().strftime(self.folder)
        return f"{folder.rstrip('/')}/{secrets.token_hex(16)}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


def file_response(
    upload,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    as_attachment: bool = False,
) -> HttpResponse:
    """The stored ``upload`` for a view that has checked who asks (docs/security.md).

    ``MEDIA_SERVE = "nginx"``: an empty response with ``X-Accel-Redirect`` to the internal
    location ``MEDIA_ACCEL_PREFIX`` (nginx sends the file; the folder itself is not served).
    Object storage: a redirect to the storage's signed, expiring URL. Otherwise Django streams
    the file. Never cached by a shared cache.
    """
    if not upload:
        raise Http404("文件不存在。")
    name = upload.name
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    serve = getattr(settings, "MEDIA_SERVE", "django")
    if not isinstance(upload.storage, FileSystemStorage):
        response = HttpResponseRedirect(upload.storage.url(name))
    elif serve == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(f"{settings.MEDIA_ACCEL_PREFIX.rstrip('/')}/{name}")
        if filename or as_attachment:
            response["Content-Disposition"] = content_disposition_header(
                as_attachment, filename or PurePath(name).name
            )
    else:
        if not upload.storage.exists(name):
            raise Http404("文件不存在。")
        response = FileResponse(
            upload.open("rb"),
            content_type=content_type,
            as_attachment=as_attachment,
            filename=filename or "",
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
