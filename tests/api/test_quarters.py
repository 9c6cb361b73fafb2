"""GET /api/v1/quarters: the city's usage quarters (public, no auth)."""

import datetime as dt

import time_machine

from kium.centres.models import Quarter


def test_quarters_of_a_year_in_api_shape(client, db):
    response = client.get("/api/v1/quarters", {"year": 2026})
    assert response.status_code == 200
    assert response.json() == [
        {
            "year": 2026,
            "term": "semester1",
            "name": "1학기",
            "start": "2026-03-02",
            "end": "2026-07-19",
        },
        {
            "year": 2026,
            "term": "summer_vacation",
            "name": "여름방학",
            "start": "2026-07-20",
            "end": "2026-08-16",
        },
        {
            "year": 2026,
            "term": "semester2",
            "name": "2학기",
            "start": "2026-08-17",
            "end": "2026-12-31",
        },
        {
            "year": 2026,
            "term": "winter_vacation",
            "name": "겨울방학",
            "start": "2027-01-01",
            "end": "2027-02-28",
        },
    ]


@time_machine.travel(dt.datetime(2027, 12, 31, 16, 0, tzinfo=dt.UTC), tick=False)
def test_year_defaults_to_this_year_in_seoul(client, db):
    # 16:00 UTC on 31 Dec 2027 is already 1 Jan 2028 in Seoul.
    Quarter.objects.create(
        year=2028, term="semester1", start=dt.date(2028, 3, 2), end=dt.date(2028, 7, 21)
    )
    body = client.get("/api/v1/quarters").json()
    assert [(q["year"], q["term"]) for q in body] == [(2028, "semester1")]


def test_a_year_without_quarters_is_an_empty_list(client, db):
    response = client.get("/api/v1/quarters", {"year": 2040})
    assert response.status_code == 200 and response.json() == []


def test_invalid_year_is_400_in_korean(client, db):
    for value in ("abc", "1800", "2026.5"):
        response = client.get("/api/v1/quarters", {"year": value})
        assert response.status_code == 400, value
        body = response.json()
        assert body["code"] == "invalid" and body["message"] == "입력값을 확인해 주세요."
        assert "year" in body["fields"]


def test_quarters_need_no_login_and_are_described_in_openapi(client, db):
    assert client.get("/api/v1/quarters", {"year": 2027}).status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/quarters"]["get"]
    assert "200" in operation["responses"] and "400" in operation["responses"]
