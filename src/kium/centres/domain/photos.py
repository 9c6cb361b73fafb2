"""A facility's public photos: add, delete, reorder (FAC-2, docs/facility-profile.md).

An upload is trusted only as far as Pillow can read it: the format is the one Pillow
detects in the bytes (never the file name or the browser's content type), and the image
is re-encoded before it is stored, which drops whatever else rode along in the file
(EXIF with the camera's GPS position, trailing data).
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kium.centres.domain.errors import CentresError
from kium.centres.domain.permissions import require_facility
from kium.centres.models import FacilityPhoto
from kium.core.audit import log_action, snapshot
from kium.core.locking import locked

MAX_PHOTOS = 10
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Far above any camera's picture, far below what would exhaust memory when decoded.
MAX_PIXELS = 50_000_000
ALT_TEXT_MAX = 150

# Pillow's format name → (content type, file extension).
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


class PhotoError(CentresError):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(code, message, field)


def max_bytes() -> int:
    return int(getattr(settings, "KIUM_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _type_error() -> PhotoError:
    return PhotoError("invalid_type", _("사진은 JPG, PNG, WebP 형식만 올릴 수 있습니다."), "image")


def _read_upload(upload) -> bytes:
    if upload is None:
        raise PhotoError("required", _("올릴 사진 파일을 선택해 주세요."), "image")
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    # Read one byte more than allowed: a lying ``size`` cannot sneak a big file in.
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(limit)
    if not data:
        raise PhotoError("empty", _("빈 파일입니다. 사진 파일을 다시 선택해 주세요."), "image")
    return data


def _too_big(limit: int) -> PhotoError:
    return PhotoError(
        "too_large",
        _("사진은 %(mb)sMB 이하만 올릴 수 있습니다.") % {"mb": _megabytes(limit)},
        "image",
    )


def inspect_image(data: bytes) -> str:
    """The Pillow format of ``data`` (JPEG, PNG or WEBP) or a ``PhotoError``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                detected = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(
            "too_many_pixels", _("사진의 가로·세로 크기가 너무 큽니다."), "image"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _type_error() from None
    if detected not in FORMATS:
        raise _type_error()
    if width * height > MAX_PIXELS:
        raise PhotoError("too_many_pixels", _("사진의 가로·세로 크기가 너무 큽니다."), "image")
    return detected


def _reencode(data: bytes, image_format: str) -> bytes:
    """The picture alone, upright, without metadata, in the format it came in."""
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            icc_profile = source.info.get("icc_profile")
            image = ImageOps.exif_transpose(source)
            if image_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
                image = image.convert("RGB")
            options: dict = {"format": image_format}
            if icc_profile:
                options["icc_profile"] = icc_profile
            if image_format in ("JPEG", "WEBP"):
                options["quality"] = 90
            out = io.BytesIO()
            image.save(out, **options)
    except (OSError, ValueError, SyntaxError, EOFError):
        raise _type_error() from None
    return out.getvalue()


def _ordered(facility) -> list[FacilityPhoto]:
    return list(FacilityPhoto.objects.filter(facility=facility).order_by("sort_order", "pk"))


def _renumber(photos: list[FacilityPhoto]) -> None:
    changed = []
    for index, photo in enumerate(photos):
        if photo.sort_order != index:
            photo.sort_order = index
            changed.append(photo)
    if changed:
        FacilityPhoto.objects.bulk_update(changed, ["sort_order"])


def add_photo(*, actor, facility, upload, alt_text: str) -> FacilityPhoto:
    """Store one checked, re-encoded photo at the end of the facility's list."""
    require_facility(actor, facility)
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise PhotoError(
            "required",
            _("사진 설명(대체텍스트)을 입력해 주세요. 화면낭독기가 이 글을 읽습니다."),
            "alt_text",
        )
    if len(alt_text) > ALT_TEXT_MAX:
        raise PhotoError(
            "too_long",
            _("사진 설명은 %(n)s자 이내로 입력해 주세요.") % {"n": ALT_TEXT_MAX},
            "alt_text",
        )
    data = _read_upload(upload)
    image_format = inspect_image(data)
    content = _reencode(data, image_format)
    content_type, extension = FORMATS[image_format]
    user = actor if getattr(actor, "is_authenticated", False) else None
    with locked(f"facility-photos:{facility.pk}"):
        photos = _ordered(facility)
        if len(photos) >= MAX_PHOTOS:
            raise PhotoError(
                "too_many",
                _("사진은 시설마다 %(n)s장까지 올릴 수 있습니다. 다른 사진을 지운 뒤 올려 주세요.")
                % {"n": MAX_PHOTOS},
                "image",
            )
        photo = FacilityPhoto(
            facility=facility,
            alt_text=alt_text,
            content_type=content_type,
            sort_order=len(photos),
            created_by=user,
            updated_by=user,
        )
        # Never the client's file name: a random one with the detected type's extension.
        photo.image.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
        stored = photo.image.name
        try:
            photo.save()
            log_action(actor=actor, action="facility_photo.add", obj=photo, after=snapshot(photo))
        except Exception:
            photo.image.storage.delete(stored)
            raise
    return photo


def delete_photo(*, actor, photo: FacilityPhoto) -> None:
    facility = photo.facility
    require_facility(actor, facility)
    with locked(f"facility-photos:{facility.pk}"):
        log_action(actor=actor, action="facility_photo.delete", obj=photo, before=snapshot(photo))
        storage, name = photo.image.storage, photo.image.name
        photo.delete()
        _renumber(_ordered(facility))
        # The file goes only once the row is surely gone.
        transaction.on_commit(lambda: storage.delete(name) if name else None)


def move_photo(*, actor, photo: FacilityPhoto, direction: str) -> None:
    """Swap the photo with its neighbour (``direction`` is "up" or "down")."""
    if direction not in ("up", "down"):
        raise PhotoError("invalid_direction", _("순서를 바꿀 방향이 올바르지 않습니다."))
    facility = photo.facility
    require_facility(actor, facility)
    with locked(f"facility-photos:{facility.pk}"):
        photos = _ordered(facility)
        before = [p.pk for p in photos]
        index = next((i for i, p in enumerate(photos) if p.pk == photo.pk), None)
        if index is None:
            raise PhotoError("not_found", _("사진을 찾을 수 없습니다."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(photos):
            return  # already first (or last): nothing to do
        photos[index], photos[other] = photos[other], photos[index]
        _renumber(photos)
        log_action(
            actor=actor,
            action="facility_photo.move",
            obj=photo,
            before={"order": before},
            after={"order": [p.pk for p in photos]},
        )
