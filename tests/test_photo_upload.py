"""Activity photos: real images only, bounded in size and pixels, stored upright and without EXIF."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from activities.models import ActivityPhoto
from common import images
from tests.factories import ActivityFactory, CampaignFactory, CarrierFactory

pytestmark = pytest.mark.django_db

GPS = ExifTags.IFD.GPSInfo


def jpeg(size=(64, 48), color="red", exif=None) -> bytes:
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def exif_with_gps(orientation=None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone X"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(GPS)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 10.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 26.0, 15.0)
    return exif


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` (a decompression bomb's shape)."""
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    start = 8 + 8  # signature, then the IHDR chunk's length and type
    data[start : start + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[start - 4 : start + 13])) & 0xFFFFFFFF
    data[start + 13 : start + 17] = struct.pack(">I", crc)
    return bytes(data)


@pytest.fixture
def activity(branch):
    return ActivityFactory(carrier=CarrierFactory(campaign=CampaignFactory(branch=branch)))


def post_photos(client, activity, *files):
    data = {
        "carrier": activity.carrier_id,
        "title": activity.title,
        "start_date": "2011-03-01",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "photos": list(files),
    }
    return client.post(reverse("activities:activity-edit", args=[activity.pk]), data)


def test_the_test_photo_really_carries_gps_data():
    stored = Image.open(io.BytesIO(jpeg(exif=exif_with_gps())))
    assert stored.getexif().get_ifd(GPS)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_gps_and_camera_exif_are_gone_from_the_stored_photo_and_thumbnail(
    client, secretary, activity
):
    client.force_login(secretary)
    upload = SimpleUploadedFile("site.jpg", jpeg(exif=exif_with_gps()), "image/jpeg")
    response = post_photos(client, activity, upload)
    assert response.status_code == 302

    photo = ActivityPhoto.objects.get(activity=activity)
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as stored_file:
            stored = Image.open(io.BytesIO(stored_file.read()))
            assert stored.format == "JPEG"
            exif = stored.getexif()
            assert not exif.get_ifd(GPS)
            assert ExifTags.Base.Make not in exif
            assert "exif" not in stored.info


def test_exif_orientation_is_applied_before_the_exif_is_dropped(client, secretary, activity):
    client.force_login(secretary)
    # Orientation 6: the camera was turned; the picture is to be shown rotated by 90°.
    upload = SimpleUploadedFile("turned.jpg", jpeg((80, 40), exif=exif_with_gps(6)), "image/jpeg")
    assert post_photos(client, activity, upload).status_code == 302

    photo = ActivityPhoto.objects.get(activity=activity)
    with photo.image.open("rb") as stored_file:
        stored = Image.open(io.BytesIO(stored_file.read()))
        assert stored.size == (40, 80)
        assert ExifTags.Base.Orientation not in stored.getexif()


def test_a_thumbnail_is_made_for_the_lists(client, secretary, activity):
    client.force_login(secretary)
    upload = SimpleUploadedFile("big.png", _png((1600, 1200)), "image/png")
    assert post_photos(client, activity, upload).status_code == 302

    photo = ActivityPhoto.objects.get(activity=activity)
    assert photo.image.name.endswith(".png")
    with photo.thumbnail.open("rb") as thumb_file:
        thumb = Image.open(io.BytesIO(thumb_file.read()))
        assert max(thumb.size) <= max(images.THUMBNAIL_SIZE)
    list_page = client.get(reverse("activities:activity-list")).content.decode()
    assert reverse("activities:photo-file", args=[photo.pk, "thumbnail"]) in list_page


def _png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 200, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_text_file_renamed_to_jpg_is_refused_with_a_chinese_message(client, secretary, activity):
    client.force_login(secretary)
    upload = SimpleUploadedFile("notes.jpg", "这不是图片。".encode() * 50, "image/jpeg")
    response = post_photos(client, activity, upload)

    assert response.status_code == 200
    assert "文件不是有效的图片" in response.content.decode()
    assert "photos" in response.context["form"].errors
    assert not ActivityPhoto.objects.exists()


def test_a_huge_dimension_image_is_refused(client, secretary, activity):
    client.force_login(secretary)
    upload = SimpleUploadedFile("bomb.png", png_claiming_size(9_000, 9_000), "image/png")
    response = post_photos(client, activity, upload)

    assert response.status_code == 200
    assert "图片尺寸过大" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_a_decompression_bomb_beyond_pillows_own_limit_is_refused():
    upload = SimpleUploadedFile("bomb.png", png_claiming_size(60_000, 60_000), "image/png")
    with pytest.raises(images.ValidationError, match="图片尺寸过大"):
        images.clean_photo(upload)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    upload = SimpleUploadedFile("large.jpg", jpeg((400, 400), color="blue") + b"\0" * 1000)
    with pytest.raises(images.ValidationError, match="不能超过"):
        images.clean_photo(upload)


def test_an_image_format_other_than_jpeg_png_webp_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    with pytest.raises(images.ValidationError, match="只接受"):
        images.clean_photo(SimpleUploadedFile("scan.jpg", buffer.getvalue()))


def test_one_bad_file_among_several_saves_none_of_them(client, secretary, activity):
    client.force_login(secretary)
    good = SimpleUploadedFile("good.jpg", jpeg(), "image/jpeg")
    bad = SimpleUploadedFile("bad.jpg", b"plain text", "image/jpeg")
    response = post_photos(client, activity, good, bad)

    assert response.status_code == 200
    assert "bad.jpg" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_several_photos_are_added_at_once_and_one_can_be_deleted(
    client, secretary, activity, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    files = [
        SimpleUploadedFile(f"p{i}.jpg", jpeg(color=c), "image/jpeg")
        for i, c in enumerate(["red", "green", "blue"])
    ]
    assert post_photos(client, activity, *files).status_code == 302
    assert activity.photos.count() == 3

    photo = activity.photos.first()
    storage, name = photo.image.storage, photo.image.name
    confirm = client.get(reverse("activities:photo-delete", args=[photo.pk]))
    assert "确认删除" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:photo-delete", args=[photo.pk]))
    assert response.url == reverse("activities:activity-detail", args=[activity.pk])
    assert activity.photos.count() == 2
    assert not storage.exists(name)
