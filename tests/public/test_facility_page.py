"""A facility's public page, its photos, and 관심시설 (toggle and list)."""

import base64
import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kium.centres.domain.closed_days import add_closed_day
from kium.centres.domain.favourites import MAX_FAVOURITES, add_favourite
from kium.centres.models import FacilityPhoto, FacilityProfile, FavouriteFacility
from kium.orgs.enums import FacilityType
from kium.orgs.models import Facility
from tests.centres.test_finder import open_semester2

SEOUL_THURSDAY = dt.datetime(2026, 10, 8, 1, 0, tzinfo=dt.UTC)  # 10:00 Thursday 10-08
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

pytestmark = pytest.mark.django_db


def page_url(facility) -> str:
    return reverse("public:facility", args=[facility.code])


def photo(facility, *, content_type="image/png", sort_order=0, alt="놀이실 전경"):
    return FacilityPhoto.objects.create(
        facility=facility,
        image=SimpleUploadedFile("room.png", PNG, content_type="image/png"),
        alt_text=alt,
        content_type=content_type,
        sort_order=sort_order,
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def centre(people):
    facility = people.facility(
        "NW",
        kind="general",
        name="상계 키움센터",
        phone="02-123-4567",
        email="sanggye@example.kr",
        ages=["elementary"],
    )
    open_semester2(facility)
    FacilityProfile.objects.create(
        facility=facility,
        introduction="햇살이 잘 드는 센터입니다.\n<b>텃밭</b>도 있어요.",
        term_open_time=dt.time(13, 0),
        term_close_time=dt.time(20, 0),
        vacation_open_time=dt.time(9, 0),
        vacation_close_time=dt.time(18, 0),
        meal_support="meal_snack",
        monthly_fee=50000,
        daily_fee=2500,
        fee_note="방학 중 점심 무료",
        morning_care=True,
        sick_child_care=False,
        night_care=True,
    )
    return facility


# --- the page ----------------------------------------------------------------------------


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_anonymous_visitor_reads_the_whole_page(client, centre):
    second = photo(centre, sort_order=2, alt="텃밭")
    first = photo(centre, sort_order=1)
    add_closed_day(actor=None, facility=centre, date=dt.date(2026, 10, 13), reason="소독")
    response = client.get(page_url(centre))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "<h1" in html and "상계 키움센터" in html
    assert "우리동네키움센터" in html and "일반형" in html and "노원구" in html
    # Photos in order, served by the photo view, with their text alternative.
    srcs = re.findall(r'<img src="(/facilities/photos/\d+/)" alt="([^"]*)"', html)
    assert srcs == [
        (reverse("public:facility_photo", args=[first.pk]), "놀이실 전경"),
        (reverse("public:facility_photo", args=[second.pk]), "텃밭"),
    ]
    # Introduction as plain text with line breaks (no HTML from the profile).
    assert (
        "햇살이 잘 드는 센터입니다.<br>&lt;b&gt;텃밭&lt;/b&gt;도 있어요."
        in response.content.decode()
    )
    # This quarter's hours and the usual ones.
    assert "2학기 2026.08.17 ~ 2026.12.31" in html and "평일 13:00~20:00" in html
    assert "학기 중 13:00~20:00" in html and "방학 중 09:00~18:00" in html
    assert "급식·간식" in html
    assert "정기돌봄 월 50,000원" in html and "일시돌봄 1일 2,500원" in html
    assert "방학 중 점심 무료" in html
    assert "아침돌봄" in html and "야간돌봄" in html and "아픈아이 돌봄" not in html
    assert "20명" in html and "일시돌봄 전용 4명 별도" in html
    # 실시간 이용현황: today and 13 more days, closed days marked.
    assert "실시간 이용현황" in html
    assert "정기돌봄 빈자리 <strong>20</strong>명" in html
    table = html.split("<caption>", 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r'<th scope="row">', table)) == 14
    assert re.search(r"2026\.10\.09 \(금\)</th>\s*<td>휴무 \(한글날\)</td>", table)
    assert re.search(r"2026\.10\.13 \(화\)</th>\s*<td>휴무 \(소독\)</td>", table)
    assert re.search(r"2026\.10\.10 \(토\)</th>\s*<td>휴무</td>", table)
    assert re.search(
        r'2026\.10\.08 \(목\) <span class="sr-only">오늘</span></th>\s*<td>운영</td>', table
    )
    # Contact, small map, reservation and favourites for an anonymous visitor.
    assert 'href="tel:02-123-4567"' in html and 'href="mailto:sanggye@example.kr"' in html
    assert "data-facility-map" in html and 'data-lat="37.654000"' in html
    assert "예약하기" in html or "예약 준비 중" in html
    login = f"{reverse('public:login')}?next={page_url(centre).replace('/', '%2F')}"
    assert f'href="{login}"' in html and "로그인하고 관심시설 등록" in html


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_page_without_profile_photos_or_period(client, people):
    cafe = people.facility("NW", FacilityType.KIDS_CAFE, lat=None, lng=None)
    html = client.get(page_url(cafe)).content.decode()
    assert "이번 분기 운영기간이 아직 등록되지 않았습니다." in html
    assert "시설 사진" not in html and "data-facility-map" not in html
    assert "일시돌봄 빈자리" not in html  # only 키움센터 take temporary care


