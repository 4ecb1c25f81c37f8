"""Uploaded images: checked by content, re-encoded, stripped of EXIF (GPS)."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()  # iPhones upload HEIC

MAX_PIXELS = 40_000_000
MAX_SIDE = 2400
ALLOWED_FORMATS = {"JPEG", "PNG", "HEIF", "WEBP", "MPO"}


def sanitize_image(uploaded, max_bytes=None):
    """Return a new JPEG ContentFile made from the uploaded image's pixels only.

    Raises ValidationError (Japanese message) for non-images, oversize files
    and unsupported formats. Nothing of the original file survives but pixels.
    """
    max_bytes = max_bytes or settings.MAX_IMAGE_UPLOAD_BYTES
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("画像のファイルサイズが上限（%(mb)dMB）を超えています。") % {"mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    data = uploaded.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            probe.verify()
        if fmt not in ALLOWED_FORMATS:
            raise ValidationError(_("JPEG・PNG・HEIC形式の画像を選んでください。"), code="format")
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("画像の画素数が大きすぎます。"), code="too_many_pixels")
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("画像ファイルとして読み込めませんでした。写真のファイルを選んでください。"), code="invalid")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88, optimize=True)  # no exif= argument: metadata dropped
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
