"""Backup and restore of every row and every uploaded file (``manage.py backup`` / ``restore``).

A backup is one folder::

    manifest.json   format and version, when, Django version, database, the migrations applied
                    per app, the row count of every model and the sha256 of every other file
    manifest.sig    HMAC-SHA256 of manifest.json with ``BACKUP_SIGNING_KEY`` (``SECRET_KEY``
                    when unset): a restore refuses a backup without it or with a wrong one
                    unless told so (``restore --allow-unsigned``)
    data.json       every row of every app (Django's JSON serialisation, plain primary keys),
                    read in one transaction: one consistent snapshot of the database
    media/…         every uploaded file (certificates, photos, mechanism documents) of the default
                    storage: MEDIA_ROOT, or the S3 bucket when MEDIA_STORAGE=s3

``restore_backup`` puts a backup into a migrated but empty database: it checks the manifest and
its signature and every checksum first, loads all rows in one transaction, copies the files, and compares the row
counts with the manifest before it commits; any failure leaves the database and the uploaded files
as they were. See docs/reliability.md.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import posixpath
import shutil
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from simple_history.models import HistoricalChanges

FORMAT = "branch-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATA_FILE = "data.json"
MEDIA_DIR = "media"

# Sessions are logins in progress: a restored site starts with everyone logged out.
SKIPPED_APPS = {"sessions"}
# Rows that ``migrate`` itself writes: a new database already has them, and a restore replaces
# them with the backup's own (same primary keys as the rows that point at them). In this order.
MIGRATE_CREATED = (
    "dues.Rate",  # the national dues rules of 2008 (dues/migrations/0002_national_rules.py)
    "dues.DuesRule",
    "auth.Group",
    "auth.Permission",
    "contenttypes.ContentType",
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder keeps only milliseconds of a time; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _private(path: Path) -> None:
    """Only the service account may read what a backup holds (personal data)."""
    os.chmod(path, 0o700 if path.is_dir() else 0o600)


def _signing_key() -> bytes:
    return (getattr(settings, "BACKUP_SIGNING_KEY", "") or settings.SECRET_KEY).encode()


def manifest_signature(manifest_bytes: bytes) -> str:
    """HMAC-SHA256 of the manifest's bytes with the backup signing key."""
    return hmac.new(
        _signing_key(), b"branch-portal-backup\0" + manifest_bytes, hashlib.sha256
    ).hexdigest()


def sign_manifest(folder: Path) -> None:
    """Write ``manifest.sig`` for the ``manifest.json`` in ``folder`` (0600)."""
    path = folder / SIGNATURE
    path.write_text(manifest_signature((folder / MANIFEST).read_bytes()) + "\n", encoding="ascii")
    _private(path)


def check_signature(source: Path, *, allow_unsigned: bool = False) -> None:
    """Refuse a backup whose manifest is unsigned or signed with another key, unless told so."""
    path = source / SIGNATURE
    if not path.is_file():
        problem = f"备份没有签名文件 {SIGNATURE}，无法确认它未被改动。"
    else:
        found = path.read_text(encoding="ascii", errors="replace").strip()
        expected = manifest_signature((source / MANIFEST).read_bytes())
        if hmac.compare_digest(found, expected):
            return
        problem = (
            "备份清单的签名不符：清单被改动过，或备份是用另一个密钥（BACKUP_SIGNING_KEY）签名的。"
        )
    if not allow_unsigned:
        raise BackupError(problem + "确认来源可靠时可加 --allow-unsigned 强制恢复。")


# Backup


def create_backup(output: Path | str, *, using: str = "default") -> dict:
    """Write a backup of the database ``using`` and of the uploaded files into the new folder
    ``output``.

    The folder is written under ``<output>.partial`` and renamed when complete, so a folder named
    ``output`` is always a whole backup. Returns the manifest.
    """
    output = Path(output)
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BackupError(f"备份位置 {output} 已存在且不是空文件夹，请指定新的文件夹。")
    partial = output.with_name(output.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True, mode=0o700)
    _private(partial)
    try:
        with _snapshot(using):
            _write_data(partial / DATA_FILE, using)
            counts = row_counts(using)
            migrations = migration_state(using)
            referenced = _referenced_files(using)
        storage = storages["default"]
        files = {DATA_FILE: sha256(partial / DATA_FILE)}
        for name in _stored_files(storage):
            target = partial / MEDIA_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with storage.open(name, "rb") as stored, open(target, "wb") as copy:
                _private(target)
                shutil.copyfileobj(stored, copy)
            files[f"{MEDIA_DIR}/{name}"] = sha256(target)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(),
            "django_version": django.get_version(),
            "database": connections[using].vendor,
            "apps": backed_up_apps(),
            "migrations": migrations,
            "counts": counts,
            "files": files,
            "missing_media": sorted(
                name for name in referenced if f"{MEDIA_DIR}/{name}" not in files
            ),
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
        )
        sign_manifest(partial)
        for name in _files_under(partial):
            _private(partial / name)
        for folder, _subfolders, _names in os.walk(partial):
            _private(Path(folder))
        if output.exists():
            output.rmdir()
        partial.rename(output)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


