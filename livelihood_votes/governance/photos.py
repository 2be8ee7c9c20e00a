"""Photos from the public: checked by their content, never by their name, and stored without metadata.

`clean_photo(upload)` reads the file with Pillow: only a real JPEG, PNG or WebP under
`SNAPSHOT_PHOTO_MAX_BYTES` passes. What is stored is a fresh encoding of the pixels (turned upright first), so the
EXIF block with the phone's GPS position, its make and the time taken never reaches storage.
"""

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is a decompression bomb, not a phone picture


def clean_photo(upload, *, field: str = "photos") -> ContentFile:
    """The upload re-encoded without metadata, or a ValidationError naming the file."""
    name = Path(getattr(upload, "name", "") or "photo").name
    limit = settings.SNAPSHOT_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {field: _("照片“%(name)s”超过 %(mb)d MB，请压缩后再上传。") % {"name": name, "mb": limit // (1024 * 1024)}}
        )
    data = b"".join(upload.chunks())
    refused = ValidationError(
        {field: _("“%(name)s”不是有效的照片；请上传 JPG、PNG 或 WebP 格式的图片。") % {"name": name}}
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in FORMATS:
            raise refused
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise refused
            upright = ImageOps.exif_transpose(image)
            if kind == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            out = io.BytesIO()
            upright.save(out, kind, **({"quality": 85} if kind in ("JPEG", "WEBP") else {}))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    return ContentFile(out.getvalue(), name=f"{Path(name).stem[:80] or 'photo'}.{FORMATS[kind]}")


def clean_photos(uploads, *, field: str = "photos") -> list[ContentFile]:
    uploads = list(uploads or ())
    if len(uploads) > settings.SNAPSHOT_MAX_PHOTOS:
        raise ValidationError({field: _("最多上传 %(n)d 张照片。") % {"n": settings.SNAPSHOT_MAX_PHOTOS}})
    return [clean_photo(upload, field=field) for upload in uploads]
