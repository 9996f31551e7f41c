"""Uploaded images: accept real images only, and store photos without their EXIF data.

``check_image`` is the one check every upload goes through (activity and pledge photos, honor
certificates): a size limit, Pillow must recognise the file, the format must be allowed, the pixel
count is bounded before decoding, and the file name's extension must match the real format.

An upload is opened with Pillow (a text file renamed ``.jpg`` is refused), checked for size and
pixel count before it is decoded (a decompression bomb is refused), turned upright by its EXIF
orientation and saved again without EXIF, so GPS position, camera and timestamps are gone. A
thumbnail for the lists is made at the same time.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # about 8 660 × 5 770; phone photos are 12–48 million pixels
MAX_SIDE = 20_000
STORED_MAX_SIDE = 4096  # larger photos are scaled down when stored
THUMBNAIL_SIZE = (480, 360)
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
EXTENSIONS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}


@dataclass
class CleanPhoto:
    """A checked photo, ready to be saved: the image file and its thumbnail."""

    image: ContentFile
    thumbnail: ContentFile


def _refuse(message: str, code: str = "invalid_image"):
    raise ValidationError(message, code=code)


def check_image(
    upload,
    *,
    noun: str = "照片",
    size_noun: str | None = None,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    max_side: int | None = None,
    check_extension: bool = False,
) -> Image.Image:
    """Open ``upload`` as an image after the checks above; raise ``ValidationError`` in Chinese
    naming ``noun`` (照片, 证书图片) when it fails, and ``size_noun`` (default: ``noun``) when it
    has too many pixels. The returned image is not yet decoded. Limits default to the photo's."""
    max_bytes = max_bytes or MAX_UPLOAD_BYTES
    max_pixels = max_pixels or MAX_PIXELS
    max_side = max_side or MAX_SIDE
    if upload.size is not None and upload.size > max_bytes:
        _refuse(f"{noun}不能超过 {max_bytes // (1024 * 1024)} MB。", "too_large")
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(f"{size_noun or noun}尺寸过大（像素过多），请缩小后再上传。", "too_many_pixels")
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            _refuse(f"文件不是有效的图片，请上传 JPG、PNG 或 WebP 格式的{noun}。")
    if image.format not in ALLOWED_FORMATS:
        _refuse(f"只接受 JPG、PNG 或 WebP 格式的{noun}。", "format")
    width, height = image.size
    if width * height > max_pixels or max(width, height) > max_side:
        _refuse(f"{size_noun or noun}尺寸过大（像素过多），请缩小后再上传。", "too_many_pixels")
    extension = PurePath(upload.name or "").suffix.lower()
    if check_extension and extension not in EXTENSIONS[image.format]:
        _refuse(
            f"文件扩展名“{extension or '无'}”与图片的实际格式（{image.format}）不符。", "extension"
        )
    return image


def clean_photo(upload) -> CleanPhoto:
    """Check an uploaded file and return it re-encoded without metadata, with its thumbnail.

    Raises ``ValidationError`` with a Chinese message when the file is not a usable photo.
    """
    image = check_image(upload, size_noun="图片")

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
            _refuse("图片文件已损坏，无法读取。")

    source_format = image.format
    image = ImageOps.exif_transpose(image)
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))

    stem = PurePath(upload.name or "photo").stem[:80] or "photo"
    stored = _encode(image, source_format)
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    return CleanPhoto(
        image=ContentFile(stored, name=f"{stem}.{ALLOWED_FORMATS[source_format]}"),
        thumbnail=ContentFile(_encode(thumb, "JPEG"), name=f"{stem}-thumb.jpg"),
    )


def _encode(image: Image.Image, image_format: str) -> bytes:
    """The image's pixels in ``image_format``, with no EXIF, XMP or text chunks."""
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = _flatten(image)
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    pixels = Image.new(image.mode, image.size)
    if image.mode == "P":
        pixels.putpalette(image.getpalette())
        if "transparency" in image.info:
            pixels.info["transparency"] = image.info["transparency"]
    pixels.paste(image)
    buffer = io.BytesIO()
    options = {"quality": 85, "optimize": True} if image_format in ("JPEG", "WEBP") else {}
    if "transparency" in pixels.info and image_format == "PNG":
        options["transparency"] = pixels.info["transparency"]
    pixels.save(buffer, image_format, **options)
    return buffer.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB copy, transparent parts on white (JPEG has no transparency)."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