@contextmanager
def _snapshot(using: str):
    """One transaction that sees the database as it was when it began (PostgreSQL: REPEATABLE
    READ; SQLite: a read transaction keeps its snapshot until it ends)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _write_data(path: Path, using: str) -> None:
    """What ``dumpdata <every app>`` writes, without natural keys, in UTF-8 whatever the locale."""
    app_list = [(apps.get_app_config(label), None) for label in backed_up_apps()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)

    stored = set(_stored_models())

    def rows():
        for model in ordered:
            if model in stored:
                yield from model._base_manager.using(using).order_by(model._meta.pk.name).iterator()

    with open(path, "w", encoding="utf-8") as stream:
        _private(path)
        serializers.serialize("json", rows(), stream=stream, cls=FullPrecisionEncoder)


def _referenced_files(using: str) -> set[str]:
    """Names of the files the current rows point at (history rows may name deleted files)."""
    names = set()
    for model in _stored_models():
        if issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = model._base_manager.using(using).values_list(field.attname, flat=True)
                names.update(name for name in values if name)
    return names


# Restore


def restore_backup(
    source: Path | str, *, using: str = "default", allow_unsigned: bool = False
) -> dict:
    """Restore the backup in ``source`` into the empty database ``using`` and the file storage.

    Raises ``BackupError`` (database and files unchanged) when the backup is damaged, was
    made under other migrations, the database is not empty, or the restored rows do not match
    the manifest. Returns the manifest.
    """
    source = Path(source)
    manifest = read_manifest(source)
    check_signature(source, allow_unsigned=allow_unsigned)
    verify_files(source, manifest)
    _check_migrations(manifest, using)
    _check_empty(using)
    storage = storages["default"]
    media = _media_to_copy(source, manifest, storage)

    copied: list[str] = []
    try:
        with transaction.atomic(using=using):
            for label in MIGRATE_CREATED:
                apps.get_model(label)._base_manager.using(using).all().delete()
            try:
                call_command("loaddata", str(source / DATA_FILE), database=using, verbosity=0)
            except Exception as error:
                raise BackupError(f"载入数据失败：{error}") from error
            _reset_sequences(using)
            _check_counts(manifest, using)
            for origin, name, checksum in media:
                with open(origin, "rb") as stream:
                    saved = storage.save(name, File(stream, name=name))
                copied.append(saved)
                if saved != name or _stored_sha256(storage, name) != checksum:
                    raise BackupError(f"写入文件 {name} 时出错，内容与备份不一致。")
    except BaseException:
        for name in copied:
            storage.delete(name)
        raise
    finally:
        apps.get_model("contenttypes.ContentType").objects.clear_cache()
    return manifest


def read_manifest(source: Path) -> dict:
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} 里没有 {MANIFEST}，不是一份完整的备份。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{MANIFEST} 已损坏，无法读取：{error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} 不是本系统的备份清单。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本为 {manifest.get('format_version')}，本系统只能恢复版本 "
            f"{FORMAT_VERSION} 的备份。"
        )
    for key, kind in (("files", dict), ("counts", dict), ("migrations", dict)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"{MANIFEST} 缺少“{key}”部分。")
    if DATA_FILE not in manifest["files"]:
        raise BackupError(f"{MANIFEST} 没有列出数据文件 {DATA_FILE}。")
    return manifest


def verify_files(source: Path, manifest: dict) -> None:
    """Every file the manifest lists is there with its checksum, and there is no other file."""
    listed = manifest["files"]
    for name in listed:
        _safe_relative(name)
    damaged = [
        name
        for name, checksum in sorted(listed.items())
        if not (source / name).is_file() or sha256(source / name) != checksum
    ]
    if damaged:
        raise BackupError("备份文件缺失或已被改动（校验和不符）：" + "、".join(damaged))
    present = {name for name in _files_under(source) if name not in (MANIFEST, SIGNATURE)}
    extra = sorted(present - set(listed))
    if extra:
        raise BackupError("备份文件夹里有清单之外的文件：" + "、".join(extra))


def _check_migrations(manifest: dict, using: str) -> None:
    current = migration_state(using)
    differing = sorted(
        label
        for label in set(current) | set(manifest["migrations"])
        if current.get(label, []) != manifest["migrations"].get(label, [])
    )
    if differing:
        raise BackupError(
            "数据库的迁移状态与备份时不同（" + "、".join(differing) + "）。请用备份时的程序"
            "版本执行 migrate 后再恢复，恢复后再升级。"
        )


def _check_empty(using: str) -> None:
    keep = {apps.get_model(label) for label in MIGRATE_CREATED}
    filled = [
        model._meta.label
        for model in _stored_models()
        if not model._meta.auto_created
        and model not in keep
        and model._base_manager.using(using).exists()
    ]
    if filled:
        raise BackupError(
            "数据库不是空的（已有 "
            + "、".join(filled[:5])
            + ("等" if len(filled) > 5 else "")
            + " 的数据），为防止覆盖现有数据，恢复已取消。请恢复到一个新建并已 migrate 的空数据库。"
        )


def _media_to_copy(source: Path, manifest: dict, storage) -> list[tuple[Path, str, str]]:
    """(backup file, storage name, sha256) of the files to copy; a different file in the way
    stops the restore, the same file already there is left as it is."""
    pairs, clashing = [], []
    for name, checksum in sorted(manifest["files"].items()):
        if not name.startswith(MEDIA_DIR + "/"):
            continue
        stored = name.removeprefix(MEDIA_DIR + "/")
        if not storage.exists(stored):
            pairs.append((source / name, stored, checksum))
        elif _stored_sha256(storage, stored) != checksum:
            clashing.append(stored)
    if clashing:
        raise BackupError(
            "媒体文件夹里已有同名但内容不同的文件，恢复已取消：" + "、".join(clashing)
        )
    return pairs


def _check_counts(manifest: dict, using: str) -> None:
    counts = row_counts(using)
    differing = [
        f"{label}（备份 {expected} 行，恢复后 {counts.get(label, 0)} 行）"
        for label, expected in sorted(manifest["counts"].items())
        if counts.get(label, 0) != expected
    ]
    differing += [
        f"{label}（备份里没有，恢复后 {count} 行）"
        for label, count in sorted(counts.items())
        if label not in manifest["counts"] and count
    ]
    if differing:
        raise BackupError("恢复后的行数与备份清单不符，已撤销恢复：" + "；".join(differing))


def _reset_sequences(using: str) -> None:
    """What ``sqlsequencereset`` prints, run: new rows continue after the restored keys."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), _stored_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# Shared