def test_reserve_button_links_when_the_reservation_page_exists(client, centre, monkeypatch):
    from kium.public import views_facility

    monkeypatch.setattr(views_facility, "_reserve_href", lambda code: f"/reserve/{code}/")
    html = client.get(page_url(centre)).content.decode()
    assert f'href="/reserve/{centre.code}/"' in html and "예약하기" in html
    assert "예약 준비 중" not in html


def test_reserve_button_waits_for_the_reservation_page(client, centre, monkeypatch):
    from django.urls import NoReverseMatch

    from kium.public import views_facility

    def no_reservations(*args, **kwargs):
        raise NoReverseMatch("public:reserve")

    monkeypatch.setattr(views_facility, "reverse", _only_reserve_missing(no_reservations))
    html = client.get(page_url(centre)).content.decode()
    assert re.search(r"<button[^>]*disabled[^>]*>예약 준비 중</button>", html)
    assert "예약하기" not in html


def _only_reserve_missing(fail):
    real = reverse

    def fake(name, *args, **kwargs):
        if name == "public:reserve":
            fail()
        return real(name, *args, **kwargs)

    return fake


def test_reserve_uses_the_real_reservation_page_when_registered(client, centre):
    from django.urls import NoReverseMatch

    try:
        target = reverse("public:reserve", args=[centre.code])
    except NoReverseMatch:
        pytest.skip("the reservation page is not registered in this tree")
    assert f'href="{target}"' in client.get(page_url(centre)).content.decode()


def test_facilities_outside_the_reservation_engine_offer_no_reservation(client, people):
    cafe = people.facility("NW", FacilityType.KIDS_CAFE)
    html = client.get(page_url(cafe)).content.decode()
    assert "예약하기" not in html and "예약 준비 중" not in html


def test_facility_out_of_operation_shows_a_notice(client, centre):
    Facility.objects.filter(pk=centre.pk).update(is_operating=False)
    response = client.get(page_url(centre))
    assert response.status_code == 200
    html = response.content.decode()
    assert "현재 운영하지 않는 시설입니다." in html
    assert "예약하기" not in html and "예약 준비 중" not in html


def test_codes_are_case_insensitive_and_unknown_ones_404(client, centre):
    assert client.get(f"/facilities/{centre.code.lower()}/").status_code == 200
    assert client.get("/facilities/NWUK999/").status_code == 404
    assert client.get("/facilities/%00/").status_code == 404
    assert client.get("/facilities/" + "X" * 300 + "/").status_code == 404


def test_page_is_a_fixed_number_of_queries(client, centre, django_assert_max_num_queries):
    photo(centre)
    with django_assert_max_num_queries(8):
        assert client.get(page_url(centre)).status_code == 200
    for n in range(5):
        photo(centre, sort_order=n)
    with django_assert_max_num_queries(8):
        assert client.get(page_url(centre)).status_code == 200


# --- photos ----------------------------------------------------------------------------


