"""Portal 문화행사 and 마을돌봄자원 pages (FAC-4): published only, past toggle, filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kium.boards.domain import events as domain

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("kium.core.clock.today", lambda: TODAY)


def _event(people, title, *, published=True, days=(1, 3), code="NW", **fields):
    return domain.create_event(
        actor=people.city_officer(),
        title=title,
        district=people.district(code) if code else None,
        place="구민회관",
        starts_on=TODAY + dt.timedelta(days=days[0]),
        ends_on=TODAY + dt.timedelta(days=days[1]),
        is_published=published,
        **fields,
    )


def _resource(people, name, *, code="NW", category="library", published=True):
    return domain.create_village_resource(
        actor=people.city_officer(),
        name=name,
        category=category,
        district=people.district(code),
        is_published=published,
    )


def test_events_list_shows_upcoming_published_only(client, people):
    _event(people, "다음주 행사")
    _event(people, "오늘 끝나는 행사", days=(-2, 0))
    _event(people, "숨긴 행사", published=False)
    _event(people, "지난 행사A", days=(-10, -1))
    response = client.get(reverse("public:events"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "다음주 행사" in html and "오늘 끝나는 행사" in html
    assert "숨긴 행사" not in html and "지난 행사A" not in html


def test_past_toggle_shows_ended_events(client, people):
    _event(people, "다음주 행사")
    _event(people, "지난 행사A", days=(-10, -1))
    _event(people, "숨긴 지난 행사", days=(-10, -1), published=False)
    html = client.get(reverse("public:events"), {"past": "1"}).content.decode()
    assert "지난 행사A" in html
    assert "다음주 행사" not in html and "숨긴 지난 행사" not in html


def test_event_detail_published_and_sanitised(client, people):
    event = _event(people, "인형극", code=None, description="<p>안내</p><script>alert(1)</script>")
    response = client.get(reverse("public:event_detail", args=[event.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<p>안내</p>" in html and "alert(1)" not in html
    assert "서울시 전체" in html


def test_unpublished_event_detail_is_404(client, people):
    event = _event(people, "숨긴 행사", published=False)
    assert client.get(reverse("public:event_detail", args=[event.pk])).status_code == 404


def test_village_resources_filter_by_district_and_category(client, people):
    _resource(people, "노원도서관")
    _resource(people, "노원공원", category="park")
    _resource(people, "강남도서관", code="GN")
    _resource(people, "숨긴자원", published=False)
    html = client.get(reverse("public:village_resources")).content.decode()
    assert "노원도서관" in html and "강남도서관" in html and "숨긴자원" not in html
    nw = people.district("NW").pk
    html = client.get(
        reverse("public:village_resources"), {"district": nw, "category": "park"}
    ).content.decode()
    assert "노원공원" in html
    assert "노원도서관" not in html and "강남도서관" not in html


def test_village_resources_bad_filter_is_400(client, people):
    response = client.get(reverse("public:village_resources"), {"category": "nope"})
    assert response.status_code == 400