def backed_up_apps() -> list[str]:
    return [
        config.label
        for config in apps.get_app_configs()
        if config.label not in SKIPPED_APPS and any(True for _ in config.get_models())
    ]


def _stored_models() -> list[type[models.Model]]:
    """Every model with a table of its own in the backed-up apps, many-to-many tables included."""
    return [
        model
        for label in backed_up_apps()
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def row_counts(using: str = "default") -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in _stored_models()
    }


def migration_state(using: str = "default") -> dict[str, list[str]]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    state: dict[str, list[str]] = {}
    for label, name in sorted(applied):
        state.setdefault(label, []).append(name)
    return state


def sha256(path: Path) -> str:
    with open(path, "rb") as stream:
        return _digest(stream)


def _digest(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _stored_files(storage, folder: str = "") -> list[str]:
    """Names of every file in ``storage`` (below ``folder``), sorted."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [posixpath.join(folder, name) for name in names]
    for sub in folders:
        found += _stored_files(storage, posixpath.join(folder, sub))
    return sorted(found)


def _stored_sha256(storage, name: str) -> str:
    with storage.open(name, "rb") as stream:
        return _digest(stream)


def _files_under(root: Path) -> list[str]:
    """Paths (relative, with /) of the files under ``root``, sorted; none if it does not exist."""
    if not root.is_dir():
        return []
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            found.append((Path(folder) / name).relative_to(root).as_posix())
    return sorted(found)


def _safe_relative(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        raise BackupError(f"{MANIFEST} 里有不安全的文件路径：{name}")
