"""common.files.delete_after_commit: a stored file goes only when its change is committed."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from common.files import delete_after_commit
from tests.factories import ActivityFactory, ActivityPhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = ActivityPhotoFactory(activity=ActivityFactory())
    photo.image.save("keep.jpg", ContentFile(b"x"), save=True)
    return photo


def test_the_file_is_deleted_once_the_transaction_commits(
    photo, django_capture_on_commit_callbacks
):
    name = photo.image.name
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delete_after_commit(photo.image, None)
        assert photo.image.storage.exists(name)  # not before the commit
    assert not photo.image.storage.exists(name)


def test_a_rolled_back_change_keeps_its_file(photo, django_capture_on_commit_callbacks):
    name = photo.image.name
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        delete_after_commit(photo.image)
        raise RuntimeError
    assert callbacks == []
    assert photo.image.storage.exists(name)
