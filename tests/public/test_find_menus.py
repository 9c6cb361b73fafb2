"""돌봄 정보찾기 in the portal's menus and on the home page; 행사 및 교육 linked too."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from kium.boards.models import CulturalEvent
from kium.orgs.menus import PUBLIC_MENUS

SEOUL_THURSDAY = dt.datetime(2026, 10, 8, 1, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def menu_links() -> dict[str, str]:
    return {
        str(item["label"]): str(item["href"])
        for top in PUBLIC_MENUS
        for _group, items in top["groups"]
        for item in items
        if isinstance(item, dict) and item.get("href")
    }


def group_of(label: str) -> tuple[str, str]:
    for top in PUBLIC_MENUS:
        for group, items in top["groups"]:
            if any(isinstance(i, dict) and str(i["label"]) == label for i in items):
                return str(top["label"]), str(group)
    raise AssertionError(label)


def test_menus_link_the_new_pages():
    links = menu_links()
    assert links["지도서비스"] == reverse("public:find_map")
    assert links["맞춤형정보"] == reverse("public:find_custom")
    assert links["문화행사"] == reverse("public:events")
    assert links["마을돌봄자원"] == reverse("public:village_resources")
    assert group_of("지도서비스") == ("홍보·자료", "돌봄 정보찾기")
    assert group_of("맞춤형정보") == ("홍보·자료", "돌봄 정보찾기")
    assert group_of("문화행사") == ("홍보·자료", "행사 및 교육")


def test_header_links_them_and_the_pages_answer(client):
    html = client.get("/").content.decode()
    for url_name in ("public:find_map", "public:find_custom", "public:events"):
        href = reverse(url_name)
        assert f'<a class="kium-menu-link" href="{href}">' in html
        assert client.get(href).status_code == 200


def test_pages_find_their_place_in_the_menu(client):
    html = client.get(reverse("public:find_map")).content.decode()
    breadcrumb = html.split('class="krds-breadcrumb-wrap', 1)[1].split("</nav>", 1)[0]
    assert re.search(r"홍보·자료.*돌봄 정보찾기.*지도서비스", breadcrumb, re.S)
    html = client.get(reverse("public:find_custom")).content.decode()
    side = html.split('class="krds-side-navigation', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("public:find_custom")}" aria-current="page"' in side
    assert f'href="{reverse("public:find_map")}"' in side
    html = client.get(reverse("public:events")).content.decode()
    assert 'class="krds-side-navigation' in html  # the events page found its group


def test_home_quick_link_opens_the_map(client):
    html = client.get("/").content.decode()
    quick = html.split('class="kium-quick-list"', 1)[1].split("</ul>", 1)[0]
    assert f'<a class="kium-quick-card" href="{reverse("public:find_care")}">' in quick
    card = quick.split(f'href="{reverse("public:find_care")}">', 1)[1].split("</a>", 1)[0]
    assert "돌봄 정보찾기" in card and "준비 중" not in card
    assert client.get(reverse("public:find_care")).url == reverse("public:find_map")


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_home_shows_the_next_published_events(client, people):
    today = dt.date(2026, 10, 8)

    def event(title, start, end, published=True):
        return CulturalEvent.objects.create(
            title=title,
            place="구청 광장",
            starts_on=start,
            ends_on=end,
            is_published=published,
        )

    event("지난 행사", today - dt.timedelta(days=10), today - dt.timedelta(days=1))
    event("숨긴 행사", today, today, published=False)
    first = event("가을 음악회", today, today + dt.timedelta(days=1))
    event("둘째", today + dt.timedelta(days=2), today + dt.timedelta(days=2))
    event("셋째", today + dt.timedelta(days=3), today + dt.timedelta(days=3))
    event("넷째", today + dt.timedelta(days=4), today + dt.timedelta(days=4))
    html = client.get("/").content.decode()
    section = html.split('id="kium-events-title"', 1)[1].split("</section>", 1)[0]
    assert f'href="{reverse("public:event_detail", args=[first.pk])}"' in section
    assert "가을 음악회" in section and "둘째" in section and "셋째" in section
    assert "넷째" not in section and "지난 행사" not in section and "숨긴 행사" not in section
    assert f'href="{reverse("public:events")}"' in section


def test_home_without_events_has_no_events_section(client):
    assert 'id="kium-events-title"' not in client.get("/").content.decode()


def test_guardian_sees_the_favourites_link_on_home(client, people):
    client.force_login(people.guardian())
    assert f'href="{reverse("public:favourites")}"' in client.get("/").content.decode()
    client.force_login(people.city_officer())
    assert f'href="{reverse("public:favourites")}"' not in client.get("/").content.decode()


def test_guardians_reach_their_reservations_and_favourites_from_the_header(client, people):
    guardian = people.guardian()
    client.force_login(guardian)
    html = client.get("/").content.decode()
    assert 'href="/accounts/reservations/"' in html
    assert 'href="/accounts/favourites/"' in html
    client.force_login(people.staff())
    assert 'href="/accounts/favourites/"' not in client.get("/").content.decode()
