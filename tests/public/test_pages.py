"""The public portal's base page and home page (issue 2 §1)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import Resolver404, resolve, reverse

from kium.public.views import QuickLink

TOP_MENUS = ["초등돌봄", "영유아돌봄", "서울형 키즈카페", "예약신청", "홍보·자료"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.menu_buttons: list[str] = []
        self._in_trigger = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.hrefs.append(attrs.get("href") or "")
        if tag == "button" and "gnb-main-trigger" in (attrs.get("class") or ""):
            self._in_trigger = True
            self.menu_buttons.append("")

    def handle_endtag(self, tag):
        if tag == "button":
            self._in_trigger = False

    def handle_data(self, data):
        if self._in_trigger:
            self.menu_buttons[-1] += data.strip()


def parse(response) -> _Links:
    parser = _Links()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.django_db
def test_home_renders_the_five_top_menus_in_order(client):
    response = client.get("/")
    assert response.status_code == 200
    assert parse(response).menu_buttons == TOP_MENUS


@pytest.mark.django_db
def test_home_menu_panels_hold_the_seed_sub_menus(client):
    html = client.get("/").content.decode()
    for text in (
        "일반/융합형 우리동네키움센터",
        "거점7호",
        "공동육아나눔터",
        "키즈카페머니 사용처",
        "거점형 키움센터 예약",
        "자주 묻는 질문",
    ):
        assert text in html
    # Buttons control their panel, so the keyboard script can open it.
    assert 'aria-controls="kium-gnb-panel-1"' in html
    assert 'id="kium-gnb-panel-5"' in html


@pytest.mark.django_db
def test_home_is_korean_with_intro_quick_links_and_contact(client):
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "<title>홈 | 우리동네키움포털</title>" in html
    for text in (
        "돌봄 정보찾기",
        "키움센터 예약",
        "서울형 키즈카페",
        "공지사항",
        "우리동네키움포털은",
        "이용문의 2133-4947, 4817",
        "본문 바로가기",
    ):
        assert text in html


@pytest.mark.django_db
def test_every_link_on_the_home_page_goes_somewhere_real(client):
    hrefs = parse(client.get("/")).hrefs
    assert hrefs
    for href in hrefs:
        assert href and href != "#", "dead link on the home page"
        if href.startswith("#"):
            assert href == "#main"  # the skip link
            continue
        try:
            resolve(href.split("?")[0])
        except Resolver404:
            pytest.fail(f"home page links to {href}, which does not resolve")


@pytest.mark.django_db
def test_quick_links_become_links_only_when_their_page_exists(client, monkeypatch):
    from kium.public import views

    monkeypatch.setattr(
        views,
        "QUICK_LINKS",
        (
            QuickLink("있는 화면", "설명", "public:home", "search"),
            QuickLink("없는 화면", "설명", "public:not_built_yet", "notice"),
        ),
    )
    html = client.get("/").content.decode()
    assert '<a class="kium-quick-card" href="/">' in html
    assert '<div class="kium-quick-card is-text">' in html
    assert html.count("준비 중") == 1


@pytest.mark.django_db
def test_menu_items_with_an_address_become_links(client, monkeypatch):
    from kium.orgs import menus

    monkeypatch.setattr(
        menus,
        "PUBLIC_MENUS",
        (
            {
                "label": "시험메뉴",
                "groups": (
                    (
                        "묶음",
                        (
                            "글자 항목",
                            {"label": "주소 항목", "href": "/"},
                            {"label": "이름 항목", "url_name": "public:home"},
                            {"label": "없는 이름", "url_name": "public:nowhere"},
                        ),
                    ),
                ),
            },
        ),
    )
    html = client.get("/").content.decode()
    assert '<span class="kium-menu-text">글자 항목</span>' in html
    assert '<a class="kium-menu-link" href="/">주소 항목</a>' in html
    assert '<a class="kium-menu-link" href="/">이름 항목</a>' in html
    assert '<span class="kium-menu-text">없는 이름</span>' in html


@pytest.mark.django_db
def test_anonymous_visitor_sees_login_and_signup(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("public:login")}"' in html
    assert f'href="{reverse("public:signup")}"' in html
    assert f'href="{reverse("backoffice:dashboard")}"' in html  # 관리자


@pytest.mark.django_db
def test_signed_in_guardian_sees_name_and_logout(client, people):
    guardian = people.guardian(name="김보호")
    client.force_login(guardian)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "김보호님" in html
    assert f'action="{reverse("public:logout")}"' in html
    assert f'href="{reverse("public:login")}"' not in html
    assert "김보호님, 반갑습니다." in html


@pytest.mark.django_db
def test_staff_member_can_open_the_public_home(client, people):
    client.force_login(people.staff(role="총괄운영", city=True, name="이담당"))
    response = client.get("/")
    assert response.status_code == 200
    assert "이담당님" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_posts_to_set_language_and_returns_here(client):
    html = client.get("/?page=2").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="next" value="/?page=2"' in html
    assert 'name="language" value="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert 'name="language" value="ko"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_not_found_page_keeps_the_portal_look(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "페이지를 찾을 수 없습니다" in html
    assert parse(response).menu_buttons == TOP_MENUS
    assert "이용문의 2133-4947, 4817" in html
