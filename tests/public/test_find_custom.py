"""맞춤형정보 (FIND-1): a child's age or birth date and a district → the services that fit."""

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from kium.orgs.enums import FacilityType

SEOUL_THURSDAY = dt.datetime(2026, 10, 8, 1, 0, tzinfo=dt.UTC)
URL = "/find/custom/"

pytestmark = pytest.mark.django_db


def cards(html: str) -> dict[str, str]:
    """Each result card's HTML by its service key."""
    found = {}
    for chunk in html.split('data-service="')[1:]:
        key, body = chunk.split('"', 1)
        # A card ends with its list of links.
        found[key] = body.split("</ul>", 1)[0]
    return found


def test_form_is_offered_to_anyone(client):
    response = client.get(URL)
    assert reverse("public:find_custom") == URL
    assert response.status_code == 200
    html = response.content.decode()
    assert "맞춤형정보" in html
    for label in ("자치구", "아이 나이(만 나이)", "생년월일"):
        assert label in html
    assert 'method="post"' in html  # a birth date never goes into a URL
    assert "data-service=" not in html


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_an_eight_year_old_in_nowon(client, people):
    for _ in range(2):
        people.facility("NW", ages=["elementary"])
    people.facility("NW", FacilityType.LOCAL_CHILD)
    people.facility("GN", ages=["elementary"])
    response = client.post(URL, {"district": "NW", "age": "8"})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "노원구 · 만 8세(초등학생 나이)" in html
    found = cards(html)
    assert list(found) == ["kium", "local_child", "kids_cafe", "school_care", "child_care_service"]
    assert "초등학생(만 6~12세)이 이용할 수 있는 우리동네키움센터 — 노원구에 2곳" in found["kium"]
    assert "18세 미만 아동이 이용할 수 있는 지역아동센터 — 노원구에 1곳" in found["local_child"]
    assert "노원구에 0곳" in found["kids_cafe"]
    assert (
        f'href="{reverse("public:find_map")}?district=NW&type=UK&age=elementary"' in found["kium"]
    )
    assert f'href="{reverse("public:cms_page", args=["kium/intro"])}"' in found["kium"]
    assert f'href="{reverse("public:cms_page", args=["kidscafe/intro"])}"' in found["kids_cafe"]
    # Information-only services link their page, not the map.
    assert "지도에서 찾기" not in found["school_care"]
    assert (
        f'href="{reverse("public:cms_page", args=["school-care/intro"])}"' in found["school_care"]
    )
    assert "community" not in found
    assert "노원구에 2곳" not in found["local_child"]  # each card carries only its own


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_a_toddler_by_birth_date(client, people):
    people.facility("MP", FacilityType.COMMUNITY, ages=["infant"])
    response = client.post(URL, {"district": "MP", "birth_date": "2024-05-01"})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "마포구 · 만 2세(영아)" in html
    found = cards(html)
    assert "community" in found and "kium" not in found
    assert (
        "영유아(만 5세 이하)가 보호자와 함께 이용하는 공동육아방·공동육아나눔터 — 마포구에 1곳"
        in (found["community"])
    )
    assert "?district=MP&type=CC" in found["community"]
    assert 'value="2024-05-01"' in html  # the form keeps what was typed


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_birth_date_wins_over_age_and_decides_the_kids_cafe(client, people):
    # 만 9세 but 연 나이 10 (born December 2016): no kids café.
    html = client.post(
        URL, {"district": "NW", "age": "5", "birth_date": "2016-12-01"}
    ).content.decode()
    assert "만 9세" in html
    assert "kids_cafe" not in cards(html)
    # Only the 만 나이 9: shown, with the caveat.
    html = client.post(URL, {"district": "NW", "age": "9"}).content.decode()
    assert "생일이 아직 지나지 않았다면" in cards(html)["kids_cafe"]


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"district": "NW"}, "아이의 만 나이나 생년월일을 입력해 주세요.", "age"),
        ({}, "자치구를 골라 주세요.", "district"),
        ({"age": "7"}, "자치구를 골라 주세요.", "district"),
        ({"district": "ZZ", "age": "7"}, "목록에 있는 자치구를 골라 주세요.", "district"),
        (
            {"district": "NW", "age": "18"},
            "만 18세 미만 아동의 돌봄 정보만 찾을 수 있습니다.",
            "age",
        ),
        ({"district": "NW", "age": "-1"}, "나이는 0세 이상으로 입력해 주세요.", "age"),
        ({"district": "NW", "age": "일곱"}, "나이는 숫자로 입력해 주세요.", "age"),
        ({"district": "NW", "birth_date": "2030-01-01"}, "오늘이나 그 이전 날짜로", "birth_date"),
        ({"district": "NW", "birth_date": "2000-01-01"}, "만 18세 미만", "birth_date"),
        ({"district": "NW", "birth_date": "어제"}, "2018-03-02 형식으로", "birth_date"),
    ],
)
@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_bad_input_gets_a_korean_message_next_to_the_field(client, data, message, field):
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    error_block = html.split(f'id="id_{field}_error"', 1)[1].split("</div>", 1)[0]
    assert message in error_block
    assert "data-service=" not in html
    if data.get("age") and field != "age":
        assert f'value="{data["age"]}"' in html
