"""이용분기 관리, 휴무일 관리 and the facility's 예약정보 tab, as each kind of user."""

import datetime as dt

from django.urls import reverse

from kium.centres.models import ClosedDay, OperatingPeriod, Quarter
from kium.core.models import AuditEntry

D = dt.date


def _assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/") and "next=" in response["Location"]


def test_quarters_list_add_and_edit_as_city_officer(people, login):
    client = login(people.city_officer())
    url = reverse("backoffice:quarters")
    html = client.get(url, {"year": 2026}).content.decode()
    assert "1학기" in html and "2026.03.02" in html and "겨울방학" in html
    response = client.post(
        url, {"year": "2028", "term": "semester1", "start": "2028-03-02", "end": "2028-07-21"}
    )
    assert response.status_code == 302
    quarter = Quarter.objects.get(year=2028, term="semester1")
    edit = reverse("backoffice:quarter_edit", args=[quarter.pk])
    assert client.post(edit, {"start": "2028-03-02", "end": "2028-07-20"}).status_code == 302
    quarter.refresh_from_db()
    assert quarter.end == D(2028, 7, 20)


def test_quarter_errors_are_korean_next_to_the_field_and_keep_input(people, login):
    client = login(people.city_officer())
    url = reverse("backoffice:quarters")
    response = client.post(
        url, {"year": "2028", "term": "summer_vacation", "start": "2028-07-01", "end": "2028-06-01"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "종료일은 시작일과 같거나 그 뒤여야 합니다." in html
    assert 'value="2028-07-01"' in html
    response = client.post(
        url, {"year": "2028", "term": "semester1", "start": "2027-12-01", "end": "2028-01-10"}
    )
    assert response.status_code == 400
    assert "시작일이 2028학년도에 속하지 않습니다." in response.content.decode()
    response = client.post(url, {"year": "abc", "term": "", "start": "x", "end": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "연도를 숫자로 입력해 주세요." in html and "날짜를 YYYY.MM.DD 형식으로" in html
    response = client.post(
        url, {"year": "2026", "term": "summer_vacation", "start": "2030-07-01", "end": "2030-08-01"}
    )
    assert "2026년 여름방학은(는) 이미 등록되어 있습니다." in response.content.decode()
    quarter = Quarter.objects.get(year=2026, term="semester1")
    response = client.post(
        reverse("backoffice:quarter_edit", args=[quarter.pk]),
        {"start": "2026-03-02", "end": "2026-08-01"},
    )
    assert response.status_code == 400 and "기간이 겹칩니다" in response.content.decode()


def test_quarter_screens_are_for_city_officers(people, login, client):
    url = reverse("backoffice:quarters")
    _assert_login_redirect(client.get(url))
    quarter = Quarter.objects.get(year=2026, term="semester1")
    edit = reverse("backoffice:quarter_edit", args=[quarter.pk])
    _assert_login_redirect(client.post(edit, {"start": "2026-03-01", "end": "2026-07-19"}))
    district = login(people.district_officer("NW"))
    assert district.get(url).status_code == 403
    assert district.post(edit, {"start": "2026-03-01", "end": "2026-07-19"}).status_code == 403
    quarter.refresh_from_db()
    assert quarter.start == D(2026, 3, 2)


def test_holidays_page_city_closures_and_public_holidays(people, login):
    client = login(people.city_officer())
    url = reverse("backoffice:holidays")
    html = client.get(url, {"year": 2026}).content.decode()
    assert "2026.03.02" in html and "삼일절 대체 휴일" in html and "추석" in html
    response = client.post(url, {"date": "2026-04-15", "reason": "서울시 지정 휴무"})
    assert response.status_code == 302
    day = ClosedDay.objects.get(facility__isnull=True, date=D(2026, 4, 15))
    assert "서울시 지정 휴무" in client.get(url, {"year": 2026}).content.decode()
    response = client.post(url, {"date": "2026-04-15", "reason": "중복"})
    assert response.status_code == 400
    assert "이미 휴무일로 등록되어 있습니다" in response.content.decode()
    response = client.post(url, {"date": "2026-04-16", "reason": ""})
    assert response.status_code == 400 and 'value="2026-04-16"' in response.content.decode()
    remove = reverse("backoffice:holiday_remove", args=[day.pk])
    assert client.post(remove).status_code == 302
    assert not ClosedDay.objects.exists()


def test_holidays_page_gate(people, login, client):
    url = reverse("backoffice:holidays")
    _assert_login_redirect(client.get(url))
    day = ClosedDay.objects.create(facility=None, date=D(2026, 4, 15), reason="시 휴무")
    _assert_login_redirect(client.post(reverse("backoffice:holiday_remove", args=[day.pk])))
    district = login(people.district_officer("NW"))
    assert district.get(url).status_code == 403
    assert district.post(reverse("backoffice:holiday_remove", args=[day.pk])).status_code == 403
    assert ClosedDay.objects.filter(pk=day.pk).exists()


def _info_url(facility):
    return reverse("backoffice:facility_reservation_info", args=[facility.code])


def _period_post(quarter, **fields):
    data = {
        "action": "period",
        "quarter": quarter.pk,
        "start": quarter.start.isoformat(),
        "end": quarter.end.isoformat(),
        "open_time": "13:00",
        "close_time": "20:00",
        "saturday_open_time": "",
        "saturday_close_time": "",
    }
    data.update(fields)
    return data


def test_reservation_info_as_district_officer(people, login, semester1):
    facility = people.facility("NW")
    client = login(people.district_officer("NW"))
    url = _info_url(facility)
    html = client.get(url, {"year": 2026}).content.decode()
    assert "운영기간 미등록" in html and facility.name in html
    assert f'action="{url}?year=2026"' in html  # the forms post back to this tab
    response = client.post(f"{url}?year=2026", _period_post(semester1, end="2026-06-30"))
    assert response.status_code == 302
    response = client.post(f"{url}?year=2026", _period_post(semester1, end="2026-07-17"))
    assert response.status_code == 302
    period = OperatingPeriod.objects.get(facility=facility)
    assert period.end == D(2026, 7, 17)
    html = client.get(url, {"year": 2026, "quarter": semester1.pk}).content.decode()
    assert "2026.03.02~2026.07.17" in html and 'value="2026-07-17"' in html
    assert (
        client.post(
            url, {"action": "closed_day", "date": "2026-05-06", "reason": "소독"}
        ).status_code
        == 302
    )
    assert ClosedDay.objects.filter(facility=facility, date=D(2026, 5, 6)).exists()


def test_reservation_info_errors_stay_on_the_page(people, login, semester1):
    facility = people.facility("NW")
    client = login(people.centre_manager(facility))
    url = _info_url(facility)
    response = client.post(url, _period_post(semester1, start="2026-02-20"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "운영기간은 2026 1학기 기간(2026.03.02~2026.07.19) 안이어야 합니다." in html
    assert 'value="2026-02-20"' in html
    response = client.post(url, _period_post(semester1, saturday_open_time="10:00"))
    assert response.status_code == 400
    assert "토요일 운영 시 시작시간과 종료시간을 모두 입력해 주세요." in response.content.decode()
    assert not OperatingPeriod.objects.exists()


def test_reservation_info_of_another_district_is_404(people, login, semester1):
    facility = people.facility("NW")
    day = ClosedDay.objects.create(facility=facility, date=D(2026, 5, 6), reason="소독")
    client = login(people.district_officer("GN"))
    url = _info_url(facility)
    assert client.get(url).status_code == 404
    assert client.post(url, _period_post(semester1)).status_code == 404
    remove = reverse("backoffice:facility_closed_day_remove", args=[facility.code, day.pk])
    assert client.post(remove).status_code == 404
    assert ClosedDay.objects.filter(pk=day.pk).exists() and not OperatingPeriod.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="centres.").exists()


def test_reservation_info_anonymous_and_city_officer(people, login, client):
    facility = people.facility("GN")
    day = ClosedDay.objects.create(facility=facility, date=D(2026, 5, 6), reason="소독")
    _assert_login_redirect(client.get(_info_url(facility)))
    city = login(people.city_officer())
    assert city.get(_info_url(facility)).status_code == 200
    remove = reverse("backoffice:facility_closed_day_remove", args=[facility.code, day.pk])
    assert city.post(remove).status_code == 302
    assert not ClosedDay.objects.exists()


def test_facility_detail_links_to_its_reservation_info(client, people):
    facility = people.facility("NW")
    client.force_login(people.district_officer("NW"))
    html = client.get(f"/admin/org/facilities/{facility.code}/").content.decode()
    assert f"/admin/centres/facilities/{facility.code}/reservation-info/" in html
