"""``manage.py backup`` and ``restore``: every row and file comes back, or nothing changes."""

import json
import shutil
from pathlib import Path

import factory
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from common.backup import FORMAT_VERSION, row_counts, sha256, sign_manifest
from common.history import history_rows
from honors.models import Honor
from mechanisms.models import Mechanism
from members.models import Person, RoleAssignment
from tests import factories as f

# Restores run as they do in production: not inside a test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def media_checksums() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): sha256(path)
        for path in root.rglob("*")
        if path.is_file()
    }


def data_rows() -> int:
    """Rows a fresh, migrated database does not have (it has content types, permissions, groups)."""
    scaffolding = {
        "contenttypes.contenttype",
        "auth.permission",
        "auth.group",
        "auth.group_permissions",
    }
    return sum(count for label, count in row_counts().items() if label not in scaffolding)


def empty_everything():
    """A new installation: migrated database (flush re-runs post_migrate), no uploaded files."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    assert data_rows() == 0


@pytest.fixture
def records():
    """A branch with people, roles, pledges, honors with a certificate, a mechanism document."""
    branch = f.BranchFactory()
    secretary = f.UserFactory(username="shuji")
    RoleAssignment.objects.create(user=secretary, role="secretary", branch=branch)
    person = f.MemberFactory(branch=branch, name="王老师", user=secretary)
    person.phone = "13800000001"
    person._history_user = secretary
    person.save()
    person.post = "教导主任"
    person.save()
    f.PartyGroupMembershipFactory(group=f.PartyGroupFactory(branch=branch), person=person)
    campaign = f.CampaignFactory(branch=branch)
    pledge = f.SignedPledgeFactory(campaign=campaign, person=person)
    f.PledgeItemFactory.create_batch(3, pledge=pledge)
    f.TypicalHonorFactory(
        branch=branch,
        person=person,
        certificate=factory.django.ImageField(filename="zhengshu.png", width=12, height=9),
    )
    mechanism = f.MechanismFactory(branch=branch, campaign=campaign, is_new=True)
    mechanism.document.save("zhidu.pdf", ContentFile(b"%PDF-1.4 mechanism"), save=True)
    f.ActivityPhotoFactory(activity=f.ActivityFactory(carrier=f.CarrierFactory(campaign=campaign)))
    f.MeetingFactory(branch=branch)
    return {"person": person, "secretary": secretary}


@pytest.fixture
def backup(records, tmp_path):
    folder = tmp_path / "backup-2012-06-30"
    call_command("backup", "--output", str(folder), verbosity=0)
    return folder


def tamper_manifest(folder, change):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    sign_manifest(folder)  # signed again, as by the key's holder: the later checks still hold


def test_backup_then_restore_into_an_empty_database_reproduces_every_row_and_file(
    records, tmp_path, client
):
    counts, files = row_counts(), media_checksums()
    assert len(files) == 3  # certificate, mechanism document, activity photo
    folder = tmp_path / "backup"
    call_command("backup", "--output", str(folder), verbosity=0)
    empty_everything()

    call_command("restore", str(folder), verbosity=0)

    assert row_counts() == counts
    assert media_checksums() == files
    person = Person.objects.get(name="王老师")
    assert [row.action for row in history_rows(person)] == ["修改", "修改", "创建"]
    assert history_rows(person)[1].who == "王老师"
    assert Honor.objects.get().certificate.name in files
    assert Mechanism.objects.get().document.read() == b"%PDF-1.4 mechanism"
    assert client.login(username="shuji", password=f.PASSWORD)
    assert set(get_user_model().objects.get(username="shuji").groups.all()) == set(
        Group.objects.filter(name="书记/支委")
    )


def test_new_rows_after_a_restore_get_fresh_keys(backup):
    empty_everything()
    call_command("restore", str(backup), verbosity=0)
    highest = Person.objects.order_by("-pk").first().pk

    person = f.PersonFactory(branch=Person.objects.first().branch)

    assert person.pk > highest


def test_manifest_records_version_migrations_counts_and_checksums(backup):
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))

    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["django_version"].startswith("5.2")
    assert "0001_initial" in manifest["migrations"]["members"]
    assert manifest["counts"]["members.person"] == Person.objects.count()
    assert manifest["counts"]["members.historicalperson"] > 0
    assert manifest["counts"]["pledges.pledgeitem"] == 3
    for name, checksum in manifest["files"].items():
        assert sha256(backup / name) == checksum
    assert any(
        name.startswith("media/mechanisms/") and name.endswith(".pdf") for name in manifest["files"]
    )
    assert "sessions" not in manifest["apps"]


def test_backup_refuses_a_folder_that_is_not_empty(records, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something.txt").write_text("x")

    with pytest.raises(CommandError, match="不是空文件夹"):
        call_command("backup", "--output", str(tmp_path / "old"), verbosity=0)


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(backup):
    counts, files = row_counts(), media_checksums()

    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", str(backup), verbosity=0)

    assert row_counts() == counts
    assert media_checksums() == files


def test_a_count_that_does_not_match_undoes_the_whole_restore(backup):
    tamper_manifest(backup, lambda m: m["counts"].update({"members.person": 99}))
    empty_everything()
    before = row_counts()

    with pytest.raises(CommandError, match="行数与备份清单不符"):
        call_command("restore", str(backup), verbosity=0)

    assert row_counts() == before
    assert data_rows() == 0
    assert media_checksums() == {}


def test_a_changed_media_file_is_refused_before_anything_is_loaded(backup):
    photo = next((backup / "media").rglob("*.jpg"))
    photo.write_bytes(photo.read_bytes() + b"tampered")
    empty_everything()

    with pytest.raises(CommandError, match="校验和不符"):
        call_command("restore", str(backup), verbosity=0)

    assert data_rows() == 0
    assert media_checksums() == {}


def test_changed_data_is_refused(backup):
    data = backup / "data.json"
    data.write_text(data.read_text(encoding="utf-8").replace("王老师", "李老师"), encoding="utf-8")
    empty_everything()

    with pytest.raises(CommandError, match="data.json"):
        call_command("restore", str(backup), verbosity=0)

    assert data_rows() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update({"format_version": FORMAT_VERSION + 1}), "格式版本"),
        (lambda m: m["migrations"]["members"].append("0099_future"), "迁移状态"),
        (lambda m: m["files"].update({"../../outside.txt": "0" * 64}), "不安全的文件路径"),
    ],
    ids=["newer-format", "other-migrations", "path-traversal"],
)
def test_a_manifest_that_does_not_fit_is_refused(backup, change, message):
    tamper_manifest(backup, change)
    empty_everything()

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(backup), verbosity=0)

    assert data_rows() == 0


def test_a_file_not_in_the_manifest_is_refused(backup):
    (backup / "media" / "extra.txt").write_text("slipped in")
    empty_everything()

    with pytest.raises(CommandError, match="清单之外"):
        call_command("restore", str(backup), verbosity=0)

    assert data_rows() == 0


def test_a_different_file_in_media_root_stops_the_restore(backup):
    empty_everything()
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    name = next(n for n in manifest["files"] if n.endswith(".pdf")).removeprefix("media/")
    clash = Path(settings.MEDIA_ROOT) / name
    clash.parent.mkdir(parents=True)
    clash.write_bytes(b"another document")

    with pytest.raises(CommandError, match="同名但内容不同"):
        call_command("restore", str(backup), verbosity=0)

    assert data_rows() == 0
    assert clash.read_bytes() == b"another document"
