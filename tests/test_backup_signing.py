"""Backups keep full time precision, are readable by their owner only and carry a signed
manifest; an unsigned or wrongly signed backup is refused unless told so (issue 12, item 19)."""

import datetime
import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from common.backup import SIGNATURE, sha256
from members.models import Person
from tests.factories import PersonFactory
from tests.test_backup_restore import data_rows, empty_everything

pytestmark = pytest.mark.django_db(transaction=True)  # restore flushes the database

WHEN = timezone.make_aware(datetime.datetime(2012, 6, 30, 10, 11, 12, 345678))


@pytest.fixture
def backup(branch, tmp_path):
    PersonFactory(branch=branch, name="王老师")
    folder = tmp_path / "backup"
    call_command("backup", "--output", str(folder), verbosity=0)
    return folder


def rewrite_data_and_checksum(folder):
    """What an attacker with write access does: edit the data and fix the manifest's checksum."""
    data = folder / "data.json"
    data.write_text(data.read_text(encoding="utf-8").replace("王老师", "李老师"), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["data.json"] = sha256(data)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_times_keep_their_microseconds(branch, tmp_path):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="", path_info="/", failures_since_start=1
    )
    AccessAttempt.objects.update(attempt_time=WHEN)
    folder = tmp_path / "backup"
    call_command("backup", "--output", str(folder), verbosity=0)
    rows = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    stored = next(r for r in rows if r["model"] == "axes.accessattempt")["fields"]["attempt_time"]
    assert datetime.datetime.fromisoformat(stored.replace("Z", "+00:00")) == WHEN
    created = json.loads((folder / "manifest.json").read_text())["created_at"]
    assert "." in created  # microseconds in the manifest's time too


def test_every_file_and_folder_of_a_backup_is_private(backup):
    paths = [backup, *backup.rglob("*")]
    assert (backup / SIGNATURE).is_file()
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


def test_edited_data_with_recomputed_checksums_is_refused(backup):
    rewrite_data_and_checksum(backup)
    empty_everything()
    with pytest.raises(CommandError, match="签名不符"):
        call_command("restore", str(backup), verbosity=0)
    assert data_rows() == 0


def test_an_unsigned_backup_is_refused_unless_explicitly_allowed(backup):
    (backup / SIGNATURE).unlink()
    empty_everything()
    with pytest.raises(CommandError, match="没有签名"):
        call_command("restore", str(backup), verbosity=0)
    assert data_rows() == 0
    call_command("restore", str(backup), "--allow-unsigned", verbosity=0)
    assert Person.objects.filter(name="王老师").exists()


def test_a_backup_signed_with_another_key_is_refused(backup, settings):
    settings.BACKUP_SIGNING_KEY = "another-installation-key-0123456789"
    empty_everything()
    with pytest.raises(CommandError, match="签名不符"):
        call_command("restore", str(backup), verbosity=0)
    assert data_rows() == 0
