"""FAC-2 소개 정보 screen: profile form, photos (upload, limits, order, delete, file)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from kium.centres.domain.photos import add_photo
from kium.centres.domain.profile import profile_of, save_profile
from kium.centres.models import FacilityPhoto
from kium.core.models import AuditEntry
from tests.backoffice.conftest import assert_login_redirect


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(size=(10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes | None = None, name="room.png", content_type="image/png"):
    return SimpleUploadedFile(name, png() if data is None else data, content_type=content_type)


PROFILE_POST = {
    "introduction": "아이들이 책을 읽고 노는 곳입니다.",
    "term_open_time": "13:00",
    "term_close_time": "20:00",
    "vacation_open_time": "09:00",
    "vacation_close_time": "18:00",
    "saturday_open_time": "",
    "saturday_close_time": "",
    "meal_support": "snack",
    "monthly_fee": "100000",
    "daily_fee": "3000",
    "fee_note": "간식비 별도",
    "morning_care": "on",
    "sick_child_care": "on",
    "temporary_review": "on",
}


def profile_url(facility):
    return reverse("backoffice:facility_profile", args=[facility.code])


# --- the profile form ----------------------------------------------------------------


def test_centre_manager_saves_own_profile(people, login, nw):
    manager = people.centre_manager(nw)
    client = login(manager)
    response = client.get(profile_url(nw))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="term_open_time"' in html and 'name="temporary_review"' in html
    assert 'enctype="multipart/form-data"' in html
    response = client.post(profile_url(nw), PROFILE_POST)
    assert response.status_code == 302
    assert response["Location"] == profile_url(nw)
    profile = profile_of(nw)
    assert profile.introduction == "아이들이 책을 읽고 노는 곳입니다."
    assert profile.term_open_time.hour == 13 and profile.saturday_open_time is None
    assert profile.meal_support == "snack" and profile.monthly_fee == 100_000
    assert profile.morning_care and profile.sick_child_care and not profile.night_care
    assert profile.temporary_review is True
    assert AuditEntry.objects.get(action="facility_profile.save").actor == manager
    # The saved values come back on the form and on the detail page.
    html = client.get(profile_url(nw)).content.decode()
    assert 'value="13:00"' in html and "간식비 별도" in html
    detail = client.get(reverse("backoffice:facility_detail", args=[nw.code])).content.decode()
    assert "13:00~20:00" in detail and "100,000원" in detail and "센터 승인 후 확정" in detail


def test_profile_errors_keep_input_and_name_the_field(people, login, nw):
    client = login(people.district_officer("NW"))
    data = {
        **PROFILE_POST,
        "introduction": "남아 있어야 할 소개",
        "term_close_time": "",
        "vacation_open_time": "19:00",
        "monthly_fee": "많이",
    }
    response = client.post(profile_url(nw), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "남아 있어야 할 소개" in html
    assert "학기중 운영시간은 시작시간과 종료시간을 모두 입력해 주세요." in html
    assert "방학중 종료시간은 시작시간보다 뒤여야 합니다." in html
    assert "숫자만 입력해 주세요." in html
    assert 'id="id_term_close_time_error"' in html
    assert 'id="id_vacation_close_time_error"' in html
    assert 'value="19:00"' in html and 'value="많이"' in html
    assert profile_of(nw) is None


def test_profile_scope(people, login, nw, gn, client, centre_with_all_menus):
    url = profile_url(nw)
    assert login(people.district_officer("GN")).get(url).status_code == 404
    assert login(people.centre_manager(gn)).post(url, PROFILE_POST).status_code == 404
    assert login(centre_with_all_menus(gn)).get(url).status_code == 404
    assert login(people.city_officer()).get(url).status_code == 200
    client.logout()
    assert_login_redirect(client.get(url), url)
    assert_login_redirect(client.post(url, PROFILE_POST), url)
    assert profile_of(nw) is None


# --- photos --------------------------------------------------------------------------


def photo_post(facility, client, image, alt="햇빛이 드는 놀이방"):
    return client.post(
        reverse("backoffice:facility_photo_add", args=[facility.code]),
        {"photo-image": image, "photo-alt_text": alt},
    )


def test_upload_photo_and_see_it(people, login, nw):
    client = login(people.centre_manager(nw))
    response = photo_post(nw, client, upload())
    assert response.status_code == 302
    photo = FacilityPhoto.objects.get(facility=nw)
    assert photo.alt_text == "햇빛이 드는 놀이방" and photo.content_type == "image/png"
    html = client.get(profile_url(nw)).content.decode()
    src = reverse("backoffice:facility_photo", args=[nw.code, photo.pk])
    assert f'src="{src}"' in html and 'alt="햇빛이 드는 놀이방"' in html
    served = client.get(src)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    body = b"".join(served.streaming_content)
    assert Image.open(io.BytesIO(body)).format == "PNG"
    assert AuditEntry.objects.filter(action="facility_photo.add").count() == 1


def test_text_file_named_png_is_refused_next_to_the_field(people, login, nw):
    client = login(people.centre_manager(nw))
    fake = upload(b"GIF89a? no, just text pretending", name="fake.png")
    response = photo_post(nw, client, fake, alt="남길 설명")
    assert response.status_code == 400
    html = response.content.decode()
    assert "사진은 JPG, PNG, WebP 형식만 올릴 수 있습니다." in html
    assert 'id="id_photo-image_error"' in html
    assert 'value="남길 설명"' in html  # the typed text stays
    assert "다시 선택해 주세요" in html  # the file cannot: the page says so
    assert not FacilityPhoto.objects.exists()


def test_too_big_photo(people, login, nw, settings):
    settings.KIUM_PHOTO_MAX_BYTES = 100
    client = login(people.centre_manager(nw))
    response = photo_post(nw, client, upload(png(size=(200, 200))))
    assert response.status_code == 400
    assert "이하만 올릴 수 있습니다." in response.content.decode()
    assert not FacilityPhoto.objects.exists()


def test_missing_file_and_alt_text(people, login, nw):
    client = login(people.centre_manager(nw))
    response = client.post(reverse("backoffice:facility_photo_add", args=[nw.code]), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "올릴 사진 파일을 선택해 주세요." in html
    assert "사진 설명(대체텍스트)을 입력해 주세요." in html


def test_eleventh_photo_is_refused(people, login, nw):
    for n in range(10):
        add_photo(actor=None, facility=nw, upload=upload(), alt_text=f"사진 {n}")
    client = login(people.centre_manager(nw))
    html = client.get(profile_url(nw)).content.decode()
    assert "먼저 사진을 지워 주세요" in html
    assert 'name="photo-image"' not in html
    response = photo_post(nw, client, upload())
    assert response.status_code == 400
    assert "10장까지" in response.content.decode()
    assert FacilityPhoto.objects.filter(facility=nw).count() == 10


def test_move_and_delete_photos(people, login, nw):
    photos = [add_photo(actor=None, facility=nw, upload=upload(), alt_text=text) for text in "abc"]
    client = login(people.district_officer("NW"))
    move = reverse("backoffice:facility_photo_move", args=[nw.code, photos[2].pk])
    response = client.post(move, {"direction": "up"})
    assert response.status_code == 302
    order = list(nw.photos.order_by("sort_order").values_list("alt_text", flat=True))
    assert order == ["a", "c", "b"]
    delete = reverse("backoffice:facility_photo_delete", args=[nw.code, photos[0].pk])
    assert client.post(delete).status_code == 302
    order = list(nw.photos.order_by("sort_order").values_list("alt_text", flat=True))
    assert order == ["c", "b"]
    assert AuditEntry.objects.filter(action="facility_photo.delete").count() == 1
    # GET does not change anything.
    assert client.get(delete).status_code == 405


def test_photo_scope(people, login, nw, gn, client):
    photo = add_photo(actor=None, facility=nw, upload=upload(), alt_text="a")
    urls = {
        "file": reverse("backoffice:facility_photo", args=[nw.code, photo.pk]),
        "delete": reverse("backoffice:facility_photo_delete", args=[nw.code, photo.pk]),
        "move": reverse("backoffice:facility_photo_move", args=[nw.code, photo.pk]),
        "add": reverse("backoffice:facility_photo_add", args=[nw.code]),
    }
    for user in (people.district_officer("GN"), people.centre_manager(gn)):
        other = login(user)
        assert other.get(urls["file"]).status_code == 404
        assert other.post(urls["delete"]).status_code == 404
        assert other.post(urls["move"], {"direction": "down"}).status_code == 404
        response = other.post(urls["add"], {"photo-image": upload(), "photo-alt_text": "x"})
        assert response.status_code == 404
    # A photo asked for under another facility's code is not found either.
    gn_photo_url = reverse("backoffice:facility_photo", args=[gn.code, photo.pk])
    assert login(people.city_officer()).get(gn_photo_url).status_code == 404
    client.logout()
    for url in urls.values():
        assert_login_redirect(client.get(url), url)
    assert FacilityPhoto.objects.filter(pk=photo.pk).exists()


def test_photo_lists_do_not_grow_queries(people, login, nw, django_assert_max_num_queries):
    """The profile and detail pages cost the same with one photo as with seven."""
    save_profile(actor=None, facility=nw, introduction="소개")
    client = login(people.centre_manager(nw))
    add_photo(actor=None, facility=nw, upload=upload(), alt_text="1")
    pages = [profile_url(nw), reverse("backoffice:facility_detail", args=[nw.code])]
    counts = []
    for url in pages:
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for n in range(6):
        add_photo(actor=None, facility=nw, upload=upload(), alt_text=f"more {n}")
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            html = client.get(url).content.decode()
        assert html.count("more ") >= 6