def test_photo_is_served_with_its_type_and_public_caching(client, centre):
    picture = photo(centre)
    response = client.get(reverse("public:facility_photo", args=[picture.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_photo_type_outside_images_is_never_served_as_such(client, centre):
    picture = photo(centre, content_type="text/html")
    response = client.get(reverse("public:facility_photo", args=[picture.pk]))
    assert response["Content-Type"] == "application/octet-stream"


def test_missing_photos_are_404(client, centre):
    assert client.get("/facilities/photos/999999/").status_code == 404
    assert client.get("/facilities/photos/99999999999999999999999/").status_code == 404
    picture = photo(centre)
    picture.image.storage.delete(picture.image.name)
    assert client.get(reverse("public:facility_photo", args=[picture.pk])).status_code == 404
    # A deleted facility takes its photos with it.
    other = photo(centre)
    Facility.objects.filter(pk=centre.pk).delete()
    assert client.get(reverse("public:facility_photo", args=[other.pk])).status_code == 404


# --- 관심시설 ----------------------------------------------------------------------------


def toggle_url(facility) -> str:
    return reverse("public:favourite_toggle", args=[facility.code])


def test_guardian_adds_and_removes_without_javascript(client, people, centre):
    guardian = people.guardian()
    client.force_login(guardian)
    html = client.get(page_url(centre)).content.decode()
    assert "관심시설 등록" in html and 'name="action" value="add"' in html
    response = client.post(toggle_url(centre), {"action": "add"})
    assert response.status_code == 302 and response["Location"] == page_url(centre)
    assert FavouriteFacility.objects.filter(user=guardian, facility=centre).exists()
    page = client.get(page_url(centre)).content.decode()
    assert "관심시설에 등록했습니다." in page and "관심시설 해제" in page
    client.post(toggle_url(centre), {"action": "add"})  # twice: still one
    assert FavouriteFacility.objects.filter(user=guardian).count() == 1
    client.post(toggle_url(centre), {"action": "remove"})
    assert not FavouriteFacility.objects.filter(user=guardian).exists()


def test_htmx_toggle_answers_with_the_box_and_the_status(client, people, centre):
    client.force_login(people.guardian())
    response = client.post(toggle_url(centre), {"action": "add"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('id="favourite-box"') == 1 and "관심시설 해제" in html
    assert 'id="favourite-status" hx-swap-oob="innerHTML">관심시설에 등록했습니다.' in html
    assert "<html" not in html


def test_the_twenty_first_favourite_is_refused_in_korean(client, people, centre):
    guardian = people.guardian()
    for _ in range(MAX_FAVOURITES):
        add_favourite(user=guardian, facility=people.facility("GN"))
    client.force_login(guardian)
    response = client.post(toggle_url(centre), {"action": "add"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "관심시설은 20곳까지 등록할 수 있습니다." in response.content.decode()
    response = client.post(toggle_url(centre), {"action": "add"}, follow=True)
    assert "관심시설은 20곳까지 등록할 수 있습니다." in response.content.decode()
    assert not FavouriteFacility.objects.filter(user=guardian, facility=centre).exists()


def test_toggle_needs_login_and_csrf(people, centre):
    from django.test import Client

    anonymous = Client()
    response = anonymous.post(toggle_url(centre), {"action": "add"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("public:login"))
    assert "next=" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.guardian())
    assert strict.post(toggle_url(centre), {"action": "add"}).status_code == 403
    assert not FavouriteFacility.objects.exists()


def test_staff_get_a_clear_refusal(client, people, centre):
    client.force_login(people.centre_manager(centre))
    html = client.get(page_url(centre)).content.decode()
    assert "관심시설은 보호자 회원만 등록할 수 있습니다." in html
    response = client.post(toggle_url(centre), {"action": "add"})
    assert response.status_code == 403
    assert "보호자 회원 전용 화면입니다" in response.content.decode()
    listing = client.get(reverse("public:favourites"))
    assert listing.status_code == 403
    assert "보호자 회원 전용 화면입니다" in listing.content.decode()
    assert not FavouriteFacility.objects.exists()


def test_unknown_action_and_unknown_facility(client, people, centre):
    client.force_login(people.guardian())
    response = client.post(toggle_url(centre), {"action": "explode"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "요청을 확인해 주세요." in response.content.decode()
    assert client.post("/facilities/NWUK999/favourite/", {"action": "add"}).status_code == 404
    assert client.get(toggle_url(centre)).status_code == 405


def test_favourites_list_needs_login(client):
    response = client.get(reverse("public:favourites"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('public:login')}?next=%2Faccounts%2Ffavourites%2F"


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_favourites_list_shows_free_places_today(client, people, centre):
    guardian = people.guardian()
    idle = people.facility("GN", FacilityType.KIDS_CAFE, name="강남 키즈카페")
    add_favourite(user=guardian, facility=centre)
    add_favourite(user=guardian, facility=idle)
    add_favourite(user=people.guardian(), facility=people.facility("NW", name="남의 관심시설"))
    client.force_login(guardian)
    response = client.get(reverse("public:favourites"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "관심시설 2곳 · 2026.10.08 기준" in html
    assert "남의 관심시설" not in html
    rows = re.findall(r"<tr>\s*<th scope=\"row\".*?</tr>", html, re.S)
    assert "강남 키즈카페" in rows[0] and "휴무" in rows[0]
    assert "상계 키움센터" in rows[1]
    cells = re.findall(r'<td class="is-num">(\S+)</td>', rows[1])
    assert cells == ["20", "24"]
    # Removing from the list comes back to the list.
    response = client.post(
        toggle_url(idle), {"action": "remove", "next": reverse("public:favourites")}
    )
    assert response["Location"] == reverse("public:favourites")


def test_favourites_list_is_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries
):
    guardian = people.guardian()
    client.force_login(guardian)
    add_favourite(user=guardian, facility=people.facility("NW"))
    with django_assert_max_num_queries(4):
        assert client.get(reverse("public:favourites")).status_code == 200
    for _ in range(10):
        add_favourite(user=guardian, facility=people.facility("NW"))
    with django_assert_max_num_queries(4):
        assert client.get(reverse("public:favourites")).status_code == 200


def test_free_days_link_to_a_prefilled_reservation(client, people):
    import datetime as dt

    from kium.centres.domain.periods import set_operating_period
    from kium.centres.models import Quarter
    from kium.core import clock

    centre = people.facility("NW", kind="general")
    today = clock.today()
    quarter = Quarter.objects.filter(start__lte=today, end__gte=today).first()
    set_operating_period(
        actor=None,
        facility=centre,
        quarter=quarter,
        weekday_hours=(dt.time(13), dt.time(20)),
        saturday_hours=(dt.time(9), dt.time(13)),
    )
    html = client.get(f"/facilities/{centre.code}/").content.decode()
    assert f"/facilities/{centre.code}/reserve/?care_type=temporary&amp;date=" in html
