"""The portal's information pages: CMS pages, 센터연락처 and 자치구 담당부서 (BRD-5)."""

import re

import pytest
from django.urls import reverse

from kium.boards.domain.pages import set_published
from kium.boards.models import Page
from kium.orgs.enums import DepartmentLevel, FacilityType
from kium.orgs.menus import PUBLIC_MENUS
from kium.orgs.models import Department, District


def _menu_links() -> list[str]:
    return [
        str(item["href"])
        for top in PUBLIC_MENUS
        for _group, items in top["groups"]
        for item in items
        if isinstance(item, dict) and item.get("href")
    ]


@pytest.mark.django_db
def test_every_public_menu_link_answers_200(client):
    links = _menu_links()
    # 21 CMS pages and the contact lists, some of which appear under several groups.
    assert len(set(links)) >= 20
    for href in set(links):
        assert client.get(href).status_code == 200, href


@pytest.mark.django_db
def test_header_links_the_information_pages(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("public:cms_page", args=["kium/intro"])}"' in html
    assert f'href="{reverse("public:contacts", args=["UK"])}"' in html
    assert f'href="{reverse("public:district_offices")}"' in html
    # Items whose feature has not landed stay text.
    assert '<span class="kium-menu-text">채용소식</span>' in html


@pytest.mark.django_db
def test_page_shows_body_side_navigation_and_breadcrumb(client):
    html = client.get("/info/hub/3/").content.decode()
    assert "<h1" in html and "거점형 키움센터 3호" in html
    assert "13:00~19:00" in html
    breadcrumb = html.split('class="krds-breadcrumb-wrap', 1)[1].split("</nav>", 1)[0]
    assert re.search(r"초등돌봄.*거점형 키움센터.*거점형 키움센터 3호", breadcrumb, re.S)
    side = html.split('class="krds-side-navigation', 1)[1].split("</nav>", 1)[0]
    assert 'href="/info/hub/3/" aria-current="page"' in side
    assert 'href="/info/hub/4/"' in side
    assert "청소년방과후아카데미" in side


@pytest.mark.django_db
def test_unpublished_and_unknown_pages_are_404(client, people):
    page = Page.objects.get(slug="kidscafe/intro")
    set_published(actor=people.city_officer(), page=page, published=False)
    assert client.get("/info/kidscafe/intro/").status_code == 404
    assert client.get("/info/no/such-page/").status_code == 404


@pytest.mark.django_db
def test_contacts_list_operating_facilities_of_the_type(client, people):
    open_one = people.facility("NW", name="열린 키움센터", phone="02-111-2222")
    closed = people.facility("NW", name="문닫은 키움센터")
    closed.is_operating = False
    closed.save(update_fields=["is_operating"])
    other_type = people.facility("GN", FacilityType.LOCAL_CHILD, name="어느 지역아동센터")
    html = client.get(reverse("public:contacts", args=["UK"])).content.decode()
    assert open_one.name in html and "02-111-2222" in html and open_one.address in html
    assert open_one.district.name in html
    assert closed.name not in html
    assert other_type.name not in html
    gi = client.get(reverse("public:contacts", args=["GI"])).content.decode()
    assert other_type.name in gi


@pytest.mark.django_db
def test_contacts_of_an_unknown_type_is_404(client):
    assert client.get("/info/contacts/XX/").status_code == 404


@pytest.mark.django_db
def test_district_offices_list_the_25_districts(client):
    Department.objects.filter(level=DepartmentLevel.DISTRICT, district__code="NW").update(
        phone="02-2116-1234", fax="02-2116-5678"
    )
    response = client.get(reverse("public:district_offices"))
    html = response.content.decode()
    assert response.status_code == 200
    names = list(District.objects.values_list("name", flat=True))
    assert len(names) == 25
    assert all(name in html for name in names)
    assert html.count("<tr>") == 25 + 1  # header row + one per district
    assert "02-2116-1234" in html and "02-2116-5678" in html


@pytest.mark.django_db
def test_links_inside_the_seeded_pages_answer_200(client):
    hrefs = set()
    for body in Page.objects.values_list("body", flat=True):
        hrefs.update(re.findall(r'href="(/[^"]*)"', body))
    assert "/info/contacts/UK/" in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href
