"""FAC-2 photos: type checked by Pillow, size and count limits, order, scope, audit."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kium.centres.domain.errors import OUT_OF_SCOPE, CentresError
from kium.centres.domain.photos import (
    MAX_PHOTOS,
    PhotoError,
    add_photo,
    delete_photo,
    move_photo,
)
from kium.centres.models import FacilityPhoto
from kium.core.models import AuditEntry


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_bytes(fmt: str = "PNG", size=(8, 6), color=(200, 30, 30), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def facility(people):
    return people.facility("NW")


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("PNG", "image/png", ".png"), ("JPEG", "image/jpeg", ".jpg"), ("WEBP", "image/webp", ".webp")],
)
def test_accepted_formats_are_stored_by_detected_type(
    people, facility, fmt, content_type, extension
):
    manager = people.centre_manager(facility)
    # The file name and the browser's type lie; the bytes decide.
    photo = add_photo(
        actor=manager,
        facility=facility,
        upload=upload(image_bytes(fmt), name="holiday.gif", content_type="text/plain"),
        alt_text="  햇빛이 드는 놀이방  ",
    )
    photo.refresh_from_db()
    assert photo.content_type == content_type
    assert photo.image.name.endswith(extension)
    assert "holiday" not in photo.image.name
    assert photo.alt_text == "햇빛이 드는 놀이방"
    assert photo.sort_order == 0
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == fmt
        assert image.size == (8, 6)
    entry = AuditEntry.objects.get(action="facility_photo.add")
    assert entry.actor == manager
    assert entry.after["alt_text"] == "햇빛이 드는 놀이방"


def test_text_pretending_to_be_png_is_refused(people, facility):
    with pytest.raises(PhotoError) as caught:
        add_photo(
            actor=people.centre_manager(facility),
            facility=facility,
            upload=upload(b"this is not an image at all", name="fake.png"),
            alt_text="가짜",
        )
    assert caught.value.field == "image"
    assert caught.value.message == "사진은 JPG, PNG, WebP 형식만 올릴 수 있습니다."
    assert not FacilityPhoto.objects.exists()


def test_other_image_formats_are_refused(people, facility):
    for fmt in ("GIF", "BMP"):
        with pytest.raises(PhotoError) as caught:
            add_photo(
                actor=None,
                facility=facility,
                upload=upload(image_bytes(fmt), name=f"x.{fmt.lower()}"),
                alt_text="다른 형식",
            )
        assert "JPG, PNG, WebP" in caught.value.message
    assert not FacilityPhoto.objects.exists()


def test_truncated_png_is_refused(people, facility):
    data = image_bytes("PNG", size=(64, 64))
    with pytest.raises(PhotoError):
        add_photo(actor=None, facility=facility, upload=upload(data[:60]), alt_text="잘림")


def test_size_limit_comes_from_settings(people, facility, settings):
    data = image_bytes("PNG", size=(32, 32))
    settings.KIUM_PHOTO_MAX_BYTES = len(data) - 1
    with pytest.raises(PhotoError) as caught:
        add_photo(actor=None, facility=facility, upload=upload(data), alt_text="큼")
    assert caught.value.field == "image"
    assert "이하만 올릴 수 있습니다" in caught.value.message
    settings.KIUM_PHOTO_MAX_BYTES = len(data)
    add_photo(actor=None, facility=facility, upload=upload(data), alt_text="딱 맞음")
    assert FacilityPhoto.objects.count() == 1


def test_default_limit_is_five_megabytes(facility, settings):
    if hasattr(settings, "KIUM_PHOTO_MAX_BYTES"):
        del settings.KIUM_PHOTO_MAX_BYTES
    big = SimpleUploadedFile("big.png", b"\0" * (5 * 1024 * 1024 + 1), content_type="image/png")
    with pytest.raises(PhotoError) as caught:
        add_photo(actor=None, facility=facility, upload=big, alt_text="큼")
    assert caught.value.message == "사진은 5MB 이하만 올릴 수 있습니다."


def test_alt_text_is_required(facility):
    with pytest.raises(PhotoError) as caught:
        add_photo(actor=None, facility=facility, upload=upload(image_bytes()), alt_text="  ")
    assert caught.value.field == "alt_text"


def test_at_most_ten_photos(facility):
    for n in range(MAX_PHOTOS):
        add_photo(actor=None, facility=facility, upload=upload(image_bytes()), alt_text=f"{n}")
    with pytest.raises(PhotoError) as caught:
        add_photo(actor=None, facility=facility, upload=upload(image_bytes()), alt_text="11")
    assert "10장까지" in caught.value.message
    assert facility.photos.count() == MAX_PHOTOS
    assert sorted(facility.photos.values_list("sort_order", flat=True)) == list(range(10))


def test_metadata_is_dropped_on_reencode(facility):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    data = image_bytes("JPEG", exif=exif.tobytes())
    assert b"SecretCam" in data
    photo = add_photo(actor=None, facility=facility, upload=upload(data, "a.jpg"), alt_text="a")
    with photo.image.open("rb") as stored:
        assert b"SecretCam" not in stored.read()


def test_out_of_scope_actor(people, facility):
    with pytest.raises(CentresError) as caught:
        add_photo(
            actor=people.district_officer("GN"),
            facility=facility,
            upload=upload(image_bytes()),
            alt_text="남의 시설",
        )
    assert caught.value.code == OUT_OF_SCOPE
    photo = add_photo(actor=None, facility=facility, upload=upload(image_bytes()), alt_text="a")
    other_centre = people.centre_manager(people.facility("NW"))
    for call in (
        lambda: delete_photo(actor=other_centre, photo=photo),
        lambda: move_photo(actor=other_centre, photo=photo, direction="down"),
    ):
        with pytest.raises(CentresError) as caught:
            call()
        assert caught.value.code == OUT_OF_SCOPE
    assert FacilityPhoto.objects.filter(pk=photo.pk).exists()


def _order(facility):
    return list(facility.photos.order_by("sort_order", "pk").values_list("alt_text", flat=True))


def test_move_and_delete_keep_a_dense_order(people, facility, django_capture_on_commit_callbacks):
    manager = people.centre_manager(facility)
    photos = [
        add_photo(actor=manager, facility=facility, upload=upload(image_bytes()), alt_text=t)
        for t in ("a", "b", "c")
    ]
    move_photo(actor=manager, photo=photos[2], direction="up")
    assert _order(facility) == ["a", "c", "b"]
    move_photo(actor=manager, photo=photos[0], direction="up")  # already first: no change
    assert _order(facility) == ["a", "c", "b"]
    move_photo(actor=manager, photo=photos[0], direction="down")
    assert _order(facility) == ["c", "a", "b"]
    entry = AuditEntry.objects.filter(action="facility_photo.move").order_by("-pk").first()
    assert entry.after["order"] == [photos[2].pk, photos[0].pk, photos[1].pk]
    assert AuditEntry.objects.filter(action="facility_photo.move").count() == 2

    storage, name = photos[2].image.storage, photos[2].image.name
    with django_capture_on_commit_callbacks(execute=True):
        delete_photo(actor=manager, photo=photos[2])
    assert _order(facility) == ["a", "b"]
    assert list(facility.photos.order_by("sort_order").values_list("sort_order", flat=True)) == [
        0,
        1,
    ]
    assert not storage.exists(name)
    assert AuditEntry.objects.get(action="facility_photo.delete").before["alt_text"] == "c"


def test_bad_direction(facility):
    photo = add_photo(actor=None, facility=facility, upload=upload(image_bytes()), alt_text="a")
    with pytest.raises(PhotoError):
        move_photo(actor=None, photo=photo, direction="sideways")
